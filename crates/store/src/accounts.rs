//! [`Accounts`]: the people of a database — organisations, users and their sessions, the
//! sign-in throttle, what each user may see of an athlete (grants), an athlete's invitations
//! to share, and the audit log.
//!
//! The store keeps what it is given: passwords arrive hashed and tokens as their SHA-256, so
//! nothing secret is ever written. Deciding who may do what is the application layer's work.

use serde::{Deserialize, Serialize};

use crate::{AthleteId, OrgId, StoreError, UserId};

/// Defines a small enum stored as lower-case text, with its spellings both ways.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (and serialised) spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value a stored spelling names.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// What a user mainly is. A coach or clinician who also runs has an athlete of their own as
    /// well; what they may see of others comes from grants, not from this.
    Role {
        /// A runner.
        Athlete => "athlete",
        /// A coach: training, not the medical scope unless the athlete adds it.
        Coach => "coach",
        /// A clinician (physiotherapist, sports doctor): the medical scope by default.
        Clinician => "clinician",
        /// An organisation's administrator.
        Admin => "admin",
    }
);

text_enum!(
    /// How much a grant lets its holder do with an athlete's data.
    Level {
        /// Read.
        View => "view",
        /// Read and comment.
        Comment => "comment",
        /// Read, comment and change the plan.
        Edit => "edit",
    }
);

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Sign-in address; unique whatever its case.
    pub email: &'a str,
    /// Argon2id in PHC string form (never the password).
    pub password_hash: &'a str,
    /// The name others see.
    pub display_name: &'a str,
    /// What they mainly are.
    pub role: Role,
    /// Their organisation, if any.
    pub org: Option<OrgId>,
}

/// A stored user.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    /// Id.
    pub id: UserId,
    /// Their organisation.
    pub org: Option<OrgId>,
    /// Sign-in address, as they typed it.
    pub email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// The name others see.
    pub display_name: String,
    /// What they mainly are.
    pub role: Role,
    /// When the account was made, epoch ms.
    pub created_ms: i64,
    /// A disabled account cannot sign in, and its sessions are ended.
    pub disabled: bool,
    /// The athlete they are, if they run.
    pub athlete: Option<AthleteId>,
}

/// A signed-in session, found by the hash of its cookie's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRow {
    /// Id.
    pub id: i64,
    /// Whose.
    pub user: UserId,
    /// When it began (the absolute time-out counts from here), epoch ms.
    pub created_ms: i64,
    /// The last request (the idle time-out counts from here), epoch ms.
    pub last_seen_ms: i64,
    /// When it ends whatever happens, epoch ms.
    pub expires_ms: i64,
}

/// A grant: a user who may see an athlete's data.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantRow {
    /// Id.
    pub id: i64,
    /// Whose data.
    pub athlete: AthleteId,
    /// The athlete's name.
    pub athlete_name: Option<String>,
    /// Who may see it.
    pub user: UserId,
    /// Their name.
    pub user_name: String,
    /// Their role.
    pub user_role: Role,
    /// What they may do.
    pub level: Level,
    /// Whether check-ins, assessments, questionnaires and clinician notes are included.
    pub medical: bool,
    /// Since when, epoch ms.
    pub created_ms: i64,
}

/// An athlete's invitation to share, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareInvitationRow {
    /// Id.
    pub id: i64,
    /// Whose data it shares.
    pub athlete: AthleteId,
    /// The one address that may accept it.
    pub email: String,
    /// Coach or clinician.
    pub role: Role,
    /// The grant's level once accepted.
    pub level: Level,
    /// Whether the grant includes the medical scope.
    pub medical: bool,
    /// When it was made, epoch ms.
    pub created_ms: i64,
    /// When it stops opening anything, epoch ms.
    pub expires_ms: i64,
    /// When it was accepted.
    pub used_ms: Option<i64>,
    /// When the athlete withdrew it.
    pub withdrawn_ms: Option<i64>,
}

