//! Who receives which digest, what each chose, the one-click unsubscribe, and the outbox that
//! makes sending idempotent.
//!
//! Recipients are the accounts' addresses: a user who is an athlete receives their own week,
//! a user who holds grants the week of the athletes they look after. A database without
//! accounts has one recipient, the local runner, once they set an address
//! (`soleus profile set --email`). Each recipient can turn each digest off, in settings or
//! with the unsubscribe link every digest carries: a token that names the recipient and the
//! digest, signed with a key the database keeps (HMAC-SHA256), so it works without signing
//! in and cannot be made for anyone else.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use soleus_store::mail::{DigestKey, DigestRow, DigestState};
use soleus_store::{AthleteId, UserId};

pub use soleus_store::mail::DigestKind;

use super::{RosterDigest, RosterEntry, Week};
use crate::accounts::{check_email, new_token, now_ms};
use crate::{App, AppError, Result};

/// The per-athlete setting that holds a single runner's address.
const EMAIL_SETTING: &str = "digest_email";
/// The database setting that holds the unsubscribe links' signing key.
const SIGNING_KEY: &str = "mail_signing_key";

/// Who a digest goes to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recipient {
    /// `user:ID`, or `athlete:ID` for the runner of a database without accounts.
    pub key: String,
    /// Which digest.
    pub kind: DigestKind,
    /// Their address.
    pub email: String,
    /// Their name.
    pub name: Option<String>,
    /// The athlete whose week it is (an athlete digest).
    pub athlete: Option<AthleteId>,
    /// The user who looks after others (a roster digest).
    pub user: Option<UserId>,
    /// Their time zone (IANA), for the Monday 07:00 schedule; `None`: UTC.
    pub time_zone: Option<String>,
    /// Whether they receive it (their choice; on unless they turned it off).
    pub enabled: bool,
}

impl Recipient {
    /// When this recipient's digest of `week` is due: the Monday after it, 07:00 in their
    /// time zone (UTC when they have none or it is unknown).
    pub fn due(&self, week: Week) -> DateTime<Utc> {
        let local = week
            .next()
            .monday()
            .and_time(NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default());
        match self
            .time_zone
            .as_deref()
            .and_then(|t| t.parse::<chrono_tz::Tz>().ok())
        {
            // The earliest instant of a local time a clock change skips or repeats.
            Some(tz) => tz
                .from_local_datetime(&local)
                .earliest()
                .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc)),
            None => Utc.from_utc_datetime(&local),
        }
    }

    /// The newest week whose digest is due at `now`: the last whole week before `now`'s week
    /// in their time zone once its Monday 07:00 has passed, else the week before that. Older
    /// weeks are never sent on schedule (a server that was down for a while sends the newest
    /// digest, not a backlog).
    pub fn due_week(&self, now: DateTime<Utc>) -> Week {
        let today: NaiveDate = match self
            .time_zone
            .as_deref()
            .and_then(|t| t.parse::<chrono_tz::Tz>().ok())
        {
            Some(tz) => now.with_timezone(&tz).date_naive(),
            None => now.date_naive(),
        };
        let week = Week::last_before(today);
        if now >= self.due(week) {
            week
        } else {
            week.prev()
        }
    }
}

/// A digest ready to send: who, which week, and its content.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DigestContent {
    /// An athlete's week.
    Athlete(Box<super::AthleteDigest>),
    /// A coach's or clinician's athletes.
    Roster(RosterDigest),
}

/// What an unsubscribe link names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unsubscribe {
    /// Which digest.
    pub kind: DigestKind,
    /// The address it goes to, partly hidden (`r•••@example.org`).
    pub email_hint: String,
    /// Whether it is on now.
    pub enabled: bool,
}

/// A digest's place in the outbox, as `soleus digest` reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DigestStatus {
    /// `user:ID` or `athlete:ID`.
    pub recipient: String,
    /// Which digest.
    pub kind: DigestKind,
    /// The ISO week.
    pub week: String,
    /// The address.
    pub email: String,
    /// `claimed`, `sending`, `sent`, `failed`, `skipped`, or `unknown` (the process stopped
    /// while handing it over: the server may have it; it is not sent again).
    pub state: String,
    /// Deliveries tried.
    pub attempts: i64,
    /// Why the last one failed.
    pub error: Option<String>,
    /// When a failed one is tried again.
    pub next_attempt: Option<DateTime<Utc>>,
}

