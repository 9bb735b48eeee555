//! Energy: calorie goals with safety floors, the intake and weight journal, and the week's
//! energy balance over the stored runs (knowledge base §5). The maths is
//! `soleus_model::energy`; this reads the profile, the logs and the activities.

use soleus_store::EntryId;
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use soleus_model::activity::Activity;
use soleus_model::athlete::{Athlete, HeightUnit, WeightUnit};
use soleus_model::energy::tables::tables;
use soleus_model::energy::{
    DayTarget, EnergyError, EnergyWeek, GoalPlan, GoalRate, IntakeEntry, Profile, Projection,
    Warning, WeightEntry, activity_energy,
};
use soleus_model::journal::{IntakeLog, Kind, WeightLog};
use soleus_model::load::week_start;

use crate::profile::{Clock, parse_weight};
use crate::{App, AppError, Result};

/// The setting holding the active goal (`lose-0.5lb`).
const GOAL_KEY: &str = "energy_goal";
/// Longest meal name kept.
pub const MEAL_MAX_CHARS: usize = 40;
/// Days the projection's mean planned change is taken over: four weeks of training.
pub const BASIS_DAYS: i64 = 28;

/// What every energy report rests on: the athlete, the energy profile at the latest weighing,
/// and where that weight came from.
#[derive(Debug, Clone)]
pub struct EnergyBasis {
    /// The stored profile (units and all).
    pub athlete: Athlete,
    /// The validated energy profile, weight from the latest weighing.
    pub profile: Profile,
    /// The day of the weighing used, or `None` when the profile's weight was used.
    pub weighed_on: Option<NaiveDate>,
}

/// A goal to plan: `goal` as typed (`lose-0.5lb`), or the saved one.
#[derive(Debug, Clone, Default)]
pub struct GoalQuery {
    /// The goal; `None` for the saved goal (maintain when none is saved).
    pub goal: Option<String>,
    /// The day to plan (default today).
    pub on: Option<NaiveDate>,
    /// Weeks to project: 26 to 52.
    pub weeks: u32,
    /// Plan without saving the goal.
    pub dry_run: bool,
}

/// One day's target with its date and the split of its exercise energy.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayPlan {
    /// The target.
    #[serde(flatten)]
    pub target: DayTarget,
    /// The day.
    pub date: NaiveDate,
    /// Running energy, kcal.
    pub running_kcal: f64,
    /// Walking energy, kcal.
    pub walking_kcal: f64,
}

/// The profile the numbers rest on, as `energy goal` reports it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalProfile {
    /// Sex.
    pub sex: soleus_model::energy::Sex,
    /// Age, years.
    pub age: u32,
    /// Height, cm.
    pub height_cm: f64,
    /// Weight, kg.
    pub weight_kg: f64,
    /// The weighing used, when not the profile's weight.
    pub weighed_on: Option<NaiveDate>,
    /// Body fat used, %.
    pub body_fat_pct: f64,
    /// Whether that body fat is assumed.
    pub body_fat_assumed: bool,
    /// Daily-life factor.
    pub activity_factor: f64,
    /// Fat-free mass, kg.
    pub fat_free_mass_kg: f64,
    /// Resting energy, kcal/day.
    pub ree_kcal: f64,
    /// Daily life without runs, kcal/day.
    pub daily_life_kcal: f64,
}

/// The safety floors.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Floors {
    /// The fixed floor, kcal.
    pub fixed_kcal: f64,
    /// Energy availability floor, kcal per kg fat-free mass.
    pub ea_kcal_per_kg_ffm: f64,
    /// The EA floor on a rest day, kcal.
    pub rest_day_ea_kcal: f64,
}

