//! The embedded backend: one SQLite file in WAL mode.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteQueryResult,
    SqliteSynchronous,
};
use sqlx::{Connection, Sqlite};

use crate::StoreError;
use crate::sql::{Backend, BoxFuture};

/// How long a writer waits for another connection's write lock ("database is locked")
/// before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// How long opening waits for other processes that are migrating the same new file.
const MIGRATE_PATIENCE: Duration = Duration::from_secs(60);

/// The settings key that marks a database `soleus demo` made (and may recreate).
pub const DEMO_MARK: &str = "demo_database";

impl Backend for Sqlite {
    const BACKEND: &'static str = "sqlite";
    // A write transaction takes SQLite's write lock at once. A deferred transaction that reads
    // first and writes later can fail with "database is locked" without waiting for the busy
    // timeout, when another connection wrote in between.
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    // In WAL mode a read transaction sees one snapshot.
    const BEGIN_READ: &'static str = "BEGIN";
    // The last connection to close would fold the log in too, but closing finishes on the
    // connection's own thread, possibly after the process has moved on (or ended): the
    // checkpoint makes the file complete before `close` returns.
    const BEFORE_CLOSE: Option<&'static str> = Some("PRAGMA wal_checkpoint(TRUNCATE)");
    const TRY_XACT_LOCK: Option<&'static str> = None;
    const SKIP_LOCKED: &'static str = "";
    const SECURE_DELETE: Option<(&'static str, &'static str)> =
        Some(("PRAGMA secure_delete = ON", "PRAGMA secure_delete = OFF"));

    fn rows_affected(done: &SqliteQueryResult) -> u64 {
        done.rows_affected()
    }

    fn dump_rows(
        pool: SqlitePool,
        tx: crate::backup::ItemTx,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        Box::pin(crate::backup::sqlite::dump(pool, tx))
    }

    fn load_rows(
        pool: SqlitePool,
        rx: crate::backup::ItemRx,
    ) -> BoxFuture<'static, Result<u64, StoreError>> {
        Box::pin(crate::backup::sqlite::load(pool, rx))
    }

    fn file_backup<'a>(
        pool: &'a SqlitePool,
        path: &'a std::path::Path,
    ) -> Option<BoxFuture<'a, Result<crate::backup::BackupSummary, StoreError>>> {
        Some(Box::pin(crate::backup::sqlite::vacuum_into(pool, path)))
    }
}

/// Opens the database `url` names (`sqlite:PATH`, `sqlite://PATH`), creating the file and its
/// folder if missing, and brings its schema up to date.
pub(crate) async fn open(url: &str) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        // WAL lets the web server read while an import writes; NORMAL sync is durable
        // across application crashes and loses at most the last commits on power loss.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(BUSY_TIMEOUT)
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
    let pool = connect_patiently(options).await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Opens the pool. Turning a new file to WAL needs an exclusive lock that SQLite does not wait
/// for (the busy timeout does not apply to it), so processes opening the same new file at once
/// can see "database is locked" while one of them converts it; they try again, for a bounded
/// time, since the conversion happens once and takes milliseconds.
async fn connect_patiently(options: SqliteConnectOptions) -> Result<SqlitePool, StoreError> {
    let start = std::time::Instant::now();
    let mut pause = Duration::from_millis(10);
    loop {
        match pool_options().connect_with(options.clone()).await {
            Ok(pool) => return Ok(pool),
            Err(e) if is_locked(&e) && start.elapsed() < MIGRATE_PATIENCE => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(250));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether SQLite refused for a lock another connection holds (SQLITE_BUSY, code 5, and its
/// extended codes).
fn is_locked(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| c & 0xff == 5),
        _ => false,
    }
}

fn pool_options() -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        // A commit that fails (a full disk) can leave the connection believing it is
        // still inside a transaction, and every later `BEGIN` on it fails. Such a
        // connection is closed instead of reused. The ping waits for the rollback queued
        // when the failed transaction was dropped; it is sent only when the connection
        // looks inside one, since a queued rollback can only end a transaction, never
        // begin one. Every statement is a round trip to the connection's thread, and
        // an import acquires a connection several times per file.
        .before_acquire(|conn, _| {
            Box::pin(async move {
                if conn.is_in_transaction() {
                    conn.ping().await?;
                }
                Ok(!conn.is_in_transaction())
            })
        })
}

