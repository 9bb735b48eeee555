//! Soleus's storage: one [`Store`] trait, implemented for SQLite (the embedded default) and
//! PostgreSQL (a club or clinic), chosen from the database URL.
//!
//! Every import of one file is one transaction ([`Store::save_import`]): the original bytes and
//! the activities decoded from them land together or not at all.
//!
//! ```no_run
//! # async fn demo() -> Result<(), soleus_store::StoreError> {
//! let store = soleus_store::connect("sqlite:soleus.db").await?;
//! let activities = store.list_activities().await?;
//! # Ok(()) }
//! ```

pub mod codec;
mod decode;
mod error;
mod ids;
mod overlap;
mod pack;
mod postgres;
mod prepare;
mod sql;
mod sqlite;
mod types;

pub use sqlite::{DEMO_MARK, is_demo_database};

pub use error::StoreError;
pub use ids::{AthleteId, IdError, OrgId, UserId};
/// A source file's bytes packed for storage (see [`pack`]).
pub use pack::PackedFile as Packed;
/// Packs a file for [`NewFile::packed`]: checks its hash and compresses it, work that can run
/// on another thread while the store writes.
pub use pack::pack_file as pack;
pub use types::*;

use async_trait::async_trait;

/// The longest time span an activity is stored with, in milliseconds (14 days: more than the
/// longest multi-day races, which are recorded as one activity). A longer recording (or one
/// whose clock jumped) is kept whole, but only its first 14 days count for the overlap
/// query; the cap lets that query look back a bounded time instead of over every earlier
/// activity.
pub const MAX_SPAN_MS: i64 = 14 * 24 * 3_600_000;
use soleus_model::load::RunSummary;

/// Everything Soleus persists. Implementations must behave identically; the conformance story
/// in `tests/story.rs` runs the same checks against each backend.
#[async_trait]
pub trait Store: Records + Send + Sync + std::fmt::Debug {
    /// The backend's name (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;

    /// The source file with this content hash, if it was imported before.
    async fn file_by_hash(&self, sha256: &str) -> Result<Option<FileRow>, StoreError>;

    /// Activities whose time span overlaps `[start, end]` (for recognising the same run from a
    /// second source).
    async fn activities_overlapping(
        &self,
        start: chrono::DateTime<chrono::Utc>,
        end: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<ActivityRow>, StoreError>;

    /// In one transaction: stores the original file and its activities, and deletes the
    /// activities in `replaces` (poorer copies of the same runs, which become duplicates of the
    /// new file). Returns the new activity ids, in order; an activity's session index is its
    /// position in `activities`.
    ///
    /// After the deletions, a file left with no activity of its own gets `duplicate_of` set to
    /// the first new id, and files that pointed at a deleted activity point there instead.
    /// Fails with [`StoreError::DuplicateFile`] when a file with the same hash is stored,
    /// [`StoreError::Invalid`] when `sha256` does not match `bytes`, and
    /// [`StoreError::NotFound`] when an id in `replaces` does not exist; on any failure
    /// nothing is written.
    async fn save_import(
        &self,
        file: &NewFile<'_>,
        activities: &[NewActivity<'_>],
        replaces: &[ActivityId],
    ) -> Result<(FileId, Vec<ActivityId>), StoreError>;

    /// Records that a file was seen again but held only copies of activities already stored.
    /// Keeps the original bytes too, so nothing imported is ever lost.
    async fn save_duplicate_file(
        &self,
        file: &NewFile<'_>,
        duplicate_of: ActivityId,
    ) -> Result<FileId, StoreError>;

    /// All activities, newest first, with their shoe's name.
    async fn list_activities(&self) -> Result<Vec<ActivityRow>, StoreError>;

    /// One activity with its laps and samples.
    async fn activity(&self, id: ActivityId) -> Result<Option<StoredActivity>, StoreError>;

    /// Every stored source file (without bytes), oldest first.
    async fn files(&self) -> Result<Vec<FileRow>, StoreError>;

    /// The original bytes of a stored file, exactly as imported (the store's own compression
    /// undone; a file imported as `.gz` comes back as that `.gz`). Checked against the stored
    /// size and hash: a mismatch is [`StoreError::Corrupt`].
    async fn file_bytes(&self, id: FileId) -> Result<Vec<u8>, StoreError>;

    /// In one transaction: replaces the activities decoded from `file` with `activities`,
    /// keeping ids (and so names, shoes and RPE) where [`NewActivity::session`] matches. A kept
    /// activity keeps its stored name and shoe when set; stored sessions not among
    /// `activities` are deleted, new session indexes are inserted (so callers pass only the
    /// sessions they mean to keep). A file marked as a duplicate has no
    /// activities of its own and is left alone (returns no ids), so re-parsing every file
    /// never resurrects the poorer copies an import replaced.
    async fn replace_file_activities(
        &self,
        file: FileId,
        activities: &[NewActivity<'_>],
    ) -> Result<Vec<ActivityId>, StoreError>;

    /// The shoe with this name (surrounding spaces ignored), created if new. Returns its id.
    async fn shoe_by_name(&self, name: &str) -> Result<ShoeId, StoreError>;

    /// Assigns (or clears) an activity's shoe.
    async fn set_activity_shoe(
        &self,
        activity: ActivityId,
        shoe: Option<ShoeId>,
    ) -> Result<(), StoreError>;

    /// A setting's value (`units`, …).
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Sets a setting.
    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;
}

/// The athlete's own records beside the activities: load summaries and RPE, the journal
/// (check-ins, scores, assessments, plans, energy logs) and shoes. Every [`Store`] is one.
#[async_trait]
pub trait Records: Send + Sync {
    /// Every activity's load summary, oldest first, with its current RPE and shoe drop.
    /// Activities stored without a summary get one from their stored totals.
    async fn summaries(&self) -> Result<Vec<SummaryRow>, StoreError>;

    /// Replaces an activity's load summary (after the athlete's heart-rate anchors change).
    async fn set_summary(&self, id: ActivityId, summary: &RunSummary) -> Result<(), StoreError>;

    /// Sets (or clears) an activity's session RPE (CR-10, 0–10).
    async fn set_rpe(&self, id: ActivityId, rpe: Option<u8>) -> Result<(), StoreError>;

    /// Adds a journal entry of `kind` about `day`. Returns its id.
    async fn add_entry(
        &self,
        kind: &str,
        day: chrono::NaiveDate,
        body: &serde_json::Value,
    ) -> Result<i64, StoreError>;

    /// The journal entries of `kind`, oldest day first (then in the order recorded).
    async fn entries(&self, kind: &str) -> Result<Vec<JournalEntry>, StoreError>;

    /// Deletes a journal entry of `kind`; `false` when there was none.
    async fn delete_entry(&self, kind: &str, id: i64) -> Result<bool, StoreError>;

    /// Adds a shoe, or updates the one with the same name (fields given as `None` are kept).
    async fn save_shoe(&self, spec: &ShoeSpec) -> Result<ShoeId, StoreError>;

    /// Every shoe with its distance, retired ones last.
    async fn shoes(&self) -> Result<Vec<ShoeRow>, StoreError>;

    /// Retires a shoe (or brings it back).
    async fn set_shoe_retired(&self, id: ShoeId, retired: bool) -> Result<(), StoreError>;

    /// Makes a shoe the default (the only one), or clears the default.
    async fn set_default_shoe(&self, id: Option<ShoeId>) -> Result<(), StoreError>;
}

/// Opens (creating if needed) and migrates the store a URL names: `sqlite:PATH`,
/// `sqlite://PATH`, or `postgres://…` / `postgresql://…`. Any other scheme is an error.
pub async fn connect(url: &str) -> Result<Box<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Box::new(sql::SqlStore::new(sqlite::open(url).await?)))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(sql::SqlStore::new(postgres::open(url).await?)))
    } else {
        Err(StoreError::UnknownScheme { url: redact(url) })
    }
}