/// The outbox: claims that make each digest go out at most once. See
/// [`soleus_store::mail`].
#[derive(Debug)]
pub struct Outbox {
    mail: Box<dyn soleus_store::Mail>,
    worker: String,
}

/// A claimed digest: send it, then say how it went.
#[derive(Debug, Clone)]
pub struct Claim {
    row: DigestRow,
}

impl Claim {
    /// Deliveries tried before this one.
    pub fn attempts(&self) -> i64 {
        self.row.attempts
    }

    /// A stable Message-ID for the digest: the same for every attempt.
    pub fn message_id(&self, domain: &str) -> String {
        format!(
            "<digest.{}.{}.{}@{domain}>",
            self.row.week,
            self.row.kind,
            self.row.recipient.replace(':', "-")
        )
    }
}

/// How long a claim holds before another process may take it over.
pub const LEASE_MS: i64 = 10 * 60 * 1000;
/// Deliveries tried before a digest is given up (reported as failed).
pub const MAX_ATTEMPTS: i64 = 5;

/// The wait before delivery `attempt + 1` after `attempt` failed: 1, 5, 25, 125 minutes.
pub fn backoff_ms(attempt: i64) -> i64 {
    60_000 * 5_i64.pow(attempt.clamp(1, 5) as u32 - 1)
}

impl Outbox {
    /// Claims a recipient's digest of a week at `now`; `None`: nothing to do (another process
    /// has it, or it is done, or a failed delivery is not due again yet).
    pub async fn claim(
        &self,
        r: &Recipient,
        week: Week,
        now: DateTime<Utc>,
    ) -> Result<Option<Claim>> {
        let week = week.to_string();
        let key = DigestKey {
            recipient: &r.key,
            kind: r.kind,
            week: &week,
        };
        Ok(self
            .mail
            .claim_digest(
                &key,
                &r.email,
                &self.worker,
                now.timestamp_millis(),
                LEASE_MS,
            )
            .await?
            .map(|row| Claim { row }))
    }

    /// Just before the SMTP transaction: false means the claim was lost and the mail must not
    /// be sent.
    pub async fn sending(&self, c: &Claim) -> Result<bool> {
        Ok(self
            .mail
            .digest_sending(c.row.id, &self.worker, now_ms())
            .await?)
    }

    /// The server took it.
    pub async fn sent(&self, c: &Claim, message_id: &str) -> Result<()> {
        self.mail
            .digest_done(
                c.row.id,
                &self.worker,
                now_ms(),
                DigestState::Sent,
                Some(message_id),
            )
            .await?;
        Ok(())
    }

    /// Nothing to send after all (turned off since the claim).
    pub async fn skipped(&self, c: &Claim) -> Result<()> {
        self.mail
            .digest_done(c.row.id, &self.worker, now_ms(), DigestState::Skipped, None)
            .await?;
        Ok(())
    }

    /// The delivery failed: tried again after a backoff while attempts remain. Returns when.
    pub async fn failed(&self, c: &Claim, error: &str) -> Result<Option<DateTime<Utc>>> {
        let attempts = c.row.attempts + 1;
        let next = (attempts < MAX_ATTEMPTS).then(|| now_ms() + backoff_ms(attempts));
        self.mail
            .digest_failed(c.row.id, &self.worker, now_ms(), error, next)
            .await?;
        Ok(next.and_then(DateTime::from_timestamp_millis))
    }

    /// Every digest of a week (or of every week), as reported.
    pub async fn status(&self, week: Option<Week>) -> Result<Vec<DigestStatus>> {
        let week = week.map(|w| w.to_string());
        let now = now_ms();
        Ok(self
            .mail
            .digests(week.as_deref())
            .await?
            .into_iter()
            .map(|r| DigestStatus {
                state: match r.state {
                    DigestState::Sending if r.updated_ms + LEASE_MS <= now => "unknown".into(),
                    s => s.to_string(),
                },
                recipient: r.recipient,
                kind: r.kind,
                week: r.week,
                email: r.email,
                attempts: r.attempts,
                error: r.error,
                next_attempt: r.next_attempt_ms.and_then(DateTime::from_timestamp_millis),
            })
            .collect())
    }
}

