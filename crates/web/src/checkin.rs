//! The check-in (`/checkin`): the body map, the questions of the model's question set, the
//! home tests with their drawings, the quick daily pain log and the past check-ins; and a
//! stored check-in's result (`/checkin/{id}`): its triage first, then — only when the level
//! lets a runner look after it themselves or within the week — what it is consistent with,
//! and the form that saves the assessment and starts the plan.
//!
//! JSON: `GET|POST /api/v1/checkins` (the list; a check-in document as `soleus checkin
//! --json FILE` reads it), `POST /api/v1/pain`, `GET|POST /api/v1/assessment`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use soleus_app::checkin::{AssessView, AssessWhat, CheckinRow, PainLog};
use soleus_app::plan::PlanStarted;
use soleus_app::profile::Clock;
use soleus_app::{AppError, EntryId};
use soleus_model::assess::questions::{
    Kind, PartialCheckIn, QUESTIONS, Question, label, next_questions,
};
use soleus_model::assess::{CheckIn, CheckInError};
use soleus_model::clinical::{Region, Triage};

use crate::Shared;
use crate::auth::Me;
use crate::drawing;
use crate::error::{Error, Shape};
use crate::form::{Form, JsonBody, Problem, saved};
use crate::page::{Chrome, json, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/checkin", get(page).post(post_checkin))
        .route("/checkin/pain", post(post_pain))
        .route("/checkin/{id}", get(result))
        .route("/assessment", get(latest_assessment).post(save_assessment))
        .route("/api/v1/checkins", get(api_list).post(api_post))
        .route("/api/v1/pain", post(api_pain))
        .route("/api/v1/assessment", get(api_assess).post(api_save))
}

/// A posted form as its pairs, in order (a field may repeat: the regions).
type Pairs = Vec<(String, String)>;

fn values<'a>(pairs: &'a Pairs, name: &str) -> impl Iterator<Item = &'a str> {
    pairs
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// A check-in error as a mistake beside the question it names.
fn checkin_error(e: CheckInError) -> AppError {
    let path = match &e {
        CheckInError::Field { path, .. } => path.as_str(),
        _ => "",
    };
    let field = QUESTIONS
        .iter()
        .map(|q| q.path)
        .chain(["date", "regions", "side"])
        .find(|p| *p == path)
        .unwrap_or("");
    AppError::invalid(field, e.to_string())
}

/// The questions a form shows: one per field (the sex decides which wording of a repeated
/// question applies), the helpers only the terminal needs left out.
fn form_questions(male: bool) -> Vec<&'static Question> {
    let mut p = PartialCheckIn::new(NaiveDate::MIN);
    if male {
        p.prefill("_sex", serde_json::json!("male"));
    }
    // A question asked in two wordings depends on the sex only, so the flow's own choice
    // for a form with nothing answered yet is the one that applies.
    let applies = next_questions(&p);
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for q in QUESTIONS {
        if q.path.starts_with('_') || seen.contains(&q.path) {
            continue;
        }
        let dup = QUESTIONS.iter().filter(|o| o.path == q.path).count() > 1;
        if dup && !applies.iter().any(|a| std::ptr::eq(*a, q)) {
            continue;
        }
        seen.push(q.path);
        out.push(q);
    }
    out
}

/// Reads the check-in form: each answered question through the model's own parser.
fn read_checkin(pairs: &Pairs, male: bool) -> Result<CheckIn, AppError> {
    let date = values(pairs, "date").next().map_or_else(
        || {
            Err(AppError::invalid(
                "date",
                "date: give the day of the check-in",
            ))
        },
        |s| {
            s.parse::<NaiveDate>().map_err(|_| {
                AppError::invalid("date", format!("date: {s:?} is not a date (YYYY-MM-DD)"))
            })
        },
    )?;
    let mut p = PartialCheckIn::new(date);
    for q in form_questions(male) {
        let given: Vec<&str> = values(pairs, q.path).collect();
        if given.is_empty() {
            continue;
        }
        let text = given.join(",");
        if matches!(q.kind, Kind::YesNo | Kind::Choice(_)) && text == "unanswered" {
            continue;
        }
        p.answer(q, &text).map_err(checkin_error)?;
    }
    if p.get("regions").is_none() {
        return Err(AppError::invalid(
            "regions",
            "regions: choose at least one place on the body map",
        ));
    }
    if p.get("side").is_none() {
        return Err(AppError::invalid(
            "side",
            "side: choose left, right or both",
        ));
    }
    p.finish().map_err(checkin_error)
}

