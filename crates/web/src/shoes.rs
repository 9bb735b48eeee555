//! Shoes (`/shoes`, `/api/v1/shoes`): each shoe's distance in the athlete's unit with its
//! retirement reminder, forms to add one, retire one and set the default, and the lower-drop
//! transition plan drawn against the share of each week's distance run in each drop class
//! (knowledge base §4).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::{get, post};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use soleus_app::AppError;
use soleus_app::shoes::{ShoeInput, ShoeListed, TransitionView, class_words};
use soleus_model::Units;
use soleus_model::shoes::{DropClass, DropShare, FootwearRules};

use crate::Shared;
use crate::chart::{self, Axis, Line, Lines};
use crate::error::Error;
use crate::form::{Form, JsonBody, Problem, given, saved};
use crate::page::{Chrome, json, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/shoes", get(page).post(post_add))
        .route("/shoes/{id}/retire", post(post_retire))
        .route("/shoes/{id}/default", post(post_default))
        .route("/api/v1/shoes", get(api).post(api_add))
        .route("/api/v1/shoes/{id}/retire", post(api_retire))
        .route("/api/v1/shoes/{id}/default", post(api_default))
        .route("/api/v1/shoes/transition", get(api_transition))
        .route("/api/v1/shoes/drops", get(api_drops))
}

/// Weeks of drop shares shown when no transition is under way.
const WEEKS_SHOWN: u32 = 12;

/// A new shoe as posted; distances in the athlete's unit.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ShoeAddForm {
    name: Option<String>,
    brand: Option<String>,
    model: Option<String>,
    drop_mm: Option<String>,
    stack_mm: Option<String>,
    started: Option<String>,
    retire_at: Option<String>,
}

fn number(field: &'static str, label: &str, s: &Option<String>) -> Result<Option<f64>, AppError> {
    given(s)
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| {
                    AppError::invalid(field, format!("{label} {v:?} is not a number of 0 or more"))
                })
        })
        .transpose()
}

impl ShoeAddForm {
    fn input(&self, units: Units) -> Result<ShoeInput, AppError> {
        let text = |s: &Option<String>| given(s).map(str::to_owned);
        let started = given(&self.started)
            .map(|d| {
                d.parse::<NaiveDate>().map_err(|_| {
                    AppError::invalid(
                        "started",
                        format!("{d:?} is not a date: write it as YYYY-MM-DD"),
                    )
                })
            })
            .transpose()?;
        let per_unit_km = units.distance.metres() / 1000.0;
        let retire_km = number("retire_at", "Retire at", &self.retire_at)?.map(|d| d * per_unit_km);
        if retire_km == Some(0.0) {
            return Err(AppError::invalid(
                "retire_at",
                "Retire at needs a distance above 0",
            ));
        }
        Ok(ShoeInput {
            name: text(&self.name).unwrap_or_default(),
            brand: text(&self.brand),
            model: text(&self.model),
            drop_mm: number("drop_mm", "Heel drop", &self.drop_mm)?,
            stack_mm: number("stack_mm", "Stack height", &self.stack_mm)?,
            started,
            retire_km,
        })
    }

    fn value(&self, name: &str) -> &str {
        let v = match name {
            "name" => &self.name,
            "brand" => &self.brand,
            "model" => &self.model,
            "drop_mm" => &self.drop_mm,
            "stack_mm" => &self.stack_mm,
            "started" => &self.started,
            "retire_at" => &self.retire_at,
            _ => &None,
        };
        v.as_deref().unwrap_or("")
    }
}

/// What the shoes page shows: every shoe, the transition and the weeks' drop shares.
#[derive(Debug)]
struct ShoesDoc {
    shoes: Vec<ShoeListed>,
    transition: TransitionView,
    drop_shares: Vec<DropShare>,
}

async fn doc(app: &Shared) -> Result<ShoesDoc, AppError> {
    let shoes = app.shoes().await?;
    let transition = app.shoe_transition(None).await?;
    let today = soleus_app::profile::Clock::of(&app.profile().await?.profile)?.today();
    let weeks = weeks_to_show(&transition, today);
    Ok(ShoesDoc {
        shoes,
        drop_shares: app.drop_shares(weeks).await?,
        transition,
    })
}

