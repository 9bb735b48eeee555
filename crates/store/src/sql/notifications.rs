//! [`Notifications`] for [`SqlDatabase`]: each person's notifications, bundled by kind and
//! subject, and read back only while the recipient may still see the athlete they tell of.

use super::{Backend, SqlDatabase};
use crate::threads::{Delivery, NewNotification, NotificationRow, Notifications};
use crate::{AthleteId, StoreError, UserId};

/// The notification columns.
const COLUMNS: &str = "n.id, n.user_id, n.athlete_id, n.kind, n.bundle_key, n.payload, \
    n.count, n.created_ms, n.updated_ms, n.read_ms";

/// Which of a user's (`$1`) notifications they may still see: about no athlete, about their
/// own, or about one they hold a grant in force on (with the medical scope for a medical
/// one). Revoking a grant deletes its notifications as well; this also hides what a changed
/// grant no longer covers.
const VISIBLE: &str = "n.user_id = $1 AND (n.athlete_id IS NULL \
    OR EXISTS (SELECT 1 FROM athletes a WHERE a.id = n.athlete_id AND a.user_id = n.user_id) \
    OR EXISTS (SELECT 1 FROM grants g WHERE g.athlete_id = n.athlete_id \
        AND g.user_id = n.user_id AND g.revoked_ms IS NULL AND (g.medical OR NOT n.medical)))";

/// A `notifications` row as stored.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct NotificationDb {
    id: i64,
    user_id: UserId,
    athlete_id: Option<AthleteId>,
    kind: String,
    bundle_key: String,
    payload: String,
    count: i64,
    created_ms: i64,
    updated_ms: i64,
    read_ms: Option<i64>,
}

impl From<NotificationDb> for NotificationRow {
    fn from(r: NotificationDb) -> NotificationRow {
        NotificationRow {
            id: r.id,
            user: r.user_id,
            athlete: r.athlete_id,
            kind: r.kind,
            bundle_key: r.bundle_key,
            payload: r.payload,
            count: r.count,
            created_ms: r.created_ms,
            updated_ms: r.updated_ms,
            read_ms: r.read_ms,
        }
    }
}

#[async_trait::async_trait]
impl<DB: Backend> Notifications for SqlDatabase<DB> {
    async fn notify(
        &self,
        n: &NewNotification<'_>,
        now_ms: i64,
        window_ms: i64,
    ) -> Result<(i64, bool), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let joined = self
            .sql(
                "UPDATE notifications SET count = count + 1, payload = $4, updated_ms = $5 \
                 WHERE id = (SELECT id FROM notifications WHERE user_id = $1 AND kind = $2 \
                 AND bundle_key = $3 AND read_ms IS NULL AND updated_ms >= $6 \
                 ORDER BY updated_ms DESC, id DESC LIMIT 1) RETURNING id",
            )
            .bind(n.user)
            .bind(n.kind)
            .bind(n.bundle_key)
            .bind(n.payload)
            .bind(now_ms)
            .bind(now_ms - window_ms)
            .scalar::<i64>(&mut *tx)
            .await?;
        let out = match joined {
            Some(id) => (id, false),
            None => {
                let id = self
                    .sql(
                        "INSERT INTO notifications (user_id, athlete_id, medical, kind, \
                         bundle_key, payload, count, created_ms, updated_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
                    )
                    .bind(n.user)
                    .bind(n.athlete)
                    .bind(n.medical)
                    .bind(n.kind)
                    .bind(n.bundle_key)
                    .bind(n.payload)
                    .bind(now_ms)
                    .scalar::<i64>(&mut *tx)
                    .await?
                    .ok_or(sqlx::Error::RowNotFound)?;
                (id, true)
            }
        };
        tx.commit().await?;
        Ok(out)
    }

    async fn notifications(
        &self,
        user: UserId,
        limit: i64,
    ) -> Result<Vec<NotificationRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM notifications n WHERE {VISIBLE} \
             ORDER BY n.updated_ms DESC, n.id DESC LIMIT $2"
        );
        Ok(self
            .sql(&sql)
            .bind(user)
            .bind(limit)
            .all::<NotificationDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(NotificationRow::from)
            .collect())
    }

    async fn unread_count(&self, user: UserId) -> Result<i64, StoreError> {
        let sql =
            format!("SELECT COUNT(*) FROM notifications n WHERE {VISIBLE} AND n.read_ms IS NULL");
        Ok(self
            .sql(&sql)
            .bind(user)
            .scalar::<i64>(&mut *self.pool.acquire().await?)
            .await?
            .unwrap_or(0))
    }

    async fn mark_read(&self, user: UserId, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        Ok(self
            .sql(
                "UPDATE notifications SET read_ms = $3 \
                 WHERE user_id = $1 AND id = $2 AND read_ms IS NULL",
            )
            .bind(user)
            .bind(id)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?
            == 1)
    }

    async fn mark_all_read(&self, user: UserId, now_ms: i64) -> Result<u64, StoreError> {
        Ok(self
            .sql("UPDATE notifications SET read_ms = $2 WHERE user_id = $1 AND read_ms IS NULL")
            .bind(user)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?)
    }

    async fn deliveries(&self, user: UserId) -> Result<Vec<(String, Delivery)>, StoreError> {
        self.sql(
            "SELECT kind, delivery FROM notification_settings WHERE user_id = $1 ORDER BY kind",
        )
        .bind(user)
        .all::<(String, String)>(&mut *self.pool.acquire().await?)
        .await?
        .into_iter()
        .map(|(k, d)| {
            Delivery::parse(&d)
                .map(|d| (k, d))
                .ok_or_else(|| StoreError::Corrupt(format!("unknown delivery {d:?}")))
        })
        .collect()
    }

    async fn set_delivery(
        &self,
        user: UserId,
        kind: &str,
        delivery: Delivery,
    ) -> Result<(), StoreError> {
        self.sql(
            "INSERT INTO notification_settings (user_id, kind, delivery) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery",
        )
        .bind(user)
        .bind(kind)
        .bind(delivery.as_str())
        .execute(&mut *self.pool.acquire().await?)
        .await?;
        Ok(())
    }
}