/// `energy goal`: the goal checked for safety, the week's daily targets, floors, warnings
/// and a projection.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalView {
    /// The day planned.
    pub date: NaiveDate,
    /// The goal.
    pub goal: String,
    /// kg a week (negative to lose).
    pub goal_kg_per_week: f64,
    /// `given`, `saved` or `default`.
    pub goal_source: &'static str,
    /// Whether it was saved as the active goal.
    pub saved: bool,
    /// The athlete's weight unit.
    pub weight_unit: WeightUnit,
    /// The profile used.
    pub profile: GoalProfile,
    /// Fastest safe loss, kg a week.
    pub max_loss_kg_per_week: f64,
    /// The goal's change, kcal a day.
    pub goal_change_kcal_per_day: f64,
    /// The floors.
    pub floors: Floors,
    /// The day's target.
    pub today: DayPlan,
    /// A rest day's target.
    pub rest_day: DayTarget,
    /// Monday to Sunday of the day's week.
    pub week: Vec<DayPlan>,
    /// Warnings with their referral and references.
    pub warnings: Vec<Warning>,
    /// What the projection's daily change is the mean of.
    pub projection_basis: String,
    /// The projection by both models.
    pub projection: Projection,
    /// The basis, for front ends that describe it.
    #[serde(skip)]
    pub basis: EnergyBasis,
    /// The mean planned change the projection follows, kcal a day.
    #[serde(skip)]
    pub mean_change_kcal: f64,
    /// The first day of the projection's basis.
    #[serde(skip)]
    pub basis_from: NaiveDate,
    /// Weeks projected.
    #[serde(skip)]
    pub weeks: u32,
}

/// `energy week`: the week's summary with the goal and weight context.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekView {
    /// Days, totals, energy availability, weight trend, warnings.
    #[serde(flatten)]
    pub week: EnergyWeek,
    /// Whether a goal is saved (maintain otherwise).
    pub goal_saved: bool,
    /// The athlete's weight unit.
    pub weight_unit: WeightUnit,
    /// The weighing the targets use.
    pub weighed_on: Option<NaiveDate>,
    /// The basis, for front ends that describe it.
    #[serde(skip)]
    pub basis: EnergyBasis,
}

/// One intake entry as listed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntakeLogged {
    /// Id (for `energy delete`).
    pub id: EntryId,
    /// The day.
    pub date: NaiveDate,
    /// kcal, or `None` if the stored body is unreadable.
    pub kcal: Option<f64>,
    /// The meal.
    pub meal: Option<String>,
    /// When it was recorded.
    #[serde(skip)]
    pub created: chrono::DateTime<chrono::Utc>,
}

/// One weighing as listed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeightLogged {
    /// Id.
    pub id: EntryId,
    /// The day.
    pub date: NaiveDate,
    /// kg, or `None` if the stored body is unreadable.
    pub kg: Option<f64>,
    /// When it was recorded.
    #[serde(skip)]
    pub created: chrono::DateTime<chrono::Utc>,
}

/// `energy history`: every intake and weight entry.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnergyHistory {
    /// Food eaten.
    pub intake: Vec<IntakeLogged>,
    /// Weighings.
    pub weight: Vec<WeightLogged>,
    /// The athlete's weight unit.
    #[serde(skip)]
    pub weight_unit: WeightUnit,
}

/// What logging food did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntakeSaved {
    /// The entry's id.
    pub id: EntryId,
    /// The day.
    pub date: NaiveDate,
    /// kcal.
    pub kcal: f64,
    /// The meal.
    pub meal: Option<String>,
    /// That day's intake so far, kcal.
    pub day_total_kcal: f64,
}

/// What logging a weight did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeightSaved {
    /// The entry's id.
    pub id: EntryId,
    /// The day.
    pub date: NaiveDate,
    /// kg.
    pub kg: f64,
    /// The athlete's weight unit.
    pub weight_unit: WeightUnit,
}

/// Which energy journal an entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnergyLog {
    /// Food eaten.
    Intake,
    /// A weighing.
    Weight,
}

/// Running and walking energy of one day, kcal.
#[derive(Debug, Clone, Copy, Default)]
struct DayExercise {
    running: f64,
    walking: f64,
}

impl DayExercise {
    fn total(self) -> f64 {
        self.running + self.walking
    }
}

