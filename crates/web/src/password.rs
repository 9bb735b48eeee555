//! A forgotten password: `/password/forgot` asks for the address and queues a mail with a
//! single-use link; `/password/reset/{token}` shows the form for a new password (GET changes
//! nothing) and sets it (POST), which ends every session of that user.
//!
//! The forgot page answers the same whatever the address, so it tells nobody who has an
//! account; it is throttled in the database like signing in. The mail itself goes out from
//! the sender loop, never inside the request. A server with no SMTP server set says so, and
//! sends the person to their administrator (`soleus user reset-password`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use soleus_app::AppError;

use crate::Shared;
use crate::auth::Peer;
use crate::error::Error;
use crate::form::{Form, Problem};
use crate::page::{Chrome, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/password/forgot", get(forgot_page).post(forgot))
        .route("/password/reset/{token}", get(reset_page).post(reset))
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    chrome: Chrome,
    /// Mail can be sent from this server.
    mail: bool,
    /// The request was taken: the same words whatever the address.
    asked: bool,
    problem: Problem,
}

async fn forgot_page(State(web): State<Shared>) -> Result<Html<String>, Error> {
    render(&ForgotPage {
        chrome: Chrome::new("Forgot your password?", None),
        mail: web.mail_url.is_some(),
        asked: false,
        problem: Problem::default(),
    })
}

#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    email: String,
}

async fn forgot(
    State(web): State<Shared>,
    Peer(addr): Peer,
    Form(f): Form<ForgotForm>,
) -> Result<Response, Error> {
    let page = |asked, problem| ForgotPage {
        chrome: Chrome::new("Forgot your password?", None),
        mail: web.mail_url.is_some(),
        asked,
        problem,
    };
    let Some(url) = &web.mail_url else {
        let p = page(false, Problem::default());
        return Ok((StatusCode::SERVICE_UNAVAILABLE, render(&p)?).into_response());
    };
    match web
        .app
        .forgot_password(&f.email, addr.as_deref(), url)
        .await
    {
        Ok(()) => Ok(render(&page(true, Problem::default()))?.into_response()),
        Err(e @ AppError::Throttled { retry_after_s }) => {
            let problem = Problem {
                field: "",
                message: e.to_string(),
            };
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                render(&page(false, problem))?,
            )
                .into_response();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
            Ok(r)
        }
        Err(e) => Err(Error::page(e)),
    }
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    chrome: Chrome,
    token: String,
    /// The link still opens.
    open: bool,
    /// The password was set.
    done: bool,
    problem: Problem,
}

async fn reset_page(
    State(web): State<Shared>,
    Path(token): Path<String>,
) -> Result<Response, Error> {
    let open = web.app.reset_link_open(&token).await.map_err(Error::page)?;
    let page = render(&ResetPage {
        chrome: Chrome::new("Set a new password", None),
        token: if open { token } else { String::new() },
        open,
        done: false,
        problem: Problem::default(),
    })?;
    let code = if open {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let mut r = (code, page).into_response();
    // The token is in the address: no other site learns it from a link followed from here.
    r.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(r)
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    new_password: String,
}

async fn reset(
    State(web): State<Shared>,
    Peer(addr): Peer,
    Path(token): Path<String>,
    Form(f): Form<ResetForm>,
) -> Result<Response, Error> {
    match web
        .app
        .reset_password(&token, &f.new_password, addr.as_deref())
        .await
    {
        Ok(_) => Ok(render(&ResetPage {
            chrome: Chrome::new("Password set", None),
            token: String::new(),
            open: false,
            done: true,
            problem: Problem::default(),
        })?
        .into_response()),
        Err(e) => {
            let mut problem = Problem::of(e)?;
            let open = problem.field != "token";
            if problem.field == "password" {
                problem.field = "new_password";
            }
            let page = render(&ResetPage {
                chrome: Chrome::new("Set a new password", None),
                token: if open { token } else { String::new() },
                open,
                done: false,
                problem,
            })?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
