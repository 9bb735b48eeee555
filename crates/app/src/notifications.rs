//! Notifications: what a signed-in person is told — a comment or reply on their data or in a
//! thread they wrote in, an invitation to share, a shared athlete's red flag or new overload
//! warning, a plan's move to another stage, a digest sent — in an inbox with an unread count,
//! bundled, and per kind in the app, in the app and by mail, or off. A mail goes once per
//! notification (not per bundled event) through the account-mail outbox, and one of the
//! medical scope says only whom it is about.
//!
//! Several events of one kind about the same thing within [`BUNDLE_WINDOW_MS`] are one
//! notification ("3 new comments on Ana's activity"). A notification that tells of an athlete
//! is shown only while the recipient may see that athlete — with the medical scope, for one
//! about a check-in, an assessment or a red flag — and revoking the grant deletes it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use soleus_store::threads::{NewNotification, NotificationRow, ThreadComment};
use soleus_store::{AthleteId, UserId};

pub use soleus_store::threads::{Delivery, TargetKind};

use crate::accounts::{Caller, now_ms};
use crate::{App, AppError, Result};

/// Events of one kind about one thing within this long are bundled: 10 minutes.
pub const BUNDLE_WINDOW_MS: i64 = 10 * 60_000;
/// The inbox shows at most this many.
pub const INBOX_LIMIT: i64 = 100;

/// Every kind a person can be told of, with its words on the settings form.
pub const KINDS: &[(&str, &str)] = &[
    (
        "comment",
        "New comments on your data or in threads you wrote in",
    ),
    ("reply", "Replies to your comments"),
    ("invitation", "Invitations to look after an athlete's data"),
    ("red_flag", "A red flag in a shared athlete's check-in"),
    (
        "overload",
        "A new overload warning for an athlete you look after",
    ),
    ("plan_stage", "A rehab plan moving to another stage"),
    ("digest", "Your weekly digest was sent"),
];

/// Kinds never sent by mail: the digest is itself the mail.
const NOT_BY_MAIL: &[&str] = &["digest"];

/// The setting that remembers the warnings the athlete's people were last told of.
const TOLD_WARNINGS: &str = "notified_warnings";
/// The setting that remembers the plan stage they were last told of.
const TOLD_STAGE: &str = "notified_plan_stage";

/// One notification in the inbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    /// Id (what marking it read names).
    pub id: i64,
    /// `comment`, `reply`, `invitation` or `red_flag`.
    pub kind: String,
    /// What happened, in words ("3 new comments on Ana's activity").
    pub text: String,
    /// Where to see it.
    pub link: String,
    /// How many events it bundles.
    pub count: i64,
    /// When the latest came.
    pub at: DateTime<Utc>,
    /// Whether it was read.
    pub read: bool,
}

/// The inbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxView {
    /// How many are unread.
    pub unread: i64,
    /// Latest first.
    pub notifications: Vec<NotificationView>,
}

/// One kind's delivery, on the settings form.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    /// The kind.
    pub kind: String,
    /// Its words.
    pub label: String,
    /// `in_app`, `email` (in the app and by mail) or `off`.
    pub delivery: Delivery,
    /// Whether mail is offered for it (not for the digest, which is itself a mail).
    pub by_mail: bool,
}

fn when(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// The words for what a thread is on.
fn thing(kind: &str) -> &'static str {
    match kind {
        "activity" => "activity",
        "checkin" => "check-in",
        "assessment" => "assessment",
        _ => "plan",
    }
}

/// The athlete's own page for a thread, or the shared view's.
pub fn thread_link(own: bool, athlete: AthleteId, kind: TargetKind, target: i64) -> String {
    if own {
        match kind {
            TargetKind::Activity => format!("/activities/{target}#comments"),
            TargetKind::Checkin => format!("/checkin/{target}#comments"),
            TargetKind::Plan => "/plan#comments".into(),
            // Assessments have no page of their own: their threads do.
            TargetKind::Assessment => {
                format!("/athletes/{athlete}/threads/{kind}/{target}")
            }
        }
    } else {
        format!("/athletes/{athlete}/threads/{kind}/{target}")
    }
}

