//! `soleus energy`: calorie goals with safety floors, intake and weight logs, and the week's
//! energy balance over the stored runs (clinical.md §5). The maths lives in
//! `soleus_model::energy`; this module reads the stored profile, logs and activities, and
//! prints the results.
//!
//! Journal kinds: `intake` (`{"kcal": 2350, "meal": "lunch"}`) and `weight` (`{"kg": 61.2}`).
//! The active goal is the setting `energy_goal`.

mod goal;
mod log;
mod week;

use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate};
use clap::{Args, Subcommand};
use soleus_model::activity::Activity;
use soleus_model::athlete::{Athlete, HeightUnit, WeightUnit};
use soleus_model::energy::{
    self, EnergyError, GoalRate, IntakeEntry, KG_PER_LB, Profile, Weight, WeightEntry,
};
use soleus_store::Store;

use crate::profile;

/// The setting holding the active goal (`lose-0.5lb`).
const GOAL_KEY: &str = "energy_goal";
/// Journal kind of intake entries.
const INTAKE: &str = "intake";
/// Journal kind of weighings.
const WEIGHT: &str = "weight";

/// `soleus energy`
#[derive(Debug, Args)]
pub struct EnergyArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Daily calorie targets for a weight goal, its safety floors and warnings, and a projection.
    Goal(goal::GoalArgs),
    /// Log food eaten: `soleus energy log 2350` or per meal with `--meal lunch`.
    Log(log::LogArgs),
    /// Log a weighing: `61.5kg`, `135lb`, or a number in your weight unit.
    LogWeight(log::LogWeightArgs),
    /// The week's intake, running and other energy, balance, energy availability and weight.
    Week(week::WeekArgs),
    /// Every intake and weight entry, with ids.
    History(log::HistoryArgs),
    /// Delete a logged entry: `soleus energy delete intake 12`.
    Delete(log::DeleteArgs),
}

/// Runs `soleus energy`.
pub async fn run(store: &dyn Store, args: &EnergyArgs) -> anyhow::Result<u8> {
    match &args.action {
        Action::Goal(a) => goal::run(store, a).await,
        Action::Log(a) => log::run_log(store, a).await,
        Action::LogWeight(a) => log::run_log_weight(store, a).await,
        Action::Week(a) => week::run(store, a).await,
        Action::History(a) => log::run_history(store, a).await,
        Action::Delete(a) => log::run_delete(store, a).await,
    }
}

/// What every energy report starts from: the athlete, the energy profile at the latest weighing,
/// and where that weight came from.
struct Basis {
    athlete: Athlete,
    profile: Profile,
    /// The day of the weighing used, or `None` when the profile's weight was used.
    weighed_on: Option<NaiveDate>,
}

impl Basis {
    /// Reads the profile and weighings and builds the energy profile as it stood on `day`: the
    /// latest weighing up to `day` replaces the profile's weight, so logging a weight is enough
    /// to keep targets current.
    async fn load(store: &dyn Store, day: NaiveDate) -> anyhow::Result<Basis> {
        let athlete = profile::load(store).await?;
        let weights = weights(store).await?;
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
        Ok(Basis {
            athlete,
            profile,
            weighed_on: latest.map(|w| w.date),
        })
    }

    fn unit(&self) -> WeightUnit {
        self.athlete.weight_unit
    }

    /// A weight in the athlete's unit, with the unit.
    fn show_kg(&self, kg: f64) -> String {
        show_weight(self.unit(), kg)
    }

    /// The unit for the model's projection renderer.
    fn render_unit(&self) -> energy::WeightUnit {
        match self.unit() {
            WeightUnit::Kg => energy::WeightUnit::Kg,
            WeightUnit::Lb => energy::WeightUnit::Lb,
        }
    }

    /// One line describing the profile the numbers rest on.
    fn describe(&self) -> String {
        let p = &self.profile;
        let height = match self.athlete.height_unit {
            HeightUnit::Cm => format!("{:.0} cm", p.height.cm()),
            HeightUnit::Ftin => {
                let inches = (p.height.cm() / energy::CM_PER_INCH).round() as i64;
                format!("{} ft {} in", inches / 12, inches % 12)
            }
        };
        let weight_from = match self.weighed_on {
            Some(d) => format!("weighed {d}"),
            None => "from your profile".to_string(),
        };
        format!(
            "{}, {} years, {height}, {} ({weight_from}); daily life ×{}; fat-free mass {:.1} kg ({})",
            format!("{:?}", p.sex).to_lowercase(),
            p.age.years(),
            self.show_kg(p.weight.kg()),
            p.activity.factor(),
            p.fat_free_mass_kg(),
            if p.body_fat_assumed() {
                format!(
                    "assuming {:.0} % body fat; set --body-fat for your own",
                    p.body_fat_used().pct()
                )
            } else {
                format!("{:.0} % body fat measured", p.body_fat_used().pct())
            }
        )
    }
}

/// A weight in `unit` with one decimal.
fn show_weight(unit: WeightUnit, kg: f64) -> String {
    match unit {
        WeightUnit::Kg => format!("{kg:.1} kg"),
        WeightUnit::Lb => format!("{:.1} lb", kg / KG_PER_LB),
    }
}

/// Whole kcal, with no "-0" for a tiny negative or a negative zero (an empty sum of floats is
/// −0.0).
fn kcal(v: f64) -> String {
    let r = v.round();
    if r == 0.0 {
        "0".to_string()
    } else {
        format!("{r:.0}")
    }
}

