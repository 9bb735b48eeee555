//! The journal: dated documents of one kind each (check-ins, their triage, assessments, plans,
//! clearances, checklists, questionnaire results), read and written as model types.

use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;
use soleus_store::Store;

use crate::{AppError, Result};

/// The kind of a journal entry: each kind is defined here once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A symptom check-in (`soleus_model::assess::CheckIn`).
    CheckIn,
    /// A stored check-in's triage (`soleus_model::assess::TriageEntry`).
    Triage,
    /// A saved assessment (the assessment document with its `checkin_id`).
    Assessment,
    /// A plan started (`soleus_model::plan::StoredPlan`).
    Plan,
    /// A clinician's clearance (`soleus_model::plan::Clearance`).
    Clearance,
    /// The calf-strain return-to-run checklist (`soleus_model::plan::MuscleChecklist`).
    Checklist,
    /// A scored questionnaire (`soleus_model::questionnaires::Scored`).
    Score,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 7] = [
        Kind::CheckIn,
        Kind::Triage,
        Kind::Assessment,
        Kind::Plan,
        Kind::Clearance,
        Kind::Checklist,
        Kind::Score,
    ];

    /// The kind as the store keeps it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::CheckIn => "checkin",
            Kind::Triage => "triage",
            Kind::Assessment => "assessment",
            Kind::Plan => "plan",
            Kind::Clearance => "clearance",
            Kind::Checklist => "checklist",
            Kind::Score => "score",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One journal entry with its document read as `T`.
#[derive(Debug, Clone)]
pub(crate) struct Entry<T> {
    /// The entry's id: entries are numbered in the order they were recorded.
    pub id: i64,
    /// The day it is about.
    pub day: NaiveDate,
    /// The document.
    pub body: T,
}

/// The journal of the store's athlete.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Journal<'a>(pub &'a dyn Store);

impl Journal<'_> {
    /// Every entry of a kind, oldest first, each read as `T`; one that cannot be read is an
    /// error naming it (a plan must not be replayed over a check-in it silently skipped).
    pub async fn read<T: DeserializeOwned>(self, kind: Kind) -> Result<Vec<Entry<T>>> {
        self.0
            .entries(kind.as_str())
            .await?
            .into_iter()
            .map(|e| {
                let body = serde_json::from_value(e.body).map_err(|err| {
                    AppError::invalid(
                        kind.as_str(),
                        format!("{kind} entry {} is unreadable: {err}", e.id),
                    )
                })?;
                Ok(Entry {
                    id: e.id,
                    day: e.day,
                    body,
                })
            })
            .collect()
    }

    /// Records a document of a kind for a day; returns its id.
    pub async fn add<T: Serialize>(self, kind: Kind, day: NaiveDate, body: &T) -> Result<i64> {
        let value = serde_json::to_value(body).map_err(|e| {
            AppError::invalid(kind.as_str(), format!("{kind} not serialisable: {e}"))
        })?;
        Ok(self.0.add_entry(kind.as_str(), day, &value).await?)
    }

    /// Deletes an entry of a kind; `false` when there is none with that id.
    pub async fn delete(self, kind: Kind, id: i64) -> Result<bool> {
        Ok(self.0.delete_entry(kind.as_str(), id).await?)
    }
}
