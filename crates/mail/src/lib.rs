//! Soleus's mail: the weekly digest (a runner's week, a coach's or clinician's athletes) as
//! HTML and plain text in one `multipart/alternative` message, and its delivery over SMTP.
//!
//! - [`SmtpConfig`]: where mail goes, from `SOLEUS_SMTP_*` or the config file.
//! - [`render`]: a digest view of [`soleus_app::digest`] made into a subject, HTML and text.
//!   The HTML has no script, no SVG and no images: bars are table cells with a width, which
//!   every common mail client shows.
//! - [`send_digests`]: every recipient whose digest is due (or of a given week), each claimed
//!   in the database before it is made, so a retry, a crash or two processes never send one
//!   twice; a refused delivery is retried with backoff and reported.
//! - [`send_account_mails`]: the account mails (a password reset link, an invitation to
//!   share) a request queued, each sent at most once, its link's secret cleared once sent.
//!
//! Every digest carries a one-click unsubscribe link and the `List-Unsubscribe` and
//! `List-Unsubscribe-Post` headers of RFC 8058.

pub mod account;
mod config;
pub mod render;
mod send;

pub use account::send_account_mails;
pub use config::{SmtpConfig, SmtpFile, TlsMode};
pub use send::{
    ACCOUNT_MAIL_EVERY, DigestOutcome, DigestSent, Mailer, SCHEDULE_EVERY, SendReport, render_for,
    run_schedule, send_digests,
};

/// What can go wrong making or sending mail.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A setting is missing or wrong; the message says which and how to fix it.
    #[error("{0}")]
    Config(String),
    /// A template failed to render.
    #[error("rendering the digest: {0}")]
    Render(#[from] askama::Error),
    /// The message could not be built (an address that is not one).
    #[error("building the message: {0}")]
    Build(String),
    /// The SMTP server could not be reached or refused the message.
    #[error("delivering the mail: {0}")]
    Smtp(String),
    /// The application layer failed.
    #[error(transparent)]
    App(#[from] soleus_app::AppError),
}
