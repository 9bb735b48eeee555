//! `soleus checkin`, `soleus checkins` and `soleus assess`: symptom check-ins, red-flag triage
//! first, then the conditions the picture is consistent with and the runner's own load.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use soleus_app::App;
use soleus_model::assess::questions::{Kind, PartialCheckIn, next_question};
use soleus_model::assess::{Assessment, CheckIn, Triage};
use soleus_store::Store;

use crate::profile;

/// `soleus checkin`
#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// A check-in document (JSON, the format in the README); without it, the questions are
    /// asked on the terminal.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// The day it is about (interactive and quick check-ins; default today).
    #[arg(long, value_parser = crate::output::parse_date)]
    pub date: Option<chrono::NaiveDate>,
    /// Quick daily log: pain during the day's run, 0–10 (same side and place as the last
    /// check-in). The plan and the running-through-pain check read these.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10), conflicts_with = "json")]
    pub during: Option<u8>,
    /// Quick daily log: pain after the run, 0–10.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10), conflicts_with = "json")]
    pub after: Option<u8>,
    /// Quick daily log: pain the morning after the run, 0–10 (log it with --date of the run's
    /// day).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10), conflicts_with = "json")]
    pub next_morning: Option<u8>,
    /// How to print the stored check-in's triage: `text` (default) or `json` (one document:
    /// `checkin_id`, `date`, `triage`, `bone_stress_suspected`, `red_flags`, `next_steps`,
    /// `plan_stopped`).
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub output: String,
}

/// `soleus checkins`
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `soleus assess`
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Assess this check-in document instead of the latest stored check-in.
    #[arg(long, value_name = "FILE")]
    pub checkin: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Record the assessment and start the plan that follows it (without it, `assess` only
    /// looks and changes nothing).
    #[arg(long)]
    pub save: bool,
}

fn read_checkin(path: &PathBuf) -> anyhow::Result<CheckIn> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    CheckIn::from_json(&text).with_context(|| format!("{} is not a valid check-in", path.display()))
}

/// Runs `soleus checkin`.
pub async fn run_checkin(app: &App, args: &CheckinArgs) -> anyhow::Result<u8> {
    let store = app.store();
    let quick = args.during.is_some() || args.after.is_some() || args.next_morning.is_some();
    let checkin = match &args.json {
        Some(path) => read_checkin(path)?,
        None if quick => {
            let athlete = profile::load(store).await?;
            let date = match args.date {
                Some(d) => d,
                None => profile::today(&athlete)?,
            };
            let last = store.entries("checkin").await?.into_iter().last().context(
                "a quick pain log continues a check-in: record a full one first with `soleus checkin`",
            )?;
            let mut pain = serde_json::Map::new();
            for (k, v) in [
                ("during_run", args.during),
                ("after_run", args.after),
                ("next_morning", args.next_morning),
            ] {
                if let Some(v) = v {
                    pain.insert(k.into(), v.into());
                }
            }
            let doc = serde_json::json!({
                "date": date, "side": last.body["side"], "regions": last.body["regions"], "pain": pain,
            });
            CheckIn::from_value(doc).context("building the quick check-in")?
        }
        None => {
            if !std::io::stdin().is_terminal() {
                bail!(
                    "no terminal to ask the questions on: pass --json FILE with a check-in document"
                );
            }
            let athlete = profile::load(store).await?;
            let date = match args.date {
                Some(d) => d,
                None => profile::today(&athlete)?,
            };
            ask(date, &athlete)?
        }
    };
    let (id, checkin, a, record) = crate::triage::store_checkin(app, &checkin).await?;
    let plan_level = crate::plan::current_level(store).await?;
    if args.output == "json" {
        let doc = CheckinReport {
            checkin_id: id,
            date: checkin.date,
            triage: a.triage,
            bone_stress_suspected: a.bone_stress_suspected,
            red_flags: &a.red_flags,
            next_steps: &a.next_steps,
            plan_stopped: plan_level.is_some_and(|l| record.stops_plan(l)),
        };
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    println!("Check-in {id} for {} stored.\n", checkin.date);
    print_triage(&a);
    if plan_level.is_some_and(|l| record.stops_plan(l)) {
        println!(
            "\nYour plan is stopped until a clinician's clearance is recorded (soleus plan clear --clinician) or a later full check-in answers these questions without a red flag."
        );
    }
    if a.triage < Triage::Urgent {
        println!("\nSee the whole picture with: soleus assess");
    }
    Ok(0)
}

/// `soleus checkin --output json`.
#[derive(serde::Serialize)]
struct CheckinReport<'a> {
    checkin_id: i64,
    date: chrono::NaiveDate,
    triage: Triage,
    bone_stress_suspected: bool,
    red_flags: &'a [soleus_model::assess::RedFlagHit],
    next_steps: &'a [String],
    plan_stopped: bool,
}

