//! Load summaries and session RPE, and the journal (check-ins, scores, assessments, plans,
//! energy logs).

use std::sync::Arc;

use soleus_model::journal::Kind;
use soleus_model::load::RunSummary;

use super::write::save_summary;
use super::{Backend, SqlStore};
use crate::decode::SummaryDb;
use crate::{ActivityId, EntryId, JournalEntry, StoreError, SummaryRow};

pub(super) async fn summaries<DB: Backend>(
    s: &SqlStore<DB>,
) -> Result<Vec<SummaryRow>, StoreError> {
    let mut conn = s.conn().await?;
    // The revision first, then the rows (sql/cache.rs says why the order matters).
    let revision = s
        .sql("SELECT load_revision FROM athletes WHERE id = $1")
        .scalar::<i64>(&mut conn)
        .await?;
    if let Some(rows) = revision.and_then(|r| s.summaries.get(s.athlete, r)) {
        return Ok(rows.as_ref().clone());
    }
    let rows = s
        .sql(crate::decode::SUMMARY_SELECT)
        .all::<SummaryDb>(&mut conn)
        .await?
        .into_iter()
        .map(SummaryRow::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(r) = revision {
        s.summaries.put(s.athlete, r, Arc::new(rows.clone()));
    }
    Ok(rows)
}

pub(super) async fn set_summary<DB: Backend>(
    s: &SqlStore<DB>,
    id: ActivityId,
    summary: &RunSummary,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(summary)
        .map_err(|e| StoreError::Invalid(format!("summary not serialisable: {e}")))?;
    let mut tx = s.begin_write().await?;
    if !save_summary(s, &mut tx, id, &json).await? {
        return Err(StoreError::NotFound {
            what: "activity",
            id: id.0,
        });
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn set_rpe<DB: Backend>(
    s: &SqlStore<DB>,
    id: ActivityId,
    rpe: Option<u8>,
) -> Result<(), StoreError> {
    if let Some(r) = rpe.filter(|r| !soleus_model::load::rpe_on_scale(*r)) {
        return Err(StoreError::Invalid(format!(
            "RPE {r} is outside the CR-10 scale 0–10"
        )));
    }
    // Written only through the activity, so another athlete's activity is not found.
    let n = s
        .sql(
            "INSERT INTO activity_load (athlete_id, activity_id, rpe) \
             SELECT athlete_id, id, $3 FROM activities WHERE athlete_id = $1 AND id = $2 \
             ON CONFLICT (activity_id) DO UPDATE SET rpe = excluded.rpe",
        )
        .bind(id)
        .bind(rpe.map(i16::from))
        .execute(&mut *s.conn().await?)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "activity",
            id: id.0,
        });
    }
    Ok(())
}

pub(super) async fn add_entry<DB: Backend>(
    s: &SqlStore<DB>,
    kind: Kind,
    day: chrono::NaiveDate,
    body: &serde_json::Value,
) -> Result<EntryId, StoreError> {
    Ok(s.sql(
        "INSERT INTO journal (athlete_id, kind, day, created_ms, body) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(day.to_string())
    .bind(crate::prepare::now_ms())
    .bind(body.to_string())
    .one::<(EntryId,)>(&mut *s.conn().await?)
    .await?
    .0)
}

pub(super) async fn entries<DB: Backend>(
    s: &SqlStore<DB>,
    kind: Kind,
) -> Result<Vec<JournalEntry>, StoreError> {
    s.sql(
        "SELECT id, kind, day, created_ms, body FROM journal \
         WHERE athlete_id = $1 AND kind = $2 ORDER BY day, id",
    )
    .bind(kind.as_str())
    .all::<(EntryId, String, String, i64, String)>(&mut *s.conn().await?)
    .await?
    .into_iter()
    .map(crate::decode::journal_entry)
    .collect()
}

pub(super) async fn delete_entry<DB: Backend>(
    s: &SqlStore<DB>,
    kind: Kind,
    id: EntryId,
) -> Result<bool, StoreError> {
    let n = s
        .sql("DELETE FROM journal WHERE athlete_id = $1 AND id = $2 AND kind = $3")
        .bind(id)
        .bind(kind.as_str())
        .execute(&mut *s.conn().await?)
        .await?;
    Ok(n > 0)
}
