//! `soleus checkin`, `soleus checkins` and `soleus assess`: symptom check-ins, red-flag triage
//! first, then the conditions the picture is consistent with and the runner's own load.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use soleus_app::App;
use soleus_app::checkin::{AssessWhat, PainLog};
use soleus_app::plan::PlanStarted;
use soleus_model::assess::questions::{Kind, PartialCheckIn, next_question};
use soleus_model::assess::{Assessment, CheckIn, PainScore, Triage};
use soleus_model::plan::condition_words;

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
    let quick = args.during.is_some() || args.after.is_some() || args.next_morning.is_some();
    let saved = match &args.json {
        Some(path) => {
            let c = read_checkin(path)?;
            profile::note_utc(app).await?;
            app.store_checkin(&c).await?
        }
        None if quick => {
            if args.date.is_none() {
                profile::note_utc(app).await?;
            }
            let saved = app
                .log_pain(&PainLog {
                    date: args.date,
                    during: args.during,
                    after: args.after,
                    next_morning: args.next_morning,
                })
                .await?;
            profile::note_utc(app).await?;
            saved
        }
        None => {
            if !std::io::stdin().is_terminal() {
                bail!(
                    "no terminal to ask the questions on: pass --json FILE with a check-in document"
                );
            }
            let athlete = app.athlete().await?;
            let date = match args.date {
                Some(d) => d,
                None => profile::today(&athlete)?,
            };
            let c = ask(date, &athlete)?;
            app.store_checkin(&c).await?
        }
    };
    if args.output == "json" {
        crate::output::print_json(&saved)?;
        return Ok(0);
    }
    println!("Check-in {} for {} stored.\n", saved.checkin_id, saved.date);
    print_triage(&saved.assessment);
    if saved.plan_stopped {
        println!(
            "\nYour plan is stopped until a clinician's clearance is recorded (soleus plan clear --clinician) or a later full check-in answers these questions without a red flag."
        );
    }
    if saved.triage < Triage::Urgent {
        println!("\nSee the whole picture with: soleus assess");
    }
    Ok(0)
}

/// The triage line and the red flags, always first.
fn print_triage(a: &Assessment) {
    let level = a.triage.code();
    println!(
        "{level} — {} ({})",
        a.triage_advice.advice, a.triage_advice.how_soon
    );
    for f in &a.red_flags {
        match f.since {
            Some(d) => println!(
                "  ! {}: {} {} (reported on {d}, still in force)",
                f.code,
                soleus_model::references::in_words(&f.because),
                crate::output::cite(&[&f.reference])
            ),
            None => println!(
                "  ! {}: {} {}",
                f.code,
                soleus_model::references::in_words(&f.because),
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
        partial.prefill("_sex", serde_json::Value::from(word));
    }
    if let Some(age) = athlete
        .birth_year
        .and_then(|by| u8::try_from(date.year() - by - 1).ok())
        .filter(|a| (1..=120).contains(a))
    {
        partial.prefill("age_years", serde_json::Value::from(age));
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

/// Runs `soleus checkins`.
pub async fn run_list(app: &App, args: &ListArgs) -> anyhow::Result<u8> {
    let view = app.checkins().await?;
    if args.json {
        crate::output::print_json_sorted(&view)?;
        return Ok(0);
    }
    if view.checkins.is_empty() {
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
    for row in &view.checkins {
        let c = &row.checkin;
        let pain = c.pain.clone().unwrap_or_default();
        let n = |v: Option<PainScore>| v.map_or("—".to_string(), |x| x.get().to_string());
        t.add_row(vec![
            row.id.to_string(),
            c.date.to_string(),
            crate::output::code(&c.side),
            row.region_names().join(", "),
            n(pain.now),
            n(pain.next_morning),
            c.trend.map_or("—".to_string(), |x| crate::output::code(&x)),
            row.triage
                .as_ref()
                .map_or("—".to_string(), |r| r.triage.code().to_string()),
        ]);
    }
    println!("{t}");
    Ok(0)
}

/// Runs `soleus assess`.
pub async fn run_assess(app: &App, args: &AssessArgs) -> anyhow::Result<u8> {
    let what = match &args.checkin {
        Some(path) => AssessWhat::New(Box::new(read_checkin(path)?)),
        None => AssessWhat::Latest,
    };
    let view = app.assess(what, args.save).await?;
    profile::note_utc(app).await?;
    if args.json {
        crate::output::print_json_sorted(&view)?;
        return Ok(0);
    }
    let a = &view.assessment;
    println!(
        "Assessment of check-in {} ({}).\n",
        view.checkin_id, view.date
    );
    print_assessment(a);
    match &view.plan {
        Some(outcome) => println!("\nSaved. {}", plan_note(outcome)),
        None if a.triage >= Triage::Urgent => println!(
            "\nNothing was recorded. `soleus assess --save` records it for your clinician; no plan is followed before a clinician has seen you."
        ),
        None => println!(
            "\nNothing was recorded. Save this assessment and start the plan that follows it with: soleus assess --save"
        ),
    }
    Ok(0)
}

/// What saving an assessment did to the plan, in a sentence or two.
fn plan_note(outcome: &PlanStarted) -> String {
    match outcome {
        PlanStarted::NoCondition => "No plan: the assessment names no condition.".into(),
        PlanStarted::ClinicianFirst { .. } => {
            "No plan: a red flag comes first; see a clinician (the triage above says how soon)."
                .into()
        }
        PlanStarted::Started {
            started_on,
            condition,
            blocked,
            replaces,
        } => {
            let mut msg = match blocked {
                Some(b) => format!("No plan is followed yet: {b}"),
                None => format!(
                    "Started a plan on {started_on} for a picture consistent with {}; see it with `soleus plan`.",
                    condition_words(*condition)
                ),
            };
            if let Some((on, was)) = replaces {
                msg.push_str(&format!(
                    " It replaces the plan started on {on} for {}, which stays in the journal with its decisions.",
                    condition_words(*was)
                ));
            }
            msg
        }
    }
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
            let code = soleus_model::assess::condition_code(c.code);
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
            println!(
                "  · {}: {}",
                l.code,
                soleus_model::references::in_words(&l.because)
            );
        }
    }
    println!("\nNext steps:");
    for s in &a.next_steps {
        println!("  → {s}");
    }
    println!("\n{}", a.disclaimer);
}