/// A stored notification in the recipient's words.
fn view(row: &NotificationRow, me: &Caller) -> NotificationView {
    let (text, link) = words(row, me.user.athlete);
    NotificationView {
        id: row.id,
        kind: row.kind.clone(),
        text,
        link,
        count: row.count,
        at: when(row.updated_ms),
        read: row.read_ms.is_some(),
    }
}

/// What a notification says to its recipient (who is the athlete `mine`, if they run), and
/// the page where they see it.
fn words(row: &NotificationRow, mine: Option<AthleteId>) -> (String, String) {
    let p: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
    let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    let own = row.athlete.is_some() && row.athlete == mine;
    let whose = if own {
        "your".to_owned()
    } else {
        format!("{}'s", text("athlete_name"))
    };
    let on = thing(p["on"].as_str().unwrap_or_default());
    let n = row.count;
    let (text, link) = match row.kind.as_str() {
        "comment" | "reply" => {
            let link = match (
                row.athlete,
                TargetKind::parse(p["on"].as_str().unwrap_or_default()),
                p["target_id"].as_i64(),
            ) {
                (Some(a), Some(k), Some(t)) => thread_link(own, a, k, t),
                _ => "/notifications".into(),
            };
            let words = match (row.kind.as_str(), n) {
                ("reply", 1) => {
                    format!("{} replied to your comment on {whose} {on}", text("author"))
                }
                ("reply", _) => format!("{n} new replies to your comments on {whose} {on}"),
                (_, 1) => format!("{} commented on {whose} {on}", text("author")),
                _ => format!("{n} new comments on {whose} {on}"),
            };
            (words, link)
        }
        "invitation" => (
            format!(
                "{} invited you to look after their data as {}: open the link in the \
                 invitation mail, or ask them for it",
                text("athlete_name"),
                text("role")
            ),
            "/roster".into(),
        ),
        "red_flag" => (
            format!(
                "{}'s check-in raised a red flag ({}): no training until a clinician has seen them",
                text("athlete_name"),
                text("triage")
            ),
            row.athlete
                .map_or_else(|| "/roster".into(), |a| format!("/athletes/{a}")),
        ),
        "overload" => (
            format!(
                "New overload warning for {}: {} ({})",
                if own {
                    "you".to_owned()
                } else {
                    text("athlete_name")
                },
                text("code").to_lowercase().replace('_', " "),
                text("severity")
            ),
            match row.athlete {
                Some(_) if own => "/#warn-h".into(),
                Some(a) => format!("/athletes/{a}"),
                None => "/roster".into(),
            },
        ),
        "plan_stage" => (
            format!(
                "{} plan moved to {}",
                if own {
                    "Your".to_owned()
                } else {
                    format!("{}'s", text("athlete_name"))
                },
                text("stage")
            ),
            match row.athlete {
                Some(_) if own => "/plan".into(),
                Some(a) => format!("/athletes/{a}"),
                None => "/roster".into(),
            },
        ),
        "digest" => (
            format!(
                "Your weekly digest of {} was sent to you by mail",
                text("week")
            ),
            if text("digest") == "roster" {
                "/roster".into()
            } else {
                "/".into()
            },
        ),
        other => (format!("Something happened ({other})"), "/".into()),
    };
    (text, link)
}

/// What a notification's mail says: its words, except that one of the medical scope says
/// only whom it is about (mail leaves the app; the recipient reads the rest signed in).
fn mail_words(row: &NotificationRow, mine: Option<AthleteId>, medical: bool) -> (String, String) {
    let (text, link) = words(row, mine);
    if !medical {
        return (text, link);
    }
    let p: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
    let who = p["athlete_name"]
        .as_str()
        .unwrap_or("an athlete you look after");
    (
        format!("There is news about {who} for you to read in Soleus"),
        link,
    )
}

impl App {
    /// How `user` wants to hear of `kind` (in the app unless they chose otherwise).
    async fn delivery(&self, user: UserId, kind: &str) -> Result<Delivery> {
        Ok(self
            .db
            .notifications()
            .deliveries(user)
            .await?
            .into_iter()
            .find(|(k, _)| k == kind)
            .map_or(Delivery::InApp, |(_, d)| d))
    }

