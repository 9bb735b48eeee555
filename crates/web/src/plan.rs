//! The plan (`/plan`): its stages with entry and exit criteria and where the athlete stands,
//! the decision history with rules and references, the passive treatments (both schools next
//! to the evidence, contested ones labelled), and the forms that start a plan, record a
//! clinician's clearance and record the calf-strain checklist. A plan that may not be followed
//! shows only the way to a clinician.
//!
//! JSON: `GET|POST /api/v1/plan`, `GET /api/v1/plan/history`, `POST /api/v1/plan/clearance`,
//! `POST /api/v1/plan/checklist`.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use soleus_app::AppError;
use soleus_app::plan::{
    BlockedView, ChecklistResults, HistoryView, PlanAnswer, PlanStart, PlanView, parse_condition,
    parse_side, parse_triage,
};
use soleus_model::clinical::Condition;

use crate::Shared;
use crate::auth::Me;
use crate::checkin::triage_words;
use crate::error::Error;
use crate::form::{Form, JsonBody, Problem, given, saved};
use crate::page::{Chrome, json, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/plan", get(page))
        .route("/plan/start", post(post_start))
        .route("/plan/clearance", post(post_clearance))
        .route("/plan/checklist", post(post_checklist))
        .route("/api/v1/plan", get(api).post(api_start))
        .route("/api/v1/plan/history", get(api_history))
        .route("/api/v1/plan/clearance", post(api_clearance))
        .route("/api/v1/plan/checklist", post(api_checklist))
}

/// The way to a clinician, as every care page shows it when the plan may not be followed.
pub struct Clinician {
    /// The level in words.
    pub triage: &'static str,
    /// What to do.
    pub message: String,
    /// A clinician's clearance lifts it (the page offers to record one).
    pub clearance_lifts: bool,
}

impl Clinician {
    /// The way to a clinician of a blocked answer.
    pub fn of(b: &BlockedView) -> Clinician {
        Clinician {
            triage: triage_words(b.blocked.triage),
            message: b.blocked.message.clone(),
            clearance_lifts: b.blocked.lifted_by_clearance,
        }
    }
}

/// Every form of the page, as posted (text as typed; empty means not given).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    condition: Option<String>,
    grade: Option<String>,
    triage: Option<String>,
    side: Option<String>,
    start_on: Option<String>,
    cleared_on: Option<String>,
    clinician: Option<String>,
    note: Option<String>,
    checked_on: Option<String>,
    raises: Option<String>,
    side_diff_pct: Option<String>,
    palpation_pain: Option<String>,
    knee_to_wall_diff_pct: Option<String>,
    daily_life_pain_free: Option<String>,
    brisk_walk_30_pain_free: Option<String>,
}

impl PlanForm {
    fn value(&self, name: &str) -> &str {
        let v = match name {
            "condition" => &self.condition,
            "grade" => &self.grade,
            "triage" => &self.triage,
            "side" => &self.side,
            "start_on" => &self.start_on,
            "cleared_on" => &self.cleared_on,
            "clinician" => &self.clinician,
            "note" => &self.note,
            "checked_on" => &self.checked_on,
            "raises" => &self.raises,
            "side_diff_pct" => &self.side_diff_pct,
            "palpation_pain" => &self.palpation_pain,
            "knee_to_wall_diff_pct" => &self.knee_to_wall_diff_pct,
            "daily_life_pain_free" => &self.daily_life_pain_free,
            "brisk_walk_30_pain_free" => &self.brisk_walk_30_pain_free,
            _ => &None,
        };
        v.as_deref().unwrap_or("")
    }
}