impl App {
    /// The energy profile as it stood on `day`: the latest weighing up to `day` replaces the
    /// profile's weight, so logging a weight is enough to keep targets current.
    pub async fn energy_basis(&self, day: NaiveDate) -> Result<EnergyBasis> {
        let athlete = self.athlete().await?;
        let weights = self.weights().await?;
        let latest = weights
            .iter()
            .filter(|w| w.date <= day)
            .max_by_key(|w| w.date);
        let mut a = athlete.clone();
        if let Some(w) = latest {
            a.weight_kg = Some(w.weight.kg());
        }
        let profile = a
            .energy_profile(day.year())
            .map_err(|e| profile_error(&athlete, e))?;
        Ok(EnergyBasis {
            athlete,
            profile,
            weighed_on: latest.map(|w| w.date),
        })
    }

    /// The daily targets for a weight goal, its floors, warnings and projection; saves the
    /// goal when one is given and `dry_run` is off.
    pub async fn energy_goal(&self, q: &GoalQuery) -> Result<GoalView> {
        let day = self.day_or_today(q.on).await?;
        let basis = self.energy_basis(day).await?;
        let (rate, source) = match &q.goal {
            Some(g) => (
                GoalRate::parse(g).map_err(|e| AppError::invalid("goal", e.to_string()))?,
                "given",
            ),
            None => match self.saved_goal().await? {
                (g, true) => (g, "saved"),
                (g, false) => (g, "default"),
            },
        };
        let plan = GoalPlan::new(&basis.profile, rate).map_err(|e| match e {
            EnergyError::LossTooFast { .. } => {
                AppError::invalid("goal", format!("the goal {rate} is refused: {e}"))
            }
            other => AppError::invalid("goal", other.to_string()),
        })?;
        let by_day = exercise_by_day(&self.energy_activities(&basis.athlete).await?, &basis);
        let ex = |d: NaiveDate| by_day.get(&d).copied().unwrap_or_default();
        let target = |d: NaiveDate| plan.daily_target_for(ex(d).total());
        let day_plan = |d: NaiveDate| DayPlan {
            target: target(d),
            date: d,
            running_kcal: ex(d).running,
            walking_kcal: ex(d).walking,
        };
        let start = week_start(day);
        let week: Vec<DayPlan> = (0..7)
            .map(|i| day_plan(start + Duration::days(i)))
            .collect();
        // The projection follows the change actually planned over the last four weeks of
        // training, which the floors may have made smaller than the goal's.
        let basis_from = day - Duration::days(BASIS_DAYS - 1);
        let mean_change = (0..BASIS_DAYS)
            .map(|i| target(basis_from + Duration::days(i)).planned_change_kcal())
            .sum::<f64>()
            / BASIS_DAYS as f64;
        let projection = Projection::new(basis.profile.weight, mean_change, q.weeks)
            .map_err(|e| AppError::invalid("weeks", e.to_string()))?;
        let mut warnings = plan.warnings.clone();
        let held = week.iter().filter(|d| d.target.held_at_floor).count();
        if held > 0 {
            warnings.push(Warning::held_at_floor(held));
        }
        let saved = q.goal.is_some() && !q.dry_run;
        if saved {
            self.store
                .set_setting(GOAL_KEY, &rate.to_string())
                .await
                .map_err(|e| AppError::storage("saving the goal", e))?;
        }
        let t = tables();
        let p = &basis.profile;
        Ok(GoalView {
            date: day,
            goal: rate.to_string(),
            goal_kg_per_week: rate.kg_per_week,
            goal_source: source,
            saved,
            weight_unit: basis.athlete.weight_unit,
            profile: GoalProfile {
                sex: p.sex,
                age: p.age.years(),
                height_cm: p.height.cm(),
                weight_kg: p.weight.kg(),
                weighed_on: basis.weighed_on,
                body_fat_pct: p.body_fat_used().pct(),
                body_fat_assumed: p.body_fat_assumed(),
                activity_factor: p.activity.factor(),
                fat_free_mass_kg: p.fat_free_mass_kg(),
                ree_kcal: p.ree_kcal(),
                daily_life_kcal: p.daily_life_kcal(),
            },
            max_loss_kg_per_week: plan.max_loss_kg_per_week,
            goal_change_kcal_per_day: rate.daily_change_kcal(),
            floors: Floors {
                fixed_kcal: p.fixed_floor_kcal(),
                ea_kcal_per_kg_ffm: t.ea_low.value,
                rest_day_ea_kcal: t.ea_low.value * p.fat_free_mass_kg(),
            },
            today: day_plan(day),
            rest_day: plan.daily_target_for(0.0),
            week,
            warnings,
            projection_basis: format!(
                "mean planned intake change over the {BASIS_DAYS} days {basis_from} to {day}"
            ),
            projection,
            basis,
            mean_change_kcal: mean_change,
            basis_from,
            weeks: q.weeks,
        })
    }

