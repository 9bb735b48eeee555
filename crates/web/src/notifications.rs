//! The inbox (`/notifications`): what a signed-in person was told, latest first, bundled,
//! with mark one and mark all read; the per-kind settings posted from the account page
//! (`/account/notifications`); and the same under `/api/v1/notifications`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use soleus_app::notifications::{InboxView, KINDS};

use crate::Shared;
use crate::auth::SignedInCaller;
use crate::error::{Error, Shape};
use crate::form::{Form, JsonBody, saved};
use crate::page::{Chrome, json, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/notifications", get(inbox_page))
        .route("/notifications/{id}/read", post(post_read))
        .route("/notifications/read-all", post(post_read_all))
        .route("/account/notifications", post(post_settings))
        .route("/api/v1/notifications", get(api_inbox))
        .route("/api/v1/notifications/{id}/read", post(api_read))
        .route("/api/v1/notifications/read", post(api_read_all))
        .route(
            "/api/v1/notifications/settings",
            get(api_settings).post(api_set),
        )
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct InboxPage {
    chrome: Chrome,
    inbox: InboxView,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn inbox_page(
    State(web): State<Shared>,
    SignedInCaller(mut caller): SignedInCaller,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>, Error> {
    let inbox = web.app.inbox(&caller).await.map_err(Error::page)?;
    caller.unread = inbox.unread;
    render(&InboxPage {
        chrome: Chrome::new("Notifications", None)
            .signed_in(Some(&caller))
            .saved(q.saved.as_deref()),
        inbox,
    })
}

fn id_of(raw: &str, shape: Shape) -> Result<i64, Error> {
    raw.parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(|| Error::no_route(shape))
}

async fn post_read(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Response, Error> {
    let id = id_of(&raw, Shape::Page)?;
    web.app.mark_read(&caller, id).await.map_err(Error::page)?;
    Ok(saved("/notifications", "read").into_response())
}

async fn post_read_all(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
) -> Result<Response, Error> {
    web.app.mark_all_read(&caller).await.map_err(Error::page)?;
    Ok(saved("/notifications", "read").into_response())
}

async fn post_settings(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Form(f): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, Error> {
    for (kind, _) in KINDS {
        if let Some(d) = f.get(*kind) {
            web.app
                .set_delivery(&caller, kind, d)
                .await
                .map_err(Error::page)?;
        }
    }
    Ok(saved("/account", "notifications").into_response())
}

async fn api_inbox(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
) -> Result<Json<serde_json::Value>, Error> {
    json(&web.app.inbox(&caller).await.map_err(Error::json)?)
}

async fn api_read(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, Error> {
    let id = id_of(&raw, Shape::Json)?;
    web.app.mark_read(&caller, id).await.map_err(Error::json)?;
    json(&web.app.inbox(&caller).await.map_err(Error::json)?)
}

async fn api_read_all(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
) -> Result<Json<serde_json::Value>, Error> {
    web.app.mark_all_read(&caller).await.map_err(Error::json)?;
    json(&web.app.inbox(&caller).await.map_err(Error::json)?)
}

/// One kind's delivery to set.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DeliveryDoc {
    /// `comment`, `reply`, `invitation`, `red_flag`, `overload`, `plan_stage` or `digest`.
    kind: String,
    /// `in_app`, `email` (in the app and by mail) or `off`.
    delivery: String,
}

async fn api_settings(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
) -> Result<Json<serde_json::Value>, Error> {
    json(&web.app.deliveries(&caller).await.map_err(Error::json)?)
}

async fn api_set(
    State(web): State<Shared>,
    SignedInCaller(caller): SignedInCaller,
    JsonBody(d): JsonBody<DeliveryDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    web.app
        .set_delivery(&caller, &d.kind, &d.delivery)
        .await
        .map_err(Error::json)?;
    json(&web.app.deliveries(&caller).await.map_err(Error::json)?)
}
