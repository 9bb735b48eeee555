//! Ascent and descent from an altitude channel, with a filter chosen from what the samples
//! show of the channel's character.
//!
//! One fixed threshold does not fit every file. A barometric altimeter written every second
//! moves smoothly in steps of its resolution (FIT stores altitude in 0.2 m steps), so a 4 m
//! threshold drops every roller and under-counts by a third; GPS altitude, or a phone's, jumps
//! by metres from one fix to the next, so a small threshold counts the noise as climbing.
//! The samples say which kind a file holds:
//!
//! * **Resolution**: the step the values move in, read as the tenth percentile of the non-zero
//!   changes between consecutive altitudes (0.2 m for FIT, 1 m for many GPX writers, 0.1 m for
//!   Strava's GPX). A threshold below a few steps counts values flickering between two steps.
//! * **Noise**: the scatter of the second differences `a[i-1] − 2a[i] + a[i+1]`, which a slope
//!   cancels but point-to-point noise does not. As a robust standard deviation
//!   (1.4826 × median absolute value) divided by √6, the factor white noise of deviation σ
//!   gives its second difference, it is an estimate of σ.
//! * **Sampling**: noise can be told from terrain only when points are close in time. A
//!   *dense* channel (at least [`MIN_DENSE_SAMPLES`] altitudes, times in order, a median
//!   interval of at most [`DENSE_MAX_INTERVAL_S`]) is smoothed by a centred moving average over
//!   [`SMOOTH_WINDOW_S`] and then filtered by hysteresis with a threshold of
//!   [`MIN_THRESHOLD_M`], [`RESOLUTION_FACTOR`] resolution steps or [`NOISE_FACTOR`] times the
//!   noise, whichever is largest. A *sparse* channel (a few points a minute, or no times) keeps
//!   its points as they are, since each step is terrain, and uses the threshold of its source:
//!   [`HYSTERESIS_BARO_M`] for a barometric altimeter (the decoder reads this from the creator),
//!   [`HYSTERESIS_GPS_M`] otherwise, raised to three resolution steps where those are coarser.
//!   The resolution counts only when the channel changes at least [`MIN_DENSE_SAMPLES`] times:
//!   the few steps of a short track are terrain, not its resolution.
//! * A channel whose resolution is coarser than [`MAX_RESOLUTION_M`] over at least
//!   [`MIN_DENSE_SAMPLES`] changes cannot measure the climbs of a run (a walk saved with
//!   12.8 m steps read as 1,190 m of climbing over 0.73 km): no ascent is computed from it.
//!
//! Smoothing before a threshold is how Strava describes its own elevation gain (support
//! article "Elevation Gain": the data are smoothed, then a gain must exceed a threshold). The
//! numbers are Soleus's, calibrated against the devices' own totals for the files of the
//! shared corpus; the measurement and its error distribution are in `bench/README.md`
//! (section F) and printed by the ignored test `ascent_against_device_totals` in
//! `crates/formats/tests/ascent.rs`.

use crate::activity::Sample;

/// Hysteresis for sparse barometric altitude, metres.
pub const HYSTERESIS_BARO_M: f64 = 1.0;
/// Hysteresis for sparse altitude of any other source (GPS, a map), metres.
pub const HYSTERESIS_GPS_M: f64 = 4.0;
/// Fewest altitudes for a channel to be judged dense.
pub const MIN_DENSE_SAMPLES: usize = 30;
/// Longest median interval of a dense channel, seconds.
pub const DENSE_MAX_INTERVAL_S: f64 = 5.0;
/// Width of the centred moving average over a dense channel, seconds.
pub const SMOOTH_WINDOW_S: f64 = 15.0;
/// Smallest hysteresis on a dense channel, metres.
pub const MIN_THRESHOLD_M: f64 = 0.5;
/// A dense channel's hysteresis is at least this many resolution steps.
pub const RESOLUTION_FACTOR: f64 = 3.0;
/// A dense channel's hysteresis is at least this many times its noise.
pub const NOISE_FACTOR: f64 = 4.0;
/// Coarsest resolution from which an ascent is computed, metres.
pub const MAX_RESOLUTION_M: f64 = 5.0;

/// What the samples show of an altitude channel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Character {
    /// Altitudes in the channel.
    pub samples: usize,
    /// The step the values move in, metres (0 for a channel that never changes).
    pub resolution_m: f64,
    /// How many times the value changes from one altitude to the next.
    pub changes: usize,
    /// Point-to-point noise as a standard deviation, metres.
    pub noise_m: f64,
    /// Median interval between altitudes, seconds (`None` without two times).
    pub median_interval_s: Option<f64>,
    /// Close enough in time, and in order, for noise to be told from terrain.
    pub dense: bool,
}

