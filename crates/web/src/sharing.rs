//! Sharing on the web: "who can see my data" with one-click revoke and the invitation form
//! (`/sharing`), an invitation's page (`/invitations/{token}`), a coach's or clinician's
//! roster (`/roster`) and a shared athlete's page (`/athletes/{id}`).
//!
//! A shared athlete's page answers 404 to anyone without a grant in force, exactly as for an
//! athlete that does not exist; the medical scope's parts (red flags, check-ins) appear only
//! with it, and a clinician's view of them is written to the audit log.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use soleus_app::accounts::{
    GrantView, InvitationState, InvitationView, Level, NewInvitation, Role, RosterRow, RosterSort,
    RosterView, SharingView,
};
use soleus_app::{AppError, AthleteId};

use crate::Shared;
use crate::auth::{Me, SignedInCaller};
use crate::error::Error;
use crate::form::{Form, Problem, saved};
use crate::page::{Chrome, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/sharing", get(sharing_page))
        .route("/sharing/invite", post(invite))
        .route("/sharing/grants/{id}/revoke", post(revoke))
        .route("/sharing/invitations/{id}/withdraw", post(withdraw))
        .route("/invitations/{token}", get(invitation_page))
        .route("/invitations/{token}/accept", post(accept))
        .route("/roster", get(roster_page))
        .route("/athletes/{id}", get(athlete_page))
        .route("/athletes/{id}/clearance", post(clear_page))
        .route("/athletes/{id}/assessment", post(assess_page))
        .route("/api/v1/athletes/{id}/clearance", post(clear_api))
        .route("/api/v1/athletes/{id}/assessment", post(assess_api))
}