/// The triage line and the red flags, always first.
fn print_triage(a: &Assessment) {
    let level = match a.triage {
        Triage::Emergency => "EMERGENCY",
        Triage::Urgent => "URGENT",
        Triage::Soon => "SOON",
        Triage::SelfCare => "SELF_CARE",
    };
    println!(
        "{level} — {} ({})",
        a.triage_advice.advice, a.triage_advice.how_soon
    );
    for f in &a.red_flags {
        match f.since {
            Some(d) => println!(
                "  ! {}: {} {} (reported on {d}, still in force)",
                f.code,
                f.because,
                crate::output::cite(&[&f.reference])
            ),
            None => println!(
                "  ! {}: {} {}",
                f.code,
                f.because,
                crate::output::cite(&[&f.reference])
            ),
        }
    }
    if a.triage >= Triage::Urgent {
        for s in a.next_steps.iter().skip(1) {
            println!("  → {s}");
        }
    }
}

/// Asks the check-in questions on the terminal, only the ones that apply.
fn ask(
    date: chrono::NaiveDate,
    athlete: &soleus_model::athlete::Athlete,
) -> anyhow::Result<CheckIn> {
    use chrono::Datelike;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut partial = PartialCheckIn::new(date);
    // What the profile already says is not asked again.
    if let Some(sex) = athlete.sex {
        let word = match sex {
            soleus_model::energy::Sex::Male => "male",
            soleus_model::energy::Sex::Female => "female",
        };
        partial.prefill("_sex", serde_json::json!(word));
    }
    if let Some(age) = athlete
        .birth_year
        .and_then(|by| u8::try_from(date.year() - by - 1).ok())
        .filter(|a| (1..=120).contains(a))
    {
        partial.prefill("age_years", serde_json::json!(age));
    }
    println!("Symptom check-in for {date}. Press Enter to skip a question; Ctrl-C to stop.\n");
    while let Some(q) = next_question(&partial) {
        if let Some(how) = q.how_to {
            println!("  How to: {how}");
        }
        let hint = match q.kind {
            Kind::YesNo => " [yes/no]".to_string(),
            Kind::Count { min, max } => format!(" [{min}–{max}]"),
            Kind::Number { min, max } => format!(" [{min}–{max}]"),
            Kind::Choice(options) => format!(" [{}]", options.join("/")),
            Kind::Multi(options) => {
                let list: Vec<String> = options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| match soleus_model::assess::questions::label(o) {
                        Some(name) => format!("{}={name}", i + 1),
                        None => format!("{}={o}", i + 1),
                    })
                    .collect();
                format!("\n  (one or more, comma-separated: {})\n ", list.join(", "))
            }
        };
        loop {
            print!("{}{hint} ", q.prompt);
            std::io::stdout().flush()?;
            let Some(line) = lines.next() else {
                bail!("input ended before the check-in was complete")
            };
            let line = line?;
            if line.trim().is_empty() {
                partial.skip(q);
                break;
            }
            match partial.answer(q, &line) {
                Ok(()) => break,
                Err(e) => println!("  {e}"),
            }
        }
    }
    Ok(partial.finish()?)
}