    /// The week (Monday to Sunday) holding `of` (default this week).
    pub async fn energy_week(&self, of: Option<NaiveDate>) -> Result<WeekView> {
        let start = week_start(self.day_or_today(of).await?);
        let end = start + Duration::days(6);
        let basis = self.energy_basis(end).await?;
        let (goal, goal_saved) = self.saved_goal().await?;
        // A goal saved at a heavier weight can be too fast now: the week still shows, with
        // maintenance targets and the reason, rather than failing.
        let (plan, refused) = match GoalPlan::new(&basis.profile, goal) {
            Ok(p) => (p, None),
            Err(e) => (
                GoalPlan::new(&basis.profile, GoalRate::MAINTAIN)
                    .map_err(|e| AppError::invalid("profile", e.to_string()))?,
                Some(Warning {
                    code: "GOAL_REFUSED",
                    referral: None,
                    message: format!(
                        "Your saved goal {goal} is no longer accepted ({e}); targets show \
                         maintenance. Choose a new one with `soleus energy goal --goal …`."
                    ),
                    refs: vec![],
                }),
            ),
        };
        let acts = self.energy_activities(&basis.athlete).await?;
        let mut week = EnergyWeek::build(
            &plan,
            start,
            &self.intake().await?,
            &self.weights().await?,
            &acts,
        );
        week.warnings.extend(refused);
        Ok(WeekView {
            week,
            goal_saved,
            weight_unit: basis.athlete.weight_unit,
            weighed_on: basis.weighed_on,
            basis,
        })
    }

    /// Logs food eaten on `date` (default today; a future day is refused as a likely typo).
    pub async fn log_intake(
        &self,
        kcal: f64,
        meal: Option<&str>,
        date: Option<NaiveDate>,
    ) -> Result<IntakeSaved> {
        let day = self.log_day(date).await?;
        let entry =
            IntakeEntry::new(day, kcal).map_err(|e| AppError::invalid("kcal", e.to_string()))?;
        let meal = match meal.map(str::trim) {
            Some("") => {
                return Err(AppError::invalid(
                    "meal",
                    "--meal needs a name (breakfast, lunch, dinner, snack…)",
                ));
            }
            Some(m) if m.chars().count() > MEAL_MAX_CHARS => {
                return Err(AppError::invalid(
                    "meal",
                    format!("--meal is longer than {MEAL_MAX_CHARS} characters"),
                ));
            }
            other => other.map(str::to_owned),
        };
        let body = IntakeLog {
            kcal: entry.kcal,
            meal: meal.clone(),
        };
        let id = self.journal().add(day, &body).await?;
        let day_total_kcal = self
            .intake()
            .await?
            .iter()
            .filter(|e| e.date == day)
            .map(|e| e.kcal)
            .sum();
        Ok(IntakeSaved {
            id,
            date: day,
            kcal: entry.kcal,
            meal,
            day_total_kcal,
        })
    }

