//! `soleus score` and `soleus scores`: validated questionnaires (OSTRC-O2, VISA-A, LEFS, MTSS
//! score), stored with their version and shown as a trend against the meaningful change.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use soleus_app::{App, AppError, scores};
use soleus_model::questionnaires::{self, Answer, ItemKind, Responses};

use crate::profile;

/// `soleus score INSTRUMENT`
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The questionnaire: OSTRC-O2, VISA-A, LEFS or MTSS (see `soleus scores --list`).
    pub instrument: Option<String>,
    /// The answers as JSON (`{"instrument", "version", "date", "answers": {"1": 0, …}}`);
    /// without it, the questions are asked on the terminal.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// `soleus scores`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ScoresArgs {
    #[command(subcommand)]
    command: Option<ScoresCommand>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// List the questionnaires Soleus knows.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, clap::Subcommand)]
enum ScoresCommand {
    /// Delete a stored result (a wrong entry); the ids are in `soleus scores`.
    Delete {
        /// The result's id.
        id: soleus_app::EntryId,
    },
}

/// Runs `soleus score`.
pub async fn run_score(app: &App, args: &ScoreArgs) -> anyhow::Result<u8> {
    let responses: Responses = match &args.json {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            serde_json::from_str(&text).with_context(|| {
                format!("{} is not a questionnaire answer document", p.display())
            })?
        }
        None => {
            let code = args
                .instrument
                .as_deref()
                .context("name the questionnaire, e.g. soleus score VISA-A")?;
            let inst = scores::instrument(code)?;
            if !std::io::stdin().is_terminal() {
                bail!("no terminal to ask the questions on: pass --json FILE");
            }
            let athlete = app.athlete().await?;
            ask(inst, profile::today(&athlete)?)?
        }
    };
    let scored = app.score(&responses).await?.scored;
    println!(
        "{} ({}) on {}: {} / {}",
        scored.instrument, scored.version, scored.date, scored.total, scored.max
    );
    for line in scored.interpretation.iter().chain(&scored.assumptions) {
        println!("  {}", soleus_model::references::in_words(line));
    }
    Ok(0)
}

fn ask(inst: &questionnaires::Instrument, date: chrono::NaiveDate) -> anyhow::Result<Responses> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut answers = std::collections::BTreeMap::new();
    println!(
        "{} ({}). Answer each item with the number of your choice.\n",
        inst.name, inst.version
    );
    for item in &inst.item {
        println!("{}. {}", item.id, item.text);
        match item.kind {
            ItemKind::Options => {
                for (i, (label, _)) in item.options.iter().enumerate() {
                    println!("   {i}) {label}");
                }
            }
            ItemKind::Scale => println!(
                "   ({} to {})",
                item.min.unwrap_or(0),
                item.max.unwrap_or(10)
            ),
            ItemKind::Branch => {
                for (i, (label, _)) in item.options.iter().enumerate() {
                    println!("   {i}) {label}");
                }
                let names: Vec<&str> = item.branches.iter().map(|(b, _)| b.as_str()).collect();
                println!(
                    "   Answer with the letter ({}) and the number, e.g. \"A 3\".",
                    names.join(", ")
                );
            }
        }
        // A bad answer is asked again; no answer given so far is lost.
        let answer = loop {
            print!("> ");
            std::io::stdout().flush()?;
            let line = lines.next().context("input ended before the last item")??;
            match parse_answer(item, line.trim()) {
                Ok(a) => break a,
                Err(e) => println!("   {e}; try again."),
            }
        };
        answers.insert(item.id.clone(), answer);
    }
    Ok(Responses {
        instrument: inst.code.clone(),
        version: inst.version.clone(),
        date,
        answers,
    })
}