/// An invitation to add.
#[derive(Debug, Clone)]
pub struct NewShareInvitation<'a> {
    /// The address that may accept it.
    pub email: &'a str,
    /// Coach or clinician.
    pub role: Role,
    /// The grant's level.
    pub level: Level,
    /// Whether the grant includes the medical scope.
    pub medical: bool,
    /// SHA-256 of the token, hex.
    pub token_hash: &'a str,
    /// When it stops opening anything, epoch ms.
    pub expires_ms: i64,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    /// When, epoch ms.
    pub at_ms: i64,
    /// Who acted (none: someone not signed in).
    pub user: Option<UserId>,
    /// Whose data it concerned.
    pub athlete: Option<AthleteId>,
    /// What happened (`sign_in`, `sign_in_refused`, `grant`, `revoke`, `medical_view`, …).
    pub action: String,
    /// In words, never a secret.
    pub detail: String,
    /// The address the request came from.
    pub address: Option<String>,
}

/// The people of a database: see the [module](self).
#[async_trait::async_trait]
pub trait Accounts: Send + Sync + std::fmt::Debug {
    /// Adds an organisation (a club, a clinic). [`StoreError::Invalid`] for an empty name.
    async fn add_org(&self, name: &str) -> Result<OrgId, StoreError>;

    /// Every organisation, by id, with its name.
    async fn orgs(&self) -> Result<Vec<(OrgId, String)>, StoreError>;

    /// Whether the database has any user: a database without one is a single runner's.
    async fn any_user(&self) -> Result<bool, StoreError>;

