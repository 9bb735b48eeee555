//! The embedded backend: one SQLite file in WAL mode.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqliteSynchronous};

/// A store in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens the database `url` names (`sqlite:PATH`, `sqlite://PATH`), creating the file and
    /// its folder if missing, and brings its schema up to date.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            // WAL lets the web server read while an import writes; NORMAL sync is durable
            // across application crashes and loses at most the last commits on power loss.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let dir = options
            .get_filename()
            .parent()
            .filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Io(format!(
                    "creating the database folder {}: {e}",
                    dir.display()
                ))
            })?;
        }
        let pool = SqlitePool::connect_with(options).await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    /// A write transaction that takes SQLite's write lock at once. A deferred transaction
    /// that reads first and writes later can fail with "database is locked" without waiting
    /// for the busy timeout, when another connection wrote in between.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// A read transaction: in WAL mode it sees one snapshot.
    async fn begin_read(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        Ok(self.pool.begin().await?)
    }
}

crate::sql::impl_store!(SqliteStore, sqlx::Sqlite, "sqlite");

#[cfg(test)]
mod tests {
    use super::*;

    /// The overlap query runs once per imported activity: it must search an index over a
    /// bounded range, never scan the table (whose rows carry the sample blobs).
    #[tokio::test]
    async fn overlap_query_searches_a_time_index() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/plan.db", dir.path().display());
        let store = SqliteStore::open(&url).await.unwrap();
        // Rows of (id, parent, unused, detail).
        let plan: Vec<String> = sqlx::query_as::<_, (i64, i64, i64, String)>(&format!(
            "EXPLAIN QUERY PLAN {}",
            crate::rows::overlap_query()
        ))
        .bind(2_000_i64)
        .bind(1_000_i64)
        .bind(0_i64)
        .bind(3_000_i64)
        .fetch_all(&store.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.3)
        .collect();
        let text = plan.join("\n");
        let activities = plan
            .iter()
            .find(|l| l.contains(" a ") || l.ends_with(" a"))
            .unwrap_or_else(|| panic!("no step for activities in:\n{text}"));
        assert!(
            activities.starts_with("SEARCH a USING INDEX activities_")
                && (activities.contains("start_ms>? AND start_ms<?")
                    || activities.contains("end_ms>? AND end_ms<?")),
            "{text}"
        );
        assert!(
            !text.contains("TEMP B-TREE"),
            "the index gives the order:\n{text}"
        );
    }
}
