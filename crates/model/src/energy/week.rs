//! One week of energy: logged intake against running, walking and daily-life energy, the
//! balance, estimated energy availability and the weight trend.

use super::EnergyError;
use super::body::Weight;
use super::goal::GoalPlan;
use super::running::activity_energy;
use super::tables::tables;
use super::target::energy_availability;
use super::warning::Warning;
use crate::activity::Activity;
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// Food eaten on a day, kcal. Several entries on one day add up.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntakeEntry {
    /// The day.
    pub date: NaiveDate,
    /// Energy eaten, kcal (0–20 000).
    pub kcal: f64,
}

impl IntakeEntry {
    /// Validates an intake entry.
    pub fn new(date: NaiveDate, kcal: f64) -> Result<IntakeEntry, EnergyError> {
        if kcal.is_finite() && (0.0..=20_000.0).contains(&kcal) {
            Ok(IntakeEntry { date, kcal })
        } else {
            Err(EnergyError::OutOfRange {
                field: "intake",
                value: kcal,
                min: 0.0,
                max: 20_000.0,
                unit: "kcal",
            })
        }
    }
}

/// A weighing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeightEntry {
    /// The day.
    pub date: NaiveDate,
    /// The weight.
    pub weight: Weight,
}

/// One day of the week, kcal unless named otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnergyDay {
    /// The day.
    pub date: NaiveDate,
    /// Logged intake, when any was logged.
    pub intake_kcal: Option<f64>,
    /// Net energy of runs.
    pub running_kcal: f64,
    /// Net energy of walks and hikes.
    pub walking_kcal: f64,
    /// Daily life outside logged exercise (REE × factor).
    pub daily_life_kcal: f64,
    /// Total estimated expenditure: daily life + running + walking.
    pub expenditure_kcal: f64,
    /// The day's target under the goal.
    pub target_kcal: f64,
    /// The day's floor.
    pub floor_kcal: f64,
    /// Whether the floor raised the target above maintenance + goal.
    pub held_at_floor: bool,
    /// Intake − expenditure, when intake was logged.
    pub balance_kcal: Option<f64>,
    /// (Intake − exercise) / fat-free mass, kcal/kg FFM, when intake was logged.
    pub energy_availability: Option<f64>,
}

/// A week's energy summary: the document behind `soleus energy week --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnergyWeek {
    /// First day.
    pub start: NaiveDate,
    /// Last day (start + 6).
    pub end: NaiveDate,
    /// The goal, as typed (`lose-0.5lb`).
    pub goal: String,
    /// Seven days.
    pub days: Vec<EnergyDay>,
    /// Days with intake logged.
    pub days_logged: usize,
    /// Logged intake over the week.
    pub intake_kcal: f64,
    /// Running energy over the week.
    pub running_kcal: f64,
    /// Walking energy over the week.
    pub walking_kcal: f64,
    /// Daily-life energy over the week.
    pub daily_life_kcal: f64,
    /// Intake − expenditure over the logged days only.
    pub balance_kcal: Option<f64>,
    /// Mean energy availability over the logged days, kcal/kg FFM/day.
    pub mean_energy_availability: Option<f64>,
    /// Fat-free mass used, kg.
    pub fat_free_mass_kg: f64,
    /// Whether fat-free mass rests on the default body fat rather than a measurement.
    pub body_fat_assumed: bool,
    /// Mean planned intake change a day (target − maintenance), for projections.
    pub planned_change_kcal_per_day: f64,
    /// Latest weighing up to the week's end, kg.
    pub weight_kg: Option<f64>,
    /// Least-squares weight slope over the 28 days to the week's end, kg/week; needs weighings
    /// on two days at least 7 days apart.
    pub weight_trend_kg_per_week: Option<f64>,
    /// The goal's warnings plus the week's own.
    pub warnings: Vec<Warning>,
}

/// Days of weighings the trend looks back over.
pub const TREND_WINDOW_DAYS: u64 = 28;