/// One typed answer, checked against the item's range or options.
fn parse_answer(item: &questionnaires::Item, t: &str) -> anyhow::Result<Answer> {
    match item.kind {
        ItemKind::Branch => {
            let (b, o) = t
                .split_once(char::is_whitespace)
                .context("answer as LETTER NUMBER (e.g. A 3)")?;
            let b = b.to_uppercase();
            let Some((_, opts)) = item.branches.iter().find(|(name, _)| *name == b) else {
                bail!("{b:?} is not one of the letters");
            };
            let option: usize = o
                .trim()
                .parse()
                .context("the number must be a whole number")?;
            if option >= opts.len() {
                bail!("{option} is not one of the numbers 0–{}", opts.len() - 1);
            }
            Ok(Answer::Branch {
                branch: b,
                option: u32::try_from(option)?,
            })
        }
        ItemKind::Options => {
            let v: usize = t
                .parse()
                .with_context(|| format!("{t:?} is not a number"))?;
            if v >= item.options.len() {
                bail!("{v} is not one of 0–{}", item.options.len() - 1);
            }
            Ok(Answer::Value(u32::try_from(v)?))
        }
        ItemKind::Scale => {
            let v: u32 = t
                .parse()
                .with_context(|| format!("{t:?} is not a number"))?;
            let (lo, hi) = (item.min.unwrap_or(0), item.max.unwrap_or(10));
            if !(lo..=hi).contains(&v) {
                bail!("{v} is outside {lo}–{hi}");
            }
            Ok(Answer::Value(v))
        }
    }
}

/// Runs `soleus scores`.
pub async fn run_scores(app: &App, args: &ScoresArgs) -> anyhow::Result<u8> {
    if let Some(ScoresCommand::Delete { id }) = &args.command {
        return match app.delete_score(*id).await {
            Ok(()) => {
                println!("Deleted questionnaire result {id}.");
                Ok(0)
            }
            Err(AppError::NotFound { .. }) => {
                bail!("no questionnaire result {id}: see the ids with `soleus scores`")
            }
            Err(e) => Err(e.into()),
        };
    }
    if args.list {
        let view = app.instruments();
        if args.json {
            crate::output::print_json_sorted(&view)?;
            return Ok(0);
        }
        for i in &view.instruments {
            println!(
                "{:<10} {:<8} {} {}",
                i.code,
                i.version,
                i.name,
                crate::output::cite(&[&i.reference])
            );
        }
        return Ok(0);
    }
    let view = app.scores().await?;
    if args.json {
        crate::output::print_json_sorted(&view)?;
        return Ok(0);
    }
    if view.scores.is_empty() {
        println!("No questionnaires yet. Fill one in with: soleus score VISA-A");
        return Ok(0);
    }
    for (code, steps) in &view.trends {
        println!("{code}");
        for row in view.scores.iter().filter(|r| &r.scored.instrument == code) {
            let r = &row.scored;
            println!(
                "  {}  {:>3} / {}  ({}, id {})",
                r.date, r.total, r.max, r.version, row.id
            );
        }
        for step in steps {
            let meaningful = step
                .thresholds
                .iter()
                .filter(|t| t.reached)
                .map(|t| {
                    format!(
                        "≥ {} points {}",
                        t.points,
                        crate::output::cite(&[&t.reference])
                    )
                })
                .collect::<Vec<_>>();
            let verdict = if !step.comparable {
                "different versions: not comparable".to_string()
            } else if step.thresholds.is_empty() {
                // OSTRC-O2 (and any instrument without one) has no published smallest
                // meaningful change: say so instead of judging the change.
                format!(
                    "{}; no published smallest meaningful change for this questionnaire, so Soleus does not judge it",
                    match step.change {
                        0 => "no change",
                        _ if step.better => "better",
                        _ => "worse",
                    }
                )
            } else if meaningful.is_empty() {
                "within the smallest meaningful change".to_string()
            } else {
                format!(
                    "{} and meaningful ({})",
                    if step.better { "better" } else { "worse" },
                    meaningful.join(", ")
                )
            };
            println!(
                "  {} → {}: {:+}  {verdict}",
                step.from_date, step.to_date, step.change
            );
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(code: &str, id: &str) -> &'static questionnaires::Item {
        let inst = scores::instrument(code).unwrap();
        inst.item.iter().find(|i| i.id == id).unwrap()
    }

    #[test]
    fn bad_answers_are_refused_with_the_allowed_range_so_they_can_be_asked_again() {
        let scale = item("VISA-A", "1");
        assert!(
            parse_answer(scale, "11")
                .unwrap_err()
                .to_string()
                .contains("0–10")
        );
        assert!(parse_answer(scale, "x").is_err());
        assert_eq!(parse_answer(scale, "7").unwrap(), Answer::Value(7));
        let options = item("VISA-A", "7");
        assert!(parse_answer(options, "4").is_err());
        let branch = item("VISA-A", "8");
        assert!(parse_answer(branch, "D 1").is_err());
        assert!(parse_answer(branch, "A 5").is_err());
        assert_eq!(
            parse_answer(branch, "b 2").unwrap(),
            Answer::Branch {
                branch: "B".into(),
                option: 2
            }
        );
    }
}
