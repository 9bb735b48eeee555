//! The activities: the list (`/activities`, `/api/v1/activities`) with pagination, and one
//! activity with its laps, splits and route (`/activities/{id}`, `/api/v1/activities/{id}`),
//! in the athlete's units.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Json};
use axum::routing::get;
use serde::Deserialize;
use soleus_app::ActivityId;
use soleus_app::AppError;
use soleus_app::activities::{ActivityListed, ActivityView, pace};
use soleus_model::Units;
use soleus_model::units::duration;

use crate::Shared;
use crate::chart;
use crate::error::{Error, Shape};
use crate::page::{Chrome, json, or_dash, render};

/// Activities on one page of the list.
pub const PER_PAGE: usize = 25;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/activities", get(list_page))
        .route("/activities/{id}", get(show_page))
        .route("/api/v1/activities", get(list_api))
        .route("/api/v1/activities/{id}", get(show_api))
}

/// `?page=N` (from 1) for the page; `?limit=N` for the document, as `soleus activities --limit`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    limit: Option<String>,
}

fn number(field: &'static str, s: Option<&str>) -> Result<Option<usize>, AppError> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid(field, format!("{field} {s:?} is not a whole number"))),
    }
}

/// An id in a path; anything that is not one names nothing, so it is "not found".
fn id(s: &str, shape: Shape) -> Result<ActivityId, Error> {
    s.parse().map_err(|_| Error::no_route(shape))
}

async fn list_api(
    State(app): State<Shared>,
    Query(q): Query<ListQuery>,
) -> Result<Json<serde_json::Value>, Error> {
    let limit = number("limit", q.limit.as_deref()).map_err(Error::json)?;
    let view = app.activities(limit, None).await.map_err(Error::json)?;
    json(&view)
}

async fn show_api(
    State(app): State<Shared>,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    let view = app
        .activity(id(&raw, Shape::Json)?, None)
        .await
        .map_err(Error::json)?;
    json(&view)
}

/// One activity as a row of the list.
struct Row {
    id: ActivityId,
    date: String,
    sport: &'static str,
    name: String,
    distance: String,
    time: String,
    pace: String,
    ascent: String,
    hr: String,
}

fn row(l: &ActivityListed, units: Units) -> Row {
    let r = &l.row;
    Row {
        id: r.id,
        date: l.local_start.format("%Y-%m-%d %H:%M").to_string(),
        sport: r.sport.label(),
        name: l.name.clone().unwrap_or_default(),
        distance: or_dash(r.distance_m, |d| units.distance(d)),
        time: or_dash(r.moving_s.or(r.elapsed_s), duration),
        pace: if r.sport.is_on_foot() {
            or_dash(pace(r), |p| units.pace(p))
        } else {
            "—".into()
        },
        ascent: or_dash(r.ascent_m, |a| units.elevation(a)),
        hr: or_dash(r.avg_hr, |h| h.to_string()),
    }
}

#[derive(Template)]
#[template(path = "activities.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    total: usize,
    page: usize,
    pages: usize,
    first: usize,
    last: usize,
}

async fn list_page(
    State(app): State<Shared>,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, Error> {
    let page = number("page", q.page.as_deref())
        .map_err(Error::page)?
        .unwrap_or(1);
    let view = app.activities(None, None).await.map_err(Error::page)?;
    let total = view.activities.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    if page == 0 || page > pages {
        return Err(Error::page(AppError::NotFound {
            what: "page",
            id: page.to_string(),
        }));
    }
    let start = (page - 1) * PER_PAGE;
    let rows: Vec<Row> = view
        .activities
        .iter()
        .skip(start)
        .take(PER_PAGE)
        .map(|l| row(l, view.units))
        .collect();
    render(&ListPage {
        chrome: Chrome::load(&app, "Activities", Some("/activities")).await?,
        first: if total == 0 { 0 } else { start + 1 },
        last: start + rows.len(),
        rows,
        total,
        page,
        pages,
    })
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

#[derive(Template)]
#[template(path = "activity.html")]
struct ShowPage {
    chrome: Chrome,
    summary: Row,
    device: String,
    shoe: String,
    laps: Vec<LapRow>,
    splits_unit: &'static str,
    splits: Vec<SplitRow>,
    route: Option<String>,
}

async fn show_page(
    State(app): State<Shared>,
    Path(raw): Path<String>,
) -> Result<Html<String>, Error> {
    let view = app
        .activity(id(&raw, Shape::Page)?, None)
        .await
        .map_err(Error::page)?;
    let mut page = show(&view);
    page.chrome = Chrome::load(&app, page.chrome.title, page.chrome.current).await?;
    render(&page)
}

fn show(view: &ActivityView) -> ShowPage {
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
            let p = match (l.distance_m, time) {
                (Some(d), Some(t)) if d > 0.0 => Some(t / (d / 1000.0)),
                _ => None,
            };
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
        chrome: Chrome::new(title, Some("/activities")),
        device: view.activity.device.clone().unwrap_or_else(|| "—".into()),
        shoe: view.activity.shoe.clone().unwrap_or_else(|| "—".into()),
        summary,
        laps,
        splits_unit: view.splits_unit,
        splits,
    }
}
