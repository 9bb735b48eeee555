//! `soleus digest`: the weekly digest, previewed as HTML, sent by mail, or reported.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::Utc;
use clap::Args;
use comfy_table::Table;
use soleus_app::digest::Week;
use soleus_app::digest::delivery::{DigestKind, Recipient};
use soleus_app::{App, AthleteId};
use soleus_mail::{DigestOutcome, SendReport};

use crate::config::Settings;

/// `soleus digest`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["preview", "send", "status"])))]
pub struct DigestArgs {
    /// The ISO week it covers, e.g. 2026-W48 (default: each recipient's last whole week).
    #[arg(long)]
    week: Option<String>,
    /// Only this athlete's own digest.
    #[arg(long, conflicts_with = "all")]
    athlete: Option<i64>,
    /// Every recipient (the default).
    #[arg(long)]
    all: bool,
    /// Write each digest to FILE.html (and its text part beside it) instead of sending it;
    /// with several recipients, each gets its own file named after them.
    #[arg(long, value_name = "FILE.html")]
    preview: Option<PathBuf>,
    /// Send through the SMTP server (SOLEUS_SMTP_HOST, …); a digest already sent for the week
    /// is never sent again.
    #[arg(long)]
    send: bool,
    /// Show where each digest of the week stands: sent, failed (and when it is retried),
    /// unknown.
    #[arg(long)]
    status: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// A process name for the outbox's claims.
fn worker_name() -> String {
    format!("digest:{}", std::process::id())
}

fn with_suffix(path: &Path, suffix: &str, ext: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "digest".into());
    path.with_file_name(format!("{stem}{suffix}.{ext}"))
}

/// Runs `soleus digest`.
pub async fn run(app: &App, settings: &Settings, args: &DigestArgs) -> anyhow::Result<u8> {
    let week = args.week.as_deref().map(Week::parse).transpose()?;
    let athlete = args.athlete.map(AthleteId);
    if args.status {
        let rows = app.outbox(&worker_name()).status(week).await?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&rows)?);
            return Ok(0);
        }
        if rows.is_empty() {
            println!(
                "No digest has been sent{}.",
                week.map_or(String::new(), |w| format!(" for {w}"))
            );
            return Ok(0);
        }
        let mut t = Table::new();
        t.set_header([
            "week",
            "recipient",
            "digest",
            "address",
            "state",
            "tries",
            "note",
        ]);
        for r in rows {
            t.add_row([
                r.week,
                r.recipient,
                r.kind.to_string(),
                r.email,
                r.state,
                r.attempts.to_string(),
                match (r.error, r.next_attempt) {
                    (Some(e), Some(n)) => {
                        format!("{e}; retried at {}", n.format("%Y-%m-%d %H:%M UTC"))
                    }
                    (Some(e), None) => e,
                    _ => String::new(),
                },
            ]);
        }
        println!("{t}");
        return Ok(0);
    }
    let smtp = settings.smtp()?;
    if let Some(path) = &args.preview {
        let public_url = smtp.as_ref().map_or_else(
            || {
                settings
                    .smtp_file
                    .public_url
                    .clone()
                    .or_else(|| std::env::var("SOLEUS_PUBLIC_URL").ok())
                    .unwrap_or_else(|| "http://127.0.0.1:8080".into())
            },
            |s| s.public_url.clone(),
        );
        let public_url = public_url.trim_end_matches('/').to_owned();
        let mut recipients: Vec<Recipient> = app
            .digest_recipients()
            .await?
            .into_iter()
            .filter(|r| {
                athlete.is_none() || (r.kind == DigestKind::Athlete && r.athlete == athlete)
            })
            .collect();
        if recipients.is_empty() && !app.has_accounts().await? {
            // A single runner who has not set an address yet still sees their digest.
            let id = athlete.unwrap_or(app.athlete_id());
            recipients.push(Recipient {
                key: format!("athlete:{}", id.0),
                kind: DigestKind::Athlete,
                email: String::new(),
                name: None,
                athlete: Some(id),
                user: None,
                time_zone: app.as_athlete(id).profile().await?.profile.time_zone,
                enabled: true,
            });
        }
        if recipients.is_empty() {
            anyhow::bail!("no digest recipient matches: see `soleus user list`");
        }
        let several = recipients.len() > 1;
        let mut written = Vec::new();
        for r in &recipients {
            let w = week.unwrap_or_else(|| r.due_week(Utc::now()));
            let (mail, _) = soleus_mail::render_for(app, r, w, &public_url).await?;
            let suffix = if several {
                format!("-{}-{}", r.key.replace(':', "-"), r.kind)
            } else {
                String::new()
            };
            let html = with_suffix(path, &suffix, "html");
            let text = with_suffix(path, &suffix, "txt");
            std::fs::write(&html, &mail.html)
                .with_context(|| format!("writing {}", html.display()))?;
            std::fs::write(&text, &mail.text)
                .with_context(|| format!("writing {}", text.display()))?;
            written.push(serde_json::json!({
                "recipient": r.key, "kind": r.kind, "week": w.to_string(),
                "subject": mail.subject, "html": html, "text": text,
            }));
            if !args.json {
                println!(
                    "{} ({w}): \"{}\"\n  {}\n  {}",
                    r.key,
                    mail.subject,
                    html.display(),
                    text.display()
                );
            }
        }
        if args.json {
            println!("{}", serde_json::to_string_pretty(&written)?);
        }
        return Ok(0);
    }
    let Some(smtp) = smtp else {
        anyhow::bail!(
            "no SMTP server is set: give SOLEUS_SMTP_HOST and SOLEUS_SMTP_FROM (and \
             SOLEUS_SMTP_PORT, SOLEUS_SMTP_TLS, SOLEUS_SMTP_USER, SOLEUS_SMTP_PASSWORD as \
             needed), or the same keys in the config file; or look first with --preview FILE.html"
        );
    };
    let mailer = soleus_mail::Mailer::new(&smtp)?;
    let report =
        soleus_mail::send_digests(app, &mailer, week, athlete, &worker_name(), Utc::now()).await?;
    print_report(&report, args.json)?;
    Ok(if report.failed() > 0 {
        crate::EXIT_SOME_FAILED
    } else {
        0
    })
}

fn print_report(report: &SendReport, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    if report.digests.is_empty() {
        println!(
            "No one receives a digest yet: set your address with `soleus profile set --email \
             ADDRESS` (or add accounts with `soleus user add`)."
        );
        return Ok(());
    }
    let mut t = Table::new();
    t.set_header(["recipient", "digest", "week", "address", "outcome"]);
    for d in &report.digests {
        t.add_row([
            d.recipient.clone(),
            d.kind.to_string(),
            d.week.clone(),
            d.email.clone(),
            match &d.outcome {
                DigestOutcome::Sent => "sent".to_owned(),
                DigestOutcome::Previewed => "previewed".to_owned(),
                DigestOutcome::AlreadyDone => "already sent (not sent again)".to_owned(),
                DigestOutcome::TurnedOff => "turned off by the recipient".to_owned(),
                DigestOutcome::Failed { error, retry_at } => match retry_at {
                    Some(at) => format!(
                        "failed: {error}; retried at {}",
                        at.format("%Y-%m-%d %H:%M UTC")
                    ),
                    None => format!("failed: {error}; given up"),
                },
            },
        ]);
    }
    println!("{t}");
    println!("{} sent, {} failed.", report.sent(), report.failed());
    Ok(())
}
