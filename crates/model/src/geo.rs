//! Totals recomputed from samples, for files that do not carry the device's own totals.
//!
//! * **Distance** is geodesic on the WGS84 ellipsoid. Consecutive fixes are a few metres apart,
//!   so each step uses the ellipsoid's meridional and prime-vertical radii of curvature at the
//!   step's mean latitude (error well under a millimetre per step for steps below 1 km); longer
//!   steps (a signal gap) use Vincenty's inverse formula.
//! * **GPS jitter**: a standing receiver wanders by a few metres. A fix only adds distance once
//!   it lies more than [`JITTER_M`] from the last fix that counted, and a fix implying a speed
//!   above the sport's plausible maximum is treated as a glitch and skipped unless the next fix
//!   confirms it.
//! * **Ascent and descent** use a hysteresis filter chosen from the altitude channel's own
//!   character (resolution, noise, how densely it is sampled, and the source where the samples
//!   cannot tell): see [`crate::altitude`].
//! * **Moving time** counts sample intervals in which the athlete moved faster than
//!   [`MOVING_SPEED_MPS`]. An interval no longer than [`MAX_GAP_S`], or than [`GAP_FACTOR`]
//!   times the file's own median interval (sparse "smart recording" files write a point every
//!   10–60 s), is judged by the speed the device recorded at its end, else by how far the
//!   position or distance advanced. A longer gap is judged only by the average speed over it:
//!   a watch paused at a crossing resumes a few metres on, while one that lost its signal in a
//!   tunnel, or a track split into segments while the runner ran on, resumes far ahead.
//! * **Distance** from records counts only what they carry: a distance channel that never
//!   advances (pool-swim apps write 0 m in every record) or positions that never move give no
//!   distance at all, so that the device's own totals are not overruled by a channel that was
//!   never measured.

use crate::activity::{Sample, Sport};

/// WGS84 semi-major axis, metres.
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// Minimum movement before a GPS fix adds distance, metres.
pub const JITTER_M: f64 = 2.5;
pub use crate::altitude::{HYSTERESIS_BARO_M, HYSTERESIS_GPS_M};
/// A gap between samples up to this long is an ordinary recording interval, seconds; a longer
/// one (unless the file records that sparsely, see [`GAP_FACTOR`]) counts as moving only when the
/// average speed over it says so.
pub const MAX_GAP_S: f64 = 30.0;
/// A gap up to this many times the file's median recording interval is an ordinary interval
/// too: a watch on smart recording writes a point every 10–60 s.
pub const GAP_FACTOR: f64 = 3.0;
/// Below this speed a sample interval is not moving time, metres per second.
pub const MOVING_SPEED_MPS: f64 = 0.5;

/// Geodesic distance in metres between two WGS84 points given in degrees.
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let mut dlon = (lon2 - lon1).to_radians();
    if dlon > std::f64::consts::PI {
        dlon -= 2.0 * std::f64::consts::PI;
    } else if dlon < -std::f64::consts::PI {
        dlon += 2.0 * std::f64::consts::PI;
    }
    let dlat = p2 - p1;
    // Quick local estimate; fine for the short steps of a track.
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let pm = 0.5 * (p1 + p2);
    let w = (1.0 - e2 * pm.sin().powi(2)).sqrt();
    let m = WGS84_A * (1.0 - e2) / (w * w * w); // meridional radius
    let n = WGS84_A / w; // prime-vertical radius
    let local = ((m * dlat).powi(2) + (n * pm.cos() * dlon).powi(2)).sqrt();
    if local < 1_000.0 {
        return local;
    }
    vincenty(p1, p2, dlon).unwrap_or(local)
}

