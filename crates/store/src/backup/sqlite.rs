//! Backups on SQLite: `VACUUM INTO`, and reading or writing rows for the portable format.

use std::path::{Path, PathBuf};

use futures_util::TryStreamExt;
use sqlx::sqlite::{SqliteArguments, SqlitePool, SqliteRow};
use sqlx::{Arguments, Row, TypeInfo, ValueRef};

use super::{
    BackupFormat, BackupSummary, Deferred, Insert, Item, ItemRx, ItemTx, TABLES, Value,
    check_target, data_count_sql, finish, ident, partial_path, refuse_existing,
};
use crate::StoreError;

/// Copies the database to a new SQLite file at `path` with `VACUUM INTO`: one consistent
/// snapshot, written beside `path` first and renamed into place when complete.
pub(crate) async fn vacuum_into(
    pool: &SqlitePool,
    path: &Path,
) -> Result<BackupSummary, StoreError> {
    refuse_existing(path)?;
    let partial = partial_path(path);
    let target = partial
        .to_str()
        .ok_or_else(|| StoreError::Invalid(format!("{} is not a UTF-8 path", path.display())))?;
    let done = sqlx::query(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
        .execute(pool)
        .await;
    if let Err(e) = done {
        let _ = std::fs::remove_file(&partial);
        return Err(StoreError::Io(format!(
            "writing the backup {}: {e}",
            path.display()
        )));
    }
    let bytes = finish(&partial, path)?;
    Ok(BackupSummary {
        format: BackupFormat::Sqlite,
        tables: TABLES.len(),
        rows: None,
        bytes,
    })
}

/// The columns of `table`, in order.
async fn columns(
    conn: &mut sqlx::SqliteConnection,
    table: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
            .bind(table)
            .fetch_all(conn)
            .await?,
    )
}

fn value(row: &SqliteRow, i: usize) -> Result<Value, StoreError> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_owned();
    Ok(match kind.as_str() {
        "INTEGER" | "BOOLEAN" => Value::Int(row.try_get_unchecked(i)?),
        "REAL" => Value::Real(row.try_get_unchecked(i)?),
        "TEXT" => Value::Text(row.try_get_unchecked(i)?),
        "BLOB" => Value::Blob(row.try_get_unchecked(i)?),
        other => {
            return Err(StoreError::Corrupt(format!(
                "a stored value of SQLite type {other}"
            )));
        }
    })
}

/// Sends every row of every table into `tx` from one read transaction (one snapshot), then
/// the end. Stops quietly when the receiving side has stopped (it reports why).
pub(crate) async fn dump(pool: SqlitePool, tx: ItemTx) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("BEGIN").execute(&mut *conn).await?;
    let dumped = dump_on(&mut conn, &tx).await;
    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    drop(conn);
    if dumped? {
        let _ = tx.send(Item::End).await;
    }
    Ok(())
}

