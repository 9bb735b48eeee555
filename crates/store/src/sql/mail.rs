//! [`Mail`] for [`SqlDatabase`]: digest rows and recipients' choices, in the SQL both backends
//! speak. Every change of a digest row is one statement whose `WHERE` says which state it may
//! leave, so two processes racing for a row cannot both win.

use super::{Backend, SqlDatabase};
use crate::StoreError;
use crate::mail::{DigestKey, DigestKind, DigestRow, DigestState, Mail};

/// The digest columns.
const DIGEST_COLUMNS: &str = "id, recipient, kind, week, email, state, claimed_by, \
    lease_until_ms, attempts, next_attempt_ms, created_ms, updated_ms, message_id, error";

/// A `digests` row as stored.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct DigestDb {
    id: i64,
    recipient: String,
    kind: String,
    week: String,
    email: String,
    state: String,
    claimed_by: String,
    lease_until_ms: i64,
    attempts: i64,
    next_attempt_ms: Option<i64>,
    created_ms: i64,
    updated_ms: i64,
    message_id: Option<String>,
    error: Option<String>,
}

impl TryFrom<DigestDb> for DigestRow {
    type Error = StoreError;

    fn try_from(r: DigestDb) -> Result<DigestRow, StoreError> {
        Ok(DigestRow {
            id: r.id,
            kind: DigestKind::parse(&r.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown digest kind {:?}", r.kind)))?,
            state: DigestState::parse(&r.state).ok_or_else(|| {
                StoreError::Corrupt(format!("unknown digest state {:?}", r.state))
            })?,
            recipient: r.recipient,
            week: r.week,
            email: r.email,
            claimed_by: r.claimed_by,
            lease_until_ms: r.lease_until_ms,
            attempts: r.attempts,
            next_attempt_ms: r.next_attempt_ms,
            created_ms: r.created_ms,
            updated_ms: r.updated_ms,
            message_id: r.message_id,
            error: r.error,
        })
    }
}

#[async_trait::async_trait]
impl<DB: Backend> Mail for SqlDatabase<DB> {
    async fn claim_digest(
        &self,
        key: &DigestKey<'_>,
        email: &str,
        worker: &str,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<Option<DigestRow>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let insert = format!(
            "INSERT INTO digests (recipient, kind, week, email, state, claimed_by, \
             lease_until_ms, created_ms, updated_ms) \
             VALUES ($1, $2, $3, $4, 'claimed', $5, $6, $7, $7) \
             ON CONFLICT (recipient, kind, week) DO NOTHING RETURNING {DIGEST_COLUMNS}"
        );
        let new = self
            .sql(&insert)
            .bind(key.recipient)
            .bind(key.kind.as_str())
            .bind(key.week)
            .bind(email)
            .bind(worker)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .optional::<DigestDb>(&mut *conn)
            .await?;
        if let Some(row) = new {
            return row.try_into().map(Some);
        }
        // Taken over: a claim whose lease ran out before the mail was handed over, or a
        // failed delivery that is due again.
        let take = format!(
            "UPDATE digests SET state = 'claimed', claimed_by = $4, lease_until_ms = $5, \
             email = $6, updated_ms = $7 \
             WHERE recipient = $1 AND kind = $2 AND week = $3 \
             AND ((state = 'claimed' AND lease_until_ms <= $7) \
               OR (state = 'failed' AND next_attempt_ms IS NOT NULL AND next_attempt_ms <= $7)) \
             RETURNING {DIGEST_COLUMNS}"
        );
        self.sql(&take)
            .bind(key.recipient)
            .bind(key.kind.as_str())
            .bind(key.week)
            .bind(worker)
            .bind(now_ms + lease_ms)
            .bind(email)
            .bind(now_ms)
            .optional::<DigestDb>(&mut *conn)
            .await?
            .map(DigestRow::try_from)
            .transpose()
    }

    async fn digest_sending(&self, id: i64, worker: &str, now_ms: i64) -> Result<bool, StoreError> {
        let changed = self
            .sql(
                "UPDATE digests SET state = 'sending', attempts = attempts + 1, updated_ms = $3 \
                 WHERE id = $1 AND claimed_by = $2 AND state = 'claimed' \
                 AND lease_until_ms > $3",
            )
            .bind(id)
            .bind(worker)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn digest_done(
        &self,
        id: i64,
        worker: &str,
        now_ms: i64,
        state: DigestState,
        message_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        let from = match state {
            DigestState::Sent => "'sending'",
            DigestState::Skipped => "'claimed'",
            other => {
                return Err(StoreError::Invalid(format!(
                    "a digest is done when sent or skipped, not {other}"
                )));
            }
        };
        let sql = format!(
            "UPDATE digests SET state = $3, message_id = $4, error = NULL, updated_ms = $5 \
             WHERE id = $1 AND claimed_by = $2 AND state = {from}"
        );
        let changed = self
            .sql(&sql)
            .bind(id)
            .bind(worker)
            .bind(state.as_str())
            .bind(message_id)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn digest_failed(
        &self,
        id: i64,
        worker: &str,
        now_ms: i64,
        error: &str,
        next_attempt_ms: Option<i64>,
    ) -> Result<bool, StoreError> {
        let changed = self
            .sql(
                "UPDATE digests SET state = 'failed', error = $3, next_attempt_ms = $4, \
                 updated_ms = $5 \
                 WHERE id = $1 AND claimed_by = $2 AND state IN ('claimed', 'sending')",
            )
            .bind(id)
            .bind(worker)
            .bind(error)
            .bind(next_attempt_ms)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn digests(&self, week: Option<&str>) -> Result<Vec<DigestRow>, StoreError> {
        let sql = format!(
            "SELECT {DIGEST_COLUMNS} FROM digests WHERE ($1 IS NULL OR week = $1) \
             ORDER BY week, id"
        );
        self.sql(&sql)
            .bind(week)
            .all::<DigestDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(DigestRow::try_from)
            .collect()
    }

    async fn mail_preference(
        &self,
        recipient: &str,
        kind: DigestKind,
    ) -> Result<Option<bool>, StoreError> {
        Ok(self
            .sql("SELECT enabled FROM mail_preferences WHERE recipient = $1 AND kind = $2")
            .bind(recipient)
            .bind(kind.as_str())
            .scalar::<bool>(&mut *self.pool.acquire().await?)
            .await?)
    }

    async fn set_mail_preference(
        &self,
        recipient: &str,
        kind: DigestKind,
        enabled: bool,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.sql(
            "INSERT INTO mail_preferences (recipient, kind, enabled, updated_ms) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (recipient, kind) \
             DO UPDATE SET enabled = excluded.enabled, updated_ms = excluded.updated_ms",
        )
        .bind(recipient)
        .bind(kind.as_str())
        .bind(enabled)
        .bind(now_ms)
        .execute(&mut *self.pool.acquire().await?)
        .await?;
        Ok(())
    }

    async fn setting_or_insert(&self, key: &str, value: &str) -> Result<String, StoreError> {
        let mut conn = self.pool.acquire().await?;
        self.sql(
            "INSERT INTO database_settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *conn)
        .await?;
        self.sql("SELECT value FROM database_settings WHERE key = $1")
            .bind(key)
            .scalar::<String>(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("the setting {key} vanished")))
    }
}
