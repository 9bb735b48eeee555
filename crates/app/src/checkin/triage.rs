//! Every stored check-in is triaged when it is stored, with the red flags of earlier check-ins
//! that are still in force: a quick pain log or a shorter form never lowers the level, and only a
//! clinician's clearance or a later check-in answering the same questions without the flag lifts
//! it (knowledge base §1.14). The plan reads these records (kind [`Kind::Triage`]) as events.

use chrono::NaiveDate;
use soleus_model::assess::{Triage, TriageEntry, TriageRecord};
use soleus_model::plan::Clearance;
use soleus_store::EntryId;

use crate::Result;
use crate::journal::{Entry, Journal};

/// The triage records in the order their check-ins happened (day, then check-in id).
pub(crate) async fn records(j: Journal<'_>) -> Result<Vec<Entry<TriageEntry>>> {
    let mut out = j.read::<TriageEntry>().await?;
    out.sort_by_key(|e| (e.day, e.body.checkin_id));
    Ok(out)
}

/// Whether a clearance was recorded after the record `entry` (and, with `until`, on or before
/// that day).
async fn cleared_since(
    j: Journal<'_>,
    entry: &Entry<TriageEntry>,
    until: Option<NaiveDate>,
) -> Result<bool> {
    Ok(j.read::<Clearance>()
        .await?
        .iter()
        .any(|c| until.is_none_or(|d| c.day <= d) && (c.day, c.id) > (entry.day, entry.id)))
}

/// The record in force before a check-in of `day` (and id `checkin_id`, when it is stored),
/// unless a clinician's clearance was recorded after it.
pub(crate) async fn previous(
    j: Journal<'_>,
    day: NaiveDate,
    checkin_id: Option<EntryId>,
) -> Result<Option<TriageRecord>> {
    let before = records(j).await?.into_iter().rfind(|e| {
        // The model's documents keep the bare number of the entry they refer to.
        let theirs = EntryId(e.body.checkin_id);
        Some(theirs) != checkin_id
            && (e.day, theirs) < (day, checkin_id.unwrap_or(EntryId(i64::MAX)))
    });
    let Some(entry) = before else {
        return Ok(None);
    };
    let cleared = cleared_since(j, &entry, Some(day)).await?;
    Ok((!cleared).then_some(entry.body.record))
}

/// The latest check-in's red flags when any is in force (not cleared by a clinician since):
/// every plan, the shoe transition included, waits for a clinician then.
pub(crate) async fn red_flag_in_force(j: Journal<'_>) -> Result<Option<TriageRecord>> {
    let Some(latest) = records(j).await?.pop() else {
        return Ok(None);
    };
    if latest.body.record.triage == Triage::SelfCare && !latest.body.record.bone_stress_suspected {
        return Ok(None);
    }
    let cleared = cleared_since(j, &latest, None).await?;
    Ok((!cleared).then_some(latest.body.record))
}
