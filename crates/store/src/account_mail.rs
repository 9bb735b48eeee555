//! [`AccountMail`]: what the account mails need to remember — password reset links (kept as
//! the SHA-256 of their token, bound to one user, expiring, opening once) and the outbox the
//! mails wait in until the sender delivers them.
//!
//! A request never sends mail: it adds an outbox row, `queued`. The sender claims a row with a
//! lease (`claimed`), marks it `sending` just before the SMTP transaction and `sent` after
//! it; a claim whose lease ran out is taken over, a row left `sending` is never sent again
//! (the server may have taken it). The link's secret stays in the row only until the mail is
//! sent or given up.

use serde::{Deserialize, Serialize};

use crate::{StoreError, UserId};

text_enum!(
    /// Which account mail.
    OutboxKind {
        /// A link to set a new password.
        PasswordReset => "password_reset",
        /// An athlete's invitation to share, to a coach or clinician.
        Invitation => "invitation",
        /// A notification its recipient asked to have by mail too: `about` holds its words,
        /// `link` the page's path on the server (no secret).
        Notification => "notification",
        /// An organisation's invitation to join it.
        OrgInvitation => "org_invitation",
    }
);

text_enum!(
    /// Where an outbox row stands.
    OutboxState {
        /// Waiting for the sender.
        Queued => "queued",
        /// Being made by `claimed_by` until the lease runs out.
        Claimed => "claimed",
        /// Being handed to the SMTP server: never sent again.
        Sending => "sending",
        /// Accepted by the SMTP server.
        Sent => "sent",
        /// Refused or not delivered: given up (the person asks again).
        Failed => "failed",
    }
);

/// A stored password reset link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordResetRow {
    /// Id.
    pub id: i64,
    /// The one user whose password it sets.
    pub user: UserId,
    /// When it was made, epoch ms.
    pub created_ms: i64,
    /// When it stops opening anything, epoch ms.
    pub expires_ms: i64,
    /// When it was used.
    pub used_ms: Option<i64>,
}

/// An account mail to queue.
#[derive(Debug, Clone, Copy)]
pub struct NewOutboxMail<'a> {
    /// Which mail.
    pub kind: OutboxKind,
    /// The recipient's address.
    pub email: &'a str,
    /// Their name, if known.
    pub name: Option<&'a str>,
    /// Whom the mail is about (the inviting athlete's name).
    pub about: Option<&'a str>,
    /// The link the mail carries, with its secret.
    pub link: &'a str,
}

/// An outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// Id.
    pub id: i64,
    /// Which mail.
    pub kind: OutboxKind,
    /// The recipient's address.
    pub email: String,
    /// Their name.
    pub name: Option<String>,
    /// Whom the mail is about.
    pub about: Option<String>,
    /// The link, until the mail is sent or given up.
    pub link: Option<String>,
    /// Where it stands.
    pub state: OutboxState,
    /// The process that claimed it last.
    pub claimed_by: Option<String>,
    /// Until when the claim holds, epoch ms.
    pub lease_until_ms: i64,
    /// Deliveries tried.
    pub attempts: i64,
    /// When it was queued, epoch ms.
    pub created_ms: i64,
    /// When it last changed, epoch ms.
    pub updated_ms: i64,
    /// The sent message's Message-ID.
    pub message_id: Option<String>,
    /// Why delivery failed.
    pub error: Option<String>,
}

/// What the account mails remember: see the [module](self).
#[async_trait::async_trait]
pub trait AccountMail: Send + Sync + std::fmt::Debug {
    /// Stores a reset link for `user` under the SHA-256 of its token.
    async fn add_password_reset(
        &self,
        user: UserId,
        token_hash: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<i64, StoreError>;

    /// The reset link a token's hash names, if any (used or expired: the caller decides).
    async fn password_reset(
        &self,
        token_hash: &str,
    ) -> Result<Option<PasswordResetRow>, StoreError>;

    /// Uses a reset link, in one transaction: marks it (and every other open link of its user)
    /// used, sets the user's password hash and ends every session of theirs. The user, or
    /// `None` and nothing changes when the link was used already or has expired (so a link
    /// opens at most once, even when two requests race).
    async fn use_password_reset(
        &self,
        id: i64,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<UserId>, StoreError>;

    /// Queues an account mail; returns its id.
    async fn queue_mail(&self, mail: &NewOutboxMail<'_>, now_ms: i64) -> Result<i64, StoreError>;

    /// Claims the oldest queued mail (or one whose claim ran out) for `worker` until
    /// `now_ms + lease_ms`. `None` when there is nothing to send.
    async fn claim_mail(
        &self,
        worker: &str,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<Option<OutboxRow>, StoreError>;

    /// Marks a claimed mail as being handed over, counting the attempt. False, and the mail
    /// must not be sent, when the claim is no longer `worker`'s.
    async fn mail_sending(&self, id: i64, worker: &str, now_ms: i64) -> Result<bool, StoreError>;

    /// Marks a mail `sent` with its Message-ID, and clears its link.
    async fn mail_sent(
        &self,
        id: i64,
        worker: &str,
        now_ms: i64,
        message_id: &str,
    ) -> Result<bool, StoreError>;

    /// Marks a mail `failed` for good, with why, and clears its link.
    async fn mail_failed(
        &self,
        id: i64,
        worker: &str,
        now_ms: i64,
        error: &str,
    ) -> Result<bool, StoreError>;

    /// Every outbox row, by id.
    async fn outbox(&self) -> Result<Vec<OutboxRow>, StoreError>;
}
