//! Today (`/today`): the plan's exercise cards with their dose, the pain that is acceptable,
//! how to do them and drawings of the calf at work (side and back views: the gastrocnemius
//! with the knee straight, the soleus with it bent), the run or no run, and what to log
//! afterwards. A plan that may not be followed shows only the way to a clinician.
//!
//! JSON: `GET /api/v1/today` (the dashboard's module serves it).

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;
use soleus_app::AppError;
use soleus_app::plan::PlanAnswer;

use crate::Shared;
use crate::auth::Me;
use crate::drawing::{self, Muscle};
use crate::error::Error;
use crate::page::{Chrome, render};
use crate::plan::Clinician;

pub fn router() -> Router<Shared> {
    Router::new().route("/today", get(page))
}

/// One exercise card.
struct Card {
    id: String,
    name: String,
    dose: String,
    acceptable_pain: String,
    instructions: Vec<String>,
    drawings: Vec<String>,
    contested: bool,
    low_evidence: bool,
    references: String,
}

/// The day's work when the plan may be followed.
struct Work {
    stage: String,
    phase: String,
    cards: Vec<Card>,
    run: String,
    log: Vec<String>,
    to_move_on: Vec<String>,
    references: String,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    chrome: Chrome,
    date: String,
    clinician: Option<Clinician>,
    work: Option<Work>,
    no_plan: bool,
}

#[derive(Debug, Deserialize)]
pub struct OnQuery {
    on: Option<String>,
}

/// The library's own drawing, made an image with the exercise's name for screen readers.
fn library_drawing(svg: &str, name: &str, id: &str) -> Option<String> {
    let d = soleus_model::plan::svg(svg)?;
    let rest = d.trim().strip_prefix("<svg")?;
    Some(format!(
        r#"<svg class="drawing library" role="img" aria-label="{}" data-drawing="{id}"{rest}"#,
        crate::chart::escape(name)
    ))
}

fn card(e: &soleus_model::plan::TodayExercise) -> Card {
    let lib = soleus_model::plan::exercise(&e.id);
    let mut drawings: Vec<String> = drawing::muscles_of(&e.id)
        .iter()
        .map(|m| {
            let id = format!(
                "calf-{}-{}",
                e.id.to_lowercase(),
                match m {
                    Muscle::Gastrocnemius => "g",
                    Muscle::Soleus => "s",
                }
            );
            drawing::calf_at_work(&id, *m)
        })
        .collect();
    if drawings.is_empty()
        && let Some(d) = library_drawing(&e.svg, &e.name, &e.id)
    {
        drawings.push(d);
    }
    Card {
        id: e.id.clone(),
        name: e.name.clone(),
        dose: e.dose.clone(),
        acceptable_pain: e.acceptable_pain.clone(),
        instructions: lib.map(|l| l.instructions.clone()).unwrap_or_default(),
        drawings,
        contested: e.contested,
        low_evidence: e.low_evidence,
        references: soleus_model::references::cite_all(&e.references),
    }
}

async fn page(app: Me, Query(q): Query<OnQuery>) -> Result<Html<String>, Error> {
    let on = match q.on.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<NaiveDate>().map_err(|_| {
            Error::page(AppError::invalid(
                "on",
                format!("{s:?} is not a date: write it as YYYY-MM-DD"),
            ))
        })?),
    };
    let answer = app.today(on).await.map_err(Error::page)?;
    let date = match on {
        Some(d) => d,
        None => crate::checkin::today(&app).await.map_err(Error::page)?,
    };
    let (clinician, work, no_plan) = match &answer {
        PlanAnswer::Blocked(b) => (Some(Clinician::of(b)), None, false),
        PlanAnswer::NoPlan { .. } => (None, None, true),
        PlanAnswer::Shown(t) => match &t.today.blocked {
            // A stopped plan's day holds only its message.
            Some(m) => {
                let level = app
                    .red_flag_in_force()
                    .await
                    .map_err(Error::page)?
                    .map_or(soleus_model::clinical::Triage::Soon, |r| r.triage);
                (
                    Some(Clinician {
                        triage: crate::checkin::triage_words(level),
                        message: m.clone(),
                        clearance_lifts: true,
                    }),
                    None,
                    false,
                )
            }
            None => (
                None,
                Some(Work {
                    stage: t.today.stage.clone().unwrap_or_default(),
                    phase: t.today.phase.clone().unwrap_or_default(),
                    cards: t.today.exercises.iter().map(card).collect(),
                    run: t.today.run.clone(),
                    log: t.today.log.clone(),
                    to_move_on: t.today.to_move_on.clone(),
                    references: t
                        .stage_references
                        .as_ref()
                        .map(|r| soleus_model::references::cite_all(r))
                        .unwrap_or_default(),
                }),
                false,
            ),
        },
    };
    render(&TodayPage {
        chrome: Chrome::load(&app, "Today", Some("/today")).await?,
        date: date.format("%A %-d %B %Y").to_string(),
        clinician,
        work,
        no_plan,
    })
}
