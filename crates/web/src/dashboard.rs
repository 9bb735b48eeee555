//! The dashboard (`/`, `/api/v1/dashboard`): this week against the four before, the overload
//! warnings, and today's work, with the way to a clinician first when a red flag is in force.
//! Also the documents it is made of: `/api/v1/risk` and `/api/v1/today`.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::{Html, Json};
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;
use soleus_app::AppError;
use soleus_app::dashboard::DashboardView;
use soleus_app::plan::{CLINICIAN_FIRST, PlanAnswer};
use soleus_model::Units;
use soleus_model::load::Finding;

use crate::Shared;
use crate::auth::Me;
use crate::chart::{self, Bar};
use crate::error::Error;
use crate::page::{Chrome, json, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/", get(page))
        .route("/api/v1/dashboard", get(api))
        .route("/api/v1/risk", get(api_risk))
        .route("/api/v1/today", get(api_today))
}

/// `?on=YYYY-MM-DD`: the day to look at (default today).
#[derive(Debug, Deserialize)]
pub struct OnQuery {
    on: Option<String>,
}

impl OnQuery {
    fn day(&self) -> Result<Option<NaiveDate>, AppError> {
        match self.on.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|_| {
                AppError::invalid("on", format!("{s:?} is not a date: write it as YYYY-MM-DD"))
            }),
        }
    }
}

async fn api(app: Me, Query(q): Query<OnQuery>) -> Result<Json<serde_json::Value>, Error> {
    let day = q.day().map_err(Error::json)?;
    let view = app.dashboard(day).await.map_err(Error::json)?;
    json(&view)
}

async fn api_risk(app: Me, Query(q): Query<OnQuery>) -> Result<Json<serde_json::Value>, Error> {
    let day = q.day().map_err(Error::json)?;
    let view = app.risk_report(day).await.map_err(Error::json)?;
    json(&view)
}

async fn api_today(app: Me, Query(q): Query<OnQuery>) -> Result<Json<serde_json::Value>, Error> {
    let day = q.day().map_err(Error::json)?;
    let view = app.today(day).await.map_err(Error::json)?;
    json(&view)
}

/// One warning as shown.
struct Warning {
    severity: &'static str,
    code: String,
    because: String,
    advice: String,
    reference: String,
    numbers: Vec<(String, String)>,
}

impl Warning {
    fn of(f: &Finding) -> Warning {
        Warning {
            severity: match f.severity {
                soleus_model::load::Severity::High => "high",
                soleus_model::load::Severity::Moderate => "moderate",
                soleus_model::load::Severity::Low => "low",
                soleus_model::load::Severity::Info => "info",
            },
            code: f.code.clone(),
            because: soleus_model::references::in_words(&f.because),
            advice: soleus_model::references::in_words(&f.advice),
            reference: soleus_model::references::cite_all(&[&f.reference]),
            numbers: f
                .numbers
                .iter()
                .map(|(k, v)| {
                    (
                        k.replace('_', " "),
                        format!("{}", (v * 100.0).round() / 100.0),
                    )
                })
                .collect(),
        }
    }
}

/// The way to a clinician: how soon, what to do, and why.
struct Clinician {
    triage: &'static str,
    message: String,
    flags: Vec<String>,
}

/// Today's work from the plan.
struct Work {
    stage: String,
    phase: String,
    exercises: Vec<(String, String, String)>,
    run: String,
    log: Vec<String>,
}

struct WeekRow {
    label: String,
    distance: String,
    runs: u32,
    now: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    date: String,
    this_week: String,
    this_week_runs: u32,
    weeks_before_mean: String,
    chart: String,
    weeks: Vec<WeekRow>,
    clinician: Option<Clinician>,
    warnings: Vec<Warning>,
    work: Option<Work>,
    charts: Vec<(&'static str, &'static str, crate::dashboard_charts::Block)>,
}

