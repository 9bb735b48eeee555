//! A person's corrections of activities (migration 0015): edits kept beside what the file
//! said, deletions that can be undone, and merges of two recordings of one run.

use super::{Backend, SqlStore, Tx};
use crate::decode::{ACTIVITY_SELECT, ActivityDb, from_ms};
use crate::prepare::now_ms;
use crate::{ActivityEdit, ActivityId, ActivityRow, DeletedActivity, EditRow, ShoeId, StoreError};

/// An `activity_edits` row.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EditDb {
    field: String,
    device: Option<String>,
    before: Option<String>,
    after: Option<String>,
    edited_ms: i64,
}

/// A deleted activity's id, when it was deleted, and what it was merged into.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct DeletedDb {
    id: ActivityId,
    deleted_ms: i64,
    merged_into: Option<ActivityId>,
}

fn not_found(id: ActivityId) -> StoreError {
    StoreError::NotFound {
        what: "activity",
        id: id.0,
    }
}

/// The stored (not deleted) activity's name, sport and shoe name.
async fn current<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    id: ActivityId,
) -> Result<ActivityRow, StoreError> {
    let q =
        format!("{ACTIVITY_SELECT} WHERE a.athlete_id = $1 AND a.id = $2 AND a.deleted_ms IS NULL");
    let row = s
        .sql(&q)
        .bind(id)
        .optional::<ActivityDb>(&mut **tx)
        .await?
        .ok_or_else(|| not_found(id))?;
    ActivityRow::try_from(row)
}

/// What the file said of `field`: the device value of its first edit, else the value now.
async fn device_value<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    id: ActivityId,
    field: &str,
    now: Option<String>,
) -> Result<Option<String>, StoreError> {
    let first = s
        .sql(
            "SELECT device, before, after, field, edited_ms FROM activity_edits \
             WHERE athlete_id = $1 AND activity_id = $2 AND field = $3 ORDER BY id LIMIT 1",
        )
        .bind(id)
        .bind(field)
        .optional::<EditDb>(&mut **tx)
        .await?;
    Ok(match first {
        Some(e) => e.device,
        None => now,
    })
}

