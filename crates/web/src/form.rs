//! Forms: reading a posted form, answering it, and what every form page shares.
//!
//! A form posts to its page's own address. A form that saved something answers with a
//! redirect to a page (post, redirect, get: reloading never posts twice) whose `?saved=` key
//! names one of [`NOTICES`]: the page shows a fixed sentence, never text from the address. A
//! form with a mistake is shown again, 422, with the use case's words beside the field it
//! names ([`Problem`]).
//!
//! Cross-site posts never reach a form: the CSRF layer ([`crate::layers`]) refuses them.

use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, Request};
use axum::response::Redirect;
use serde::de::DeserializeOwned;
use soleus_app::AppError;

use crate::error::{Error, Shape};

/// A posted form (`application/x-www-form-urlencoded`) read into `T`. A body that is not
/// such a form, or lacks a field `T` needs, is a 422 page naming what was wrong.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(e) => Err(rejected(e, Shape::Page)),
        }
    }
}

/// A JSON body read into `T`; a body that does not parse is a 422 document.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Every body Soleus takes is a JSON object: an array would otherwise fill a struct's
        // fields by position.
        let value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(e) => return Err(Error::json(AppError::invalid("", e.body_text()))),
        };
        if !value.is_object() {
            return Err(Error::json(AppError::invalid(
                "",
                "the body must be a JSON object of fields",
            )));
        }
        serde_json::from_value(value).map(JsonBody).map_err(|e| {
            Error::json(AppError::invalid(
                "",
                format!("the body could not be read: {e}"),
            ))
        })
    }
}

fn rejected(e: FormRejection, shape: Shape) -> Error {
    Error::of(
        shape,
        AppError::invalid("", format!("the form could not be read: {}", e.body_text())),
    )
}

/// What a form's page says after it saved: (key, sentence).
pub const NOTICES: &[(&str, &str)] = &[
    ("units", "Units saved: distances show in them from now on."),
    (
        "cleared",
        "Clearance recorded: the athlete's plan goes on from it.",
    ),
    ("assessed", "Assessment of the latest check-in recorded."),
    ("rpe", "Effort saved; the load model uses it from now on."),
    ("shoe", "Shoe saved."),
    ("shoe-retired", "Shoe retired."),
    (
        "shoe-default",
        "Default shoe set: new runs are counted on it.",
    ),
    ("shoe-assigned", "Shoe set for this activity."),
    ("profile", "Profile saved."),
    ("mail", "Mail settings saved."),
    (
        "checkin",
        "Check-in saved. Its triage is shown first below.",
    ),
    ("pain", "Pain logged."),
    ("assessment", "Assessment saved; the plan follows it."),
    ("score", "Questionnaire scored and saved."),
    ("plan", "Plan started."),
    ("clearance", "Clearance recorded."),
    ("checklist", "Checklist recorded."),
    ("goal", "Energy goal saved."),
    ("intake", "Intake logged."),
    ("weight", "Weight logged."),
    ("deleted", "Deleted."),
    ("comment", "Comment posted."),
    ("comment-edited", "Comment saved."),
    ("comment-deleted", "Comment deleted."),
    ("read", "Marked read."),
    ("notifications", "Notification settings saved."),
    (
        "revoked",
        "Access revoked: they can no longer see your data, and what they were told about you is withdrawn.",
    ),
    (
        "withdrawn",
        "Invitation withdrawn: its link no longer opens anything.",
    ),
    (
        "accepted",
        "Invitation accepted: the athlete is on your roster.",
    ),
    (
        "org-withdrawn",
        "Invitation withdrawn: its link no longer opens anything.",
    ),
    (
        "member-disabled",
        "Member disabled: they can no longer sign in, and their sessions ended.",
    ),
    ("member-enabled", "Member enabled: they can sign in again."),
    ("verified", "Credentials verified."),
    (
        "profile",
        "Profile saved. Your organisation's admin verifies it again.",
    ),
    ("joined", "You joined the organisation."),
    (
        "import",
        "Import finished: the outcome of every file is below.",
    ),
];

/// The sentence for a `?saved=` key, if it is one of [`NOTICES`].
pub fn notice(key: Option<&str>) -> Option<&'static str> {
    let key = key?;
    NOTICES.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
}

/// A 303 to `path` with `?saved=KEY`, after a form saved.
pub fn saved(path: &str, key: &'static str) -> Redirect {
    debug_assert!(notice(Some(key)).is_some(), "no notice for {key}");
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}saved={key}"))
}

/// A mistake in a posted form, shown beside the field it names.
#[derive(Debug, Clone, Default)]
pub struct Problem {
    /// The field's name as the form posts it, or empty for the form as a whole.
    pub field: &'static str,
    /// The use case's words.
    pub message: String,
}

impl Problem {
    /// The mistake behind `e` when it is the person's (bad input); any other error is
    /// handed back to be answered as an error page.
    pub fn of(e: AppError) -> Result<Problem, Error> {
        match e {
            AppError::Invalid { field, message } => Ok(Problem { field, message }),
            other => Err(Error::page(other)),
        }
    }

    /// The message when it belongs to `field`.
    pub fn on(&self, field: &str) -> Option<&str> {
        (self.field == field && !self.message.is_empty()).then_some(self.message.as_str())
    }
}

/// An optional form field: empty means "not given".
pub fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}
