//! Delivery: an SMTP transport, and the loop that sends each due digest at most once.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;
use soleus_app::App;
use soleus_app::AthleteId;
use soleus_app::digest::Week;
use soleus_app::digest::delivery::{DigestKind, Recipient};

use crate::render::{self, Links, Rendered};
use crate::{MailError, SmtpConfig, TlsMode};

/// How often `soleus serve` and `soleus worker` look for due digests.
pub const SCHEDULE_EVERY: Duration = Duration::from_secs(60);

/// How often they look for queued account mails (a reset link should not wait long).
pub const ACCOUNT_MAIL_EVERY: Duration = Duration::from_secs(5);

/// `List-Unsubscribe: <https://…>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// Sends mail over SMTP.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
    domain: String,
    host: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("host", &self.host)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for the settings (no connection is made until the first mail).
    pub fn new(c: &SmtpConfig) -> Result<Mailer, MailError> {
        let from: Mailbox = c
            .from
            .parse()
            .map_err(|e| MailError::Config(format!("SOLEUS_SMTP_FROM {:?}: {e}", c.from)))?;
        let smtp = |e: lettre::transport::smtp::Error| {
            MailError::Config(format!("SMTP server {}: {e}", c.host))
        };
        let mut b = match c.tls {
            TlsMode::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host),
            TlsMode::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host).map_err(smtp)?
            }
            TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&c.host).map_err(smtp)?,
        }
        .port(c.port)
        .timeout(Some(Duration::from_secs(30)));
        if let (Some(u), Some(p)) = (&c.user, &c.password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Mailer {
            transport: b.build(),
            domain: from.email.domain().to_owned(),
            from,
            public_url: c.public_url.clone(),
            host: format!("{}:{}", c.host, c.port),
        })
    }

    /// The sender's domain, for Message-IDs.
    pub(crate) fn domain(&self) -> &str {
        &self.domain
    }

    /// The web app's address the mails link to.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// Builds one `multipart/alternative` message.
    pub fn message(
        &self,
        to: &str,
        name: Option<&str>,
        mail: &Rendered,
        message_id: &str,
        unsubscribe: Option<&str>,
    ) -> Result<Message, MailError> {
        let address = to
            .parse()
            .map_err(|e| MailError::Build(format!("the address {to:?}: {e}")))?;
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(name.map(str::to_owned), address))
            .subject(&mail.subject)
            .message_id(Some(message_id.to_owned()))
            .date_now();
        if let Some(u) = unsubscribe {
            b = b
                .header(ListUnsubscribe(u.to_owned()))
                .header(ListUnsubscribePost);
        }
        b.multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| MailError::Build(e.to_string()))
    }

    /// Hands a message to the server.
    pub async fn send(&self, m: Message) -> Result<(), MailError> {
        self.transport
            .send(m)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Smtp(format!("{} ({})", e, self.host)))
    }
}

/// What happened to one recipient's digest.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestOutcome {
    /// Handed to the SMTP server.
    Sent,
    /// Written to the preview file instead.
    Previewed,
    /// Sent before, or being sent by another process: nothing done.
    AlreadyDone,
    /// The recipient turned this digest off.
    TurnedOff,
    /// Refused or not delivered; tried again at `retry_at` (none: given up).
    Failed {
        /// Why.
        error: String,
        /// When it is tried again.
        retry_at: Option<DateTime<Utc>>,
    },
}

/// One recipient's line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigestSent {
    /// `user:ID` or `athlete:ID`.
    pub recipient: String,
    /// Which digest.
    pub kind: DigestKind,
    /// The address.
    pub email: String,
    /// The ISO week.
    pub week: String,
    /// What happened.
    pub outcome: DigestOutcome,
    /// The subject, when one was made.
    pub subject: Option<String>,
}

/// `soleus digest --send --json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SendReport {
    /// One line per recipient.
    pub digests: Vec<DigestSent>,
}

impl SendReport {
    /// How many were sent.
    pub fn sent(&self) -> usize {
        self.digests
            .iter()
            .filter(|d| d.outcome == DigestOutcome::Sent)
            .count()
    }

    /// How many failed.
    pub fn failed(&self) -> usize {
        self.digests
            .iter()
            .filter(|d| matches!(d.outcome, DigestOutcome::Failed { .. }))
            .count()
    }
}

