//! Accounts and sharing under `/api/v1`: sign up, sign in, sign out, the account, a new
//! password and signing out everywhere; "who can see my data" with invitations, revoking and
//! withdrawing; an invitation by its token and accepting it; the roster and a shared athlete.
//!
//! The same rules as the pages: the session is the same cookie (set by signing in here as
//! there), the cross-site layer refuses a browser's post from elsewhere, failed sign-ins are
//! throttled, and what the caller may not see answers 404 as what does not exist.

use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{delete, get, post};
use serde::{Deserialize, Serialize};
use soleus_app::accounts::{Level, NewInvitation, Role, SignUp, SignedIn, UserView};
use soleus_app::{AppError, AthleteId};

use crate::Shared;
use crate::auth::{Me, Peer, SignedInCaller, cleared_cookie, session_cookie, token_of};
use crate::error::{Error, Shape};
use crate::form::JsonBody;
use crate::page::json;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/v1/signup", post(signup))
        .route("/api/v1/login", post(login))
        .route("/api/v1/logout", post(logout))
        .route("/api/v1/account", get(account))
        .route("/api/v1/account/password", post(change_password))
        .route("/api/v1/account/sign-out-everywhere", post(everywhere))
        .route("/api/v1/sharing", get(sharing))
        .route("/api/v1/sharing/invitations", post(invite))
        .route("/api/v1/sharing/grants/{id}", delete(revoke))
        .route("/api/v1/sharing/invitations/{id}", delete(withdraw))
        .route("/api/v1/invitations/{token}", get(invitation))
        .route("/api/v1/invitations/{token}/accept", post(accept))
        .route("/api/v1/roster", get(roster))
        .route("/api/v1/athletes/{id}", get(athlete))
}

/// A new account, as `POST /api/v1/signup` takes it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SignupDoc {
    /// The name others see.
    display_name: String,
    /// The sign-in address.
    email: String,
    /// At least 10 characters, not the address or the name.
    password: String,
    /// `athlete` (the default), `coach` or `clinician`.
    role: Option<String>,
}

/// A sign-in, as `POST /api/v1/login` takes it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LoginDoc {
    /// The sign-in address.
    email: String,
    /// The password.
    password: String,
}

/// A session just begun; its secret is only in the `Set-Cookie` header.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// Who is signed in.
    pub user: UserView,
    /// When the session ends at the latest.
    pub expires: chrono::DateTime<chrono::Utc>,
}

/// The signed-in person, as `GET /api/v1/account` answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    /// Who.
    pub user: UserView,
    /// How many of their notifications are unread.
    pub unread: i64,
}

/// What signing out ended.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedOut {
    /// Sessions ended: this one (0 when the request carried none), or every one of the person's.
    pub sessions_ended: u64,
}

/// A new password, as `POST /api/v1/account/password` takes it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PasswordDoc {
    /// The password in use.
    current_password: String,
    /// The new one.
    new_password: String,
}

/// An invitation to make, as `POST /api/v1/sharing/invitations` takes it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InviteDoc {
    /// The address of the coach or clinician; only an account with it can accept.
    email: String,
    /// `coach` or `clinician`.
    role: String,
    /// `view` (the default), `comment` or `edit`.
    level: Option<String>,
    /// Whether the medical scope is included (default: for a clinician, not for a coach).
    medical: Option<bool>,
}

/// What a `DELETE` of a grant or an invitation answers.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Ended {
    /// The id of the grant revoked or the invitation withdrawn.
    pub ended: i64,
}

fn with_cookie(mut r: Response, cookie: HeaderValue) -> Response {
    r.headers_mut().insert(header::SET_COOKIE, cookie);
    r
}

fn session(web: &Shared, s: &SignedIn) -> Result<Response, Error> {
    web.accounts_seen.store(true, Ordering::Relaxed);
    let view = SessionView {
        user: s.user.clone(),
        expires: s.expires,
    };
    Ok(with_cookie(
        json(&view)?.into_response(),
        session_cookie(web, s),
    ))
}

