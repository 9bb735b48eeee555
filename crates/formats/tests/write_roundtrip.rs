//! Writers and decoders checked against each other: generated activities are written as GPX,
//! TCX and FIT, decoded again, and the totals compared with what the generator recorded, within
//! the tolerance each format allows (stated at each assertion).

use soleus_formats::write::{self, synth};
use soleus_formats::{Limits, decode};
use soleus_model::{Activity, Sport};

/// A short history (two weeks: easy, hill, tempo, long runs, a walk or ride) to write out.
fn activities() -> Vec<Activity> {
    let mut r = synth::Runner::sample();
    r.weeks = 2;
    r.overload = false;
    synth::history(&r)
}

fn one(bytes: &[u8]) -> Activity {
    let mut d = decode(bytes, &Limits::default()).expect("decodes");
    assert_eq!(d.activities.len(), 1, "{:?}", d.warnings);
    d.activities.remove(0)
}

fn close(what: &str, got: Option<f64>, want: Option<f64>, tol: f64) {
    let (g, w) = (got.unwrap_or(f64::NAN), want.unwrap_or(f64::NAN));
    assert!((g - w).abs() <= tol, "{what}: got {g}, want {w} ± {tol}");
}

fn hr(v: Option<u8>) -> Option<f64> {
    v.map(f64::from)
}

#[test]
fn gpx_round_trip_recomputes_totals_close_to_the_devices() {
    for a in activities() {
        let b = one(write::gpx(&a).as_bytes());
        assert_eq!(b.sport, a.sport);
        assert_eq!(b.start, a.start);
        assert_eq!(b.name, a.name);
        assert_eq!(b.samples.len(), a.samples.len());
        let d = a.distance_m.unwrap();
        // GPX has only positions: the track length with GPS wander is within 2 % (the
        // generator's own test bounds the wander's effect the same way).
        close("distance", b.distance_m, a.distance_m, 0.02 * d);
        // Times are whole seconds on both sides, so elapsed time is exact.
        close("elapsed", b.elapsed_s, a.elapsed_s, 0.0);
        // Moving time from positions instead of speed: within 2 %.
        close("moving", b.moving_s, a.moving_s, 0.02 * a.moving_s.unwrap());
        // The same heart-rate samples, so the same time-weighted mean and the same maximum.
        close("avg hr", hr(b.avg_hr), hr(a.avg_hr), 1.0);
        assert_eq!(b.max_hr, a.max_hr);
        // Cadence goes out per leg, rounded to whole strides, and comes back doubled:
        // at most 1 step/min off per sample.
        close("cadence", b.avg_cadence, a.avg_cadence, 1.0);
        // Ascent: GPX altitude is treated as GPS altitude (4 m hysteresis instead of 1 m), so
        // small undulations drop out; never more than the device's, and hill sessions keep
        // most of their climb.
        let (got, dev) = (b.ascent_m.unwrap(), a.ascent_m.unwrap());
        assert!(got <= dev + 1.0, "ascent {got} > {dev}");
        if dev > 150.0 {
            assert!(got > 0.8 * dev, "hill ascent {got} vs {dev}");
        }
    }
}

#[test]
fn tcx_round_trip_keeps_the_lap_totals() {
    for a in activities() {
        let b = one(write::tcx(&a).as_bytes());
        let want_sport = match a.sport {
            Sport::Walk => Sport::Other, // TCX knows only Running, Biking and Other
            s => s,
        };
        assert_eq!(b.sport, want_sport);
        assert_eq!(b.start, a.start);
        assert_eq!(b.laps.len(), a.laps.len());
        for (lb, la) in b.laps.iter().zip(&a.laps) {
            // Lap distances and times are written to 0.1 (half of it either way, plus float error).
            close("lap distance", lb.distance_m, la.distance_m, 0.051);
            close("lap time", lb.moving_s, la.moving_s, 0.051);
            assert_eq!(lb.avg_hr, la.avg_hr);
            assert_eq!(lb.max_hr, la.max_hr);
        }
        // Totals are the laps' sums: distance to the laps' rounding, moving time likewise.
        close(
            "distance",
            b.distance_m,
            a.distance_m,
            0.051 * a.laps.len() as f64,
        );
        close(
            "moving",
            b.moving_s,
            a.moving_s,
            0.051 * a.laps.len() as f64,
        );
        assert_eq!(b.max_hr, a.max_hr);
        // Average heart rate weighted by lap time, against the device's sample average.
        close("avg hr", hr(b.avg_hr), hr(a.avg_hr), 1.0);
        if a.sport.is_on_foot() {
            // Lap cadences per leg, whole strides, doubled back: within 2 steps/min.
            close("cadence", b.avg_cadence, a.avg_cadence, 2.0);
        }
        assert_eq!(b.samples.len(), a.samples.len());
        // The Creator's name, without the "Garmin " the writer strips.
        let short = a.device.as_deref().unwrap().trim_start_matches("Garmin ");
        assert!(
            b.device.as_deref().unwrap_or("").contains(short),
            "{:?}",
            b.device
        );
    }
}
