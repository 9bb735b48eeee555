//! Who is asking: the session cookie, the [`Me`] extractor every athlete page takes, and the
//! sign-up, sign-in, sign-out and account pages.
//!
//! A database without accounts is a single runner's: on loopback, every page is theirs and
//! nobody signs in. Once the database has an account (or the server listens on a public
//! address, which it only does when accounts exist), every page but signing in needs a
//! session, and a page acts on the signed-in person's own athlete.
//!
//! The cookie holds a random 256-bit token (the database keeps its hash): `HttpOnly`,
//! `SameSite=Lax` (a coach following a link from an email stays signed in), `Path=/`; on a
//! public address it is also `Secure` and named with the `__Host-` prefix, which browsers
//! only accept over HTTPS from the host itself. On plain loopback it cannot be `Secure`.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use soleus_app::accounts::{ABSOLUTE_TIMEOUT_MS, Caller, Role, SignUp, SignedIn};
use soleus_app::{App, AppError};

use crate::Shared;
use crate::error::{Error, Shape};
use crate::form::{Form, Problem, saved};
use crate::page::{Chrome, render};

/// The cookie's name on plain loopback.
const COOKIE: &str = "soleus_session";
/// The cookie's name on a public address (HTTPS only, this host only).
const SECURE_COOKIE: &str = "__Host-soleus_session";

/// The athlete a request acts on, with who asked. Dereferences to their [`App`].
#[derive(Debug)]
pub struct Me {
    app: App,
    /// The server's shared state.
    pub web: Shared,
    /// The signed-in person; `None` for the single runner of a database without accounts.
    pub caller: Option<Caller>,
}

impl std::ops::Deref for Me {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

pub(crate) fn shape_of(parts: &Parts) -> Shape {
    if parts.uri.path().starts_with("/api/") {
        Shape::Json
    } else {
        Shape::Page
    }
}

/// The session token in the request's cookies, if any.
pub(crate) fn token_of(headers: &HeaderMap) -> Option<String> {
    token(headers)
}

fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE || *k == SECURE_COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// Whether every page needs a signed-in person.
pub(crate) async fn accounts_required(web: &Shared) -> Result<bool, AppError> {
    if web.public || web.accounts_seen.load(Ordering::Relaxed) {
        return Ok(true);
    }
    let has = web.app.has_accounts().await?;
    if has {
        web.accounts_seen.store(true, Ordering::Relaxed);
    }
    Ok(has)
}

/// The signed-in person behind a request, if any.
pub(crate) async fn caller_of(parts: &Parts, web: &Shared) -> Result<Option<Caller>, AppError> {
    match token(&parts.headers) {
        Some(t) => web.app.caller(&t).await,
        None => Ok(None),
    }
}

/// Where to go to sign in, coming back to `parts`' page afterwards.
pub(crate) fn sign_in_first(parts: &Parts, shape: Shape) -> Response {
    match shape {
        Shape::Json => Error::json(AppError::Unauthenticated(
            "sign in first: this server has accounts".into(),
        ))
        .into_response(),
        Shape::Page => {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let back = if parts.method == axum::http::Method::GET {
                format!("/login?next={}", encode(next))
            } else {
                "/login".into()
            };
            Redirect::to(&back).into_response()
        }
    }
}

/// Percent-encodes a path for a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A page to return to after signing in: a path of this site only (never `//host` or a URL),
/// so the link cannot send anyone elsewhere.
fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p,
        _ => "/",
    }
}