async fn page(app: Me, Query(q): Query<OnQuery>) -> Result<Html<String>, Error> {
    let day = q.day().map_err(Error::page)?;
    let view = app.dashboard(day).await.map_err(Error::page)?;
    let units = app.units(None).await.map_err(Error::page)?;
    let mut page = dashboard_page(&view, units);
    page.chrome = page.chrome.signed_in(app.caller.as_ref());
    render(&page)
}

fn dashboard_page(view: &DashboardView, units: Units) -> DashboardPage {
    let km = |d: f64| units.distance(d * 1000.0);
    let per_unit = units.distance.metres() / 1000.0;
    let mut weeks: Vec<WeekRow> = view
        .weeks_before
        .iter()
        .map(|w| (w, false))
        .chain(std::iter::once((&view.this_week, true)))
        .map(|(w, now)| WeekRow {
            label: if now {
                "This week".to_owned()
            } else {
                format!("Week of {}", w.week_start.format("%b %-d"))
            },
            distance: km(w.distance_km),
            runs: w.runs,
            now,
        })
        .collect();
    let bars: Vec<Bar> = view
        .weeks_before
        .iter()
        .map(|w| (w, false))
        .chain(std::iter::once((&view.this_week, true)))
        .map(|(w, now)| Bar {
            label: w.week_start.format("%b %-d").to_string(),
            value: w.distance_km / per_unit,
            highlight: now,
        })
        .collect();
    let unit = units.distance.label();
    let chart = chart::bars(
        "weekly",
        &format!(
            "Distance per week in {unit}, the last {} weeks; this week {}",
            bars.len(),
            km(view.this_week.distance_km)
        ),
        &format!(
            "One bar a week, this week's drawn darker; the mean of the four weeks before is {}. The numbers are in the table after the chart.",
            km(view.weeks_before_mean_km)
        ),
        unit,
        &bars,
    );
    weeks.reverse();
    let clinician = clinician(view);
    let work = match (&clinician, &view.today) {
        (None, PlanAnswer::Shown(t)) if t.today.blocked.is_none() => Some(Work {
            stage: t.today.stage.clone().unwrap_or_default(),
            phase: t.today.phase.clone().unwrap_or_default(),
            exercises: t
                .today
                .exercises
                .iter()
                .map(|e| (e.name.clone(), e.dose.clone(), e.acceptable_pain.clone()))
                .collect(),
            run: t.today.run.clone(),
            log: t.today.log.clone(),
        }),
        _ => None,
    };
    DashboardPage {
        chrome: Chrome::new("Dashboard", Some("/")),
        date: view.date.format("%A %-d %B %Y").to_string(),
        this_week: km(view.this_week.distance_km),
        this_week_runs: view.this_week.runs,
        weeks_before_mean: km(view.weeks_before_mean_km),
        chart,
        weeks,
        clinician,
        warnings: view.risk.warnings.iter().map(Warning::of).collect(),
        work,
        charts: crate::dashboard_charts::all(view, units),
    }
}

/// The way to a clinician when a red flag is in force or the plan waits for one.
fn clinician(view: &DashboardView) -> Option<Clinician> {
    let blocked = match &view.today {
        PlanAnswer::Blocked(b) => Some((b.blocked.triage, b.blocked.message.clone())),
        PlanAnswer::Shown(t) => t.today.blocked.clone().map(|m| {
            let triage = view
                .red_flag
                .as_ref()
                .map_or(soleus_model::clinical::Triage::Soon, |r| r.triage);
            (triage, m)
        }),
        PlanAnswer::NoPlan { .. } => None,
    };
    let (triage, message) = match (blocked, &view.red_flag) {
        (Some(b), _) => b,
        (None, Some(r)) => (r.triage, CLINICIAN_FIRST.to_owned()),
        (None, None) => return None,
    };
    Some(Clinician {
        triage: triage.code(),
        message,
        flags: view
            .red_flag
            .iter()
            .flat_map(|r| r.red_flags.iter())
            .map(|f| f.because.clone())
            .collect(),
    })
}
