//! [`Store`] for [`SqlStore`]: each method is one of the shared bodies in the sibling modules.

use chrono::{DateTime, NaiveDate, Utc};
use soleus_model::athlete::Athlete;
use soleus_model::journal::Kind;
use soleus_model::load::RunSummary;

use super::{
    Backend, SqlStore, activities, comments, corrections, days, files, profile, records, settings,
    shoes,
};
use crate::{
    ActivityId, ActivityRow, AthleteId, EntryId, FileId, FileRow, JournalEntry, NewActivity,
    NewFile, ShoeId, ShoeRow, ShoeSpec, Store, StoreError, StoredActivity, SummaryRow,
};

#[async_trait::async_trait]
impl<DB: Backend> Store for SqlStore<DB> {
    fn backend(&self) -> &'static str {
        DB::BACKEND
    }

    fn athlete_id(&self) -> AthleteId {
        self.athlete
    }

    async fn file_by_hash(&self, sha256: &str) -> Result<Option<FileRow>, StoreError> {
        files::by_hash(self, sha256).await
    }

    async fn activities_overlapping(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<ActivityRow>, StoreError> {
        activities::overlapping(self, start, end).await
    }

    async fn save_import(
        &self,
        file: &NewFile<'_>,
        activities: &[NewActivity<'_>],
        replaces: &[ActivityId],
    ) -> Result<(FileId, Vec<ActivityId>), StoreError> {
        activities::save_import(self, file, activities, replaces).await
    }

    async fn save_duplicate_file(
        &self,
        file: &NewFile<'_>,
        duplicate_of: ActivityId,
    ) -> Result<FileId, StoreError> {
        files::save_duplicate(self, file, duplicate_of).await
    }

    async fn list_activities(&self) -> Result<Vec<ActivityRow>, StoreError> {
        activities::list(self).await
    }

    async fn activity(&self, id: ActivityId) -> Result<Option<StoredActivity>, StoreError> {
        activities::one(self, id).await
    }

    async fn files(&self) -> Result<Vec<FileRow>, StoreError> {
        files::list(self).await
    }

    async fn file_bytes(&self, id: FileId) -> Result<Vec<u8>, StoreError> {
        files::bytes(self, id).await
    }

    async fn replace_file_activities(
        &self,
        file: FileId,
        activities: &[NewActivity<'_>],
    ) -> Result<Vec<ActivityId>, StoreError> {
        activities::replace_for_file(self, file, activities).await
    }

    async fn shoe_by_name(&self, name: &str) -> Result<ShoeId, StoreError> {
        shoes::by_name(self, name).await
    }

    async fn set_activity_shoe(
        &self,
        activity: ActivityId,
        shoe: Option<ShoeId>,
    ) -> Result<(), StoreError> {
        shoes::set_activity_shoe(self, activity, shoe).await
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        settings::get(self, key).await
    }

    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        settings::set(self, key, value).await
    }

    async fn add_comment(
        &self,
        comment: &crate::threads::NewComment<'_>,
        now_ms: i64,
    ) -> Result<i64, StoreError> {
        comments::add(self, comment, now_ms).await
    }

    async fn thread(
        &self,
        kind: crate::threads::TargetKind,
        target_id: i64,
    ) -> Result<Vec<crate::threads::ThreadComment>, StoreError> {
        comments::thread(self, kind, target_id).await
    }

    async fn comment(&self, id: i64) -> Result<Option<crate::threads::ThreadComment>, StoreError> {
        comments::one(self, id).await
    }

    async fn edit_comment(&self, id: i64, body: &str, now_ms: i64) -> Result<bool, StoreError> {
        comments::edit(self, id, body, now_ms).await
    }

    async fn delete_comment(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        comments::delete(self, id, now_ms).await
    }

    async fn comments_received(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<crate::CommentRow>, StoreError> {
        comments::received(self, from_ms, to_ms).await
    }

    async fn summaries(&self) -> Result<Vec<SummaryRow>, StoreError> {
        records::summaries(self).await
    }

    async fn set_summary(&self, id: ActivityId, summary: &RunSummary) -> Result<(), StoreError> {
        records::set_summary(self, id, summary).await
    }

    async fn set_rpe(&self, id: ActivityId, rpe: Option<u8>) -> Result<(), StoreError> {
        records::set_rpe(self, id, rpe).await
    }

    async fn add_entry(
        &self,
        kind: Kind,
        day: NaiveDate,
        body: &serde_json::Value,
    ) -> Result<EntryId, StoreError> {
        records::add_entry(self, kind, day, body).await
    }

    async fn entries(&self, kind: Kind) -> Result<Vec<JournalEntry>, StoreError> {
        records::entries(self, kind).await
    }

    async fn delete_entry(&self, kind: Kind, id: EntryId) -> Result<bool, StoreError> {
        records::delete_entry(self, kind, id).await
    }

    async fn save_shoe(&self, spec: &ShoeSpec) -> Result<ShoeId, StoreError> {
        shoes::save(self, spec).await
    }

    async fn shoes(&self) -> Result<Vec<ShoeRow>, StoreError> {
        shoes::list(self).await
    }

    async fn set_shoe_retired(&self, id: ShoeId, retired: bool) -> Result<(), StoreError> {
        shoes::set_retired(self, id, retired).await
    }

    async fn set_default_shoe(&self, id: Option<ShoeId>) -> Result<(), StoreError> {
        shoes::set_default(self, id).await
    }

    async fn profile(&self) -> Result<Athlete, StoreError> {
        profile::get(self).await
    }

    async fn set_profile(&self, a: &Athlete) -> Result<(), StoreError> {
        profile::set(self, a).await
    }

    async fn revisions(&self) -> Result<crate::days::Revisions, StoreError> {
        days::revisions(self).await
    }

    async fn put_days(
        &self,
        facts: &crate::days::FactsWrite<'_>,
        rows: &[crate::days::DayRow],
    ) -> Result<(), StoreError> {
        days::put(self, facts, rows).await
    }

    async fn facts(&self) -> Result<crate::days::HeldFacts, StoreError> {
        days::facts(self).await
    }

    async fn days(&self, from: NaiveDate) -> Result<Vec<crate::days::DayRow>, StoreError> {
        days::days(self, from).await
    }

    async fn edit_activity(
        &self,
        id: ActivityId,
        edit: &crate::ActivityEdit,
    ) -> Result<(), StoreError> {
        corrections::edit(self, id, edit).await
    }

    async fn activity_edits(&self, id: ActivityId) -> Result<Vec<crate::EditRow>, StoreError> {
        corrections::edits(self, id).await
    }

    async fn delete_activity(
        &self,
        id: ActivityId,
        merged_into: Option<ActivityId>,
    ) -> Result<(), StoreError> {
        corrections::delete(self, id, merged_into).await
    }

    async fn undelete_activity(&self, id: ActivityId) -> Result<(), StoreError> {
        corrections::undelete(self, id).await
    }

    async fn deleted_activities(&self) -> Result<Vec<crate::DeletedActivity>, StoreError> {
        corrections::deleted(self).await
    }
}