impl FromRequestParts<Shared> for Me {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, web: &Shared) -> Result<Me, Response> {
        let shape = shape_of(parts);
        let failed = |e: AppError| Error::of(shape, e).into_response();
        if let Some(caller) = caller_of(parts, web).await.map_err(failed)? {
            let Some(athlete) = caller.user.athlete else {
                // A coach or clinician with no runs of their own: their page is the roster.
                return Err(match shape {
                    Shape::Page => Redirect::to("/roster").into_response(),
                    Shape::Json => Error::no_route(Shape::Json).into_response(),
                });
            };
            return Ok(Me {
                app: web.app.as_athlete(athlete),
                web: web.clone(),
                caller: Some(caller),
            });
        }
        if accounts_required(web).await.map_err(failed)? {
            return Err(sign_in_first(parts, shape));
        }
        Ok(Me {
            app: web.app.as_athlete(web.app.athlete_id()),
            web: web.clone(),
            caller: None,
        })
    }
}

/// A signed-in person, for pages that only exist for one (the account, the roster).
#[derive(Debug)]
pub struct SignedInCaller(pub Caller);

impl FromRequestParts<Shared> for SignedInCaller {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        web: &Shared,
    ) -> Result<SignedInCaller, Response> {
        let shape = shape_of(parts);
        match caller_of(parts, web).await {
            Ok(Some(c)) => Ok(SignedInCaller(c)),
            Ok(None) => Err(sign_in_first(parts, shape)),
            Err(e) => Err(Error::of(shape, e).into_response()),
        }
    }
}

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/signup", get(signup_page).post(signup))
        .route("/logout", post(logout))
        .route("/account", get(account_page))
        .route("/account/password", post(change_password))
        .route("/account/sign-out-everywhere", post(everywhere))
        .route("/account/units", post(units))
}

/// The `Set-Cookie` value that starts a session.
pub(crate) fn session_cookie(web: &Shared, s: &SignedIn) -> HeaderValue {
    let (name, secure) = if web.public {
        (SECURE_COOKIE, "; Secure")
    } else {
        (COOKIE, "")
    };
    let max_age = ABSOLUTE_TIMEOUT_MS / 1000;
    HeaderValue::from_str(&format!(
        "{name}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        s.token
    ))
    .expect("a hex token is a valid header value")
}

/// The `Set-Cookie` value that ends it in the browser.
pub(crate) fn cleared_cookie(web: &Shared) -> HeaderValue {
    let (name, secure) = if web.public {
        (SECURE_COOKIE, "; Secure")
    } else {
        (COOKIE, "")
    };
    HeaderValue::from_str(&format!(
        "{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"
    ))
    .expect("a fixed header value")
}

/// The address a request came from, when the server knows it (for the throttle and the
/// audit log).
#[derive(Debug)]
pub struct Peer(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Peer, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
        ))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    next: String,
    problem: Problem,
    accounts: bool,
}

async fn login_page(
    State(web): State<Shared>,
    Query(q): Query<NextQuery>,
) -> Result<Html<String>, Error> {
    let accounts = accounts_required(&web).await.map_err(Error::page)?;
    render(&LoginPage {
        chrome: Chrome::new("Sign in", None),
        email: String::new(),
        next: local_path(q.next.as_deref()).to_owned(),
        problem: Problem::default(),
        accounts,
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn login(
    State(web): State<Shared>,
    Peer(addr): Peer,
    Form(f): Form<LoginForm>,
) -> Result<Response, Error> {
    match web
        .app
        .sign_in(&f.email, &f.password, addr.as_deref())
        .await
    {
        Ok(s) => {
            web.accounts_seen.store(true, Ordering::Relaxed);
            let mut r = Redirect::to(local_path(f.next.as_deref())).into_response();
            r.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&web, &s));
            Ok(r)
        }
        Err(e @ (AppError::Unauthenticated(_) | AppError::Throttled { .. })) => {
            let (code, retry) = match &e {
                AppError::Throttled { retry_after_s } => {
                    (StatusCode::TOO_MANY_REQUESTS, Some(*retry_after_s))
                }
                _ => (StatusCode::UNAUTHORIZED, None),
            };
            let page = render(&LoginPage {
                chrome: Chrome::new("Sign in", None),
                email: f.email.clone(),
                next: local_path(f.next.as_deref()).to_owned(),
                problem: Problem {
                    field: "",
                    message: e.to_string(),
                },
                accounts: true,
            })?;
            let mut r = (code, page).into_response();
            if let Some(s) = retry {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(s));
            }
            Ok(r)
        }
        Err(e) => Err(Error::page(e)),
    }
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    chrome: Chrome,
    form: SignupForm,
    problem: Problem,
    first: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    display_name: String,
    email: String,
    password: String,
    role: String,
    next: Option<String>,
}

