//! Backups and restores of a whole database, on either backend.
//!
//! An SQLite database is backed up as an SQLite file (`VACUUM INTO`: one consistent copy any
//! SQLite tool opens). A PostgreSQL database is backed up in Soleus's portable format: gzip of
//! JSON lines, a header, then each table's columns and its rows in order, then an end line
//! with the row count, so a cut-off file is refused rather than restored in part. Every value
//! keeps its type (blobs in base64), so the portable format restores into either backend: a
//! runner's file can move to a club's server and back.
//!
//! A restore goes into a database with no data of its own, in one transaction: it applies
//! whole or not at all. `pg_dump` and `pg_restore` remain the tools for a PostgreSQL
//! operator's own routine; this format is the one Soleus itself reads back, whatever the
//! server's version, and what its tests prove.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;
use tokio::sync::mpsc;

use crate::StoreError;

pub(crate) mod postgres;
pub(crate) mod sqlite;

/// Every table, parents before children, so rows restore in this order with every foreign
/// key already satisfied. A test checks that it names every table of the schema.
pub(crate) const TABLES: &[&str] = &[
    "organisations",
    "users",
    "user_profiles",
    "athletes",
    "athlete_days",
    "athlete_facts",
    "files",
    "shoes",
    "activities",
    "laps",
    "activity_load",
    "activity_edits",
    "settings",
    "journal",
    "database_settings",
    "grants",
    "sessions",
    "invitations",
    "comments",
    "notifications",
    "notification_settings",
    "jobs",
    // Kept in a backup: a job queued when it was made runs after the restore, with its bytes.
    "job_files",
    "login_failures",
    "share_invitations",
    "audit_log",
    "digests",
    "mail_preferences",
    "password_resets",
    "mail_outbox",
];

/// Columns that point forward in [`TABLES`] (a file that duplicates an activity stored after
/// it): restored as NULL first and set once every table is in.
pub(crate) const FORWARD: &[(&str, &str)] = &[("files", "duplicate_of")];

/// Tables whose rows mean a database holds someone's data: a restore goes only into a
/// database where these are empty (and which has at most its first athlete).
const DATA_TABLES: &[&str] = &[
    "organisations",
    "users",
    "files",
    "activities",
    "journal",
    "shoes",
    "comments",
];

/// The SQL that counts the rows of [`DATA_TABLES`] and the athletes beyond the first.
pub(crate) fn data_count_sql() -> String {
    let mut parts: Vec<String> = DATA_TABLES
        .iter()
        .map(|t| format!("(SELECT COUNT(*) FROM {t})"))
        .collect();
    parts.push("(SELECT COUNT(*) FROM athletes WHERE id <> 1)".into());
    format!("SELECT {}", parts.join(" + "))
}

/// Refuses a restore into a database that holds data, or from a backup made with another
/// schema than this release's.
pub(crate) fn check_target(rows: i64, made: i64, own: i64) -> Result<(), StoreError> {
    if rows > 0 {
        return Err(StoreError::Invalid(
            "the database restored into already holds data; restore into a new, empty \
             database (a new SQLite file with --db, or a newly created PostgreSQL database)"
                .into(),
        ));
    }
    if made != own {
        return Err(StoreError::Invalid(format!(
            "the backup was made with database schema {made}, and this release's is {own}: \
             restore it with the release that made it, then back up again with this one"
        )));
    }
    Ok(())
}

/// A quoted SQL identifier (the names come from the schema, never from a user).
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// What a load does with one table's rows: the INSERT statement, and which of its values
/// wait for [`FORWARD`] to be set afterwards.
#[derive(Debug)]
pub(crate) struct Insert {
    pub table: String,
    pub columns: Vec<String>,
    pub sql: String,
    /// Positions of forward columns, restored as NULL first.
    pub forward: Vec<usize>,
    /// The position of the `id` column, to set the forward columns by.
    pub id: Option<usize>,
}

