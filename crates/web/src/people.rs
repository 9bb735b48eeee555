//! An organisation's admin page (`/org`: members, disabling, invitations, verifying
//! credentials), the page an invitation's link opens (`/join/{token}`), a person's page
//! (`/people/{id}`) and the professional profile form on the account page, each with its
//! JSON API under `/api/v1`.
//!
//! Whoever may not see an organisation or a person gets 404, exactly as for one that does
//! not exist.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Json, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use soleus_app::accounts::{
    Caller, InvitedSignUp, NewMember, OrgInvitationState, OrgInvitationView, OrgView, PersonView,
    ProfileEdit, Role,
};
use soleus_app::{AppError, UserId};

use crate::Shared;
use crate::auth::{Peer, SignedInCaller};
use crate::error::{Error, Shape};
use crate::form::{Form, JsonBody, Problem, saved};
use crate::page::{Chrome, json, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/org", get(org_page))
        .route("/org/invite", post(invite))
        .route("/org/invitations/{id}/withdraw", post(withdraw))
        .route("/org/members/{id}/disable", post(disable))
        .route("/org/members/{id}/enable", post(enable))
        .route("/org/members/{id}/verify", post(verify))
        .route("/join/{token}", get(join_page).post(join_signup))
        .route("/join/{token}/accept", post(join_accept))
        .route("/people/{id}", get(person_page))
        .route("/account/profile", post(profile))
        .route("/api/v1/org", get(api_org))
        .route("/api/v1/org/invitations", post(api_invite))
        .route("/api/v1/org/invitations/{id}/withdraw", post(api_withdraw))
        .route("/api/v1/org/members/{id}/disable", post(api_disable))
        .route("/api/v1/org/members/{id}/enable", post(api_enable))
        .route("/api/v1/org/members/{id}/verify", post(api_verify))
        .route("/api/v1/people/{id}", get(api_person))
        .route("/api/v1/account/profile", post(api_profile))
}

fn id_of(raw: &str, shape: Shape) -> Result<i64, Error> {
    raw.parse::<i64>()
        .ok()
        .filter(|i| *i >= 1)
        .ok_or_else(|| Error::no_route(shape))
}

/// Words for an organisation invitation's state.
pub fn state_words(s: &OrgInvitationState) -> &'static str {
    match s {
        OrgInvitationState::Open => "open",
        OrgInvitationState::Used => "used",
        OrgInvitationState::Expired => "expired",
    }
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    chrome: Chrome,
    view: OrgView,
    /// The admin looking (who cannot disable themselves).
    me: UserId,
    problem: Problem,
    /// The invitation just made, with its full link, to copy to its recipient.
    made: Option<(OrgInvitationView, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn show_org(
    web: &Shared,
    caller: &Caller,
    problem: Problem,
    made: Option<(OrgInvitationView, String)>,
    saved: Option<&str>,
) -> Result<Html<String>, Error> {
    let view = web.app.org_page(caller).await.map_err(Error::page)?;
    render(&OrgPage {
        chrome: Chrome::new(view.name.clone(), Some("/org"))
            .signed_in(Some(caller))
            .saved(saved),
        view,
        me: caller.user.id,
        problem,
        made,
    })
}

async fn org_page(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>, Error> {
    show_org(&web, &caller, Problem::default(), None, q.saved.as_deref()).await
}

/// An invitation to make: the form's and the JSON body's fields.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InviteDoc {
    /// The address it is for. Required.
    email: String,
    /// athlete, coach, clinician or admin. Required.
    role: String,
}

impl InviteDoc {
    fn member(&self) -> Result<NewMember, AppError> {
        let role = Role::parse(self.role.trim()).ok_or_else(|| {
            AppError::invalid("role", "the role: athlete, coach, clinician or admin")
        })?;
        Ok(NewMember {
            email: self.email.clone(),
            role,
        })
    }
}

async fn invite(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    headers: HeaderMap,
    Form(f): Form<InviteDoc>,
) -> Result<Response, Error> {
    // Anyone but an admin of the organisation: not found, before the form is read.
    web.app.org_page(&caller).await.map_err(Error::page)?;
    let made = match f.member() {
        Ok(new) => {
            web.app
                .invite_member(&caller, &new, web.mail_url.as_deref())
                .await
        }
        Err(e) => Err(e),
    };
    match made {
        Ok(inv) => {
            let link = format!(
                "{}{}",
                crate::sharing::origin(&headers),
                inv.link.clone().unwrap_or_default()
            );
            Ok(
                show_org(&web, &caller, Problem::default(), Some((inv, link)), None)
                    .await?
                    .into_response(),
            )
        }
        Err(e) => {
            let problem = Problem::of(e)?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                show_org(&web, &caller, problem, None, None).await?,
            )
                .into_response())
        }
    }
}