/// The rows, on a connection inside a read transaction; whether everything was sent.
async fn dump_on(conn: &mut sqlx::SqliteConnection, tx: &ItemTx) -> Result<bool, StoreError> {
    let schema = schema_on(conn).await?;
    if tx.send(Item::Begin { schema }).await.is_err() {
        return Ok(false);
    }
    for table in TABLES {
        let cols = columns(conn, table).await?;
        let order = if cols.iter().any(|c| c == "id") {
            " ORDER BY id"
        } else {
            ""
        };
        let list: Vec<String> = cols.iter().map(|c| ident(c)).collect();
        let width = cols.len();
        let item = Item::Table {
            name: (*table).to_owned(),
            columns: cols,
        };
        if tx.send(item).await.is_err() {
            return Ok(false);
        }
        let sql = format!("SELECT {} FROM {}{order}", list.join(", "), ident(table));
        let mut rows = sqlx::query(&sql).fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            let values = (0..width)
                .map(|i| value(&row, i))
                .collect::<Result<Vec<_>, _>>()?;
            if tx.send(Item::Row(values)).await.is_err() {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

async fn schema_on(conn: &mut sqlx::SqliteConnection) -> Result<i64, StoreError> {
    let v: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(conn)
            .await?;
    Ok(v.unwrap_or(0))
}

fn bind(args: &mut SqliteArguments<'_>, v: Value) -> Result<(), StoreError> {
    let added = match v {
        Value::Null => args.add(Option::<i64>::None),
        Value::Int(i) => args.add(i),
        Value::Real(f) => args.add(f),
        Value::Text(s) => args.add(s),
        Value::Blob(b) => args.add(b),
    };
    added.map_err(|e| StoreError::Invalid(format!("binding a restored value: {e}")))
}

/// Writes what `rx` brings into this (empty) database in one transaction, committed only
/// when the [`Item::End`] arrives. Returns the rows written.
pub(crate) async fn load(pool: SqlitePool, mut rx: ItemRx) -> Result<u64, StoreError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let result = async {
        let own = schema_on(&mut conn).await?;
        let mut insert: Option<Insert> = None;
        let mut deferred: Vec<Deferred> = Vec::new();
        let mut rows = 0u64;
        loop {
            let Some(item) = rx.recv().await else {
                return Err(StoreError::Io(
                    "the backup stopped before its end; nothing was restored".into(),
                ));
            };
            match item {
                Item::Begin { schema } => {
                    let held: i64 = sqlx::query_scalar(&data_count_sql())
                        .fetch_one(&mut *conn)
                        .await?;
                    check_target(held, schema, own)?;
                    // What migrations and opening put in a new database gives way to the
                    // backup's own rows.
                    for table in TABLES.iter().rev() {
                        sqlx::query(&format!("DELETE FROM {}", ident(table)))
                            .execute(&mut *conn)
                            .await?;
                    }
                }
                Item::Table {
                    name,
                    columns: cols,
                } => {
                    let known = columns(&mut conn, &name).await?;
                    insert = Some(Insert::new(&name, cols, &known)?);
                }
                Item::Row(mut values) => {
                    let ins = insert.as_ref().ok_or_else(|| {
                        StoreError::Corrupt("the backup has a row before its table".into())
                    })?;
                    deferred.extend(ins.defer(&mut values));
                    let mut args = SqliteArguments::default();
                    for v in values {
                        bind(&mut args, v)?;
                    }
                    sqlx::query_with(&ins.sql, args).execute(&mut *conn).await?;
                    rows += 1;
                }
                Item::End => break,
            }
        }
        for d in deferred {
            let mut args = SqliteArguments::default();
            bind(&mut args, d.value)?;
            bind(&mut args, Value::Int(d.id))?;
            sqlx::query_with(&d.sql, args).execute(&mut *conn).await?;
        }
        Ok(rows)
    }
    .await;
    match result {
        Ok(rows) => {
            sqlx::query("COMMIT").execute(&mut *conn).await?;
            Ok(rows)
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            Err(e)
        }
    }
}

/// Opens a copy of the SQLite backup at `path` (upgraded to this release's schema, the
/// backup itself untouched) and sends its rows into `tx`.
pub(crate) async fn dump_file(path: PathBuf, tx: ItemTx) -> Result<(), StoreError> {
    let copy = super::TempCopy::of(&path)?;
    let url = format!("sqlite://{}", copy.0.display());
    if !is_soleus_file(&copy.0).await {
        return Err(StoreError::Invalid(format!(
            "{} is an SQLite file but not a Soleus database or backup",
            path.display()
        )));
    }
    let pool = crate::sqlite::open(&url).await.map_err(|e| {
        StoreError::Invalid(format!(
            "{} cannot be read as a Soleus database: {e}",
            path.display()
        ))
    })?;
    let dumped = dump(pool.clone(), tx).await;
    pool.close().await;
    dumped
}

/// Whether the SQLite file at `path` holds Soleus's tables (read without changing it).
async fn is_soleus_file(path: &Path) -> bool {
    use sqlx::Connection;
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    let Ok(mut conn) = sqlx::SqliteConnection::connect_with(&options).await else {
        return false;
    };
    let found: Result<i64, _> = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master \
         WHERE type = 'table' AND name IN ('_sqlx_migrations', 'athletes', 'files')",
    )
    .fetch_one(&mut conn)
    .await;
    let _ = conn.close().await;
    found.is_ok_and(|n| n == 3)
}
