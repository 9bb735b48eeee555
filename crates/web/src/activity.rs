//! One activity (`/activities/{id}`, `/api/v1/activities/{id}`): its summary, the route, the
//! elevation, pace and heart-rate charts from the samples, laps, splits, the shoe it was run
//! in and how hard it felt (session RPE), each with a form that posts to the activity's own
//! address (`/activities/{id}/shoe`, `/activities/{id}/rpe`, and the same under `/api/v1`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use soleus_app::activities::ActivityView;
use soleus_app::load::check_rpe;
use soleus_app::{ActivityId, AppError};
use soleus_model::units::duration;

use crate::Shared;
use crate::activities::{Row, id, row};
use crate::auth::Me;
use crate::chart;
use crate::error::{Error, Shape};
use crate::form::{Form, JsonBody, Problem, given, saved};
use crate::page::{Chrome, json, or_dash, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/activities/{id}", get(page))
        .route("/activities/{id}/rpe", post(post_rpe))
        .route("/activities/{id}/shoe", post(post_shoe))
        .route("/api/v1/activities/{id}", get(api))
        .route("/api/v1/activities/{id}/rpe", post(api_rpe))
        .route("/api/v1/activities/{id}/shoe", post(api_shoe))
}

/// A field posted as text or, in JSON, as a number.
#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Field {
    /// `7` in JSON.
    Number(f64),
    /// `"7"` in a form or JSON.
    Text(String),
}

impl Field {
    fn text(f: &Option<Field>) -> Option<String> {
        match f {
            Some(Field::Number(n)) => Some(n.to_string()),
            Some(Field::Text(t)) => given(&Some(t.clone())).map(str::to_owned),
            None => None,
        }
    }
}

/// `rpe`: the CR-10 rating.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RpeForm {
    rpe: Option<Field>,
}

impl RpeForm {
    fn rating(&self) -> Result<u8, AppError> {
        let Some(t) = Field::text(&self.rpe) else {
            return Err(AppError::invalid(
                "rpe",
                "choose how hard the session felt, from 0 (rest) to 10 (maximal)",
            ));
        };
        let n: u8 = t.parse().map_err(|_| {
            AppError::invalid(
                "rpe",
                format!("RPE {t:?} is not a whole number from 0 to 10"),
            )
        })?;
        check_rpe(n)
    }
}

/// `shoe`: a shoe's id or name.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ShoeForm {
    shoe: Option<Field>,
}

impl ShoeForm {
    fn key(&self) -> Result<String, AppError> {
        Field::text(&self.shoe).ok_or_else(|| AppError::invalid("shoe", "choose a shoe"))
    }
}

/// A shoe that names none of the athlete's is a mistake in the form, not a missing page.
async fn assign(app: &Me, activity: ActivityId, form: &ShoeForm) -> Result<(), AppError> {
    let key = form.key()?;
    match app.assign_shoe(activity, &key).await {
        Ok(_) => Ok(()),
        Err(AppError::NotFound { what: "shoe", .. }) => Err(AppError::invalid(
            "shoe",
            format!("no shoe {key:?}: add it on the shoes page first"),
        )),
        Err(e) => Err(e),
    }
}

async fn api(app: Me, Path(raw): Path<String>) -> Result<Json<serde_json::Value>, Error> {
    let view = app
        .activity(id(&raw, Shape::Json)?, None)
        .await
        .map_err(Error::json)?;
    json(&view)
}

async fn api_rpe(
    app: Me,
    Path(raw): Path<String>,
    JsonBody(form): JsonBody<RpeForm>,
) -> Result<Json<serde_json::Value>, Error> {
    let a = id(&raw, Shape::Json)?;
    let rating = form.rating().map_err(Error::json)?;
    json(&app.set_rpe(a, rating).await.map_err(Error::json)?)
}

async fn api_shoe(
    app: Me,
    Path(raw): Path<String>,
    JsonBody(form): JsonBody<ShoeForm>,
) -> Result<Json<serde_json::Value>, Error> {
    let a = id(&raw, Shape::Json)?;
    assign(&app, a, &form).await.map_err(Error::json)?;
    json(&app.activity(a, None).await.map_err(Error::json)?)
}

async fn post_rpe(
    app: Me,
    Path(raw): Path<String>,
    Form(form): Form<RpeForm>,
) -> Result<Response, Error> {
    let a = id(&raw, Shape::Page)?;
    let result = match form.rating() {
        Ok(r) => app.set_rpe(a, r).await.map(|_| ()),
        Err(e) => Err(e),
    };
    answer(&app, a, result, "rpe", Field::text(&form.rpe)).await
}

async fn post_shoe(
    app: Me,
    Path(raw): Path<String>,
    Form(form): Form<ShoeForm>,
) -> Result<Response, Error> {
    let a = id(&raw, Shape::Page)?;
    let result = assign(&app, a, &form).await;
    answer(&app, a, result, "shoe-assigned", None).await
}