/// Whether the file `url` names exists and cannot be written (see [`writable`]).
pub(crate) fn existing_read_only(url: &str) -> Result<bool, StoreError> {
    let options = SqliteConnectOptions::from_str(url)?;
    let path = options.get_filename();
    let memory = path == std::path::Path::new(":memory:");
    Ok(!memory && path.is_file() && !writable(path))
}

/// Whether the database file at `path` and its folder can be written: a database in WAL mode
/// needs both (SQLite keeps its write-ahead log and shared-memory index beside the file). On a
/// read-only medium (a mounted backup, a write-protected card) neither can.
pub(crate) fn writable(path: &std::path::Path) -> bool {
    let file_ok = std::fs::OpenOptions::new().append(true).open(path).is_ok();
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let probe = dir.join(format!(".soleus-write-probe-{}", std::process::id()));
    let dir_ok = std::fs::File::create_new(&probe).is_ok();
    if dir_ok {
        let _ = std::fs::remove_file(&probe);
    }
    file_ok && dir_ok
}

/// Opens an existing database that cannot be written (see [`writable`]) for reading only: no
/// migration, no journal change, no lock files. SQLite is told the file cannot change
/// (`immutable`), which is true of a read-only medium, so it creates no write-ahead log or
/// shared memory beside it. A write-ahead log left beside the file still holds changes the
/// file lacks (the database was not closed cleanly): reading without them would show an
/// older state, so that is refused with what to do. A schema older than this release's is
/// refused too: upgrading it needs a writable copy.
pub(crate) async fn open_read_only(url: &str) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str(url)?;
    let path = options.get_filename().to_path_buf();
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(StoreError::Io(format!(
            "{} cannot be written (a read-only folder or medium) and its write-ahead log {} \
             still holds changes the file lacks; copy both to a writable folder and open the \
             copy there once",
            path.display(),
            wal.display()
        )));
    }
    let options = options
        .read_only(true)
        .immutable(true)
        .create_if_missing(false)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new().connect_with(options).await?;
    let newest = sqlx::migrate!("./migrations/sqlite")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0);
    let applied: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&pool)
            .await
            .map_err(|e| {
                StoreError::Io(format!(
                    "{} cannot be written and does not look like a Soleus database: {e}",
                    path.display()
                ))
            })?;
    if applied.unwrap_or(0) < newest {
        pool.close().await;
        return Err(StoreError::Io(format!(
            "{} cannot be written, and this release must upgrade its tables before reading \
             it; copy it to a writable folder and open the copy",
            path.display()
        )));
    }
    Ok(pool)
}

