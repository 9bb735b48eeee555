//! Threaded comments on an athlete's data and the notifications people receive.
//!
//! Comments belong to the athlete whose data they are on, so they are reached through that
//! athlete's [`Store`](crate::Store) ([`Store::add_comment`](crate::Store::add_comment) and the
//! methods after it). Notifications belong to the person told, so they have a handle of their
//! own, [`Notifications`], from [`Database::notifications`](crate::Database::notifications).
//! Who may read or write which is the application layer's decision; the store keeps threads
//! whole (a reply's parent is in the same thread) and keeps a notification that tells of an
//! athlete only while the recipient may still see that athlete.

use serde::{Deserialize, Serialize};

use crate::accounts::Role;
use crate::{AthleteId, StoreError, UserId};

text_enum!(
    /// What a comment is on.
    TargetKind {
        /// An activity (by its id).
        Activity => "activity",
        /// A check-in (a journal entry's id).
        Checkin => "checkin",
        /// An assessment (a journal entry's id).
        Assessment => "assessment",
        /// A plan (a journal entry's id).
        Plan => "plan",
    }
);

/// A comment to add.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    /// Who writes it; `None` for the runner of a database without accounts.
    pub author: Option<UserId>,
    /// What it is on.
    pub target_kind: TargetKind,
    /// The activity's or journal entry's id.
    pub target_id: i64,
    /// The comment it replies to, which must be in the same thread.
    pub parent: Option<i64>,
    /// The text, as written.
    pub body: &'a str,
}

/// A stored comment with its author's name and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadComment {
    /// Id.
    pub id: i64,
    /// Whose data it is on.
    pub athlete: AthleteId,
    /// Who wrote it; `None`: the runner of a database without accounts.
    pub author: Option<UserId>,
    /// The author's name.
    pub author_name: Option<String>,
    /// The author's role.
    pub author_role: Option<Role>,
    /// What it is on.
    pub target_kind: TargetKind,
    /// The activity's or journal entry's id.
    pub target_id: i64,
    /// The comment it replies to.
    pub parent: Option<i64>,
    /// The text (empty once deleted).
    pub body: String,
    /// When it was written, epoch ms.
    pub created_ms: i64,
    /// When it was last edited.
    pub edited_ms: Option<i64>,
    /// When it was deleted: it keeps its place in the thread, without its text.
    pub deleted_ms: Option<i64>,
}

text_enum!(
    /// How a person wants to hear of one kind of event.
    Delivery {
        /// In the inbox of the web app.
        InApp => "in_app",
        /// In the inbox, and by email.
        Email => "email",
        /// Not at all.
        Off => "off",
    }
);

/// A notification to record.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    /// Who is told.
    pub user: UserId,
    /// The athlete it tells of, if any: it goes when the recipient's grant does.
    pub athlete: Option<AthleteId>,
    /// Whether it tells of the medical scope: shown only while the grant includes it.
    pub medical: bool,
    /// What happened (`comment`, `reply`, `invitation`, `red_flag`, …).
    pub kind: &'a str,
    /// What it is about: an unread notification of the same kind and key, last updated
    /// within the bundling window, takes this one in (its count goes up).
    pub bundle_key: &'a str,
    /// A JSON document of the kind's own shape (the latest event's, when bundled).
    pub payload: &'a str,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRow {
    /// Id.
    pub id: i64,
    /// Who is told.
    pub user: UserId,
    /// The athlete it tells of.
    pub athlete: Option<AthleteId>,
    /// What happened.
    pub kind: String,
    /// What it is about.
    pub bundle_key: String,
    /// The latest event's document.
    pub payload: String,
    /// How many events it bundles (1 or more).
    pub count: i64,
    /// When the first came, epoch ms.
    pub created_ms: i64,
    /// When the last came, epoch ms.
    pub updated_ms: i64,
    /// When it was read.
    pub read_ms: Option<i64>,
}

/// What each person is told: see the [module](self).
#[async_trait::async_trait]
pub trait Notifications: Send + Sync + std::fmt::Debug {
    /// Records an event for its recipient, bundled into their unread notification of the same
    /// kind and key when that was last updated at or after `now_ms - window_ms`. Returns the
    /// row's id and whether it was new.
    async fn notify(
        &self,
        n: &NewNotification<'_>,
        now_ms: i64,
        window_ms: i64,
    ) -> Result<(i64, bool), StoreError>;

    /// A user's notifications they may still see, latest first, at most `limit`: one that
    /// tells of an athlete only while the user is that athlete or holds a grant in force on
    /// them (with the medical scope, for one marked medical).
    async fn notifications(
        &self,
        user: UserId,
        limit: i64,
    ) -> Result<Vec<NotificationRow>, StoreError>;

    /// How many of those are unread.
    async fn unread_count(&self, user: UserId) -> Result<i64, StoreError>;

    /// Marks one of the user's notifications read. False when they have no such unread one.
    async fn mark_read(&self, user: UserId, id: i64, now_ms: i64) -> Result<bool, StoreError>;

    /// Marks every notification of the user read; how many were unread.
    async fn mark_all_read(&self, user: UserId, now_ms: i64) -> Result<u64, StoreError>;

    /// The user's choices, by kind (kinds they never chose are absent).
    async fn deliveries(&self, user: UserId) -> Result<Vec<(String, Delivery)>, StoreError>;

    /// Records the user's choice for a kind.
    async fn set_delivery(
        &self,
        user: UserId,
        kind: &str,
        delivery: Delivery,
    ) -> Result<(), StoreError>;
}
