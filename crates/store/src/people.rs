//! [`People`]: an organisation's invitations to join it, and the professional profiles of
//! its coaches and clinicians.
//!
//! As in [`crate::accounts`], tokens arrive as their SHA-256 and deciding who may do what is
//! the application layer's work; the store makes each change in one statement or
//! transaction, so a token opens at most once even when two requests race.

use crate::accounts::Role;
use crate::{OrgId, StoreError, UserId};

/// An organisation's invitation, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgInvitationRow {
    /// Id.
    pub id: i64,
    /// The organisation it joins.
    pub org: OrgId,
    /// The organisation's name.
    pub org_name: String,
    /// The one address that may use it.
    pub email: String,
    /// The role the member gets.
    pub role: Role,
    /// When it was made, epoch ms.
    pub created_ms: i64,
    /// When it stops opening anything, epoch ms.
    pub expires_ms: i64,
    /// When it was used.
    pub used_ms: Option<i64>,
}

/// A professional profile, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRow {
    /// Whose.
    pub user: UserId,
    /// Their credentials, as they wrote them.
    pub credentials: String,
    /// A short bio.
    pub bio: Option<String>,
    /// When the text last changed, epoch ms.
    pub updated_ms: i64,
    /// When their organisation's admin confirmed it (cleared by every edit).
    pub verified_ms: Option<i64>,
    /// Who confirmed it.
    pub verified_by: Option<UserId>,
}

/// Organisation invitations and profiles: see the [module](self).
#[async_trait::async_trait]
pub trait People: Send + Sync + std::fmt::Debug {
    /// Stores an organisation's invitation under the hash of its token.
    /// [`StoreError::NotFound`] when the organisation does not exist.
    async fn add_org_invitation(
        &self,
        org: OrgId,
        email: &str,
        role: Role,
        token_hash: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<i64, StoreError>;

    /// The invitation a token's hash names, if any (open or not: the caller decides).
    async fn org_invitation(
        &self,
        token_hash: &str,
    ) -> Result<Option<OrgInvitationRow>, StoreError>;

    /// An organisation's invitations not used and not expired, newest first.
    async fn open_org_invitations(
        &self,
        org: OrgId,
        now_ms: i64,
    ) -> Result<Vec<OrgInvitationRow>, StoreError>;

    /// Withdraws (deletes) one of an organisation's unused invitations. False when it has
    /// none such.
    async fn withdraw_org_invitation(&self, org: OrgId, id: i64) -> Result<bool, StoreError>;

    /// Uses an invitation for `user`: marks it used, and makes the user (and the athlete
    /// they are, if any) a member of its organisation with its role, in one transaction.
    /// False, and nothing changes, when it was used already or has expired.
    async fn use_org_invitation(
        &self,
        id: i64,
        user: UserId,
        now_ms: i64,
    ) -> Result<bool, StoreError>;

    /// A user's professional profile, if they wrote one.
    async fn profile(&self, user: UserId) -> Result<Option<ProfileRow>, StoreError>;

    /// Writes a user's profile; its verification is cleared.
    async fn set_profile(
        &self,
        user: UserId,
        credentials: &str,
        bio: Option<&str>,
        now_ms: i64,
    ) -> Result<(), StoreError>;

    /// Marks a profile verified by `by`. False when the user has no profile.
    async fn verify_profile(
        &self,
        user: UserId,
        by: UserId,
        now_ms: i64,
    ) -> Result<bool, StoreError>;
}