/// Brings the schema up to date. Several processes opening the same new file at once race: one
/// applies a migration while another, which read the list of applied migrations a moment
/// earlier, applies it again and fails ("table athletes already exists") or finds the file
/// locked. Each migration runs in its own transaction, so the loser only has to look again:
/// it retries, for a bounded time, until every migration is applied by someone.
async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    let start = std::time::Instant::now();
    let mut pause = Duration::from_millis(20);
    loop {
        match sqlx::migrate!("./migrations/sqlite").run(pool).await {
            Ok(()) => return Ok(()),
            Err(e) if is_race(&e) && start.elapsed() < MIGRATE_PATIENCE => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(500));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether a migration failed because another process was migrating the same file.
fn is_race(e: &sqlx::migrate::MigrateError) -> bool {
    let text = e.to_string();
    [
        "already exists",
        "database is locked",
        "busy",
        "duplicate column",
        "UNIQUE constraint",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// Whether the SQLite file at `path` is a database `soleus demo` made: read without creating,
/// migrating or changing anything. Any other file (a user's own database, a document, a
/// folder) is not.
pub async fn is_demo_database(path: &std::path::Path) -> bool {
    let mut head = [0u8; 16];
    let is_sqlite = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| &head == b"SQLite format 3\0");
    if !is_sqlite {
        return false;
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    let Ok(mut conn) = sqlx::SqliteConnection::connect_with(&options).await else {
        return false;
    };
    // Where the mark is since migration 0005; before it (a database this release has not
    // opened yet, or one marked through the athlete's own settings) it was the local athlete's.
    let mut mark: Option<String> = None;
    for sql in [
        "SELECT value FROM database_settings WHERE key = $1",
        "SELECT value FROM settings WHERE athlete_id = 1 AND key = $1",
    ] {
        mark = sqlx::query_scalar(sql)
            .bind(DEMO_MARK)
            .fetch_optional(&mut conn)
            .await
            .ok()
            .flatten();
        if mark.is_some() {
            break;
        }
    }
    let _ = conn.close().await;
    mark.as_deref() == Some("1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Database;

    /// A database closed cleanly is its file alone, so it can be read where it cannot be
    /// written; reading it that way changes nothing and a write fails as read-only. (The
    /// file here is writable: `immutable` read-only opening is what a read-only medium gets,
    /// and behaves the same on any file.)
    #[tokio::test]
    async fn a_closed_database_reads_read_only_and_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro.db");
        let url = format!("sqlite://{}", path.display());
        let db = crate::sql::SqlDatabase::new(open(&url).await.unwrap());
        db.set_setting("colour", "green").await.unwrap();
        db.close().await;
        let wal = dir.path().join("ro.db-wal");
        assert!(
            std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
            "closing folds the write-ahead log into the file"
        );
        let before = std::fs::read(&path).unwrap();

        let ro = crate::sql::SqlDatabase::read_only(open_read_only(&url).await.unwrap());
        assert!(ro.read_only());
        assert_eq!(
            ro.setting("colour").await.unwrap().as_deref(),
            Some("green")
        );
        let err = ro.set_setting("colour", "red").await.unwrap_err();
        assert_eq!(
            err.unwritable(),
            Some("the database file is read-only"),
            "{err}"
        );
        ro.close().await;
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "reading changed nothing"
        );
        assert!(std::fs::metadata(&wal).map_or(true, |m| m.len() == 0));
    }

    /// A write-ahead log that still holds changes (the database was not closed) is not
    /// silently ignored: the read-only open says what to do instead of showing an older
    /// state.
    #[tokio::test]
    async fn an_unfinished_write_ahead_log_is_refused_when_reading_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/open.db", dir.path().display());
        let db = crate::sql::SqlDatabase::new(open(&url).await.unwrap());
        db.set_setting("colour", "green").await.unwrap();
        // Still open: the change is in the write-ahead log, not yet in the file.
        assert!(
            std::fs::metadata(dir.path().join("open.db-wal"))
                .unwrap()
                .len()
                > 0
        );
        let err = open_read_only(&url).await.unwrap_err().to_string();
        assert!(
            err.contains("write-ahead log") && err.contains("writable folder"),
            "{err}"
        );
        db.close().await;
    }

    /// The overlap query runs once per imported activity: it must search an index over a
    /// bounded range, never scan the table (whose rows carry the sample blobs).
    #[tokio::test]
    async fn overlap_query_searches_a_time_index() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/plan.db", dir.path().display());
        let pool = open(&url).await.unwrap();
        // Rows of (id, parent, unused, detail), for athlete 1.
        let plan: Vec<String> = sqlx::query_as::<_, (i64, i64, i64, String)>(&format!(
            "EXPLAIN QUERY PLAN {}",
            crate::overlap::overlap_query()
        ))
        .bind(1_i64)
        .bind(2_000_i64)
        .bind(1_000_i64)
        .bind(0_i64)
        .bind(3_000_i64)
        .fetch_all(&pool)
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

    /// `soleus load` reads every summary: from the covering index alone, never from the
    /// activities rows (each about a page, for the sample blob in it).
    #[tokio::test]
    async fn summaries_are_read_from_a_covering_index() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/plan.db", dir.path().display());
        let pool = open(&url).await.unwrap();
        let plan: Vec<String> = sqlx::query_as::<_, (i64, i64, i64, String)>(&format!(
            "EXPLAIN QUERY PLAN {}",
            crate::decode::SUMMARY_SELECT
        ))
        .bind(1_i64)
        .fetch_all(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.3)
        .collect();
        let text = plan.join("\n");
        assert!(
            plan.iter()
                .any(|l| l.starts_with("SEARCH a USING COVERING INDEX activities_load")),
            "{text}"
        );
        assert!(
            !text.contains("TEMP B-TREE"),
            "the index gives the order:\n{text}"
        );
    }
}
