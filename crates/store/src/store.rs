//! [`Store`]: one athlete's data, as a handle scoped to them.

use chrono::{DateTime, NaiveDate, Utc};
use soleus_model::athlete::Athlete;
use soleus_model::journal::Kind;
use soleus_model::load::RunSummary;

use crate::{
    ActivityId, ActivityRow, AthleteId, EntryId, FileId, FileRow, JournalEntry, NewActivity,
    NewFile, ShoeId, ShoeRow, ShoeSpec, StoreError, StoredActivity, SummaryRow,
};

/// Everything Soleus keeps about one athlete: their activities and the original files, load
/// summaries and RPE, the journal (check-ins, scores, assessments, plans, energy logs), shoes,
/// settings and profile. A handle comes from [`Database::athlete`](crate::Database::athlete)
/// and is scoped to that athlete: every statement it runs binds the athlete's id, every row it
/// writes is theirs, and another athlete's rows answer exactly as missing ones do (`None`, an
/// empty list, `false` or [`StoreError::NotFound`]), so a handle cannot reveal that they exist.
///
/// Implementations must behave identically; the conformance story in `tests/story/` runs the
/// same checks against each backend.
#[async_trait::async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// The backend's name (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;

    /// The athlete this handle is scoped to.
    fn athlete_id(&self) -> AthleteId;

    /// The source file with this content hash, if this athlete imported it before (two
    /// athletes may import the same file).
    async fn file_by_hash(&self, sha256: &str) -> Result<Option<FileRow>, StoreError>;

    /// Activities whose time span overlaps `[start, end]` (for recognising the same run from a
    /// second source).
    async fn activities_overlapping(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<ActivityRow>, StoreError>;

    /// In one transaction: stores the original file and its activities, and deletes the
    /// activities in `replaces` (poorer copies of the same runs, which become duplicates of the
    /// new file). Returns the new activity ids, in order; an activity's session index is its
    /// position in `activities`.
    ///
    /// After the deletions, a file left with no activity of its own gets `duplicate_of` set to
    /// the first new id, and files that pointed at a deleted activity point there instead.
    /// Fails with [`StoreError::DuplicateFile`] when this athlete has a file with the same hash
    /// stored, [`StoreError::Invalid`] when `sha256` does not match `bytes`, and
    /// [`StoreError::NotFound`] when an id in `replaces` or a shoe in `activities` does not
    /// exist; on any failure nothing is written.
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

    /// A setting's value (`units`, the energy goal, …): the athlete's own, by key.
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Sets one of the athlete's settings.
    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;

    /// Comments by others on the athlete's data made in `[from_ms, to_ms)`, oldest first,
    /// deleted ones left out.
    async fn comments_received(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<crate::CommentRow>, StoreError>;

    /// Adds a comment on this athlete's data; a reply's parent must be in the same thread
    /// ([`StoreError::NotFound`] otherwise). Returns its id.
    async fn add_comment(
        &self,
        comment: &crate::threads::NewComment<'_>,
        now_ms: i64,
    ) -> Result<i64, StoreError>;

    /// Every comment of one thread (what it is on), deleted ones included, oldest first.
    async fn thread(
        &self,
        kind: crate::threads::TargetKind,
        target_id: i64,
    ) -> Result<Vec<crate::threads::ThreadComment>, StoreError>;

    /// One comment on this athlete's data.
    async fn comment(&self, id: i64) -> Result<Option<crate::threads::ThreadComment>, StoreError>;

    /// Replaces a comment's text (not a deleted one's); false when there is none.
    async fn edit_comment(&self, id: i64, body: &str, now_ms: i64) -> Result<bool, StoreError>;

    /// Deletes a comment's text, keeping its place in the thread; false when there is none
    /// (or it was deleted already).
    async fn delete_comment(&self, id: i64, now_ms: i64) -> Result<bool, StoreError>;

    // Load summaries, RPE, the journal and shoes.

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
        kind: Kind,
        day: NaiveDate,
        body: &serde_json::Value,
    ) -> Result<EntryId, StoreError>;

    /// The journal entries of `kind`, oldest day first (then in the order recorded).
    async fn entries(&self, kind: Kind) -> Result<Vec<JournalEntry>, StoreError>;

    /// Deletes a journal entry of `kind`; `false` when there was none.
    async fn delete_entry(&self, kind: Kind, id: EntryId) -> Result<bool, StoreError>;

    /// Adds a shoe, or updates the one with the same name (fields given as `None` are kept).
    async fn save_shoe(&self, spec: &ShoeSpec) -> Result<ShoeId, StoreError>;

    /// Every shoe with its distance, retired ones last.
    async fn shoes(&self) -> Result<Vec<ShoeRow>, StoreError>;

    /// Retires a shoe (or brings it back).
    async fn set_shoe_retired(&self, id: ShoeId, retired: bool) -> Result<(), StoreError>;

    /// Makes a shoe the default (the only one), or clears the default.
    async fn set_default_shoe(&self, id: Option<ShoeId>) -> Result<(), StoreError>;

    /// The athlete's profile; an athlete who never saved one has the empty (default) profile.
    async fn profile(&self) -> Result<Athlete, StoreError>;

    /// Replaces the athlete's profile with `profile`, every field.
    async fn set_profile(&self, profile: &Athlete) -> Result<(), StoreError>;

    /// The athlete's revisions: they change whenever their data does.
    async fn revisions(&self) -> Result<crate::days::Revisions, StoreError>;

    /// Stores the athlete's roster facts and their recent days in one transaction. Facts
    /// computed before the stored ones began are dropped; a day's `warnings` of `None` keeps
    /// what was stored for that day.
    async fn put_days(
        &self,
        facts: &crate::days::FactsWrite<'_>,
        days: &[crate::days::DayRow],
    ) -> Result<(), StoreError>;

    /// The athlete's revisions now, with their stored roster facts if any.
    async fn facts(&self) -> Result<crate::days::HeldFacts, StoreError>;

    /// The athlete's stored days from `from`, oldest first.
    async fn days(&self, from: NaiveDate) -> Result<Vec<crate::days::DayRow>, StoreError>;

    // Corrections (migration 0015).

    /// Edits an activity's name, sport or shoe, keeping each edit beside what the file said
    /// ([`Store::activity_edits`]); a reparse keeps edited fields. [`StoreError::NotFound`]
    /// for an unknown or deleted activity (or shoe), [`StoreError::Invalid`] for an empty edit.
    async fn edit_activity(
        &self,
        id: ActivityId,
        edit: &crate::ActivityEdit,
    ) -> Result<(), StoreError>;

    /// An activity's edits, oldest first (none for an unknown one).
    async fn activity_edits(&self, id: ActivityId) -> Result<Vec<crate::EditRow>, StoreError>;

    /// Deletes an activity, or merges it into `merged_into` (another recording of the same
    /// run, which is kept): it leaves every list and the load, but its row and original file
    /// stay, so [`Store::undelete_activity`] brings it back and reparse does not. Activities
    /// merged into it follow it to `merged_into`. [`StoreError::NotFound`] when either is
    /// unknown or deleted already.
    async fn delete_activity(
        &self,
        id: ActivityId,
        merged_into: Option<ActivityId>,
    ) -> Result<(), StoreError>;

    /// Brings a deleted (or merged) activity back; [`StoreError::NotFound`] when it is not
    /// deleted.
    async fn undelete_activity(&self, id: ActivityId) -> Result<(), StoreError>;

    /// The deleted and merged activities, by id.
    async fn deleted_activities(&self) -> Result<Vec<crate::DeletedActivity>, StoreError>;
}
