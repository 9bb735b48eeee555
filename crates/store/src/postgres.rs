//! The shared backend: PostgreSQL, for a club or clinic running several servers.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};

/// How long opening waits for the server to answer before it says so.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A store in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database `url` names (`postgres://…`) and brings its schema up to date.
    /// The database itself must exist.
    pub async fn open(url: &str) -> Result<PgStore, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        // One plain connection first: the pool retries a refused connection until its own
        // timeout and then says only "pool timed out"; this says what happened, at once.
        let at = format!("{}:{}", options.get_host(), options.get_port());
        match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
            Err(_) => {
                return Err(StoreError::Io(format!(
                    "no answer from PostgreSQL at {at} within {} s",
                    CONNECT_TIMEOUT.as_secs()
                )));
            }
            Ok(Err(sqlx::Error::Io(e))) => {
                let what = match e.kind() {
                    std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
                    _ => format!("cannot connect ({e})"),
                };
                return Err(StoreError::Io(format!("{what} at {at}")));
            }
            Ok(Err(e)) => return Err(e.into()),
            Ok(Ok(conn)) => {
                let _ = conn.close().await;
            }
        }
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }

    /// A write transaction (PostgreSQL's row locks make an explicit lock mode unnecessary).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// A read transaction over one snapshot (READ COMMITTED would give each statement its own).
    async fn begin_read(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        Ok(self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?)
    }
}

crate::sql::impl_store!(PgStore, sqlx::Postgres, "postgres");
