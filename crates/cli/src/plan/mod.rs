//! `soleus plan` and `soleus today`: the rehab and return-to-run plan built from the latest
//! saved assessment (or started by a clinician for a known condition), replayed over the runs
//! and check-ins the athlete logs. The use cases are `soleus_app::App::plan` and its
//! neighbours; this module parses the arguments and prints the answers.

mod show;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use soleus_app::App;
use soleus_app::plan::{self, ChecklistResults, PlanStart};
use soleus_model::plan::condition_words;

/// `soleus plan`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PlanArgs {
    #[command(subcommand)]
    command: Option<PlanCommand>,
    /// Show each decision (advance, hold, step back) with its reason, and flagged runs.
    #[arg(long)]
    history: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum PlanCommand {
    /// Start a plan for a known condition (for example one a clinician has assessed).
    Start(StartArgs),
    /// Record a clinician's clearance (lifts the wait of a suspected bone stress injury).
    Clear(ClearArgs),
    /// Record the calf-strain return-to-run checklist (heel raises, side difference, calf
    /// pressure pain, knee-to-wall).
    Checklist(ChecklistArgs),
}

#[derive(Debug, Args)]
struct StartArgs {
    /// Condition code, e.g. ACHILLES_MIDPORTION, ACHILLES_INSERTIONAL, SOLEUS_STRAIN, MTSS.
    #[arg(long)]
    condition: String,
    /// Strain grade 1-3, when known.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
    grade: Option<u8>,
    /// Triage level: SELF_CARE, SOON, URGENT or EMERGENCY.
    #[arg(long, default_value = "SELF_CARE")]
    triage: String,
    /// The painful side: left, right or both.
    #[arg(long, default_value = "both")]
    side: String,
    /// First day of the plan (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    on: Option<NaiveDate>,
}

#[derive(Debug, Args)]
struct ClearArgs {
    /// Confirms that a clinician has assessed you and cleared a return to loading.
    #[arg(long, required = true)]
    clinician: bool,
    /// Day of the clearance (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    on: Option<NaiveDate>,
    /// Who cleared it (the clinician's name).
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
    /// What the clinician found or advised (e.g. "MRI grade 1; walk-run from week 3").
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
}

#[derive(Debug, Args)]
struct ChecklistArgs {
    /// Single-leg heel raises from the floor on the painful side.
    #[arg(long)]
    raises: u32,
    /// Side difference in raises, percent.
    #[arg(long)]
    side_diff_pct: f64,
    /// Pain on pressing the calf, 0-10.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10))]
    palpation_pain: u8,
    /// Side difference in knee-to-wall distance, percent.
    #[arg(long)]
    knee_to_wall_diff_pct: f64,
    /// Daily life is pain-free.
    #[arg(long)]
    daily_life_pain_free: bool,
    /// 30 minutes of brisk walking are pain-free.
    #[arg(long)]
    brisk_walk_pain_free: bool,
    /// Day of the tests (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    on: Option<NaiveDate>,
}

/// `soleus today`
#[derive(Debug, Args)]
pub struct TodayArgs {
    /// The day (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    on: Option<NaiveDate>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `soleus plan`.
pub async fn run(app: &App, args: &PlanArgs) -> anyhow::Result<u8> {
    crate::profile::note_utc(app).await?;
    match &args.command {
        Some(PlanCommand::Start(s)) => {
            let start = PlanStart {
                condition: plan::parse_condition(&s.condition)?,
                grade: s.grade,
                triage: plan::parse_triage(&s.triage)?,
                side: plan::parse_side(&s.side)?,
                on: s.on,
            };
            let input = app.start_plan(&start).await?;
            println!(
                "Started a plan on {} for a picture consistent with {}. See it with `soleus plan`.",
                input.started_on,
                condition_words(input.condition)
            );
            Ok(0)
        }
        Some(PlanCommand::Clear(c)) => {
            debug_assert!(c.clinician);
            let clearance = app
                .record_clearance(c.on, c.by.clone(), c.note.clone())
                .await?;
            match &clearance.name {
                Some(name) => println!("Recorded a clearance by {name} on {}.", clearance.date),
                None => println!("Recorded a clinician's clearance on {}.", clearance.date),
            }
            Ok(0)
        }
        Some(PlanCommand::Checklist(c)) => {
            let results = ChecklistResults {
                raises: c.raises,
                side_diff_pct: c.side_diff_pct,
                palpation_pain: c.palpation_pain,
                knee_to_wall_diff_pct: c.knee_to_wall_diff_pct,
                daily_life_pain_free: c.daily_life_pain_free,
                brisk_walk_30_pain_free: c.brisk_walk_pain_free,
            };
            let list = app.record_checklist(c.on, &results).await?;
            println!("Recorded the return-to-run checklist for {}.", list.date);
            Ok(0)
        }
        None if args.history => show::history(&app.plan_history().await?, args.json),
        None => show::plan(&app.plan().await?, args.json),
    }
}

/// Runs `soleus today`.
pub async fn run_today(app: &App, args: &TodayArgs) -> anyhow::Result<u8> {
    let answer = app.today(args.on).await?;
    // Days matter to the answer when today is the default or a plan was replayed.
    if args.on.is_none() || matches!(answer, plan::PlanAnswer::Shown(_)) {
        crate::profile::note_utc(app).await?;
    }
    show::today(&answer, args.json)
}
