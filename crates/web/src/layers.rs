//! The middleware every response passes through: a request id (set, logged, echoed), tracing,
//! compression, cross-site post refusal and the security headers; and the limits of an
//! ordinary request.

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// The most a form or a JSON document may carry; uploads have their own limit.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A request that takes longer than this is answered 408 rather than left hanging.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Frames, plugins and anything from another origin are refused; scripts, styles and images
/// come from Soleus itself only, never inline.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
    connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

fn header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Wraps `routes` in the middleware.
pub fn apply(routes: Router) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    // Innermost: a cross-site post is refused before any handler reads it.
    let routes = routes.layer(CsrfLayer::new().with_rejection_response(cross_site));
    routes.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(request_span)
                    // `SOLEUS_LOG=info` gives one line per answer: status and latency.
                    .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(request_id))
            .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
            .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(header(header::X_FRAME_OPTIONS, "DENY"))
            .layer(header(header::REFERRER_POLICY, "no-referrer"))
            .layer(header(
                HeaderName::from_static("cross-origin-opener-policy"),
                "same-origin",
            ))
            // Pages and documents carry health data: never kept by a browser or a proxy. The
            // stylesheet sets its own long cache first.
            .layer(header(header::CACHE_CONTROL, "no-store"))
            .layer(CompressionLayer::new()),
    )
}

/// The span every log line of a request is written in: its id (the one a proxy sent, or a new
/// one, as echoed in `x-request-id`), its method and its route's pattern. The path itself is
/// left out: some carry a single-use token (`/password/reset/{token}`). The span is at the
/// error level so it exists whenever any line is written (at the info level, a filter of
/// `warn` would drop it and the warnings would lose their request).
fn request_span<B>(req: &Request<B>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched", |p| p.as_str());
    tracing::error_span!("request", id, method = %req.method(), route)
}

/// The limits of an ordinary request (a page, a form, a document): its body and its time.
/// Uploads have their own ([`crate::import`]).
pub fn ordinary<S: Clone + Send + Sync + 'static>(routes: Router<S>) -> Router<S> {
    routes
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            TIMEOUT,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
}

/// A post from another site (or a browser too old to say where it comes from) is refused
/// with a page that says why, before any handler sees it.
fn cross_site(error: tower_http::csrf::ProtectionError) -> axum::response::Response {
    use axum::response::IntoResponse;
    tracing::warn!(?error, "cross-site request refused");
    crate::error::Error::page(soleus_app::AppError::Forbidden(
        "this form was sent from another site, or by a browser that does not say where it \
         comes from; open the page in Soleus itself and send it again"
            .into(),
    ))
    .into_response()
}
