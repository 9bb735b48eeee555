//! Row and argument types at the store's edge.

use chrono::{DateTime, Utc};
use serde::Serialize;
use soleus_model::load::RunSummary;
use soleus_model::{Activity, Sport};

use crate::{ActivityId, EntryId, FileId, ShoeId};

/// A source file to store with an import.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    /// The file's path or name as the user gave it (inside an archive: `export.zip!/a/b.fit`).
    pub name: &'a str,
    /// Lower-case hex SHA-256 of the original bytes.
    pub sha256: &'a str,
    /// `fit`, `gpx` or `tcx`.
    pub format: &'a str,
    /// The original bytes, exactly as read (gzip and all).
    pub bytes: &'a [u8],
    /// The bytes already packed by [`crate::pack`] (on another thread, say); `None` to pack
    /// them during the save.
    pub packed: Option<&'a crate::Packed>,
}

/// An activity to store, with what the import knows beyond the decoder.
#[derive(Debug, Clone)]
pub struct NewActivity<'a> {
    /// The decoded activity.
    pub activity: &'a Activity,
    /// The shoe, if the export named one (or the athlete's default shoe).
    pub shoe: Option<ShoeId>,
    /// The session's index within its file (0 for single-sport files). Sessions a file shares
    /// with richer copies elsewhere are not stored, so this is the decoder's index, not the
    /// position in the slice: reparsing then matches sessions correctly.
    pub session: u32,
    /// What the load engine needs, computed once at import so recomputing load never re-reads
    /// samples.
    pub summary: Option<&'a RunSummary>,
    /// The samples already encoded by [`crate::codec::encode`]; `None` to encode them during
    /// the save.
    pub encoded: Option<&'a [u8]>,
}

/// A stored source file (no bytes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileRow {
    /// Id.
    pub id: FileId,
    /// Name as imported.
    pub name: String,
    /// SHA-256 of the original bytes.
    pub sha256: String,
    /// `fit`, `gpx`, `tcx`.
    pub format: String,
    /// Size of the original bytes.
    pub size: i64,
    /// When it was imported.
    pub imported_at: DateTime<Utc>,
    /// When the file held only copies of stored activities: the activity it duplicates.
    pub duplicate_of: Option<ActivityId>,
}

/// An activity's summary, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityRow {
    /// Id.
    pub id: ActivityId,
    /// The file it came from.
    pub file_id: FileId,
    /// Session index within the file (0 for single-sport files).
    pub session: i32,
    /// Name, when known.
    pub name: Option<String>,
    /// Sport.
    pub sport: Sport,
    /// Device sport words.
    pub sport_detail: Option<String>,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// Local offset at start, seconds east of UTC.
    pub utc_offset_s: Option<i32>,
    /// Metres.
    pub distance_m: Option<f64>,
    /// Seconds, pauses included.
    pub elapsed_s: Option<f64>,
    /// Seconds of timer / moving time.
    pub moving_s: Option<f64>,
    /// Metres climbed.
    pub ascent_m: Option<f64>,
    /// Metres descended.
    pub descent_m: Option<f64>,
    /// Average HR.
    pub avg_hr: Option<u8>,
    /// Max HR.
    pub max_hr: Option<u8>,
    /// Average cadence.
    pub avg_cadence: Option<f64>,
    /// Device.
    pub device: Option<String>,
    /// `device` or `computed`.
    pub totals_source: String,
    /// Number of samples stored.
    pub sample_count: i64,
    /// Shoe id.
    pub shoe_id: Option<ShoeId>,
    /// Shoe name.
    pub shoe: Option<String>,
}

/// One activity in full.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredActivity {
    /// Its summary row.
    pub row: ActivityRow,
    /// The activity with laps and samples, as decoded.
    pub activity: Activity,
}

/// A journal entry: a check-in, questionnaire score, assessment, plan, intake or weight log,
/// kept as a JSON document of the kind's own shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalEntry {
    /// Id.
    pub id: EntryId,
    /// The kind.
    pub kind: soleus_model::journal::Kind,
    /// The day it is about.
    pub day: chrono::NaiveDate,
    /// When it was recorded.
    pub created: DateTime<Utc>,
    /// The document.
    pub body: serde_json::Value,
}

