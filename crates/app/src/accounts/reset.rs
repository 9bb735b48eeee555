//! Password reset by an emailed single-use link, and the outbox the account mails wait in.
//!
//! Asking for a link always gets the same answer, whether an account has the address or not,
//! so the page tells nobody who has an account. Requests are counted in the database per
//! address typed and per requesting address, like failed sign-ins, so the limits hold across
//! processes. A link is a random 256-bit token; the database keeps its SHA-256. It opens
//! once, for the one user it was made for, within [`RESET_LIFETIME_MS`]; using it sets the
//! password (by the sign-up rules) and ends every session of that user.
//!
//! Nothing here sends mail: a request queues it ([`App::queue_account_mail`]) and the sender
//! loop of `soleus serve` or `soleus worker` delivers it, at most once, through the
//! [`AccountOutbox`].

pub use soleus_store::account_mail::{NewOutboxMail, OutboxKind, OutboxRow, OutboxState};
use soleus_store::accounts::AuditRow;
use soleus_store::{AccountMail, UserId};

use super::{UserView, new_token, now_ms, password, token_hash};
use crate::{App, AppError, Result};

/// How long a reset link opens: 30 minutes.
pub const RESET_LIFETIME_MS: i64 = 30 * 60_000;
/// Reset requests for one address typed within the window before more are refused.
pub const MAX_RESETS_PER_ACCOUNT: i64 = 3;
/// Reset requests from one requesting address within the window before more are refused.
pub const MAX_RESETS_PER_ADDRESS: i64 = 20;
/// How long a sender holds its claim on an outbox mail before another may take it: 5 minutes.
pub const OUTBOX_LEASE_MS: i64 = 5 * 60_000;

/// The path of a reset link, without the site's address.
pub fn reset_path(token: &str) -> String {
    format!("/password/reset/{token}")
}

impl App {
    /// Someone asks for a reset link for `email`, from `address` (the request's IP). Queues
    /// a mail with a link to `public_url` when an enabled account has the address; answers
    /// the same either way. [`AppError::Throttled`] past the limits.
    pub async fn forgot_password(
        &self,
        email: &str,
        address: Option<&str>,
        public_url: &str,
    ) -> Result<()> {
        let accounts = self.db.accounts();
        let now = now_ms();
        let account_key = format!("reset:account:{}", email.trim().to_lowercase());
        let address_key = address.map(|a| format!("reset:address:{a}"));
        let mut keys = vec![(account_key.as_str(), MAX_RESETS_PER_ACCOUNT)];
        if let Some(k) = &address_key {
            keys.push((k.as_str(), MAX_RESETS_PER_ADDRESS));
        }
        self.throttle(&keys, now, "password_reset_throttled", address)
            .await?;
        let keys: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
        accounts.add_login_failure(&keys, now).await?;
        let Some(user) = accounts.user_by_email(email.trim()).await? else {
            return Ok(());
        };
        if user.disabled {
            return Ok(());
        }
        let token = new_token()?;
        self.db
            .account_mail()
            .add_password_reset(user.id, &token_hash(&token), now, now + RESET_LIFETIME_MS)
            .await?;
        let link = format!("{}{}", public_url.trim_end_matches('/'), reset_path(&token));
        self.queue_account_mail(&NewOutboxMail {
            kind: OutboxKind::PasswordReset,
            email: &user.email,
            name: Some(&user.display_name),
            about: None,
            link: &link,
        })
        .await?;
        self.audit(
            Some(user.id),
            None,
            "password_reset_requested",
            "a reset link was mailed",
            address,
        )
        .await;
        Ok(())
    }

    /// Whether a reset link's token opens: known, unused and not expired. Changes nothing.
    pub async fn reset_link_open(&self, token: &str) -> Result<bool> {
        if !is_token(token) {
            return Ok(false);
        }
        let row = self
            .db
            .account_mail()
            .password_reset(&token_hash(token))
            .await?;
        Ok(row.is_some_and(|r| r.used_ms.is_none() && r.expires_ms > now_ms()))
    }