/// `r•••@example.org`: enough to recognise an address, not to harvest it.
fn email_hint(email: &str) -> String {
    match email.split_once('@') {
        Some((l, d)) => {
            let first: String = l.chars().take(1).collect();
            format!("{first}•••@{d}")
        }
        None => "•••".into(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

impl App {
    /// The outbox, claiming as `worker` (a name for this process in reports).
    pub fn outbox(&self, worker: &str) -> Outbox {
        Outbox {
            mail: self.db.mail(),
            worker: worker.to_owned(),
        }
    }

    /// Every digest recipient, with whether they chose to receive it.
    pub async fn digest_recipients(&self) -> Result<Vec<Recipient>> {
        let accounts = self.db.accounts();
        let mail = self.db.mail();
        let mut out = Vec::new();
        if accounts.any_user().await? {
            for u in accounts.users().await? {
                if u.disabled {
                    continue;
                }
                let key = format!("user:{}", u.id.0);
                let time_zone = match u.athlete {
                    Some(a) => self.as_athlete(a).athlete().await?.time_zone,
                    None => None,
                };
                let mut kinds = Vec::new();
                if u.athlete.is_some() {
                    kinds.push(DigestKind::Athlete);
                }
                if !accounts.grants_held(u.id).await?.is_empty() {
                    kinds.push(DigestKind::Roster);
                }
                for kind in kinds {
                    out.push(Recipient {
                        enabled: mail.mail_preference(&key, kind).await?.unwrap_or(true),
                        key: key.clone(),
                        kind,
                        email: u.email.clone(),
                        name: Some(u.display_name.clone()),
                        athlete: if kind == DigestKind::Athlete {
                            u.athlete
                        } else {
                            None
                        },
                        user: (kind == DigestKind::Roster).then_some(u.id),
                        time_zone: time_zone.clone(),
                    });
                }
            }
        } else {
            let local = self.db.local_athlete().await?;
            let app = self.as_athlete(local);
            if let Some(email) = app.store.setting(EMAIL_SETTING).await? {
                let key = format!("athlete:{}", local.0);
                out.push(Recipient {
                    enabled: mail
                        .mail_preference(&key, DigestKind::Athlete)
                        .await?
                        .unwrap_or(true),
                    key,
                    kind: DigestKind::Athlete,
                    email,
                    name: app.athlete_name().await?,
                    athlete: Some(local),
                    user: None,
                    time_zone: app.athlete().await?.time_zone,
                });
            }
        }
        Ok(out)
    }

    /// The address a single runner's digest goes to.
    pub async fn digest_email(&self) -> Result<Option<String>> {
        Ok(self.store.setting(EMAIL_SETTING).await?)
    }

    /// Sets (or, with an empty text, removes) the address a single runner's digest goes to.
    pub async fn set_digest_email(&self, email: &str) -> Result<Option<String>> {
        if email.trim().is_empty() {
            self.store.set_setting(EMAIL_SETTING, "").await?;
            return Ok(None);
        }
        let email = check_email(email)?;
        self.store.set_setting(EMAIL_SETTING, &email).await?;
        Ok(Some(email))
    }

    /// What a recipient receives: their digest of `week`.
    pub async fn digest_for(&self, r: &Recipient, week: Week) -> Result<DigestContent> {
        match (r.kind, r.athlete, r.user) {
            (DigestKind::Athlete, Some(a), _) => Ok(DigestContent::Athlete(Box::new(
                self.as_athlete(a).athlete_digest(week).await?,
            ))),
            (DigestKind::Roster, _, Some(u)) => {
                Ok(DigestContent::Roster(self.roster_digest(u, week).await?))
            }
            _ => Err(AppError::Internal(format!(
                "recipient {} has no {} digest",
                r.key, r.kind
            ))),
        }
    }

    /// A coach's or clinician's digest: every athlete whose grant is in force now, each with
    /// only what that grant shows; red flags and warnings first, then who did not upload or
    /// check in, then the rest.
    pub async fn roster_digest(&self, user: UserId, week: Week) -> Result<RosterDigest> {
        let accounts = self.db.accounts();
        let viewer = accounts.user(user).await?.ok_or(AppError::NotFound {
            what: "user",
            id: user.0.to_string(),
        })?;
        let units = match viewer.athlete {
            Some(a) => self.as_athlete(a).athlete().await?.units,
            None => soleus_model::units::DistanceUnit::Km,
        };
        let (mut attention, mut quiet, mut rest) = (Vec::new(), Vec::new(), Vec::new());
        for g in accounts.grants_held(user).await? {
            let d = self.as_athlete(g.athlete).athlete_digest(week).await?;
            let e = RosterEntry::of(&d, g.level, g.medical);
            if e.needs_attention() {
                attention.push(e);
            } else if e.quiet() {
                quiet.push(e);
            } else {
                rest.push(e);
            }
        }
        let by_name = |a: &RosterEntry, b: &RosterEntry| a.name.cmp(&b.name);
        attention.sort_by(|a, b| {
            (b.red_flag.is_some(), b.paused, b.warnings.len())
                .cmp(&(a.red_flag.is_some(), a.paused, a.warnings.len()))
                .then_with(|| by_name(a, b))
        });
        quiet.sort_by(by_name);
        rest.sort_by(by_name);
        Ok(RosterDigest {
            week: week.to_string(),
            from: week.monday(),
            to: week.sunday(),
            units,
            attention,
            quiet,
            rest,
        })
    }

    async fn signing_key(&self) -> Result<Vec<u8>> {
        let fresh = new_token()?;
        let key = self
            .db
            .mail()
            .setting_or_insert(SIGNING_KEY, &fresh)
            .await?;
        Ok(key.into_bytes())
    }

    fn mac(key: &[u8], payload: &[u8]) -> Result<Hmac<Sha256>> {
        let mut m = Hmac::<Sha256>::new_from_slice(key)
            .map_err(|e| AppError::Internal(format!("signing key: {e}")))?;
        m.update(b"soleus-unsubscribe\0");
        m.update(payload);
        Ok(m)
    }

    /// The unsubscribe token of a recipient's digest: `recipient/kind` and its signature.
    pub async fn unsubscribe_token(&self, recipient: &str, kind: DigestKind) -> Result<String> {
        let payload = format!("{recipient}/{kind}");
        let tag = Self::mac(&self.signing_key().await?, payload.as_bytes())?
            .finalize()
            .into_bytes();
        Ok(format!("{}.{}", hex(payload.as_bytes()), hex(&tag)))
    }

    /// Checks a token; the recipient and digest it names.
    async fn verify_unsubscribe(&self, token: &str) -> Result<(String, DigestKind)> {
        let bad = || AppError::NotFound {
            what: "unsubscribe link",
            id: "in this address".into(),
        };
        let (p, t) = token.split_once('.').ok_or_else(bad)?;
        let (payload, tag) = (unhex(p).ok_or_else(bad)?, unhex(t).ok_or_else(bad)?);
        Self::mac(&self.signing_key().await?, &payload)?
            .verify_slice(&tag)
            .map_err(|_| bad())?;
        let text = String::from_utf8(payload).map_err(|_| bad())?;
        let (recipient, kind) = text.rsplit_once('/').ok_or_else(bad)?;
        let kind = DigestKind::parse(kind).ok_or_else(bad)?;
        Ok((recipient.to_owned(), kind))
    }

    async fn recipient_email(&self, recipient: &str) -> Result<Option<String>> {
        if let Some(id) = recipient.strip_prefix("user:").and_then(|i| i.parse().ok()) {
            return Ok(self.db.accounts().user(UserId(id)).await?.map(|u| u.email));
        }
        if let Some(id) = recipient
            .strip_prefix("athlete:")
            .and_then(|i| i.parse().ok())
        {
            return Ok(self
                .as_athlete(AthleteId(id))
                .store
                .setting(EMAIL_SETTING)
                .await?);
        }
        Ok(None)
    }

    /// What an unsubscribe link names, for its page.
    pub async fn unsubscribe_info(&self, token: &str) -> Result<Unsubscribe> {
        let (recipient, kind) = self.verify_unsubscribe(token).await?;
        let email = self.recipient_email(&recipient).await?.unwrap_or_default();
        Ok(Unsubscribe {
            kind,
            email_hint: email_hint(&email),
            enabled: self
                .db
                .mail()
                .mail_preference(&recipient, kind)
                .await?
                .unwrap_or(true),
        })
    }

    /// Follows an unsubscribe link (one click, no sign-in): that digest is off.
    pub async fn unsubscribe(&self, token: &str) -> Result<Unsubscribe> {
        let (recipient, kind) = self.verify_unsubscribe(token).await?;
        self.db
            .mail()
            .set_mail_preference(&recipient, kind, false, now_ms())
            .await?;
        self.audit(
            None,
            None,
            "unsubscribe",
            &format!("{recipient} from the {kind} digest"),
            None,
        )
        .await;
        self.unsubscribe_info(token).await
    }

    /// Turns a digest on or off for a recipient (`user:ID`, or `athlete:ID` without accounts).
    pub async fn set_digest_enabled(
        &self,
        recipient: &str,
        kind: DigestKind,
        enabled: bool,
    ) -> Result<()> {
        self.db
            .mail()
            .set_mail_preference(recipient, kind, enabled, now_ms())
            .await?;
        Ok(())
    }

    /// Whether a recipient receives a digest (on unless they turned it off).
    pub async fn digest_enabled(&self, recipient: &str, kind: DigestKind) -> Result<bool> {
        Ok(self
            .db
            .mail()
            .mail_preference(recipient, kind)
            .await?
            .unwrap_or(true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(tz: Option<&str>) -> Recipient {
        Recipient {
            key: "user:1".into(),
            kind: DigestKind::Athlete,
            email: "a@example.org".into(),
            name: None,
            athlete: None,
            user: None,
            time_zone: tz.map(str::to_owned),
            enabled: true,
        }
    }

    #[test]
    fn the_digest_is_due_at_the_recipients_monday_seven() {
        // 2026-W48 is Monday 23 to Sunday 29 November 2026 (ISO 8601 calendar); its digest
        // is due Monday 30 November, 07:00 local. Auckland is UTC+13 in summer (NZDT), New
        // York UTC-5 in winter (EST).
        let w = Week::parse("2026-W48").unwrap();
        assert_eq!(w.monday().to_string(), "2026-11-23");
        assert_eq!(w.sunday().to_string(), "2026-11-29");
        assert_eq!(r(None).due(w).to_rfc3339(), "2026-11-30T07:00:00+00:00");
        assert_eq!(
            r(Some("Pacific/Auckland")).due(w).to_rfc3339(),
            "2026-11-29T18:00:00+00:00"
        );
        assert_eq!(
            r(Some("America/New_York")).due(w).to_rfc3339(),
            "2026-11-30T12:00:00+00:00"
        );
        let ny = r(Some("America/New_York"));
        let before = "2026-11-30T11:59:00Z".parse().unwrap();
        let after = "2026-11-30T12:00:00Z".parse().unwrap();
        assert_eq!(ny.due_week(before).to_string(), "2026-W47");
        assert_eq!(ny.due_week(after).to_string(), "2026-W48");
    }

    #[test]
    fn weeks_parse_and_print_as_iso_8601() {
        // 2026-12-31 is a Thursday, so 2026 has 53 ISO weeks; 2027-W01 starts 4 January.
        assert_eq!(
            Week::parse("2026-w53").unwrap().monday().to_string(),
            "2026-12-28"
        );
        assert_eq!(
            Week::parse("2026-W53").unwrap().next().to_string(),
            "2027-W01"
        );
        assert!(Week::parse("2025-W53").is_err(), "2025 has 52 weeks");
        assert!(Week::parse("48").is_err());
    }

    #[test]
    fn backoff_grows_and_tokens_round_trip_as_hex() {
        assert_eq!(
            (1..=4).map(backoff_ms).collect::<Vec<_>>(),
            [60_000, 300_000, 1_500_000, 7_500_000]
        );
        assert_eq!(unhex(&hex(b"user:7/roster")).unwrap(), b"user:7/roster");
        assert_eq!(unhex("zz"), None);
        assert_eq!(email_hint("runner@example.org"), "r•••@example.org");
    }
}
