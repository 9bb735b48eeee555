//! Accounts: signing up and in, sessions, and the athlete's sharing with a coach or clinician.
//!
//! A database without users is a single runner's, served on this computer only. The first
//! account made on it, if it is a runner's, becomes that runner (their history stays theirs);
//! every later runner gets an athlete of their own.
//!
//! Sessions are random 256-bit tokens; the database keeps only their SHA-256, so a copy of the
//! database opens no session. A session ends after [`IDLE_TIMEOUT_MS`] without a request and
//! [`ABSOLUTE_TIMEOUT_MS`] after it began, whatever happens; signing in always starts a new
//! one, and a password change ends every other.
//!
//! Failed sign-ins are counted in the database per account and per address (so the limits
//! hold across several server processes): more than [`MAX_ACCOUNT_FAILURES`] for one account,
//! or [`MAX_ADDRESS_FAILURES`] from one address, within [`THROTTLE_WINDOW_MS`] refuse further
//! tries until the window has passed.

pub mod cleanup;
mod orgs;
pub mod password;
mod people;
pub mod reset;
mod roster;
mod sharing;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use soleus_store::accounts::{AuditRow, NewUser, UserRow};
use soleus_store::{AthleteId, OrgId, UserId};

pub use orgs::{
    InvitedSignUp, MemberView, NewMember, ORG_INVITATION_LIFETIME_MS, OrgInvitationState,
    OrgInvitationView, OrgView,
};
pub use people::{CredentialsView, MAX_BIO, MAX_CREDENTIALS, PersonView, ProfileEdit};
pub use roster::{RosterRow, RosterSort, RosterView};
pub use sharing::{GrantView, InvitationState, InvitationView, NewInvitation, SharingView};
pub use soleus_store::accounts::{Level, Role};

use crate::{App, AppError, Result};

/// A session ends after this long without a request: 1 hour.
pub const IDLE_TIMEOUT_MS: i64 = 3_600_000;
/// A session ends this long after it began, however busy: 12 hours.
pub const ABSOLUTE_TIMEOUT_MS: i64 = 12 * 3_600_000;
/// The time over which failed sign-ins count: 15 minutes.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60_000;
/// Failed sign-ins to one account within the window before it refuses more.
pub const MAX_ACCOUNT_FAILURES: i64 = 5;
/// Failed sign-ins from one address within the window before it refuses more.
pub const MAX_ADDRESS_FAILURES: i64 = 20;
/// A session's last-seen time is written at most this often (not on every request).
const TOUCH_EVERY_MS: i64 = 60_000;

/// A user as others may see them and as they see themselves.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    /// Id.
    pub id: UserId,
    /// Sign-in address.
    pub email: String,
    /// The name others see.
    pub display_name: String,
    /// What they mainly are.
    pub role: Role,
    /// Their organisation.
    pub org: Option<OrgId>,
    /// The athlete they are, if they run.
    pub athlete: Option<AthleteId>,
    /// A disabled account cannot sign in.
    pub disabled: bool,
    /// When the account was made.
    pub created: DateTime<Utc>,
}

impl From<&UserRow> for UserView {
    fn from(u: &UserRow) -> UserView {
        UserView {
            id: u.id,
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
            org: u.org,
            athlete: u.athlete,
            disabled: u.disabled,
            created: DateTime::from_timestamp_millis(u.created_ms).unwrap_or_default(),
        }
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct SignUp {
    /// Sign-in address.
    pub email: String,
    /// The password, checked against [`password::check`].
    pub password: String,
    /// The name others see.
    pub display_name: String,
    /// Athlete, coach or clinician (an administrator is made with `soleus user add`).
    pub role: Role,
    /// Their organisation.
    pub org: Option<OrgId>,
}

/// A session just begun: the token goes into the cookie and nowhere else.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The session's secret (64 hex digits); only its hash is stored.
    pub token: String,
    /// Who signed in.
    pub user: UserView,
    /// When the session ends at the latest.
    pub expires: DateTime<Utc>,
}

/// The signed-in person behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who.
    pub user: UserView,
    /// The session's id.
    pub session: i64,
    /// How many of their notifications are unread (the count in every page's header).
    pub unread: i64,
}

