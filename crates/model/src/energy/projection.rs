//! Weight projections under a goal: the static 3500 kcal/lb rule and Hall's dynamic model, side
//! by side (clinical.md §5.4).
//!
//! **Which dynamic model.** The knowledge base gives Hall's rule of thumb, not the full 2011
//! equations: a sustained change of 100 kJ (≈24 kcal) a day moves eventual weight by ~1 kg, half
//! of it within ~1 year and 95 % within ~3 years \[Hall11\]. Soleus implements that as a daily
//! simulation of a first-order approach to the new steady state:
//!
//! dW/dt = (ΔEI(t) − ε·(W − W₀)) / ρ, with ε = 24 kcal/day per kg and ρ = ε·τ,
//!
//! stepped one day at a time with the exact solution for a day of constant intake change, so a
//! varying daily change (training days, floors) can be followed. Its steady state is
//! W₀ + ΔEI/ε, the 1 kg per 24 kcal/day of the rule.
//!
//! The two timing anchors do not lie on one exponential: "half in 1 year" means τ = 365/ln 2 =
//! 527 days, "95 % in 3 years" means τ = 1095/ln 20 = 366 days. Soleus takes their geometric mean,
//! τ ≈ 439 days, which puts half at 10 months and 95 % at 3.6 years: each anchor is met to within
//! about 20 %, and neither is favoured.
//!
//! Limitation: a first-order model has no fast early phase. Its first-week loss is ΔEI/(ε·τ), an
//! implied 10 500 kcal per kg against the static rule's 7716, so for the first weeks it shows
//! *less* loss than the 3500 rule, while real bodies lose faster at first (glycogen and water).
//! Past a few months it is the better guide, which is why §5.4 prefers it for projections.

use super::EnergyError;
use super::body::{KG_PER_LB, Weight};
use super::tables::tables;
use serde::Serialize;

/// The time constant τ of the first-order model, days (module docs).
pub fn hall_time_constant_days() -> f64 {
    let t = tables();
    let from_half = t.hall_half_days.value / std::f64::consts::LN_2;
    let from_95 = t.hall_95pct_days.value / 20f64.ln();
    (from_half * from_95).sqrt()
}

/// Body weight at the end of each day under a daily intake change (kcal/day relative to the
/// starting maintenance intake), by the first-order model above. One output per input day.
pub fn hall_trajectory(start_kg: f64, daily_change_kcal: &[f64]) -> Vec<f64> {
    let eps = tables().hall_kcal_per_day_per_kg.value;
    let decay = (-1.0 / hall_time_constant_days()).exp();
    let mut w = start_kg;
    daily_change_kcal
        .iter()
        .map(|&de| {
            let steady = start_kg + de / eps;
            w = steady + (w - steady) * decay;
            w
        })
        .collect()
}

/// One week of a projection.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectionPoint {
    /// Weeks from the start (0 = today).
    pub week: u32,
    /// Weight by the 3500 kcal/lb rule, kg: a rough early estimate.
    pub static_kg: f64,
    /// Weight by the dynamic model, kg.
    pub dynamic_kg: f64,
}

/// Weight over the coming weeks under a sustained intake change, by both models.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Projection {
    /// Starting weight, kg.
    pub start_kg: f64,
    /// Intake change from today's maintenance, kcal/day (negative for a deficit).
    pub daily_change_kcal: f64,
    /// The static model's label, to be shown with it.
    pub static_label: &'static str,
    /// The dynamic model's time constant, days.
    pub time_constant_days: f64,
    /// Where the dynamic model settles, kg from the start (ΔEI / 24 kcal per kg).
    pub eventual_change_kg: f64,
    /// Week 0 to the last week, inclusive.
    pub points: Vec<ProjectionPoint>,
}

impl Projection {
    /// Shortest projection, weeks (6 months).
    pub const MIN_WEEKS: u32 = 26;
    /// Longest projection, weeks (12 months).
    pub const MAX_WEEKS: u32 = 52;
    /// Largest intake change accepted, kcal/day either way.
    pub const MAX_CHANGE_KCAL: f64 = 3000.0;

