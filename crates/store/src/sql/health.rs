//! The operator's questions ([`crate::health`]) for both backends.

use super::{Backend, SqlDatabase};
use crate::StoreError;
use crate::health::{QueueDepth, Schema, compare};

impl<DB: Backend> SqlDatabase<DB> {
    /// The schema's state: one indexed read of the migrations table.
    pub(crate) async fn schema_state(&self) -> Result<Schema, StoreError> {
        let known: Vec<i64> = match DB::BACKEND {
            "postgres" => sqlx::migrate!("./migrations/postgres")
                .iter()
                .map(|m| m.version)
                .collect(),
            _ => sqlx::migrate!("./migrations/sqlite")
                .iter()
                .map(|m| m.version)
                .collect(),
        };
        let mut conn = self.pool.acquire().await?;
        let applied: Vec<(i64,)> = self
            .sql("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .all(&mut conn)
            .await?;
        let applied: Vec<i64> = applied.into_iter().map(|(v,)| v).collect();
        Ok(compare(&known, &applied))
    }

    /// Unfinished rows per queue, counted over the state indexes.
    pub(crate) async fn queue_depth(&self) -> Result<QueueDepth, StoreError> {
        const DIGESTS: &str = "SELECT COUNT(*) FROM digests WHERE state IN ('claimed', 'sending') \
             OR (state = 'failed' AND next_attempt_ms IS NOT NULL)";
        const OUTBOX: &str =
            "SELECT COUNT(*) FROM mail_outbox WHERE state IN ('queued', 'claimed', 'sending')";
        const QUEUED: &str = "SELECT COUNT(*) FROM jobs WHERE state = 'queued'";
        const RUNNING: &str = "SELECT COUNT(*) FROM jobs WHERE state = 'running'";
        let mut conn = self.pool.acquire().await?;
        let mut depth = [0_i64; 4];
        for (d, sql) in depth.iter_mut().zip([DIGESTS, OUTBOX, QUEUED, RUNNING]) {
            *d = self.sql(sql).scalar::<i64>(&mut conn).await?.unwrap_or(0);
        }
        Ok(QueueDepth {
            digests: depth[0],
            mail_outbox: depth[1],
            jobs_queued: depth[2],
            jobs_running: depth[3],
        })
    }
}