    /// Logs a weighing (`61.5kg`, `135lb`, or a number in the athlete's unit).
    pub async fn log_weight(&self, weight: &str, date: Option<NaiveDate>) -> Result<WeightSaved> {
        let day = self.log_day(date).await?;
        let unit = self.athlete().await?.weight_unit;
        let w = parse_weight(weight, unit)?;
        let id = self.journal().add(day, &WeightLog { kg: w.kg() }).await?;
        Ok(WeightSaved {
            id,
            date: day,
            kg: w.kg(),
            weight_unit: unit,
        })
    }

    /// Every intake and weight entry, with ids.
    pub async fn energy_history(&self) -> Result<EnergyHistory> {
        let weight_unit = self.athlete().await?.weight_unit;
        let intake = self
            .store
            .entries(Kind::Intake)
            .await?
            .into_iter()
            .map(|e| {
                let body = serde_json::from_value::<IntakeLog>(e.body).ok();
                IntakeLogged {
                    id: e.id,
                    date: e.day,
                    kcal: body.as_ref().map(|b| b.kcal),
                    meal: body.and_then(|b| b.meal),
                    created: e.created,
                }
            })
            .collect();
        let weight = self
            .store
            .entries(Kind::Weight)
            .await?
            .into_iter()
            .map(|e| WeightLogged {
                id: e.id,
                date: e.day,
                kg: serde_json::from_value::<WeightLog>(e.body)
                    .ok()
                    .map(|b| b.kg),
                created: e.created,
            })
            .collect();
        Ok(EnergyHistory {
            intake,
            weight,
            weight_unit,
        })
    }