    /// Projects `weeks` (26–52) ahead from `start` under `daily_change_kcal`: typically the mean
    /// planned change of a week of targets, which the floors may have made smaller than the goal.
    pub fn new(
        start: Weight,
        daily_change_kcal: f64,
        weeks: u32,
    ) -> Result<Projection, EnergyError> {
        if !(Self::MIN_WEEKS..=Self::MAX_WEEKS).contains(&weeks) {
            return Err(EnergyError::OutOfRange {
                field: "projection length",
                value: f64::from(weeks),
                min: f64::from(Self::MIN_WEEKS),
                max: f64::from(Self::MAX_WEEKS),
                unit: "weeks",
            });
        }
        let max = Self::MAX_CHANGE_KCAL;
        if !(daily_change_kcal.is_finite() && daily_change_kcal.abs() <= max) {
            return Err(EnergyError::OutOfRange {
                field: "daily intake change",
                value: daily_change_kcal,
                min: -max,
                max,
                unit: "kcal/day",
            });
        }
        let t = tables();
        let kcal_per_kg = t.kcal_per_lb.value / KG_PER_LB;
        let start_kg = start.kg();
        let days = vec![daily_change_kcal; weeks as usize * 7];
        let dynamic = hall_trajectory(start_kg, &days);
        let points = (0..=weeks)
            .map(|week| ProjectionPoint {
                week,
                static_kg: start_kg + daily_change_kcal * 7.0 * f64::from(week) / kcal_per_kg,
                dynamic_kg: match week {
                    0 => start_kg,
                    w => dynamic[w as usize * 7 - 1],
                },
            })
            .collect();
        Ok(Projection {
            start_kg,
            daily_change_kcal,
            static_label: "rough early estimate (3500 kcal/lb rule)",
            time_constant_days: hall_time_constant_days(),
            eventual_change_kg: daily_change_kcal / t.hall_kcal_per_day_per_kg.value,
            points,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_constant_is_the_geometric_mean_of_the_anchors() {
        // 365 / 0.693147 = 526.58; 1095 / 2.995732 = 365.52; √(526.58 × 365.52) = 438.72.
        assert!((hall_time_constant_days() - 438.72).abs() < 0.05);
    }

    #[test]
    fn hall_worked_example_24_kcal_a_day() {
        // +24 kcal/day for 20 years settles at +1 kg (steady state 24/24).
        let w = hall_trajectory(70.0, &vec![24.0; 20 * 365]);
        assert!((w.last().unwrap() - 71.0).abs() < 1e-6);
        // About half within a year: 1 − e^(−365/438.72) = 0.565.
        let one_year = w[364] - 70.0;
        assert!((one_year - 0.565).abs() < 0.005, "{one_year}");
        assert!((0.4..0.65).contains(&one_year), "about half");
        // Most of it within about 3 years: 1 − e^(−1095/438.72) = 0.918 (≈95 % by the rule).
        let three = w[3 * 365 - 1] - 70.0;
        assert!((three - 0.918).abs() < 0.005 && three > 0.85, "{three}");
        // The direction flips with the sign: −24 kcal/day loses the same.
        let down = hall_trajectory(70.0, &vec![-24.0; 365]);
        assert!((down[364] - (70.0 - one_year)).abs() < 1e-9);
    }

    #[test]
    fn static_rule_arithmetic() {
        // −500 kcal/day = −3500 kcal/week = −1 lb/week; 26 weeks = 26 lb = 11.79340162 kg.
        let p = Projection::new(Weight::from_kg(80.0).unwrap(), -500.0, 26).unwrap();
        assert_eq!(p.points.len(), 27);
        assert_eq!(p.points[0].static_kg, 80.0);
        assert!((p.points[1].static_kg - (80.0 - 0.453_592_37)).abs() < 1e-9);
        assert!((p.points[26].static_kg - (80.0 - 11.793_401_62)).abs() < 1e-9);
        assert!(p.static_label.contains("rough early estimate"));
    }

    #[test]
    fn static_rule_overpredicts_long_term_loss() {
        // −500 kcal/day: eventual −500/24 = −20.83 kg. After a year the dynamic model has
        // 0.565 × 20.83 = 11.8 kg; the static rule says 52 lb = 23.6 kg (§5.4: it overpredicts).
        let p = Projection::new(Weight::from_kg(80.0).unwrap(), -500.0, 52).unwrap();
        let last = p.points[52];
        assert!((p.eventual_change_kg + 20.833).abs() < 1e-3);
        assert!((80.0 - last.dynamic_kg - 11.76).abs() < 0.1, "{last:?}");
        assert!((80.0 - last.static_kg - 23.587).abs() < 0.01);
        // In week 1 the first-order model starts slower than the static rule: its implied energy
        // density is ε·τ = 24 × 438.72 = 10 529 kcal/kg against 7716, so the first week's loss
        // is about 7716 / 10 529 = 0.73 of the static rule's (see the module docs).
        let w1 = p.points[1];
        let ratio = (80.0 - w1.dynamic_kg) / (80.0 - w1.static_kg);
        assert!((ratio - 0.727).abs() < 0.01, "{ratio}");
        // Weekly points are monotone toward the steady state.
        assert!(
            p.points
                .windows(2)
                .all(|w| w[1].dynamic_kg < w[0].dynamic_kg)
        );
    }

    #[test]
    fn rejects_bad_lengths_and_changes() {
        let w = Weight::from_kg(70.0).unwrap();
        let e = Projection::new(w, 0.0, 12).unwrap_err().to_string();
        assert!(
            e.contains("projection length") && e.contains("26") && e.contains("52"),
            "{e}"
        );
        assert!(Projection::new(w, f64::NAN, 26).is_err());
        assert!(Projection::new(w, -4000.0, 26).is_err());
        let flat = Projection::new(w, 0.0, 52).unwrap();
        assert!(
            flat.points
                .iter()
                .all(|p| p.static_kg == 70.0 && p.dynamic_kg == 70.0)
        );
    }
}
