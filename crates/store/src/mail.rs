//! [`Mail`]: what sending mail needs to remember — one row per digest sent (or being sent), so
//! a digest goes out at most once whatever crashes or how many processes send, and what each
//! recipient chose to receive.
//!
//! A digest row moves `claimed` → `sending` → `sent`. The claim has a lease: a process that
//! stops before it starts the SMTP transaction loses nothing, since another takes the claim
//! over once the lease has run out. A row left `sending` is never sent again: the server may
//! have taken the message, and a digest twice is the one thing not allowed. A refused
//! delivery is `failed`, retried from `next_attempt_ms` while attempts remain.

use serde::{Deserialize, Serialize};

use crate::StoreError;

text_enum!(
    /// Which digest.
    DigestKind {
        /// An athlete's own week.
        Athlete => "athlete",
        /// A coach's or clinician's week of the athletes they look after.
        Roster => "roster",
    }
);

text_enum!(
    /// Where a digest row stands.
    DigestState {
        /// Being made by `claimed_by` until the lease runs out.
        Claimed => "claimed",
        /// Being handed to the SMTP server: never sent again.
        Sending => "sending",
        /// Accepted by the SMTP server.
        Sent => "sent",
        /// Refused or not delivered; retried from `next_attempt_ms`, if set.
        Failed => "failed",
        /// Nothing to send (the recipient opted out, or has nothing to show).
        Skipped => "skipped",
    }
);

/// Which digest of which week, for whom.
#[derive(Debug, Clone, Copy)]
pub struct DigestKey<'a> {
    /// `user:ID`, or `athlete:ID` for the runner of a database without accounts.
    pub recipient: &'a str,
    /// Which digest.
    pub kind: DigestKind,
    /// The ISO week it covers, `2026-W48`.
    pub week: &'a str,
}

/// A digest row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRow {
    /// Id.
    pub id: i64,
    /// `user:ID` or `athlete:ID`.
    pub recipient: String,
    /// Which digest.
    pub kind: DigestKind,
    /// The ISO week.
    pub week: String,
    /// The address it goes (or went) to.
    pub email: String,
    /// Where it stands.
    pub state: DigestState,
    /// The process that claimed it last.
    pub claimed_by: String,
    /// Until when the claim holds, epoch ms.
    pub lease_until_ms: i64,
    /// Deliveries tried.
    pub attempts: i64,
    /// When a failed delivery is tried again; none: not again.
    pub next_attempt_ms: Option<i64>,
    /// When the row was made, epoch ms.
    pub created_ms: i64,
    /// When it last changed, epoch ms.
    pub updated_ms: i64,
    /// The sent message's Message-ID.
    pub message_id: Option<String>,
    /// Why the last delivery failed.
    pub error: Option<String>,
}

/// What sending mail remembers: see the [module](self).
#[async_trait::async_trait]
pub trait Mail: Send + Sync + std::fmt::Debug {
    /// Claims a digest for `worker` until `now_ms + lease_ms`: a new row, or one whose claim
    /// ran out before it was sent, or a failed one due again. `None` when another process
    /// holds it or it is done (sent, sending, skipped, or failed for good): nothing to do.
    async fn claim_digest(
        &self,
        key: &DigestKey<'_>,
        email: &str,
        worker: &str,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<Option<DigestRow>, StoreError>;

    /// Marks a claimed digest as being handed over, counting the attempt. False, and the mail
    /// must not be sent, when the claim is no longer `worker`'s.
    async fn digest_sending(&self, id: i64, worker: &str, now_ms: i64) -> Result<bool, StoreError>;

    /// Marks a digest `sent` (with its Message-ID) or `skipped`.
    async fn digest_done(
        &self,
        id: i64,
        worker: &str,
        now_ms: i64,
        state: DigestState,
        message_id: Option<&str>,
    ) -> Result<bool, StoreError>;

    /// Marks a digest `failed`, to be tried again from `next_attempt_ms` (none: never).
    async fn digest_failed(
        &self,
        id: i64,
        worker: &str,
        now_ms: i64,
        error: &str,
        next_attempt_ms: Option<i64>,
    ) -> Result<bool, StoreError>;

    /// The digest rows of a week (every week: `None`), by week and id.
    async fn digests(&self, week: Option<&str>) -> Result<Vec<DigestRow>, StoreError>;

    /// Whether a recipient chose to receive a digest kind; `None`: they never said.
    async fn mail_preference(
        &self,
        recipient: &str,
        kind: DigestKind,
    ) -> Result<Option<bool>, StoreError>;

    /// Records a recipient's choice.
    async fn set_mail_preference(
        &self,
        recipient: &str,
        kind: DigestKind,
        enabled: bool,
        now_ms: i64,
    ) -> Result<(), StoreError>;

    /// The database setting `key`, set to `value` first if it has none: the first of several
    /// processes to ask decides it for all (a signing key, say).
    async fn setting_or_insert(&self, key: &str, value: &str) -> Result<String, StoreError>;
}