async fn record<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    id: ActivityId,
    field: &str,
    (device, before, after): (Option<String>, Option<String>, Option<String>),
    at: i64,
) -> Result<(), StoreError> {
    s.sql(
        "INSERT INTO activity_edits (athlete_id, activity_id, field, device, before, after, \
         edited_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(field)
    .bind(device)
    .bind(before)
    .bind(after)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn edit<DB: Backend>(
    s: &SqlStore<DB>,
    id: ActivityId,
    edit: &ActivityEdit,
) -> Result<(), StoreError> {
    if edit.is_empty() {
        return Err(StoreError::Invalid(
            "the edit changes nothing: give a name, a sport or a shoe".into(),
        ));
    }
    let at = now_ms();
    let mut tx = s.begin_write().await?;
    let row = current(s, &mut tx, id).await?;
    if let Some(name) = &edit.name {
        let device = device_value(s, &mut tx, id, "name", row.name.clone()).await?;
        record(
            s,
            &mut tx,
            id,
            "name",
            (device, row.name.clone(), Some(name.clone())),
            at,
        )
        .await?;
        s.sql("UPDATE activities SET name = $3 WHERE athlete_id = $1 AND id = $2")
            .bind(id)
            .bind(name.as_str())
            .execute(&mut *tx)
            .await?;
    }
    if let Some(sport) = edit.sport {
        let was = Some(row.sport.as_str().to_string());
        let device = device_value(s, &mut tx, id, "sport", was.clone()).await?;
        record(
            s,
            &mut tx,
            id,
            "sport",
            (device, was, Some(sport.as_str().to_string())),
            at,
        )
        .await?;
        s.sql("UPDATE activities SET sport = $3 WHERE athlete_id = $1 AND id = $2")
            .bind(id)
            .bind(sport.as_str())
            .execute(&mut *tx)
            .await?;
    }
    if let Some(shoe) = edit.shoe {
        let after = match shoe {
            Some(shoe_id) => Some(shoe_name(s, &mut tx, shoe_id).await?),
            None => None,
        };
        record(s, &mut tx, id, "shoe", (None, row.shoe.clone(), after), at).await?;
        s.sql("UPDATE activities SET shoe_id = $3 WHERE athlete_id = $1 AND id = $2")
            .bind(id)
            .bind(shoe)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn shoe_name<DB: Backend>(
    s: &SqlStore<DB>,
    tx: &mut Tx<DB>,
    id: ShoeId,
) -> Result<String, StoreError> {
    s.sql("SELECT name FROM shoes WHERE athlete_id = $1 AND id = $2")
        .bind(id)
        .scalar::<String>(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound {
            what: "shoe",
            id: id.0,
        })
}

pub(super) async fn edits<DB: Backend>(
    s: &SqlStore<DB>,
    id: ActivityId,
) -> Result<Vec<EditRow>, StoreError> {
    s.sql(
        "SELECT field, device, before, after, edited_ms FROM activity_edits \
         WHERE athlete_id = $1 AND activity_id = $2 ORDER BY id",
    )
    .bind(id)
    .all::<EditDb>(&mut *s.conn().await?)
    .await?
    .into_iter()
    .map(|e| {
        Ok(EditRow {
            field: e.field,
            device: e.device,
            before: e.before,
            after: e.after,
            edited_at: from_ms(e.edited_ms)?,
        })
    })
    .collect()
}

pub(super) async fn delete<DB: Backend>(
    s: &SqlStore<DB>,
    id: ActivityId,
    merged_into: Option<ActivityId>,
) -> Result<(), StoreError> {
    if merged_into == Some(id) {
        return Err(StoreError::Invalid(format!(
            "activity {id} cannot be merged into itself"
        )));
    }
    let mut tx = s.begin_write().await?;
    current(s, &mut tx, id).await?;
    if let Some(kept) = merged_into {
        current(s, &mut tx, kept).await?;
        // What was merged into this one now belongs to the one kept.
        s.sql("UPDATE activities SET merged_into = $3 WHERE athlete_id = $1 AND merged_into = $2")
            .bind(id)
            .bind(kept)
            .execute(&mut *tx)
            .await?;
    }
    s.sql(
        "UPDATE activities SET deleted_ms = $3, merged_into = $4 \
         WHERE athlete_id = $1 AND id = $2",
    )
    .bind(id)
    .bind(now_ms())
    .bind(merged_into)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn undelete<DB: Backend>(
    s: &SqlStore<DB>,
    id: ActivityId,
) -> Result<(), StoreError> {
    let n = s
        .sql(
            "UPDATE activities SET deleted_ms = NULL, merged_into = NULL \
             WHERE athlete_id = $1 AND id = $2 AND deleted_ms IS NOT NULL",
        )
        .bind(id)
        .execute(&mut *s.conn().await?)
        .await?;
    if n == 0 {
        return Err(not_found(id));
    }
    Ok(())
}

pub(super) async fn deleted<DB: Backend>(
    s: &SqlStore<DB>,
) -> Result<Vec<DeletedActivity>, StoreError> {
    let mut tx = s.begin_read().await?;
    let q = format!(
        "{ACTIVITY_SELECT} WHERE a.athlete_id = $1 AND a.deleted_ms IS NOT NULL \
         ORDER BY a.id"
    );
    let rows = s.sql(&q).all::<ActivityDb>(&mut *tx).await?;
    let marks = s
        .sql(
            "SELECT id, deleted_ms, merged_into FROM activities \
             WHERE athlete_id = $1 AND deleted_ms IS NOT NULL ORDER BY id",
        )
        .all::<DeletedDb>(&mut *tx)
        .await?;
    tx.commit().await?;
    rows.into_iter()
        .map(|r| {
            let row = ActivityRow::try_from(r)?;
            let mark = marks
                .iter()
                .find(|m| m.id == row.id)
                .ok_or_else(|| StoreError::Corrupt(format!("activity {} changed", row.id)))?;
            Ok(DeletedActivity {
                deleted_at: from_ms(mark.deleted_ms)?,
                merged_into: mark.merged_into,
                row,
            })
        })
        .collect()
}
