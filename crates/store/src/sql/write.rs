//! The statements that write a file and its activities, inside the caller's transaction, and
//! the checks that an id the caller names is this athlete's.

use super::{Backend, SqlStore, Tx};
use crate::pack::PackedFile;
use crate::prepare::{Prepared, now_ms};
use crate::{ActivityId, FileId, NewFile, ShoeId, StoreError};

/// The most laps bound in one INSERT (11 values each; both backends allow far more parameters
/// than 11 000).
const LAPS_PER_INSERT: usize = 1000;

/// The lap columns after `athlete_id`, in the order [`insert_laps`] binds them.
const LAP_COLUMNS: [&str; 11] = [
    "activity_id",
    "idx",
    "start_ms",
    "elapsed_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "descent_m",
    "avg_hr",
    "max_hr",
    "avg_cadence",
];

/// Stores a source file; one with the same hash already stored for this athlete is
/// [`StoreError::DuplicateFile`].
pub(super) async fn insert_file<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    f: &NewFile<'_>,
    packed: &PackedFile,
    duplicate_of: Option<ActivityId>,
) -> Result<FileId, StoreError> {
    let sha256 = f.sha256.to_ascii_lowercase();
    s.sql(
        "INSERT INTO files (athlete_id, name, sha256, format, size, compression, bytes, \
         imported_ms, duplicate_of) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(f.name)
    .bind(sha256.as_str())
    .bind(f.format)
    .bind(f.bytes.len() as i64)
    .bind(packed.compression)
    .bind(packed.bytes.as_slice())
    .bind(now_ms())
    .bind(duplicate_of)
    .one::<(FileId,)>(&mut **tx)
    .await
    .map(|(id,)| id)
    .map_err(|e| match e.as_database_error() {
        Some(d) if d.is_unique_violation() => StoreError::DuplicateFile {
            sha256: sha256.clone(),
        },
        _ => e.into(),
    })
}

/// Inserts an activity, or rewrites the one stored for the same file and session in place
/// (keeping its id, and its name and shoe when already set, and a sport or shoe the person
/// edited: the person's edits and Strava's names survive a reparse; a deleted activity stays
/// deleted). Its laps and load summary follow. The file is this athlete's
/// (the caller stored or checked it); the shoe is checked here. `fresh`: the file was
/// inserted in this transaction, so it has no activities yet and no old laps to delete.
pub(super) async fn upsert_activity<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    file: FileId,
    p: &Prepared<'_>,
    fresh: bool,
) -> Result<ActivityId, StoreError> {
    if let Some(shoe) = p.shoe
        && !shoe_exists(s, tx, shoe).await?
    {
        return Err(StoreError::NotFound {
            what: "shoe",
            id: shoe.0,
        });
    }
    let a = p.a;
    // The update applies only to the athlete's own row: a conflict with anyone else's returns
    // no id, which fails the import.
    let id = s
        .sql(
            "INSERT INTO activities (athlete_id, file_id, session, name, sport, sport_detail, \
             start_ms, end_ms, utc_offset_s, distance_m, elapsed_s, moving_s, ascent_m, \
             descent_m, avg_hr, max_hr, avg_cadence, device, barometric, totals_source, \
             sample_count, shoe_id, samples) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) \
             ON CONFLICT (file_id, session) DO UPDATE SET \
             name = COALESCE(activities.name, excluded.name), \
             sport = CASE WHEN EXISTS (SELECT 1 FROM activity_edits e WHERE \
             e.activity_id = activities.id AND e.field = 'sport') THEN activities.sport \
             ELSE excluded.sport END, \
             sport_detail = excluded.sport_detail, start_ms = excluded.start_ms, \
             end_ms = excluded.end_ms, utc_offset_s = excluded.utc_offset_s, \
             distance_m = excluded.distance_m, elapsed_s = excluded.elapsed_s, \
             moving_s = excluded.moving_s, ascent_m = excluded.ascent_m, \
             descent_m = excluded.descent_m, avg_hr = excluded.avg_hr, \
             max_hr = excluded.max_hr, avg_cadence = excluded.avg_cadence, \
             device = excluded.device, barometric = excluded.barometric, \
             totals_source = excluded.totals_source, sample_count = excluded.sample_count, \
             shoe_id = CASE WHEN EXISTS (SELECT 1 FROM activity_edits e WHERE \
             e.activity_id = activities.id AND e.field = 'shoe') THEN activities.shoe_id \
             ELSE COALESCE(activities.shoe_id, excluded.shoe_id) END, \
             samples = excluded.samples \
             WHERE activities.athlete_id = excluded.athlete_id \
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
        .scalar::<ActivityId>(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound {
            what: "file",
            id: file.0,
        })?;
    if !fresh {
        s.sql("DELETE FROM laps WHERE athlete_id = $1 AND activity_id = $2")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    insert_laps(s, tx, id, p).await?;
    if let Some(json) = p.summary.as_deref() {
        save_summary(s, tx, id, json).await?;
    }
    Ok(id)
}

/// Stores an activity's load summary (keeping its RPE). `false` when the activity is not this
/// athlete's: the row is written only through its parent activity.
pub(super) async fn save_summary<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    id: ActivityId,
    summary: &str,
) -> Result<bool, StoreError> {
    let n = s
        .sql(
            "INSERT INTO activity_load (athlete_id, activity_id, summary) \
             SELECT athlete_id, id, $3 FROM activities WHERE athlete_id = $1 AND id = $2 \
             ON CONFLICT (activity_id) DO UPDATE SET summary = excluded.summary",
        )
        .bind(id)
        .bind(summary)
        .execute(&mut **tx)
        .await?;
    Ok(n > 0)
}

/// All laps of an activity, in one statement per thousand laps.
async fn insert_laps<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    id: ActivityId,
    p: &Prepared<'_>,
) -> Result<(), StoreError> {
    for (chunk_no, chunk) in p.a.laps.chunks(LAPS_PER_INSERT).enumerate() {
        let sql = athlete_rows_insert("laps", &LAP_COLUMNS, chunk.len());
        let mut stmt = s.sql(&sql);
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

/// `INSERT INTO table (athlete_id, columns…) VALUES ($1, $2, …), ($1, …)` for `rows` rows:
/// every row is the athlete's (`$1`), the other values are numbered from `$2`.
fn athlete_rows_insert(table: &str, columns: &[&str], rows: usize) -> String {
    let width = columns.len();
    let mut sql = format!(
        "INSERT INTO {table} (athlete_id, {}) VALUES ",
        columns.join(", ")
    );
    for r in 0..rows {
        sql.push_str(if r == 0 { "($1" } else { ", ($1" });
        for c in 0..width {
            sql.push_str(", $");
            sql.push_str(&(2 + r * width + c).to_string());
        }
        sql.push(')');
    }
    sql
}

/// Whether this athlete has an activity with this id.
pub(super) async fn activity_exists<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    id: ActivityId,
) -> Result<bool, StoreError> {
    Ok(
        s.sql("SELECT id FROM activities WHERE athlete_id = $1 AND id = $2")
            .bind(id)
            .scalar::<i64>(&mut **tx)
            .await?
            .is_some(),
    )
}

/// Whether this athlete has a shoe with this id.
pub(super) async fn shoe_exists<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    id: ShoeId,
) -> Result<bool, StoreError> {
    Ok(
        s.sql("SELECT id FROM shoes WHERE athlete_id = $1 AND id = $2")
            .bind(id)
            .scalar::<i64>(&mut **tx)
            .await?
            .is_some(),
    )
}

#[cfg(test)]
mod tests {
    use super::athlete_rows_insert;

    #[test]
    fn every_row_is_the_athletes_and_the_other_values_are_numbered() {
        assert_eq!(
            athlete_rows_insert("t", &["a", "b"], 2),
            "INSERT INTO t (athlete_id, a, b) VALUES ($1, $2, $3), ($1, $4, $5)"
        );
    }
}
