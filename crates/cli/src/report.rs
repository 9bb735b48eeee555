//! `soleus report --html FILE`: a printable summary for a clinic visit — training load and its
//! warnings, check-ins with their triage, questionnaire results, and the plan with every
//! decision and clearance. One self-contained HTML file (no script, no external resource) that
//! prints on A4 or Letter.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use soleus_app::App;
use soleus_app::report::ClinicReport;
use soleus_model::plan::Action;

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

// HTML escaping: the same rule as the web app's pages.
use soleus_app::text::html_escape as esc;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#111;line-height:1.4}\
h1{font-size:1.5rem}h2{font-size:1.15rem;border-bottom:1px solid #999;margin-top:1.6rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top}\
th{background:#eee}td.n{text-align:right}.bar{background:#2f6db5;height:.8rem;display:inline-block}\
.flag{color:#a00;font-weight:600}.note{color:#444;font-size:.85rem}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}";

/// Runs `soleus report`.
pub async fn run(app: &App, args: &ReportArgs) -> anyhow::Result<u8> {
    crate::profile::note_utc(app).await?;
    let report = app.clinic_report(args.from, args.to).await?;
    let html = render(&report);
    // Written whole to a temporary file beside the target, then renamed: a crash never leaves
    // half a report.
    let dir = args
        .html
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("writing the report into {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, html.as_bytes())?;
    tmp.persist(&args.html)
        .with_context(|| format!("writing {}", args.html.display()))?;
    println!(
        "Wrote the report for {} to {} to {}.",
        report.from,
        report.to,
        args.html.display()
    );
    Ok(0)
}

/// The report as one self-contained HTML page.
fn render(r: &ClinicReport) -> String {
    let (from, to, today) = (r.from, r.to, r.made_on);
    let units = r.units;
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
    let top = r
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
    for w in &r.weeks {
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
    h.push_str("<h2>Overload warnings</h2>");
    if r.warnings.is_empty() {
        let _ = write!(h, "<p>No overload warning on {to}.</p>");
    } else {
        h.push_str("<ul>");
        for w in &r.warnings {
            let _ = write!(
                h,
                "<li><strong>{}</strong>: {} <em>{}</em> {}</li>",
                esc(&w.code),
                esc(&soleus_model::references::in_words(&w.because)),
                esc(&soleus_model::references::in_words(&w.advice)),
                esc(&crate::output::cite(&[&w.reference]))
            );
        }
        h.push_str("</ul>");
    }

    // Check-ins with their triage.
    h.push_str("<h2>Check-ins</h2>");
    if r.checkins.is_empty() {
        h.push_str("<p>No check-in in this period.</p>");
    } else {
        h.push_str("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Where</th><th scope=\"col\">Pain now / during / after / next morning</th><th scope=\"col\">Triage and red flags</th></tr></thead><tbody>");
        for row in &r.checkins {
            let c = &row.checkin;
            let pain = c.pain.clone().unwrap_or_default();
            let p = |v: Option<soleus_model::assess::PainScore>| {
                v.map_or("—".into(), |v| v.get().to_string())
            };
            let (level, flags) = match &row.triage {
                Some(t) => (
                    t.triage.code().replace('_', " "),
                    t.red_flags
                        .iter()
                        .map(|f| {
                            format!(
                                "{}: {}",
                                f.code,
                                soleus_model::references::in_words(&f.because)
                            )
                        })
                        .collect::<Vec<_>>(),
                ),
                None => ("—".into(), Vec::new()),
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} ({})</td><td>{} / {} / {} / {}</td><td><span class=\"{}\">{}</span>{}</td></tr>",
                c.date,
                esc(&row.region_names().join(", ")),
                esc(&crate::output::code(&c.side)),
                p(pain.now),
                p(pain.during_run),
                p(pain.after_run),
                p(pain.next_morning),
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
    h.push_str("<h2>Questionnaires</h2>");
    if r.scores.is_empty() {
        h.push_str("<p>No questionnaire in this period.</p>");
    } else {
        h.push_str("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Questionnaire</th><th scope=\"col\">Score</th></tr></thead><tbody>");
        for s in &r.scores {
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
    match &r.plan {
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
            if !p.decisions.is_empty() {
                h.push_str("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Decision</th><th scope=\"col\">Stage</th><th scope=\"col\">Why</th></tr></thead><tbody>");
                for d in &p.decisions {
                    let action = match d.action {
                        Action::Advance => "advance",
                        Action::Hold => "hold",
                        Action::StepBack => "step back",
                    };
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
                        d.date,
                        esc(action),
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
    h
}