impl EnergyWeek {
    /// Summarises the week starting `start` from the logs and activities (others are ignored).
    pub fn build(
        plan: &GoalPlan,
        start: NaiveDate,
        intake: &[IntakeEntry],
        weights: &[WeightEntry],
        activities: &[Activity],
    ) -> EnergyWeek {
        let p = &plan.profile;
        let ffm = p.fat_free_mass_kg();
        let sessions: Vec<_> = activities
            .iter()
            .filter_map(|a| activity_energy(a, p.weight))
            .collect();
        let days: Vec<EnergyDay> = (0..7)
            .map(|i| start + Days::new(i))
            .map(|date| {
                let today = || sessions.iter().filter(move |s| s.date == date);
                // `0.0 +`: an empty f64 sum is −0.0, which would print as "-0".
                let running_kcal: f64 = 0.0
                    + today()
                        .filter(|s| s.sport.is_running())
                        .map(|s| s.kcal)
                        .sum::<f64>();
                let walking_kcal: f64 = 0.0
                    + today()
                        .filter(|s| !s.sport.is_running())
                        .map(|s| s.kcal)
                        .sum::<f64>();
                let exercise = running_kcal + walking_kcal;
                let target = plan.daily_target_for(exercise);
                let logged: Vec<f64> = intake
                    .iter()
                    .filter(|e| e.date == date)
                    .map(|e| e.kcal)
                    .collect();
                let intake_kcal = (!logged.is_empty()).then(|| logged.iter().sum::<f64>());
                EnergyDay {
                    date,
                    intake_kcal,
                    running_kcal,
                    walking_kcal,
                    daily_life_kcal: target.daily_life_kcal,
                    expenditure_kcal: target.maintenance_kcal,
                    target_kcal: target.target_kcal,
                    floor_kcal: target.floor_kcal,
                    held_at_floor: target.held_at_floor,
                    balance_kcal: intake_kcal.map(|i| i - target.maintenance_kcal),
                    energy_availability: intake_kcal.map(|i| energy_availability(i, exercise, ffm)),
                }
            })
            .collect();
        let end = start + Days::new(6);
        let logged: Vec<&EnergyDay> = days.iter().filter(|d| d.intake_kcal.is_some()).collect();
        let sum = |f: fn(&EnergyDay) -> f64| 0.0 + days.iter().map(f).sum::<f64>();
        let mean_ea = (!logged.is_empty()).then(|| {
            logged
                .iter()
                .filter_map(|d| d.energy_availability)
                .sum::<f64>()
                / logged.len() as f64
        });
        let planned: f64 = days
            .iter()
            .map(|d| d.target_kcal - d.expenditure_kcal)
            .sum::<f64>()
            / 7.0;

        let mut warnings = plan.warnings.clone();
        let held = days.iter().filter(|d| d.held_at_floor).count();
        if held > 0 {
            warnings.push(Warning::held_at_floor(held));
        }
        if let Some(ea) = mean_ea.filter(|ea| *ea < tables().ea_low.value) {
            warnings.push(Warning::low_energy_availability(ea));
        }
        let (weight_kg, weight_trend_kg_per_week) = weight_trend(weights, end);
        EnergyWeek {
            start,
            end,
            goal: plan.goal.to_string(),
            days_logged: logged.len(),
            intake_kcal: logged.iter().filter_map(|d| d.intake_kcal).sum(),
            running_kcal: sum(|d| d.running_kcal),
            walking_kcal: sum(|d| d.walking_kcal),
            daily_life_kcal: sum(|d| d.daily_life_kcal),
            balance_kcal: (!logged.is_empty())
                .then(|| logged.iter().filter_map(|d| d.balance_kcal).sum()),
            mean_energy_availability: mean_ea,
            fat_free_mass_kg: ffm,
            body_fat_assumed: p.body_fat_assumed(),
            planned_change_kcal_per_day: planned,
            weight_kg,
            weight_trend_kg_per_week,
            warnings,
            days,
        }
    }
}

