//! `soleus shoes`: add, list, retire and assign shoes; the share of weekly distance in each
//! heel-drop class; and the lower-drop transition plan against what was really run
//! (knowledge base §4).

use anyhow::{Context, bail};
use chrono::{Duration, NaiveDate};
use clap::{Args, Subcommand};
use soleus_model::athlete::Athlete;
use soleus_model::plan::PlanHistory;
use soleus_model::shoes::{
    self, DropClass, Shoe, ShoeRun, TransitionCheck, TransitionInput, TransitionPlan,
};
use soleus_store::{ShoeRow, ShoeSpec, Store};

use crate::output::opt;
use crate::profile;

mod report;

/// Retirement distance when none is given: 800 km, the upper end of the 500–800 km usually
/// quoted. A Soleus convention; no study sets a number.
pub const DEFAULT_RETIRE_KM: f64 = 800.0;

/// Body mass above which minimal-shoe runners had more injuries [Fuller17]; the plan's
/// footwear caution uses it too.
pub const HEAVIER_KG: f64 = 71.4;

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
    /// Distance at which to retire it: `800km`, `500mi`, or a number of km (50–3000 km;
    /// default 800 km).
    #[arg(long, alias = "retire-at", value_parser = parse_retire)]
    retire_km: Option<f64>,
}

