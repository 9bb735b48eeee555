//! `soleus energy log`, `log-weight`, `history` and `delete`: the intake and weight journal.

use anyhow::bail;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde_json::json;
use soleus_model::energy::IntakeEntry;
use soleus_store::Store;

use super::{INTAKE, WEIGHT, show_weight};
use crate::output::table;
use crate::profile;

/// Longest meal name kept.
const MEAL_MAX_CHARS: usize = 40;

/// `soleus energy log KCAL`
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Energy eaten, kcal (0–20 000). Entries on the same day add up.
    kcal: f64,
    /// The meal (breakfast, lunch, snack…), to log meal by meal.
    #[arg(long)]
    meal: Option<String>,
    /// The day eaten (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    date: Option<NaiveDate>,
}

/// `soleus energy log-weight WEIGHT`
#[derive(Debug, Args)]
pub struct LogWeightArgs {
    /// `61.5kg`, `135lb`, or a number in your weight unit.
    weight: String,
    /// The day weighed (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    date: Option<NaiveDate>,
}

/// `soleus energy history`
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Which journal an entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Food eaten.
    Intake,
    /// A weighing.
    Weight,
}

/// `soleus energy delete KIND ID`
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// intake or weight.
    kind: Kind,
    /// The entry's id (see `soleus energy history`).
    id: i64,
}

/// The given day, or today; a day in the future is refused as a likely typo.
async fn log_day(store: &dyn Store, date: Option<NaiveDate>) -> anyhow::Result<NaiveDate> {
    let today = profile::today(&profile::load(store).await?)?;
    match date {
        Some(d) if d > today => bail!("{d} is in the future (today is {today})"),
        Some(d) => Ok(d),
        None => Ok(today),
    }
}

/// Runs `soleus energy log`.
pub async fn run_log(store: &dyn Store, args: &LogArgs) -> anyhow::Result<u8> {
    let day = log_day(store, args.date).await?;
    let entry = IntakeEntry::new(day, args.kcal)?;
    let meal = match args.meal.as_deref().map(str::trim) {
        Some("") => bail!("--meal needs a name (breakfast, lunch, dinner, snack…)"),
        Some(m) if m.chars().count() > MEAL_MAX_CHARS => {
            bail!("--meal is longer than {MEAL_MAX_CHARS} characters")
        }
        other => other,
    };
    let id = store
        .add_entry(INTAKE, day, &json!({ "kcal": entry.kcal, "meal": meal }))
        .await?;
    let day_total: f64 = super::intake(store)
        .await?
        .iter()
        .filter(|e| e.date == day)
        .map(|e| e.kcal)
        .sum();
    println!(
        "Logged {:.0} kcal{} on {day} (entry {id}); {day} so far: {day_total:.0} kcal.",
        entry.kcal,
        meal.map(|m| format!(" ({m})")).unwrap_or_default()
    );
    Ok(0)
}

/// Runs `soleus energy log-weight`.
pub async fn run_log_weight(store: &dyn Store, args: &LogWeightArgs) -> anyhow::Result<u8> {
    let day = log_day(store, args.date).await?;
    let unit = profile::load(store).await?.weight_unit;
    let w = profile::parse_weight(&args.weight, unit)?;
    let id = store
        .add_entry(WEIGHT, day, &json!({ "kg": w.kg() }))
        .await?;
    println!(
        "Logged {} on {day} (entry {id}); energy targets from {day} on use this weight.",
        show_weight(unit, w.kg())
    );
    Ok(0)
}

/// Runs `soleus energy history`.
pub async fn run_history(store: &dyn Store, args: &HistoryArgs) -> anyhow::Result<u8> {
    let unit = profile::load(store).await?.weight_unit;
    let intake = store.entries(INTAKE).await?;
    let weights = store.entries(WEIGHT).await?;
    if args.json {
        let doc = json!({
            "intake": intake.iter().map(|e| json!({
                "id": e.id, "date": e.day, "kcal": e.body["kcal"], "meal": e.body["meal"],
            })).collect::<Vec<_>>(),
            "weight": weights.iter().map(|e| json!({
                "id": e.id, "date": e.day, "kg": e.body["kg"],
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    if intake.is_empty() && weights.is_empty() {
        println!(
            "Nothing logged yet: `soleus energy log 2350 --meal lunch`, `soleus energy log-weight 61.5kg`."
        );
        return Ok(0);
    }
    let mut t = table(&["Id", "Date", "Kind", "Amount", "Meal"], &[0, 3]);
    let mut rows: Vec<_> = intake.iter().chain(&weights).collect();
    rows.sort_by_key(|e| (e.day, e.created, e.id));
    for e in rows {
        let (kind, amount) = if e.kind == INTAKE {
            (
                "intake",
                e.body["kcal"]
                    .as_f64()
                    .map_or("?".into(), |k| format!("{k:.0} kcal")),
            )
        } else {
            (
                "weight",
                e.body["kg"]
                    .as_f64()
                    .map_or("?".into(), |kg| show_weight(unit, kg)),
            )
        };
        t.add_row(vec![
            e.id.to_string(),
            e.day.to_string(),
            kind.to_string(),
            amount,
            e.body["meal"].as_str().unwrap_or("").to_string(),
        ]);
    }
    println!("{t}");
    Ok(0)
}

/// Runs `soleus energy delete`.
pub async fn run_delete(store: &dyn Store, args: &DeleteArgs) -> anyhow::Result<u8> {
    let kind = match args.kind {
        Kind::Intake => INTAKE,
        Kind::Weight => WEIGHT,
    };
    if !store.delete_entry(kind, args.id).await? {
        bail!(
            "there is no {kind} entry {} (see `soleus energy history`)",
            args.id
        );
    }
    println!("Deleted {kind} entry {}.", args.id);
    Ok(0)
}
