//! `soleus shoes`: add, list, retire and assign shoes; the share of weekly distance in each
//! heel-drop class; and the lower-drop transition plan against what was really run
//! (knowledge base §4).

use anyhow::bail;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use soleus_app::shoes::{ShoeInput, class_words};
use soleus_app::{App, AppError};
use soleus_model::shoes::DropClass;

use crate::output::opt;

mod report;

/// `soleus shoes`
#[derive(Debug, Args)]
pub struct ShoesArgs {
    #[command(subcommand)]
    command: ShoesCommand,
}

#[derive(Debug, Subcommand)]
enum ShoesCommand {
    /// Add a shoe, or update the one with this name.
    Add(AddArgs),
    /// Every shoe with its distance, drop class and retirement reminder.
    List(JsonArg),
    /// Retire a shoe (kept for history, no longer the default).
    Retire(ShoeArg),
    /// Make a shoe the default: on-foot activities with no shoe count on it.
    SetDefault(ShoeArg),
    /// Assign a shoe to one activity.
    Assign(AssignArgs),
    /// Share of weekly distance in each heel-drop class.
    Drops(DropsArgs),
    /// The lower-drop transition plan against the real weekly share.
    Transition(JsonArg),
}

#[derive(Debug, Args)]
struct AddArgs {
    /// The name it is known by (matched against Strava gear names).
    name: String,
    #[arg(long)]
    brand: Option<String>,
    #[arg(long)]
    model: Option<String>,
    /// Heel-to-toe drop, mm (0–20).
    #[arg(long = "drop")]
    drop_mm: Option<f64>,
    /// Heel stack height, mm (0–60).
    #[arg(long = "stack")]
    stack_mm: Option<f64>,
    /// First day worn (default: today for a new shoe).
    #[arg(long, value_parser = crate::output::parse_date)]
    started: Option<NaiveDate>,
    /// Distance at which to retire it: `800km`, `500mi`, or a number in your distance unit
    /// (50–3000 km; default 800 km).
    #[arg(long, alias = "retire-at")]
    retire_km: Option<String>,
}

/// A retirement distance in km from `800km`, `500mi`, `500 miles`, or a bare number in the
/// athlete's unit `bare`.
fn parse_retire(s: &str, bare: soleus_model::units::DistanceUnit) -> Result<f64, String> {
    let t = s.trim().to_ascii_lowercase();
    let (num, per_km) = if let Some(n) = t.strip_suffix("km") {
        (n, 1.0)
    } else if let Some(n) = t
        .strip_suffix("miles")
        .or_else(|| t.strip_suffix("mile"))
        .or_else(|| t.strip_suffix("mi"))
    {
        (
            n,
            soleus_model::units::DistanceUnit::Miles.metres() / 1000.0,
        )
    } else {
        (t.as_str(), bare.metres() / 1000.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a distance: write e.g. 800km or 500mi"))?;
    if !v.is_finite() {
        return Err(format!("{s:?} is not a distance"));
    }
    Ok(v * per_km)
}

#[derive(Debug, Args)]
struct JsonArg {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ShoeArg {
    /// The shoe's name or id.
    shoe: String,
}

#[derive(Debug, Args)]
struct AssignArgs {
    /// The activity's id.
    activity: soleus_app::ActivityId,
    /// The shoe's name or id.
    shoe: String,
}

#[derive(Debug, Args)]
struct DropsArgs {
    /// Number of weeks, ending with this one.
    #[arg(long, default_value_t = 8)]
    weeks: u32,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// The shoe a person named, or the error that says where to look.
async fn find(app: &App, key: &str) -> anyhow::Result<()> {
    match app.find_shoe(key).await {
        Ok(_) => Ok(()),
        Err(AppError::NotFound { .. }) => {
            bail!("no shoe named {:?}: see `soleus shoes list`", key.trim())
        }
        Err(e) => Err(e.into()),
    }
}

/// Runs `soleus shoes`.
pub async fn run(app: &App, args: &ShoesArgs) -> anyhow::Result<u8> {
    match &args.command {
        ShoesCommand::Add(a) => add(app, a).await,
        ShoesCommand::List(a) => report::list(app, a.json).await,
        ShoesCommand::Retire(a) => {
            find(app, &a.shoe).await?;
            let s = app.retire_shoe(&a.shoe).await?;
            println!("Retired {} (kept for history).", s.spec.name);
            Ok(0)
        }
        ShoesCommand::SetDefault(a) => {
            find(app, &a.shoe).await?;
            let s = app.set_default_shoe(&a.shoe).await?;
            println!(
                "{} is now the default: on-foot activities without a shoe count on it.",
                s.spec.name
            );
            Ok(0)
        }
        ShoesCommand::Assign(a) => {
            find(app, &a.shoe).await?;
            let s = app.assign_shoe(a.activity, &a.shoe).await?;
            println!("Activity {}: {}.", a.activity, s.spec.name);
            Ok(0)
        }
        ShoesCommand::Drops(a) => report::drops(app, a.weeks, a.json).await,
        ShoesCommand::Transition(a) => report::transition(app, a.json).await,
    }
}

async fn add(app: &App, a: &AddArgs) -> anyhow::Result<u8> {
    let retire_km = match &a.retire_km {
        Some(t) => Some(
            parse_retire(t, app.athlete().await?.units)
                .map_err(|e| anyhow::anyhow!("--retire-km: {e}"))?,
        ),
        None => None,
    };
    let saved = app
        .add_shoe(&ShoeInput {
            name: a.name.clone(),
            brand: a.brand.clone(),
            model: a.model.clone(),
            drop_mm: a.drop_mm,
            stack_mm: a.stack_mm,
            started: a.started,
            retire_km,
        })
        .await?;
    let verb = if saved.updated { "Updated" } else { "Added" };
    println!(
        "{verb} shoe {}: {}{}.",
        saved.id,
        saved.name,
        opt(saved.drop_mm, |d| format!(
            ", {d:.0} mm drop ({})",
            class_words(DropClass::of(d))
        ))
    );
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn retirement_distances_take_their_unit() {
        // 500 international miles = 804.672 km.
        use soleus_model::units::DistanceUnit::{Km, Miles};
        // A mile is 1.609344 km (international yard and pound agreement, 1959).
        assert!((super::parse_retire("500mi", Km).unwrap() - 804.672).abs() < 1e-9);
        assert_eq!(super::parse_retire("800km", Miles).unwrap(), 800.0);
        assert_eq!(super::parse_retire("650", Km).unwrap(), 650.0);
        // A bare number is in the runner's own unit.
        assert!((super::parse_retire("400", Miles).unwrap() - 643.7376).abs() < 1e-9);
        assert!(super::parse_retire("far", Km).is_err());
    }
}