/// A retirement distance in km from `800km`, `500mi`, `500 miles` or a bare number of km.
fn parse_retire(s: &str) -> Result<f64, String> {
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
        (t.as_str(), 1.0)
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
    activity: i64,
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

/// The stored shoes and on-foot runs as the shoe model reads them.
pub struct ShoeData {
    /// As stored.
    pub rows: Vec<ShoeRow>,
    /// Every shoe; a shoe without a drop gets 0 here and is left out of drop figures.
    pub all: Vec<Shoe>,
    /// On-foot activities, local dates, with the shoe the store assigned.
    pub runs: Vec<ShoeRun>,
}

impl ShoeData {
    /// Shoes whose drop is known; none is the default because [`Self::resolved`] has already
    /// applied the default-shoe rule.
    fn with_drop(&self) -> Vec<Shoe> {
        self.all
            .iter()
            .zip(&self.rows)
            .filter(|(_, r)| r.spec.drop_mm.is_some())
            .map(|(s, _)| Shoe {
                default: false,
                ..s.clone()
            })
            .collect()
    }

    /// Runs with the shoe each counts on (assigned, or the default worn that day).
    fn resolved(&self) -> Vec<ShoeRun> {
        self.runs
            .iter()
            .map(|r| ShoeRun {
                shoe_id: shoes::assign(&self.all, r),
                ..r.clone()
            })
            .collect()
    }
}

/// Reads shoes and runs from the store.
pub async fn load(store: &dyn Store, athlete: &Athlete) -> anyhow::Result<ShoeData> {
    let tz = profile::tz_fn(athlete)?;
    let today = profile::today(athlete)?;
    let runs: Vec<ShoeRun> = store
        .summaries()
        .await?
        .into_iter()
        .filter(|r| r.summary.sport.is_on_foot())
        .map(|r| ShoeRun {
            date: r.summary.local_date(tz.as_ref()),
            km: r.summary.km(),
            shoe_id: r.shoe_id,
            gear_name: None,
        })
        .collect();
    let rows = store.shoes().await?;
    let all = rows
        .iter()
        .map(|r| {
            // A shoe created from a Strava gear name has no start day: its first run is one.
            let first_run = runs
                .iter()
                .filter(|x| x.shoe_id == Some(r.id))
                .map(|x| x.date)
                .min();
            Shoe {
                id: r.id,
                brand: r.spec.brand.clone().unwrap_or_default(),
                model: r.spec.model.clone().unwrap_or_default(),
                name: r.spec.name.clone(),
                drop_mm: r.spec.drop_mm.unwrap_or(0.0),
                stack_mm: r.spec.stack_mm,
                started_on: r.spec.started_on.or(first_run).unwrap_or(today),
                retire_km: r.spec.retire_km.unwrap_or(DEFAULT_RETIRE_KM),
                retired_on: r.retired.then_some(today),
                default: r.is_default,
            }
        })
        .collect();
    Ok(ShoeData { rows, all, runs })
}

/// The transition plan and this week's check, when the athlete's usual shoe has a known drop
/// and a shoe at least [`shoes::LOWER_DROP_MM`] lower has been worn.
pub fn transition(
    data: &ShoeData,
    athlete: &Athlete,
    history: PlanHistory,
    on: NaiveDate,
) -> Option<(TransitionPlan, TransitionCheck)> {
    let usual = athlete
        .usual_shoe
        .as_deref()
        .and_then(|n| data.rows.iter().find(|r| r.spec.name == n))
        .and_then(|r| r.spec.drop_mm)?;
    let runs = data.resolved();
    let known = data.with_drop();
    // The lowest-drop shoe that has been run in and counts as lower-drop; its first use (or its
    // start day, if earlier) starts the transition.
    let (target, start) = known
        .iter()
        .filter(|s| s.drop_mm <= usual - shoes::LOWER_DROP_MM)
        .filter_map(|s| {
            let first = runs
                .iter()
                .filter(|r| r.shoe_id == Some(s.id))
                .map(|r| r.date)
                .min()?;
            Some((s, first.min(s.started_on)))
        })
        .min_by(|a, b| a.0.drop_mm.total_cmp(&b.0.drop_mm))?;
    // Usual weekly km: the four weeks before the transition started.
    let weekly_km = runs
        .iter()
        .filter(|r| r.date < start && r.date >= start - Duration::days(28))
        .map(|r| r.km)
        .sum::<f64>()
        / 4.0;
    let mut history = history;
    history.heavier_runner |= athlete.weight_kg.is_some_and(|w| w > HEAVIER_KG);
    history.bone_stress |= athlete.bone_stress_injuries > 0;
    let plan = shoes::transition_plan(&TransitionInput {
        start,
        usual_drop_mm: usual,
        target_drop_mm: target.drop_mm,
        history,
        weekly_km: (weekly_km > 0.0).then_some(weekly_km),
    });
    let check = shoes::transition_check(&plan, &known, &runs, on);
    Some((plan, check))
}

/// Earlier Achilles problems named in any check-in's history.
pub async fn achilles_history(store: &dyn Store) -> anyhow::Result<bool> {
    Ok(store.entries("checkin").await?.iter().any(|e| {
        e.body["history"]["previous_injuries"]
            .as_array()
            .is_some_and(|a| {
                a.iter()
                    .any(|v| v.as_str().is_some_and(|s| s.starts_with("ACHILLES")))
            })
    }))
}

/// The share of weekly km the transition plan allows on `on`, for FOOTWEAR_TRANSITION_FAST.
pub async fn footwear_allowed_pct(
    store: &dyn Store,
    athlete: &Athlete,
    on: NaiveDate,
) -> anyhow::Result<Option<f64>> {
    if athlete.usual_shoe.is_none() {
        return Ok(None);
    }
    let data = load(store, athlete).await?;
    let history = PlanHistory {
        achilles: achilles_history(store).await?,
        ..PlanHistory::default()
    };
    Ok(transition(&data, athlete, history, on).map(|(p, _)| p.allowed_pct_on(on)))
}

/// The shoe a user named, by id or name.
fn find<'a>(rows: &'a [ShoeRow], key: &str) -> anyhow::Result<&'a ShoeRow> {
    let key = key.trim();
    let by_id = key.parse::<i64>().ok();
    rows.iter()
        .find(|r| Some(r.id) == by_id)
        .or_else(|| {
            rows.iter()
                .find(|r| r.spec.name.trim().eq_ignore_ascii_case(key))
        })
        .with_context(|| format!("no shoe named {key:?}: see `soleus shoes list`"))
}

