//! Notifications: what a signed-in person is told — a comment or reply on their data or in a
//! thread they wrote in, an invitation to share, a shared athlete's red flag — in an inbox
//! with an unread count, bundled, and switched on (in the app) or off per kind.
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
];

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
    /// `in_app` or `off`.
    pub delivery: Delivery,
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
    let p: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
    let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    let own = row.athlete.is_some() && row.athlete == me.user.athlete;
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
        other => (format!("Something happened ({other})"), "/".into()),
    };
    NotificationView {
        id: row.id,
        kind: row.kind.clone(),
        text,
        link,
        count: n,
        at: when(row.updated_ms),
        read: row.read_ms.is_some(),
    }
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
            if self.delivery(user, kind).await? == Delivery::Off {
                return Ok(());
            }
            self.db
                .notifications()
                .notify(
                    &NewNotification {
                        user,
                        athlete,
                        medical,
                        kind,
                        bundle_key,
                        payload: &payload.to_string(),
                    },
                    now_ms(),
                    BUNDLE_WINDOW_MS,
                )
                .await?;
            Ok::<(), AppError>(())
        };
        if let Err(e) = told.await {
            tracing::warn!("cannot record a notification ({kind}): {e}");
        }
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
        // The store keeps `email` as well; until notification mail is sent, it is not offered.
        let d = Delivery::parse(delivery)
            .filter(|d| *d != Delivery::Email)
            .ok_or_else(|| AppError::invalid("delivery", "choose in_app or off"))?;
        Ok(self
            .db
            .notifications()
            .set_delivery(caller.user.id, kind, d)
            .await?)
    }
}
