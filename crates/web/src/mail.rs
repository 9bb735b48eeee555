//! Mail settings and the one-click unsubscribe.
//!
//! - `/unsubscribe/{token}`: the link in every digest. GET shows what it stops, with one
//!   button; POST stops it, with no sign-in. RFC 8058's `List-Unsubscribe-Post` makes a mail
//!   client POST `List-Unsubscribe=One-Click` here from its own servers, which send no
//!   `Origin` or `Sec-Fetch-Site`, so the CSRF layer lets it through, while a browser on
//!   another site is refused. The token is signed ([`soleus_app::digest::delivery`]): it stops
//!   only the digest it was made for.
//! - `POST /settings/mail`: a single runner's address and whether the digest is sent.
//! - `POST /account/mail`: a signed-in person's digests, one checkbox each.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use soleus_app::digest::delivery::{DigestKind, Unsubscribe};

use crate::Shared;
use crate::auth::{Me, SignedInCaller};
use crate::error::Error;
use crate::form::{Form, Problem, saved};
use crate::page::{Chrome, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route(
            "/unsubscribe/{token}",
            get(unsubscribe_page).post(unsubscribe),
        )
        .route("/settings/mail", post(local_settings))
        .route("/account/mail", post(account_settings))
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    chrome: Chrome,
    token: String,
    view: Unsubscribe,
    done: bool,
}

/// What a digest is, in words.
pub fn kind_words(kind: &DigestKind) -> &'static str {
    match kind {
        DigestKind::Athlete => "your weekly digest",
        DigestKind::Roster => "the weekly digest of the athletes you look after",
    }
}

async fn unsubscribe_page(
    State(web): State<Shared>,
    Path(token): Path<String>,
) -> Result<Html<String>, Error> {
    let view = web
        .app
        .unsubscribe_info(&token)
        .await
        .map_err(Error::page)?;
    render(&UnsubscribePage {
        chrome: Chrome::new("Unsubscribe", None),
        token,
        view,
        done: false,
    })
}

async fn unsubscribe(
    State(web): State<Shared>,
    Path(token): Path<String>,
) -> Result<Html<String>, Error> {
    // The body (`List-Unsubscribe=One-Click`, or the page's empty form) says nothing more.
    let view = web.app.unsubscribe(&token).await.map_err(Error::page)?;
    render(&UnsubscribePage {
        chrome: Chrome::new("Unsubscribed", None),
        token,
        view,
        done: true,
    })
}

/// The single runner's mail settings as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LocalMailForm {
    email: String,
    digest: Option<String>,
}

async fn local_settings(app: Me, Form(f): Form<LocalMailForm>) -> Result<Response, Error> {
    if app.caller.is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    match app.set_digest_email(&f.email).await {
        Ok(_) => {}
        Err(e) => {
            let problem = Problem::of(e)?;
            let page = crate::settings::page_with(&app, problem).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    }
    let key = format!("athlete:{}", app.athlete_id().0);
    app.set_digest_enabled(&key, DigestKind::Athlete, f.digest.is_some())
        .await
        .map_err(Error::page)?;
    Ok(saved("/settings", "mail").into_response())
}

/// A signed-in person's digests as posted: a checkbox each.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountMailForm {
    athlete: Option<String>,
    roster: Option<String>,
}

async fn account_settings(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Form(f): Form<AccountMailForm>,
) -> Result<Response, Error> {
    let key = format!("user:{}", caller.user.id.0);
    for (kind, on) in [
        (DigestKind::Athlete, f.athlete.is_some()),
        (DigestKind::Roster, f.roster.is_some()),
    ] {
        web.app
            .set_digest_enabled(&key, kind, on)
            .await
            .map_err(Error::page)?;
    }
    Ok(saved("/account", "mail").into_response())
}