/// A shoe's description, as added or edited.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShoeSpec {
    /// The name it is known by (unique): "Pegasus 40".
    pub name: String,
    /// Brand.
    pub brand: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Heel-to-toe drop, mm.
    pub drop_mm: Option<f64>,
    /// Stack height at the heel, mm.
    pub stack_mm: Option<f64>,
    /// First day worn.
    pub started_on: Option<chrono::NaiveDate>,
    /// Distance at which to retire it, km.
    pub retire_km: Option<f64>,
}

/// A stored shoe with its distance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShoeRow {
    /// Id.
    pub id: ShoeId,
    /// The description.
    #[serde(flatten)]
    pub spec: ShoeSpec,
    /// Retired shoes are kept for history but not offered.
    pub retired: bool,
    /// The shoe given to runs that name none.
    pub is_default: bool,
    /// Distance of the activities assigned to it, km.
    pub km: f64,
    /// Number of activities assigned to it.
    pub activities: i64,
}

/// An activity's load summary with what the athlete added later (RPE, the shoe's drop).
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The activity.
    pub id: ActivityId,
    /// Its summary; `rpe` and `shoe_drop_mm` come from the activity's current RPE and shoe.
    pub summary: RunSummary,
    /// The shoe worn.
    pub shoe_id: Option<ShoeId>,
}

/// An athlete, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AthleteRow {
    /// Id.
    pub id: crate::AthleteId,
    /// The name shown for them (the local athlete of a one-person database has none).
    pub display_name: Option<String>,
    /// The organisation they belong to.
    pub org: Option<crate::OrgId>,
    /// The user who signs in as them.
    pub user: Option<crate::UserId>,
    /// When the athlete was added.
    pub created: DateTime<Utc>,
}

/// A comment someone else left on the athlete's data (an activity, a check-in, an assessment,
/// the plan), as the digest lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentRow {
    /// Id.
    pub id: i64,
    /// Who wrote it.
    pub author: Option<crate::UserId>,
    /// Their name.
    pub author_name: Option<String>,
    /// `activity`, `checkin`, `assessment` or `plan`.
    pub target_kind: String,
    /// The activity's or journal entry's id.
    pub target_id: i64,
    /// The comment it replies to, if any.
    pub parent: Option<i64>,
    /// The text, as written.
    pub body: String,
    /// When, epoch ms.
    pub created_ms: i64,
}

/// What erasing an athlete removed ([`Database::delete_athlete`](crate::Database::delete_athlete)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Erased {
    /// Rows deleted, in every table.
    pub rows: u64,
    /// Their sign-in account was theirs alone (an athlete's) and is gone too.
    pub account_erased: bool,
    /// Their sign-in account is also a coach's, clinician's or admin's: it is kept, no longer
    /// linked to any athlete.
    pub account_kept: bool,
}

/// A person's correction of an activity: each field given is set, the others kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityEdit {
    /// The new name.
    pub name: Option<String>,
    /// The new sport.
    pub sport: Option<Sport>,
    /// The new shoe (`Some(None)`: no shoe).
    pub shoe: Option<Option<ShoeId>>,
}

impl ActivityEdit {
    /// Whether the edit sets nothing.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.sport.is_none() && self.shoe.is_none()
    }
}

/// One edit of an activity as kept beside it: the field, what the file said, the value before
/// and after the edit (a shoe by name, a sport by its code; `None` for none), and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditRow {
    /// `name`, `sport` or `shoe`.
    pub field: String,
    /// What the file said (the name and the sport; none for the shoe, which no file names).
    pub device: Option<String>,
    /// The value before this edit.
    pub before: Option<String>,
    /// The value the edit set.
    pub after: Option<String>,
    /// When, RFC 3339.
    pub edited_at: DateTime<Utc>,
}

/// An activity the person deleted (or merged into another recording of the same run).
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedActivity {
    /// Its row, as it was.
    pub row: ActivityRow,
    /// When it was deleted or merged.
    pub deleted_at: DateTime<Utc>,
    /// The activity it was merged into, when it was merged rather than deleted.
    pub merged_into: Option<ActivityId>,
}