/// Renders a recipient's digest of a week, with its unsubscribe link.
pub async fn render_for(
    app: &App,
    r: &Recipient,
    week: Week,
    public_url: &str,
) -> Result<(Rendered, String), MailError> {
    let content = app.digest_for(r, week).await?;
    let token = app.unsubscribe_token(&r.key, r.kind).await?;
    let unsubscribe = format!("{public_url}/unsubscribe/{token}");
    let links = Links {
        base: public_url.to_owned(),
        unsubscribe: unsubscribe.clone(),
    };
    Ok((
        render::digest(&content, r.name.as_deref(), &links)?,
        unsubscribe,
    ))
}

/// Sends every digest due at `now` (each recipient's last whole week once their Monday 07:00
/// has passed), or of `week` when given, to every recipient or to one athlete's. Each is
/// claimed before it is made; one recipient's failure never stops the others.
pub async fn send_digests(
    app: &App,
    mailer: &Mailer,
    week: Option<Week>,
    athlete: Option<AthleteId>,
    worker: &str,
    now: DateTime<Utc>,
) -> Result<SendReport, MailError> {
    let outbox = app.outbox(worker);
    let mut report = SendReport::default();
    for r in app.digest_recipients().await? {
        if athlete.is_some() && (r.kind != DigestKind::Athlete || r.athlete != athlete) {
            continue;
        }
        let w = week.unwrap_or_else(|| r.due_week(now));
        let mut line = DigestSent {
            recipient: r.key.clone(),
            kind: r.kind,
            email: r.email.clone(),
            week: w.to_string(),
            outcome: DigestOutcome::AlreadyDone,
            subject: None,
        };
        if !r.enabled {
            line.outcome = DigestOutcome::TurnedOff;
            report.digests.push(line);
            continue;
        }
        let Some(claim) = outbox.claim(&r, w, now).await? else {
            line.outcome = DigestOutcome::AlreadyDone;
            report.digests.push(line);
            continue;
        };
        let made = async {
            let (mail, unsubscribe) = render_for(app, &r, w, mailer.public_url()).await?;
            let id = claim.message_id(&mailer.domain);
            let m = mailer.message(&r.email, r.name.as_deref(), &mail, &id, Some(&unsubscribe))?;
            Ok::<_, MailError>((mail, id, m))
        }
        .await;
        let (mail, id, message) = match made {
            Ok(x) => x,
            Err(e) => {
                let retry_at = outbox.failed(&claim, &e.to_string()).await?;
                tracing::warn!(recipient = %r.key, week = %w, error = %e, "digest not made");
                line.outcome = DigestOutcome::Failed {
                    error: e.to_string(),
                    retry_at,
                };
                report.digests.push(line);
                continue;
            }
        };
        line.subject = Some(mail.subject.clone());
        if !outbox.sending(&claim).await? {
            line.outcome = DigestOutcome::AlreadyDone;
            report.digests.push(line);
            continue;
        }
        match mailer.send(message).await {
            Ok(()) => {
                outbox.sent(&claim, &id).await?;
                tracing::info!(recipient = %r.key, week = %w, "digest sent");
                app.notify_digest_sent(&r, &w.to_string()).await;
                line.outcome = DigestOutcome::Sent;
            }
            Err(e) => {
                let retry_at = outbox.failed(&claim, &e.to_string()).await?;
                tracing::warn!(recipient = %r.key, week = %w, error = %e, "digest not delivered");
                line.outcome = DigestOutcome::Failed {
                    error: e.to_string(),
                    retry_at,
                };
            }
        }
        report.digests.push(line);
    }
    Ok(report)
}

/// Sends queued account mails every [`ACCOUNT_MAIL_EVERY`] and due digests every
/// [`SCHEDULE_EVERY`] until `stop` resolves. Several processes may run it at once: the claims
/// decide who sends what.
pub async fn run_schedule(
    app: App,
    mailer: Mailer,
    worker: String,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    let mut digests_due = tokio::time::Instant::now();
    loop {
        match crate::account::send_account_mails(&app, &mailer, &worker).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sent = n, "account mails"),
            Err(e) => tracing::warn!(error = %e, "account mail round failed"),
        }
        if tokio::time::Instant::now() >= digests_due {
            digests_due += SCHEDULE_EVERY;
            match send_digests(&app, &mailer, None, None, &worker, Utc::now()).await {
                Ok(r) if r.sent() + r.failed() > 0 => {
                    tracing::info!(sent = r.sent(), failed = r.failed(), "digest round");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "digest round failed"),
            }
        }
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(ACCOUNT_MAIL_EVERY) => {}
        }
    }
}