/// Vincenty's inverse formula on WGS84; `None` when it does not converge (near-antipodal).
fn vincenty(p1: f64, p2: f64, l: f64) -> Option<f64> {
    let (a, f) = (WGS84_A, WGS84_F);
    let b = a * (1.0 - f);
    let u1 = ((1.0 - f) * p1.tan()).atan();
    let u2 = ((1.0 - f) * p2.tan()).atan();
    let (su1, cu1, su2, cu2) = (u1.sin(), u1.cos(), u2.sin(), u2.cos());
    let mut lambda = l;
    for _ in 0..200 {
        let (sl, cl) = (lambda.sin(), lambda.cos());
        let sin_sigma = ((cu2 * sl).powi(2) + (cu1 * su2 - su1 * cu2 * cl).powi(2)).sqrt();
        if sin_sigma == 0.0 {
            return Some(0.0);
        }
        let cos_sigma = su1 * su2 + cu1 * cu2 * cl;
        let sigma = sin_sigma.atan2(cos_sigma);
        let sin_alpha = cu1 * cu2 * sl / sin_sigma;
        let cos2_alpha = 1.0 - sin_alpha * sin_alpha;
        let cos_2sm = if cos2_alpha != 0.0 {
            cos_sigma - 2.0 * su1 * su2 / cos2_alpha
        } else {
            0.0
        };
        let c = f / 16.0 * cos2_alpha * (4.0 + f * (4.0 - 3.0 * cos2_alpha));
        let prev = lambda;
        lambda = l
            + (1.0 - c)
                * f
                * sin_alpha
                * (sigma
                    + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)));
        if (lambda - prev).abs() < 1e-12 {
            let u_sq = cos2_alpha * (a * a - b * b) / (b * b);
            let ca =
                1.0 + u_sq / 16384.0 * (4096.0 + u_sq * (-768.0 + u_sq * (320.0 - 175.0 * u_sq)));
            let cb = u_sq / 1024.0 * (256.0 + u_sq * (-128.0 + u_sq * (74.0 - 47.0 * u_sq)));
            let d_sigma = cb
                * sin_sigma
                * (cos_2sm
                    + cb / 4.0
                        * (cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)
                            - cb / 6.0
                                * cos_2sm
                                * (-3.0 + 4.0 * sin_sigma * sin_sigma)
                                * (-3.0 + 4.0 * cos_2sm * cos_2sm)));
            return Some(b * ca * (sigma - d_sigma));
        }
    }
    None
}

/// The fastest plausible speed for a sport, metres per second; faster steps are GPS glitches.
pub fn max_plausible_speed(sport: Sport) -> f64 {
    match sport {
        Sport::Ride => 35.0,
        Sport::Other => 70.0,
        Sport::Swim => 5.0,
        _ => 12.5,
    }
}

/// Totals recomputed from samples.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    /// How far the device's distance channel advanced, else the geodesic track length,
    /// metres; `None` when neither moved (see [`recorded_distance_m`]).
    pub distance_m: Option<f64>,
    /// First to last sample, seconds.
    pub elapsed_s: Option<f64>,
    /// Moving time, seconds.
    pub moving_s: Option<f64>,
    /// Metres climbed.
    pub ascent_m: Option<f64>,
    /// Metres descended.
    pub descent_m: Option<f64>,
    /// Time-weighted average heart rate.
    pub avg_hr: Option<u8>,
    /// Maximum heart rate.
    pub max_hr: Option<u8>,
    /// Average cadence over samples that have one, ignoring zeros (standing still).
    pub avg_cadence: Option<f64>,
}

/// Geodesic track length with the jitter and glitch rules described in the module docs.
pub fn track_distance_m(samples: &[Sample], sport: Sport) -> Option<f64> {
    let vmax = max_plausible_speed(sport);
    let mut total = 0.0;
    let mut anchor: Option<(f64, f64, f64)> = None; // lat, lon, t
    let mut pending: Option<(f64, f64, f64)> = None; // a suspicious fix awaiting confirmation
    let mut any = false;
    for s in samples {
        let (Some(lat), Some(lon)) = (s.lat, s.lon) else {
            continue;
        };
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            continue;
        }
        let Some((alat, alon, at)) = anchor else {
            anchor = Some((lat, lon, s.t));
            any = true;
            continue;
        };
        let d = distance_m(alat, alon, lat, lon);
        if d < JITTER_M {
            continue;
        }
        let dt = (s.t - at).max(0.0);
        let too_fast = dt > 0.0 && d / dt > vmax;
        if too_fast {
            if let Some((plat, plon, pt)) = pending {
                // Two fast fixes in a row that agree with each other: a real jump (say, a
                // resumed recording after a tunnel); accept it.
                let dp = distance_m(plat, plon, lat, lon);
                let dtp = (s.t - pt).max(1e-9);
                if dp / dtp <= vmax {
                    total += distance_m(alat, alon, plat, plon) + dp;
                    anchor = Some((lat, lon, s.t));
                    pending = None;
                    continue;
                }
            }
            pending = Some((lat, lon, s.t));
            continue;
        }
        pending = None;
        total += d;
        anchor = Some((lat, lon, s.t));
    }
    any.then_some(total)
}

