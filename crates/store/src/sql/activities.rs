//! Activities: importing them with their file, finding overlaps, listing, reading one whole,
//! and re-decoding a file's activities in place.

use chrono::{DateTime, Utc};

use super::write::{insert_file, upsert_activity};
use super::{Backend, SqlStore, Stmt};
use crate::decode::{ACTIVITY_SELECT, ActivityDb, LapDb};
use crate::prepare::Prepared;
use crate::{ActivityId, ActivityRow, FileId, NewActivity, NewFile, StoreError, StoredActivity};

pub(super) async fn overlapping<DB: Backend>(
    s: &SqlStore<DB>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<ActivityRow>, StoreError> {
    let q = crate::overlap::overlap_query();
    let (start_ms, end_ms) = (start.timestamp_millis(), end.timestamp_millis());
    let span = crate::MAX_SPAN_MS;
    // $1 end, $2 start, $3 the earliest start, $4 the latest end that can overlap.
    Stmt::<DB>::new(&q)
        .bind(end_ms)
        .bind(start_ms)
        .bind(start_ms.saturating_sub(span))
        .bind(end_ms.saturating_add(span))
        .all::<ActivityDb>(&mut *s.conn().await?)
        .await?
        .into_iter()
        .map(ActivityRow::try_from)
        .collect()
}

pub(super) async fn save_import<DB: Backend>(
    s: &SqlStore<DB>,
    file: &NewFile<'_>,
    activities: &[NewActivity<'_>],
    replaces: &[ActivityId],
) -> Result<(FileId, Vec<ActivityId>), StoreError> {
    if activities.is_empty() && !replaces.is_empty() {
        return Err(StoreError::Invalid(
            "an import with no activities cannot replace any".into(),
        ));
    }
    // Compress and encode before the transaction, so it holds the lock briefly.
    let packed = match file.packed {
        Some(p) => p.clone(),
        None => crate::pack::pack_file(file)?,
    };
    let prepared = activities
        .iter()
        .map(Prepared::new)
        .collect::<Result<Vec<_>, _>>()?;
    let mut tx = s.begin_write().await?;
    let file_id = insert_file(&mut tx, file, &packed, None).await?;
    let mut ids = Vec::with_capacity(prepared.len());
    for p in &prepared {
        ids.push(upsert_activity(&mut tx, file_id, p).await?);
    }
    for &old in replaces {
        let old_file = Stmt::<DB>::new("SELECT file_id FROM activities WHERE id = $1")
            .bind(old)
            .scalar::<i64>(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound {
                what: "activity",
                id: old,
            })?;
        // Files that duplicated the old copy now duplicate the new one.
        Stmt::<DB>::new("UPDATE files SET duplicate_of = $1 WHERE duplicate_of = $2")
            .bind(ids[0])
            .bind(old)
            .execute(&mut *tx)
            .await?;
        Stmt::<DB>::new("DELETE FROM activities WHERE id = $1")
            .bind(old)
            .execute(&mut *tx)
            .await?;
        // The old file becomes a duplicate once none of its activities is left.
        Stmt::<DB>::new(
            "UPDATE files SET duplicate_of = $1 WHERE id = $2 AND NOT EXISTS \
             (SELECT 1 FROM activities WHERE file_id = $2)",
        )
        .bind(ids[0])
        .bind(old_file)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok((file_id, ids))
}

pub(super) async fn list<DB: Backend>(s: &SqlStore<DB>) -> Result<Vec<ActivityRow>, StoreError> {
    let q = format!("{ACTIVITY_SELECT} ORDER BY a.start_ms DESC, a.id DESC");
    Stmt::<DB>::new(&q)
        .all::<ActivityDb>(&mut *s.conn().await?)
        .await?
        .into_iter()
        .map(ActivityRow::try_from)
        .collect()
}

pub(super) async fn one<DB: Backend>(
    s: &SqlStore<DB>,
    id: ActivityId,
) -> Result<Option<StoredActivity>, StoreError> {
    // One snapshot, so the row, its laps and its samples belong together.
    let mut tx = s.begin_read().await?;
    let q = format!("{ACTIVITY_SELECT} WHERE a.id = $1");
    let Some(row) = Stmt::<DB>::new(&q)
        .bind(id)
        .optional::<ActivityDb>(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let laps = Stmt::<DB>::new(
        "SELECT start_ms, elapsed_s, moving_s, distance_m, ascent_m, descent_m, avg_hr, \
         max_hr, avg_cadence FROM laps WHERE activity_id = $1 ORDER BY idx",
    )
    .bind(id)
    .all::<LapDb>(&mut *tx)
    .await?;
    let blob = Stmt::<DB>::new("SELECT samples FROM activities WHERE id = $1")
        .bind(id)
        .one::<(Vec<u8>,)>(&mut *tx)
        .await?
        .0;
    tx.commit().await?;
    crate::decode::assemble(row, laps, &blob).map(Some)
}

pub(super) async fn replace_for_file<DB: Backend>(
    s: &SqlStore<DB>,
    file: FileId,
    activities: &[NewActivity<'_>],
) -> Result<Vec<ActivityId>, StoreError> {
    let prepared = activities
        .iter()
        .map(Prepared::new)
        .collect::<Result<Vec<_>, _>>()?;
    let mut tx = s.begin_write().await?;
    let duplicate_of = Stmt::<DB>::new("SELECT duplicate_of FROM files WHERE id = $1")
        .bind(file)
        .scalar::<Option<i64>>(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound {
            what: "file",
            id: file,
        })?;
    if duplicate_of.is_some() {
        // Its runs live on in the richer copy; re-creating them would duplicate it.
        return Ok(Vec::new());
    }
    let existing = Stmt::<DB>::new("SELECT id, session FROM activities WHERE file_id = $1")
        .bind(file)
        .all::<(i64, i32)>(&mut *tx)
        .await?;
    let mut ids = Vec::with_capacity(prepared.len());
    for p in &prepared {
        ids.push(upsert_activity(&mut tx, file, p).await?);
    }
    for &(id, session) in &existing {
        if !prepared.iter().any(|p| p.session == session) {
            Stmt::<DB>::new("DELETE FROM activities WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(ids)
}
