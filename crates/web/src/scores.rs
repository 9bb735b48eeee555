//! Questionnaires (`/scores`): VISA-A, LEFS, OSTRC-O2 and the MTSS score as forms
//! (`/scores/{code}`), scored by the model exactly as published, every result with its
//! delete button, and each questionnaire's trend drawn against its smallest meaningful change.
//!
//! JSON: `GET /api/v1/instruments`, `GET|POST /api/v1/scores` (the answers as `soleus score`
//! reads them), `DELETE /api/v1/scores/{id}`.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::{delete, get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use soleus_app::scores::{ScoreRow, instrument};
use soleus_app::{AppError, EntryId};
use soleus_model::questionnaires::{Answer, Instrument, ItemKind, Responses};

use crate::Shared;
use crate::auth::Me;
use crate::chart::{self, Band, Point};
use crate::error::{Error, Shape};
use crate::form::{Form, JsonBody, Problem, saved};
use crate::page::{Chrome, json, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/scores", get(page))
        .route("/scores/{code}", get(form_page).post(post_score))
        .route("/scores/{id}/delete", post(post_delete))
        .route("/api/v1/instruments", get(api_instruments))
        .route("/api/v1/scores", get(api).post(api_post))
        .route("/api/v1/scores/{id}", delete(api_delete))
}

/// The questionnaires in the order a runner meets them, by code.
const ORDER: &[&str] = &["OSTRC_O2", "VISA_A", "LEFS", "MTSS_SCORE"];

fn known(code: &str, shape: Shape) -> Result<&'static Instrument, Error> {
    match soleus_model::questionnaires::canonical_code(code) {
        Some(c) => instrument(c).map_err(|_| Error::no_route(shape)),
        None => Err(Error::no_route(shape)),
    }
}

/// A name as people write it (`VISA-A`).
fn display(code: &str) -> String {
    code.trim_end_matches("_SCORE").replace('_', "-")
}

/// One item as the form shows it.
struct ItemField {
    name: String,
    id: String,
    text: String,
    /// `options`, `scale` or `branch`.
    kind: &'static str,
    min: u32,
    max: u32,
    value: String,
    options: Vec<(String, String, bool)>,
    branches: Vec<(String, bool)>,
}

fn item_fields(inst: &Instrument, pairs: &[(String, String)]) -> Vec<ItemField> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    inst.item
        .iter()
        .map(|it| {
            let name = format!("a-{}", it.id);
            let value = get(&name);
            // An option shows its words only: its points are the scoring's, and a person
            // answers what happened, not which answer scores what.
            let options = it
                .options
                .iter()
                .enumerate()
                .map(|(i, (label, _))| (i.to_string(), label.clone(), value == i.to_string()))
                .collect();
            let branch = get(&format!("{name}-branch"));
            ItemField {
                id: format!("i-{}-{}", inst.code.to_lowercase(), it.id.to_lowercase()),
                text: it.text.clone(),
                kind: match it.kind {
                    ItemKind::Options => "options",
                    ItemKind::Scale => "scale",
                    ItemKind::Branch => "branch",
                },
                min: it.min.unwrap_or(0),
                max: it.max.unwrap_or(0),
                value,
                options,
                branches: it
                    .branches
                    .iter()
                    .map(|(b, _)| (b.clone(), *b == branch))
                    .collect(),
                name,
            }
        })
        .collect()
}

/// Reads a filled-in form into the model's answers; an unanswered item is left out, so the
/// model names it.
fn responses(inst: &Instrument, pairs: &[(String, String)]) -> Result<Responses, AppError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let date = match get("date") {
        None => return Err(AppError::invalid("date", "give the day it was filled in")),
        Some(s) => s
            .parse::<NaiveDate>()
            .map_err(|_| AppError::invalid("date", format!("{s:?} is not a date (YYYY-MM-DD)")))?,
    };
    let mut answers = BTreeMap::new();
    for it in &inst.item {
        let name = format!("a-{}", it.id);
        let Some(v) = get(&name) else { continue };
        let n: u32 = v.parse().map_err(|_| {
            AppError::invalid(
                "answers",
                format!("item {}: {v:?} is not a whole number", it.id),
            )
        })?;
        let answer = match it.kind {
            ItemKind::Branch => match get(&format!("{name}-branch")) {
                Some(b) => Answer::Branch {
                    branch: b.to_owned(),
                    option: n,
                },
                None => {
                    return Err(AppError::invalid(
                        "answers",
                        format!("item {}: choose A, B or C as well as the time", it.id),
                    ));
                }
            },
            _ => Answer::Value(n),
        };
        answers.insert(it.id.clone(), answer);
    }
    Ok(Responses {
        instrument: inst.code.clone(),
        version: inst.version.clone(),
        date,
        answers,
    })
}