/// Opens the store a URL names only if it already exists: for commands that only read, which
/// must not leave an empty database (and its folders) behind where none was. PostgreSQL
/// databases are never created, so this is [`connect`] for them.
pub async fn connect_existing(url: &str) -> Result<Box<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        use std::str::FromStr;
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
        let path = options.get_filename();
        if path != std::path::Path::new(":memory:") && !path.exists() {
            return Err(StoreError::Io(format!(
                "there is no database at {} yet; the first import (or any command that saves \
                 something) creates it",
                path.display()
            )));
        }
    }
    connect(url).await
}

/// The URL with any password replaced by `***`, for messages: the password in the user part,
/// and the value of every query parameter except the few known to hold no secret
/// (`?password=…`, and unknown parameters, which may be a mistyped `password`).
pub fn redact(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut out = match (base.find("://"), base.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &base[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &base[..s + 3], &base[at..]),
                None => base.to_string(),
            }
        }
        _ => base.to_string(),
    };
    if let Some(q) = query {
        const HARMLESS: [&str; 6] = [
            "sslmode",
            "mode",
            "cache",
            "connect_timeout",
            "application_name",
            "immutable",
        ];
        let parts: Vec<String> = q
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if !HARMLESS.contains(&k.to_ascii_lowercase().as_str()) => {
                    format!("{k}=***")
                }
                _ => kv.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&parts.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_passwords_in_the_user_part_and_the_query() {
        // The query forms are libpq's (`password=` is a connection parameter there too).
        let cases = [
            ("postgres://u:secret1@h:1/x", "postgres://u:***@h:1/x"),
            (
                "postgres://u@h:1/x?password=secret2",
                "postgres://u@h:1/x?password=***",
            ),
            (
                "postgres://u@h/x?sslmode=require&passwd=secret3",
                "postgres://u@h/x?sslmode=require&passwd=***",
            ),
            ("sqlite:///tmp/a.db?mode=rwc", "sqlite:///tmp/a.db?mode=rwc"),
        ];
        for (url, want) in cases {
            assert_eq!(redact(url), want);
        }
    }
}