impl Insert {
    /// The insert for `table`'s `columns`, refusing a table or column the schema lacks.
    pub(crate) fn new(
        table: &str,
        columns: Vec<String>,
        known: &[String],
    ) -> Result<Insert, StoreError> {
        if let Some(c) = columns.iter().find(|c| !known.contains(c)) {
            return Err(StoreError::Corrupt(format!(
                "the backup has a column {table}.{c} this database does not"
            )));
        }
        let names: Vec<String> = columns.iter().map(|c| ident(c)).collect();
        let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            ident(table),
            names.join(", "),
            params.join(", ")
        );
        let forward = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| FORWARD.contains(&(table, c.as_str())))
            .map(|(i, _)| i)
            .collect();
        let id = columns.iter().position(|c| c == "id");
        Ok(Insert {
            table: table.to_owned(),
            columns,
            sql,
            forward,
            id,
        })
    }

    /// Takes the forward values out of `row` (leaving NULL), as `(table, column, id, value)`.
    pub(crate) fn defer(&self, row: &mut [Value]) -> Vec<Deferred> {
        let Some(Value::Int(id)) = self.id.map(|i| row[i].clone()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &i in &self.forward {
            let v = std::mem::replace(&mut row[i], Value::Null);
            if v != Value::Null {
                out.push(Deferred {
                    column: i,
                    sql: format!(
                        "UPDATE {} SET {} = $1 WHERE id = $2",
                        ident(&self.table),
                        ident(&self.columns[i])
                    ),
                    id,
                    value: v,
                });
            }
        }
        out
    }
}

/// A forward value to set once every table is in.
#[derive(Debug)]
pub(crate) struct Deferred {
    /// The column's position in the table's columns.
    pub column: usize,
    pub sql: String,
    pub id: i64,
    pub value: Value,
}

/// The portable format's name and version, in its first line.
const FORMAT: &str = "soleus-backup";
const VERSION: u32 = 1;

/// How many rows travel between the reading and the writing side at once: memory stays
/// bounded by this many rows whatever the database's size.
const CHANNEL_ROWS: usize = 64;

/// One stored value, as both backends can hold it. Booleans travel as integers (SQLite's
/// own form); the restoring side binds each value as its column's type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// What travels from a database or file being read to one being written.
#[derive(Debug)]
pub(crate) enum Item {
    /// The first item: the newest migration of the database read.
    Begin {
        schema: i64,
    },
    /// The rows that follow are this table's, with these columns.
    Table {
        name: String,
        columns: Vec<String>,
    },
    Row(Vec<Value>),
    /// The last item, sent only when everything before it was read: a side that stops short
    /// sends no end, and the other side then keeps nothing.
    End,
}

/// A sender of [`Item`]s: what a dump writes into.
pub(crate) type ItemTx = mpsc::Sender<Item>;
/// A receiver of [`Item`]s: what a load reads from.
pub(crate) type ItemRx = mpsc::Receiver<Item>;

/// A bounded channel between a dump and a load.
pub(crate) fn channel() -> (ItemTx, ItemRx) {
    mpsc::channel(CHANNEL_ROWS)
}

/// The form a backup file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupFormat {
    /// An SQLite database file.
    Sqlite,
    /// Soleus's portable format (gzip of JSON lines).
    Portable,
}

/// What a backup or restore did.
#[derive(Debug, Clone, Serialize)]
pub struct BackupSummary {
    /// The file's form.
    pub format: BackupFormat,
    /// Tables copied (for an SQLite file made with `VACUUM INTO`, every table).
    pub tables: usize,
    /// Rows copied; `None` for an SQLite file made with `VACUUM INTO`, which copies pages.
    pub rows: Option<u64>,
    /// The backup file's size in bytes.
    pub bytes: u64,
}

