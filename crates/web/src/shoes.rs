//! Shoes (`/shoes`, `/api/v1/shoes`): each shoe's distance in the athlete's unit with its
//! retirement reminder, forms to add one, retire one and set the default, and the lower-drop
//! transition plan drawn against the share of each week's distance run in each drop class
//! (knowledge base §4).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::{get, post};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use soleus_app::AppError;
use soleus_app::shoes::{ShoeInput, ShoeListed, TransitionView, class_words};
use soleus_model::Units;
use soleus_model::shoes::{DropShare, FootwearRules};

use crate::Shared;
use crate::auth::Me;
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
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
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

async fn doc(app: &Me) -> Result<ShoesDoc, AppError> {
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
async fn api(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.shoes().await.map_err(Error::json)?)
}

/// `?weeks=N`, as `soleus shoes drops --weeks` (default 8, as there).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WeeksQuery {
    weeks: Option<String>,
}

/// `soleus shoes drops --json`: the share of each week by drop class, oldest first.
async fn api_drops(app: Me, Query(q): Query<WeeksQuery>) -> Result<Json<serde_json::Value>, Error> {
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

async fn api_transition(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.shoe_transition(None).await.map_err(Error::json)?)
}

async fn api_add(
    app: Me,
    JsonBody(form): JsonBody<ShoeAddForm>,
) -> Result<Json<serde_json::Value>, Error> {
    let units = app.units(None).await.map_err(Error::json)?;
    let input = form.input(units).map_err(Error::json)?;
    json(&app.add_shoe(&input).await.map_err(Error::json)?)
}

async fn api_retire(app: Me, Path(id): Path<String>) -> Result<Json<serde_json::Value>, Error> {
    json(&app.retire_shoe(&id).await.map_err(Error::json)?)
}

async fn api_default(app: Me, Path(id): Path<String>) -> Result<Json<serde_json::Value>, Error> {
    json(&app.set_default_shoe(&id).await.map_err(Error::json)?)
}

async fn post_add(app: Me, Form(form): Form<ShoeAddForm>) -> Result<Response, Error> {
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

async fn post_retire(app: Me, Path(id): Path<String>) -> Result<Response, Error> {
    app.retire_shoe(&id).await.map_err(Error::page)?;
    Ok(saved("/shoes", "shoe-retired").into_response())
}

async fn post_default(app: Me, Path(id): Path<String>) -> Result<Response, Error> {
    app.set_default_shoe(&id).await.map_err(Error::page)?;
    Ok(saved("/shoes", "shoe-default").into_response())
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn page(app: Me, Query(q): Query<SavedQuery>) -> Result<Html<String>, Error> {
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
    app: &Me,
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
                    references: soleus_model::references::cite_all(&plan.references),
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
    let chart = crate::shoes_charts::share_chart(&shares, &*allowed);
    let mileage = crate::shoes_charts::mileage_chart(&d.shoes, units);
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
            "A shoe without its own distance is due for retirement at {} (the upper end of the 500–800 km usually quoted; no study sets a number).",
            km(rules.retirement.default_km)
        ),
        transition,
        why_none,
        chart,
        mileage,
        weeks,
    })
}