fn date(field: &'static str, s: &Option<String>) -> Result<Option<NaiveDate>, AppError> {
    given(s)
        .map(|v| {
            v.parse()
                .map_err(|_| AppError::invalid(field, format!("{v:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

fn number<T: std::str::FromStr>(
    field: &'static str,
    label: &str,
    s: &Option<String>,
) -> Result<T, AppError> {
    let v = given(s).ok_or_else(|| AppError::invalid(field, format!("{label}: give a number")))?;
    v.parse()
        .map_err(|_| AppError::invalid(field, format!("{label}: {v:?} is not a number")))
}

fn yes(s: &Option<String>) -> bool {
    matches!(given(s), Some("yes" | "true" | "on"))
}

impl PlanForm {
    fn start(&self) -> Result<PlanStart, AppError> {
        let condition = given(&self.condition)
            .ok_or_else(|| AppError::invalid("condition", "choose the condition"))?;
        Ok(PlanStart {
            condition: parse_condition(condition)?,
            grade: given(&self.grade)
                .map(|g| {
                    g.parse::<u8>().map_err(|_| {
                        AppError::invalid("grade", format!("grade {g:?} is not 1, 2 or 3"))
                    })
                })
                .transpose()?,
            triage: parse_triage(given(&self.triage).unwrap_or("SELF_CARE"))?,
            side: parse_side(given(&self.side).unwrap_or("both"))?,
            on: date("start_on", &self.start_on)?,
        })
    }

    fn checklist(&self) -> Result<ChecklistResults, AppError> {
        Ok(ChecklistResults {
            raises: number("raises", "Heel raises", &self.raises)?,
            side_diff_pct: number(
                "side_diff_pct",
                "Side difference in raises",
                &self.side_diff_pct,
            )?,
            palpation_pain: number("palpation_pain", "Pain on pressing", &self.palpation_pain)?,
            knee_to_wall_diff_pct: number(
                "knee_to_wall_diff_pct",
                "Knee-to-wall difference",
                &self.knee_to_wall_diff_pct,
            )?,
            daily_life_pain_free: yes(&self.daily_life_pain_free),
            brisk_walk_30_pain_free: yes(&self.brisk_walk_30_pain_free),
        })
    }
}

/// One stage as shown.
struct StageRow {
    id: String,
    phase: String,
    entry: String,
    exit: String,
    exercises: Vec<String>,
    run: String,
    references: String,
    current: bool,
}

/// One treatment row: both schools beside the evidence.
struct Treatment {
    name: String,
    conventional: String,
    barefoot: String,
    evidence: String,
    contested: bool,
    references: String,
}

/// One decision of the history.
struct DecisionRow {
    date: String,
    action: String,
    from: String,
    to: String,
    rule: String,
    reason: String,
    references: String,
}

/// The plan as shown, when it may be followed.
struct Shown {
    condition: &'static str,
    started_on: String,
    source: String,
    current: String,
    since: String,
    stages: Vec<StageRow>,
    to_move_on: Vec<String>,
    pain_rule: Option<String>,
    treatments: Vec<Treatment>,
    cautions: Vec<String>,
    disclaimer: String,
    decisions: Vec<DecisionRow>,
    clearances: Vec<(String, String, String)>,
    flagged: Vec<(String, String)>,
    checklist: bool,
}

fn wire<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn shown(v: &PlanView, h: Option<&HistoryView>) -> Shown {
    let plan = &v.plan;
    Shown {
        condition: soleus_model::plan::condition_words(plan.input.condition),
        started_on: plan.input.started_on.to_string(),
        source: match wire(&v.source).as_str() {
            "clinician" => "started for a known condition".into(),
            _ => "started by a saved assessment".into(),
        },
        current: v.current_stage.clone(),
        since: v.state.stage_since.to_string(),
        stages: plan
            .stages
            .iter()
            .map(|s| StageRow {
                id: s.id.clone(),
                phase: s.phase.clone(),
                entry: s.entry.clone(),
                exit: s.exit.clone(),
                exercises: s
                    .exercises
                    .iter()
                    .map(|e| {
                        let name = soleus_model::plan::exercise(&e.id)
                            .map_or(e.id.clone(), |x| x.name.clone());
                        format!("{name}: {}", e.dose)
                    })
                    .collect(),
                run: soleus_model::plan::describe_run(s.run),
                references: soleus_model::references::cite_all(&s.references),
                current: s.id == v.current_stage,
            })
            .collect(),
        to_move_on: v.today.to_move_on.clone(),
        pain_rule: plan.model.as_ref().map(|m| {
            format!(
                "Pain up to {}/10 during and after, settled by the next morning, lets the plan advance; above {}/10 it steps back ({}).",
                m.advance_max,
                m.step_back_above,
                soleus_model::references::cite_all(&m.references)
            )
        }),
        treatments: plan
            .treatments
            .iter()
            .map(|t| Treatment {
                name: t.name.clone(),
                conventional: t.seed_002.clone(),
                barefoot: t.seed_000.clone(),
                evidence: t.evidence.clone(),
                contested: t.contested,
                references: soleus_model::references::cite_all(&t.references),
            })
            .collect(),
        cautions: plan.cautions.clone(),
        disclaimer: plan.disclaimer.clone(),
        decisions: h
            .map(|h| {
                h.decisions
                    .iter()
                    .rev()
                    .map(|d| DecisionRow {
                        date: d.date.to_string(),
                        action: wire(&d.action).replace('_', " "),
                        from: d.from_stage.clone(),
                        to: d.to_stage.clone(),
                        rule: d.rule.clone(),
                        reason: d.reason.clone(),
                        references: soleus_model::references::cite_all(&d.references),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        clearances: h
            .map(|h| {
                h.clearances
                    .iter()
                    .map(|c| {
                        (
                            c.date.to_string(),
                            c.name.clone().unwrap_or_else(|| "—".into()),
                            c.note.clone().unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        flagged: h
            .map(|h| {
                h.flagged_runs
                    .iter()
                    .map(|f| (f.date.to_string(), f.message.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        checklist: plan.stages.iter().any(|s| s.gate.checklist),
    }
}

/// The conditions a plan can be started for: (code, words).
fn conditions() -> Vec<(String, &'static str)> {
    Condition::ALL
        .into_iter()
        .map(|c| (wire(&c), soleus_model::plan::condition_words(c)))
        .collect()
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    chrome: Chrome,
    problem: Problem,
    form: PlanForm,
    clinician: Option<Clinician>,
    plan: Option<Shown>,
    conditions: Vec<(String, &'static str)>,
    /// The plan in force's thread.
    thread: Option<crate::comments::ThreadBlock>,
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn show(
    app: &Me,
    form: PlanForm,
    problem: Problem,
    saved: Option<&str>,
) -> Result<Html<String>, Error> {
    let answer = app.plan().await.map_err(Error::page)?;
    let history = app.plan_history().await.map_err(Error::page)?;
    let (clinician, plan) = match &answer {
        PlanAnswer::Blocked(b) => (Some(Clinician::of(b)), None),
        PlanAnswer::Shown(v) => {
            let h = match &history {
                PlanAnswer::Shown(h) => Some(h),
                _ => None,
            };
            (None, Some(shown(v, h)))
        }
        PlanAnswer::NoPlan { .. } => (None, None),
    };
    let latest = app
        .store()
        .entries(soleus_model::journal::Kind::Plan)
        .await
        .map_err(|e| Error::page(e.into()))?
        .last()
        .map(|e| e.id.0);
    let thread = match latest {
        Some(id) => {
            crate::comments::section(
                app,
                app.caller.as_ref(),
                app.athlete_id(),
                soleus_app::threads::TargetKind::Plan,
                id,
            )
            .await?
        }
        None => None,
    };
    render(&PlanPage {
        chrome: Chrome::load(app, "Plan", Some("/plan")).await?.saved(saved),
        problem,
        form,
        clinician,
        plan,
        conditions: conditions(),
        thread,
    })
}

async fn page(app: Me, Query(q): Query<SavedQuery>) -> Result<Html<String>, Error> {
    show(
        &app,
        PlanForm::default(),
        Problem::default(),
        q.saved.as_deref(),
    )
    .await
}

async fn answer<T>(
    app: &Me,
    form: PlanForm,
    done: Result<T, AppError>,
    key: &'static str,
) -> Result<Response, Error> {
    match done {
        Ok(_) => Ok(saved("/plan", key).into_response()),
        Err(e) => {
            let problem = Problem::of(e)?;
            let page = show(app, form, problem, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn post_start(app: Me, Form(form): Form<PlanForm>) -> Result<Response, Error> {
    let done = match form.start() {
        Ok(s) => app.start_plan(&s).await,
        Err(e) => Err(e),
    };
    answer(&app, form, done, "plan").await
}

async fn post_clearance(app: Me, Form(form): Form<PlanForm>) -> Result<Response, Error> {
    let done = match date("cleared_on", &form.cleared_on) {
        Ok(on) => {
            let text = |s: &Option<String>| given(s).map(str::to_owned);
            match text(&form.clinician) {
                None => Err(AppError::invalid(
                    "clinician",
                    "give the name of the clinician who saw you",
                )),
                name => app.record_clearance(on, name, text(&form.note)).await,
            }
        }
        Err(e) => Err(e),
    };
    answer(&app, form, done, "clearance").await
}

async fn post_checklist(app: Me, Form(form): Form<PlanForm>) -> Result<Response, Error> {
    let done = match (form.checklist(), date("checked_on", &form.checked_on)) {
        (Ok(c), Ok(on)) => app.record_checklist(on, &c).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    answer(&app, form, done, "checklist").await
}

async fn api(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.plan().await.map_err(Error::json)?)
}

async fn api_history(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.plan_history().await.map_err(Error::json)?)
}

/// `POST /api/v1/plan`: the fields of `soleus plan start`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartDoc {
    condition: String,
    grade: Option<u8>,
    triage: Option<String>,
    side: Option<String>,
    on: Option<NaiveDate>,
}

async fn api_start(
    app: Me,
    JsonBody(d): JsonBody<StartDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    let start = (|| {
        Ok::<_, AppError>(PlanStart {
            condition: parse_condition(&d.condition)?,
            grade: d.grade,
            triage: parse_triage(d.triage.as_deref().unwrap_or("SELF_CARE"))?,
            side: parse_side(d.side.as_deref().unwrap_or("both"))?,
            on: d.on,
        })
    })()
    .map_err(Error::json)?;
    json(&app.start_plan(&start).await.map_err(Error::json)?)
}

/// `POST /api/v1/plan/clearance`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearanceDoc {
    on: Option<NaiveDate>,
    name: Option<String>,
    note: Option<String>,
}

async fn api_clearance(
    app: Me,
    JsonBody(d): JsonBody<ClearanceDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    json(
        &app.record_clearance(d.on, d.name, d.note)
            .await
            .map_err(Error::json)?,
    )
}

/// `POST /api/v1/plan/checklist`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistDoc {
    on: Option<NaiveDate>,
    raises: u32,
    side_diff_pct: f64,
    palpation_pain: u8,
    knee_to_wall_diff_pct: f64,
    daily_life_pain_free: bool,
    brisk_walk_30_pain_free: bool,
}

async fn api_checklist(
    app: Me,
    JsonBody(d): JsonBody<ChecklistDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    let c = ChecklistResults {
        raises: d.raises,
        side_diff_pct: d.side_diff_pct,
        palpation_pain: d.palpation_pain,
        knee_to_wall_diff_pct: d.knee_to_wall_diff_pct,
        daily_life_pain_free: d.daily_life_pain_free,
        brisk_walk_30_pain_free: d.brisk_walk_30_pain_free,
    };
    json(&app.record_checklist(d.on, &c).await.map_err(Error::json)?)
}