/// The regions of a stored check-in in plain words.
pub(crate) fn region_names(checkin: &serde_json::Value) -> Vec<&str> {
    checkin["regions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str())
                .map(|r| soleus_model::assess::questions::label(r).unwrap_or(r))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `soleus checkins`.
pub async fn run_list(store: &dyn Store, args: &ListArgs) -> anyhow::Result<u8> {
    let entries = store.entries("checkin").await?;
    let records = crate::triage::records(store).await?;
    if args.json {
        let doc: Vec<_> = entries
            .iter()
            .map(|e| {
                let triage = records
                    .iter()
                    .find(|(_, s)| s.checkin_id == e.id)
                    .map(|(_, s)| &s.record);
                serde_json::json!({"id": e.id, "checkin": e.body, "triage": triage})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "checkins": doc }))?
        );
        return Ok(0);
    }
    if entries.is_empty() {
        println!("No check-ins yet. Record one with: soleus checkin");
        return Ok(0);
    }
    let mut t = crate::output::table(
        &[
            "ID",
            "Date",
            "Side",
            "Where",
            "Pain now",
            "Next morning",
            "Trend",
            "Triage",
        ],
        &[0, 4, 5],
    );
    for e in &entries {
        let b = &e.body;
        let s = |v: &serde_json::Value| v.as_str().map_or("—".to_string(), str::to_string);
        let n = |v: &serde_json::Value| v.as_u64().map_or("—".to_string(), |x| x.to_string());
        let regions = region_names(b);
        let triage = records.iter().find(|(_, s)| s.checkin_id == e.id).map_or(
            "—".to_string(),
            |(_, s)| {
                serde_json::to_value(s.record.triage)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            },
        );
        t.add_row(vec![
            e.id.to_string(),
            e.day.to_string(),
            s(&b["side"]),
            regions.join(", "),
            n(&b["pain"]["now"]),
            n(&b["pain"]["next_morning"]),
            s(&b["trend"]),
            triage,
        ]);
    }
    println!("{t}");
    Ok(0)
}

/// Runs `soleus assess`.
pub async fn run_assess(app: &App, args: &AssessArgs) -> anyhow::Result<u8> {
    let store = app.store();
    // A check-in given as a file is stored like any other: the plan that follows an
    // assessment must be able to find the check-in it came from.
    let (checkin, checkin_id, a) = match &args.checkin {
        Some(path) => {
            let c = read_checkin(path)?;
            let (id, c, a, _) = crate::triage::store_checkin(app, &c).await?;
            (c, id, a)
        }
        None => {
            let entries = store.entries("checkin").await?;
            let last = entries.last().context(
                "no check-in yet: record one with `soleus checkin`, or pass --checkin FILE",
            )?;
            let c = CheckIn::from_value(last.body.clone())
                .context("the stored check-in is unreadable")?;
            let (a, _) = crate::triage::assess_in_context(app, &c, Some(last.id)).await?;
            (c, last.id, a)
        }
    };
    let mut doc = serde_json::to_value(&a)?;
    doc["checkin_id"] = serde_json::json!(checkin_id);
    let mut plan_note = None;
    if args.save {
        let id = store.add_entry("assessment", checkin.date, &doc).await?;
        let entry = store
            .entries("assessment")
            .await?
            .into_iter()
            .find(|e| e.id == id)
            .context("the saved assessment is missing")?;
        plan_note = Some(crate::plan::start_from_assessment(store, &entry).await?);
        doc["assessment_id"] = serde_json::json!(id);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        println!("Assessment of check-in {checkin_id} ({}).\n", checkin.date);
        print_assessment(&a);
        match plan_note {
            Some(n) => println!("\nSaved. {n}"),
            None if a.triage >= Triage::Urgent => println!(
                "\nNothing was recorded. `soleus assess --save` records it for your clinician; no plan is followed before a clinician has seen you."
            ),
            None => println!(
                "\nNothing was recorded. Save this assessment and start the plan that follows it with: soleus assess --save"
            ),
        }
    }
    Ok(0)
}

fn print_assessment(a: &Assessment) {
    print_triage(a);
    if matches!(a.triage, Triage::Emergency | Triage::Urgent) {
        println!(
            "\nSee a clinician before anything else; Soleus shows no plan or exercise until then."
        );
        if !a.conditions.is_empty() {
            println!("For the clinician, what you reported is consistent with (not a diagnosis):");
            for c in &a.conditions {
                println!("  · {}", c.summary);
            }
        }
        println!("\n{}", a.disclaimer);
        return;
    } else if !a.conditions.is_empty() {
        println!("\nThe picture is consistent with (most likely first; this is not a diagnosis):");
        for c in &a.conditions {
            let code = serde_json::to_value(c.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            println!(
                "\n  {code} (score {:.2}) — {} {}",
                c.score,
                c.summary,
                crate::output::cite(&c.references)
            );
            for s in &c.supporting {
                println!("    + {s}");
            }
            for s in &c.against {
                println!("    − {s}");
            }
            if let Some(rtr) = &c.rtr {
                println!("    Typical return to running: {rtr}");
            }
        }
    }
    if !a.load_findings.is_empty() {
        println!("\nWhat your own training shows:");
        for l in &a.load_findings {
            println!("  · {}: {}", l.code, l.because);
        }
    }
    println!("\nNext steps:");
    for s in &a.next_steps {
        println!("  → {s}");
    }
    println!("\n{}", a.disclaimer);
}
