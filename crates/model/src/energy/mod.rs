//! Energy: resting energy, running cost, calorie goals with safety floors, energy availability
//! and weight projections (knowledge/clinical.md §5).
//!
//! Under-fuelling is a leading cause of the bone-stress injuries Soleus is about, so every goal
//! passes through safety checks: intake targets never go below the floors, loss goals faster than
//! the safe rate are refused with an explanation, and a deficit with a bone-stress or
//! missed-period history raises the low-energy-availability (REDs) warning.
//!
//! ```
//! use soleus_model::energy::{
//!     ActivityFactor, Age, GoalPlan, GoalRate, Height, History, Profile, Sex, Weight,
//! };
//!
//! let profile = Profile {
//!     sex: Sex::Female,
//!     age: Age::new(30).unwrap(),
//!     height: Height::from_ft_in(5, 5.0).unwrap(),
//!     weight: Weight::from_lb(132.0).unwrap(),
//!     body_fat: None,
//!     activity: ActivityFactor::parse("low").unwrap(),
//!     history: History::default(),
//! };
//! let plan = GoalPlan::new(&profile, GoalRate::parse("lose-0.5lb").unwrap()).unwrap();
//! let rest_day = plan.daily_target(&[]);
//! let ten_km_kcal = soleus_model::energy::run_kcal(profile.weight, 10_000.0, 0.0);
//! let ten_k = plan.daily_target_for(ten_km_kcal);
//! assert!(ten_k.target_kcal > rest_day.target_kcal);
//! assert!(rest_day.target_kcal >= rest_day.floor_kcal);
//! ```
//!
//! Numbers and their references live in `data/energy.toml`; see [`tables`].
//!
//! The pieces, in the order a goal flows through them:
//! - validated inputs ([`Height`], [`Weight`], [`Age`], [`Sex`], [`BodyFat`], [`ActivityFactor`])
//!   and the [`Profile`] with resting energy by [`mifflin_st_jeor`];
//! - session energy from distance and climb ([`run_kcal`], [`activity_energy`]);
//! - the goal ([`GoalRate`]) checked into a [`GoalPlan`], which refuses unsafe loss;
//! - per-day targets with floors ([`DayTarget`]), the week's summary ([`EnergyWeek`]);
//! - projections by both models ([`Projection`]), as a table or a terminal chart.

mod body;
mod goal;
mod profile;
mod projection;
mod render;
mod running;
pub mod tables;
mod target;
mod warning;
mod week;

pub use body::{ActivityFactor, Age, BodyFat, CM_PER_INCH, Height, KG_PER_LB, Sex, Weight};
pub use goal::{GoalPlan, GoalRate, RateUnit};
pub use profile::{History, Profile, mifflin_st_jeor};
pub use projection::{Projection, ProjectionPoint, hall_time_constant_days, hall_trajectory};
pub use render::WeightUnit;
pub use running::{ExerciseEnergy, activity_energy, kcal_per_kg, run_kcal};
pub use target::{DayTarget, FloorBasis, energy_availability};
pub use warning::{Referral, Warning};
pub use week::{EnergyDay, EnergyWeek, IntakeEntry, WeightEntry};

/// A limit for a message: at most two decimals, trailing zeros dropped (66.14, 4.41, 18).
fn short(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A weight given in kg, in `unit` with `places` decimals (`0.91 kg`, `2.00 lb`).
pub(crate) fn weight(unit: WeightUnit, kg: f64, places: usize) -> String {
    format!("{:.places$} {}", unit.from_kg(kg), unit.label())
}

/// A weight given in kg, in `unit` at most to two decimals (`1 kg`, `2.2 lb`).
fn short_weight(unit: WeightUnit, kg: f64) -> String {
    format!("{} {}", short(unit.from_kg(kg)), unit.label())
}

/// Why an energy input or goal was not accepted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EnergyError {
    /// Bad input: a number outside the range Soleus accepts for that field.
    #[error("{field} must be between {} and {} {unit}, got {value}", short(*.min), short(*.max))]
    OutOfRange {
        /// The field, as a person would name it.
        field: &'static str,
        /// The value given (in `unit`).
        value: f64,
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
        /// The unit of all three numbers.
        unit: &'static str,
    },
    /// Bad input: text that is not one of the accepted words or forms.
    #[error("{field}: {input:?} is not understood; expected {expected}")]
    Unrecognised {
        /// The field, as a person would name it.
        field: &'static str,
        /// What was given.
        input: String,
        /// What would have been accepted.
        expected: &'static str,
    },
    /// Caller misuse: the profile lacks a field the energy maths needs.
    #[error("the profile has no {field}: set it with `soleus profile set`")]
    Missing {
        /// The field, as a person would name it.
        field: &'static str,
    },
    /// A limit, by design: the loss goal is faster than is safe for this runner (§5.4).
    #[error(
        "losing {} a week is faster than is safe for a runner of {}: the most is {} a week \
         (1 % of body weight a week for runners in training, and never more than {} a week \
         [NHLBI98]); {suggestion}",
        weight(*.unit, *.rate_kg, 2),
        weight(*.unit, *.weight_kg, 1),
        weight(*.unit, *.max_kg, 2),
        short_weight(*.unit, 1.0),
    )]
    LossTooFast {
        /// The requested loss, kg per week.
        rate_kg: f64,
        /// The runner's weight, kg.
        weight_kg: f64,
        /// The fastest safe loss, kg per week.
        max_kg: f64,
        /// The unit the goal was given in, which the words use.
        unit: WeightUnit,
        /// A goal in that unit that would be accepted.
        suggestion: String,
    },
}
