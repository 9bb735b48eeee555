//! [`AppError`]: why a use case failed, in terms a front end can act on.

use soleus_model::clinical::Triage;
use soleus_store::StoreError;

/// Why a use case failed. The CLI maps each to an exit code and a message; the web maps each
/// to an HTTP status (`Invalid` 422, `NotFound` 404, `Forbidden` 403, `Unauthenticated` 401, `Throttled` 429, `Conflict` 409,
/// `ClinicianFirst` 409 with the triage, `Storage`, `Internal` and `Io` 500/503).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// Input that cannot be used: which field, and why (the message says what to type).
    #[error("{message}")]
    Invalid {
        /// The field or argument it came from (`weight`, `time_zone`, `--json`).
        field: &'static str,
        /// What is wrong and what to do.
        message: String,
    },
    /// No such thing for this athlete. Another athlete's row is "not found" too, never
    /// "forbidden": the answer must not reveal that it exists.
    #[error("there is no {what} {id}")]
    NotFound {
        /// What was looked for (`activity`, `shoe`, `check-in`).
        what: &'static str,
        /// The id or name asked for.
        id: String,
    },
    /// The person may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Nobody is signed in, or the address or password is wrong: sign in (again).
    #[error("{0}")]
    Unauthenticated(String),
    /// Too many failed sign-ins: wait this long before trying again.
    #[error("too many failed sign-ins: try again in {} minutes", retry_after_s.div_ceil(60))]
    Throttled {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// The request contradicts what is stored (a plan already started, a duplicate name).
    #[error("{0}")]
    Conflict(String),
    /// A red flag is in force: no plan, exercise or run until a clinician has seen the
    /// athlete. Carries the triage so the front end can show the way to care. For a use case
    /// that would act while a red flag is in force; asking for the plan or today is answered,
    /// not refused: [`crate::plan::PlanAnswer::Blocked`].
    #[error("{}", crate::plan::CLINICIAN_FIRST)]
    ClinicianFirst {
        /// How soon to see a clinician.
        triage: Triage,
    },
    /// The database failed or refused; `context` says what was being done.
    #[error("{context}")]
    Storage {
        /// What was being done ("opening database sqlite:…").
        context: String,
        /// The store's error.
        #[source]
        source: StoreError,
    },
    /// A fault in Soleus itself (a worker thread that panicked): neither the person's input
    /// nor the machine's state. The message says what failed, without internals.
    #[error("{0}")]
    Internal(String),
    /// The file system failed; `context` names the file.
    #[error("{context}")]
    Io {
        /// What was being done, with the path.
        context: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

impl AppError {
    /// Bad input in `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// A storage failure while doing `context`.
    pub fn storage(context: impl Into<String>, source: StoreError) -> AppError {
        AppError::Storage {
            context: context.into(),
            source,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound { what, id } => AppError::NotFound {
                what,
                id: id.to_string(),
            },
            StoreError::Invalid(message) => AppError::Invalid { field: "", message },
            // The store's own words, or why no change can be saved (a full disk, a read-only
            // file); the source says the same and is not repeated.
            source => AppError::Storage {
                context: match source.unwritable() {
                    Some(why) => format!(
                        "cannot save: {why} (a database that cannot be written can still be \
                         read, but not changed)"
                    ),
                    None => source.to_string(),
                },
                source,
            },
        }
    }
}

/// A use case's result.
pub type Result<T, E = AppError> = std::result::Result<T, E>;