/// Weeks back from this one to show: since the transition started, else [`WEEKS_SHOWN`].
fn weeks_to_show(t: &TransitionView, today: NaiveDate) -> u32 {
    match t {
        TransitionView::Plan { plan, .. } => {
            let weeks = (today - plan.input.start).num_days() / 7 + 2;
            u32::try_from(weeks.clamp(i64::from(WEEKS_SHOWN), 520)).unwrap_or(WEEKS_SHOWN)
        }
        TransitionView::None { .. } => WEEKS_SHOWN,
    }
}

/// `soleus shoes list --json`.
async fn api(State(app): State<Shared>) -> Result<Json<serde_json::Value>, Error> {
    json(&app.shoes().await.map_err(Error::json)?)
}

/// `?weeks=N`, as `soleus shoes drops --weeks` (default 8, as there).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WeeksQuery {
    weeks: Option<String>,
}

/// `soleus shoes drops --json`: the share of each week by drop class, oldest first.
async fn api_drops(
    State(app): State<Shared>,
    Query(q): Query<WeeksQuery>,
) -> Result<Json<serde_json::Value>, Error> {
    let weeks = match given(&q.weeks) {
        None => 8,
        Some(w) => w.parse().map_err(|_| {
            Error::json(AppError::invalid(
                "weeks",
                format!("weeks {w:?} is not a whole number"),
            ))
        })?,
    };
    json(&app.drop_shares(weeks).await.map_err(Error::json)?)
}

async fn api_transition(State(app): State<Shared>) -> Result<Json<serde_json::Value>, Error> {
    json(&app.shoe_transition(None).await.map_err(Error::json)?)
}

async fn api_add(
    State(app): State<Shared>,
    JsonBody(form): JsonBody<ShoeAddForm>,
) -> Result<Json<serde_json::Value>, Error> {
    let units = app.units(None).await.map_err(Error::json)?;
    let input = form.input(units).map_err(Error::json)?;
    json(&app.add_shoe(&input).await.map_err(Error::json)?)
}

async fn api_retire(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&app.retire_shoe(&id).await.map_err(Error::json)?)
}

async fn api_default(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&app.set_default_shoe(&id).await.map_err(Error::json)?)
}