#[derive(Template)]
#[template(path = "sharing.html")]
struct SharingPage {
    chrome: Chrome,
    signed_in: bool,
    view: SharingView,
    problem: Problem,
    /// The link of an invitation just made, to copy to its recipient.
    made: Option<(InvitationView, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn sharing_page(me: Me, Query(q): Query<SavedQuery>) -> Result<Html<String>, Error> {
    let chrome = Chrome::load(&me, "Who can see my data", Some("/sharing"))
        .await?
        .saved(q.saved.as_deref());
    show(&me, chrome, Problem::default(), None).await
}

async fn show(
    me: &Me,
    chrome: Chrome,
    problem: Problem,
    made: Option<(InvitationView, String)>,
) -> Result<Html<String>, Error> {
    let view = if me.caller.is_some() {
        me.sharing().await.map_err(Error::page)?
    } else {
        SharingView {
            grants: Vec::new(),
            invitations: Vec::new(),
        }
    };
    render(&SharingPage {
        chrome,
        signed_in: me.caller.is_some(),
        view,
        problem,
        made,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    email: String,
    role: String,
    level: String,
    /// `yes`, `no`, or empty for the role's default.
    medical: String,
}

/// The site's own address as the browser used it, for a link to copy.
pub(crate) fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

async fn invite(me: Me, headers: HeaderMap, Form(f): Form<InviteForm>) -> Result<Response, Error> {
    let Some(caller) = me.caller.clone() else {
        return Ok(Redirect::to("/signup?next=/sharing").into_response());
    };
    let role = match f.role.as_str() {
        "clinician" => Role::Clinician,
        _ => Role::Coach,
    };
    let level = Level::parse(&f.level).unwrap_or(Level::View);
    let medical = match f.medical.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let chrome = Chrome::load(&me, "Who can see my data", Some("/sharing")).await?;
    let new = NewInvitation {
        email: f.email.clone(),
        role,
        level,
        medical,
    };
    // With mail set up, the invitation is also mailed (from the sender loop, not from here).
    let made = match &me.web.mail_url {
        Some(url) => me.invite_by_mail(&caller, &new, url).await,
        None => me.invite(&caller, &new).await,
    };
    match made {
        Ok(inv) => {
            let link = format!(
                "{}{}",
                origin(&headers),
                inv.link.clone().unwrap_or_default()
            );
            Ok(show(&me, chrome, Problem::default(), Some((inv, link)))
                .await?
                .into_response())
        }
        Err(e) => {
            let problem = Problem::of(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                show(&me, chrome, problem, None).await?,
            )
                .into_response())
        }
    }
}

async fn revoke(me: Me, Path(id): Path<String>) -> Result<Response, Error> {
    let Some(caller) = me.caller.clone() else {
        return Err(Error::no_route(crate::error::Shape::Page));
    };
    let id = id
        .parse::<i64>()
        .map_err(|_| Error::no_route(crate::error::Shape::Page))?;
    me.revoke_grant(&caller, id).await.map_err(Error::page)?;
    Ok(saved("/sharing", "revoked").into_response())
}

async fn withdraw(me: Me, Path(id): Path<String>) -> Result<Response, Error> {
    if me.caller.is_none() {
        return Err(Error::no_route(crate::error::Shape::Page));
    }
    let id = id
        .parse::<i64>()
        .map_err(|_| Error::no_route(crate::error::Shape::Page))?;
    me.withdraw_invitation(id).await.map_err(Error::page)?;
    Ok(saved("/sharing", "withdrawn").into_response())
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    chrome: Chrome,
    inv: InvitationView,
    token: String,
    signed_in_as: Option<String>,
    problem: Problem,
}

async fn invitation_page(
    State(web): State<Shared>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    let inv = web.app.invitation(&token).await.map_err(Error::page)?;
    let caller = match crate::auth::token_of(&headers) {
        Some(t) => web.app.caller(&t).await.map_err(Error::page)?,
        None => None,
    };
    Ok(render(&InvitationPage {
        chrome: Chrome::new("An invitation to share", None).signed_in(caller.as_ref()),
        signed_in_as: caller.map(|c| c.user.email),
        inv,
        token,
        problem: Problem::default(),
    })?
    .into_response())
}

async fn accept(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    match web.app.accept_invitation(&caller, &token).await {
        Ok(_) => Ok(saved("/roster", "accepted").into_response()),
        Err(e @ (AppError::Forbidden(_) | AppError::Conflict(_) | AppError::Invalid { .. })) => {
            let status = match e {
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::Conflict(_) => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let inv = web.app.invitation(&token).await.map_err(Error::page)?;
            let page = render(&InvitationPage {
                chrome: Chrome::new("An invitation to share", None).signed_in(Some(&caller)),
                signed_in_as: Some(caller.user.email.clone()),
                inv,
                token,
                problem: Problem {
                    field: "",
                    message: e.to_string(),
                },
            })?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(Error::page(e)),
    }
}

/// `?sort=…&order=asc|desc` of the roster, page and document.
#[derive(Debug, Default, Deserialize)]
pub struct RosterQuery {
    sort: Option<String>,
    order: Option<String>,
    saved: Option<String>,
}

impl RosterQuery {
    /// The order asked for, with its direction (the order's own unless told).
    pub(crate) fn order(&self) -> Result<(RosterSort, bool), AppError> {
        let sort = match self.sort.as_deref().map(str::trim) {
            None | Some("") => RosterSort::default(),
            Some(s) => RosterSort::parse(s)?,
        };
        let descending = match self.order.as_deref().map(str::trim) {
            None | Some("") => sort.descending_first(),
            Some(o) if o.eq_ignore_ascii_case("desc") => true,
            Some(o) if o.eq_ignore_ascii_case("asc") => false,
            Some(o) => {
                return Err(AppError::invalid(
                    "order",
                    format!("order {o:?} is not asc or desc"),
                ));
            }
        };
        Ok((sort, descending))
    }
}

/// A column heading of the roster: a link that sorts by it (again: the other way).
struct Heading {
    label: &'static str,
    href: String,
    /// `ascending` or `descending` on the column sorted by.
    aria_sort: Option<&'static str>,
    /// ▲ or ▼ on the column sorted by.
    arrow: &'static str,
}

/// A roster row as the page shows it, in the viewer's units.
struct Line {
    row: RosterRow,
    week: String,
    before: String,
    change: String,
    adherence: String,
}

#[derive(Template)]
#[template(path = "roster.html")]
struct RosterPage {
    chrome: Chrome,
    roster: RosterView,
    unit: &'static str,
    headings: Vec<Heading>,
    lines: Vec<Line>,
}

fn headings(sort: RosterSort, descending: bool) -> Vec<Heading> {
    let columns: [(RosterSort, &'static str); 8] = [
        (RosterSort::Name, "Athlete"),
        (RosterSort::Attention, "Training and warnings"),
        (RosterSort::Week, "This week"),
        (RosterSort::Change, "Against the four weeks before"),
        (RosterSort::Adherence, "Plan: stage, sessions done"),
        (RosterSort::Checkin, "Last check-in"),
        (RosterSort::Pain, "Pain, last 7 days"),
        (RosterSort::Upload, "Days since last activity"),
    ];
    columns
        .into_iter()
        .map(|(key, label)| {
            let on = key == sort;
            let next = if on {
                !descending
            } else {
                key.descending_first()
            };
            Heading {
                label,
                href: format!(
                    "/roster?sort={}&order={}",
                    key.code(),
                    if next { "desc" } else { "asc" }
                ),
                aria_sort: on.then_some(if descending {
                    "descending"
                } else {
                    "ascending"
                }),
                arrow: match (on, descending) {
                    (false, _) => "",
                    (true, true) => "▼",
                    (true, false) => "▲",
                },
            }
        })
        .collect()
}

async fn roster_page(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Query(q): Query<RosterQuery>,
) -> Result<Html<String>, Error> {
    let (sort, descending) = q.order().map_err(Error::page)?;
    let roster = web
        .app
        .roster(&caller, sort, descending)
        .await
        .map_err(Error::page)?;
    let per = roster.units.distance.metres() / 1000.0;
    let unit = roster.units.distance.label();
    let lines = roster
        .athletes
        .iter()
        .map(|r| Line {
            week: format!("{:.1} {unit}", r.week_km / per),
            before: format!("{:.1} {unit} a week", r.weeks_before_mean_km / per),
            change: match r.change_pct {
                Some(c) => format!("{c:+.0} %"),
                None => "no weeks before".into(),
            },
            adherence: match (r.runs_prescribed, r.runs_done) {
                (Some(p), Some(d)) => format!("{d} of {p} run days"),
                _ => String::new(),
            },
            row: r.clone(),
        })
        .collect();
    render(&RosterPage {
        chrome: Chrome::new("Your athletes", Some("/roster"))
            .signed_in(Some(&caller))
            .saved(q.saved.as_deref()),
        headings: headings(sort, descending),
        unit,
        lines,
        roster,
    })
}

#[derive(Template)]
#[template(path = "athlete.html")]
struct AthletePage {
    chrome: Chrome,
    grant: GrantView,
    row: RosterRow,
    weeks: Vec<(String, f64, u32)>,
    warnings: Vec<(String, String)>,
    activities: Vec<soleus_app::activities::ActivityListed>,
    /// Check-ins (id, day), latest first, with the medical scope only: for their threads.
    checkins: Vec<(i64, String)>,
    /// The plan in force's journal entry, for its thread.
    plan: Option<i64>,
    scores: Vec<SharedScore>,
    clinician: bool,
    /// The viewer's distance unit's label, and metres in it.
    unit: &'static str,
    per_unit_km: f64,
}

/// A check-in of a shared athlete, for its thread (medical scope only).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SharedCheckin {
    /// The check-in's journal id (what its thread names).
    pub id: i64,
    /// Its day.
    pub day: chrono::NaiveDate,
}

/// A shared athlete as the holder of a grant sees them: the page `/athletes/{id}` and its
/// document. Without the medical scope it has no check-in, no red flag's triage and no warning
/// drawn from check-ins.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SharedAthleteView {
    /// The grant the viewer holds.
    pub grant: GrantView,
    /// The roster's row for the athlete.
    pub row: soleus_app::accounts::RosterRow,
    /// The four weeks before this one, then this week.
    pub weeks: Vec<soleus_model::load::WeekSummary>,
    /// Overload warnings in force the viewer may see, most severe first.
    pub warnings: Vec<soleus_model::load::Finding>,
    /// The latest ten activities.
    pub activities: Vec<soleus_app::activities::ActivityListed>,
    /// The latest ten check-ins, with the medical scope only.
    pub checkins: Vec<SharedCheckin>,
    /// The plan in force's journal id, for its thread.
    pub plan: Option<i64>,
    /// Each questionnaire's latest result, with the medical scope only.
    pub scores: Vec<SharedScore>,
    /// Whether the viewer may record a clearance or an assessment (a clinician with the
    /// medical scope).
    pub clinician: bool,
}

/// A questionnaire's latest result of a shared athlete (medical scope only).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SharedScore {
    /// The questionnaire's code (`VISA_A`, …).
    pub instrument: String,
    /// The day of the latest result.
    pub date: chrono::NaiveDate,
    /// Its total.
    pub total: u32,
    /// The most it can be.
    pub max: u32,
    /// The change from the result before, if any.
    pub change: Option<i64>,
    /// Whether that change is better.
    pub better: Option<bool>,
    /// Whether it reaches a smallest meaningful change.
    pub meaningful: Option<bool>,
}

/// `id` as `caller` may see them; `None` (so "not found") without a grant in force. A view
/// with the medical scope is written to the audit log.
pub(crate) async fn shared_view(
    web: &Shared,
    caller: &soleus_app::accounts::Caller,
    id: AthleteId,
) -> Result<Option<SharedAthleteView>, AppError> {
    let Some((grant, row, d)) = web.app.shared_athlete(caller, id).await? else {
        return Ok(None);
    };
    let app = web.app.as_athlete(id);
    let weeks = d
        .weeks_before
        .iter()
        .chain(std::iter::once(&d.this_week))
        .cloned()
        .collect();
    // A warning drawn from check-ins tells their content: the medical scope only, as on
    // the roster.
    let warnings = d
        .risk
        .warnings
        .iter()
        .filter(|w| {
            grant.medical || !soleus_app::digest::MEDICAL_WARNINGS.contains(&w.code.as_str())
        })
        .cloned()
        .collect();
    let activities = app.activities(Some(10), None).await?.activities;
    let store = app.store();
    let checkins = if grant.medical {
        let mut c: Vec<SharedCheckin> = store
            .entries(soleus_model::journal::Kind::CheckIn)
            .await?
            .into_iter()
            .map(|e| SharedCheckin {
                id: e.id.0,
                day: e.day,
            })
            .collect();
        c.reverse();
        c.truncate(10);
        c
    } else {
        Vec::new()
    };
    let plan = store
        .entries(soleus_model::journal::Kind::Plan)
        .await?
        .last()
        .map(|e| e.id.0);
    if grant.medical {
        web.app
            .audit_view(
                caller,
                id,
                "the shared athlete's page with the medical scope",
            )
            .await;
    }
    let scores = if grant.medical {
        let view = app.scores().await?;
        let mut latest: Vec<SharedScore> = Vec::new();
        for r in view.scores.iter().rev() {
            if latest.iter().any(|s| s.instrument == r.scored.instrument) {
                continue;
            }
            let step = view
                .trends
                .get(&r.scored.instrument)
                .and_then(|steps| steps.iter().find(|s| s.to_date == r.scored.date));
            latest.push(SharedScore {
                instrument: r.scored.instrument.clone(),
                date: r.scored.date,
                total: r.scored.total,
                max: r.scored.max,
                change: step.map(|s| s.change),
                better: step.map(|s| s.better),
                meaningful: step.map(|s| s.comparable && s.thresholds.iter().any(|t| t.reached)),
            });
        }
        latest.sort_by(|a, b| a.instrument.cmp(&b.instrument));
        latest
    } else {
        Vec::new()
    };
    let clinician = grant.medical && caller.user.role == soleus_app::accounts::Role::Clinician;
    Ok(Some(SharedAthleteView {
        grant,
        row,
        weeks,
        warnings,
        activities,
        checkins,
        plan,
        scores,
        clinician,
    }))
}

async fn athlete_page(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>, Error> {
    let not_found = || Error::no_route(crate::error::Shape::Page);
    let id: AthleteId = raw.parse().map_err(|_| not_found())?;
    let v = shared_view(&web, &caller, id)
        .await
        .map_err(Error::page)?
        .ok_or_else(not_found)?;
    let units = web.app.viewer_units(&caller).await.map_err(Error::page)?;
    render(&AthletePage {
        unit: units.distance.label(),
        per_unit_km: units.distance.metres() / 1000.0,
        scores: v.scores,
        clinician: v.clinician,
        chrome: Chrome::new(
            v.grant
                .athlete_name
                .clone()
                .unwrap_or_else(|| "An athlete".into()),
            Some("/roster"),
        )
        .signed_in(Some(&caller))
        .saved(q.saved.as_deref()),
        weeks: v
            .weeks
            .iter()
            .map(|w| (w.week_start.to_string(), w.distance_km, w.runs))
            .collect(),
        warnings: v
            .warnings
            .iter()
            .map(|w| (w.because.clone(), w.advice.clone()))
            .collect(),
        checkins: v
            .checkins
            .iter()
            .map(|c| (c.id, c.day.to_string()))
            .collect(),
        grant: v.grant,
        row: v.row,
        activities: v.activities,
        plan: v.plan,
    })
}

/// Words for a grant's level.
pub fn level_words(l: &Level) -> &'static str {
    match l {
        Level::View => "view",
        Level::Comment => "view and comment",
        Level::Edit => "view, comment and change the plan",
    }
}

/// Words for an invitation's state.
pub fn state_words(s: &InvitationState) -> &'static str {
    match s {
        InvitationState::Open => "open",
        InvitationState::Accepted => "accepted",
        InvitationState::Withdrawn => "withdrawn by the athlete",
        InvitationState::Expired => "expired",
    }
}

/// A clinician's clearance of a shared athlete, as the page's form and the API post it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SharedClearance {
    /// The day (default: today in the athlete's time zone), `YYYY-MM-DD`.
    on: Option<String>,
    /// What they found or advised.
    note: Option<String>,
}

fn athlete_of(raw: &str, shape: crate::error::Shape) -> Result<AthleteId, Error> {
    raw.trim().parse().map_err(|_| Error::no_route(shape))
}

async fn clear_page(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
    Form(f): Form<SharedClearance>,
) -> Result<Response, Error> {
    let id = athlete_of(&raw, crate::error::Shape::Page)?;
    web.app
        .clear_for(&caller, id, f.on.as_deref(), f.note)
        .await
        .map_err(Error::page)?;
    Ok(saved(&format!("/athletes/{id}"), "cleared").into_response())
}

async fn assess_page(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Response, Error> {
    let id = athlete_of(&raw, crate::error::Shape::Page)?;
    web.app.assess_for(&caller, id).await.map_err(Error::page)?;
    Ok(saved(&format!("/athletes/{id}"), "assessed").into_response())
}

async fn clear_api(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
    crate::form::JsonBody(d): crate::form::JsonBody<SharedClearance>,
) -> Result<axum::Json<serde_json::Value>, Error> {
    let id = athlete_of(&raw, crate::error::Shape::Json)?;
    crate::page::json(
        &web.app
            .clear_for(&caller, id, d.on.as_deref(), d.note)
            .await
            .map_err(Error::json)?,
    )
}

async fn assess_api(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<axum::Json<serde_json::Value>, Error> {
    let id = athlete_of(&raw, crate::error::Shape::Json)?;
    crate::page::json(&web.app.assess_for(&caller, id).await.map_err(Error::json)?)
}