#[derive(Template)]
#[template(path = "score_form.html")]
struct FormPage {
    chrome: Chrome,
    problem: Problem,
    code: String,
    name: String,
    display: String,
    version: String,
    reference: String,
    date: String,
    today: String,
    items: Vec<ItemField>,
}

async fn show_form(
    app: &Me,
    inst: &Instrument,
    pairs: &[(String, String)],
    problem: Problem,
) -> Result<Html<String>, Error> {
    let today = crate::checkin::today(app).await.map_err(Error::page)?;
    let date = pairs
        .iter()
        .find(|(k, _)| k == "date")
        .map_or_else(|| today.to_string(), |(_, v)| v.clone());
    render(&FormPage {
        chrome: Chrome::load(app, display(&inst.code), Some("/scores")).await?,
        problem,
        code: inst.code.clone(),
        name: inst.name.clone(),
        display: display(&inst.code),
        version: inst.version.clone(),
        reference: soleus_model::references::cite_all(&[&inst.reference]),
        date,
        today: today.to_string(),
        items: item_fields(inst, pairs),
    })
}

async fn form_page(app: Me, Path(code): Path<String>) -> Result<Html<String>, Error> {
    let inst = known(&code, Shape::Page)?;
    show_form(&app, inst, &[], Problem::default()).await
}

