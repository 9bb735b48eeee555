//! Per-kilometre (or per-mile) splits from an activity's samples.

use serde::Serialize;

use crate::activity::Sample;
use crate::geo;

/// One split: a whole unit of distance (the last one may be partial).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Split {
    /// 1-based split number.
    pub index: usize,
    /// Distance covered in this split, metres (the unit, or less for the last one).
    pub distance_m: f64,
    /// Seconds from the split's first to its last sample, pauses (gaps over
    /// [`geo::MAX_GAP_S`]) excluded.
    pub duration_s: f64,
    /// Seconds per kilometre over the split.
    pub pace_s_per_km: Option<f64>,
    /// Time-weighted average heart rate.
    pub avg_hr: Option<f64>,
    /// Altitude gained minus lost across the split, metres.
    pub elevation_change_m: Option<f64>,
}

/// Cumulative distance per sample: the device's distance channel where present, otherwise the
/// geodesic track (with the same jitter rule as [`geo::track_distance_m`]).
fn cumulative(samples: &[Sample]) -> Option<Vec<f64>> {
    if samples.iter().filter(|s| s.dist.is_some()).count() * 2 >= samples.len()
        && !samples.is_empty()
    {
        let mut last = 0.0;
        return Some(
            samples
                .iter()
                .map(|s| {
                    if let Some(d) = s.dist.filter(|d| *d >= last) {
                        last = d;
                    }
                    last
                })
                .collect(),
        );
    }
    // A fix implying a speed no activity reaches is a glitch, skipped unless the next fix
    // confirms it, as in the distance total.
    let vmax = geo::max_plausible_speed(crate::activity::Sport::Other);
    let mut out = Vec::with_capacity(samples.len());
    let mut total = 0.0;
    let mut anchor: Option<(f64, f64, f64)> = None;
    let mut pending: Option<(f64, f64, f64)> = None;
    let mut any = false;
    for s in samples {
        if let (Some(lat), Some(lon)) = (s.lat, s.lon) {
            any = true;
            match anchor {
                None => anchor = Some((lat, lon, s.t)),
                Some((alat, alon, at)) => {
                    let d = geo::distance_m(alat, alon, lat, lon);
                    let dt = (s.t - at).max(0.0);
                    if d >= geo::JITTER_M && dt > 0.0 && d / dt > vmax {
                        let confirmed = pending.filter(|&(plat, plon, pt)| {
                            geo::distance_m(plat, plon, lat, lon) / (s.t - pt).max(1e-9) <= vmax
                        });
                        if let Some((plat, plon, _)) = confirmed {
                            total += geo::distance_m(alat, alon, plat, plon)
                                + geo::distance_m(plat, plon, lat, lon);
                            anchor = Some((lat, lon, s.t));
                            pending = None;
                        } else {
                            pending = Some((lat, lon, s.t));
                        }
                    } else if d >= geo::JITTER_M {
                        pending = None;
                        total += d;
                        anchor = Some((lat, lon, s.t));
                    }
                }
            }
        }
        out.push(total);
    }
    any.then_some(out)
}

/// Splits every `unit_m` metres (1000 for km, 1609.344 for miles). Empty when the samples have
/// neither a distance channel nor positions.
pub fn splits(samples: &[Sample], unit_m: f64) -> Vec<Split> {
    let Some(cum) = cumulative(samples) else {
        return Vec::new();
    };
    if unit_m <= 0.0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut next_mark = unit_m;
    let flush = |from: usize, to: usize, out: &mut Vec<Split>| {
        let dist = cum[to] - cum[from];
        let mut dur = 0.0;
        let (mut hr_sum, mut hr_t) = (0.0, 0.0);
        for w in from..to {
            let dt = samples[w + 1].t - samples[w].t;
            if dt > 0.0 && dt <= geo::MAX_GAP_S {
                dur += dt;
                if let Some(hr) = samples[w].hr {
                    hr_sum += f64::from(hr) * dt;
                    hr_t += dt;
                }
            }
        }
        let alt = |i: usize| samples[i].alt;
        let elev = match (alt(from), alt(to)) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        out.push(Split {
            index: out.len() + 1,
            distance_m: dist,
            duration_s: dur,
            pace_s_per_km: (dist > 0.0 && dur > 0.0).then(|| dur / (dist / 1000.0)),
            avg_hr: (hr_t > 0.0).then(|| hr_sum / hr_t),
            elevation_change_m: elev,
        });
    };
    for (i, &c) in cum.iter().enumerate().skip(1) {
        if c >= next_mark {
            flush(start, i, &mut out);
            start = i;
            next_mark = (c / unit_m).floor() * unit_m + unit_m;
        }
    }
    let last = cum.len() - 1;
    if last > start && cum[last] - cum[start] > 1.0 {
        flush(start, last, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_pace_gives_even_splits() {
        // 2.5 km at exactly 4 m/s, one sample a second with a distance channel: two full
        // kilometres of 250 s each (1000 m / 4 m/s) and a 500 m remainder of 125 s.
        let samples: Vec<Sample> = (0..=625)
            .map(|i| Sample {
                t: f64::from(i),
                dist: Some(f64::from(i) * 4.0),
                hr: Some(150),
                ..Sample::default()
            })
            .collect();
        let s = splits(&samples, 1000.0);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].duration_s, 250.0);
        assert_eq!(s[0].pace_s_per_km, Some(250.0));
        assert_eq!(s[1].distance_m, 1000.0);
        assert_eq!(s[2].distance_m, 500.0);
        assert_eq!(s[2].duration_s, 125.0);
        assert_eq!(s[0].avg_hr, Some(150.0));
    }

    #[test]
    fn pauses_are_not_counted_and_no_distance_gives_nothing() {
        let mut samples: Vec<Sample> = (0..=250)
            .map(|i| Sample {
                t: f64::from(i),
                dist: Some(f64::from(i) * 4.0),
                ..Sample::default()
            })
            .collect();
        // A 10-minute pause, then 250 more metres... the first km ends after the pause.
        for i in 1..=100 {
            samples.push(Sample {
                t: 850.0 + f64::from(i),
                dist: Some(1000.0 + f64::from(i) * 2.5),
                ..Sample::default()
            });
        }
        let s = splits(&samples, 1000.0);
        // First km: 250 s of running; the 600 s gap is a pause.
        assert_eq!(s[0].duration_s, 250.0);
        assert!(splits(&[Sample::default(); 3], 1000.0).is_empty());
    }
}