/// Ascent and descent of the altitude channel, filtered as its character calls for
/// ([`crate::altitude::climb`]); `None` without altitudes or when they are too coarse.
pub fn climb_m(samples: &[Sample], barometric: bool) -> Option<(f64, f64)> {
    crate::altitude::climb(samples, barometric)
}

/// How far the device's own distance channel advanced over the samples, metres; `None` when
/// no record has a distance or it never advances (an app that writes 0 m in every record).
pub fn recorded_distance_m(samples: &[Sample]) -> Option<f64> {
    let first = samples.iter().find_map(|s| s.dist)?;
    let last = samples.iter().rev().find_map(|s| s.dist)?;
    Some(last - first).filter(|d| *d > 0.0)
}

/// The median interval between consecutive samples, seconds (ignoring repeated times).
pub fn median_interval_s(samples: &[Sample]) -> Option<f64> {
    let mut dts: Vec<f64> = samples
        .windows(2)
        .map(|w| w[1].t - w[0].t)
        .filter(|dt| *dt > 0.0)
        .collect();
    if dts.is_empty() {
        return None;
    }
    let mid = dts.len() / 2;
    Some(*dts.select_nth_unstable_by(mid, f64::total_cmp).1)
}

/// Moving time by the rules of the module docs; `None` when no interval says anything about
/// motion and none counted.
pub fn moving_time_s(samples: &[Sample], sport: Sport) -> Option<f64> {
    let ordinary = median_interval_s(samples).map_or(MAX_GAP_S, |m| MAX_GAP_S.max(GAP_FACTOR * m));
    let vmax = max_plausible_speed(sport);
    let mut moving = 0.0;
    let mut have_motion_info = false;
    for w in samples.windows(2) {
        let dt = w[1].t - w[0].t;
        if dt.is_nan() || dt <= 0.0 {
            continue;
        }
        // The average speed over the interval, from the distance channel or the positions.
        let average = match (
            w[0].dist,
            w[1].dist,
            w[0].lat.zip(w[0].lon),
            w[1].lat.zip(w[1].lon),
        ) {
            (Some(d0), Some(d1), ..) => Some((d1 - d0) / dt),
            (_, _, Some((la0, lo0)), Some((la1, lo1))) => Some(distance_m(la0, lo0, la1, lo1) / dt),
            _ => None,
        };
        let moved = if dt <= ordinary {
            match w[1].speed {
                Some(v) => Some(v > MOVING_SPEED_MPS),
                None => average.map(|v| v > MOVING_SPEED_MPS),
            }
        } else {
            // A long gap: only the ground covered over it tells a pause from a lost signal,
            // and no faster than the sport allows. With nothing to tell, it is a pause.
            let Some(v) = average else { continue };
            Some(v > MOVING_SPEED_MPS && v <= vmax)
        };
        match moved {
            Some(true) => {
                have_motion_info = true;
                moving += dt;
            }
            Some(false) => have_motion_info = true,
            None => moving += dt,
        }
    }
    (have_motion_info || moving > 0.0).then_some(moving)
}

/// Recomputes the totals of a series of samples.
pub fn summarise(samples: &[Sample], sport: Sport, barometric: bool) -> Summary {
    let mut out = Summary::default();
    if samples.is_empty() {
        return out;
    }
    out.distance_m = recorded_distance_m(samples)
        .or_else(|| track_distance_m(samples, sport).filter(|d| *d > 0.0));
    let (t0, t1) = (samples[0].t, samples[samples.len() - 1].t);
    if t1 > t0 {
        out.elapsed_s = Some(t1 - t0);
    }
    // Points out of order add their steps twice over; moving time never exceeds the span.
    out.moving_s = match (moving_time_s(samples, sport), out.elapsed_s) {
        (Some(m), Some(e)) => Some(m.min(e)),
        (m, e) => m.or(e),
    };
    if let Some((up, down)) = climb_m(samples, barometric) {
        out.ascent_m = Some(up);
        out.descent_m = Some(down);
    }
    let (mut hr_sum, mut hr_t, mut hr_max) = (0.0, 0.0, 0u8);
    for w in samples.windows(2) {
        if let Some(hr) = w[0].hr.filter(|h| *h > 0) {
            let dt = (w[1].t - w[0].t).clamp(0.0, MAX_GAP_S);
            hr_sum += f64::from(hr) * dt;
            hr_t += dt;
        }
    }
    for hr in samples.iter().filter_map(|s| s.hr) {
        hr_max = hr_max.max(hr);
    }
    if hr_t > 0.0 {
        out.avg_hr = Some((hr_sum / hr_t).round() as u8);
    } else if let Some(hr) = samples.iter().find_map(|s| s.hr.filter(|h| *h > 0)) {
        out.avg_hr = Some(hr);
    }
    if hr_max > 0 {
        out.max_hr = Some(hr_max);
    }
    let cads: Vec<f64> = samples
        .iter()
        .filter_map(|s| s.cadence)
        .filter(|c| *c > 0.0)
        .collect();
    if !cads.is_empty() {
        out.avg_cadence = Some(cads.iter().sum::<f64>() / cads.len() as f64);
    }
    out
}

