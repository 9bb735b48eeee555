//! What the load engine needs from an activity's samples, computed once at import: TRIMP,
//! kilometres on steep grades and time at high heart rate.

use serde::{Deserialize, Serialize};

use crate::Sample;
use crate::geo::{MAX_GAP_S, distance_m};

/// Sex, which sets the TRIMP weighting (Morton, Fitz-Clarke & Banister 1990): men a = 0.64,
/// b = 1.92; women a = 0.86, b = 1.67. The same type the energy maths uses.
pub use crate::energy::Sex;

/// The athlete's heart-rate anchors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HrProfile {
    /// Resting heart rate, bpm.
    pub rest: u8,
    /// Maximum heart rate, bpm.
    pub max: u8,
    /// Sex, for the TRIMP weighting.
    pub sex: Sex,
    /// Threshold heart rate, bpm, when the athlete knows it; otherwise "hard" means the top two
    /// of five %HRmax zones, i.e. at or above 80 % of HRmax.
    pub threshold: Option<u8>,
}

impl HrProfile {
    /// The heart rate at or above which time counts as hard.
    pub fn hard_from(&self) -> f64 {
        self.threshold.map_or(0.8 * f64::from(self.max), f64::from)
    }
}

/// Grade beyond which a stretch counts as hilly (±5 %, load-metrics.md "Hill load").
pub const HILL_GRADE: f64 = 0.05;
/// Grades are measured over stretches of at least this many metres, so that altitude noise over
/// a few metres of GPS track does not read as a wall.
pub const GRADE_STRETCH_M: f64 = 50.0;

/// Heart-rate samples as (seconds held, bpm): each sample's rate holds until the next sample,
/// and gaps longer than [`MAX_GAP_S`] (pauses, lost signal) count only up to that length.
fn hr_steps(samples: &[Sample]) -> impl Iterator<Item = (f64, f64)> + '_ {
    samples.windows(2).filter_map(|w| {
        let hr = f64::from(w[0].hr?);
        let dt = (w[1].t - w[0].t).clamp(0.0, MAX_GAP_S);
        (dt.is_finite() && hr > 0.0).then_some((dt, hr))
    })
}

/// Banister TRIMP: `Σ Δt_min · x · a · e^(b·x)`, `x = (HR − HRrest)/(HRmax − HRrest)` clamped to
/// [0, 1]; a and b from Morton, Fitz-Clarke & Banister 1990. `None` without heart rate or with
/// HRmax not above HRrest.
pub fn trimp_banister(samples: &[Sample], p: &HrProfile) -> Option<f64> {
    let (a, b) = match p.sex {
        Sex::Male => (0.64, 1.92),
        Sex::Female => (0.86, 1.67),
    };
    let (rest, max) = (f64::from(p.rest), f64::from(p.max));
    if max <= rest {
        return None;
    }
    let mut any = false;
    let total = hr_steps(samples)
        .map(|(dt, hr)| {
            any = true;
            let x = ((hr - rest) / (max - rest)).clamp(0.0, 1.0);
            dt / 60.0 * x * a * (b * x).exp()
        })
        .sum();
    any.then_some(total)
}

/// Edwards TRIMP: minutes in 50–60, 60–70, 70–80, 80–90 and ≥90 % of HRmax weighted 1 to 5.
pub fn trimp_edwards(samples: &[Sample], hr_max: u8) -> Option<f64> {
    if hr_max == 0 {
        return None;
    }
    let max = f64::from(hr_max);
    let mut any = false;
    let total = hr_steps(samples)
        .map(|(dt, hr)| {
            any = true;
            let pct = hr / max;
            let weight = if pct >= 0.9 {
                5.0
            } else if pct >= 0.5 {
                ((pct - 0.5) / 0.1).floor() + 1.0
            } else {
                0.0
            };
            dt / 60.0 * weight
        })
        .sum();
    any.then_some(total)
}

/// Kilometres on grades steeper than ±[`HILL_GRADE`] and seconds at or above the hard heart
/// rate. Distance comes from the device's cumulative distance, else from the GPS track.
/// Either value is `None` when the samples cannot say (no altitude; no heart rate or profile).
pub fn hill_and_intensity(
    samples: &[Sample],
    hr: Option<&HrProfile>,
) -> (Option<f64>, Option<f64>) {
    let hard = hr.and_then(|p| {
        let from = p.hard_from();
        let mut any = false;
        let s: f64 = hr_steps(samples)
            .map(|(dt, bpm)| {
                any = true;
                if bpm >= from { dt } else { 0.0 }
            })
            .sum();
        any.then_some(s)
    });
    (hilly_km(samples), hard)
}

