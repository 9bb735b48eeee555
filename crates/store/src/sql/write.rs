//! The statements that write a file and its activities, inside the caller's transaction.

use super::{Backend, Stmt, Tx};
use crate::pack::PackedFile;
use crate::prepare::{Prepared, now_ms};
use crate::{ActivityId, FileId, NewFile, StoreError};

/// The most laps bound in one INSERT (11 values each; both backends allow far more parameters
/// than 11 000).
const LAPS_PER_INSERT: usize = 1000;

/// The lap columns, in the order [`insert_laps`] binds them.
const LAP_COLUMNS: &str = "activity_id, idx, start_ms, elapsed_s, moving_s, distance_m, \
    ascent_m, descent_m, avg_hr, max_hr, avg_cadence";
const LAP_VALUES: usize = 11;

/// Stores a source file; a file with the same hash already stored is
/// [`StoreError::DuplicateFile`].
pub(super) async fn insert_file<DB: Backend>(
    tx: &mut Tx<DB>,
    f: &NewFile<'_>,
    packed: &PackedFile,
    duplicate_of: Option<ActivityId>,
) -> Result<FileId, StoreError> {
    let sha256 = f.sha256.to_ascii_lowercase();
    Stmt::<DB>::new(
        "INSERT INTO files (name, sha256, format, size, compression, bytes, imported_ms, \
         duplicate_of) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(f.name)
    .bind(sha256.as_str())
    .bind(f.format)
    .bind(f.bytes.len() as i64)
    .bind(packed.compression)
    .bind(packed.bytes.as_slice())
    .bind(now_ms())
    .bind(duplicate_of)
    .scalar::<i64>(&mut **tx)
    .await
    .map_err(|e| match e.as_database_error() {
        Some(d) if d.is_unique_violation() => StoreError::DuplicateFile {
            sha256: sha256.clone(),
        },
        _ => e.into(),
    })?
    .ok_or_else(|| StoreError::Corrupt("inserting a file returned no id".into()))
}

/// Inserts an activity, or rewrites the one stored for the same file and session in place
/// (keeping its id, and its name and shoe when already set: the person's edits and Strava's
/// names survive a reparse). Its laps and load summary follow.
pub(super) async fn upsert_activity<DB: Backend>(
    tx: &mut Tx<DB>,
    file: FileId,
    p: &Prepared<'_>,
) -> Result<ActivityId, StoreError> {
    let a = p.a;
    let id = Stmt::<DB>::new(
        "INSERT INTO activities (file_id, session, name, sport, sport_detail, start_ms, \
         end_ms, utc_offset_s, distance_m, elapsed_s, moving_s, ascent_m, descent_m, \
         avg_hr, max_hr, avg_cadence, device, barometric, totals_source, sample_count, \
         shoe_id, samples) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) \
         ON CONFLICT (file_id, session) DO UPDATE SET \
         name = COALESCE(activities.name, excluded.name), sport = excluded.sport, \
         sport_detail = excluded.sport_detail, start_ms = excluded.start_ms, \
         end_ms = excluded.end_ms, utc_offset_s = excluded.utc_offset_s, \
         distance_m = excluded.distance_m, elapsed_s = excluded.elapsed_s, \
         moving_s = excluded.moving_s, ascent_m = excluded.ascent_m, \
         descent_m = excluded.descent_m, avg_hr = excluded.avg_hr, \
         max_hr = excluded.max_hr, avg_cadence = excluded.avg_cadence, \
         device = excluded.device, barometric = excluded.barometric, \
         totals_source = excluded.totals_source, sample_count = excluded.sample_count, \
         shoe_id = COALESCE(activities.shoe_id, excluded.shoe_id), \
         samples = excluded.samples \
         RETURNING id",
    )
    .bind(file)
    .bind(p.session)
    .bind(a.name.as_deref())
    .bind(a.sport.as_str())
    .bind(a.sport_detail.as_deref())
    .bind(p.start_ms)
    .bind(p.end_ms)
    .bind(a.utc_offset_s)
    .bind(a.distance_m)
    .bind(a.elapsed_s)
    .bind(a.moving_s)
    .bind(a.ascent_m)
    .bind(a.descent_m)
    .bind(a.avg_hr.map(i16::from))
    .bind(a.max_hr.map(i16::from))
    .bind(a.avg_cadence)
    .bind(a.device.as_deref())
    .bind(a.barometric)
    .bind(p.totals_source())
    .bind(a.samples.len() as i64)
    .bind(p.shoe)
    .bind(p.samples.as_slice())
    .scalar::<i64>(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::Corrupt("inserting an activity returned no id".into()))?;
    Stmt::<DB>::new("DELETE FROM laps WHERE activity_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    insert_laps(tx, id, p).await?;
    save_summary(tx, id, p.summary.as_deref()).await?;
    Ok(id)
}

/// Stores an activity's load summary (keeping its RPE); `None` keeps what is stored.
pub(super) async fn save_summary<DB: Backend>(
    tx: &mut Tx<DB>,
    id: ActivityId,
    summary: Option<&str>,
) -> Result<(), StoreError> {
    if let Some(json) = summary {
        Stmt::<DB>::new(
            "INSERT INTO activity_load (activity_id, summary) VALUES ($1, $2) \
             ON CONFLICT (activity_id) DO UPDATE SET summary = excluded.summary",
        )
        .bind(id)
        .bind(json)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// All laps of an activity, in one statement per thousand laps.
async fn insert_laps<DB: Backend>(
    tx: &mut Tx<DB>,
    id: ActivityId,
    p: &Prepared<'_>,
) -> Result<(), StoreError> {
    for (chunk_no, chunk) in p.a.laps.chunks(LAPS_PER_INSERT).enumerate() {
        let sql = multi_row_insert("laps", LAP_COLUMNS, LAP_VALUES, chunk.len());
        let mut stmt = Stmt::<DB>::new(&sql);
        let base = chunk_no * LAPS_PER_INSERT;
        for (i, l) in chunk.iter().enumerate() {
            stmt = stmt
                .bind(id)
                .bind((base + i) as i32)
                .bind(l.start.map(|s| s.timestamp_millis()))
                .bind(l.elapsed_s)
                .bind(l.moving_s)
                .bind(l.distance_m)
                .bind(l.ascent_m)
                .bind(l.descent_m)
                .bind(l.avg_hr.map(i16::from))
                .bind(l.max_hr.map(i16::from))
                .bind(l.avg_cadence);
        }
        stmt.execute(&mut **tx).await?;
    }
    Ok(())
}

/// `INSERT INTO table (columns) VALUES ($1, …), (…)` for `rows` rows of `width` values.
fn multi_row_insert(table: &str, columns: &str, width: usize, rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(r * width + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// Whether an activity with this id is stored.
pub(super) async fn activity_exists<DB: Backend>(
    tx: &mut Tx<DB>,
    id: ActivityId,
) -> Result<bool, StoreError> {
    Ok(Stmt::<DB>::new("SELECT id FROM activities WHERE id = $1")
        .bind(id)
        .scalar::<i64>(&mut **tx)
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::multi_row_insert;

    #[test]
    fn multi_row_insert_numbers_every_value() {
        assert_eq!(
            multi_row_insert("t", "a, b", 2, 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }
}
