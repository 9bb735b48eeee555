//! Activities: importing them with their file, finding overlaps, listing, reading one whole,
//! and re-decoding a file's activities in place.

use chrono::{DateTime, Utc};

use super::write::{insert_file, upsert_activity};
use super::{Backend, SqlStore};
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
    // $2 end, $3 start, $4 the earliest start, $5 the latest end that can overlap.
    s.sql(&q)
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
    let file_id = insert_file(s, &mut tx, file, &packed, None).await?;
    let mut ids = Vec::with_capacity(prepared.len());
    for p in &prepared {
        ids.push(upsert_activity(s, &mut tx, file_id, p, true).await?);
    }
    for &old in replaces {
        let old_file = s
            .sql("SELECT file_id FROM activities WHERE athlete_id = $1 AND id = $2")
            .bind(old)
            .scalar::<FileId>(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound {
                what: "activity",
                id: old.0,
            })?;
        // Files that duplicated the old copy now duplicate the new one.
        s.sql("UPDATE files SET duplicate_of = $2 WHERE athlete_id = $1 AND duplicate_of = $3")
            .bind(ids[0])
            .bind(old)
            .execute(&mut *tx)
            .await?;
        s.sql("DELETE FROM activities WHERE athlete_id = $1 AND id = $2")
            .bind(old)
            .execute(&mut *tx)
            .await?;
        // The old file becomes a duplicate once none of its activities is left.
        s.sql(
            "UPDATE files SET duplicate_of = $2 WHERE athlete_id = $1 AND id = $3 AND NOT EXISTS \
             (SELECT 1 FROM activities WHERE athlete_id = $1 AND file_id = $3)",
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
    let q = format!(
        "{ACTIVITY_SELECT} WHERE a.athlete_id = $1 AND a.deleted_ms IS NULL \
         ORDER BY a.start_ms DESC, a.id DESC"
    );
    s.sql(&q)
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
    let q =
        format!("{ACTIVITY_SELECT} WHERE a.athlete_id = $1 AND a.id = $2 AND a.deleted_ms IS NULL");
    let Some(row) = s.sql(&q).bind(id).optional::<ActivityDb>(&mut *tx).await? else {
        return Ok(None);
    };
    // Laps through their activity, which is the athlete's.
    let laps = s
        .sql(
            "SELECT l.start_ms, l.elapsed_s, l.moving_s, l.distance_m, l.ascent_m, \
             l.descent_m, l.avg_hr, l.max_hr, l.avg_cadence \
             FROM laps l JOIN activities a ON a.id = l.activity_id \
             WHERE a.athlete_id = $1 AND l.activity_id = $2 ORDER BY l.idx",
        )
        .bind(id)
        .all::<LapDb>(&mut *tx)
        .await?;
    let blob = s
        .sql("SELECT samples FROM activities WHERE athlete_id = $1 AND id = $2")
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
    let duplicate_of = s
        .sql("SELECT duplicate_of FROM files WHERE athlete_id = $1 AND id = $2")
        .bind(file)
        .scalar::<Option<ActivityId>>(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound {
            what: "file",
            id: file.0,
        })?;
    if duplicate_of.is_some() {
        // Its runs live on in the richer copy; re-creating them would duplicate it.
        return Ok(Vec::new());
    }
    let existing = s
        // A deleted activity is the person's to bring back: never removed here.
        .sql(
            "SELECT id, session FROM activities WHERE athlete_id = $1 AND file_id = $2 \
             AND deleted_ms IS NULL",
        )
        .bind(file)
        .all::<(ActivityId, i32)>(&mut *tx)
        .await?;
    let mut ids = Vec::with_capacity(prepared.len());
    for p in &prepared {
        ids.push(upsert_activity(s, &mut tx, file, p, false).await?);
    }
    for &(id, session) in &existing {
        if !prepared.iter().any(|p| p.session == session) {
            s.sql("DELETE FROM activities WHERE athlete_id = $1 AND id = $2")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(ids)
}