    /// Sets a new password with a reset link's token: by the sign-up rules, once, before the
    /// link expires. Ends every session of the user, and writes the audit log.
    pub async fn reset_password(
        &self,
        token: &str,
        new: &str,
        address: Option<&str>,
    ) -> Result<UserView> {
        let closed = || {
            AppError::invalid(
                "token",
                "this link has expired or was used already: ask for a new one",
            )
        };
        if !is_token(token) {
            return Err(closed());
        }
        let mail = self.db.account_mail();
        let row = mail
            .password_reset(&token_hash(token))
            .await?
            .ok_or_else(closed)?;
        let now = now_ms();
        if row.used_ms.is_some() || row.expires_ms <= now {
            return Err(closed());
        }
        let accounts = self.db.accounts();
        let user = accounts.user(row.user).await?.ok_or_else(closed)?;
        password::check(new, &user.email, &user.display_name)?;
        let hash = password::hash(new).await?;
        mail.use_password_reset(row.id, &hash, now_ms())
            .await?
            .ok_or_else(closed)?;
        self.audit(
            Some(user.id),
            None,
            "password_reset",
            "password set by a reset link; every session ended",
            address,
        )
        .await;
        let row = accounts.user(user.id).await?.unwrap_or(user);
        Ok(UserView::from(&row))
    }

    /// Sets an account's password as the administrator (`soleus user reset-password`): by
    /// the sign-up rules; ends every session of theirs.
    pub async fn set_user_password(&self, email: &str, new: &str) -> Result<UserView> {
        let accounts = self.db.accounts();
        let user =
            accounts
                .user_by_email(email.trim())
                .await?
                .ok_or_else(|| AppError::NotFound {
                    what: "account",
                    id: email.trim().to_owned(),
                })?;
        password::check(new, &user.email, &user.display_name)?;
        let hash = password::hash(new).await?;
        accounts.set_password_hash(user.id, &hash).await?;
        accounts.end_sessions(user.id, None).await?;
        self.audit(
            Some(user.id),
            None,
            "password_set",
            "password set by the administrator; every session ended",
            None,
        )
        .await;
        Ok(UserView::from(&user))
    }

    /// The newest `limit` lines of the audit log about a user's account (an administrator's
    /// view).
    pub async fn account_audit(&self, user: UserId, limit: i64) -> Result<Vec<AuditRow>> {
        Ok(self
            .db
            .accounts()
            .audit_log(None, Some(user), limit)
            .await?)
    }

    /// Queues an account mail for the sender loop.
    pub async fn queue_account_mail(&self, mail: &NewOutboxMail<'_>) -> Result<i64> {
        Ok(self.db.account_mail().queue_mail(mail, now_ms()).await?)
    }

    /// The account mails' outbox, claiming as `worker`.
    pub fn account_outbox(&self, worker: &str) -> AccountOutbox {
        AccountOutbox {
            mail: self.db.account_mail(),
            worker: worker.to_owned(),
        }
    }
}

/// A token as the app makes them: 64 hex digits.
fn is_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The account mails waiting to be sent, as one sending process sees them.
#[derive(Debug)]
pub struct AccountOutbox {
    mail: Box<dyn AccountMail>,
    worker: String,
}

impl AccountOutbox {
    /// The next mail to send, claimed for this process; `None` when none waits.
    pub async fn claim(&self, now_ms: i64) -> Result<Option<OutboxRow>> {
        Ok(self
            .mail
            .claim_mail(&self.worker, now_ms, OUTBOX_LEASE_MS)
            .await?)
    }

    /// Just before the SMTP transaction: false, and the mail must not be sent, when the claim
    /// was lost.
    pub async fn sending(&self, row: &OutboxRow) -> Result<bool> {
        Ok(self
            .mail
            .mail_sending(row.id, &self.worker, now_ms())
            .await?)
    }

    /// The server took the mail: its link's secret is cleared.
    pub async fn sent(&self, row: &OutboxRow, message_id: &str) -> Result<bool> {
        Ok(self
            .mail
            .mail_sent(row.id, &self.worker, now_ms(), message_id)
            .await?)
    }

    /// The mail could not be made or delivered: given up, its link's secret cleared.
    pub async fn failed(&self, row: &OutboxRow, error: &str) -> Result<bool> {
        Ok(self
            .mail
            .mail_failed(row.id, &self.worker, now_ms(), error)
            .await?)
    }

    /// Every outbox row, by id (links of sent mails are gone).
    pub async fn rows(&self) -> Result<Vec<OutboxRow>> {
        Ok(self.mail.outbox().await?)
    }
}
