//! `soleus plan` and `soleus today`: the rehab and return-to-run plan built from the latest
//! assessment (or started by a clinician for a known condition), replayed over the runs and
//! check-ins the athlete logs.
//!
//! The active plan is a journal entry of kind `plan` holding the model's `PlanInput`; a newer
//! `assessment` entry starts a new plan. Clinician clearances are entries of kind `clearance`,
//! the calf-strain checklist entries of kind `checklist`.

pub(crate) mod events;
mod show;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::{Deserialize, Serialize};
use soleus_model::clinical::{Condition, Triage};
use soleus_model::plan::{MuscleChecklist, PlanInput, Side};
use soleus_store::Store;

use crate::profile;

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

/// The body of a `plan` journal entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    input: PlanInput,
    /// `assessment` or `clinician`.
    source: String,
    /// The assessment entry it was built from.
    #[serde(default)]
    assessment_id: Option<i64>,
}

fn code<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> anyhow::Result<T> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_uppercase()))
        .with_context(|| format!("{what} {s:?} is not a known code"))
}

/// The level the latest stored plan was built for, if there is a plan (reading only).
pub(crate) async fn current_level(store: &dyn Store) -> anyhow::Result<Option<Triage>> {
    let newest = store
        .entries("plan")
        .await?
        .into_iter()
        .max_by_key(|e| e.id);
    Ok(newest
        .and_then(|p| serde_json::from_value::<Stored>(p.body).ok())
        .map(|s| s.input.triage))
}

/// What a clinic report shows of the plan.
pub(crate) struct ReportPlan {
    /// "a soleus strain or overuse".
    pub condition: &'static str,
    /// The plan's first day.
    pub started_on: NaiveDate,
    /// Where it stands (a stage id), or why it is stopped.
    pub status: String,
    /// Every decision.
    pub decisions: Vec<soleus_model::plan::Decision>,
    /// Every clinician's clearance.
    pub clearances: Vec<events::Clearance>,
}

/// The active plan replayed up to `day`, for a report.
pub(crate) async fn for_report(
    store: &dyn Store,
    day: NaiveDate,
) -> anyhow::Result<Option<ReportPlan>> {
    let Ok(Some(stored)) = active(store).await else {
        return Ok(None);
    };
    let athlete = profile::load(store).await?;
    let view = events::replayed(store, &athlete, &stored.input, day).await?;
    let status = match (&view.state.red_flag, view.state.blocked) {
        (Some(m), _) => m.clone(),
        (None, true) => view
            .plan
            .blocked
            .as_ref()
            .map_or("waiting for a clinician".into(), |b| b.message.clone()),
        (None, false) => view
            .plan
            .stages
            .get(view.state.stage)
            .map_or("—".into(), |s| {
                format!(
                    "stage {} ({}) since {}",
                    s.id, s.phase, view.state.stage_since
                )
            }),
    };
    Ok(Some(ReportPlan {
        condition: soleus_model::plan::condition_words(view.plan.input.condition),
        started_on: view.plan.input.started_on,
        status,
        decisions: view.decisions,
        clearances: view.clearances,
    }))
}

/// The active plan: the latest `plan` entry, unless a newer assessment replaces it.
async fn active(store: &dyn Store) -> anyhow::Result<Option<Stored>> {
    let newest = |v: Vec<soleus_store::JournalEntry>| v.into_iter().max_by_key(|e| e.id);
    let plan = newest(store.entries("plan").await?);
    let assessment = newest(store.entries("assessment").await?);
    // Reading never writes: an assessment saved before plans were stored with it is read as
    // the plan it would start.
    if let Some(a) = assessment.filter(|a| plan.as_ref().is_none_or(|p| p.id < a.id)) {
        return from_assessment(store, &a).await;
    }
    match plan {
        Some(p) => {
            Ok(Some(serde_json::from_value(p.body).with_context(|| {
                format!("plan entry {} is unreadable", p.id)
            })?))
        }
        None => Ok(None),
    }
}

