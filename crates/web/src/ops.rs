//! What a service manager, a load balancer and Prometheus ask of a serving process:
//! `/healthz` (the process is alive), `/readyz` (it can serve: the database answers and its
//! schema is this release's) and `/metrics` ([`crate::metrics`]).
//!
//! `/healthz` and `/readyz` are open to anyone and say nothing but a short reason. `/metrics`
//! is for the operator only: with a metrics token set ([`crate::Options::metrics_token`]) it
//! needs `Authorization: Bearer <token>`; without one it answers only a connection from this
//! machine that no proxy passed on (no `Forwarded`, `X-Forwarded-For` or `X-Real-IP`), since
//! behind a reverse proxy on the same machine every visitor's request arrives from loopback.
//! It never holds athlete data either way.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use soleus_app::AppError;
use soleus_app::health::Schema;

use crate::Shared;
use crate::error::Error;

/// How long `/readyz` waits for the database before it answers "not ready".
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// `/healthz`, `/readyz` and `/metrics`.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// 200 `ready`, or 503 with why not.
async fn readyz(State(web): State<Shared>) -> Response {
    let why = match tokio::time::timeout(READY_TIMEOUT, web.app.schema()).await {
        Ok(Ok(Schema::Current)) => return (StatusCode::OK, "ready\n").into_response(),
        Ok(Ok(Schema::Behind { missing })) => format!(
            "the database schema lacks migrations {missing:?} of this release; restart Soleus \
             to apply them"
        ),
        Ok(Ok(Schema::Ahead { unknown })) => {
            format!("the database schema has migrations {unknown:?} from a newer release of Soleus")
        }
        Ok(Ok(_)) => "the database schema is not this release's".to_owned(),
        Ok(Err(e)) => {
            tracing::info!(error = %e, "not ready");
            "the database is not answering".to_owned()
        }
        Err(_) => format!(
            "the database did not answer within {} s",
            READY_TIMEOUT.as_secs()
        ),
    };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        format!("not ready: {why}\n"),
    )
        .into_response()
}

/// The exposition, for the operator only.
async fn metrics(State(web): State<Shared>, req: axum::extract::Request) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if !may_read_metrics(web.metrics_token.as_deref(), peer, req.headers()) {
        return Error::page(AppError::Forbidden(
            "metrics are served to this machine only, or with the metrics token".into(),
        ))
        .into_response();
    }
    let depth = match tokio::time::timeout(READY_TIMEOUT, web.app.queue_depth()).await {
        Ok(Ok(d)) => Some(d),
        _ => None,
    };
    (
        [(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)],
        web.metrics.render(depth),
    )
        .into_response()
}

/// Whether a request may read `/metrics` (see the module's overview).
fn may_read_metrics(token: Option<&str>, peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
    match token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            // Hashes compared, so the time taken says nothing about the token.
            .is_some_and(|given| Sha256::digest(given.trim()) == Sha256::digest(token)),
        None => {
            let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
                .iter()
                .any(|h| headers.contains_key(*h));
            peer.is_some_and(|p| p.ip().is_loopback()) && !forwarded
        }
    }
}

#[cfg(test)]
mod tests {
    use super::may_read_metrics;
    use axum::http::HeaderMap;

    #[test]
    fn metrics_are_for_this_machine_or_the_token_holder() {
        let local = Some("127.0.0.1:5000".parse().unwrap());
        let remote = Some("192.0.2.7:5000".parse().unwrap());
        let none = HeaderMap::new();
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", "192.0.2.7".parse().unwrap());
        let mut bearer = HeaderMap::new();
        bearer.insert("authorization", "Bearer s3cret".parse().unwrap());
        let mut wrong = HeaderMap::new();
        wrong.insert("authorization", "Bearer s3cre".parse().unwrap());
        assert!(may_read_metrics(None, local, &none));
        assert!(!may_read_metrics(None, local, &proxied));
        assert!(!may_read_metrics(None, remote, &none));
        assert!(!may_read_metrics(None, None, &none));
        assert!(may_read_metrics(Some("s3cret"), remote, &bearer));
        assert!(!may_read_metrics(Some("s3cret"), remote, &wrong));
        // With a token set, loopback alone is not enough.
        assert!(!may_read_metrics(Some("s3cret"), local, &none));
    }
}