fn hilly_km(samples: &[Sample]) -> Option<f64> {
    let mut cum = 0.0;
    let mut last_fix: Option<(f64, f64)> = None;
    let mut anchor: Option<(f64, f64)> = None;
    let mut hilly = 0.0;
    for s in samples {
        // Cumulative distance at this sample: the device's own, else the summed GPS steps.
        let here = match (s.dist, s.lat, s.lon) {
            (Some(d), _, _) if d.is_finite() => d,
            (_, Some(lat), Some(lon)) => {
                if let Some((plat, plon)) = last_fix {
                    cum += distance_m(plat, plon, lat, lon);
                }
                last_fix = Some((lat, lon));
                cum
            }
            _ => continue,
        };
        let Some(alt) = s.alt.filter(|a| a.is_finite()) else {
            continue;
        };
        let Some((d0, a0)) = anchor else {
            anchor = Some((here, alt));
            continue;
        };
        let dd = here - d0;
        if dd >= GRADE_STRETCH_M {
            if ((alt - a0) / dd).abs() > HILL_GRADE {
                hilly += dd;
            }
            anchor = Some((here, alt));
        } else if dd < 0.0 {
            // The distance channel went backwards (a reset): start a new stretch here.
            anchor = Some((here, alt));
        }
    }
    anchor.map(|_| hilly / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hr_series(hrs: &[(f64, u8)]) -> Vec<Sample> {
        hrs.iter()
            .map(|&(t, hr)| Sample {
                t,
                hr: Some(hr),
                ..Sample::default()
            })
            .collect()
    }

    #[test]
    fn banister_by_hand() {
        let p = HrProfile {
            rest: 50,
            max: 190,
            sex: Sex::Male,
            threshold: None,
        };
        // 10 min at 155 bpm then a closing sample: x = 105/140 = 0.75,
        // TRIMP = 10 · 0.75 · 0.64 · e^(1.92·0.75) = 4.8 · e^1.44 = 4.8 · 4.220696 = 20.25934.
        let s = hr_series(&[(0.0, 155), (600.0, 155)]);
        // The 600 s step is a gap longer than 30 s, so it counts only 30 s: 0.5 min.
        let capped = trimp_banister(&s, &p).unwrap();
        assert!((capped - 0.5 * 0.75 * 0.64 * 1.44f64.exp()).abs() < 1e-12);
        let s: Vec<Sample> = (0..=600)
            .map(|i| hr_series(&[(f64::from(i), 155)])[0])
            .collect();
        let full = trimp_banister(&s, &p).unwrap();
        assert!((full - 20.259_34).abs() < 1e-4, "{full}");
        // Women's weighting: 10 · 0.75 · 0.86 · e^(1.67·0.75) = 6.45 · e^1.2525 = 22.5693.
        let f = HrProfile {
            sex: Sex::Female,
            ..p
        };
        assert!((trimp_banister(&s, &f).unwrap() - 22.5693).abs() < 1e-3);
        // No heart rate at all: unknown, not zero.
        assert_eq!(
            trimp_banister(&[Sample::default(), Sample::default()], &p),
            None
        );
    }

    #[test]
    fn edwards_and_hard_time_by_hand() {
        // 1 s steps: 60 s at 120 (63 % of 190 → zone 2), 60 s at 175 (92 % → zone 5).
        let mut hrs: Vec<(f64, u8)> = (0..60).map(|i| (f64::from(i), 120)).collect();
        hrs.extend((60..=120).map(|i| (f64::from(i), 175)));
        let s = hr_series(&hrs);
        // 1 min × 2 + 1 min × 5 = 7.
        assert!((trimp_edwards(&s, 190).unwrap() - 7.0).abs() < 1e-12);
        let p = HrProfile {
            rest: 50,
            max: 190,
            sex: Sex::Male,
            threshold: None,
        };
        // Hard from 152 bpm (80 % of 190): the 60 s at 175.
        assert_eq!(hill_and_intensity(&s, Some(&p)).1, Some(60.0));
        let p = HrProfile {
            threshold: Some(110),
            ..p
        };
        assert_eq!(hill_and_intensity(&s, Some(&p)).1, Some(120.0));
        assert_eq!(hill_and_intensity(&s, None).1, None);
    }

    #[test]
    fn hilly_km_by_hand() {
        // Every 50 m: flat 200 m (grade 0), then 200 m climbing 4 m per 50 m (8 %),
        // then 100 m at 2 m per 50 m (4 %, not hilly). Hilly = 0.2 km.
        let mut alt = 100.0;
        let mut s = Vec::new();
        for i in 0..=10 {
            let d = f64::from(i) * 50.0;
            if (5..=8).contains(&i) {
                alt += 4.0;
            } else if i > 8 {
                alt += 2.0;
            }
            s.push(Sample {
                t: d,
                dist: Some(d),
                alt: Some(alt),
                ..Sample::default()
            });
        }
        let (h, _) = hill_and_intensity(&s, None);
        assert!((h.unwrap() - 0.2).abs() < 1e-12, "{h:?}");
        // No altitude: unknown.
        let flat: Vec<Sample> = s.iter().map(|x| Sample { alt: None, ..*x }).collect();
        assert_eq!(hill_and_intensity(&flat, None).0, None);
    }
}
