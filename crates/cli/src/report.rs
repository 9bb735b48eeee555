//! `soleus report --html FILE`: a printable summary for a clinic visit — training load and its
//! warnings, check-ins with their triage, questionnaire results, and the plan with every
//! decision and clearance. One self-contained HTML file (no script, no external resource) that
//! prints on A4 or Letter.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{Duration, NaiveDate};
use clap::Args;
use soleus_app::App;
use soleus_model::load::{self, LoadUnit};
use soleus_model::questionnaires::Scored;

use crate::profile;

/// `soleus report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day (default: 12 weeks before --to).
    #[arg(long, value_parser = crate::output::parse_date)]
    pub from: Option<NaiveDate>,
    /// Last day (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    pub to: Option<NaiveDate>,
    /// Where to write the report (HTML).
    #[arg(long, value_name = "FILE")]
    pub html: PathBuf,
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn level_word(v: &serde_json::Value) -> String {
    v.as_str().unwrap_or("—").replace('_', " ")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#111;line-height:1.4}\
h1{font-size:1.5rem}h2{font-size:1.15rem;border-bottom:1px solid #999;margin-top:1.6rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top}\
th{background:#eee}td.n{text-align:right}.bar{background:#2f6db5;height:.8rem;display:inline-block}\
.flag{color:#a00;font-weight:600}.note{color:#444;font-size:.85rem}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}";

/// Runs `soleus report`.
pub async fn run(app: &App, args: &ReportArgs) -> anyhow::Result<u8> {
    let store = app.store();
    let athlete = profile::load(store).await?;
    let tz = profile::tz_fn(&athlete)?;
    let today = profile::today(&athlete)?;
    let to = args.to.unwrap_or(today);
    let from = args.from.unwrap_or(to - Duration::days(12 * 7 - 1));
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    if (to - from).num_days() > 366 * 5 {
        bail!("a report covers at most five years: narrow --from and --to");
    }
    let units = athlete.units;
    let per = units.metres() / 1000.0;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Soleus report {from} to {to}</title><style>{STYLE}</style></head><body>\
         <h1>Soleus report, {from} to {to}</h1>\
         <p class=\"note\">For a clinician. Soleus does not diagnose: it says what a picture is consistent with and routes red flags to a clinician. Made on {today}.</p>"
    );

    // Load and warnings.
    let runs = app.summaries().await?;
    let report = load::load_report(&runs, LoadUnit::Km, tz.as_ref(), from, to);
    let top = report
        .weeks
        .iter()
        .map(|w| w.distance_km)
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let _ = write!(
        h,
        "<h2>Weekly running</h2><table><thead><tr><th scope=\"col\">Week of</th><th scope=\"col\">Distance ({u})</th><th scope=\"col\">Runs</th><th scope=\"col\">Change</th><th scope=\"col\">Longest ({u})</th><th scope=\"col\" aria-hidden=\"true\"></th></tr></thead><tbody>",
        u = units.label()
    );
    for w in &report.weeks {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td><span class=\"bar\" style=\"width:{:.0}%\"></span></td></tr>",
            w.week_start,
            w.distance_km / per,
            w.runs,
            w.change_pct.map_or("—".into(), |c| format!("{c:+.0} %")),
            w.longest_run_km / per,
            w.distance_km / top * 100.0
        );
    }
    h.push_str("</tbody></table>");
    let risk = app.risk_report(Some(to)).await?;
    h.push_str("<h2>Overload warnings</h2>");
    if risk.warnings.is_empty() {
        let _ = write!(h, "<p>No overload warning on {to}.</p>");
    } else {
        h.push_str("<ul>");
        for w in &risk.warnings {
            let _ = write!(
                h,
                "<li><strong>{}</strong>: {} <em>{}</em> {}</li>",
                esc(&w.code),
                esc(&w.because),
                esc(&w.advice),
                esc(&crate::output::cite(&[&w.reference]))
            );
        }
        h.push_str("</ul>");
    }

    // Check-ins with their triage.
    let records = crate::triage::records(store).await?;
    let checkins: Vec<_> = store
        .entries("checkin")
        .await?
        .into_iter()
        .filter(|e| e.day >= from && e.day <= to)
        .collect();
    h.push_str("<h2>Check-ins</h2>");
    if checkins.is_empty() {
        h.push_str("<p>No check-in in this period.</p>");
    } else {
        h.push_str("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Where</th><th scope=\"col\">Pain now / during / after / next morning</th><th scope=\"col\">Triage and red flags</th></tr></thead><tbody>");
        for e in &checkins {
            let b = &e.body;
            let regions = crate::checkin::region_names(b);
            let p = |k: &str| b["pain"][k].as_u64().map_or("—".into(), |v| v.to_string());
            let triage = records
                .iter()
                .find(|(_, s)| s.checkin_id == e.id)
                .map(|(_, s)| {
                    let flags: Vec<String> = s
                        .record
                        .red_flags
                        .iter()
                        .map(|f| format!("{}: {}", f.code, f.because))
                        .collect();
                    (
                        level_word(&serde_json::to_value(s.record.triage).unwrap_or_default()),
                        flags,
                    )
                });
            let (level, flags) = triage.unwrap_or(("—".into(), Vec::new()));
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} ({})</td><td>{} / {} / {} / {}</td><td><span class=\"{}\">{}</span>{}</td></tr>",
                e.day,
                esc(&regions.join(", ")),
                esc(b["side"].as_str().unwrap_or("—")),
                p("now"),
                p("during_run"),
                p("after_run"),
                p("next_morning"),
                if flags.is_empty() { "" } else { "flag" },
                esc(&level),
                flags
                    .iter()
                    .map(|f| format!("<br>{}", esc(f)))
                    .collect::<String>()
            );
        }
        h.push_str("</tbody></table>");
    }

    // Questionnaires.
    let scores: Vec<Scored> = store
        .entries("score")
        .await?
        .into_iter()
        .filter(|e| e.day >= from && e.day <= to)
        .map(|e| serde_json::from_value(e.body).context("a stored score is unreadable"))
        .collect::<anyhow::Result<_>>()?;
    h.push_str("<h2>Questionnaires</h2>");
    if scores.is_empty() {
        h.push_str("<p>No questionnaire in this period.</p>");
    } else {
        h.push_str("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Questionnaire</th><th scope=\"col\">Score</th></tr></thead><tbody>");
        for s in &scores {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} ({})</td><td class=\"n\">{} / {}</td></tr>",
                s.date,
                esc(&s.instrument.replace('_', "-")),
                esc(&s.version),
                s.total,
                s.max
            );
        }
        h.push_str("</tbody></table>");
    }

    // The plan.
    h.push_str("<h2>Rehabilitation plan</h2>");
    match crate::plan::for_report(store, to).await? {
        None => h.push_str("<p>No plan.</p>"),
        Some(p) => {
            let _ = write!(
                h,
                "<p>For a picture consistent with {}, started {}. Now: {}.</p>",
                esc(p.condition),
                p.started_on,
                esc(&p.status)
            );
            for c in &p.clearances {
                let _ = write!(
                    h,
                    "<p>Cleared on {} by {}{}.</p>",
                    c.date,
                    esc(c.name.as_deref().unwrap_or("a clinician")),
                    c.note
                        .as_deref()
                        .map_or(String::new(), |n| format!(": {}", esc(n)))
                );
            }
            let decisions: Vec<_> = p
                .decisions
                .iter()
                .filter(|d| d.date >= from && d.date <= to)
                .collect();
            if !decisions.is_empty() {
                h.push_str("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Decision</th><th scope=\"col\">Stage</th><th scope=\"col\">Why</th></tr></thead><tbody>");
                for d in decisions {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
                        d.date,
                        esc(&level_word(
                            &serde_json::to_value(d.action).unwrap_or_default()
                        )),
                        esc(&d.from_stage),
                        esc(&d.to_stage),
                        esc(&d.reason)
                    );
                }
                h.push_str("</tbody></table>");
            }
        }
    }
    h.push_str("</body></html>\n");
    // Written whole to a temporary file beside the target, then renamed: a crash never leaves
    // half a report.
    let dir = args
        .html
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("writing the report into {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, h.as_bytes())?;
    tmp.persist(&args.html)
        .with_context(|| format!("writing {}", args.html.display()))?;
    println!(
        "Wrote the report for {from} to {to} to {}.",
        args.html.display()
    );
    Ok(0)
}
