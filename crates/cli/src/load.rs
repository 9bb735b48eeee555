//! `soleus load`, `soleus risk` and `soleus rpe`: the training-load engine over the stored
//! activity summaries (samples are never re-read).

use anyhow::{Context, bail};
use chrono::{Duration, NaiveDate};
use clap::Args;
use soleus_model::load::{self, LoadUnit, PainCheckIn, RiskInput, Rules, RunSummary, Severity};
use soleus_store::Store;

use crate::chart;
use crate::output::{opt, table};
use crate::profile;

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
    pub id: i64,
    /// Session RPE on the CR-10 scale: 0 (rest) to 10 (maximal).
    pub rating: u8,
}

pub(crate) async fn summaries(store: &dyn Store) -> anyhow::Result<Vec<RunSummary>> {
    Ok(store
        .summaries()
        .await?
        .into_iter()
        .map(|r| r.summary)
        .collect())
}

/// Runs `soleus load`.
pub async fn run_load(store: &dyn Store, args: &LoadArgs) -> anyhow::Result<u8> {
    let unit = LoadUnit::parse(&args.unit).with_context(|| {
        format!(
            "unit {:?} is not one of: km, minutes, trimp, srpe",
            args.unit
        )
    })?;
    let athlete = profile::load(store).await?;
    let tz = profile::tz_fn(&athlete)?;
    let today = profile::today(&athlete)?;
    let (from, to) = match (args.on, args.from, args.to) {
        (Some(d), _, _) => (d, d),
        (None, from, to) => {
            let to = to.unwrap_or(today);
            (from.unwrap_or(to - Duration::days(12 * 7 - 1)), to)
        }
    };
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    // Every day of the range is a row: a century of empty days is gigabytes of JSON.
    const MAX_RANGE_DAYS: i64 = 20 * 366;
    if (to - from).num_days() >= MAX_RANGE_DAYS {
        bail!(
            "--from {from} --to {to} spans {} days; the most one report covers is {MAX_RANGE_DAYS} \
             days (20 years)",
            (to - from).num_days() + 1
        );
    }
    let runs = summaries(store).await?;
    let report = load::load_report(&runs, unit, tz.as_ref(), from, to);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(0);
    }
    let units = athlete.units;
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

/// The pain check-ins the risk check reads: each check-in's pain during and after the run and
/// the next morning.
pub async fn pain_checkins(store: &dyn Store) -> anyhow::Result<Vec<PainCheckIn>> {
    let entries = store.entries("checkin").await?;
    let nrs = |v: &serde_json::Value| v.as_u64().and_then(|n| u8::try_from(n).ok());
    Ok(entries
        .iter()
        .map(|e| {
            let pain = &e.body["pain"];
            PainCheckIn {
                date: e.day,
                during_run: nrs(&pain["during_run"]),
                after_run: nrs(&pain["after_run"]),
                next_morning: nrs(&pain["next_morning"]),
            }
        })
        .collect())
}

/// Runs the progression checks for a day.
pub async fn risk_report(
    store: &dyn Store,
    on: Option<NaiveDate>,
) -> anyhow::Result<load::RiskReport> {
    let athlete = profile::load(store).await?;
    let tz = profile::tz_fn(&athlete)?;
    let on = match on {
        Some(d) => d,
        None => profile::today(&athlete)?,
    };
    let runs = summaries(store).await?;
    let pain = pain_checkins(store).await?;
    let usual_drop_mm = match &athlete.usual_shoe {
        Some(name) => store
            .shoes()
            .await?
            .into_iter()
            .find(|s| &s.spec.name == name)
            .and_then(|s| s.spec.drop_mm),
        None => None,
    };
    let footwear_allowed_pct = crate::shoes::footwear_allowed_pct(store, &athlete, on).await?;
    let input = RiskInput {
        runs: &runs,
        tz: tz.as_ref(),
        pain: &pain,
        usual_drop_mm,
        footwear_allowed_pct,
    };
    Ok(load::risk(on, &input, Rules::builtin()).in_units(athlete.units, Rules::builtin()))
}

/// Runs `soleus risk`.
pub async fn run_risk(store: &dyn Store, args: &RiskArgs) -> anyhow::Result<u8> {
    let report = risk_report(store, args.on).await?;
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
            w.because,
            w.advice,
            crate::output::cite(&[&w.reference])
        );
    }
    if !report.info.is_empty() {
        println!("\nFor information:");
        for i in &report.info {
            println!(
                "  · {}: {} {}",
                i.code,
                i.because,
                crate::output::cite(&[&i.reference])
            );
        }
    }
    Ok(0)
}

/// Runs `soleus rpe`.
pub async fn run_rpe(store: &dyn Store, args: &RpeArgs) -> anyhow::Result<u8> {
    if args.rating > 10 {
        bail!(
            "RPE {} is outside the CR-10 scale: use 0 (rest) to 10 (maximal effort)",
            args.rating
        );
    }
    store
        .set_rpe(args.id, Some(args.rating))
        .await
        .with_context(|| format!("setting the RPE of activity {}", args.id))?;
    println!(
        "Activity {}: session RPE {} (srpe load = RPE × minutes).",
        args.id, args.rating
    );
    Ok(0)
}
