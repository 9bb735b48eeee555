//! The energy cost of runs and walks, from distance and ascent (clinical.md §5.3).
//!
//! Derivation of the grade term. The ACSM running equation is
//! VO₂ = 0.2·S + 0.9·S·G + 3.5 mL·kg⁻¹·min⁻¹, with S in m/min and G the fractional grade \[ACSM\].
//! The 3.5 is resting oxygen, already counted in resting energy. The 0.2·S term is 0.2 mL per kg
//! per metre travelled: 200 mL = 0.2 L per kg per km, and at ≈5 kcal per litre of O₂ that is the
//! 1 kcal·kg⁻¹·km⁻¹ of the flat rule \[Margaria63\]. The 0.9·S·G term is 0.9 mL per kg per metre
//! *climbed* (S·G is vertical speed), so each metre of ascent costs 0.9 × 5 / 1000 = 0.0045 kcal
//! per kg: 4.5 kcal per kg per 1000 m of climbing. Descent earns no credit: the ACSM equation is
//! for level and uphill running only, so counting descent as free keeps the estimate modest.

use super::body::Weight;
use super::tables::tables;
use crate::activity::{Activity, Sport};
use chrono::NaiveDate;
use serde::Serialize;

/// The energy of one logged session, for targets and the weekly balance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExerciseEnergy {
    /// Local calendar day of the start (UTC day when the offset is unknown).
    pub date: NaiveDate,
    /// The sport.
    pub sport: Sport,
    /// Distance, km.
    pub distance_km: f64,
    /// Ascent counted, m (0 for walks; see [`kcal_per_kg`]).
    pub ascent_m: f64,
    /// Net energy above rest, kcal.
    pub kcal: f64,
}

/// Net cost per kg of body weight, in kcal, for `distance_m` metres with `ascent_m` metres of
/// climbing: 1 kcal/kg/km plus the ACSM grade term (module docs). Negative or non-finite inputs
/// count as zero, since they come from untrusted files.
pub fn kcal_per_kg(distance_m: f64, ascent_m: f64) -> f64 {
    let t = tables();
    let km = clean(distance_m) / 1000.0;
    let climb_litres_per_kg = t.acsm_grade_ml_per_kg_m.value * clean(ascent_m) / 1000.0;
    t.run_kcal_per_kg_km.value * km + climb_litres_per_kg * t.kcal_per_litre_o2.value
}

/// Net energy in kcal of a run of `distance_m` with `ascent_m` of climbing, for this weight.
pub fn run_kcal(weight: Weight, distance_m: f64, ascent_m: f64) -> f64 {
    weight.kg() * kcal_per_kg(distance_m, ascent_m)
}

fn clean(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 { x } else { 0.0 }
}

/// The energy of a logged activity: runs by [`run_kcal`]; walks and hikes at about half the flat
/// running cost \[Margaria63\] (no grade term, as §5.3 gives none for walking). Rides, swims and
/// other sports have no cost formula in the knowledge base and return `None`, as do sessions
/// without a distance.
pub fn activity_energy(activity: &Activity, weight: Weight) -> Option<ExerciseEnergy> {
    let distance_m = clean(activity.distance_m?);
    if distance_m == 0.0 {
        return None;
    }
    let t = tables();
    let (ascent_m, kcal) = if activity.sport.is_running() {
        let ascent = clean(activity.ascent_m.unwrap_or(0.0));
        (ascent, run_kcal(weight, distance_m, ascent))
    } else if activity.sport.is_on_foot() {
        let kcal = weight.kg() * t.walk_kcal_per_kg_km.value * distance_m / 1000.0;
        (0.0, kcal)
    } else {
        return None;
    };
    let date = activity
        .local_start()
        .map(|d| d.date_naive())
        .unwrap_or_else(|| activity.start.date_naive());
    Some(ExerciseEnergy {
        date,
        sport: activity.sport,
        distance_km: distance_m / 1000.0,
        ascent_m,
        kcal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn w(kg: f64) -> Weight {
        Weight::from_kg(kg).unwrap()
    }

    #[test]
    fn flat_run_costs_one_kcal_per_kg_per_km() {
        // 60 kg × 10 km × 1 kcal/kg/km = 600 kcal.
        assert!((run_kcal(w(60.0), 10_000.0, 0.0) - 600.0).abs() < 1e-9);
    }

    #[test]
    fn climbing_adds_the_acsm_grade_term() {
        // 200 m climbed: 0.9 mL/kg/m × 200 m = 180 mL/kg = 0.18 L/kg; × 5 kcal/L = 0.9 kcal/kg;
        // × 60 kg = 54 kcal on top of the 600 flat.
        assert!((run_kcal(w(60.0), 10_000.0, 200.0) - 654.0).abs() < 1e-9);
        // Independent route through the ACSM equation itself: 10 km at 200 m/min on a steady
        // 2 % grade (200 m climbed). Net VO₂ = 0.2·200 + 0.9·200·0.02 = 43.6 mL/kg/min for 50 min
        // = 2180 mL/kg = 2.18 L/kg → 10.9 kcal/kg → 654 kcal at 60 kg.
        let s = 200.0;
        let net_vo2 = 0.2 * s + 0.9 * s * 0.02;
        let kcal = net_vo2 * 50.0 / 1000.0 * 5.0 * 60.0;
        assert!((run_kcal(w(60.0), 10_000.0, 200.0) - kcal).abs() < 1e-9);
    }

    #[test]
    fn bad_numbers_count_as_zero() {
        assert_eq!(kcal_per_kg(f64::NAN, -5.0), 0.0);
        assert_eq!(kcal_per_kg(1000.0, f64::INFINITY), 1.0);
    }

    #[test]
    fn activities_by_sport() {
        let start = Utc.with_ymd_and_hms(2026, 5, 1, 23, 30, 0).unwrap();
        let mut run = Activity::new(Sport::TrailRun, start);
        run.distance_m = Some(8_000.0);
        run.ascent_m = Some(400.0);
        run.utc_offset_s = Some(2 * 3600);
        let e = activity_energy(&run, w(70.0)).unwrap();
        // 70 × (8 + 0.0045 × 400) = 70 × 9.8 = 686 kcal.
        assert!((e.kcal - 686.0).abs() < 1e-9);
        // 23:30 UTC at +02:00 is 01:30 the next local day.
        assert_eq!(e.date, NaiveDate::from_ymd_opt(2026, 5, 2).unwrap());

        let mut walk = Activity::new(Sport::Walk, start);
        walk.distance_m = Some(4_000.0);
        walk.ascent_m = Some(100.0);
        // 70 kg × 0.5 kcal/kg/km × 4 km = 140 kcal; ascent ignored for walks.
        let e = activity_energy(&walk, w(70.0)).unwrap();
        assert!((e.kcal - 140.0).abs() < 1e-9);
        assert_eq!(e.date, NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());

        let mut ride = Activity::new(Sport::Ride, start);
        ride.distance_m = Some(40_000.0);
        assert!(activity_energy(&ride, w(70.0)).is_none());
        let no_distance = Activity::new(Sport::Run, start);
        assert!(activity_energy(&no_distance, w(70.0)).is_none());
    }
}