/// Starts the plan that follows a saved assessment, and says what happened: which plan it
/// starts, which one it replaces (that one's entry and decisions stay in the journal), or why
/// no plan is started.
pub(crate) async fn start_from_assessment(
    store: &dyn Store,
    a: &soleus_store::JournalEntry,
) -> anyhow::Result<String> {
    let previous = store
        .entries("plan")
        .await?
        .into_iter()
        .max_by_key(|e| e.id)
        .and_then(|p| serde_json::from_value::<Stored>(p.body).ok());
    let stored = match from_assessment(store, a).await {
        Ok(Some(s)) => s,
        Ok(None) => return Ok("No plan: the assessment names no condition.".into()),
        Err(e) if e.downcast_ref::<ClinicianFirst>().is_some() => {
            return Ok(
                "No plan: a red flag comes first; see a clinician (the triage above says how soon)."
                    .into(),
            );
        }
        Err(e) => return Err(e),
    };
    store
        .add_entry(
            "plan",
            stored.input.started_on,
            &serde_json::to_value(&stored)?,
        )
        .await?;
    let built = soleus_model::plan::build_plan(&stored.input);
    let mut msg = match &built.blocked {
        Some(b) => format!("No plan is followed yet: {}", b.message),
        None => format!(
            "Started a plan on {} for a picture consistent with {}; see it with `soleus plan`.",
            stored.input.started_on,
            soleus_model::plan::condition_words(built.input.condition)
        ),
    };
    if let Some(p) = previous {
        msg.push_str(&format!(
            " It replaces the plan started on {} for {}, which stays in the journal with its decisions.",
            p.input.started_on,
            soleus_model::plan::condition_words(p.input.condition)
        ));
    }
    Ok(msg)
}

/// A plan input from an assessment document (its top condition, grade and triage).
async fn from_assessment(
    store: &dyn Store,
    a: &soleus_store::JournalEntry,
) -> anyhow::Result<Option<Stored>> {
    let top = &a.body["conditions"][0];
    let triage: Triage = serde_json::from_value(a.body["triage"].clone())
        .with_context(|| format!("assessment {} has no readable triage", a.id))?;
    let condition: Option<Condition> = match top.get("code") {
        Some(c) => Some(
            serde_json::from_value(c.clone())
                .with_context(|| format!("assessment {}: unknown condition {c}", a.id))?,
        ),
        None => None,
    };
    let Some(condition) = condition else {
        // A red flag with no condition named still blocks everything.
        if triage >= Triage::Urgent {
            return Err(ClinicianFirst(triage).into());
        }
        return Ok(None);
    };
    let grade = top["grade"].as_u64().and_then(|g| u8::try_from(g).ok());
    let mut input = events::input(store, condition, grade, triage, Side::Both, a.day).await?;
    input.bone_stress_suspected = a.body["bone_stress_suspected"] == serde_json::json!(true);
    let flags = a.body["red_flags"].as_array().cloned().unwrap_or_default();
    input.history.fluoroquinolone |= flags
        .iter()
        .any(|f| f["code"] == "FLUOROQUINOLONE_ACHILLES");
    Ok(Some(Stored {
        input,
        source: "assessment".into(),
        assessment_id: Some(a.id),
    }))
}

