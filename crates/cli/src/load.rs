//! `soleus load`, `soleus risk` and `soleus rpe`: the training-load engine over the stored
//! activity summaries (samples are never re-read).

use chrono::{Duration, NaiveDate};
use clap::Args;
use soleus_app::App;
use soleus_app::load::LoadQuery;
use soleus_model::load::{self, LoadUnit, Severity};

use crate::chart;
use crate::output::{opt, table};

/// `soleus load`
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// One day (default: the last 12 weeks up to today).
    #[arg(long, conflicts_with_all = ["from", "to"], value_parser = crate::output::parse_date)]
    pub on: Option<NaiveDate>,
    /// First day of the range.
    #[arg(long, value_parser = crate::output::parse_date)]
    pub from: Option<NaiveDate>,
    /// Last day of the range (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    pub to: Option<NaiveDate>,
    /// Load unit: km, minutes, trimp or srpe.
    #[arg(long, default_value = "km")]
    pub unit: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `soleus risk`
#[derive(Debug, Args)]
pub struct RiskArgs {
    /// The day to check (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    pub on: Option<NaiveDate>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `soleus rpe ID RATING`
#[derive(Debug, Args)]
pub struct RpeArgs {
    /// The activity's id.
    pub id: soleus_app::ActivityId,
    /// Session RPE on the CR-10 scale: 0 (rest) to 10 (maximal).
    pub rating: u8,
}

/// Runs `soleus load`.
pub async fn run_load(app: &App, args: &LoadArgs) -> anyhow::Result<u8> {
    let query = LoadQuery {
        on: args.on,
        from: args.from,
        to: args.to,
    };
    let view = app.load_report(query, &args.unit).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&view)?);
        return Ok(0);
    }
    let (report, unit, from, to) = (&view.report, view.unit, view.from, view.to);
    let units = view.units;
    let per = units.metres() / 1000.0;
    let load_col = format!("Load ({})", unit.as_str());
    let with_load = unit != LoadUnit::Km;
    let mut header = vec![
        "Week of",
        "Distance",
        "Runs",
        "Change",
        "Ascent",
        "Longest run",
    ];
    if with_load {
        header.push(&load_col);
    }
    let mut t = table(&header, &[1, 2, 3, 4, 5, 6]);
    let shown = soleus_model::Units { distance: units };
    for w in &report.weeks {
        // The week still under way is not compared with a whole one.
        let partial = w.week_start + Duration::days(6) > to;
        let mut row = vec![
            if partial {
                format!("{} (so far)", w.week_start)
            } else {
                w.week_start.to_string()
            },
            format!("{:.1} {}", w.distance_km / per, units.label()),
            w.runs.to_string(),
            if partial {
                "—".into()
            } else {
                opt(w.change_pct, |c| format!("{c:+.0} %"))
            },
            shown.elevation(w.ascent_m),
            format!("{:.1} {}", w.longest_run_km / per, units.label()),
        ];
        if with_load {
            row.push(format!("{:.0}", w.load));
        }
        t.add_row(row);
    }
    println!(
        "Running load {from} to {to} (load unit: {})\n{t}",
        unit.as_str()
    );
    if report.runs_without_input > 0 {
        let what = match unit {
            LoadUnit::Srpe => "an RPE (rate them with `soleus rpe ID 0-10`)",
            LoadUnit::Trimp => "heart rate",
            _ => "a moving time",
        };
        println!(
            "Note: {} of the {} runs in this period lack {what}; they add no {} load, so the {} totals and the ratios below undercount them.",
            report.runs_without_input,
            report.runs_in_range,
            unit.as_str(),
            unit.as_str()
        );
    }
    let bars: Vec<(String, f64)> = report
        .weeks
        .iter()
        .map(|w| {
            (
                w.week_start.format("%d %b").to_string(),
                if with_load {
                    w.load
                } else {
                    w.distance_km / per
                },
            )
        })
        .collect();
    let (title, label) = if with_load {
        (format!("Weekly load ({})", unit.as_str()), unit.as_str())
    } else {
        ("Weekly distance".to_owned(), units.label())
    };
    println!("\n{title}\n{}", chart::bars(&bars, 40, label));
    let series =
        |f: fn(&load::DayMetrics) -> Option<f64>| report.days.iter().map(f).collect::<Vec<_>>();
    println!(
        "Acute:chronic ratios (CONTESTED: shown as information, not a risk threshold; see `soleus risk`)\n{}",
        chart::lines(
            &[
                ("coupled rolling (RAC)", 'c', series(|d| d.acwr_rac)),
                ("uncoupled rolling (RAU)", 'u', series(|d| d.acwr_rau)),
                ("EWMA", 'e', series(|d| d.acwr_ewma)),
            ],
            10,
            72,
            Some(1.0),
        )
    );
    if let Some(last) = report.days.last() {
        println!(
            "{}: load {:.1} · monotony {} · strain {} · fitness (CTL) {:.1} · fatigue (ATL) {:.1} · form (TSB) {:+.1}",
            last.date,
            last.load,
            opt(last.monotony, |m| format!("{m:.2}")),
            opt(last.strain, |s| format!("{s:.0}")),
            last.ctl,
            last.atl,
            last.tsb
        );
    }
    Ok(0)
}

/// Runs `soleus risk`.
pub async fn run_risk(app: &App, args: &RiskArgs) -> anyhow::Result<u8> {
    let report = app.risk_report(args.on).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(0);
    }
    println!("Overload checks for {}", report.date);
    if report.warnings.is_empty() {
        println!(
            "\nNo warnings: nothing in your recent running stands out against your own history."
        );
    }
    for w in &report.warnings {
        let sev = match w.severity {
            Severity::High => "HIGH",
            Severity::Moderate => "MODERATE",
            _ => "LOW",
        };
        println!(
            "\n[{sev}] {}\n  {}\n  What to do: {}\n  Evidence: {}",
            w.code,
            soleus_model::references::in_words(&w.because),
            soleus_model::references::in_words(&w.advice),
            crate::output::cite(&[&w.reference])
        );
    }
    if !report.info.is_empty() {
        println!("\nFor information:");
        for i in &report.info {
            println!(
                "  · {}: {} {}",
                i.code,
                soleus_model::references::in_words(&i.because),
                crate::output::cite(&[&i.reference])
            );
        }
    }
    Ok(0)
}

/// Runs `soleus rpe`.
pub async fn run_rpe(app: &App, args: &RpeArgs) -> anyhow::Result<u8> {
    let saved = app.set_rpe(args.id, args.rating).await?;
    println!(
        "Activity {}: session RPE {} (srpe load = RPE × minutes).",
        saved.activity, saved.rpe
    );
    Ok(0)
}
