//! Reading every stored original file again with the current decoders, so a better decoder
//! improves old imports without the person finding their files again.

use serde::Serialize;
use soleus_formats::Limits;
use soleus_model::Activity;
use soleus_model::load::RunSummary;
use soleus_store::ActivityId;
use soleus_store::NewActivity;

use crate::{App, Result};

/// What [`App::reparse`] did (the document of `soleus reparse --json`).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReparseReport {
    /// Files read again.
    pub reparsed: u64,
    /// Files the current decoders refuse; their activities were kept as they were.
    pub failed: u64,
    /// Every file that owns activities, in import order.
    pub files: Vec<ReparsedFile>,
}

/// One file's line in the reparse report. The published document lists its keys in
/// alphabetical order, as here; a key that does not apply to the outcome is left out.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReparsedFile {
    /// The activities the file holds now (when reparsed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_ids: Option<Vec<ActivityId>>,
    /// `reparsed` or `failed`.
    pub outcome: ReparseOutcome,
    /// The file, as named when it was imported.
    pub path: String,
    /// Why the current decoders refuse it (when failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What could not be read (when reparsed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
}

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReparseOutcome {
    /// Read again; its activities were replaced, keeping their ids, names and shoes.
    Reparsed,
    /// The current decoders refuse it; its activities stay as they were.
    Failed,
}

impl App {
    /// Reads every stored original again with the current decoders and replaces the activities
    /// each file owns (keeping their ids, names, shoes and RPE). A file the decoders now refuse
    /// keeps its activities: a newer decoder refusing a file never loses what an older one read.
    pub async fn reparse(&self) -> Result<ReparseReport> {
        let store = self.store.as_ref();
        let files = store.files().await?;
        let mut rows = store.list_activities().await?;
        // Deleted and merged activities are decoded again too (and stay deleted), so an undo
        // brings back what the current decoders read.
        rows.extend(store.deleted_activities().await?.into_iter().map(|d| d.row));
        let athlete = self.athlete().await?;
        let hr = athlete
            .hr_anchors(self.observed_max_hr().await?)
            .map(|h| h.profile);
        let mut sum = ReparseReport::default();
        for f in files.iter().filter(|f| f.duplicate_of.is_none()) {
            let bytes = store.file_bytes(f.id).await?;
            match soleus_formats::decode(&bytes, &Limits::default()) {
                Ok(decoded) => {
                    // Only the sessions this file still owns: the others were kept from a
                    // richer copy elsewhere, and re-creating them would duplicate it.
                    let owned: Vec<u32> = rows
                        .iter()
                        .filter(|r| r.file_id == f.id)
                        .filter_map(|r| u32::try_from(r.session).ok())
                        .collect();
                    let kept: Vec<(u32, &Activity, RunSummary)> = (0u32..)
                        .zip(&decoded.activities)
                        .filter(|(s, _)| owned.contains(s))
                        .map(|(s, a)| (s, a, RunSummary::from_activity(a, hr.as_ref())))
                        .collect();
                    let new: Vec<NewActivity<'_>> = kept
                        .iter()
                        .map(|(session, a, summary)| NewActivity {
                            activity: a,
                            shoe: None,
                            session: *session,
                            summary: Some(summary),
                            encoded: None,
                        })
                        .collect();
                    let ids = store.replace_file_activities(f.id, &new).await?;
                    sum.reparsed += 1;
                    sum.files.push(ReparsedFile {
                        activity_ids: Some(ids),
                        outcome: ReparseOutcome::Reparsed,
                        path: f.name.clone(),
                        reason: None,
                        warnings: Some(decoded.warnings),
                    });
                }
                Err(e) => {
                    sum.failed += 1;
                    sum.files.push(ReparsedFile {
                        activity_ids: None,
                        outcome: ReparseOutcome::Failed,
                        path: f.name.clone(),
                        reason: Some(e.to_string()),
                        warnings: None,
                    });
                }
            }
        }
        Ok(sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_line_is_the_document_the_cli_has_always_printed() {
        // The published lines were built as JSON objects, whose keys serialise sorted.
        let reparsed = ReparsedFile {
            activity_ids: Some(vec![ActivityId(4), ActivityId(5)]),
            outcome: ReparseOutcome::Reparsed,
            path: "a.fit".into(),
            reason: None,
            warnings: Some(vec!["cut".into()]),
        };
        let was = serde_json::json!({
            "path": "a.fit", "outcome": "reparsed", "activity_ids": [4, 5], "warnings": ["cut"],
        });
        let failed = ReparsedFile {
            activity_ids: None,
            outcome: ReparseOutcome::Failed,
            path: "b.gpx".into(),
            reason: Some("broken".into()),
            warnings: None,
        };
        let was_failed =
            serde_json::json!({ "path": "b.gpx", "outcome": "failed", "reason": "broken" });
        for (now, was) in [(reparsed, was), (failed, was_failed)] {
            assert_eq!(
                serde_json::to_string_pretty(&now).unwrap(),
                serde_json::to_string_pretty(&was).unwrap()
            );
        }
    }
}