async fn signup_page(
    State(web): State<Shared>,
    Query(q): Query<NextQuery>,
) -> Result<Html<String>, Error> {
    let first = !web.app.has_accounts().await.map_err(Error::page)?;
    render(&SignupPage {
        chrome: Chrome::new("Create an account", None),
        form: SignupForm {
            role: "athlete".into(),
            next: Some(local_path(q.next.as_deref()).to_owned()),
            ..SignupForm::default()
        },
        problem: Problem::default(),
        first,
    })
}

async fn signup(
    State(web): State<Shared>,
    Peer(addr): Peer,
    Form(mut f): Form<SignupForm>,
) -> Result<Response, Error> {
    let role = match f.role.as_str() {
        "coach" => Role::Coach,
        "clinician" => Role::Clinician,
        _ => Role::Athlete,
    };
    let new = SignUp {
        email: f.email.clone(),
        password: std::mem::take(&mut f.password),
        display_name: f.display_name.clone(),
        role,
        org: None,
    };
    match web.app.sign_up(&new, addr.as_deref()).await {
        Ok(s) => {
            web.accounts_seen.store(true, Ordering::Relaxed);
            let to = match (role, f.next.as_deref()) {
                (_, Some(n)) if local_path(Some(n)) != "/" => local_path(Some(n)).to_owned(),
                (Role::Athlete, _) => "/".into(),
                _ => "/roster".into(),
            };
            let mut r = Redirect::to(&to).into_response();
            r.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&web, &s));
            Ok(r)
        }
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let problem = match e {
                AppError::Invalid { field, message } => Problem { field, message },
                other => Problem {
                    field: "email",
                    message: other.to_string(),
                },
            };
            let first = !web.app.has_accounts().await.map_err(Error::page)?;
            let page = render(&SignupPage {
                chrome: Chrome::new("Create an account", None),
                form: f,
                problem,
                first,
            })?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(Error::page(e)),
    }
}

async fn logout(State(web): State<Shared>, headers: HeaderMap) -> Result<Response, Error> {
    if let Some(t) = token(&headers) {
        web.app.sign_out(&t).await.map_err(Error::page)?;
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, cleared_cookie(&web));
    Ok(r)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    caller: Caller,
    problem: Problem,
    changed: bool,
    /// Each digest this person can receive: form field, words, on.
    digests: Vec<(&'static str, &'static str, bool)>,
    /// How they want to hear of each kind of notification.
    deliveries: Vec<soleus_app::notifications::DeliveryView>,
    /// A coach's or clinician's professional profile, and the form's problem.
    profile: Option<soleus_app::accounts::CredentialsView>,
    /// Whether this person writes a professional profile (a coach or clinician).
    professional: bool,
    /// The distance unit they read in.
    units: soleus_model::units::DistanceUnit,
}