/// One question as the form shows it.
struct Field {
    path: &'static str,
    id: String,
    prompt: &'static str,
    how_to: Option<&'static str>,
    drawing: Option<String>,
    /// `yesno`, `number`, `choice` or `multi`.
    kind: &'static str,
    hint: String,
    value: String,
    options: Vec<(String, String, bool)>,
}

/// A group of questions under one legend.
struct Group {
    id: &'static str,
    legend: &'static str,
    intro: &'static str,
    fields: Vec<Field>,
}

fn option_words(code: &str) -> String {
    label(code).map_or_else(|| code.replace('_', " "), str::to_owned)
}

fn field(q: &'static Question, pairs: &Pairs) -> Field {
    let given: Vec<&str> = values(pairs, q.path).collect();
    let value = given.first().copied().unwrap_or("").to_owned();
    let (kind, hint, options): (&str, String, Vec<(String, String, bool)>) = match q.kind {
        Kind::YesNo => (
            "yesno",
            String::new(),
            [("unanswered", "Not answered"), ("yes", "Yes"), ("no", "No")]
                .iter()
                .map(|(v, l)| {
                    let on = value == *v || (value.is_empty() && *v == "unanswered");
                    ((*v).to_owned(), (*l).to_owned(), on)
                })
                .collect(),
        ),
        Kind::Count { min, max } => ("number", format!("A whole number {min}–{max}."), vec![]),
        Kind::Number { min, max } => (
            "number",
            format!("{min} to {max} cm; inches as e.g. 1.2in."),
            vec![],
        ),
        Kind::Choice(opts) => (
            "choice",
            String::new(),
            std::iter::once(("unanswered".to_owned(), "Not answered".to_owned()))
                .chain(opts.iter().map(|o| ((*o).to_owned(), option_words(o))))
                .map(|(v, l)| {
                    let on = value == v || (value.is_empty() && v == "unanswered");
                    (v, l, on)
                })
                .collect(),
        ),
        Kind::Multi(opts) => (
            "multi",
            "Tick all that apply; none ticked means none.".into(),
            opts.iter()
                .map(|o| ((*o).to_owned(), option_words(o), given.contains(o)))
                .collect(),
        ),
    };
    let test = q
        .path
        .strip_prefix("tests.")
        .map(|t| t.split('.').next().unwrap_or(t))
        .or((q.path == "calf_girth_diff_cm").then_some("CALF_GIRTH"));
    Field {
        path: q.path,
        id: format!("q-{}", q.path.replace('.', "-")),
        prompt: q.prompt,
        how_to: q.how_to,
        drawing: q.how_to.and(test).and_then(drawing::home_test),
        kind,
        hint,
        value,
        options,
    }
}

const WARNING_SIGNS: &[&str] = &[
    "breathless_or_chest_pain",
    "saddle_numbness_or_bladder_change",
    "cold_pale_foot",
    "tense_swollen_compartment",
    "can_bear_weight",
    "fever",
    "warmth_or_redness",
    "swelling",
    "calf_girth_diff_cm",
    "bruising",
    "numbness_or_tingling",
    "weakness",
    "foot_drop",
    "only_during_exercise",
    "back_pain",
];

fn groups(pairs: &Pairs, male: bool) -> Vec<Group> {
    let mut g = vec![
        Group {
            id: "about",
            legend: "How it started",
            intro: "",
            fields: vec![],
        },
        Group {
            id: "signs",
            legend: "Warning signs",
            intro: "These decide whether to see a clinician first. Answer every one you can.",
            fields: vec![],
        },
        Group {
            id: "pain",
            legend: "Pain (0 = none, 10 = worst imaginable)",
            intro: "",
            fields: vec![],
        },
        Group {
            id: "tests",
            legend: "Home tests",
            intro: "Only the ones that fit your answers above, and only if walking is comfortable. No home test diagnoses anything. Stop at sharp pain or pain on one spot of bone.",
            fields: vec![],
        },
        Group {
            id: "history",
            legend: "Your history",
            intro: "",
            fields: vec![],
        },
    ];
    for q in form_questions(male) {
        let i = match q.path {
            "side" | "regions" => continue,
            p if WARNING_SIGNS.contains(&p) => 1,
            p if p.starts_with("pain.") || p == "character" || p == "morning_stiffness_min" => 2,
            p if p.starts_with("tests.") || p == "can_heel_raise_single_leg" => 3,
            p if p.starts_with("history.") => 4,
            _ => 0,
        };
        g[i].fields.push(field(q, pairs));
    }
    g
}

