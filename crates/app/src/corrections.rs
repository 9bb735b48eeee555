//! A person's corrections of activities: edits kept beside what the file said, deletions that
//! can be undone, and merging two recordings of one run into one activity.

use serde::Serialize;
use soleus_model::{Activity, Sport};
use soleus_store::{ActivityEdit, ActivityId, EditRow};

use crate::{App, AppError, Result};

/// What `edit` takes: each field given is set.
#[derive(Debug, Clone, Default)]
pub struct EditRequest {
    /// The new name.
    pub name: Option<String>,
    /// The new sport, by code (`run`, `trail_run`, `ride`, …).
    pub sport: Option<String>,
    /// The new shoe by name (created if new), or `none`.
    pub shoe: Option<String>,
}

/// What a correction did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionReport {
    /// `edited`, `deleted`, `restored`, `merged` or `unmerged`.
    pub action: &'static str,
    /// The activity corrected (for a merge, the one merged away).
    pub id: ActivityId,
    /// For a merge: the activity kept.
    pub kept: Option<ActivityId>,
    /// A sentence for people.
    pub message: String,
    /// The command that undoes it, when there is one.
    pub undo: Option<String>,
    /// The activity's edits, oldest first (for `edited`).
    pub edits: Vec<EditRow>,
}

/// Kinds of data a recording carries (position, altitude, distance, speed, heart rate,
/// cadence, power), then its number of samples: the richer recording is kept on a merge.
pub fn richness(a: &Activity) -> (usize, usize) {
    let s = &a.samples;
    let kinds = [
        s.iter().any(|x| x.lat.is_some() && x.lon.is_some()),
        s.iter().any(|x| x.alt.is_some()),
        s.iter().any(|x| x.dist.is_some()),
        s.iter().any(|x| x.speed.is_some()),
        s.iter().any(|x| x.hr.is_some()),
        s.iter().any(|x| x.cadence.is_some()),
        s.iter().any(|x| x.power.is_some()),
    ];
    (kinds.iter().filter(|k| **k).count(), s.len())
}

