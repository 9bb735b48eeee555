//! `soleus energy log`, `log-weight`, `history` and `delete`: the intake and weight journal.

use anyhow::bail;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use soleus_app::energy::EnergyLog;
use soleus_app::{App, AppError};

use super::show_weight;
use crate::output::table;

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
    id: soleus_app::EntryId,
}

/// Runs `soleus energy log`.
pub async fn run_log(app: &App, args: &LogArgs) -> anyhow::Result<u8> {
    let saved = app
        .log_intake(args.kcal, args.meal.as_deref(), args.date)
        .await?;
    let day = saved.date;
    println!(
        "Logged {:.0} kcal{} on {day} (entry {}); {day} so far: {:.0} kcal.",
        saved.kcal,
        saved
            .meal
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default(),
        saved.id,
        saved.day_total_kcal
    );
    Ok(0)
}

/// Runs `soleus energy log-weight`.
pub async fn run_log_weight(app: &App, args: &LogWeightArgs) -> anyhow::Result<u8> {
    let saved = app.log_weight(&args.weight, args.date).await?;
    let day = saved.date;
    println!(
        "Logged {} on {day} (entry {}); energy targets from {day} on use this weight.",
        show_weight(saved.weight_unit, saved.kg),
        saved.id
    );
    Ok(0)
}

/// Runs `soleus energy history`.
pub async fn run_history(app: &App, args: &HistoryArgs) -> anyhow::Result<u8> {
    let h = app.energy_history().await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&h)?);
        return Ok(0);
    }
    if h.intake.is_empty() && h.weight.is_empty() {
        println!(
            "Nothing logged yet: `soleus energy log 2350 --meal lunch`, `soleus energy log-weight 61.5kg`."
        );
        return Ok(0);
    }
    let mut t = table(&["Id", "Date", "Kind", "Amount", "Meal"], &[0, 3]);
    // (day, recorded, id) orders the two journals into one list.
    let mut rows: Vec<_> = h
        .intake
        .iter()
        .map(|e| {
            (
                (e.date, e.created, e.id),
                "intake",
                e.kcal.map_or("?".into(), |k| format!("{k:.0} kcal")),
                e.meal.clone().unwrap_or_default(),
            )
        })
        .chain(h.weight.iter().map(|e| {
            (
                (e.date, e.created, e.id),
                "weight",
                e.kg.map_or("?".into(), |kg| show_weight(h.weight_unit, kg)),
                String::new(),
            )
        }))
        .collect();
    rows.sort_by_key(|r| r.0);
    for ((day, _, id), kind, amount, meal) in rows {
        t.add_row(vec![
            id.to_string(),
            day.to_string(),
            kind.to_string(),
            amount,
            meal,
        ]);
    }
    println!("{t}");
    Ok(0)
}

/// Runs `soleus energy delete`.
pub async fn run_delete(app: &App, args: &DeleteArgs) -> anyhow::Result<u8> {
    let (log, kind) = match args.kind {
        Kind::Intake => (EnergyLog::Intake, "intake"),
        Kind::Weight => (EnergyLog::Weight, "weight"),
    };
    match app.delete_energy_log(log, args.id).await {
        Ok(()) => {}
        Err(AppError::NotFound { .. }) => bail!(
            "there is no {kind} entry {} (see `soleus energy history`)",
            args.id
        ),
        Err(e) => return Err(e.into()),
    }
    println!("Deleted {kind} entry {}.", args.id);
    Ok(0)
}
