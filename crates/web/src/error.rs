//! One error type for every route: an [`AppError`] (or a missing route) mapped to a status,
//! shown as a page to a browser and as a JSON document under `/api/v1`.
//!
//! Whose fault it was decides what is shown: bad input, a missing or forbidden thing and a
//! conflict are explained to the person; a storage or internal failure is logged with its
//! cause and shown as a plain message without internals.

use askama::Template;
use axum::Json;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use soleus_app::AppError;

use crate::page::Chrome;

/// How the answer is written: a page for people, a JSON document for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An HTML page.
    Page,
    /// `{"error": {"status": …, "message": …}}`.
    Json,
}

/// What went wrong.
#[derive(Debug)]
enum Cause {
    /// A use case failed.
    App(AppError),
    /// No such route, or a path that does not name anything (`/activities/abc`).
    NoRoute,
    /// A page could not be rendered: a fault in Soleus.
    Render(askama::Error),
    /// The request is bigger than its route's limit; the words say which limit and what to
    /// do instead.
    TooLarge(String),
}

/// A failed request, in the shape its route answers in.
#[derive(Debug)]
pub struct Error {
    shape: Shape,
    cause: Cause,
}

impl Error {
    /// A use case's failure, answered in `shape`.
    pub fn of(shape: Shape, e: AppError) -> Error {
        Error {
            shape,
            cause: Cause::App(e),
        }
    }

    /// A use case's failure, answered as a page.
    pub fn page(e: AppError) -> Error {
        Error {
            shape: Shape::Page,
            cause: Cause::App(e),
        }
    }

    /// A use case's failure, answered as JSON.
    pub fn json(e: AppError) -> Error {
        Error {
            shape: Shape::Json,
            cause: Cause::App(e),
        }
    }

    /// Nothing at this path, in `shape`.
    pub fn no_route(shape: Shape) -> Error {
        Error {
            shape,
            cause: Cause::NoRoute,
        }
    }

    /// Over a limit (413), with the limit and what to do in `message`.
    pub fn too_large(shape: Shape, message: impl Into<String>) -> Error {
        Error {
            shape,
            cause: Cause::TooLarge(message.into()),
        }
    }

    pub(crate) fn render(e: askama::Error) -> Error {
        Error {
            shape: Shape::Page,
            cause: Cause::Render(e),
        }
    }

    /// The HTTP status: `Invalid` 422, `NotFound` 404, `Forbidden` 403, `Unauthenticated` 401,
    /// `Throttled` 429, `Conflict` and
    /// `ClinicianFirst` 409, a database that failed or refused 503, any other fault 500.
    pub fn status_code(&self) -> StatusCode {
        match &self.cause {
            Cause::NoRoute => StatusCode::NOT_FOUND,
            Cause::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Cause::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Cause::App(e) => match e {
                AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::NotFound { .. } => StatusCode::NOT_FOUND,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                AppError::Conflict(_) | AppError::ClinicianFirst { .. } => StatusCode::CONFLICT,
                // The database failed or refused: the request may succeed later.
                AppError::Storage { .. } => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }

    /// What the person is told: the use case's own words for their mistakes, a plain
    /// sentence for ours.
    fn message(&self, status: StatusCode) -> String {
        match &self.cause {
            Cause::NoRoute => "There is nothing at this address.".into(),
            Cause::TooLarge(m) => m.clone(),
            Cause::App(e) if status.is_client_error() => e.to_string(),
            _ if status == StatusCode::SERVICE_UNAVAILABLE => {
                "The database is not answering just now; try again in a moment.".into()
            }
            _ => "Something went wrong in Soleus; it has been logged.".into(),
        }
    }
}

impl From<askama::Error> for Error {
    fn from(e: askama::Error) -> Error {
        Error::render(e)
    }
}

/// The document of every failed `/api/v1` request.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ErrorDocument)]
pub struct JsonBody {
    error: JsonError,
}

/// What went wrong.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct JsonError {
    /// The HTTP status.
    status: u16,
    /// What happened and what to do, in words for people.
    message: String,
    /// The field or parameter that was wrong, for bad input.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    reason: &'static str,
    message: String,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status_code();
        if status.is_server_error() {
            match &self.cause {
                Cause::App(e) => tracing::error!(error = %chain(e), "request failed"),
                Cause::Render(e) => tracing::error!(error = %e, "page failed to render"),
                Cause::NoRoute | Cause::TooLarge(_) => {}
            }
        }
        let message = self.message(status);
        match self.shape {
            Shape::Json => {
                let field = match &self.cause {
                    Cause::App(AppError::Invalid { field, .. }) if !field.is_empty() => {
                        Some(*field)
                    }
                    _ => None,
                };
                let body = JsonBody {
                    error: JsonError {
                        status: status.as_u16(),
                        message,
                        field,
                    },
                };
                (status, Json(body)).into_response()
            }
            Shape::Page => {
                let reason = status.canonical_reason().unwrap_or("Error");
                let page = ErrorPage {
                    chrome: Chrome::new(reason, None),
                    status: status.as_u16(),
                    reason,
                    message,
                };
                match page.render() {
                    Ok(html) => (status, Html(html)).into_response(),
                    Err(e) => {
                        tracing::error!(error = %e, "error page failed to render");
                        (status, reason).into_response()
                    }
                }
            }
        }
    }
}

/// An error with every cause after it, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut next = e.source();
    while let Some(c) = next {
        s.push_str(": ");
        s.push_str(&c.to_string());
        next = c.source();
    }
    s
}

/// The fallback: a JSON 404 under `/api/`, a page elsewhere.
pub async fn not_found(uri: Uri) -> Error {
    Error::no_route(if uri.path().starts_with("/api/") {
        Shape::Json
    } else {
        Shape::Page
    })
}

/// Answers the framework's own refusals (a query that does not parse, a body of the wrong
/// type or over its limit: plain text) in the route's shape, as every other error is: a JSON
/// document under `/api/`, a page elsewhere, with the framework's words as the message.
pub async fn framework_refusals(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let shape = if req.uri().path().starts_with("/api/") {
        Shape::Json
    } else {
        Shape::Page
    };
    let res = next.run(req).await;
    let plain = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !plain || !res.status().is_client_error() || res.status() == StatusCode::NOT_FOUND {
        return res;
    }
    let status = res.status();
    let text = match axum::body::to_bytes(res.into_body(), 16 * 1024).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_owned(),
        Err(_) => String::new(),
    };
    let err = if status == StatusCode::PAYLOAD_TOO_LARGE {
        Error::too_large(
            shape,
            format!(
                "the request is larger than {} KiB, the most a form or a document may carry",
                crate::layers::BODY_LIMIT / 1024
            ),
        )
    } else {
        Error::of(
            shape,
            AppError::invalid("", format!("the request could not be read: {text}")),
        )
    };
    err.into_response()
}