/// The form of the file at `path`, from its first bytes.
pub(crate) fn format_of(path: &Path) -> Result<BackupFormat, StoreError> {
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path)
        .map_err(|e| StoreError::Io(format!("reading the backup {}: {e}", path.display())))?;
    let n = std::io::Read::read(&mut f, &mut head)
        .map_err(|e| StoreError::Io(format!("reading the backup {}: {e}", path.display())))?;
    if n == 16 && &head == b"SQLite format 3\0" {
        Ok(BackupFormat::Sqlite)
    } else if n >= 2 && head[..2] == [0x1f, 0x8b] {
        Ok(BackupFormat::Portable)
    } else {
        Err(StoreError::Invalid(format!(
            "{} is neither an SQLite database nor a Soleus backup (made with `soleus backup`)",
            path.display()
        )))
    }
}

/// A path beside `path` to write first and rename into place, so a backup cut short by a
/// crash never looks complete.
pub(crate) fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".partial-{}", std::process::id()));
    path.with_file_name(name)
}

/// Refuses to overwrite an existing file: a backup never replaces another by accident.
pub(crate) fn refuse_existing(path: &Path) -> Result<(), StoreError> {
    if path.exists() {
        return Err(StoreError::Invalid(format!(
            "{} already exists; choose a new file name (a backup never overwrites a file)",
            path.display()
        )));
    }
    Ok(())
}

/// Moves the finished `partial` file to `path`, and returns its size.
pub(crate) fn finish(partial: &Path, path: &Path) -> Result<u64, StoreError> {
    std::fs::rename(partial, path).map_err(|e| {
        let _ = std::fs::remove_file(partial);
        StoreError::Io(format!("writing the backup {}: {e}", path.display()))
    })?;
    Ok(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0))
}

fn value_json(v: &Value) -> serde_json::Value {
    use serde_json::json;
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Int(i) => json!(i),
        Value::Real(f) if f.is_finite() => json!({ "real": f }),
        Value::Real(f) => json!({ "real": f.to_string() }),
        Value::Text(s) => json!(s),
        Value::Blob(b) => json!({ "blob": B64.encode(b) }),
    }
}

fn json_value(v: serde_json::Value, at: &str) -> Result<Value, StoreError> {
    let bad = || StoreError::Corrupt(format!("backup {at}: a value of unknown form"));
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Number(n) => Value::Int(n.as_i64().ok_or_else(bad)?),
        serde_json::Value::String(s) => Value::Text(s),
        serde_json::Value::Object(mut o) => {
            if let Some(r) = o.remove("real") {
                match r {
                    serde_json::Value::Number(n) => Value::Real(n.as_f64().ok_or_else(bad)?),
                    serde_json::Value::String(s) => Value::Real(s.parse().map_err(|_| bad())?),
                    _ => return Err(bad()),
                }
            } else if let Some(serde_json::Value::String(b)) = o.remove("blob") {
                Value::Blob(B64.decode(b).map_err(|_| bad())?)
            } else {
                return Err(bad());
            }
        }
        _ => return Err(bad()),
    })
}

/// A portable backup written to its partial file, to be moved into place by [`finish`] once the
/// side that read the database has succeeded too.
#[derive(Debug)]
pub(crate) struct Written {
    pub partial: PathBuf,
    pub tables: usize,
    pub rows: u64,
}