/// SHA-256 of a token, hex: what the database keeps of a session or an invitation.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new random token: 256 bits from the operating system, hex.
pub(crate) fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(format!("the system's random source failed: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The current time, epoch ms.
pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Checks a sign-in address: one `@` with text on both sides, no spaces, at most 254
/// characters (RFC 5321's path limit). Whether mail reaches it is for the mail to tell.
pub(crate) fn check_email(email: &str) -> Result<String> {
    let e = email.trim();
    let ok = e.len() <= 254
        && !e.chars().any(char::is_whitespace)
        && matches!(e.split_once('@'), Some((l, d)) if !l.is_empty() && d.contains('.') && !d.contains('@') && !d.starts_with('.') && !d.ends_with('.'));
    if !ok {
        return Err(AppError::invalid(
            "email",
            format!("{e:?} is not an email address (like name@example.org)"),
        ));
    }
    Ok(e.to_owned())
}

fn check_name(name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 80 || n.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "display_name",
            "a name of 1 to 80 characters, as others will see it",
        ));
    }
    Ok(n.to_owned())
}

impl App {
    /// Whether the database has accounts: then every page needs a signed-in person.
    pub async fn has_accounts(&self) -> Result<bool> {
        Ok(self.db.accounts().any_user().await?)
    }

    /// Makes an account and signs it in. A runner's account becomes the database's local
    /// runner when it is the first account made (their history stays theirs), else a new
    /// athlete; a coach or clinician has no athlete of their own.
    pub async fn sign_up(&self, new: &SignUp, address: Option<&str>) -> Result<SignedIn> {
        let user = self.add_user(new).await?;
        self.audit(
            Some(user.id),
            user.athlete,
            "sign_up",
            "account made",
            address,
        )
        .await;
        self.start_session(&user).await
    }

    /// Makes an account without signing it in (`soleus user add`, or [`App::sign_up`]).
    pub async fn add_user(&self, new: &SignUp) -> Result<UserView> {
        let email = check_email(&new.email)?;
        let name = check_name(&new.display_name)?;
        password::check(&new.password, &email, &name)?;
        let accounts = self.db.accounts();
        if accounts.user_by_email(&email).await?.is_some() {
            return Err(AppError::Conflict(format!(
                "an account with the address {email} exists: sign in, or use another address"
            )));
        }
        let first = !accounts.any_user().await?;
        let hash = password::hash(&new.password).await?;
        let id = accounts
            .add_user(&NewUser {
                email: &email,
                password_hash: &hash,
                display_name: &name,
                role: new.role,
                org: new.org,
            })
            .await?;
        if new.role == Role::Athlete {
            let local = self.db.local_athlete().await?;
            let claimed = if first {
                accounts.claim_athlete(id, Some(local)).await.ok()
            } else {
                None
            };
            if claimed.is_none() {
                accounts.claim_athlete(id, None).await?;
            }
        }
        let row = accounts.user(id).await?.ok_or(AppError::NotFound {
            what: "user",
            id: id.to_string(),
        })?;
        Ok(UserView::from(&row))
    }

    /// Every account (`soleus user list`).
    pub async fn users(&self) -> Result<Vec<UserView>> {
        Ok(self
            .db
            .accounts()
            .users()
            .await?
            .iter()
            .map(UserView::from)
            .collect())
    }

    /// Disables (or enables again) an account by its address; disabling ends its sessions.
    pub async fn set_user_disabled(&self, email: &str, disabled: bool) -> Result<UserView> {
        let accounts = self.db.accounts();
        let user =
            accounts
                .user_by_email(email.trim())
                .await?
                .ok_or_else(|| AppError::NotFound {
                    what: "account",
                    id: email.trim().to_owned(),
                })?;
        accounts.set_disabled(user.id, disabled).await?;
        let action = if disabled { "disable" } else { "enable" };
        self.audit(Some(user.id), None, action, "account", None)
            .await;
        let row = accounts.user(user.id).await?.unwrap_or(user);
        Ok(UserView::from(&row))
    }