/// The latest weight up to `end`, and the least-squares slope (kg/week) of the weighings in the
/// window ending at `end`.
fn weight_trend(weights: &[WeightEntry], end: NaiveDate) -> (Option<f64>, Option<f64>) {
    let latest = weights
        .iter()
        .filter(|w| w.date <= end)
        .max_by_key(|w| w.date)
        .map(|w| w.weight.kg());
    let from = end - Days::new(TREND_WINDOW_DAYS - 1);
    let pts: Vec<(f64, f64)> = weights
        .iter()
        .filter(|w| w.date >= from && w.date <= end)
        .map(|w| ((w.date - from).num_days() as f64, w.weight.kg()))
        .collect();
    let (lo, hi) = pts.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| {
        (lo.min(*x), hi.max(*x))
    });
    if pts.len() < 2 || hi - lo < 7.0 {
        return (latest, None);
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pts.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = pts.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    (latest, Some(sxy / sxx * 7.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::Sport;
    use crate::energy::goal::GoalRate;
    use crate::energy::profile::tests::woman;
    use chrono::{TimeZone, Utc};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn session(sport: Sport, m: u32, day: u32, km: f64) -> Activity {
        let mut a = Activity::new(sport, Utc.with_ymd_and_hms(2026, m, day, 7, 0, 0).unwrap());
        a.distance_m = Some(km * 1000.0);
        a
    }

    fn plan(goal: &str) -> GoalPlan {
        GoalPlan::new(&woman(), GoalRate::parse(goal).unwrap()).unwrap()
    }

    fn activities() -> Vec<Activity> {
        vec![
            session(Sport::Run, 5, 4, 10.0),  // Monday: 60 kg × 10 km = 600 kcal
            session(Sport::Walk, 5, 6, 4.0),  // Wednesday: 60 × 0.5 × 4 = 120 kcal
            session(Sport::Ride, 5, 6, 30.0), // no cost formula: ignored
            session(Sport::Run, 5, 11, 20.0), // the following week: ignored
        ]
    }

    #[test]
    fn a_week_by_hand() {
        let intake = [
            IntakeEntry::new(d(5, 4), 2000.0).unwrap(),
            IntakeEntry::new(d(5, 4), 400.0).unwrap(),
            IntakeEntry::new(d(5, 5), 1800.0).unwrap(),
        ];
        let w = EnergyWeek::build(&plan("lose-0.5lb"), d(5, 4), &intake, &[], &activities());
        assert_eq!((w.start, w.end, w.days.len()), (d(5, 4), d(5, 10), 7));
        assert_eq!(w.goal, "lose-0.5lb");
        let mon = &w.days[0];
        // Daily life 1716.325 + 600 run = 2316.325; balance 2400 − 2316.325 = 83.675.
        assert_eq!(mon.intake_kcal, Some(2400.0));
        assert!((mon.expenditure_kcal - 2316.325).abs() < 1e-9);
        assert!((mon.balance_kcal.unwrap() - 83.675).abs() < 1e-9);
        // EA = (2400 − 600) / 48 kg FFM = 37.5.
        assert!((mon.energy_availability.unwrap() - 37.5).abs() < 1e-9);
        // Target 2316.325 − 250 = 2066.325, above the floor 30 × 48 + 600 = 2040.
        assert!((mon.target_kcal - 2066.325).abs() < 1e-6 && !mon.held_at_floor);
        // Tuesday: EA = 1800 / 48 = 37.5; Wednesday: walking only, no intake logged.
        assert!((w.days[1].energy_availability.unwrap() - 37.5).abs() < 1e-9);
        assert_eq!(
            (w.days[2].walking_kcal, w.days[2].intake_kcal),
            (120.0, None)
        );
        assert_eq!((w.days_logged, w.intake_kcal), (2, 4200.0));
        assert_eq!((w.running_kcal, w.walking_kcal), (600.0, 120.0));
        assert!((w.daily_life_kcal - 7.0 * 1716.325).abs() < 1e-6);
        assert!((w.balance_kcal.unwrap() - 167.35).abs() < 1e-6);
        assert!((w.mean_energy_availability.unwrap() - 37.5).abs() < 1e-9);
        assert!((w.planned_change_kcal_per_day + 250.0).abs() < 1e-6);
        assert!(
            w.body_fat_assumed && w.warnings.is_empty(),
            "{:?}",
            w.warnings
        );
        let json = serde_json::to_value(&w).unwrap();
        assert_eq!(json["days"][0]["energy_availability"], 37.5);
        assert!(json["weight_trend_kg_per_week"].is_null());
    }

    #[test]
    fn floors_shrink_the_deficit_and_low_ea_warns() {
        // lose-1lb (−500): rest day 1716.325 − 500 = 1216.325 < floor 1440, so every day is held
        // at 30 × FFM + exercise and the planned change is 1440 − 1716.325 = −276.325 a day.
        let intake = [IntakeEntry::new(d(5, 4), 1500.0).unwrap()];
        let w = EnergyWeek::build(&plan("lose-1lb"), d(5, 4), &intake, &[], &activities());
        assert!(w.days.iter().all(|d| d.held_at_floor));
        assert!((w.planned_change_kcal_per_day + 276.325).abs() < 1e-6);
        // EA on Monday: (1500 − 600) / 48 = 18.75, below 30.
        assert!((w.mean_energy_availability.unwrap() - 18.75).abs() < 1e-9);
        let codes: Vec<_> = w.warnings.iter().map(|w| w.code).collect();
        assert_eq!(
            codes,
            [
                "LOSS_ABOVE_PREFERRED",
                "HELD_AT_FLOOR",
                "LOW_ENERGY_AVAILABILITY"
            ]
        );
        assert!(w.warnings[1].message.contains("7 days"));
        assert!(w.warnings[2].message.contains("CONTESTED"));
    }

    #[test]
    fn weight_trend_is_a_least_squares_slope() {
        let kg = |x| Weight::from_kg(x).unwrap();
        let weights = [
            WeightEntry {
                date: d(3, 1),
                weight: kg(70.0),
            }, // outside the 28-day window
            WeightEntry {
                date: d(4, 19),
                weight: kg(60.0),
            },
            WeightEntry {
                date: d(4, 26),
                weight: kg(59.8),
            },
            WeightEntry {
                date: d(5, 3),
                weight: kg(59.6),
            },
            WeightEntry {
                date: d(5, 10),
                weight: kg(59.4),
            },
            WeightEntry {
                date: d(5, 20),
                weight: kg(50.0),
            }, // after the week
        ];
        // Window 2026-04-13..=05-10; four weighings a week apart falling 0.2 kg each week.
        let (latest, trend) = weight_trend(&weights, d(5, 10));
        assert_eq!(latest, Some(59.4));
        assert!((trend.unwrap() + 0.2).abs() < 1e-9, "{trend:?}");
        // One weighing, or two only 3 days apart, give no trend.
        assert_eq!(weight_trend(&weights[4..5], d(5, 10)).1, None);
        let close = [
            weights[3],
            WeightEntry {
                date: d(5, 6),
                weight: kg(59.0),
            },
        ];
        assert_eq!(weight_trend(&close, d(5, 10)), (Some(59.0), None));
        assert!(IntakeEntry::new(d(5, 4), -1.0).is_err());
        assert!(IntakeEntry::new(d(5, 4), f64::NAN).is_err());
    }
}
