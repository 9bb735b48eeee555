//! The shared backend: PostgreSQL, for a club or clinic running several servers.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgQueryResult};
use sqlx::{Connection, Postgres};

use crate::StoreError;
use crate::sql::{Backend, BoxFuture};

/// How long opening waits for the server to answer before it says so.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a statement waits for a connection (opening one if the pool has none) before it
/// fails. While the server is down every request then fails within this time (the web
/// answers 503) instead of queueing behind the connections that cannot be made; once it is
/// back, the next connection made serves again.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether a URL without its own `sslmode` names a host other than this machine.
fn needs_tls_by_default(url: &str, host: &str) -> bool {
    let has_mode = url
        .split_once('?')
        .is_some_and(|(_, q)| q.split('&').any(|kv| kv.starts_with("sslmode=")));
    let local = host.starts_with('/')
        || matches!(host, "localhost" | "::1" | "[::1]")
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    !has_mode && !local
}

impl Backend for Postgres {
    const BACKEND: &'static str = "postgres";
    // PostgreSQL's row locks make an explicit lock mode unnecessary.
    const BEGIN_WRITE: &'static str = "BEGIN";
    // One snapshot for the whole transaction (READ COMMITTED gives each statement its own).
    const BEGIN_READ: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    const BEFORE_CLOSE: Option<&'static str> = None;
    const TRY_XACT_LOCK: Option<&'static str> = Some("SELECT pg_try_advisory_xact_lock($1)");
    const SKIP_LOCKED: &'static str = " FOR UPDATE SKIP LOCKED";
    const SECURE_DELETE: Option<(&'static str, &'static str)> = None;

    fn rows_affected(done: &PgQueryResult) -> u64 {
        done.rows_affected()
    }

    fn dump_rows(
        pool: PgPool,
        tx: crate::backup::ItemTx,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        Box::pin(crate::backup::postgres::dump(pool, tx))
    }

    fn load_rows(
        pool: PgPool,
        rx: crate::backup::ItemRx,
    ) -> BoxFuture<'static, Result<u64, StoreError>> {
        Box::pin(crate::backup::postgres::load(pool, rx))
    }

    fn file_backup<'a>(
        _pool: &'a PgPool,
        _path: &'a std::path::Path,
    ) -> Option<BoxFuture<'a, Result<crate::backup::BackupSummary, StoreError>>> {
        None
    }
}

/// Connects to the database `url` names (`postgres://…`) and brings its schema up to date. The
/// database itself must exist.
pub(crate) async fn open(url: &str) -> Result<PgPool, StoreError> {
    let mut options = PgConnectOptions::from_str(url)?;
    // A clinic's database is often on another machine: without an `sslmode` in the URL,
    // any host but this one must use TLS (`prefer`, sqlx's default, would fall back to
    // plain text). `sslmode=disable`, `prefer` or `verify-full` in the URL is honoured.
    if needs_tls_by_default(url, options.get_host()) {
        options = options.ssl_mode(sqlx::postgres::PgSslMode::Require);
    }
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
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(pool)
}

#[cfg(test)]
mod tls_tests {
    use super::needs_tls_by_default;

    #[test]
    fn tls_is_required_by_default_for_any_host_but_this_one() {
        assert!(needs_tls_by_default(
            "postgres://u@db.clinic.example/x",
            "db.clinic.example"
        ));
        assert!(needs_tls_by_default("postgres://u@10.0.0.5/x", "10.0.0.5"));
        assert!(!needs_tls_by_default(
            "postgres://u@127.0.0.1/x",
            "127.0.0.1"
        ));
        assert!(!needs_tls_by_default(
            "postgres://u@localhost/x",
            "localhost"
        ));
        assert!(!needs_tls_by_default(
            "postgres://u@/x?host=/run/postgresql",
            "/run/postgresql"
        ));
        // An explicit choice is honoured, even plain text.
        assert!(!needs_tls_by_default(
            "postgres://u@db.example/x?sslmode=disable",
            "db.example"
        ));
    }
}

#[cfg(test)]
mod plan_tests {
    use sqlx::Connection;

    /// The overlap query runs once per imported activity: on PostgreSQL too its start must be
    /// bounded on both sides by an index condition, so the scan covers the longest span
    /// stored and no more. Sequential scans are turned off, so the plan shows how an index
    /// serves the query on a table of any size (an empty table would be scanned whole).
    /// Skipped when `SOLEUS_TEST_PG_URL` is not set.
    #[tokio::test]
    async fn overlap_query_ranges_over_an_index_on_start() {
        let Ok(server) = std::env::var("SOLEUS_TEST_PG_URL") else {
            eprintln!("skipped: SOLEUS_TEST_PG_URL not set");
            return;
        };
        let name = format!("soleus_plan_{}", std::process::id());
        let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let (base, query) = server.split_once('?').unwrap_or((server.as_str(), ""));
        let host_end = base
            .rfind('/')
            .filter(|&i| i > base.find("://").map_or(0, |j| j + 2));
        let mut url = format!("{}/{name}", &base[..host_end.unwrap_or(base.len())]);
        if !query.is_empty() {
            url = format!("{url}?{query}");
        }
        let plan = tokio::spawn(async move {
            let pool = super::open(&url).await.unwrap();
            let mut conn = pool.acquire().await.unwrap();
            sqlx::query("SET enable_seqscan = off")
                .execute(&mut *conn)
                .await
                .unwrap();
            let rows: Vec<String> =
                sqlx::query_scalar(&format!("EXPLAIN {}", crate::overlap::overlap_query()))
                    .bind(1_i64)
                    .bind(2_000_i64)
                    .bind(1_000_i64)
                    .bind(0_i64)
                    .bind(3_000_i64)
                    .fetch_all(&mut *conn)
                    .await
                    .unwrap();
            drop(conn);
            pool.close().await;
            rows.join("\n")
        })
        .await;
        sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await
            .unwrap();
        let plan = plan.unwrap();
        let bounded = plan.lines().any(|l| {
            l.contains("Index Cond")
                && l.contains("start_ms >= '0'")
                && l.contains("start_ms <= '2000'")
        });
        assert!(bounded, "{plan}");
    }
}