async fn post_score(
    app: Me,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let inst = known(&code, Shape::Page)?;
    let done = match responses(inst, &pairs) {
        Ok(r) => app.score(&r).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(row) => Ok(saved(&format!("/scores?result={}", row.id), "score").into_response()),
        Err(e) => {
            let page = show_form(&app, inst, &pairs, Problem::of(e)?).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// One result as listed.
struct ResultRow {
    id: String,
    date: String,
    total: u32,
    max: u32,
    flags: Vec<String>,
    interpretation: Vec<String>,
    change: String,
    meaningful: String,
    just_saved: bool,
}

/// One questionnaire's results and trend.
struct Section {
    code: String,
    display: String,
    name: String,
    direction: &'static str,
    chart: Option<String>,
    mcid: Vec<String>,
    reference_values: Vec<String>,
    /// The study the version is from, as people read it (author, year, journal).
    source: Option<&'static str>,
    results: Vec<ResultRow>,
}

#[derive(Template)]
#[template(path = "scores.html")]
struct ScoresPage {
    chrome: Chrome,
    sections: Vec<Section>,
}

#[derive(Debug, Deserialize)]
pub struct ScoresQuery {
    saved: Option<String>,
    result: Option<String>,
}

fn section(
    inst: &Instrument,
    rows: &[&ScoreRow],
    view: &soleus_app::scores::ScoresView,
    just: Option<&str>,
) -> Section {
    let steps = view.trends.get(&inst.code).cloned().unwrap_or_default();
    let mut sorted: Vec<&ScoreRow> = rows.to_vec();
    sorted.sort_by_key(|r| (r.scored.date, r.id));
    let results: Vec<ResultRow> = sorted
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let step = i.checked_sub(1).and_then(|j| {
                steps
                    .iter()
                    .find(|s| s.from_date == sorted[j].scored.date && s.to_date == r.scored.date)
            });
            ResultRow {
                id: r.id.to_string(),
                date: r.scored.date.to_string(),
                total: r.scored.total,
                max: r.scored.max,
                flags: r.scored.flags.clone(),
                // Results stored before the keys were written out say them as keys.
                interpretation: r
                    .scored
                    .interpretation
                    .iter()
                    .map(|i| soleus_model::references::in_words(i))
                    .collect(),
                change: step.map_or("—".into(), |s| format!("{:+}", s.change)),
                meaningful: step.map_or("—".into(), |s| {
                    if !s.comparable {
                        "not comparable (another version)".into()
                    } else {
                        let reached: Vec<String> = s
                            .thresholds
                            .iter()
                            .filter(|t| t.reached)
                            .map(|t| format!("≥ {} ({})", t.points, t.label))
                            .collect();
                        let way = if s.better {
                            "better"
                        } else if s.change == 0 {
                            "no change"
                        } else {
                            "worse"
                        };
                        if reached.is_empty() {
                            if s.thresholds.is_empty() {
                                format!("{way}; no published smallest change")
                            } else {
                                format!("{way}, below the smallest meaningful change")
                            }
                        } else {
                            format!("{way}, meaningful: {}", reached.join(", "))
                        }
                    }
                }),
                just_saved: just == Some(r.id.to_string().as_str()),
            }
        })
        .collect();
    let mcid = inst.mcid.first();
    let chart = (!sorted.is_empty()).then(|| {
        let points: Vec<Point> = sorted
            .iter()
            .map(|r| Point {
                label: r.scored.date.format("%b %-d").to_string(),
                value: f64::from(r.scored.total),
            })
            .collect();
        let first = f64::from(sorted[0].scored.total);
        let band = mcid.map(|(label, pts, reference)| Band {
            low: first - pts,
            high: first + pts,
            label: format!("first result ±{pts} ({label}, {})", soleus_model::references::cite_all(&[reference])),
        });
        let desc = format!(
            "{} result{} from {} to {}, out of {}; {}",
            sorted.len(),
            if sorted.len() == 1 { "" } else { "s" },
            sorted[0].scored.total,
            sorted[sorted.len() - 1].scored.total,
            inst.max,
            match mcid {
                Some((_, pts, _)) => format!("the shaded band is the first result ±{pts} points: a change outside it is meaningful"),
                None => "this questionnaire has no published smallest meaningful change".into(),
            }
        );
        chart::trend(
            &format!("trend-{}", inst.code.to_lowercase()),
            &format!("{} over time", display(&inst.code)),
            &desc,
            f64::from(inst.max),
            &points,
            band.as_ref(),
        )
    });
    Section {
        code: inst.code.clone(),
        display: display(&inst.code),
        name: inst.name.clone(),
        direction: if inst.higher_is_better {
            "Higher is better."
        } else {
            "Lower is better."
        },
        chart,
        mcid: inst
            .mcid
            .iter()
            .map(|(l, p, r)| {
                let r = soleus_model::references::cite(r).unwrap_or_default();
                if r.is_empty() {
                    format!("{p} points: {l}")
                } else {
                    format!("{p} points: {l} ({r})")
                }
            })
            .collect(),
        reference_values: inst
            .reference_values
            .iter()
            .map(|v| soleus_model::references::in_words(v))
            .collect(),
        source: soleus_model::references::cite(&inst.reference),
        results,
    }
}

async fn page(app: Me, Query(q): Query<ScoresQuery>) -> Result<Html<String>, Error> {
    let view = app.scores().await.map_err(Error::page)?;
    let sections = ORDER
        .iter()
        .filter_map(|c| instrument(c).ok())
        .map(|inst| {
            let rows: Vec<&ScoreRow> = view
                .scores
                .iter()
                .filter(|r| r.scored.instrument == inst.code)
                .collect();
            section(inst, &rows, &view, q.result.as_deref())
        })
        .collect();
    render(&ScoresPage {
        chrome: Chrome::load(&app, "Questionnaires", Some("/scores"))
            .await?
            .saved(q.saved.as_deref()),
        sections,
    })
}

fn entry_id(s: &str, shape: Shape) -> Result<EntryId, Error> {
    s.parse::<i64>()
        .map(EntryId)
        .map_err(|_| Error::no_route(shape))
}

async fn post_delete(app: Me, Path(id): Path<String>) -> Result<Response, Error> {
    let id = entry_id(&id, Shape::Page)?;
    app.delete_score(id).await.map_err(Error::page)?;
    Ok(saved("/scores", "deleted").into_response())
}

async fn api_instruments(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.instruments())
}

async fn api(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.scores().await.map_err(Error::json)?)
}

async fn api_post(
    app: Me,
    JsonBody(r): JsonBody<Responses>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&app.score(&r).await.map_err(Error::json)?)
}

async fn api_delete(app: Me, Path(id): Path<String>) -> Result<Json<serde_json::Value>, Error> {
    let id = entry_id(&id, Shape::Json)?;
    app.delete_score(id).await.map_err(Error::json)?;
    json(&crate::page::Deleted { deleted: id })
}
