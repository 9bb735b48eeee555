//! Daily calorie targets: maintenance for the day's training plus the goal, never below the
//! floors of clinical.md §5.4.

use super::goal::GoalPlan;
use super::profile::Profile;
use super::running::ExerciseEnergy;
use super::tables::tables;
use serde::Serialize;

/// Which floor set the day's minimum intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FloorBasis {
    /// The fixed minimum without supervision: 1200 kcal women, 1500 men \[Jensen13\].
    Fixed,
    /// 30 kcal per kg fat-free mass plus the day's exercise energy (§5.4–5.5).
    EnergyAvailability,
}

/// One day's calorie target and how it was reached, all in kcal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayTarget {
    /// Resting energy (Mifflin–St Jeor).
    pub ree_kcal: f64,
    /// Daily life outside logged exercise: REE × activity factor.
    pub daily_life_kcal: f64,
    /// Net energy of the day's logged runs and walks.
    pub exercise_kcal: f64,
    /// Energy to keep weight steady today: daily life + exercise.
    pub maintenance_kcal: f64,
    /// The goal's change from maintenance (negative for loss).
    pub goal_change_kcal: f64,
    /// The lowest intake allowed today.
    pub floor_kcal: f64,
    /// Which floor that is.
    pub floor_basis: FloorBasis,
    /// What to eat today: maintenance + goal change, raised to the floor if below it.
    pub target_kcal: f64,
    /// Whether the floor raised the target.
    pub held_at_floor: bool,
}

impl DayTarget {
    /// The intake change actually planned today (target − maintenance), which is smaller than the
    /// goal's on days held at the floor.
    pub fn planned_change_kcal(&self) -> f64 {
        self.target_kcal - self.maintenance_kcal
    }
}

/// The day's floor: the higher of the fixed minimum and 30 × FFM + exercise energy.
pub(crate) fn floor(profile: &Profile, exercise_kcal: f64) -> (f64, FloorBasis) {
    let fixed = profile.fixed_floor_kcal();
    let ea = tables().ea_low.value * profile.fat_free_mass_kg() + exercise_kcal;
    if ea > fixed {
        (ea, FloorBasis::EnergyAvailability)
    } else {
        (fixed, FloorBasis::Fixed)
    }
}

/// Energy availability in kcal per kg fat-free mass per day: (intake − exercise) / FFM \[§5.5\].
pub fn energy_availability(intake_kcal: f64, exercise_kcal: f64, ffm_kg: f64) -> f64 {
    (intake_kcal - exercise_kcal) / ffm_kg
}

impl GoalPlan {
    /// The target for a day with these logged sessions (empty for a rest day).
    pub fn daily_target(&self, sessions: &[ExerciseEnergy]) -> DayTarget {
        self.daily_target_for(sessions.iter().map(|s| s.kcal).sum())
    }