/// Writes what `rx` brings to a partial file beside `path`, on a blocking thread. Without the
/// [`Item::End`] the file is removed and this fails.
pub(crate) async fn write_portable(
    mut rx: ItemRx,
    path: PathBuf,
    backend: &'static str,
) -> Result<Written, StoreError> {
    tokio::task::spawn_blocking(move || {
        refuse_existing(&path)?;
        let partial = partial_path(&path);
        let io = |e: std::io::Error| {
            StoreError::Io(format!("writing the backup {}: {e}", path.display()))
        };
        let written = (|| -> Result<(usize, u64), StoreError> {
            let file = std::fs::File::create_new(&partial).map_err(io)?;
            let mut out = flate2::write::GzEncoder::new(
                std::io::BufWriter::new(file),
                flate2::Compression::fast(),
            );
            let (mut tables, mut rows) = (0usize, 0u64);
            let mut ended = false;
            while let Some(item) = rx.blocking_recv() {
                let line = match item {
                    Item::Begin { schema } => serde_json::json!({
                        "format": FORMAT,
                        "version": VERSION,
                        "schema": schema,
                        "backend": backend,
                    }),
                    Item::Table { name, columns } => {
                        tables += 1;
                        serde_json::json!({ "table": name, "columns": columns })
                    }
                    Item::Row(values) => {
                        rows += 1;
                        serde_json::Value::Array(values.iter().map(value_json).collect())
                    }
                    Item::End => {
                        ended = true;
                        serde_json::json!({ "end": rows })
                    }
                };
                writeln!(out, "{line}").map_err(io)?;
            }
            if !ended {
                return Err(StoreError::Io(format!(
                    "the backup {} was not finished: reading the database stopped",
                    path.display()
                )));
            }
            let file = out.finish().map_err(io)?;
            let file = file.into_inner().map_err(|e| io(e.into_error()))?;
            file.sync_all().map_err(io)?;
            Ok((tables, rows))
        })();
        match written {
            Ok((tables, rows)) => Ok(Written {
                partial,
                tables,
                rows,
            }),
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                Err(e)
            }
        }
    })
    .await
    .map_err(|e| StoreError::Io(format!("the backup writer stopped: {e}")))?
}

/// Reads the portable backup at `path` into `tx`, on a blocking thread, and sends the
/// [`Item::End`] only once the file's end mark agrees with what was read.
pub(crate) async fn read_portable(tx: ItemTx, path: PathBuf) -> Result<(), StoreError> {
    tokio::task::spawn_blocking(move || {
        let shown = path.display().to_string();
        let file = std::fs::File::open(&path)
            .map_err(|e| StoreError::Io(format!("reading the backup {shown}: {e}")))?;
        let mut lines = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file)).lines();
        let mut next = |n: usize| -> Result<Option<serde_json::Value>, StoreError> {
            match lines.next() {
                None => Ok(None),
                Some(Err(e)) => Err(StoreError::Corrupt(format!(
                    "backup {shown} line {n}: {e}; the file is damaged or cut short"
                ))),
                Some(Ok(l)) => serde_json::from_str(&l)
                    .map(Some)
                    .map_err(|e| StoreError::Corrupt(format!("backup {shown} line {n}: {e}"))),
            }
        };
        let header = next(1)?.unwrap_or_default();
        if header["format"] != FORMAT || header["version"] != VERSION {
            return Err(StoreError::Invalid(format!(
                "{shown} is not a Soleus backup of a version this release reads"
            )));
        }
        let schema = header["schema"].as_i64().unwrap_or(-1);
        if tx.blocking_send(Item::Begin { schema }).is_err() {
            return Ok(());
        }
        let mut rows = 0u64;
        let mut width = None;
        let mut n = 1;
        loop {
            n += 1;
            let at = format!("{shown} line {n}");
            let Some(line) = next(n)? else {
                return Err(StoreError::Corrupt(format!(
                    "backup {shown} ends at line {n} without its end mark: the file is cut \
                     short; nothing was restored"
                )));
            };
            match line {
                serde_json::Value::Array(values) => {
                    if Some(values.len()) != width {
                        return Err(StoreError::Corrupt(format!(
                            "backup {at}: a row without its table's columns"
                        )));
                    }
                    let values = values
                        .into_iter()
                        .map(|v| json_value(v, &at))
                        .collect::<Result<_, _>>()?;
                    rows += 1;
                    if tx.blocking_send(Item::Row(values)).is_err() {
                        return Ok(());
                    }
                }
                serde_json::Value::Object(o) if o.contains_key("end") => {
                    if o["end"].as_u64() != Some(rows) {
                        return Err(StoreError::Corrupt(format!(
                            "backup {at}: the end mark counts {} rows, the file holds {rows}",
                            o["end"]
                        )));
                    }
                    let _ = tx.blocking_send(Item::End);
                    return Ok(());
                }
                serde_json::Value::Object(o) => {
                    let name = o.get("table").and_then(|t| t.as_str());
                    let columns: Option<Vec<String>> = o
                        .get("columns")
                        .and_then(|c| serde_json::from_value(c.clone()).ok());
                    let (Some(name), Some(columns)) = (name, columns) else {
                        return Err(StoreError::Corrupt(format!("backup {at}: unknown line")));
                    };
                    if !TABLES.contains(&name) {
                        return Err(StoreError::Corrupt(format!(
                            "backup {at}: unknown table {name:?}"
                        )));
                    }
                    width = Some(columns.len());
                    let item = Item::Table {
                        name: name.to_owned(),
                        columns,
                    };
                    if tx.blocking_send(item).is_err() {
                        return Ok(());
                    }
                }
                _ => return Err(StoreError::Corrupt(format!("backup {at}: unknown line"))),
            }
        }
    })
    .await
    .map_err(|e| StoreError::Io(format!("the backup reader stopped: {e}")))?
}