    /// Adds a user. [`StoreError::Invalid`] when the address is taken (whatever its case) or
    /// the organisation does not exist.
    async fn add_user(&self, user: &NewUser<'_>) -> Result<UserId, StoreError>;

    /// A user by id.
    async fn user(&self, id: UserId) -> Result<Option<UserRow>, StoreError>;

    /// A user by sign-in address, whatever its case.
    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError>;

    /// Every user, by id.
    async fn users(&self) -> Result<Vec<UserRow>, StoreError>;

    /// Disables or re-enables an account; disabling ends its sessions. False when there is no
    /// such user.
    async fn set_disabled(&self, id: UserId, disabled: bool) -> Result<bool, StoreError>;

    /// Replaces a user's password hash.
    async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<(), StoreError>;

    /// Links a user to an athlete: the local runner of a database that had no accounts
    /// becomes theirs, or a new athlete named after them. Returns the athlete.
    async fn claim_athlete(
        &self,
        user: UserId,
        athlete: Option<AthleteId>,
    ) -> Result<AthleteId, StoreError>;

    /// Starts a session under the hash of its token.
    async fn add_session(
        &self,
        token_hash: &str,
        user: UserId,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<(), StoreError>;

    /// The session a token's hash names, if it exists (expired or not: the caller decides).
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError>;

    /// Notes a request on a session (the idle time-out starts again).
    async fn touch_session(&self, id: i64, now_ms: i64) -> Result<(), StoreError>;

    /// Ends one session.
    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Ends every session of a user but the one whose hash is `except`; how many ended.
    async fn end_sessions(&self, user: UserId, except: Option<&str>) -> Result<u64, StoreError>;

    /// Removes what has run out: sessions past their end, and throttle rows, invitations,
    /// offers to share and reset links that ended (expired, used or withdrawn) before
    /// `before_ms`, and account mails sent or given up before it (their link is already
    /// cleared). On PostgreSQL a transaction-level advisory lock makes one process do it
    /// when several try at once: the others get `None`.
    async fn purge(&self, now_ms: i64, before_ms: i64) -> Result<Option<Purged>, StoreError>;

    /// Records a failed sign-in under each key.
    async fn add_login_failure(&self, keys: &[&str], now_ms: i64) -> Result<(), StoreError>;

    /// How many failures a key has had since `since_ms`, and the latest one's time.
    async fn login_failures(
        &self,
        key: &str,
        since_ms: i64,
    ) -> Result<(i64, Option<i64>), StoreError>;

    /// Forgets a key's failures (after a successful sign-in).
    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError>;

    /// Grants a user access to an athlete's data, ending any grant they had before (at most
    /// one is in force). Returns the grant's id.
    async fn add_grant(
        &self,
        athlete: AthleteId,
        user: UserId,
        level: Level,
        medical: bool,
        now_ms: i64,
    ) -> Result<i64, StoreError>;

    /// The grant in force for a user on an athlete, if any.
    async fn live_grant(
        &self,
        athlete: AthleteId,
        user: UserId,
    ) -> Result<Option<GrantRow>, StoreError>;

    /// Every grant in force on an athlete's data, oldest first.
    async fn grants_on(&self, athlete: AthleteId) -> Result<Vec<GrantRow>, StoreError>;

    /// Every grant in force held by a user (the athletes they look after), by athlete.
    async fn grants_held(&self, user: UserId) -> Result<Vec<GrantRow>, StoreError>;

    /// The distance unit a user reads in (`km` or `miles`), for one without an athlete
    /// profile of their own; `None` when never chosen.
    async fn user_units(&self, user: UserId) -> Result<Option<String>, StoreError>;

    /// Sets the distance unit a user reads in.
    async fn set_user_units(&self, user: UserId, units: &str) -> Result<(), StoreError>;

    /// Up to `limit` athletes someone holds a grant on whose roster facts do not hold at
    /// `now_ms` (none stored, their data changed since, or their day ended), by athlete.
    async fn stale_facts(&self, now_ms: i64, limit: i64) -> Result<Vec<AthleteId>, StoreError>;

    /// The stored roster facts of every athlete a user holds a grant in force on, by athlete
    /// (one statement, however many athletes).
    async fn held_facts(&self, user: UserId) -> Result<Vec<crate::days::HeldFacts>, StoreError>;

    /// Revokes one of an athlete's grants, and withdraws the notifications it brought. False
    /// when the athlete has no such grant in force.
    async fn revoke_grant(
        &self,
        athlete: AthleteId,
        grant: i64,
        now_ms: i64,
    ) -> Result<bool, StoreError>;

    /// Stores an athlete's invitation to share.
    async fn add_share_invitation(
        &self,
        athlete: AthleteId,
        invitation: &NewShareInvitation<'_>,
        now_ms: i64,
    ) -> Result<i64, StoreError>;

    /// The invitation a token's hash names, if any.
    async fn share_invitation(
        &self,
        token_hash: &str,
    ) -> Result<Option<ShareInvitationRow>, StoreError>;

    /// An athlete's invitations not yet accepted, withdrawn or expired, newest first.
    async fn open_share_invitations(
        &self,
        athlete: AthleteId,
        now_ms: i64,
    ) -> Result<Vec<ShareInvitationRow>, StoreError>;

    /// Accepts an invitation for `user`: marks it used and grants what it offers, in one
    /// transaction. False, and nothing changes, when it was already used, withdrawn or has
    /// expired (so a token opens at most once, even when two requests race).
    async fn accept_share_invitation(
        &self,
        id: i64,
        user: UserId,
        now_ms: i64,
    ) -> Result<bool, StoreError>;

    /// Withdraws one of an athlete's open invitations. False when it is not open.
    async fn withdraw_share_invitation(
        &self,
        athlete: AthleteId,
        id: i64,
        now_ms: i64,
    ) -> Result<bool, StoreError>;

    /// Appends to the audit log.
    async fn audit(&self, row: &AuditRow) -> Result<(), StoreError>;

    /// The audit log about an athlete, or by a user, newest first, at most `limit` lines.
    async fn audit_log(
        &self,
        athlete: Option<AthleteId>,
        user: Option<UserId>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, StoreError>;
}

/// What [`Accounts::purge`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Sessions past their end.
    pub sessions: u64,
    /// Failed sign-ins older than the throttle looks back.
    pub login_failures: u64,
    /// Organisation invitations, offers to share and reset links that ended.
    pub invitations: u64,
    /// Account mails sent or given up.
    pub mails: u64,
}
