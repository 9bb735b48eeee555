//! Every stored check-in is triaged when it is stored, with the red flags of earlier check-ins
//! that are still in force: a quick pain log or a shorter form never lowers the level, and only a
//! clinician's clearance or a later check-in answering the same questions without the flag lifts
//! it. The plan reads these records (kind `triage`) as events.

use anyhow::Context;
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use soleus_app::App;
use soleus_model::assess::{Assessment, CheckIn, LoadFinding, Rules, TriageRecord, triage_checkin};
use soleus_store::{JournalEntry, Store};

use crate::profile;

/// The body of a `triage` journal entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Stored {
    /// The check-in it belongs to.
    pub checkin_id: i64,
    /// The triage.
    #[serde(flatten)]
    pub record: TriageRecord,
}

/// The triage records in the order their check-ins happened (day, then check-in id).
pub(crate) async fn records(store: &dyn Store) -> anyhow::Result<Vec<(JournalEntry, Stored)>> {
    let mut out = Vec::new();
    for e in store.entries("triage").await? {
        let s: Stored = serde_json::from_value(e.body.clone())
            .with_context(|| format!("triage entry {} is unreadable", e.id))?;
        out.push((e, s));
    }
    out.sort_by_key(|(e, s)| (e.day, s.checkin_id));
    Ok(out)
}

/// The record in force before a check-in of `day` (and id `checkin_id`, when it is stored),
/// unless a clinician's clearance was recorded after it.
async fn previous(
    store: &dyn Store,
    day: chrono::NaiveDate,
    checkin_id: Option<i64>,
) -> anyhow::Result<Option<TriageRecord>> {
    let before = records(store).await?.into_iter().rfind(|(e, s)| {
        Some(s.checkin_id) != checkin_id
            && (e.day, s.checkin_id) < (day, checkin_id.unwrap_or(i64::MAX))
    });
    let Some((entry, stored)) = before else {
        return Ok(None);
    };
    let cleared = store
        .entries("clearance")
        .await?
        .iter()
        .any(|c| c.day <= day && (c.day, c.id) > (entry.day, entry.id));
    Ok((!cleared).then_some(stored.record))
}

/// The latest check-in's red flags when any is in force (not cleared by a clinician since):
/// every plan, the shoe transition included, waits for a clinician then.
pub(crate) async fn red_flag_in_force(store: &dyn Store) -> anyhow::Result<Option<TriageRecord>> {
    let Some((entry, latest)) = records(store).await?.pop() else {
        return Ok(None);
    };
    if latest.record.triage == soleus_model::assess::Triage::SelfCare
        && !latest.record.bone_stress_suspected
    {
        return Ok(None);
    }
    let cleared = store
        .entries("clearance")
        .await?
        .iter()
        .any(|c| (c.day, c.id) > (entry.day, entry.id));
    Ok((!cleared).then_some(latest.record))
}

/// The runner's load warnings up to the check-in's day.
async fn load_findings(app: &App, c: &CheckIn) -> anyhow::Result<Vec<LoadFinding>> {
    let risk = app.risk_report(Some(c.date)).await?;
    Ok(LoadFinding::from_report(&risk))
}

/// Assesses a stored (or about to be stored) check-in with the flags still in force.
pub(crate) async fn assess_in_context(
    app: &App,
    c: &CheckIn,
    checkin_id: Option<i64>,
) -> anyhow::Result<(Assessment, TriageRecord)> {
    let store = app.store();
    let load = load_findings(app, c).await?;
    let prev = previous(store, c.date, checkin_id).await?;
    Ok(triage_checkin(c, &load, prev.as_ref(), Rules::builtin()))
}

/// Stores a check-in and its triage; refuses one dated in the future (a typo there would start
/// a plan, and place its pain reports, on a day that has not happened). Without an age in the
/// check-in, the profile's birth year gives the younger possible age.
pub(crate) async fn store_checkin(
    app: &App,
    c: &CheckIn,
) -> anyhow::Result<(i64, CheckIn, Assessment, TriageRecord)> {
    let store = app.store();
    let athlete = profile::load(store).await?;
    let today = profile::today(&athlete)?;
    if c.date > today {
        anyhow::bail!(
            "date: {} is in the future (today is {today}); check the check-in's date",
            c.date
        );
    }
    let mut c = c.clone();
    if c.age_years.is_none()
        && let Some(by) = athlete.birth_year
    {
        c.age_years = u8::try_from(c.date.year() - by - 1)
            .ok()
            .filter(|a| (1..=120).contains(a));
    }
    let (a, record) = assess_in_context(app, &c, None).await?;
    let id = store.add_entry("checkin", c.date, &c.to_value()).await?;
    let body = Stored {
        checkin_id: id,
        record: record.clone(),
    };
    store
        .add_entry("triage", c.date, &serde_json::to_value(&body)?)
        .await?;
    Ok((id, c, a, record))
}