/// A temporary copy of an SQLite backup to open (and upgrade) without touching the backup.
#[derive(Debug)]
pub(crate) struct TempCopy(pub PathBuf);

impl TempCopy {
    pub(crate) fn of(path: &Path) -> Result<TempCopy, StoreError> {
        let name = format!(
            "soleus-restore-{}-{}.db",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let copy = std::env::temp_dir().join(name);
        std::fs::copy(path, &copy)
            .map_err(|e| StoreError::Io(format!("copying the backup {}: {e}", path.display())))?;
        Ok(TempCopy(copy))
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table the backup does not name would be lost by a backup and restore: every table of
    /// the schema (but the migrations' own) must be in [`TABLES`], on both backends.
    #[tokio::test]
    async fn the_backup_names_every_table_of_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let pool = crate::sqlite::open(&url).await.unwrap();
        let mut found: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        let mut named: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
        found.sort();
        named.sort();
        assert_eq!(found, named, "SQLite");
        let Ok(server) = std::env::var("SOLEUS_TEST_PG_URL") else {
            eprintln!("PostgreSQL part skipped: SOLEUS_TEST_PG_URL not set");
            return;
        };
        // The server's own database is migrated by other tests' fresh databases only; this
        // reads the schema a fresh migration makes, in a schema of its own.
        let pool = sqlx::PgPool::connect(&server).await.unwrap();
        let schema = format!("backup_tables_{}", std::process::id());
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&pool)
            .await
            .unwrap();
        let mut conn = pool.acquire().await.unwrap();
        sqlx::query(&format!("SET search_path TO {schema}"))
            .execute(&mut *conn)
            .await
            .unwrap();
        let migrated = sqlx::migrate!("./migrations/postgres")
            .run(&mut *conn)
            .await;
        let mut found: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = $1 AND table_name <> '_sqlx_migrations'",
        )
        .bind(&schema)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        drop(conn);
        sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&pool)
            .await
            .unwrap();
        migrated.unwrap();
        found.sort();
        assert_eq!(found, named, "PostgreSQL");
    }

    /// Every kind of value reads back as written, the awkward reals included.
    #[test]
    fn values_survive_the_portable_form() {
        let values = [
            Value::Null,
            Value::Int(i64::MIN),
            Value::Int(0),
            Value::Real(1.0),
            Value::Real(0.1 + 0.2),
            Value::Real(f64::INFINITY),
            Value::Text("tête \"quoted\"\n".into()),
            Value::Blob(vec![0, 255, 1, 2]),
        ];
        for v in values {
            let json = serde_json::to_string(&value_json(&v)).unwrap();
            let back = json_value(serde_json::from_str(&json).unwrap(), "test").unwrap();
            assert_eq!(back, v, "{json}");
        }
        // A real stays a real even when it is whole (a REAL column holding 1.0 would
        // otherwise come back as an integer).
        assert_eq!(
            serde_json::to_string(&value_json(&Value::Real(1.0))).unwrap(),
            r#"{"real":1.0}"#
        );
    }
}