/// The digests a signed-in person can receive, with their choice.
async fn digests_of(
    web: &Shared,
    caller: &Caller,
) -> Result<Vec<(&'static str, &'static str, bool)>, Error> {
    use soleus_app::digest::delivery::DigestKind;
    let key = format!("user:{}", caller.user.id.0);
    let mut out = Vec::new();
    let mut kinds = Vec::new();
    if caller.user.athlete.is_some() {
        kinds.push((DigestKind::Athlete, "athlete", "My week, each Monday"));
    }
    if matches!(
        caller.user.role,
        Role::Coach | Role::Clinician | Role::Admin
    ) {
        kinds.push((
            DigestKind::Roster,
            "roster",
            "The athletes I look after, each Monday",
        ));
    }
    for (kind, field, words) in kinds {
        let on = web
            .app
            .digest_enabled(&key, kind)
            .await
            .map_err(Error::page)?;
        out.push((field, words, on));
    }
    Ok(out)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangedQuery {
    changed: Option<String>,
    saved: Option<String>,
}

async fn account_page(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Query(q): Query<ChangedQuery>,
) -> Result<Html<String>, Error> {
    render(&AccountPage {
        chrome: Chrome::new("Your account", None)
            .signed_in(Some(&caller))
            .saved(q.saved.as_deref()),
        digests: digests_of(&web, &caller).await?,
        deliveries: web.app.deliveries(&caller).await.map_err(Error::page)?,
        profile: web.app.my_profile(&caller).await.map_err(Error::page)?,
        professional: matches!(caller.user.role, Role::Coach | Role::Clinician),
        units: web
            .app
            .viewer_units(&caller)
            .await
            .map_err(Error::page)?
            .distance,
        caller,
        problem: Problem::default(),
        changed: q.changed.is_some(),
    })
}

/// The account page with a problem in one of its forms.
pub(crate) async fn account_with(
    web: &Shared,
    caller: Caller,
    problem: Problem,
) -> Result<Html<String>, Error> {
    render(&AccountPage {
        chrome: Chrome::new("Your account", None).signed_in(Some(&caller)),
        digests: digests_of(web, &caller).await?,
        deliveries: web.app.deliveries(&caller).await.map_err(Error::page)?,
        profile: web.app.my_profile(&caller).await.map_err(Error::page)?,
        professional: matches!(caller.user.role, Role::Coach | Role::Clinician),
        units: web
            .app
            .viewer_units(&caller)
            .await
            .map_err(Error::page)?
            .distance,
        caller,
        problem,
        changed: false,
    })
}

#[derive(Debug, Deserialize)]
pub struct UnitsForm {
    units: String,
}

/// The units the person reads in: their athlete profile's when they run, else their
/// account's (a coach's roster).
async fn units(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Form(f): Form<UnitsForm>,
) -> Result<Response, Error> {
    let Some(units) = soleus_model::units::DistanceUnit::parse(f.units.trim()) else {
        let problem = Problem {
            field: "units",
            message: format!("units {:?} are not km or miles", f.units),
        };
        let page = account_with(&web, caller, problem).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    web.app
        .set_viewer_units(&caller, units)
        .await
        .map_err(Error::page)?;
    Ok(saved("/account", "units").into_response())
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

async fn change_password(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Result<Response, Error> {
    let token = token(&headers).unwrap_or_default();
    match web
        .app
        .change_password(&caller, &token, &f.current_password, &f.new_password)
        .await
    {
        Ok(()) => Ok(Redirect::to("/account?changed=1").into_response()),
        Err(e) => {
            let mut problem = Problem::of(e)?;
            if problem.field == "password" {
                problem.field = "new_password";
            }
            let page = account_with(&web, caller, problem).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn everywhere(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
) -> Result<Response, Error> {
    web.app
        .sign_out_everywhere(&caller)
        .await
        .map_err(Error::page)?;
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, cleared_cookie(&web));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(local_path(Some("/activities?page=2")), "/activities?page=2");
        for away in [
            "//evil.example/",
            "https://evil.example/",
            "\\\\evil",
            "/\\evil",
            "x",
        ] {
            assert_eq!(local_path(Some(away)), "/", "{away}");
        }
        assert_eq!(local_path(None), "/");
        assert_eq!(encode("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; soleus_session=abc; b=2"),
        );
        assert_eq!(token(&h).as_deref(), Some("abc"));
        assert_eq!(token(&HeaderMap::new()), None);
    }
}
