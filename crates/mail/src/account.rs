//! The account mails — a password reset link, an athlete's invitation to share — made from
//! their outbox rows and sent at most once: each is claimed in the database, marked as being
//! handed over just before the SMTP transaction, and its link's secret is cleared from the
//! row once it is sent or given up. A request only queues the mail; this loop sends it.

use askama::Template;
use chrono::Utc;
use soleus_app::App;
use soleus_app::accounts::reset::{OutboxKind, OutboxRow, RESET_LIFETIME_MS};

use crate::render::Rendered;
use crate::{MailError, Mailer};

/// What an account mail says.
struct Model {
    subject: String,
    greeting: String,
    lines: Vec<String>,
    button: &'static str,
    link: String,
    footer: &'static str,
}

#[derive(Template)]
#[template(path = "account.html")]
struct Html<'a> {
    m: &'a Model,
}

#[derive(Template)]
#[template(path = "account.txt")]
struct Text<'a> {
    m: &'a Model,
}

/// Makes the mail of an outbox row; a notification's link is a path on `public_url`. Every
/// name in it was typed by someone, and the HTML escapes it (askama escapes every value in an
/// `.html` template).
pub fn render(row: &OutboxRow, public_url: &str) -> Result<Rendered, MailError> {
    let link = row
        .link
        .clone()
        .ok_or_else(|| MailError::Build("the mail's link is gone".into()))?;
    let greeting = match row.name.as_deref() {
        Some(n) => format!("Hello {n},"),
        None => "Hello,".to_owned(),
    };
    let m = match row.kind {
        OutboxKind::PasswordReset => Model {
            subject: "Set a new Soleus password".into(),
            greeting,
            lines: vec![
                "Someone, probably you, asked to set a new password for the Soleus account \
                 of this address."
                    .into(),
                format!(
                    "The link below works once, within {} minutes. Setting a new password \
                     signs you out everywhere.",
                    RESET_LIFETIME_MS / 60_000
                ),
            ],
            button: "Set a new password",
            link,
            footer: "If you did not ask, ignore this mail: your password stays as it is.",
        },
        OutboxKind::Invitation => {
            let who = row.about.as_deref().unwrap_or("An athlete");
            Model {
                subject: format!("{who} invites you to see their training on Soleus"),
                greeting,
                lines: vec![
                    format!(
                        "{who} invites you to see their training data on Soleus. Sign in (or \
                         make an account) with this address to accept."
                    ),
                    "The link works once, for this address only, within 7 days.".into(),
                ],
                button: "See the invitation",
                link,
                footer: "If you do not know them, ignore this mail: nothing is shared.",
            }
        }
        OutboxKind::Notification => {
            let words = row
                .about
                .as_deref()
                .unwrap_or("There is news for you on Soleus");
            Model {
                subject: format!("Soleus: {}", first_sentence(words)),
                greeting,
                lines: vec![
                    format!("{words}."),
                    "Sign in to see it; what people wrote stays on Soleus, never in mail.".into(),
                ],
                button: "Open Soleus",
                link: format!("{}{link}", public_url.trim_end_matches('/')),
                footer: "You have this mail because you chose mail for this kind of \
                         notification; choose in the app only, or off, on your account page.",
            }
        }
        OutboxKind::OrgInvitation => {
            let org = row.about.as_deref().unwrap_or("An organisation");
            Model {
                subject: format!("{org} invites you to join it on Soleus"),
                greeting,
                lines: vec![
                    format!(
                        "{org} invites you to join it on Soleus. Make an account with this \
                         address (or sign in with it) to join."
                    ),
                    "The link works once, for this address only, within 7 days.".into(),
                ],
                button: "See the invitation",
                link,
                footer: "If you do not know them, ignore this mail: nothing happens.",
            }
        }
    };
    Ok(Rendered {
        subject: m.subject.clone(),
        html: Html { m: &m }.render()?,
        text: Text { m: &m }.render()?,
    })
}

/// A subject line from a notification's words: up to the first colon, at most 90 characters.
fn first_sentence(words: &str) -> String {
    let head = words.split(':').next().unwrap_or(words).trim();
    match head.char_indices().nth(90) {
        Some((i, _)) => format!("{}…", &head[..i]),
        None => head.to_owned(),
    }
}

/// The mail's Message-ID: one per outbox row, so a server that saw it drops a copy.
fn message_id(row: &OutboxRow, domain: &str) -> String {
    format!("<account.{}.{}@{domain}>", row.kind, row.id)
}

/// Sends every queued account mail, each at most once; returns how many were sent. One
/// mail's failure never stops the others (it is given up: the person asks again).
pub async fn send_account_mails(
    app: &App,
    mailer: &Mailer,
    worker: &str,
) -> Result<usize, MailError> {
    let outbox = app.account_outbox(worker);
    let mut sent = 0;
    while let Some(row) = outbox.claim(Utc::now().timestamp_millis()).await? {
        let made = render(&row, mailer.public_url()).and_then(|mail| {
            let id = message_id(&row, mailer.domain());
            let m = mailer.message(&row.email, row.name.as_deref(), &mail, &id, None)?;
            Ok((id, m))
        });
        let (id, message) = match made {
            Ok(x) => x,
            Err(e) => {
                outbox.failed(&row, &e.to_string()).await?;
                tracing::warn!(mail = row.id, kind = %row.kind, error = %e, "account mail not made");
                continue;
            }
        };
        if !outbox.sending(&row).await? {
            continue;
        }
        match mailer.send(message).await {
            Ok(()) => {
                outbox.sent(&row, &id).await?;
                tracing::info!(mail = row.id, kind = %row.kind, "account mail sent");
                sent += 1;
            }
            Err(e) => {
                outbox.failed(&row, &e.to_string()).await?;
                tracing::warn!(mail = row.id, kind = %row.kind, error = %e, "account mail not delivered");
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use soleus_app::accounts::reset::OutboxState;

    use super::*;

    fn row(about: &str) -> OutboxRow {
        OutboxRow {
            id: 7,
            kind: OutboxKind::Notification,
            email: "kim@example.org".into(),
            name: Some("Kim <i>Coach</i>".into()),
            about: Some(about.into()),
            link: Some("/athletes/3".into()),
            state: OutboxState::Claimed,
            claimed_by: Some("w".into()),
            lease_until_ms: 0,
            attempts: 1,
            created_ms: 0,
            updated_ms: 0,
            message_id: None,
            error: None,
        }
    }

    #[test]
    fn a_notification_mail_links_to_its_page_on_the_server_with_every_name_escaped() {
        let m = render(
            &row("New overload warning for <b>Ana</b>: single run spike (moderate)"),
            "https://club.example/",
        )
        .unwrap();
        assert_eq!(m.subject, "Soleus: New overload warning for <b>Ana</b>");
        assert!(
            m.text.contains("https://club.example/athletes/3"),
            "{}",
            m.text
        );
        assert!(
            m.html.contains("href=\"https://club.example/athletes/3\""),
            "{}",
            m.html
        );
        assert!(m.html.contains("&#60;b&#62;Ana&#60;/b&#62;"), "{}", m.html);
        assert!(m.html.contains("Kim &#60;i&#62;Coach"), "{}", m.html);
        assert!(!m.html.contains("<b>Ana"));
        assert!(m.text.contains("single run spike (moderate)."));
    }

    #[test]
    fn a_long_notification_makes_a_short_subject() {
        let long = "x".repeat(200);
        let m = render(&row(&long), "https://club.example").unwrap();
        assert_eq!(m.subject.chars().count(), "Soleus: ".len() + 91);
        assert!(m.subject.ends_with('…'));
    }
}