/// A past check-in as listed.
struct Past {
    id: String,
    date: String,
    side: String,
    regions: String,
    triage: &'static str,
}

fn past(rows: &[CheckinRow]) -> Vec<Past> {
    rows.iter()
        .rev()
        .map(|r| Past {
            id: r.id.to_string(),
            date: r.checkin.date.to_string(),
            side: wire(&r.checkin.side),
            regions: r.region_names().join(", "),
            triage: r
                .triage
                .as_ref()
                .map_or("not recorded", |t| triage_words(t.triage)),
        })
        .collect()
}

/// A triage level in words (never colour alone).
pub fn triage_words(t: Triage) -> &'static str {
    match t {
        Triage::SelfCare => "SELF_CARE: look after it yourself",
        Triage::Soon => "SOON: see a clinician within about a week",
        Triage::Urgent => "URGENT: see a clinician today",
        Triage::Emergency => "EMERGENCY: call emergency services now",
    }
}

fn wire<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckinPage {
    chrome: Chrome,
    problem: Problem,
    today: String,
    date: String,
    side: String,
    map: String,
    regions: Vec<(&'static str, &'static str, bool)>,
    groups: Vec<Group>,
    pain: Vec<(&'static str, &'static str, String)>,
    pain_date: String,
    sides: &'static [(&'static str, &'static str)],
    can_log_pain: bool,
    past: Vec<Past>,
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn is_male(app: &Me) -> bool {
    app.athlete()
        .await
        .ok()
        .and_then(|a| a.sex.map(|s| wire(&s) == "male"))
        .unwrap_or(false)
}

/// Today in the athlete's time zone.
pub async fn today(app: &Me) -> Result<NaiveDate, AppError> {
    Ok(Clock::of(&app.athlete().await?)?.today())
}

async fn show(
    app: &Me,
    pairs: &Pairs,
    problem: Problem,
    saved: Option<&str>,
) -> Result<Html<String>, Error> {
    let today = today(app).await.map_err(Error::page)?;
    let rows = app.checkins().await.map_err(Error::page)?.checkins;
    let chosen: Vec<String> = values(pairs, "regions").map(str::to_owned).collect();
    let male = is_male(app).await;
    let one = |k: &str| values(pairs, k).next().unwrap_or("").to_owned();
    let pain = [
        ("during", "During the run"),
        ("after", "After the run"),
        ("next_morning", "The next morning"),
    ]
    .into_iter()
    .map(|(k, l)| (k, l, one(k)))
    .collect();
    render(&CheckinPage {
        chrome: Chrome::load(app, "Check-in", Some("/checkin"))
            .await?
            .saved(saved),
        problem,
        date: values(pairs, "date")
            .next()
            .map_or_else(|| today.to_string(), str::to_owned),
        today: today.to_string(),
        side: values(pairs, "side").next().unwrap_or("").to_owned(),
        map: drawing::body_map(&chosen),
        regions: Region::ALL
            .iter()
            .zip(Region::CODES)
            .map(|(r, c)| (c, r.name(), chosen.iter().any(|x| x == c)))
            .collect(),
        groups: groups(pairs, male),
        pain,
        pain_date: one("pain_date"),
        sides: &[("left", "Left"), ("right", "Right"), ("both", "Both")],
        can_log_pain: !rows.is_empty(),
        past: past(&rows),
    })
}

async fn page(app: Me, Query(q): Query<SavedQuery>) -> Result<Html<String>, Error> {
    show(&app, &Vec::new(), Problem::default(), q.saved.as_deref()).await
}

fn unprocessable(page: Html<String>) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

async fn post_checkin(app: Me, Form(pairs): Form<Pairs>) -> Result<Response, Error> {
    let male = is_male(&app).await;
    let stored = match read_checkin(&pairs, male) {
        Ok(c) => app.store_checkin(&c).await,
        Err(e) => Err(e),
    };
    match stored {
        Ok(s) => Ok(saved(&format!("/checkin/{}", s.checkin_id), "checkin").into_response()),
        Err(e) => Ok(unprocessable(
            show(&app, &pairs, Problem::of(e)?, None).await?,
        )),
    }
}

fn pain_number(field: &'static str, s: Option<&str>) -> Result<Option<u8>, AppError> {
    s.map(|v| {
        v.trim().parse::<u8>().map_err(|_| {
            AppError::invalid(
                field,
                format!("{v:?} is not a pain rating: give a whole number 0–10"),
            )
        })
    })
    .transpose()
}

fn pain_log(pairs: &Pairs) -> Result<PainLog, AppError> {
    let one = |k: &str| values(pairs, k).next();
    Ok(PainLog {
        date: one("pain_date")
            .map(|s| {
                s.parse().map_err(|_| {
                    AppError::invalid("pain_date", format!("{s:?} is not a date (YYYY-MM-DD)"))
                })
            })
            .transpose()?,
        during: pain_number("during", one("during"))?,
        after: pain_number("after", one("after"))?,
        next_morning: pain_number("next_morning", one("next_morning"))?,
    })
}

async fn post_pain(app: Me, Form(pairs): Form<Pairs>) -> Result<Response, Error> {
    let stored = match pain_log(&pairs) {
        Ok(log) => app.log_pain(&log).await,
        Err(e) => Err(e),
    };
    match stored {
        Ok(s) => Ok(saved(&format!("/checkin/{}", s.checkin_id), "pain").into_response()),
        Err(e) => Ok(unprocessable(
            show(&app, &pairs, Problem::of(e)?, None).await?,
        )),
    }
}

/// An id in a path; anything else names nothing.
fn entry_id(s: &str, shape: Shape) -> Result<EntryId, Error> {
    s.parse::<i64>()
        .map(EntryId)
        .map_err(|_| Error::no_route(shape))
}

/// A condition the assessment found, as shown.
struct Consistent {
    name: &'static str,
    code: String,
    likelihood: &'static str,
    summary: String,
    supporting: Vec<String>,
    against: Vec<String>,
    rtr: Option<String>,
    references: String,
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct ResultPage {
    chrome: Chrome,
    checkin_id: String,
    date: String,
    triage: &'static str,
    /// URGENT or EMERGENCY: nothing but the way to a clinician.
    clinician_only: bool,
    emergency: bool,
    advice: String,
    how_soon: String,
    now: Vec<String>,
    flags: Vec<(String, &'static str, String)>,
    bone_stress: bool,
    conditions: Vec<Consistent>,
    load: Vec<(String, String)>,
    next_steps: Vec<String>,
    disclaimer: String,
    latest: bool,
    thread: Option<crate::comments::ThreadBlock>,
}

fn result_page(chrome: Chrome, v: &AssessView, latest: bool) -> ResultPage {
    let a = &v.assessment;
    let clinician_only = a.triage >= Triage::Urgent;
    ResultPage {
        chrome,
        checkin_id: v.checkin_id.to_string(),
        date: v.date.to_string(),
        triage: triage_words(a.triage),
        clinician_only,
        emergency: a.triage == Triage::Emergency,
        advice: a.triage_advice.advice.clone(),
        how_soon: a.triage_advice.how_soon.clone(),
        now: a.triage_advice.now.clone(),
        flags: a
            .red_flags
            .iter()
            .map(|f| {
                (
                    soleus_model::references::in_words(&f.because),
                    f.level.code(),
                    soleus_model::references::cite_all(&[&f.reference]),
                )
            })
            .collect(),
        bone_stress: a.bone_stress_suspected,
        conditions: if clinician_only {
            Vec::new()
        } else {
            a.conditions
                .iter()
                .map(|c| Consistent {
                    name: soleus_model::plan::condition_words(c.code),
                    code: wire(&c.code),
                    likelihood: c.likelihood.word(),
                    summary: c.summary.clone(),
                    supporting: c.supporting.clone(),
                    against: c.against.clone(),
                    rtr: c.rtr.clone(),
                    references: soleus_model::references::cite_all(&c.references),
                })
                .collect()
        },
        load: if clinician_only {
            Vec::new()
        } else {
            a.load_findings
                .iter()
                .map(|l| (l.code.clone(), l.because.clone()))
                .collect()
        },
        next_steps: if clinician_only {
            Vec::new()
        } else {
            a.next_steps.clone()
        },
        disclaimer: a.disclaimer.clone(),
        latest,
        thread: None,
    }
}

async fn show_result(app: &Me, id: EntryId, saved: Option<&str>) -> Result<Response, Error> {
    let v = app
        .assess(AssessWhat::Stored(id), false)
        .await
        .map_err(Error::page)?;
    let latest = app
        .checkins()
        .await
        .map_err(Error::page)?
        .checkins
        .last()
        .is_some_and(|r| r.id == id);
    let chrome = Chrome::load(app, format!("Check-in of {}", v.date), Some("/checkin"))
        .await?
        .saved(saved);
    let mut page = result_page(chrome, &v, latest);
    page.thread = crate::comments::section(
        app,
        app.caller.as_ref(),
        app.athlete_id(),
        soleus_app::threads::TargetKind::Checkin,
        id.0,
    )
    .await?;
    Ok(render(&page)?.into_response())
}

async fn result(
    app: Me,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, Error> {
    let id = entry_id(&id, Shape::Page)?;
    show_result(&app, id, q.saved.as_deref()).await
}

async fn latest_assessment(app: Me) -> Result<Response, Error> {
    match app.checkins().await.map_err(Error::page)?.checkins.last() {
        Some(r) => Ok(Redirect::to(&format!("/checkin/{}", r.id)).into_response()),
        None => Ok(Redirect::to("/checkin").into_response()),
    }
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    checkin_id: String,
}

async fn save_assessment(app: Me, Form(f): Form<SaveForm>) -> Result<Response, Error> {
    let id = entry_id(&f.checkin_id, Shape::Page)?;
    let v = app
        .assess(AssessWhat::Stored(id), true)
        .await
        .map_err(Error::page)?;
    Ok(match v.plan {
        Some(PlanStarted::Started { .. }) | Some(PlanStarted::ClinicianFirst { .. }) => {
            saved("/plan", "assessment").into_response()
        }
        _ => saved(&format!("/checkin/{id}"), "assessment").into_response(),
    })
}

async fn api_list(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.checkins().await.map_err(Error::json)?)
}

async fn api_post(
    app: Me,
    JsonBody(doc): JsonBody<serde_json::Value>,
) -> Result<Json<serde_json::Value>, Error> {
    let c = CheckIn::from_value(doc)
        .map_err(checkin_error)
        .map_err(Error::json)?;
    json(&app.store_checkin(&c).await.map_err(Error::json)?)
}

/// `POST /api/v1/pain`: the same fields as the form.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PainDoc {
    date: Option<NaiveDate>,
    during: Option<u8>,
    after: Option<u8>,
    next_morning: Option<u8>,
}

async fn api_pain(
    app: Me,
    JsonBody(d): JsonBody<PainDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    let log = PainLog {
        date: d.date,
        during: d.during,
        after: d.after,
        next_morning: d.next_morning,
    };
    json(&app.log_pain(&log).await.map_err(Error::json)?)
}

#[derive(Debug, Deserialize)]
pub struct AssessQuery {
    checkin: Option<String>,
}

fn what(checkin: Option<&str>) -> Result<AssessWhat, Error> {
    match checkin.filter(|s| !s.is_empty()) {
        None => Ok(AssessWhat::Latest),
        Some(s) => Ok(AssessWhat::Stored(entry_id(s, Shape::Json)?)),
    }
}

async fn api_assess(
    app: Me,
    Query(q): Query<AssessQuery>,
) -> Result<Json<serde_json::Value>, Error> {
    let w = what(q.checkin.as_deref())?;
    json(&app.assess(w, false).await.map_err(Error::json)?)
}

/// `POST /api/v1/assessment`: save the assessment of a stored check-in (or the latest), or of
/// a new check-in document (stored first).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveDoc {
    checkin_id: Option<i64>,
    checkin: Option<serde_json::Value>,
}

async fn api_save(
    app: Me,
    JsonBody(d): JsonBody<SaveDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    let w = match (d.checkin_id, d.checkin) {
        (Some(_), Some(_)) => {
            return Err(Error::json(AppError::invalid(
                "checkin",
                "give checkin_id or checkin, not both",
            )));
        }
        (Some(id), None) => AssessWhat::Stored(EntryId(id)),
        (None, Some(doc)) => AssessWhat::New(Box::new(
            CheckIn::from_value(doc)
                .map_err(checkin_error)
                .map_err(Error::json)?,
        )),
        (None, None) => AssessWhat::Latest,
    };
    json(&app.assess(w, true).await.map_err(Error::json)?)
}