async fn withdraw(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Response, Error> {
    let id = id_of(&raw, Shape::Page)?;
    web.app
        .withdraw_org_invitation(&caller, id)
        .await
        .map_err(Error::page)?;
    Ok(saved("/org", "org-withdrawn").into_response())
}

async fn set_disabled(
    web: &Shared,
    caller: &Caller,
    raw: &str,
    disabled: bool,
    shape: Shape,
) -> Result<soleus_app::accounts::UserView, Error> {
    let id = UserId(id_of(raw, shape)?);
    web.app
        .set_member_disabled(caller, id, disabled)
        .await
        .map_err(|e| Error::of(shape, e))
}

async fn disable(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Response, Error> {
    set_disabled(&web, &caller, &raw, true, Shape::Page).await?;
    Ok(saved("/org", "member-disabled").into_response())
}

async fn enable(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Response, Error> {
    set_disabled(&web, &caller, &raw, false, Shape::Page).await?;
    Ok(saved("/org", "member-enabled").into_response())
}

async fn verify(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Response, Error> {
    let id = UserId(id_of(&raw, Shape::Page)?);
    web.app
        .verify_member_profile(&caller, id)
        .await
        .map_err(Error::page)?;
    Ok(saved("/org", "verified").into_response())
}

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    chrome: Chrome,
    inv: OrgInvitationView,
    token: String,
    signed_in_as: Option<String>,
    display_name: String,
    problem: Problem,
}

async fn join_view(
    web: &Shared,
    headers: &HeaderMap,
    token: String,
    display_name: String,
    problem: Problem,
) -> Result<Html<String>, Error> {
    let inv = web.app.org_invitation(&token).await.map_err(Error::page)?;
    let caller = match crate::auth::token_of(headers) {
        Some(t) => web.app.caller(&t).await.map_err(Error::page)?,
        None => None,
    };
    render(&JoinPage {
        chrome: Chrome::new(format!("Join {}", inv.org_name), None).signed_in(caller.as_ref()),
        signed_in_as: caller.map(|c| c.user.email),
        inv,
        token,
        display_name,
        problem,
    })
}

async fn join_page(
    State(web): State<Shared>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Html<String>, Error> {
    join_view(&web, &headers, token, String::new(), Problem::default()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct JoinForm {
    display_name: String,
    password: String,
}

fn refused(e: &AppError) -> Option<StatusCode> {
    match e {
        AppError::Forbidden(_) => Some(StatusCode::FORBIDDEN),
        AppError::Conflict(_) => Some(StatusCode::CONFLICT),
        AppError::Invalid { .. } => Some(StatusCode::UNPROCESSABLE_ENTITY),
        _ => None,
    }
}

fn problem_of(e: AppError) -> Problem {
    match e {
        AppError::Invalid { field, message } => Problem { field, message },
        other => Problem {
            field: "",
            message: other.to_string(),
        },
    }
}

async fn join_signup(
    State(web): State<Shared>,
    Peer(addr): Peer,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(mut f): Form<JoinForm>,
) -> Result<Response, Error> {
    let new = InvitedSignUp {
        password: std::mem::take(&mut f.password),
        display_name: f.display_name.clone(),
    };
    match web.app.sign_up_invited(&token, &new, addr.as_deref()).await {
        Ok(s) => {
            web.accounts_seen
                .store(true, std::sync::atomic::Ordering::Relaxed);
            let to = match s.user.role {
                Role::Athlete => "/",
                Role::Admin => "/org",
                _ => "/roster",
            };
            let mut r = Redirect::to(to).into_response();
            r.headers_mut()
                .insert(header::SET_COOKIE, crate::auth::session_cookie(&web, &s));
            Ok(r)
        }
        Err(e) => {
            let Some(status) = refused(&e) else {
                return Err(Error::page(e));
            };
            let page = join_view(&web, &headers, token, f.display_name, problem_of(e)).await?;
            Ok((status, page).into_response())
        }
    }
}

async fn join_accept(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    match web.app.join_org(&caller, &token).await {
        Ok(u) => Ok(saved(
            if u.role == Role::Admin {
                "/org"
            } else {
                "/account"
            },
            "joined",
        )
        .into_response()),
        Err(e) => {
            let Some(status) = refused(&e) else {
                return Err(Error::page(e));
            };
            let page = join_view(&web, &headers, token, String::new(), problem_of(e)).await?;
            Ok((status, page).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    person: PersonView,
}

async fn person_of(
    web: &Shared,
    caller: &Caller,
    raw: &str,
    shape: Shape,
) -> Result<PersonView, Error> {
    let id = UserId(id_of(raw, shape)?);
    web.app
        .person(caller, id)
        .await
        .map_err(|e| Error::of(shape, e))
}

async fn person_page(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Html<String>, Error> {
    let person = person_of(&web, &caller, &raw, Shape::Page).await?;
    render(&PersonPage {
        chrome: Chrome::new(person.display_name.clone(), None).signed_in(Some(&caller)),
        person,
    })
}

/// A professional profile: the form's and the JSON body's fields.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProfileDoc {
    /// Credentials, 1 to 200 characters. Required.
    credentials: String,
    /// A short bio, at most 1000 characters.
    bio: String,
}

impl ProfileDoc {
    fn edit(self) -> ProfileEdit {
        ProfileEdit {
            credentials: self.credentials,
            bio: self.bio,
        }
    }
}

async fn profile(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Form(f): Form<ProfileDoc>,
) -> Result<Response, Error> {
    match web.app.set_my_profile(&caller, &f.edit()).await {
        Ok(_) => Ok(saved("/account", "profile").into_response()),
        Err(e @ AppError::Invalid { .. }) => {
            let page = crate::auth::account_with(&web, caller, Problem::of(e)?).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(Error::page(e)),
    }
}

async fn api_org(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
) -> Result<Json<serde_json::Value>, Error> {
    json(&web.app.org_page(&caller).await.map_err(Error::json)?)
}

async fn api_invite(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    JsonBody(d): JsonBody<InviteDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    web.app.org_page(&caller).await.map_err(Error::json)?;
    let new = d.member().map_err(Error::json)?;
    json(
        &web.app
            .invite_member(&caller, &new, web.mail_url.as_deref())
            .await
            .map_err(Error::json)?,
    )
}

/// What withdrawing an invitation answers.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
pub struct Withdrawn {
    /// The id of the invitation whose link no longer opens anything.
    pub withdrawn: i64,
}

async fn api_withdraw(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    let id = id_of(&raw, Shape::Json)?;
    web.app
        .withdraw_org_invitation(&caller, id)
        .await
        .map_err(Error::json)?;
    json(&Withdrawn { withdrawn: id })
}

async fn api_disable(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&set_disabled(&web, &caller, &raw, true, Shape::Json).await?)
}

async fn api_enable(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&set_disabled(&web, &caller, &raw, false, Shape::Json).await?)
}

async fn api_verify(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    let id = UserId(id_of(&raw, Shape::Json)?);
    json(
        &web.app
            .verify_member_profile(&caller, id)
            .await
            .map_err(Error::json)?,
    )
}

async fn api_person(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&person_of(&web, &caller, &raw, Shape::Json).await?)
}

async fn api_profile(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    JsonBody(d): JsonBody<ProfileDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    json(
        &web.app
            .set_my_profile(&caller, &d.edit())
            .await
            .map_err(Error::json)?,
    )
}