    /// Adds an organisation (`soleus org add`).
    pub async fn add_org(&self, name: &str) -> Result<OrgId> {
        Ok(self.db.accounts().add_org(name).await?)
    }

    /// Every organisation, with its name (`soleus org list`).
    pub async fn orgs(&self) -> Result<Vec<(OrgId, String)>> {
        Ok(self.db.accounts().orgs().await?)
    }

    /// Refuses with [`AppError::Throttled`] (and audits `action`) when any key has had its
    /// limit of attempts within the throttle window before `now`; the wait is until its
    /// oldest counted attempt leaves the window.
    pub(crate) async fn throttle(
        &self,
        keys: &[(&str, i64)],
        now: i64,
        action: &str,
        address: Option<&str>,
    ) -> Result<()> {
        let accounts = self.db.accounts();
        for (key, max) in keys {
            let (attempts, latest) = accounts
                .login_failures(key, now - THROTTLE_WINDOW_MS)
                .await?;
            if attempts >= *max {
                let retry_after_s = ((latest.unwrap_or(now) + THROTTLE_WINDOW_MS - now) / 1000)
                    .clamp(1, THROTTLE_WINDOW_MS / 1000) as u64;
                self.audit(None, None, action, key, address).await;
                return Err(AppError::Throttled { retry_after_s });
            }
        }
        Ok(())
    }

    /// Signs in with an address and password, from `address` (the request's IP, for the
    /// throttle and the audit log). Wrong address and wrong password get the same answer,
    /// after the same work.
    pub async fn sign_in(
        &self,
        email: &str,
        secret: &str,
        address: Option<&str>,
    ) -> Result<SignedIn> {
        let accounts = self.db.accounts();
        let now = now_ms();
        let account_key = format!("account:{}", email.trim().to_lowercase());
        let address_key = address.map(|a| format!("address:{a}"));
        let mut keys = vec![(account_key.as_str(), MAX_ACCOUNT_FAILURES)];
        if let Some(k) = &address_key {
            keys.push((k.as_str(), MAX_ADDRESS_FAILURES));
        }
        self.throttle(&keys, now, "sign_in_throttled", address)
            .await?;
        let user = accounts.user_by_email(email.trim()).await?;
        let hash = user.as_ref().map(|u| u.password_hash.as_str());
        let matched = password::verify(secret, hash).await?;
        match user {
            Some(u) if matched && !u.disabled => {
                accounts.clear_login_failures(&account_key).await?;
                self.audit(Some(u.id), None, "sign_in", "signed in", address)
                    .await;
                self.start_session(&UserView::from(&u)).await
            }
            other => {
                let keys: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
                accounts.add_login_failure(&keys, now).await?;
                self.audit(
                    other.map(|u| u.id),
                    None,
                    "sign_in_refused",
                    "wrong address or password, or a disabled account",
                    address,
                )
                .await;
                Err(AppError::Unauthenticated(
                    "the address or the password is wrong".into(),
                ))
            }
        }
    }

    async fn start_session(&self, user: &UserView) -> Result<SignedIn> {
        let token = new_token()?;
        let now = now_ms();
        let expires = now + ABSOLUTE_TIMEOUT_MS;
        self.db
            .accounts()
            .add_session(&token_hash(&token), user.id, now, expires)
            .await?;
        Ok(SignedIn {
            token,
            user: user.clone(),
            expires: DateTime::from_timestamp_millis(expires).unwrap_or_default(),
        })
    }