    /// Tells `user` of an event, unless they switched its kind off. A failure is logged, never
    /// the request's: the comment or check-in that caused it is saved all the same.
    pub(crate) async fn tell(
        &self,
        user: UserId,
        athlete: Option<AthleteId>,
        medical: bool,
        kind: &str,
        bundle_key: &str,
        payload: serde_json::Value,
    ) {
        let told = async {
            let delivery = self.delivery(user, kind).await?;
            if delivery == Delivery::Off {
                return Ok(());
            }
            let payload = payload.to_string();
            let now = now_ms();
            let (id, new) = self
                .db
                .notifications()
                .notify(
                    &NewNotification {
                        user,
                        athlete,
                        medical,
                        kind,
                        bundle_key,
                        payload: &payload,
                    },
                    now,
                    BUNDLE_WINDOW_MS,
                )
                .await?;
            // One mail per notification: events bundled into it after the first send none.
            if delivery == Delivery::Email && new && !NOT_BY_MAIL.contains(&kind) {
                self.mail_notification(
                    &NotificationRow {
                        id,
                        user,
                        athlete,
                        kind: kind.to_owned(),
                        bundle_key: bundle_key.to_owned(),
                        payload,
                        count: 1,
                        created_ms: now,
                        updated_ms: now,
                        read_ms: None,
                    },
                    medical,
                )
                .await?;
            }
            Ok::<(), AppError>(())
        };
        if let Err(e) = told.await {
            tracing::warn!("cannot record a notification ({kind}): {e}");
        }
    }

    /// Queues the mail of a new notification for the account-mail sender.
    async fn mail_notification(&self, row: &NotificationRow, medical: bool) -> Result<()> {
        let Some(to) = self.db.accounts().user(row.user).await? else {
            return Ok(());
        };
        if to.disabled {
            return Ok(());
        }
        let (words, link) = mail_words(row, to.athlete, medical);
        self.queue_account_mail(&crate::accounts::reset::NewOutboxMail {
            kind: crate::accounts::reset::OutboxKind::Notification,
            email: &to.email,
            name: Some(&to.display_name),
            about: Some(&words),
            link: &link,
        })
        .await?;
        Ok(())
    }