/// After a form: to the activity with the notice, or the page again with the mistake.
async fn answer(
    app: &Me,
    a: ActivityId,
    result: Result<(), AppError>,
    key: &'static str,
    typed_rpe: Option<String>,
) -> Result<Response, Error> {
    match result {
        Ok(()) => Ok(saved(&format!("/activities/{a}"), key).into_response()),
        Err(e) => {
            let problem = Problem::of(e)?;
            let page = show(app, a, problem, typed_rpe, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn page(
    app: Me,
    Path(raw): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>, Error> {
    let a = id(&raw, Shape::Page)?;
    show(&app, a, Problem::default(), None, q.saved.as_deref()).await
}

struct LapRow {
    n: usize,
    distance: String,
    time: String,
    pace: String,
    ascent: String,
    hr: String,
}

struct SplitRow {
    n: usize,
    distance: String,
    time: String,
    pace: String,
    hr: String,
    elevation: String,
}

/// One step of the CR-10 scale: (rating, words).
pub struct Step {
    rating: u8,
    words: &'static str,
}

/// The words of Foster's CR-10 scale for session RPE (Foster et al. 2001).
const CR10: [&str; 11] = [
    "Rest",
    "Very, very easy",
    "Easy",
    "Moderate",
    "Somewhat hard",
    "Hard",
    "Hard to very hard",
    "Very hard",
    "Very hard to near maximal",
    "Near maximal",
    "Maximal",
];

#[derive(Template)]
#[template(path = "activity.html")]
struct ShowPage {
    chrome: Chrome,
    id: ActivityId,
    summary: Row,
    device: String,
    shoe: String,
    shoes: Vec<(String, String, bool)>,
    rpe: Option<u8>,
    rpe_typed: String,
    scale: Vec<Step>,
    problem: Problem,
    laps: Vec<LapRow>,
    splits_unit: &'static str,
    splits: Vec<SplitRow>,
    route: Option<String>,
    charts: Vec<crate::activity_charts::Chart>,
    thread: Option<crate::comments::ThreadBlock>,
}

async fn show(
    app: &Me,
    a: ActivityId,
    problem: Problem,
    typed_rpe: Option<String>,
    saved: Option<&str>,
) -> Result<Html<String>, Error> {
    let view = app.activity(a, None).await.map_err(Error::page)?;
    let rpe = app
        .store()
        .summaries()
        .await
        .map_err(|e| Error::page(e.into()))?
        .into_iter()
        .find(|s| s.id == a)
        .and_then(|s| s.summary.rpe);
    let shoes = app.shoes().await.map_err(Error::page)?;
    let mut page = build(&view);
    page.shoes = shoes
        .iter()
        .filter(|s| !s.retired || view.activity.row.shoe_id == Some(s.id))
        .map(|s| {
            let label = match s.drop_mm {
                Some(d) => format!("{} ({d:.0} mm drop)", s.name),
                None => s.name.clone(),
            };
            (
                s.id.to_string(),
                label,
                view.activity.row.shoe_id == Some(s.id),
            )
        })
        .collect();
    page.rpe = rpe;
    page.rpe_typed = typed_rpe.unwrap_or_else(|| rpe.map(|r| r.to_string()).unwrap_or_default());
    page.problem = problem;
    page.thread = crate::comments::section(
        app,
        app.caller.as_ref(),
        app.athlete_id(),
        soleus_app::threads::TargetKind::Activity,
        a.0,
    )
    .await?;
    page.chrome = Chrome::load(app, page.chrome.title, page.chrome.current)
        .await?
        .saved(saved);
    render(&page)
}

fn build(view: &ActivityView) -> ShowPage {
    let units = view.units;
    let summary = row(&view.activity, units);
    let title = if summary.name.is_empty() {
        format!("{} on {}", summary.sport, summary.date)
    } else {
        summary.name.clone()
    };
    let laps = view
        .full
        .laps
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let time = l.moving_s.or(l.elapsed_s);
            let p = l.pace_s_per_km();
            LapRow {
                n: i + 1,
                distance: or_dash(l.distance_m, |d| units.distance(d)),
                time: or_dash(time, duration),
                pace: or_dash(p, |p| units.pace(p)),
                ascent: or_dash(l.ascent_m, |a| units.elevation(a)),
                hr: or_dash(l.avg_hr, |h| h.to_string()),
            }
        })
        .collect();
    let splits = view
        .splits
        .iter()
        .map(|s| SplitRow {
            n: s.index,
            distance: units.distance(s.distance_m),
            time: duration(s.duration_s),
            pace: or_dash(s.pace_s_per_km, |p| units.pace(p)),
            hr: or_dash(s.avg_hr, |h| format!("{h:.0}")),
            elevation: or_dash(s.elevation_change_m, |e| {
                format!(
                    "{}{}",
                    if e >= 0.0 { "+" } else { "−" },
                    units.elevation(e.abs())
                )
            }),
        })
        .collect();
    let points: Vec<(f64, f64)> = view
        .full
        .samples
        .iter()
        .filter_map(|s| Some((s.lat?, s.lon?)))
        .filter(|(lat, lon)| lat.is_finite() && lon.is_finite())
        .collect();
    ShowPage {
        route: chart::route("route", &format!("The route of {title}, north up"), &points),
        charts: crate::activity_charts::charts(&view.full.samples, units, &title),
        chrome: Chrome::new(title, Some("/activities")),
        id: view.activity.id,
        device: view.activity.device.clone().unwrap_or_else(|| "—".into()),
        shoe: view.activity.shoe.clone().unwrap_or_else(|| "—".into()),
        shoes: Vec::new(),
        rpe: None,
        rpe_typed: String::new(),
        scale: CR10
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let r = u8::try_from(i).ok()?;
                check_rpe(r).ok().map(|rating| Step { rating, words: w })
            })
            .collect(),
        problem: Problem::default(),
        summary,
        laps,
        splits_unit: view.splits_unit,
        splits,
        thread: None,
    }
}