/// Runs `soleus shoes`.
pub async fn run(store: &dyn Store, args: &ShoesArgs) -> anyhow::Result<u8> {
    let athlete = profile::load(store).await?;
    match &args.command {
        ShoesCommand::Add(a) => add(store, &athlete, a).await,
        ShoesCommand::List(a) => report::list(store, &athlete, a.json).await,
        ShoesCommand::Retire(a) => {
            let rows = store.shoes().await?;
            let s = find(&rows, &a.shoe)?;
            store.set_shoe_retired(s.id, true).await?;
            println!("Retired {} (kept for history).", s.spec.name);
            Ok(0)
        }
        ShoesCommand::SetDefault(a) => {
            let rows = store.shoes().await?;
            let s = find(&rows, &a.shoe)?;
            if s.retired {
                bail!("{} is retired and cannot be the default", s.spec.name);
            }
            store.set_default_shoe(Some(s.id)).await?;
            println!(
                "{} is now the default: on-foot activities without a shoe count on it.",
                s.spec.name
            );
            Ok(0)
        }
        ShoesCommand::Assign(a) => {
            let rows = store.shoes().await?;
            let s = find(&rows, &a.shoe)?;
            store
                .set_activity_shoe(a.activity, Some(s.id))
                .await
                .with_context(|| format!("assigning {} to activity {}", s.spec.name, a.activity))?;
            println!("Activity {}: {}.", a.activity, s.spec.name);
            Ok(0)
        }
        ShoesCommand::Drops(a) => report::drops(store, &athlete, a.weeks, a.json).await,
        ShoesCommand::Transition(a) => report::transition(store, &athlete, a.json).await,
    }
}

async fn add(store: &dyn Store, athlete: &Athlete, a: &AddArgs) -> anyhow::Result<u8> {
    let rows = store.shoes().await?;
    let existing = rows.iter().find(|r| r.spec.name == a.name.trim());
    // A new shoe without a start day starts today; an existing one keeps its own.
    let started = match (a.started, existing) {
        (Some(d), _) => Some(d),
        (None, None) => Some(profile::today(athlete)?),
        (None, Some(_)) => None,
    };
    let spec = ShoeSpec {
        name: a.name.trim().to_owned(),
        brand: a.brand.clone(),
        model: a.model.clone(),
        drop_mm: a.drop_mm,
        stack_mm: a.stack_mm,
        started_on: started,
        retire_km: a.retire_km,
    };
    // The model's ranges: drop 0–20 mm, stack 0–60 mm, retirement 50–3000 km.
    Shoe {
        id: 0,
        brand: String::new(),
        model: String::new(),
        name: spec.name.clone(),
        drop_mm: spec.drop_mm.unwrap_or(0.0),
        stack_mm: spec.stack_mm,
        started_on: started.unwrap_or(NaiveDate::MIN),
        retire_km: spec.retire_km.unwrap_or(DEFAULT_RETIRE_KM),
        retired_on: None,
        default: false,
    }
    .validate()?;
    if spec.name.is_empty() {
        bail!("a shoe needs a name");
    }
    let id = store.save_shoe(&spec).await?;
    let verb = if existing.is_some() {
        "Updated"
    } else {
        "Added"
    };
    println!(
        "{verb} shoe {id}: {}{}.",
        spec.name,
        opt(spec.drop_mm, |d| format!(
            ", {d:.0} mm drop ({})",
            class_words(DropClass::of(d))
        ))
    );
    Ok(0)
}

/// Words for a drop class.
pub fn class_words(c: DropClass) -> &'static str {
    match c {
        DropClass::Zero => "zero drop",
        DropClass::Low => "low drop, 1-4 mm",
        DropClass::Mid => "mid drop, 5-8 mm",
        DropClass::High => "high drop, 9 mm or more",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn retirement_distances_take_their_unit() {
        // 500 international miles = 804.672 km.
        assert!((super::parse_retire("500mi").unwrap() - 804.672).abs() < 1e-9);
        assert_eq!(super::parse_retire("800km").unwrap(), 800.0);
        assert_eq!(super::parse_retire("650").unwrap(), 650.0);
        assert!(super::parse_retire("far").is_err());
    }
}