    /// The target for a day with `exercise_kcal` of net exercise energy.
    pub fn daily_target_for(&self, exercise_kcal: f64) -> DayTarget {
        let exercise_kcal = if exercise_kcal.is_finite() {
            exercise_kcal.max(0.0)
        } else {
            0.0
        };
        let p = &self.profile;
        let ree_kcal = p.ree_kcal();
        let daily_life_kcal = p.daily_life_kcal();
        let maintenance_kcal = daily_life_kcal + exercise_kcal;
        let goal_change_kcal = self.goal.daily_change_kcal();
        let (floor_kcal, floor_basis) = floor(p, exercise_kcal);
        let wanted = maintenance_kcal + goal_change_kcal;
        let held_at_floor = wanted < floor_kcal;
        DayTarget {
            ree_kcal,
            daily_life_kcal,
            exercise_kcal,
            maintenance_kcal,
            goal_change_kcal,
            floor_kcal,
            floor_basis,
            target_kcal: wanted.max(floor_kcal),
            held_at_floor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::energy::body::{BodyFat, Weight};
    use crate::energy::goal::GoalRate;
    use crate::energy::profile::tests::{man, woman};

    fn plan(p: &Profile, goal: &str) -> GoalPlan {
        GoalPlan::new(p, GoalRate::parse(goal).unwrap()).unwrap()
    }

    #[test]
    fn maintain_on_a_rest_day_and_a_run_day() {
        let p = plan(&woman(), "maintain");
        // Rest day: 1320.25 × 1.3 = 1716.325 kcal.
        let rest = p.daily_target(&[]);
        assert!((rest.target_kcal - 1716.325).abs() < 1e-9);
        assert!(!rest.held_at_floor);
        // 10 km flat at 60 kg adds 600 kcal → 2316.325.
        let run = p.daily_target_for(600.0);
        assert!((run.target_kcal - 2316.325).abs() < 1e-9);
        assert_eq!(run.planned_change_kcal(), 0.0);
    }

    #[test]
    fn a_deficit_within_the_floor_is_applied() {
        // Man, lose-1lb: 2308.25 + 600 − 500 = 2408.25. Floor: 30 × 59.5 + 600 = 2385
        // (above the fixed 1500), so 2408.25 stands.
        let t = plan(&man(), "lose-1lb").daily_target_for(600.0);
        assert!((t.floor_kcal - 2385.0).abs() < 1e-9);
        assert_eq!(t.floor_basis, FloorBasis::EnergyAvailability);
        assert!((t.target_kcal - 2408.25).abs() < 1e-9);
        assert!(!t.held_at_floor);
    }

    #[test]
    fn the_energy_availability_floor_binds_on_a_long_run_day() {
        // Woman, lose-0.5lb (−250/day), 20 km run = 1200 kcal: wanted 1716.325 + 1200 − 250
        // = 2666.325; floor 30 × 48 + 1200 = 2640 → wanted stands, 26 kcal above the floor.
        let p = plan(&woman(), "lose-0.5lb");
        let t = p.daily_target_for(1200.0);
        assert!((t.target_kcal - 2666.325).abs() < 1e-6);
        // A lean (12 % body fat) woman: FFM 52.8 kg → floor 1584 + 1200 = 2784 > 2666.325.
        let mut lean = woman();
        lean.body_fat = Some(BodyFat::from_pct(12.0).unwrap());
        let t = plan(&lean, "lose-0.5lb").daily_target_for(1200.0);
        assert!((t.target_kcal - 2784.0).abs() < 1e-9);
        assert!(t.held_at_floor && t.floor_basis == FloorBasis::EnergyAvailability);
        assert!((t.planned_change_kcal() - (2784.0 - 2916.325)).abs() < 1e-6);
    }

    #[test]
    fn the_fixed_floor_binds_for_a_small_sedentary_woman() {
        // 45 kg, 150 cm, 60 y, factor 1.2, measured 35 % body fat:
        // REE = 450 + 937.5 − 300 − 161 = 926.5; × 1.2 = 1111.8. lose-0.5lb → 861.8.
        // Floors: fixed 1200; 30 × 45 × 0.65 = 877.5. The fixed one wins.
        let mut p = woman();
        p.weight = Weight::from_kg(45.0).unwrap();
        p.height = crate::energy::Height::from_cm(150.0).unwrap();
        p.age = crate::energy::Age::new(60).unwrap();
        p.activity = crate::energy::ActivityFactor::new(1.2).unwrap();
        p.body_fat = Some(BodyFat::from_pct(35.0).unwrap());
        let t = plan(&p, "lose-0.5lb").daily_target(&[]);
        assert!((t.maintenance_kcal - 1111.8).abs() < 1e-9);
        assert_eq!((t.target_kcal, t.floor_basis), (1200.0, FloorBasis::Fixed));
        assert!(t.held_at_floor);
        // Even maintenance is below the floor here: the target is still the floor.
        assert_eq!(plan(&p, "maintain").daily_target(&[]).target_kcal, 1200.0);
    }

    #[test]
    fn energy_availability_by_hand() {
        // (2000 − 600) / 48 = 29.1667
        assert!((energy_availability(2000.0, 600.0, 48.0) - 29.166_666).abs() < 1e-5);
    }

    #[test]
    fn bad_exercise_numbers_count_as_none() {
        let p = plan(&woman(), "maintain");
        assert_eq!(p.daily_target_for(f64::NAN), p.daily_target(&[]));
        assert_eq!(p.daily_target_for(-50.0).exercise_kcal, 0.0);
    }
}