/// Replaces every −0.0 in a JSON document with 0, so tools never see `-0.0`.
fn positive_zeros(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n)
            if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) =>
        {
            *v = serde_json::json!(0.0);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(positive_zeros),
        serde_json::Value::Object(o) => o.values_mut().for_each(positive_zeros),
        _ => {}
    }
}

/// A weight change in `unit` with its sign.
fn show_signed(unit: WeightUnit, kg: f64) -> String {
    match unit {
        WeightUnit::Kg => format!("{kg:+.2} kg"),
        WeightUnit::Lb => format!("{:+.2} lb", kg / KG_PER_LB),
    }
}

/// Turns a profile problem into an error that says exactly what to run.
fn profile_error(a: &Athlete, e: EnergyError) -> anyhow::Error {
    if !matches!(e, EnergyError::Missing { .. }) {
        return anyhow::anyhow!("your profile: {e}; correct it with `soleus profile set`");
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
    anyhow::anyhow!(
        "the energy calculations need your {}: run `soleus profile set {}` (with your own values)",
        names.join(", "),
        flags.join(" ")
    )
}

/// The saved goal, or maintain when none is saved.
async fn saved_goal(store: &dyn Store) -> anyhow::Result<(GoalRate, bool)> {
    match store.setting(GOAL_KEY).await? {
        Some(s) => Ok((
            GoalRate::parse(&s).with_context(|| format!("the saved goal {s:?} is unreadable"))?,
            true,
        )),
        None => Ok((GoalRate::MAINTAIN, false)),
    }
}

/// Every stored weighing; entries whose body is not a valid weight are skipped with a log line.
async fn weights(store: &dyn Store) -> anyhow::Result<Vec<WeightEntry>> {
    Ok(store
        .entries(WEIGHT)
        .await?
        .into_iter()
        .filter_map(|e| {
            let w = e.body["kg"]
                .as_f64()
                .and_then(|kg| Weight::from_kg(kg).ok());
            if w.is_none() {
                tracing::warn!(id = e.id, "weight entry without a valid kg; ignored");
            }
            w.map(|weight| WeightEntry {
                date: e.day,
                weight,
            })
        })
        .collect())
}

/// Every stored intake entry, validated like new ones.
async fn intake(store: &dyn Store) -> anyhow::Result<Vec<IntakeEntry>> {
    Ok(store
        .entries(INTAKE)
        .await?
        .into_iter()
        .filter_map(|e| {
            let entry = e.body["kcal"]
                .as_f64()
                .and_then(|k| IntakeEntry::new(e.day, k).ok());
            if entry.is_none() {
                tracing::warn!(id = e.id, "intake entry without a valid kcal; ignored");
            }
            entry
        })
        .collect())
}

/// The stored activities as the model's type, with a local offset from the athlete's time zone
/// where the file gave none, so each session lands on the day it was run.
async fn activities(store: &dyn Store, a: &Athlete) -> anyhow::Result<Vec<Activity>> {
    let tz = profile::tz_fn(a)?;
    Ok(store
        .list_activities()
        .await?
        .into_iter()
        .map(|r| {
            let mut act = Activity::new(r.sport, r.start);
            act.distance_m = r.distance_m;
            act.ascent_m = r.ascent_m;
            act.utc_offset_s = r
                .utc_offset_s
                .or_else(|| Some(tz(r.start).local_minus_utc()));
            act
        })
        .collect())
}

/// The Monday of the week holding `day` (weeks run Monday to Sunday, as in `soleus load`).
fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// `day`, or today in the athlete's time zone.
async fn day_or_today(store: &dyn Store, day: Option<NaiveDate>) -> anyhow::Result<NaiveDate> {
    match day {
        Some(d) => Ok(d),
        None => profile::today(&profile::load(store).await?),
    }
}

/// Prints warnings with their referral and references.
fn print_warnings(warnings: &[energy::Warning]) {
    for w in warnings {
        let referral = match w.referral {
            Some(energy::Referral::Soon) => " — referral: SOON",
            _ => "",
        };
        let refs = if w.refs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", w.refs.join("; "))
        };
        println!("  ! {}{referral}: {}{refs}", w.code, w.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        // 2026-05-06 is a Wednesday; 2026-05-04 the Monday before; a Monday maps to itself.
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(monday(d(5, 6)), d(5, 4));
        assert_eq!(monday(d(5, 4)), d(5, 4));
        assert_eq!(monday(d(5, 10)), d(5, 4));
    }

    #[test]
    fn no_negative_zeros_in_output() {
        assert_eq!(
            (kcal(-0.0), kcal(-0.4), kcal(-0.6), kcal(1234.5)),
            ("0".into(), "0".into(), "-1".into(), "1235".into())
        );
        let mut v = serde_json::json!({"a": [-0.0, 1.5], "b": {"c": -0.0}, "d": -2.0});
        positive_zeros(&mut v);
        assert_eq!(v.to_string(), r#"{"a":[0.0,1.5],"b":{"c":0.0},"d":-2.0}"#);
        assert!(!v["a"][0].as_f64().unwrap().is_sign_negative());
    }

    #[test]
    fn missing_fields_are_listed_with_the_flags_to_set_them() {
        let a = Athlete {
            sex: Some(energy::Sex::Female),
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
