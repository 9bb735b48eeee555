//! [`AccountMail`] for [`SqlDatabase`]: reset links and the outbox, in the SQL both backends
//! speak. Every change of a row is one statement whose `WHERE` says which state it may leave,
//! so two processes racing for a row cannot both win.

use super::{Backend, SqlDatabase};
use crate::account_mail::{
    AccountMail, NewOutboxMail, OutboxKind, OutboxRow, OutboxState, PasswordResetRow,
};
use crate::{StoreError, UserId};

/// The outbox columns.
const OUTBOX_COLUMNS: &str = "id, kind, email, name, about, link, state, claimed_by, \
    lease_until_ms, attempts, created_ms, updated_ms, message_id, error";

/// A `password_resets` row as stored.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ResetDb {
    id: i64,
    user_id: UserId,
    created_ms: i64,
    expires_ms: i64,
    used_ms: Option<i64>,
}

/// A `mail_outbox` row as stored.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OutboxDb {
    id: i64,
    kind: String,
    email: String,
    name: Option<String>,
    about: Option<String>,
    link: Option<String>,
    state: String,
    claimed_by: Option<String>,
    lease_until_ms: i64,
    attempts: i64,
    created_ms: i64,
    updated_ms: i64,
    message_id: Option<String>,
    error: Option<String>,
}

impl TryFrom<OutboxDb> for OutboxRow {
    type Error = StoreError;

    fn try_from(r: OutboxDb) -> Result<OutboxRow, StoreError> {
        Ok(OutboxRow {
            id: r.id,
            kind: OutboxKind::parse(&r.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown mail kind {:?}", r.kind)))?,
            state: OutboxState::parse(&r.state)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown mail state {:?}", r.state)))?,
            email: r.email,
            name: r.name,
            about: r.about,
            link: r.link,
            claimed_by: r.claimed_by,
            lease_until_ms: r.lease_until_ms,
            attempts: r.attempts,
            created_ms: r.created_ms,
            updated_ms: r.updated_ms,
            message_id: r.message_id,
            error: r.error,
        })
    }
}

#[async_trait::async_trait]
impl<DB: Backend> AccountMail for SqlDatabase<DB> {
    async fn add_password_reset(
        &self,
        user: UserId,
        token_hash: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<i64, StoreError> {
        Ok(self
            .sql(
                "INSERT INTO password_resets (user_id, token_hash, created_ms, expires_ms) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(user)
            .bind(token_hash)
            .bind(now_ms)
            .bind(expires_ms)
            .scalar::<i64>(&mut *self.pool.acquire().await?)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a reset link without an id".into()))?)
    }

    async fn password_reset(
        &self,
        token_hash: &str,
    ) -> Result<Option<PasswordResetRow>, StoreError> {
        Ok(self
            .sql(
                "SELECT id, user_id, created_ms, expires_ms, used_ms FROM password_resets \
                 WHERE token_hash = $1",
            )
            .bind(token_hash)
            .optional::<ResetDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(|r| PasswordResetRow {
                id: r.id,
                user: r.user_id,
                created_ms: r.created_ms,
                expires_ms: r.expires_ms,
                used_ms: r.used_ms,
            }))
    }

    async fn use_password_reset(
        &self,
        id: i64,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<UserId>, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        // Marking it used is the claim: of two requests racing, one changes the row.
        let user = self
            .sql(
                "UPDATE password_resets SET used_ms = $2 \
                 WHERE id = $1 AND used_ms IS NULL AND expires_ms > $2 RETURNING user_id",
            )
            .bind(id)
            .bind(now_ms)
            .scalar::<UserId>(&mut *tx)
            .await?;
        let Some(user) = user else {
            return Ok(None);
        };
        self.sql("UPDATE password_resets SET used_ms = $2 WHERE user_id = $1 AND used_ms IS NULL")
            .bind(user)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        self.sql("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(user)
            .bind(password_hash)
            .execute(&mut *tx)
            .await?;
        self.sql("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(user))
    }

    async fn queue_mail(&self, mail: &NewOutboxMail<'_>, now_ms: i64) -> Result<i64, StoreError> {
        Ok(self
            .sql(
                "INSERT INTO mail_outbox (kind, email, name, about, link, state, created_ms, \
                 updated_ms) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6) RETURNING id",
            )
            .bind(mail.kind.as_str())
            .bind(mail.email)
            .bind(mail.name)
            .bind(mail.about)
            .bind(mail.link)
            .bind(now_ms)
            .scalar::<i64>(&mut *self.pool.acquire().await?)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a queued mail without an id".into()))?)
    }

    async fn claim_mail(
        &self,
        worker: &str,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<Option<OutboxRow>, StoreError> {
        // The condition is repeated outside the sub-select: a row another process claimed
        // between the two is left alone (PostgreSQL checks it again once the row is locked).
        let claim = format!(
            "UPDATE mail_outbox SET state = 'claimed', claimed_by = $1, lease_until_ms = $2, \
             updated_ms = $3 \
             WHERE id = (SELECT id FROM mail_outbox WHERE state = 'queued' \
                 OR (state = 'claimed' AND lease_until_ms <= $3) ORDER BY id LIMIT 1) \
             AND (state = 'queued' OR (state = 'claimed' AND lease_until_ms <= $3)) \
             RETURNING {OUTBOX_COLUMNS}"
        );
        self.sql(&claim)
            .bind(worker)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .optional::<OutboxDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(OutboxRow::try_from)
            .transpose()
    }

    async fn mail_sending(&self, id: i64, worker: &str, now_ms: i64) -> Result<bool, StoreError> {
        let changed = self
            .sql(
                "UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, \
                 updated_ms = $3 \
                 WHERE id = $1 AND claimed_by = $2 AND state = 'claimed' AND lease_until_ms > $3",
            )
            .bind(id)
            .bind(worker)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn mail_sent(
        &self,
        id: i64,
        worker: &str,
        now_ms: i64,
        message_id: &str,
    ) -> Result<bool, StoreError> {
        let changed = self
            .sql(
                "UPDATE mail_outbox SET state = 'sent', link = NULL, message_id = $3, \
                 error = NULL, updated_ms = $4 \
                 WHERE id = $1 AND claimed_by = $2 AND state = 'sending'",
            )
            .bind(id)
            .bind(worker)
            .bind(message_id)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn mail_failed(
        &self,
        id: i64,
        worker: &str,
        now_ms: i64,
        error: &str,
    ) -> Result<bool, StoreError> {
        let changed = self
            .sql(
                "UPDATE mail_outbox SET state = 'failed', link = NULL, error = $3, \
                 updated_ms = $4 \
                 WHERE id = $1 AND claimed_by = $2 AND state IN ('claimed', 'sending')",
            )
            .bind(id)
            .bind(worker)
            .bind(error)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn outbox(&self) -> Result<Vec<OutboxRow>, StoreError> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM mail_outbox ORDER BY id");
        self.sql(&sql)
            .all::<OutboxDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(OutboxRow::try_from)
            .collect()
    }
}