    /// The signed-in person a session token names, if the session is in force: not ended,
    /// not idle for [`IDLE_TIMEOUT_MS`], not older than [`ABSOLUTE_TIMEOUT_MS`], and its
    /// account not disabled. A session past either time-out is ended here.
    pub async fn caller(&self, token: &str) -> Result<Option<Caller>> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let accounts = self.db.accounts();
        let hash = token_hash(token);
        let Some(session) = accounts.session(&hash).await? else {
            return Ok(None);
        };
        let now = now_ms();
        if now >= session.expires_ms
            || now - session.created_ms >= ABSOLUTE_TIMEOUT_MS
            || now - session.last_seen_ms >= IDLE_TIMEOUT_MS
        {
            accounts.end_session(&hash).await?;
            return Ok(None);
        }
        let Some(user) = accounts.user(session.user).await? else {
            return Ok(None);
        };
        if user.disabled {
            accounts.end_session(&hash).await?;
            return Ok(None);
        }
        if now - session.last_seen_ms >= TOUCH_EVERY_MS {
            accounts.touch_session(session.id, now).await?;
        }
        let unread = self.db.notifications().unread_count(user.id).await?;
        Ok(Some(Caller {
            user: UserView::from(&user),
            session: session.id,
            unread,
        }))
    }

    /// Ends the session a token names.
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        Ok(self.db.accounts().end_session(&token_hash(token)).await?)
    }

    /// Ends every session of the caller, this one included ("sign out everywhere").
    pub async fn sign_out_everywhere(&self, caller: &Caller) -> Result<u64> {
        let n = self
            .db
            .accounts()
            .end_sessions(caller.user.id, None)
            .await?;
        self.audit(
            Some(caller.user.id),
            None,
            "sign_out_everywhere",
            &format!("{n} sessions ended"),
            None,
        )
        .await;
        Ok(n)
    }

    /// Changes the caller's password after checking the current one, and ends every other
    /// session of theirs (`token` is the one in use, which stays).
    pub async fn change_password(
        &self,
        caller: &Caller,
        token: &str,
        current: &str,
        new: &str,
    ) -> Result<()> {
        let accounts = self.db.accounts();
        let user = accounts
            .user(caller.user.id)
            .await?
            .ok_or(AppError::Unauthenticated("sign in again".into()))?;
        if !password::verify(current, Some(&user.password_hash)).await? {
            return Err(AppError::invalid(
                "current_password",
                "the current password is wrong",
            ));
        }
        password::check(new, &user.email, &user.display_name)?;
        let hash = password::hash(new).await?;
        accounts.set_password_hash(user.id, &hash).await?;
        accounts
            .end_sessions(user.id, Some(&token_hash(token)))
            .await?;
        self.audit(
            Some(user.id),
            None,
            "password_change",
            "other sessions ended",
            None,
        )
        .await;
        Ok(())
    }

    /// The app of one athlete of this database: every use case, on their data. The front end
    /// decides who may ask for whom (the caller's own athlete, or one shared with them).
    pub fn as_athlete(&self, athlete: AthleteId) -> App {
        App {
            db: self.db.clone(),
            store: self.db.athlete(athlete),
            url: self.url.clone(),
        }
    }

    /// Another handle on the same database and athlete (for a task that outlives a request).
    pub fn clone_handle(&self) -> App {
        self.as_athlete(self.athlete_id())
    }

    /// The athlete this app is scoped to.
    pub fn athlete_id(&self) -> AthleteId {
        self.store.athlete_id()
    }

    /// Appends to the audit log; a failure to write it is logged, never the request's.
    pub(crate) async fn audit(
        &self,
        user: Option<UserId>,
        athlete: Option<AthleteId>,
        action: &str,
        detail: &str,
        address: Option<&str>,
    ) {
        let row = AuditRow {
            at_ms: now_ms(),
            user,
            athlete,
            action: action.into(),
            detail: detail.into(),
            address: address.map(str::to_owned),
        };
        if let Err(e) = self.db.accounts().audit(&row).await {
            tracing::warn!("cannot write the audit log ({action}): {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_only_their_hash_is_kept() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        // SHA-256 of "abc", FIPS 180-2 appendix B.1.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn addresses_and_names() {
        assert_eq!(
            check_email("  ana@example.org ").unwrap(),
            "ana@example.org"
        );
        for bad in [
            "ana",
            "ana@",
            "@example.org",
            "a b@example.org",
            "ana@example",
            "a@b@c.org",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_name(" ").is_err());
        assert!(check_name(&"x".repeat(81)).is_err());
        assert_eq!(check_name(" Ana K. ").unwrap(), "Ana K.");
    }
}
