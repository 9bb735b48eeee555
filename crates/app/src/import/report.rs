//! What an import did, file by file: the view a front end prints (as lines, or as the JSON
//! document of `soleus import --json`, whose keys are published and stable).

use serde::{Deserialize, Serialize};
use soleus_store::ActivityId;

/// A file's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Its activities were stored.
    Imported,
    /// It (or every activity in it) was already stored.
    Duplicate,
    /// A valid file that is not an activity.
    Skipped,
    /// It could not be read; `reason` says why.
    Failed,
}

impl Outcome {
    /// The word a report shows for it (`FAILED` in capitals, so it stands out in a list).
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Imported => "imported",
            Outcome::Duplicate => "duplicate",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "FAILED",
        }
    }
}

/// One file's line in the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileReport {
    /// The file, as named to the person (`export.zip!/activities/1.fit.gz` inside archives).
    pub path: String,
    /// What became of it.
    pub outcome: Outcome,
    /// The (first) activity it became, or the one it duplicates.
    pub activity_id: Option<ActivityId>,
    /// Every activity it became (multisport files have several).
    pub activity_ids: Vec<ActivityId>,
    /// Why it was not imported.
    pub reason: Option<String>,
    /// What could not be read, for files imported in part.
    pub warnings: Vec<String>,
    /// Stored activities this file's richer copies replaced, each with the activity that
    /// replaced it.
    #[serde(skip)]
    pub(crate) replaced: Vec<(ActivityId, ActivityId)>,
    /// Why no later file can be stored either (the database's disk is full).
    #[serde(skip)]
    pub(crate) unwritable: Option<&'static str>,
}

impl FileReport {
    /// A report for `path`, outcome to be decided.
    pub(crate) fn new(path: &str) -> FileReport {
        FileReport {
            path: path.to_string(),
            outcome: Outcome::Failed,
            activity_id: None,
            activity_ids: Vec::new(),
            reason: None,
            warnings: Vec::new(),
            replaced: Vec::new(),
            unwritable: None,
        }
    }

    /// Marks the file failed.
    pub(crate) fn failed(mut self, reason: String) -> FileReport {
        self.outcome = Outcome::Failed;
        self.reason = Some(reason);
        self.activity_ids.clear();
        self.activity_id = None;
        self
    }

    /// Marks the file skipped.
    pub(crate) fn skipped(mut self, reason: String) -> FileReport {
        self.outcome = Outcome::Skipped;
        self.reason = Some(reason);
        self
    }

    /// Marks the file skipped because it decoded to no activity.
    pub(crate) fn skip_empty(&mut self) {
        self.outcome = Outcome::Skipped;
        self.reason = Some("the file holds no activity data".into());
    }

    /// Marks the file a duplicate.
    pub(crate) fn duplicate(mut self, reason: String, of: Option<ActivityId>) -> FileReport {
        self.mark_duplicate(reason, of);
        self
    }

    /// Marks the file a duplicate, in place.
    pub(crate) fn mark_duplicate(&mut self, reason: String, of: Option<ActivityId>) {
        self.outcome = Outcome::Duplicate;
        self.reason = Some(reason);
        self.activity_id = of;
    }

    /// Marks the file imported as these activities.
    pub(crate) fn imported(&mut self, ids: Vec<ActivityId>) {
        self.outcome = Outcome::Imported;
        self.activity_id = ids.first().copied();
        self.activity_ids = ids;
    }
}

/// The whole import.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Files imported.
    pub imported: u64,
    /// Files that duplicated stored ones.
    pub duplicate: u64,
    /// Files that are not activities.
    pub skipped: u64,
    /// Files that failed.
    pub failed: u64,
    /// Files in the given folders that were not activity files at all (photos, CSV, JSON).
    pub ignored: u64,
    /// Problems that are no one file's (an `activities.csv` read only in part), each once.
    pub warnings: Vec<String>,
    /// Every file, in order.
    pub files: Vec<FileReport>,
    /// Why the import stopped before the end (no later file could be stored either).
    #[serde(skip)]
    pub(crate) stopped: Option<&'static str>,
}

impl ImportReport {
    /// Adds a file's outcome. When its activities replaced poorer copies imported earlier in
    /// this same batch, those earlier files become duplicates of it, so that, whatever order
    /// the files came in, the poorer copy is the one reported as `duplicate`.
    pub(crate) fn push(&mut self, f: FileReport) {
        for &(id, kept) in &f.replaced {
            let Some(prev) = self.files.iter_mut().find(|p| p.activity_ids.contains(&id)) else {
                continue;
            };
            prev.activity_ids.retain(|a| *a != id);
            if prev.activity_ids.is_empty() && prev.outcome == Outcome::Imported {
                prev.mark_duplicate(
                    format!(
                        "the same run as {} (activity {kept}), which has more data",
                        f.path
                    ),
                    Some(kept),
                );
                self.imported -= 1;
                self.duplicate += 1;
            }
        }
        match f.outcome {
            Outcome::Imported => self.imported += 1,
            Outcome::Duplicate => self.duplicate += 1,
            Outcome::Skipped => self.skipped += 1,
            Outcome::Failed => self.failed += 1,
        }
        self.files.push(f);
    }

    /// The report's last line, the same in every front end: "3 imported, 1 duplicate, …".
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{} imported, {} duplicate, {} skipped (not activities), {} failed",
            self.imported, self.duplicate, self.skipped, self.failed
        );
        if self.ignored > 0 {
            line.push_str(&format!(
                "; {} other files ignored (not activity files)",
                self.ignored
            ));
        }
        line
    }

    /// A file is worth listing when it was not simply imported, or was imported with
    /// warnings (the CLI lists only these unless asked for every file).
    pub fn noteworthy(f: &FileReport) -> bool {
        f.outcome != Outcome::Imported || !f.warnings.is_empty()
    }

    /// How the import ended, for the front end's exit code or status.
    pub fn status(&self) -> ImportStatus {
        if self.stopped.is_some() {
            ImportStatus::Stopped
        } else if self.failed > 0 {
            ImportStatus::SomeFailed
        } else {
            ImportStatus::Complete
        }
    }
}

/// How an import ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStatus {
    /// Every file has its outcome and none failed (duplicates and skipped files are fine).
    Complete,
    /// Some files failed; the rest were imported.
    SomeFailed,
    /// The database stopped taking writes (its disk is full): the files after the one that
    /// met it were not tried. The report's last warning says so and what to do.
    Stopped,
}