/// Runs `soleus plan`.
pub async fn run(store: &dyn Store, args: &PlanArgs) -> anyhow::Result<u8> {
    let athlete = profile::load(store).await?;
    let today = profile::today(&athlete)?;
    match &args.command {
        Some(PlanCommand::Start(s)) => {
            let condition: Condition = code("condition", &s.condition)?;
            let triage: Triage = code("triage", &s.triage)?;
            let side: Side =
                serde_json::from_value(serde_json::Value::String(s.side.trim().to_lowercase()))
                    .with_context(|| format!("side {:?} is not left, right or both", s.side))?;
            let on = s.on.unwrap_or(today);
            let input = events::input(store, condition, s.grade, triage, side, on).await?;
            let stored = Stored {
                input,
                source: "clinician".into(),
                assessment_id: None,
            };
            store
                .add_entry("plan", on, &serde_json::to_value(&stored)?)
                .await?;
            println!(
                "Started a plan on {on} for a picture consistent with {}. See it with `soleus plan`.",
                soleus_model::plan::condition_words(condition)
            );
            Ok(0)
        }
        Some(PlanCommand::Clear(c)) => {
            debug_assert!(c.clinician);
            let on = c.on.unwrap_or(today);
            let clearance = events::Clearance {
                date: on,
                name: c.by.clone(),
                note: c.note.clone(),
            };
            store
                .add_entry("clearance", on, &serde_json::to_value(&clearance)?)
                .await?;
            match &c.by {
                Some(name) => println!("Recorded a clearance by {name} on {on}."),
                None => println!("Recorded a clinician's clearance on {on}."),
            }
            Ok(0)
        }
        Some(PlanCommand::Checklist(c)) => {
            let list = MuscleChecklist {
                date: c.on.unwrap_or(today),
                raises: c.raises,
                side_diff_pct: c.side_diff_pct,
                palpation_pain: c.palpation_pain,
                knee_to_wall_diff_pct: c.knee_to_wall_diff_pct,
                daily_life_pain_free: c.daily_life_pain_free,
                brisk_walk_30_pain_free: c.brisk_walk_pain_free,
            };
            if !(list.side_diff_pct.is_finite() && list.knee_to_wall_diff_pct.is_finite()) {
                bail!("the side differences must be numbers");
            }
            store
                .add_entry("checklist", list.date, &serde_json::to_value(list)?)
                .await?;
            println!("Recorded the return-to-run checklist for {}.", list.date);
            Ok(0)
        }
        None => {
            let stored = match active_or_blocked(store, args.json).await? {
                Ok(Some(s)) => s,
                Ok(None) => return no_plan(args.json),
                Err(code) => return Ok(code),
            };
            let view = events::replayed(store, &athlete, &stored.input, today).await?;
            if args.history {
                show::history(&view, args.json)
            } else {
                show::plan(&view, &stored.source, args.json)
            }
        }
    }
}

/// Runs `soleus today`.
pub async fn run_today(store: &dyn Store, args: &TodayArgs) -> anyhow::Result<u8> {
    let athlete = profile::load(store).await?;
    let day = match args.on {
        Some(d) => d,
        None => profile::today(&athlete)?,
    };
    let stored = match active_or_blocked(store, args.json).await? {
        Ok(Some(s)) => s,
        Ok(None) => return no_plan(args.json),
        Err(code) => return Ok(code),
    };
    let view = events::replayed(store, &athlete, &stored.input, day).await?;
    show::today(&view, args.json)
}

/// The latest assessment found a red flag but named no condition: nothing to plan, and the
/// answer is the clinician-first message, not an error.
#[derive(Debug)]
struct ClinicianFirst(Triage);

impl std::fmt::Display for ClinicianFirst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "The latest check-in or assessment has a red flag: see a clinician first (soleus assess says how soon). No plan is shown until then."
        )
    }
}

impl std::error::Error for ClinicianFirst {}

impl ClinicianFirst {
    /// Prints the clinician-first answer (text or JSON); the command then exits 0.
    fn print(&self, json: bool) -> anyhow::Result<Result<Option<Stored>, u8>> {
        if json {
            let doc = serde_json::json!({ "blocked": { "triage": self.0, "message": self.to_string(), "lifted_by_clearance": false } });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        } else {
            println!("{self}");
        }
        Ok(Err(0))
    }
}

/// The active plan, or the clinician-first answer printed (and `Err(code)` to return).
async fn active_or_blocked(
    store: &dyn Store,
    json: bool,
) -> anyhow::Result<Result<Option<Stored>, u8>> {
    match active(store).await {
        Ok(None) => {
            // No plan, but the latest check-in's triage is same-day or emergency: the answer is
            // still the way to a clinician, not "no plan yet".
            let latest = crate::triage::records(store).await?.pop();
            match latest.filter(|(_, s)| s.record.triage >= Triage::Urgent) {
                Some((_, s)) => ClinicianFirst(s.record.triage).print(json),
                None => Ok(Ok(None)),
            }
        }
        Ok(s) => Ok(Ok(s)),
        Err(e) => match e.downcast_ref::<ClinicianFirst>() {
            Some(c) => c.print(json),
            None => Err(e),
        },
    }
}

fn no_plan(json: bool) -> anyhow::Result<u8> {
    if json {
        println!("{}", serde_json::json!({ "plan": null }));
    } else {
        println!(
            "No plan yet: run `soleus assess`, or start one for a known condition with `soleus plan start --condition CODE`."
        );
    }
    Ok(0)
}
