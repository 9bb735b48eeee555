//! What an import did, file by file: the JSON document, the readable summary and the progress
//! bar.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use super::walk::Census;
use crate::output::printable;

/// A file's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// One file's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file, as named to the person (`export.zip!/activities/1.fit.gz` inside archives).
    pub path: String,
    /// What became of it.
    pub outcome: Outcome,
    /// The (first) activity it became, or the one it duplicates.
    pub activity_id: Option<i64>,
    /// Every activity it became (multisport files have several).
    pub activity_ids: Vec<i64>,
    /// Why it was not imported.
    pub reason: Option<String>,
    /// What could not be read, for files imported in part.
    pub warnings: Vec<String>,
    /// Stored activities this file's richer copies replaced.
    #[serde(skip)]
    pub replaced: Vec<i64>,
    /// Why no later file can be stored either (the database's disk is full).
    #[serde(skip)]
    pub unwritable: Option<&'static str>,
}

impl FileReport {
    /// A report for `path`, outcome to be decided.
    pub fn new(path: &str) -> FileReport {
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
    pub fn failed(mut self, reason: String) -> FileReport {
        self.outcome = Outcome::Failed;
        self.reason = Some(reason);
        self.activity_ids.clear();
        self.activity_id = None;
        self
    }

    /// Marks the file skipped.
    pub fn skipped(mut self, reason: String) -> FileReport {
        self.outcome = Outcome::Skipped;
        self.reason = Some(reason);
        self
    }

    /// Marks the file skipped because it decoded to no activity.
    pub fn skip_empty(&mut self) {
        self.outcome = Outcome::Skipped;
        self.reason = Some("the file holds no activity data".into());
    }

    /// Marks the file a duplicate.
    pub fn duplicate(mut self, reason: String, of: Option<i64>) -> FileReport {
        self.mark_duplicate(reason, of);
        self
    }

    /// Marks the file a duplicate, in place.
    pub fn mark_duplicate(&mut self, reason: String, of: Option<i64>) {
        self.outcome = Outcome::Duplicate;
        self.reason = Some(reason);
        self.activity_id = of;
    }

    /// Marks the file imported as these activities.
    pub fn imported(&mut self, ids: Vec<i64>) {
        self.outcome = Outcome::Imported;
        self.activity_id = ids.first().copied();
        self.activity_ids = ids;
    }
}

/// The whole import.
#[derive(Debug, Default, Serialize)]
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
}

impl ImportReport {
    /// Adds a file's outcome. When its activities replaced poorer copies imported earlier in
    /// this same batch, those earlier files become duplicates of it, so that, whatever order
    /// the files came in, the poorer copy is the one reported as `duplicate`.
    pub fn push(&mut self, f: FileReport) {
        for id in &f.replaced {
            let Some(prev) = self.files.iter_mut().find(|p| p.activity_ids.contains(id)) else {
                continue;
            };
            prev.activity_ids.retain(|a| a != id);
            if prev.activity_ids.is_empty() && prev.outcome == Outcome::Imported {
                prev.mark_duplicate(
                    format!(
                        "the same run as {} (activity {}), which has more data",
                        f.path,
                        f.activity_id.unwrap_or(0)
                    ),
                    f.activity_id,
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

    /// Prints the report: JSON alone on stdout, or readable lines.
    pub fn print(&self, json: bool, verbose: bool) -> anyhow::Result<()> {
        if json {
            println!("{}", serde_json::to_string_pretty(self)?);
            return Ok(());
        }
        for f in &self.files {
            let interesting = f.outcome != Outcome::Imported || !f.warnings.is_empty();
            if !(verbose || interesting) {
                continue;
            }
            let label = match f.outcome {
                Outcome::Imported => "imported ",
                Outcome::Duplicate => "duplicate",
                Outcome::Skipped => "skipped  ",
                Outcome::Failed => "FAILED   ",
            };
            let ids = if f.activity_ids.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = f.activity_ids.iter().map(i64::to_string).collect();
                format!(" → activity {}", list.join(", "))
            };
            // Names and reasons carry text from the files (zip entry names): escaped.
            println!("{label} {}{ids}", printable(&f.path));
            if let Some(r) = &f.reason {
                println!("          {}", printable(r));
            }
            for w in &f.warnings {
                println!("          warning: {}", printable(w));
            }
        }
        for w in &self.warnings {
            println!("warning: {}", printable(w));
        }
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
        println!("{line}");
        Ok(())
    }
}

/// The progress bar, drawn on stderr only when it is a terminal and JSON was not asked for.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    files: u64,
    done: std::cell::Cell<u64>,
}

impl Progress {
    /// A bar over the census's bytes.
    pub fn new(census: Census, json: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(
            Some(census.bytes),
            if json {
                ProgressDrawTarget::hidden()
            } else {
                ProgressDrawTarget::stderr()
            },
        );
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{wide_bar}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Progress {
            bar,
            files: census.files,
            done: std::cell::Cell::new(0),
        }
    }

    /// One more file read.
    pub fn advance(&self, bytes: u64, _name: &str) {
        self.done.set(self.done.get() + 1);
        let total = self.files.max(self.done.get());
        self.bar
            .set_message(format!("{}/{} files", self.done.get(), total));
        self.bar.inc(bytes);
    }

    /// Prints failures above the bar as they happen.
    pub fn note(&self, f: &FileReport) {
        if f.outcome == Outcome::Failed && !self.bar.is_hidden() {
            self.bar.println(format!("failed: {}", printable(&f.path)));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