    /// Deletes an intake or weight entry.
    pub async fn delete_energy_log(&self, log: EnergyLog, id: EntryId) -> Result<()> {
        let journal = self.journal();
        let deleted = match log {
            EnergyLog::Intake => journal.delete::<IntakeLog>(id).await?,
            EnergyLog::Weight => journal.delete::<WeightLog>(id).await?,
        };
        if !deleted {
            return Err(AppError::NotFound {
                what: match log {
                    EnergyLog::Intake => "intake entry",
                    EnergyLog::Weight => "weight entry",
                },
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// The saved goal, or maintain when none is saved; `true` when one is saved.
    async fn saved_goal(&self) -> Result<(GoalRate, bool)> {
        match self.store.setting(GOAL_KEY).await? {
            Some(s) => Ok((
                GoalRate::parse(&s).map_err(|e| {
                    AppError::invalid("goal", format!("the saved goal {s:?} is unreadable: {e}"))
                })?,
                true,
            )),
            None => Ok((GoalRate::MAINTAIN, false)),
        }
    }

    /// Every stored weighing; entries whose body is not a valid weight are skipped with a log
    /// line.
    async fn weights(&self) -> Result<Vec<WeightEntry>> {
        Ok(self
            .store
            .entries(Kind::Weight)
            .await?
            .into_iter()
            .filter_map(|e| {
                let w = serde_json::from_value::<WeightLog>(e.body)
                    .ok()
                    .and_then(|b| soleus_model::energy::Weight::from_kg(b.kg).ok());
                if w.is_none() {
                    tracing::warn!(id = e.id.0, "weight entry without a valid kg; ignored");
                }
                w.map(|weight| WeightEntry {
                    date: e.day,
                    weight,
                })
            })
            .collect())
    }

    /// Every stored intake entry, validated like new ones.
    async fn intake(&self) -> Result<Vec<IntakeEntry>> {
        Ok(self
            .store
            .entries(Kind::Intake)
            .await?
            .into_iter()
            .filter_map(|e| {
                let entry = serde_json::from_value::<IntakeLog>(e.body)
                    .ok()
                    .and_then(|b| IntakeEntry::new(e.day, b.kcal).ok());
                if entry.is_none() {
                    tracing::warn!(id = e.id.0, "intake entry without a valid kcal; ignored");
                }
                entry
            })
            .collect())
    }

    /// The stored activities as the model's type, with a local offset from the athlete's time
    /// zone where the file gave none, so each session lands on the day it was run.
    async fn energy_activities(&self, a: &Athlete) -> Result<Vec<Activity>> {
        let clock = Clock::of(a)?;
        Ok(self
            .store
            .list_activities()
            .await?
            .into_iter()
            .map(|r| {
                let mut act = Activity::new(r.sport, r.start);
                act.distance_m = r.distance_m;
                act.ascent_m = r.ascent_m;
                act.utc_offset_s = r
                    .utc_offset_s
                    .or_else(|| Some(clock.offset(r.start).local_minus_utc()));
                act
            })
            .collect())
    }

    /// `day`, or today in the athlete's time zone.
    async fn day_or_today(&self, day: Option<NaiveDate>) -> Result<NaiveDate> {
        match day {
            Some(d) => Ok(d),
            None => Ok(Clock::of(&self.athlete().await?)?.today()),
        }
    }

    /// The given day, or today; a day in the future is refused as a likely typo.
    async fn log_day(&self, date: Option<NaiveDate>) -> Result<NaiveDate> {
        let today = Clock::of(&self.athlete().await?)?.today();
        match date {
            Some(d) if d > today => Err(AppError::invalid(
                "date",
                format!("{d} is in the future (today is {today})"),
            )),
            Some(d) => Ok(d),
            None => Ok(today),
        }
    }
}

/// Exercise energy per local day, from the stored runs and walks.
fn exercise_by_day(acts: &[Activity], basis: &EnergyBasis) -> BTreeMap<NaiveDate, DayExercise> {
    let mut by_day: BTreeMap<NaiveDate, DayExercise> = BTreeMap::new();
    for e in acts
        .iter()
        .filter_map(|a| activity_energy(a, basis.profile.weight))
    {
        let d = by_day.entry(e.date).or_default();
        if e.sport.is_running() {
            d.running += e.kcal;
        } else {
            d.walking += e.kcal;
        }
    }
    by_day
}

/// Turns a profile problem into an error that says exactly what to set.
fn profile_error(a: &Athlete, e: EnergyError) -> AppError {
    if !matches!(e, EnergyError::Missing { .. }) {
        return AppError::invalid(
            "profile",
            format!("your profile: {e}; correct it with `soleus profile set`"),
        );
    }
    // List every missing field at once, so one command fixes them all.
    let (weight, height) = (
        match a.weight_unit {
            WeightUnit::Kg => "--weight 61.5kg",
            WeightUnit::Lb => "--weight 135lb",
        },
        match a.height_unit {
            HeightUnit::Cm => "--height 168cm",
            HeightUnit::Ftin => "--height 5ft6in",
        },
    );
    let missing: Vec<(&str, &str)> = [
        (a.sex.is_none(), ("sex", "--sex female|male")),
        (a.birth_year.is_none(), ("birth year", "--birth-year 1990")),
        (a.height_cm.is_none(), ("height", height)),
        (a.weight_kg.is_none(), ("weight", weight)),
    ]
    .into_iter()
    .filter_map(|(m, f)| m.then_some(f))
    .collect();
    let names: Vec<&str> = missing.iter().map(|m| m.0).collect();
    let flags: Vec<&str> = missing.iter().map(|m| m.1).collect();
    AppError::invalid(
        "profile",
        format!(
            "the energy calculations need your {}: run `soleus profile set {}` (with your own \
             values)",
            names.join(", "),
            flags.join(" ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_are_listed_with_the_flags_to_set_them() {
        let a = Athlete {
            sex: Some(soleus_model::energy::Sex::Female),
            weight_unit: WeightUnit::Lb,
            ..Athlete::default()
        };
        let e = a.energy_profile(2026).unwrap_err();
        let msg = profile_error(&a, e).to_string();
        assert!(
            msg.contains("birth year, height, weight")
                && msg
                    .contains("soleus profile set --birth-year 1990 --height 168cm --weight 135lb"),
            "{msg}"
        );
    }
}
