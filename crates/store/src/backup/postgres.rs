//! Backups on PostgreSQL: reading and writing rows for the portable format.

use futures_util::TryStreamExt;
use sqlx::postgres::{PgArguments, PgPool, PgRow};
use sqlx::{Arguments, Row, TypeInfo, ValueRef};

use super::{
    Deferred, Insert, Item, ItemRx, ItemTx, TABLES, Value, check_target, data_count_sql, ident,
};
use crate::StoreError;

async fn schema_on(conn: &mut sqlx::PgConnection) -> Result<i64, StoreError> {
    let v: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(conn)
            .await?;
    Ok(v.unwrap_or(0))
}

/// The columns of `table` with their types, in order.
async fn columns(
    conn: &mut sqlx::PgConnection,
    table: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(conn)
    .await?)
}

fn value(row: &PgRow, i: usize) -> Result<Value, StoreError> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_owned();
    Ok(match kind.as_str() {
        "INT8" => Value::Int(row.try_get::<i64, _>(i)?),
        "INT4" => Value::Int(row.try_get::<i32, _>(i)?.into()),
        "INT2" => Value::Int(row.try_get::<i16, _>(i)?.into()),
        "BOOL" => Value::Int(row.try_get::<bool, _>(i)?.into()),
        "FLOAT8" => Value::Real(row.try_get(i)?),
        "FLOAT4" => Value::Real(row.try_get::<f32, _>(i)?.into()),
        "TEXT" | "VARCHAR" => Value::Text(row.try_get(i)?),
        "BYTEA" => Value::Blob(row.try_get(i)?),
        other => {
            return Err(StoreError::Corrupt(format!(
                "a stored value of PostgreSQL type {other}"
            )));
        }
    })
}

/// Sends every row of every table into `tx` from one repeatable-read transaction (one
/// snapshot), then the end.
pub(crate) async fn dump(pool: PgPool, tx: ItemTx) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *conn)
        .await?;
    let dumped = dump_on(&mut conn, &tx).await;
    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    drop(conn);
    if dumped? {
        let _ = tx.send(Item::End).await;
    }
    Ok(())
}

async fn dump_on(conn: &mut sqlx::PgConnection, tx: &ItemTx) -> Result<bool, StoreError> {
    let schema = schema_on(conn).await?;
    if tx.send(Item::Begin { schema }).await.is_err() {
        return Ok(false);
    }
    for table in TABLES {
        let cols: Vec<String> = columns(conn, table)
            .await?
            .into_iter()
            .map(|c| c.0)
            .collect();
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

/// Binds `v` as the column type `ty` wants (a boolean from SQLite's integer, a double from an
/// integer).
fn bind(args: &mut PgArguments, v: Value, ty: &str) -> Result<(), StoreError> {
    let wrong =
        |v: &Value| StoreError::Corrupt(format!("a restored value {v:?} for a {ty} column"));
    let added = match (ty, v) {
        ("boolean", Value::Null) => args.add(Option::<bool>::None),
        ("boolean", Value::Int(i)) => args.add(i != 0),
        ("bigint", Value::Null) => args.add(Option::<i64>::None),
        ("bigint", Value::Int(i)) => args.add(i),
        ("integer", Value::Null) => args.add(Option::<i32>::None),
        ("integer", Value::Int(i)) => {
            args.add(i32::try_from(i).map_err(|_| wrong(&Value::Int(i)))?)
        }
        ("smallint", Value::Null) => args.add(Option::<i16>::None),
        ("smallint", Value::Int(i)) => {
            args.add(i16::try_from(i).map_err(|_| wrong(&Value::Int(i)))?)
        }
        ("double precision" | "real", Value::Null) => args.add(Option::<f64>::None),
        ("double precision" | "real", Value::Int(i)) => args.add(i as f64),
        ("double precision" | "real", Value::Real(f)) => args.add(f),
        ("text" | "character varying", Value::Null) => args.add(Option::<String>::None),
        ("text" | "character varying", Value::Text(s)) => args.add(s),
        ("bytea", Value::Null) => args.add(Option::<Vec<u8>>::None),
        ("bytea", Value::Blob(b)) => args.add(b),
        (_, v) => return Err(wrong(&v)),
    };
    added.map_err(|e| StoreError::Invalid(format!("binding a restored value: {e}")))
}

/// Writes what `rx` brings into this (empty) database in one transaction, committed only
/// when the [`Item::End`] arrives; the identity sequences then continue after the restored
/// ids. Returns the rows written.
pub(crate) async fn load(pool: PgPool, mut rx: ItemRx) -> Result<u64, StoreError> {
    let mut conn = pool.acquire().await?;
    sqlx::query("BEGIN").execute(&mut *conn).await?;
    let result = async {
        let own = schema_on(&mut conn).await?;
        let mut insert: Option<(Insert, Vec<String>)> = None;
        let mut deferred: Vec<(Deferred, String)> = Vec::new();
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
                    let names: Vec<String> = known.iter().map(|c| c.0.clone()).collect();
                    let types = cols
                        .iter()
                        .map(|c| {
                            known
                                .iter()
                                .find(|k| &k.0 == c)
                                .map(|k| k.1.clone())
                                .unwrap_or_default()
                        })
                        .collect();
                    insert = Some((Insert::new(&name, cols, &names)?, types));
                }
                Item::Row(mut values) => {
                    let (ins, types) = insert.as_ref().ok_or_else(|| {
                        StoreError::Corrupt("the backup has a row before its table".into())
                    })?;
                    for d in ins.defer(&mut values) {
                        let ty = types[d.column].clone();
                        deferred.push((d, ty));
                    }
                    let mut args = PgArguments::default();
                    for (v, ty) in values.into_iter().zip(types) {
                        bind(&mut args, v, ty)?;
                    }
                    sqlx::query_with(&ins.sql, args).execute(&mut *conn).await?;
                    rows += 1;
                }
                Item::End => break,
            }
        }
        for (d, ty) in deferred {
            let mut args = PgArguments::default();
            bind(&mut args, d.value, &ty)?;
            bind(&mut args, Value::Int(d.id), "bigint")?;
            sqlx::query_with(&d.sql, args).execute(&mut *conn).await?;
        }
        for table in TABLES {
            let has_id = columns(&mut conn, table).await?.iter().any(|c| c.0 == "id");
            if has_id {
                let t = ident(table);
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     COALESCE((SELECT MAX(id) FROM {t}), 1), \
                     (SELECT MAX(id) FROM {t}) IS NOT NULL)"
                ))
                .execute(&mut *conn)
                .await?;
            }
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