/// How a channel is filtered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Filter {
    /// Too coarse to measure climbing: no ascent.
    TooCoarse,
    /// A centred moving average of `smooth_s` seconds (0: none), then hysteresis.
    Hysteresis {
        /// Moving-average width, seconds.
        smooth_s: f64,
        /// Hysteresis threshold, metres.
        threshold_m: f64,
    },
}

/// The (time, altitude) pairs of the samples that have a finite altitude.
fn channel(samples: &[Sample]) -> Vec<(f64, f64)> {
    samples
        .iter()
        .filter_map(|s| s.alt.filter(|a| a.is_finite()).map(|a| (s.t, a)))
        .collect()
}

/// The value at `q` (0..1) of the sorted values.
fn quantile(mut v: Vec<f64>, q: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 * q) as usize).min(v.len() - 1);
    Some(v[i])
}

fn character_of(ch: &[(f64, f64)]) -> Character {
    let steps: Vec<f64> = ch
        .windows(2)
        .map(|w| (w[1].1 - w[0].1).abs())
        .filter(|d| *d > 0.0)
        .collect();
    let changes = steps.len();
    let resolution_m = quantile(steps, 0.1).unwrap_or(0.0);
    let second: Vec<f64> = ch
        .windows(3)
        .map(|w| (w[0].1 - 2.0 * w[1].1 + w[2].1).abs())
        .collect();
    let noise_m = quantile(second, 0.5).map_or(0.0, |m| 1.4826 * m / 6f64.sqrt());
    let dts: Vec<f64> = ch.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let in_order = dts.iter().all(|d| *d >= 0.0);
    let median_interval_s = quantile(dts, 0.5);
    let dense = ch.len() >= MIN_DENSE_SAMPLES
        && in_order
        && median_interval_s.is_some_and(|m| m > 0.0 && m <= DENSE_MAX_INTERVAL_S);
    Character {
        samples: ch.len(),
        resolution_m,
        changes,
        noise_m,
        median_interval_s,
        dense,
    }
}

/// Reads the character of the samples' altitude channel.
pub fn character(samples: &[Sample]) -> Character {
    character_of(&channel(samples))
}

/// The filter for a channel of this character; `barometric` (from the file's creator)
/// matters only for a sparse channel, whose samples cannot show their noise.
pub fn filter_for(c: &Character, barometric: bool) -> Filter {
    // A few large changes are glitches on a flat channel (the cleaning drops them later),
    // not its resolution: coarse means many changes, all of them large.
    if c.resolution_m > MAX_RESOLUTION_M && c.changes >= MIN_DENSE_SAMPLES {
        return Filter::TooCoarse;
    }
    // The resolution is read from the changes; from a handful of them it is only terrain.
    let steps = if c.changes >= MIN_DENSE_SAMPLES {
        RESOLUTION_FACTOR * c.resolution_m
    } else {
        0.0
    };
    if c.dense {
        Filter::Hysteresis {
            smooth_s: SMOOTH_WINDOW_S,
            threshold_m: MIN_THRESHOLD_M.max(steps).max(NOISE_FACTOR * c.noise_m),
        }
    } else {
        let source = if barometric {
            HYSTERESIS_BARO_M
        } else {
            HYSTERESIS_GPS_M
        };
        Filter::Hysteresis {
            smooth_s: 0.0,
            threshold_m: source.max(steps),
        }
    }
}

/// A centred moving average `width_s` seconds wide over a channel in time order.
fn smoothed(ch: &[(f64, f64)], width_s: f64) -> Vec<f64> {
    let half = width_s / 2.0;
    let mut prefix = Vec::with_capacity(ch.len() + 1);
    prefix.push(0.0);
    for (_, a) in ch {
        prefix.push(prefix[prefix.len() - 1] + a);
    }
    let (mut lo, mut hi) = (0, 0);
    ch.iter()
        .map(|&(t, _)| {
            while ch[lo].0 < t - half {
                lo += 1;
            }
            while hi < ch.len() && ch[hi].0 <= t + half {
                hi += 1;
            }
            (prefix[hi] - prefix[lo]) / (hi - lo) as f64
        })
        .collect()
}

/// Ascent and descent by hysteresis: the altitude must move `threshold_m` beyond the last
/// turning point before a climb or descent is counted.
pub fn hysteresis(alts: impl IntoIterator<Item = f64>, threshold_m: f64) -> Option<(f64, f64)> {
    let mut alts = alts.into_iter();
    let mut reference = alts.next()?;
    let (mut up, mut down) = (0.0, 0.0);
    for a in alts {
        let diff = a - reference;
        if diff >= threshold_m {
            up += diff;
            reference = a;
        } else if diff <= -threshold_m {
            down -= diff;
            reference = a;
        }
    }
    Some((up, down))
}