async fn post_add(
    State(app): State<Shared>,
    Form(form): Form<ShoeAddForm>,
) -> Result<Response, Error> {
    let units = app.units(None).await.map_err(Error::page)?;
    let result = match form.input(units) {
        Ok(input) => app.add_shoe(&input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(saved("/shoes", "shoe").into_response()),
        Err(e) => {
            let problem = Problem::of(e)?;
            let page = show(&app, form, problem, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn post_retire(State(app): State<Shared>, Path(id): Path<String>) -> Result<Response, Error> {
    app.retire_shoe(&id).await.map_err(Error::page)?;
    Ok(saved("/shoes", "shoe-retired").into_response())
}

async fn post_default(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    app.set_default_shoe(&id).await.map_err(Error::page)?;
    Ok(saved("/shoes", "shoe-default").into_response())
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn page(
    State(app): State<Shared>,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>, Error> {
    show(
        &app,
        ShoeAddForm::default(),
        Problem::default(),
        q.saved.as_deref(),
    )
    .await
}

/// One shoe as a row.
struct ShoeRow {
    id: String,
    name: String,
    make: String,
    drop: String,
    distance: String,
    runs: usize,
    retire_at: String,
    status: &'static str,
    retired: bool,
    default: bool,
    reminder: Option<String>,
}

/// One week of the transition against what was run.
struct WeekRow {
    week: String,
    allowed: String,
    run: String,
    total: String,
}

struct Transition {
    advice: String,
    cautions: Vec<String>,
    references: String,
    this_week: String,
    outran: bool,
}

#[derive(Template)]
#[template(path = "shoes.html")]
struct ShoesPage {
    chrome: Chrome,
    form: ShoeAddForm,
    problem: Problem,
    unit: &'static str,
    shoes: Vec<ShoeRow>,
    retirement: String,
    transition: Option<Transition>,
    why_none: Option<String>,
    chart: Option<String>,
    mileage: Option<String>,
    weeks: Vec<WeekRow>,
}

async fn show(
    app: &Shared,
    form: ShoeAddForm,
    problem: Problem,
    saved: Option<&str>,
) -> Result<Html<String>, Error> {
    let chrome = Chrome::load(app, "Shoes", Some("/shoes"))
        .await?
        .saved(saved);
    let d = doc(app).await.map_err(Error::page)?;
    let units = app.units(None).await.map_err(Error::page)?;
    let km = |k: f64| units.distance(k * 1000.0);
    let rules = FootwearRules::builtin();
    let shoes = d
        .shoes
        .iter()
        .map(|s| ShoeRow {
            id: s.id.to_string(),
            name: s.name.clone(),
            make: [s.brand.as_deref(), s.model.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
            drop: match (s.drop_mm, s.drop_class) {
                (Some(mm), Some(c)) => format!("{mm:.0} mm ({})", class_words(c)),
                _ => "—".into(),
            },
            distance: km(s.km),
            runs: s.activities,
            retire_at: km(s.retire_km),
            status: match (s.retired, s.default) {
                (true, _) => "Retired",
                (false, true) => "In use, default",
                (false, false) => "In use",
            },
            retired: s.retired,
            default: s.default,
            reminder: s.reminder.clone(),
        })
        .collect();
    let (transition, why_none, allowed): (_, _, Box<dyn Fn(NaiveDate) -> Option<f64>>) = match &d
        .transition
    {
        TransitionView::Plan { plan, this_week } => {
            let plan = plan.clone();
            (
                Some(Transition {
                    advice: plan.advice.clone(),
                    cautions: plan.cautions.clone(),
                    references: plan.references.join(", "),
                    this_week: format!(
                        "{} of {} ({:.0} %) in lower-drop shoes from {} to {}; the plan allows {:.0} %.",
                        km(this_week.lower_drop_km),
                        km(this_week.week_km),
                        this_week.share_pct,
                        this_week.from,
                        this_week.to,
                        this_week.allowed_pct
                    ),
                    outran: this_week.outran,
                }),
                None,
                Box::new(move |w| Some(plan.allowed_pct_on(w + Duration::days(6)))),
            )
        }
        TransitionView::None { why, .. } => (None, Some(why.clone()), Box::new(|_| None)),
    };
    let shares: Vec<&DropShare> = d.drop_shares.iter().collect();
    let weeks: Vec<WeekRow> = shares
        .iter()
        .rev()
        .map(|w| WeekRow {
            week: w.week_start.format("%Y-%m-%d").to_string(),
            allowed: allowed(w.week_start).map_or_else(|| "—".into(), |p| format!("{p:.0} %")),
            run: w
                .by_class
                .iter()
                .filter(|c| c.1 > 0.0)
                .map(|(c, k, p)| format!("{}: {} ({p:.0} %)", class_words(*c), km(*k)))
                .collect::<Vec<_>>()
                .join("; "),
            total: km(w.total_km),
        })
        .collect();
    let chart = share_chart(&shares, &*allowed);
    let mileage = mileage_chart(&d.shoes, units);
    // Weeks without a run say nothing a sentence does not.
    let weeks = if shares.iter().any(|w| w.total_km > 0.0) {
        weeks
    } else {
        Vec::new()
    };
    render(&ShoesPage {
        chrome,
        form,
        problem,
        unit: units.distance.label(),
        shoes,
        retirement: format!(
            "A shoe without its own distance is due for retirement at {} ({}: the upper end of the 500–800 km usually quoted; no study sets a number).",
            km(rules.retirement.default_km),
            rules.retirement.reference
        ),
        transition,
        why_none,
        chart,
        mileage,
        weeks,
    })
}

/// Each shoe in use: its distance, the ones due for retirement drawn dark.
fn mileage_chart(shoes: &[ShoeListed], units: Units) -> Option<String> {
    let per = units.distance.metres() / 1000.0;
    let bars: Vec<chart::Bar> = shoes
        .iter()
        .filter(|s| !s.retired)
        .map(|s| {
            let name: String = if s.name.chars().count() > 14 {
                s.name.chars().take(13).chain(['…']).collect()
            } else {
                s.name.clone()
            };
            chart::Bar {
                label: name,
                value: s.km / per,
                highlight: s.reminder.is_some(),
            }
        })
        .collect();
    if bars.iter().all(|b| b.value <= 0.0) {
        return None;
    }
    let unit = units.distance.label();
    Some(chart::bars(
        "mileage",
        &format!(
            "Distance on each shoe in use, in {unit}; {} near or past its retirement distance",
            match bars.iter().filter(|b| b.highlight).count() {
                0 => "none".to_owned(),
                n => n.to_string(),
            }
        ),
        "One bar per shoe in use; a darker bar is near or past its retirement distance. The numbers are in the table of shoes.",
        unit,
        &bars,
    ))
}

/// The plan's allowed share against the share of each week run in each drop class.
fn share_chart(
    shares: &[&DropShare],
    allowed: &dyn Fn(NaiveDate) -> Option<f64>,
) -> Option<String> {
    if shares.iter().all(|w| w.total_km <= 0.0) {
        return None;
    }
    let x = |i: usize| i as f64;
    let classes = ["s2", "s3", "s4", "s5"];
    let mut lines = vec![];
    let plan: Vec<(f64, Option<f64>)> = shares
        .iter()
        .enumerate()
        .map(|(i, w)| (x(i), allowed(w.week_start)))
        .collect();
    if plan.iter().any(|p| p.1.is_some()) {
        lines.push(Line {
            label: "Plan: most allowed lower-drop".into(),
            class: "s1",
            points: plan,
            right: false,
            markers: false,
        });
    }
    for (k, class) in DropClass::ALL.iter().zip(classes) {
        let pts: Vec<(f64, Option<f64>)> = shares
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let pct = w.by_class.iter().find(|c| c.0 == *k).map(|c| c.2);
                (x(i), (w.total_km > 0.0).then_some(pct.unwrap_or(0.0)))
            })
            .collect();
        if pts.iter().any(|p| p.1.is_some_and(|v| v > 0.0)) {
            lines.push(Line {
                label: class_words(*k).into(),
                class,
                points: pts,
                right: false,
                markers: true,
            });
        }
    }
    let n = shares.len();
    let every = n.div_ceil(6).max(1);
    chart::lines(&Lines {
        id: "drop-chart".into(),
        title: "Share of each week's distance by heel drop, against the transition plan".into(),
        desc: format!(
            "{n} weeks from {}: each line is the percentage of the week's running in one drop class{}; the numbers are in the table after the chart.",
            shares[0].week_start,
            if lines.first().is_some_and(|l| l.class == "s1") {
                ", and the solid line is the most the plan allows in lower-drop shoes"
            } else {
                ""
            }
        ),
        x_ticks: (0..n)
            .step_by(every)
            .map(|i| (x(i), shares[i].week_start.format("%b %-d").to_string()))
            .collect(),
        left: Axis {
            range: Some((0.0, 100.0)),
            ..Axis::new("% of week", chart::whole)
        },
        right: None,
        lines,
        shades: vec![],
        columns: vec![],
        columns_label: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(start: &str, total: f64, zero_pct: f64) -> DropShare {
        DropShare {
            week_start: start.parse().unwrap(),
            total_km: total,
            by_class: vec![
                (DropClass::Zero, total * zero_pct / 100.0, zero_pct),
                (
                    DropClass::High,
                    total * (100.0 - zero_pct) / 100.0,
                    100.0 - zero_pct,
                ),
            ],
            unknown_km: 0.0,
        }
    }

    #[test]
    fn the_plan_is_drawn_against_each_class_run() {
        let weeks = [
            week("2026-11-02", 20.0, 0.0),
            week("2026-11-09", 20.0, 15.0),
        ];
        let shares: Vec<&DropShare> = weeks.iter().collect();
        let start: NaiveDate = "2026-11-09".parse().unwrap();
        let allowed = move |w: NaiveDate| Some(if w < start { 0.0 } else { 10.0 });
        let svg = share_chart(&shares, &allowed).unwrap();
        assert!(svg.contains("Plan: most allowed lower-drop"));
        assert!(svg.contains("zero drop") && svg.contains("high drop, 9 mm or more"));
        assert!(!svg.contains("mid drop"), "a class never run is not drawn");
        // Zero drop ran 15 % against the plan's 10 %: both points are on the 0–100 axis.
        assert_eq!(
            svg.matches("<circle").count(),
            4,
            "two weeks of two classes"
        );
        assert!(svg.contains("the solid line is the most the plan allows"));
        let nothing = [week("2026-11-02", 0.0, 0.0)];
        assert!(share_chart(&nothing.iter().collect::<Vec<_>>(), &|_| None).is_none());
    }
}