/// An answer to a refused sign-in: 429 carries `Retry-After`.
fn refused(e: AppError) -> Response {
    let retry = match &e {
        AppError::Throttled { retry_after_s } => Some(*retry_after_s),
        _ => None,
    };
    let mut r = Error::json(e).into_response();
    if let Some(s) = retry {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    r
}

async fn signup(
    State(web): State<Shared>,
    Peer(addr): Peer,
    JsonBody(mut d): JsonBody<SignupDoc>,
) -> Result<Response, Error> {
    let role = match d.role.as_deref().map(str::trim) {
        None | Some("" | "athlete") => Role::Athlete,
        Some("coach") => Role::Coach,
        Some("clinician") => Role::Clinician,
        Some(other) => {
            return Err(Error::json(AppError::invalid(
                "role",
                format!("{other:?} is not a role one signs up as: athlete, coach or clinician"),
            )));
        }
    };
    let new = SignUp {
        email: d.email,
        password: std::mem::take(&mut d.password),
        display_name: d.display_name,
        role,
        org: None,
    };
    let s = web
        .app
        .sign_up(&new, addr.as_deref())
        .await
        .map_err(Error::json)?;
    session(&web, &s)
}

async fn login(
    State(web): State<Shared>,
    Peer(addr): Peer,
    JsonBody(d): JsonBody<LoginDoc>,
) -> Result<Response, Response> {
    match web
        .app
        .sign_in(&d.email, &d.password, addr.as_deref())
        .await
    {
        Ok(s) => session(&web, &s).map_err(IntoResponse::into_response),
        Err(e) => Err(refused(e)),
    }
}

async fn logout(State(web): State<Shared>, headers: HeaderMap) -> Result<Response, Error> {
    let mut ended = 0;
    if let Some(t) = token_of(&headers) {
        if web.app.caller(&t).await.map_err(Error::json)?.is_some() {
            ended = 1;
        }
        web.app.sign_out(&t).await.map_err(Error::json)?;
    }
    Ok(with_cookie(
        json(&SignedOut {
            sessions_ended: ended,
        })?
        .into_response(),
        cleared_cookie(&web),
    ))
}

async fn account(SignedInCaller(caller): SignedInCaller) -> Result<Json<serde_json::Value>, Error> {
    json(&AccountView {
        user: caller.user,
        unread: caller.unread,
    })
}

async fn change_password(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    headers: HeaderMap,
    JsonBody(d): JsonBody<PasswordDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    let token = token_of(&headers).unwrap_or_default();
    web.app
        .change_password(&caller, &token, &d.current_password, &d.new_password)
        .await
        .map_err(|e| match e {
            AppError::Invalid {
                field: "password",
                message,
            } => Error::json(AppError::invalid("new_password", message)),
            e => Error::json(e),
        })?;
    json(&AccountView {
        user: caller.user,
        unread: caller.unread,
    })
}

async fn everywhere(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
) -> Result<Response, Error> {
    let n = web
        .app
        .sign_out_everywhere(&caller)
        .await
        .map_err(Error::json)?;
    Ok(with_cookie(
        json(&SignedOut { sessions_ended: n })?.into_response(),
        cleared_cookie(&web),
    ))
}

/// The signed-in athlete behind a sharing request: without accounts nobody shares.
fn sharer(me: &Me) -> Result<soleus_app::accounts::Caller, Error> {
    me.caller.clone().ok_or_else(|| {
        Error::json(AppError::Unauthenticated(
            "sharing needs an account: sign up first".into(),
        ))
    })
}

async fn sharing(me: Me) -> Result<Json<serde_json::Value>, Error> {
    sharer(&me)?;
    json(&me.sharing().await.map_err(Error::json)?)
}

async fn invite(
    me: Me,
    JsonBody(d): JsonBody<InviteDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    let caller = sharer(&me)?;
    let role = match d.role.trim() {
        "coach" => Role::Coach,
        "clinician" => Role::Clinician,
        other => {
            return Err(Error::json(AppError::invalid(
                "role",
                format!("{other:?} is not whom one invites: coach or clinician"),
            )));
        }
    };
    let level = match d.level.as_deref().map(str::trim) {
        None | Some("") => Level::View,
        Some(l) => Level::parse(l).ok_or_else(|| {
            Error::json(AppError::invalid(
                "level",
                format!("{l:?} is not a level: view, comment or edit"),
            ))
        })?,
    };
    let new = NewInvitation {
        email: d.email,
        role,
        level,
        medical: d.medical,
    };
    let made = match &me.web.mail_url {
        Some(url) => me.invite_by_mail(&caller, &new, url).await,
        None => me.invite(&caller, &new).await,
    };
    json(&made.map_err(Error::json)?)
}

/// A path's id: a whole number from 1, or nothing at this address.
fn id_of(raw: &str) -> Result<i64, Error> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(|| Error::no_route(Shape::Json))
}

async fn revoke(me: Me, Path(raw): Path<String>) -> Result<Json<serde_json::Value>, Error> {
    let caller = sharer(&me)?;
    let id = id_of(&raw)?;
    me.revoke_grant(&caller, id).await.map_err(Error::json)?;
    json(&Ended { ended: id })
}

async fn withdraw(me: Me, Path(raw): Path<String>) -> Result<Json<serde_json::Value>, Error> {
    sharer(&me)?;
    let id = id_of(&raw)?;
    me.withdraw_invitation(id).await.map_err(Error::json)?;
    json(&Ended { ended: id })
}

async fn invitation(
    State(web): State<Shared>,
    Path(token): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&web.app.invitation(&token).await.map_err(Error::json)?)
}

async fn accept(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(token): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    json(
        &web.app
            .accept_invitation(&caller, &token)
            .await
            .map_err(Error::json)?,
    )
}

async fn roster(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Query(q): Query<crate::sharing::RosterQuery>,
) -> Result<Json<serde_json::Value>, Error> {
    let (sort, descending) = q.order().map_err(Error::json)?;
    json(
        &web.app
            .roster(&caller, sort, descending)
            .await
            .map_err(Error::json)?,
    )
}

async fn athlete(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    let not_found = || Error::no_route(Shape::Json);
    let id: AthleteId = raw.trim().parse().map_err(|_| not_found())?;
    let view = crate::sharing::shared_view(&web, &caller, id)
        .await
        .map_err(Error::json)?
        .ok_or_else(not_found)?;
    json(&view)
}
