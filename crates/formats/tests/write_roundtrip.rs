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
        // Ascent: GPX does not say the altitude is barometric, but a dense channel's filter
        // comes from its samples' resolution and noise, not its source: never more than the
        // device's, and hill sessions keep most of their climb.
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

#[test]
fn fit_round_trip_keeps_the_device_totals() {
    let acts = activities();
    if let Err(e) = decode(&write::fit(&acts[0]), &Limits::default())
        && e.to_string().contains("not written yet")
    {
        eprintln!("skipped: the FIT decoder is not in this build ({e})");
        return;
    }
    for a in acts {
        let b = one(&write::fit(&a));
        assert_eq!(b.sport, a.sport);
        assert_eq!(b.start, a.start);
        assert_eq!(
            b.utc_offset_s, a.utc_offset_s,
            "from activity.local_timestamp"
        );
        assert_eq!(b.laps.len(), a.laps.len());
        // Session totals: distance in centimetres, times in milliseconds, climb in whole metres.
        close("distance", b.distance_m, a.distance_m, 0.006);
        close("elapsed", b.elapsed_s, a.elapsed_s, 0.0006);
        close("moving", b.moving_s, a.moving_s, 0.0006);
        close("ascent", b.ascent_m, a.ascent_m, 0.5);
        close("descent", b.descent_m, a.descent_m, 0.5);
        assert_eq!(b.avg_hr, a.avg_hr);
        assert_eq!(b.max_hr, a.max_hr);
        // Cadence per leg with a 1/128 fraction, doubled back: within 2/128 step/min.
        close("cadence", b.avg_cadence, a.avg_cadence, 2.0 / 128.0);
        assert_eq!(b.samples.len(), a.samples.len());
        for (sb, sa) in b.samples.iter().zip(&a.samples) {
            // Semicircles resolve 180/2^31 ≈ 8.4e-8 degrees.
            close("lat", sb.lat, sa.lat, 1e-7);
            close("lon", sb.lon, sa.lon, 1e-7);
            // enhanced_altitude is in fifths of a metre; speed in mm/s; distance in cm.
            close("alt", sb.alt, sa.alt, 0.1 + 1e-9);
            close("speed", sb.speed, sa.speed, 0.0005 + 1e-9);
            close("dist", sb.dist, sa.dist, 0.005 + 1e-9);
            assert_eq!(sb.hr, sa.hr);
            assert_eq!(sb.power, sa.power);
            close("sample cadence", sb.cadence, sa.cadence, 2.0 / 128.0);
        }
    }
}

/// The bundled samples decode as their README says: every activity file gives one activity,
/// the workout is a skip, and the truncated FIT yields part of its run with a warning.
#[test]
fn bundled_samples_decode_as_documented() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let fit_ready = !decode(&write::fit(&activities()[0]), &Limits::default())
        .is_err_and(|e| e.to_string().contains("not written yet"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("samples/ is committed")
        .chain(std::fs::read_dir(dir.join("strava-export/activities")).expect("export"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x != "md" && x != "csv"))
        .collect();
    files.sort();
    assert!(files.len() > 60, "{}", files.len());
    let mut checked = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        if !fit_ready && name.contains(".fit") {
            continue;
        }
        let got = decode(&bytes, &Limits::default());
        checked += 1;
        if name.starts_with("workout") {
            assert!(got.unwrap_err().is_skip(), "{name}");
        } else if name == "2026-10-11-0821-long-run.fit" {
            // Cut at 60 %: some records, fewer than the whole run's, and a warning.
            let d = got.expect("partly decodable");
            assert!(!d.warnings.is_empty(), "{name}");
            let km = d.activities[0].distance_m.unwrap() / 1000.0;
            assert!(km > 3.0 && km < 14.6, "{name}: {km} km");
        } else {
            let d = got.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(d.activities.len(), 1, "{name}");
        }
    }
    assert!(checked >= 15, "{checked}");
}