fn sport_codes() -> String {
    Sport::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl App {
    /// An activity as stored, or a clear not-found naming what to do (a deleted one says how
    /// to bring it back).
    async fn live_activity(&self, id: ActivityId) -> Result<Activity> {
        match self.store.activity(id).await? {
            Some(s) => Ok(s.activity),
            None => Err(self.missing(id).await),
        }
    }

    /// When `id` is a deleted or merged activity: a sentence saying so and how to undo it.
    pub async fn deleted_note(&self, id: ActivityId) -> Result<Option<String>> {
        let deleted = self
            .store
            .deleted_activities()
            .await?
            .into_iter()
            .find(|d| d.row.id == id);
        Ok(deleted.map(|d| match d.merged_into {
            Some(kept) => format!(
                "activity {id} was merged into activity {kept}; undo with `soleus merge \
                 --undo {id}`"
            ),
            None => {
                format!("activity {id} is deleted; bring it back with `soleus delete --undo {id}`")
            }
        }))
    }

    async fn missing(&self, id: ActivityId) -> AppError {
        match self.deleted_note(id).await {
            Ok(Some(message)) => AppError::Invalid {
                field: "id",
                message,
            },
            Ok(None) => AppError::NotFound {
                what: "activity",
                id: id.to_string(),
            },
            Err(e) => e,
        }
    }

    /// The edits kept beside an activity, oldest first.
    pub async fn activity_edits(&self, id: ActivityId) -> Result<Vec<EditRow>> {
        Ok(self.store.activity_edits(id).await?)
    }

    /// Corrects an activity's name, sport or shoe. The file and what it said are kept: each
    /// edit is recorded beside the activity, and a reparse keeps it.
    pub async fn edit_activity(
        &self,
        id: ActivityId,
        req: &EditRequest,
    ) -> Result<CorrectionReport> {
        self.live_activity(id).await?;
        let name = match req.name.as_deref().map(str::trim) {
            Some("") => {
                return Err(AppError::Invalid {
                    field: "name",
                    message: "the name is empty; give the activity a name".into(),
                });
            }
            n => n.map(str::to_string),
        };
        let sport = match req.sport.as_deref() {
            None => None,
            Some(s) => {
                let code = s.trim().to_ascii_lowercase().replace('-', "_");
                Some(Sport::parse(&code).ok_or_else(|| AppError::Invalid {
                    field: "sport",
                    message: format!("unknown sport {s:?}; known: {}", sport_codes()),
                })?)
            }
        };
        let shoe = match req.shoe.as_deref().map(str::trim) {
            None => None,
            Some(s) if s.eq_ignore_ascii_case("none") => Some(None),
            Some("") => {
                return Err(AppError::Invalid {
                    field: "shoe",
                    message: "the shoe is empty; give its name, or `none`".into(),
                });
            }
            Some(s) => Some(Some(self.store.shoe_by_name(s).await?)),
        };
        let edit = ActivityEdit { name, sport, shoe };
        if edit.is_empty() {
            return Err(AppError::Invalid {
                field: "",
                message: format!(
                    "nothing to edit on activity {id}: give --name, --sport or --shoe"
                ),
            });
        }
        self.store.edit_activity(id, &edit).await?;
        Ok(CorrectionReport {
            action: "edited",
            id,
            kept: None,
            message: format!("activity {id} edited; the file's own values are kept beside it"),
            undo: None,
            edits: self.store.activity_edits(id).await?,
        })
    }

    /// Deletes an activity: it leaves every list and the load; its file is kept, and
    /// [`App::restore_activity`] brings it back.
    pub async fn delete_activity(&self, id: ActivityId) -> Result<CorrectionReport> {
        self.live_activity(id).await?;
        self.store.delete_activity(id, None).await?;
        Ok(CorrectionReport {
            action: "deleted",
            id,
            kept: None,
            message: format!("activity {id} deleted; its original file is kept"),
            undo: Some(format!("soleus delete --undo {id}")),
            edits: Vec::new(),
        })
    }

    /// Brings a deleted (or merged) activity back.
    pub async fn restore_activity(&self, id: ActivityId) -> Result<CorrectionReport> {
        let deleted = self
            .store
            .deleted_activities()
            .await?
            .into_iter()
            .find(|d| d.row.id == id);
        let Some(d) = deleted else {
            return Err(match self.store.activity(id).await? {
                Some(_) => AppError::Invalid {
                    field: "id",
                    message: format!("activity {id} is not deleted or merged; nothing to undo"),
                },
                None => AppError::NotFound {
                    what: "activity",
                    id: id.to_string(),
                },
            });
        };
        self.store.undelete_activity(id).await?;
        let (action, message) = match d.merged_into {
            Some(kept) => (
                "unmerged",
                format!("activity {id} is its own activity again, beside activity {kept}"),
            ),
            None => ("restored", format!("activity {id} is back")),
        };
        Ok(CorrectionReport {
            action,
            id,
            kept: None,
            message,
            undo: None,
            edits: Vec::new(),
        })
    }

    /// Merges two recordings of one run: the richer (more kinds of data, then more samples;
    /// the first named on a tie) stays the activity, the other is linked to it as a duplicate
    /// (its file kept) and leaves the lists and the load, so the run counts once.
    pub async fn merge_activities(&self, a: ActivityId, b: ActivityId) -> Result<CorrectionReport> {
        if a == b {
            return Err(AppError::Invalid {
                field: "id",
                message: format!("activity {a} cannot be merged with itself: name two activities"),
            });
        }
        let first = self.live_activity(a).await?;
        let second = self.live_activity(b).await?;
        let (kept, merged) = if richness(&second) > richness(&first) {
            (b, a)
        } else {
            (a, b)
        };
        self.store.delete_activity(merged, Some(kept)).await?;
        Ok(CorrectionReport {
            action: "merged",
            id: merged,
            kept: Some(kept),
            message: format!(
                "activity {merged} merged into activity {kept} (the richer recording); its \
                 file is kept as a duplicate of {kept}"
            ),
            undo: Some(format!("soleus merge --undo {merged}")),
            edits: Vec::new(),
        })
    }
}
