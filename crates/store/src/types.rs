//! Row and argument types at the store's edge.

use chrono::{DateTime, Utc};
use serde::Serialize;
use soleus_model::{Activity, Sport};

/// An activity's id.
pub type ActivityId = i64;
/// A stored source file's id.
pub type FileId = i64;
/// A shoe's id.
pub type ShoeId = i64;

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
}

/// An activity to store, with what the import knows beyond the decoder.
#[derive(Debug, Clone)]
pub struct NewActivity<'a> {
    /// The decoded activity.
    pub activity: &'a Activity,
    /// The shoe, if the export named one.
    pub shoe: Option<ShoeId>,
}

/// A stored source file (no bytes).
#[derive(Debug, Clone, PartialEq, Serialize)]
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