/// Normalises on-foot cadence to steps per minute. Garmin, Suunto and most FIT and TCX
/// writers record running cadence per leg (strides per minute, typically 75–100), others record
/// steps (150–200). A median below 120 for an on-foot sport means strides, so it is doubled.
/// Cycling cadence (rpm) is left alone.
pub fn normalise_cadence(samples: &mut [Sample], sport: Sport) -> bool {
    if !sport.is_on_foot() {
        return false;
    }
    let mut c: Vec<f64> = samples
        .iter()
        .filter_map(|s| s.cadence)
        .filter(|c| *c > 0.0)
        .collect();
    if c.is_empty() {
        return false;
    }
    let mid = c.len() / 2;
    let median = *c.select_nth_unstable_by(mid, f64::total_cmp).1;
    if median >= 120.0 {
        return false;
    }
    for s in samples.iter_mut() {
        if let Some(v) = s.cadence.as_mut() {
            *v *= 2.0;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(t: f64, lat: f64, lon: f64) -> Sample {
        Sample {
            t,
            lat: Some(lat),
            lon: Some(lon),
            ..Sample::default()
        }
    }

    #[test]
    fn one_degree_of_latitude_at_the_equator() {
        // Meridian arc from 0° to 1° on WGS84 is 110 574.4 m (standard geodesy tables).
        let d = distance_m(0.0, 0.0, 1.0, 0.0);
        assert!((d - 110_574.4).abs() < 1.0, "{d}");
        // Short step: 0.0001° of longitude at 60°N. Prime-vertical radius N(60°) =
        // a / sqrt(1 - e² sin²60°) = 6 394 209.2 m, so the step is N·cos60°·1e-4·π/180 = 5.580 m.
        let d = distance_m(60.0, 10.0, 60.0, 10.0001);
        assert!((d - 5.580).abs() < 0.002, "{d}");
    }

    #[test]
    fn vincenty_matches_the_textbook_flinders_peak_example() {
        // Vincenty (1975) / Geoscience Australia: Flinders Peak to Buninyong = 54 972.271 m.
        // Coordinates from the DMS of the example: 37°57′03.72030″S 144°25′29.52440″E and
        // 37°39′10.15610″S 143°55′35.38390″E.
        let dms = |d: f64, m: f64, s: f64| d + m / 60.0 + s / 3600.0;
        let d = distance_m(
            -dms(37.0, 57.0, 3.72030),
            dms(144.0, 25.0, 29.52440),
            -dms(37.0, 39.0, 10.15610),
            dms(143.0, 55.0, 35.38390),
        );
        assert!((d - 54_972.271).abs() < 0.01, "{d}");
    }

    #[test]
    fn standing_still_adds_no_distance_and_glitches_are_skipped() {
        // 60 fixes wandering ±1 m around one spot: no distance.
        let mut s: Vec<Sample> = (0..60)
            .map(|i| {
                pt(
                    f64::from(i),
                    50.0 + if i % 2 == 0 { 0.000_01 } else { -0.000_01 },
                    8.0,
                )
            })
            .collect();
        assert_eq!(track_distance_m(&s, Sport::Run), Some(0.0));
        // Then a straight 100 m run north in 10 steps of ~10 m, one wild fix 5 km away.
        let step = 10.0 / 111_229.0; // degrees of latitude per 10 m at 50°N (M ≈ 6 373 km)
        for i in 1..=10 {
            s.push(pt(
                60.0 + f64::from(i) * 3.0,
                50.0 + step * f64::from(i),
                8.0,
            ));
            if i == 5 {
                s.push(pt(61.0 + f64::from(i) * 3.0, 50.05, 8.0));
            }
        }
        let d = track_distance_m(&s, Sport::Run).unwrap();
        assert!((d - 100.0).abs() < 1.5, "{d}");
    }

    #[test]
    fn a_long_gap_is_moving_only_when_the_ground_covered_says_so() {
        // A run north at 3 m/s sampled every second for 60 s (about 27 µ° of latitude per
        // 3 m at 50°N, M ≈ 6 373 km), then a 600 s gap after which the runner is 5 m further
        // (a pause at a crossing: 0.008 m/s), then another 60 s, then a 120 s gap covering
        // 360 m (a lost signal while running on: 3 m/s).
        let deg = |m: f64| m / 111_229.0;
        let mut s = Vec::new();
        let (mut t, mut y) = (0.0, 0.0);
        for leg in 0..2 {
            for _ in 0..60 {
                s.push(pt(t, 50.0 + deg(y), 8.0));
                t += 1.0;
                y += 3.0;
            }
            if leg == 0 {
                t += 600.0;
                y += 5.0;
            }
        }
        s.push(pt(t + 119.0, 50.0 + deg(y + 357.0), 8.0));
        // Moving: the 59 one-second steps of each leg and the 120 s gap; the 601 s pause
        // (8 m covered) is not: 59 + 59 + 120 = 238 s.
        let m = moving_time_s(&s, Sport::Run).unwrap();
        assert!((m - 238.0).abs() < 1e-9, "{m}");
    }

    #[test]
    fn a_sparse_recording_keeps_its_moving_time() {
        // An open-water swim written every 45 s (smart recording), 45 m apart (1 m/s): each
        // step is longer than MAX_GAP_S but within GAP_FACTOR × the 45 s median, so all 60
        // steps (2 700 s) are moving time; under the 30 s rule alone none were.
        let s: Vec<Sample> = (0..61)
            .map(|i| {
                pt(
                    45.0 * f64::from(i),
                    50.0 + f64::from(i) * 45.0 / 111_229.0,
                    8.0,
                )
            })
            .collect();
        assert_eq!(moving_time_s(&s, Sport::Swim), Some(2_700.0));
    }

    #[test]
    fn records_that_never_advance_give_no_distance() {
        // A pool-swim app writes 0 m in every record and stands at one GPS fix: no distance,
        // rather than 0 m that would overrule the laps' lengths.
        let s: Vec<Sample> = (0..10)
            .map(|i| Sample {
                dist: Some(0.0),
                ..pt(f64::from(i), 50.0, 8.0)
            })
            .collect();
        assert_eq!(recorded_distance_m(&s), None);
        assert_eq!(summarise(&s, Sport::Swim, false).distance_m, None);
        // A distance channel that starts above zero counts what it advanced: 2.3 m to 102.3 m
        // is 100 m (a multisport file's records count from the first leg's start).
        let run = [2.3, 52.3, 102.3].map(|d| Sample {
            dist: Some(d),
            ..Sample::default()
        });
        assert_eq!(recorded_distance_m(&run), Some(100.0));
    }

    #[test]
    fn stride_cadence_is_doubled_for_runs_only() {
        let mut s = vec![
            Sample {
                cadence: Some(85.0),
                ..Sample::default()
            };
            3
        ];
        assert!(normalise_cadence(&mut s, Sport::Run));
        assert_eq!(s[0].cadence, Some(170.0));
        assert!(!normalise_cadence(&mut s, Sport::Run), "already steps");
        let mut r = vec![
            Sample {
                cadence: Some(85.0),
                ..Sample::default()
            };
            3
        ];
        assert!(!normalise_cadence(&mut r, Sport::Ride));
    }
}

/// Lowest plausible altitude, metres (the Dead Sea shore is at −430 m).
pub const MIN_ALTITUDE_M: f64 = -500.0;
/// Highest plausible altitude, metres (Everest is 8,849 m).
pub const MAX_ALTITUDE_M: f64 = 9_000.0;

/// The fastest plausible climb or descent for a sport, metres per second; a faster step in
/// the altitude channel is a sensor glitch. Generous: a runner on the steepest vertical-kilometre
/// course climbs about 0.5 m/s, a cyclist descending about 5 m/s.
pub fn max_plausible_climb_rate(sport: Sport) -> f64 {
    match sport {
        Sport::Other => 50.0,
        _ => 10.0,
    }
}

/// What [`clean_samples`] removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dropped {
    /// Positions outside the globe, or at exactly (0, 0), a receiver's "no fix".
    pub positions: usize,
    /// Altitudes outside the Earth's range, or jumps faster than the sport can climb.
    pub altitudes: usize,
    /// Speeds above the sport's plausible maximum.
    pub speeds: usize,
    /// Non-finite or impossible values in the other channels (distance, cadence).
    pub other: usize,
}

impl Dropped {
    /// Whether anything was removed.
    pub fn any(&self) -> bool {
        self.positions + self.altitudes + self.speeds + self.other > 0
    }
}

/// Removes sample values no sensor could have measured: non-finite numbers, positions off the
/// globe or at (0, 0), altitudes outside [`MIN_ALTITUDE_M`]..[`MAX_ALTITUDE_M`], speeds above
/// [`max_plausible_speed`], and altitude steps faster than [`max_plausible_climb_rate`] (plus
/// 50 m of slack for GPS altitude noise) that the next altitude does not confirm — the same
/// rule the distance filter applies to positions.
pub fn clean_samples(samples: &mut [Sample], sport: Sport) -> Dropped {
    let mut out = Dropped::default();
    let vmax = max_plausible_speed(sport);
    for s in samples.iter_mut() {
        if let (Some(lat), Some(lon)) = (s.lat, s.lon) {
            let on_globe = lat.is_finite()
                && lon.is_finite()
                && (-90.0..=90.0).contains(&lat)
                && (-180.0..=180.0).contains(&lon);
            if !on_globe || (lat == 0.0 && lon == 0.0) {
                s.lat = None;
                s.lon = None;
                out.positions += 1;
            }
        } else if s.lat.is_some() || s.lon.is_some() {
            s.lat = None;
            s.lon = None;
            out.positions += 1;
        }
        if s.alt
            .is_some_and(|a| !(a.is_finite() && (MIN_ALTITUDE_M..=MAX_ALTITUDE_M).contains(&a)))
        {
            s.alt = None;
            out.altitudes += 1;
        }
        if s.speed
            .is_some_and(|v| !(v.is_finite() && (0.0..=vmax).contains(&v)))
        {
            s.speed = None;
            out.speeds += 1;
        }
        if s.dist.is_some_and(|d| !(d.is_finite() && d >= 0.0)) {
            s.dist = None;
            out.other += 1;
        }
        if s.cadence
            .is_some_and(|c| !(c.is_finite() && (0.0..=400.0).contains(&c)))
        {
            s.cadence = None;
            out.other += 1;
        }
    }
    let rate = max_plausible_climb_rate(sport);
    let plausible = |a0: f64, t0: f64, a1: f64, t1: f64| {
        (a1 - a0).abs() <= rate * (t1 - t0).abs().max(1.0) + 50.0
    };
    let mut last: Option<(f64, f64)> = None; // the last altitude that counted, and its time
    let mut pending: Option<usize> = None; // a suspicious altitude awaiting confirmation
    for i in 0..samples.len() {
        let Some(a) = samples[i].alt else { continue };
        let t = samples[i].t;
        let Some((la, lt)) = last else {
            last = Some((a, t));
            continue;
        };
        if plausible(la, lt, a, t) {
            if let Some(p) = pending.take() {
                samples[p].alt = None;
                out.altitudes += 1;
            }
            last = Some((a, t));
            continue;
        }
        match pending {
            // Two in a row that agree with each other: a real step (a recalibration).
            Some(p)
                if samples[p]
                    .alt
                    .is_some_and(|pa| plausible(pa, samples[p].t, a, t)) =>
            {
                pending = None;
                last = Some((a, t));
            }
            Some(p) => {
                samples[p].alt = None;
                out.altitudes += 1;
                pending = Some(i);
            }
            None => pending = Some(i),
        }
    }
    // A last suspicious altitude that nothing confirmed is kept only when it was the first
    // of a real step at the very end; with nothing after it, it cannot be told apart, so it
    // goes.
    if let Some(p) = pending {
        samples[p].alt = None;
        out.altitudes += 1;
    }
    out
}