    /// After `author` commented (comment `id`) in a thread of `athlete`'s: the athlete and
    /// everyone else who wrote in it are told, if they can still see it.
    pub(crate) async fn notify_thread(
        &self,
        author: &Caller,
        athlete: AthleteId,
        kind: TargetKind,
        target: i64,
        id: i64,
        rows: &[ThreadComment],
    ) {
        let athlete_row = match self.db.athletes().await {
            Ok(all) => all.into_iter().find(|a| a.id == athlete),
            Err(e) => {
                tracing::warn!("cannot notify of a comment: {e}");
                return;
            }
        };
        let owner = athlete_row.as_ref().and_then(|a| a.user);
        let parent_author = rows
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.parent)
            .and_then(|p| rows.iter().find(|c| c.id == p))
            .and_then(|c| c.author);
        let mut recipients: Vec<UserId> = owner.into_iter().collect();
        for c in rows {
            if let Some(a) = c.author
                && c.deleted_ms.is_none()
                && !recipients.contains(&a)
            {
                recipients.push(a);
            }
        }
        let medical = matches!(kind, TargetKind::Checkin | TargetKind::Assessment);
        let payload = json!({
            "athlete_name": athlete_row
                .as_ref()
                .and_then(|a| a.display_name.clone())
                .unwrap_or_else(|| "An athlete".into()),
            "author": author.user.display_name,
            "on": kind.as_str(),
            "target_id": target,
            "comment_id": id,
        });
        for user in recipients.into_iter().filter(|u| *u != author.user.id) {
            // Only people who can still see the thread are told of it.
            let sees = Some(user) == owner
                || matches!(
                    self.db.accounts().live_grant(athlete, user).await,
                    Ok(Some(g)) if g.medical || !medical
                );
            if !sees {
                continue;
            }
            let what = if Some(user) == parent_author {
                "reply"
            } else {
                "comment"
            };
            let key = format!("{athlete}:{kind}:{target}");
            self.tell(user, Some(athlete), medical, what, &key, payload.clone())
                .await;
        }
    }

    /// After an athlete invited `email`: the account with that address, if any, is told.
    pub(crate) async fn notify_invitation(&self, email: &str, from: &str, role: &str, id: i64) {
        let user = match self.db.accounts().user_by_email(email).await {
            Ok(Some(u)) if !u.disabled => u,
            _ => return,
        };
        let payload = json!({ "athlete_name": from, "role": role, "invitation": id });
        self.tell(
            user.id,
            None,
            false,
            "invitation",
            &format!("{id}"),
            payload,
        )
        .await;
    }

    /// After a check-in of this athlete raised a red flag: everyone holding a grant with the
    /// medical scope is told at once.
    pub(crate) async fn notify_red_flag(&self, triage: &str, checkin: i64) {
        let athlete = self.athlete_id();
        let Ok(grants) = self.db.accounts().grants_on(athlete).await else {
            return;
        };
        for g in grants.iter().filter(|g| g.medical) {
            let payload = json!({
                "athlete_name": g.athlete_name.clone().unwrap_or_else(|| "An athlete".into()),
                "triage": triage,
                "checkin_id": checkin,
            });
            self.tell(
                g.user,
                Some(athlete),
                true,
                "red_flag",
                &format!("{athlete}"),
                payload,
            )
            .await;
        }
    }

    /// After a digest went out: its recipient, when they have an account, is told in the app.
    pub async fn notify_digest_sent(
        &self,
        recipient: &crate::digest::delivery::Recipient,
        week: &str,
    ) {
        let Some(user) = recipient
            .key
            .strip_prefix("user:")
            .and_then(|id| id.parse().ok())
            .map(UserId)
        else {
            return;
        };
        let payload = json!({ "week": week, "digest": recipient.kind });
        self.tell(
            user,
            None,
            false,
            "digest",
            &format!("{}:{week}", recipient.kind),
            payload,
        )
        .await;
    }

    /// After the athlete's runs or check-ins changed: whoever looks after them is told of an
    /// overload warning new today (one about pain only with the medical scope), and they and
    /// the athlete of the plan's move to another stage. What was told is remembered in the
    /// athlete's settings, so each warning and each stage is told once; a warning that goes and
    /// comes back is told again. Failures are logged, never the import's or check-in's.
    pub(crate) async fn notify_training_news(&self) {
        if let Err(e) = self.training_news().await {
            tracing::warn!("cannot tell of new warnings or a plan stage: {e}");
        }
        self.keep_roster_facts().await;
    }

    async fn training_news(&self) -> Result<()> {
        let athlete = self.athlete_id();
        let grants = self.db.accounts().grants_on(athlete).await?;
        let me = self
            .db
            .athletes()
            .await?
            .into_iter()
            .find(|a| a.id == athlete);
        let owner = me.as_ref().and_then(|a| a.user);
        if grants.is_empty() && owner.is_none() {
            // A runner on their own, without accounts: nobody to tell.
            return Ok(());
        }
        let name = me
            .as_ref()
            .and_then(|a| a.display_name.clone())
            .unwrap_or_else(|| "An athlete".into());

        let report = self.risk_report(None).await?;
        let told: Vec<String> = match self.store.setting(TOLD_WARNINGS).await? {
            Some(v) => serde_json::from_str(&v).unwrap_or_default(),
            None => Vec::new(),
        };
        let now: Vec<String> = report.warnings.iter().map(|w| w.code.clone()).collect();
        if now != told {
            self.store
                .set_setting(
                    TOLD_WARNINGS,
                    &serde_json::to_string(&now).unwrap_or_default(),
                )
                .await?;
        }
        for w in report.warnings.iter().filter(|w| !told.contains(&w.code)) {
            let medical = crate::digest::MEDICAL_WARNINGS.contains(&w.code.as_str());
            let payload = json!({
                "athlete_name": name,
                "code": w.code,
                "severity": w.severity,
                "date": report.date,
            });
            for g in grants.iter().filter(|g| g.medical || !medical) {
                self.tell(
                    g.user,
                    Some(athlete),
                    medical,
                    "overload",
                    &format!("{athlete}:{}", w.code),
                    payload.clone(),
                )
                .await;
            }
        }

        let stage = self.plan_stage_now().await?;
        let told_stage = self.store.setting(TOLD_STAGE).await?;
        let key = stage.as_ref().map(|(k, _)| k.clone()).unwrap_or_default();
        if told_stage.as_deref().unwrap_or_default() != key {
            self.store.set_setting(TOLD_STAGE, &key).await?;
            // A plan's first stage is its start, not a move; a plan ended tells nothing.
            let same_plan = |t: &str| t.split(':').next() == key.split(':').next() && !t.is_empty();
            if let (Some((_, words)), Some(t)) = (&stage, told_stage.as_deref())
                && same_plan(t)
            {
                let payload = json!({ "athlete_name": name, "stage": words });
                let people = owner.into_iter().chain(grants.iter().map(|g| g.user));
                for user in people {
                    self.tell(
                        user,
                        Some(athlete),
                        false,
                        "plan_stage",
                        &format!("{athlete}:{key}"),
                        payload.clone(),
                    )
                    .await;
                }
            }
        }
        Ok(())
    }

    /// The caller's inbox.
    pub async fn inbox(&self, caller: &Caller) -> Result<InboxView> {
        let n = self.db.notifications();
        let rows = n.notifications(caller.user.id, INBOX_LIMIT).await?;
        Ok(InboxView {
            unread: n.unread_count(caller.user.id).await?,
            notifications: rows.iter().map(|r| view(r, caller)).collect(),
        })
    }

    /// How many of the caller's notifications are unread (the header's count).
    pub async fn unread_notifications(&self, caller: &Caller) -> Result<i64> {
        Ok(self.db.notifications().unread_count(caller.user.id).await?)
    }

    /// Marks one of the caller's notifications read; not found when they have no such unread
    /// one.
    pub async fn mark_read(&self, caller: &Caller, id: i64) -> Result<()> {
        if !self
            .db
            .notifications()
            .mark_read(caller.user.id, id, now_ms())
            .await?
        {
            return Err(AppError::NotFound {
                what: "unread notification",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Marks every notification of the caller read; how many were unread.
    pub async fn mark_all_read(&self, caller: &Caller) -> Result<u64> {
        Ok(self
            .db
            .notifications()
            .mark_all_read(caller.user.id, now_ms())
            .await?)
    }

    /// The caller's delivery for every kind.
    pub async fn deliveries(&self, caller: &Caller) -> Result<Vec<DeliveryView>> {
        let chosen = self.db.notifications().deliveries(caller.user.id).await?;
        Ok(KINDS
            .iter()
            .map(|(k, label)| DeliveryView {
                kind: (*k).into(),
                label: (*label).into(),
                delivery: chosen
                    .iter()
                    .find(|(c, _)| c == k)
                    .map_or(Delivery::InApp, |(_, d)| *d),
                by_mail: !NOT_BY_MAIL.contains(k),
            })
            .collect())
    }

    /// Sets the caller's delivery for a kind.
    pub async fn set_delivery(&self, caller: &Caller, kind: &str, delivery: &str) -> Result<()> {
        if !KINDS.iter().any(|(k, _)| *k == kind) {
            return Err(AppError::invalid(
                "kind",
                format!("there is no notification kind {kind:?}"),
            ));
        }
        let d = Delivery::parse(delivery)
            .ok_or_else(|| AppError::invalid("delivery", "choose in_app, email or off"))?;
        if d == Delivery::Email && NOT_BY_MAIL.contains(&kind) {
            return Err(AppError::invalid(
                "delivery",
                format!("{kind} notifications come in the app only: choose in_app or off"),
            ));
        }
        Ok(self
            .db
            .notifications()
            .set_delivery(caller.user.id, kind, d)
            .await?)
    }
}