/// Ascent and descent of the samples with the filter their character calls for; `None`
/// without altitudes, or when they are too coarse to measure climbing.
pub fn climb(samples: &[Sample], barometric: bool) -> Option<(f64, f64)> {
    let ch = channel(samples);
    match filter_for(&character_of(&ch), barometric) {
        Filter::TooCoarse => None,
        Filter::Hysteresis {
            smooth_s,
            threshold_m,
        } if smooth_s > 0.0 => hysteresis(smoothed(&ch, smooth_s), threshold_m),
        Filter::Hysteresis { threshold_m, .. } => {
            hysteresis(ch.iter().map(|(_, a)| *a), threshold_m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(alts: impl IntoIterator<Item = f64>, dt: f64) -> Vec<Sample> {
        alts.into_iter()
            .enumerate()
            .map(|(i, a)| Sample {
                t: i as f64 * dt,
                alt: Some(a),
                ..Sample::default()
            })
            .collect()
    }

    #[test]
    fn hysteresis_ignores_noise_but_counts_hills() {
        let alts = [
            100.0, 101.0, 100.0, 101.5, 100.5, 110.0, 109.0, 120.0, 100.0,
        ];
        // 4 m: 100→110 (+10), 110→120 (+10; 109 is noise), 120→100 (−20).
        assert_eq!(hysteresis(alts, 4.0), Some((20.0, 20.0)));
        // Nine points are too few to judge noise: GPS altitude keeps the 4 m threshold.
        assert_eq!(climb(&series(alts, 1.0), false), Some((20.0, 20.0)));
    }

    #[test]
    fn a_smooth_channel_counts_its_rollers() {
        // An hour at 1 Hz over rollers 3 m from trough to crest every 2 minutes, in 0.2 m
        // steps as FIT stores altitude: 30 rollers climb 30 × 3 = 90 m. A 4 m threshold
        // counted none of them.
        let alts = (0..3600).map(|i| {
            let a = 100.0 + 1.5 * (f64::from(i) * std::f64::consts::TAU / 120.0).sin();
            (a * 5.0).round() / 5.0
        });
        let s = series(alts, 1.0);
        let c = character(&s);
        assert!(c.dense && (c.resolution_m - 0.2).abs() < 1e-9, "{c:?}");
        assert_eq!(
            hysteresis(s.iter().map(|x| x.alt.unwrap()), 4.0).unwrap().0,
            0.0
        );
        let (up, _) = climb(&s, false).unwrap();
        // Never more than the 90 m there are. The 15 s average flattens a 120 s sine by
        // sinc(15/120) = 0.974, and the 0.6 m threshold (three 0.2 m steps) holds back part of
        // each 2.9 m swing at its turns: more than half of the climb is counted, where none was.
        assert!((45.0..=90.0).contains(&up), "{up}");
    }

    #[test]
    fn noisy_gps_altitude_does_not_count_its_noise() {
        // A flat hour at 1 Hz with GPS-like noise: a deterministic scatter of ±3 m (a linear
        // congruential sequence, Numerical Recipes' constants), in whole metres. Nothing was
        // climbed; a 4 m threshold counted hundreds of metres.
        let mut x: u32 = 1;
        let alts = (0..3600).map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (200.0 + 6.0 * (f64::from(x >> 8) / f64::from(1u32 << 24) - 0.5)).round()
        });
        let s = series(alts, 1.0);
        let naive = hysteresis(s.iter().map(|x| x.alt.unwrap()), 4.0).unwrap().0;
        assert!(naive > 1000.0, "{naive}");
        let (up, _) = climb(&s, false).unwrap();
        assert!(up < 5.0, "{up}");
    }

    #[test]
    fn a_sparse_channel_keeps_its_points_and_its_sources_threshold() {
        // One point a minute: each step is terrain. The values move in steps as small as
        // 0.2 m, so three steps (0.6 m) are below either source's threshold.
        let s = series(
            [100.0, 100.2, 102.0, 101.0, 105.0, 103.0, 110.0, 110.2],
            60.0,
        );
        assert!(!character(&s).dense);
        // Barometric, 1 m: +2, −1, +4, −2, +7 → up 13, down 3.
        assert_eq!(climb(&s, true), Some((13.0, 3.0)));
        // GPS, 4 m: 100→105 (+5), 105→110 (+5; 103 is within 4 m).
        assert_eq!(climb(&s, false), Some((10.0, 0.0)));
    }

    #[test]
    fn a_channel_too_coarse_to_measure_gives_no_ascent() {
        // 12.8 m steps flickering up and down on a short walk.
        let s = series((0..600).map(|i| 300.0 + 12.8 * f64::from(i % 2)), 1.0);
        assert_eq!(filter_for(&character(&s), false), Filter::TooCoarse);
        assert_eq!(climb(&s, false), None);
    }
}
