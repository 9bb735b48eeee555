//! The journal: dated documents of one kind each (check-ins, their triage, assessments, plans,
//! clearances, checklists, questionnaire results), read and written as model types.

use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;
use soleus_store::EntryId;
use soleus_store::Store;

use crate::{AppError, Result};

pub use soleus_model::journal::{Body, Kind};

/// One journal entry with its document read as `T`.
#[derive(Debug, Clone)]
pub(crate) struct Entry<T> {
    /// The entry's id: entries are numbered in the order they were recorded.
    pub id: EntryId,
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
    pub async fn read<T: Body + DeserializeOwned>(self) -> Result<Vec<Entry<T>>> {
        let kind = T::KIND;
        self.0
            .entries(kind)
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
    pub async fn add<T: Body + Serialize>(self, day: NaiveDate, body: &T) -> Result<EntryId> {
        let kind = T::KIND;
        let value = serde_json::to_value(body).map_err(|e| {
            AppError::invalid(kind.as_str(), format!("{kind} not serialisable: {e}"))
        })?;
        Ok(self.0.add_entry(kind, day, &value).await?)
    }

    /// Deletes an entry of `T`'s kind; `false` when there is none with that id.
    pub async fn delete<T: Body>(self, id: EntryId) -> Result<bool> {
        Ok(self.0.delete_entry(T::KIND, id).await?)
    }
}
