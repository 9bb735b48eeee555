//! Row types as the database returns them, and their conversion into domain types.
//!
//! Both backends store the same column types (64-bit integers for ids and epoch milliseconds,
//! doubles, text, booleans, blobs), so one `FromRow` struct serves both.

use chrono::{DateTime, Utc};
use soleus_model::load::RunSummary;
use soleus_model::{Activity, Lap, Sport, TotalsSource};

use crate::{
    ActivityId, ActivityRow, AthleteId, AthleteRow, EntryId, FileId, FileRow, OrgId, ShoeId,
    StoreError, UserId, codec,
};

/// The activity columns every listing selects (never the sample blob), joined to the shoe.
pub(crate) const ACTIVITY_SELECT: &str = "SELECT a.id, a.file_id, a.session, a.name, a.sport, \
    a.sport_detail, a.start_ms, a.utc_offset_s, a.distance_m, a.elapsed_s, a.moving_s, \
    a.ascent_m, a.descent_m, a.avg_hr, a.max_hr, a.avg_cadence, a.device, a.barometric, \
    a.totals_source, a.sample_count, a.shoe_id, s.name AS shoe_name \
    FROM activities a LEFT JOIN shoes s ON s.id = a.shoe_id AND s.athlete_id = a.athlete_id";

/// The athlete `$1`'s load summaries in time order, with what the load engine needs of each
/// activity. The activity columns named here are those of the `activities_load` index
/// (migration 0006), so SQLite reads that index and never the activities rows themselves.
pub(crate) const SUMMARY_SELECT: &str = "SELECT a.id, l.summary, l.rpe, a.shoe_id, s.drop_mm, \
    a.sport, a.start_ms, a.utc_offset_s, a.distance_m, a.moving_s, a.elapsed_s, a.ascent_m, \
    a.descent_m FROM activities a \
    LEFT JOIN shoes s ON s.id = a.shoe_id AND s.athlete_id = a.athlete_id \
    LEFT JOIN activity_load l ON l.activity_id = a.id \
    WHERE a.athlete_id = $1 AND a.deleted_ms IS NULL ORDER BY a.start_ms, a.id";

/// The file columns every listing selects (never the bytes).
pub(crate) const FILE_SELECT: &str =
    "SELECT id, name, sha256, format, size, imported_ms, duplicate_of FROM files";

/// An `activities` row joined to its shoe's name.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ActivityDb {
    id: ActivityId,
    file_id: FileId,
    session: i32,
    name: Option<String>,
    sport: String,
    sport_detail: Option<String>,
    start_ms: i64,
    utc_offset_s: Option<i32>,
    distance_m: Option<f64>,
    elapsed_s: Option<f64>,
    moving_s: Option<f64>,
    ascent_m: Option<f64>,
    descent_m: Option<f64>,
    avg_hr: Option<i16>,
    max_hr: Option<i16>,
    avg_cadence: Option<f64>,
    device: Option<String>,
    pub(crate) barometric: bool,
    pub(crate) totals_source: String,
    sample_count: i64,
    shoe_id: Option<ShoeId>,
    shoe_name: Option<String>,
}

impl TryFrom<ActivityDb> for ActivityRow {
    type Error = StoreError;

    fn try_from(r: ActivityDb) -> Result<ActivityRow, StoreError> {
        Ok(ActivityRow {
            id: r.id,
            file_id: r.file_id,
            session: r.session,
            sport: Sport::parse(&r.sport)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown sport {:?}", r.sport)))?,
            name: r.name,
            sport_detail: r.sport_detail,
            start: from_ms(r.start_ms)?,
            utc_offset_s: r.utc_offset_s,
            distance_m: r.distance_m,
            elapsed_s: r.elapsed_s,
            moving_s: r.moving_s,
            ascent_m: r.ascent_m,
            descent_m: r.descent_m,
            avg_hr: hr(r.avg_hr)?,
            max_hr: hr(r.max_hr)?,
            avg_cadence: r.avg_cadence,
            device: r.device,
            totals_source: r.totals_source,
            sample_count: r.sample_count,
            shoe_id: r.shoe_id,
            shoe: r.shoe_name,
        })
    }
}

/// A `laps` row.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct LapDb {
    start_ms: Option<i64>,
    elapsed_s: Option<f64>,
    moving_s: Option<f64>,
    distance_m: Option<f64>,
    ascent_m: Option<f64>,
    descent_m: Option<f64>,
    avg_hr: Option<i16>,
    max_hr: Option<i16>,
    avg_cadence: Option<f64>,
}

impl TryFrom<LapDb> for Lap {
    type Error = StoreError;

    fn try_from(r: LapDb) -> Result<Lap, StoreError> {
        Ok(Lap {
            start: r.start_ms.map(from_ms).transpose()?,
            elapsed_s: r.elapsed_s,
            moving_s: r.moving_s,
            distance_m: r.distance_m,
            ascent_m: r.ascent_m,
            descent_m: r.descent_m,
            avg_hr: hr(r.avg_hr)?,
            max_hr: hr(r.max_hr)?,
            avg_cadence: r.avg_cadence,
        })
    }
}

/// A `files` row without its bytes.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct FileDb {
    id: FileId,
    name: String,
    sha256: String,
    format: String,
    size: i64,
    imported_ms: i64,
    duplicate_of: Option<ActivityId>,
}

impl TryFrom<FileDb> for FileRow {
    type Error = StoreError;

    fn try_from(r: FileDb) -> Result<FileRow, StoreError> {
        Ok(FileRow {
            id: r.id,
            name: r.name,
            sha256: r.sha256,
            format: r.format,
            size: r.size,
            imported_at: from_ms(r.imported_ms)?,
            duplicate_of: r.duplicate_of,
        })
    }
}

/// Rebuilds the domain activity from its row, laps and sample blob.
pub(crate) fn assemble(
    db: ActivityDb,
    laps: Vec<LapDb>,
    blob: &[u8],
) -> Result<crate::StoredActivity, StoreError> {
    let barometric = db.barometric;
    let totals_source = match db.totals_source.as_str() {
        "device" => TotalsSource::Device,
        "computed" => TotalsSource::Computed,
        other => {
            return Err(StoreError::Corrupt(format!(
                "unknown totals source {other:?}"
            )));
        }
    };
    let row = ActivityRow::try_from(db)?;
    let activity = Activity {
        name: row.name.clone(),
        sport: row.sport,
        sport_detail: row.sport_detail.clone(),
        start: row.start,
        utc_offset_s: row.utc_offset_s,
        distance_m: row.distance_m,
        elapsed_s: row.elapsed_s,
        moving_s: row.moving_s,
        ascent_m: row.ascent_m,
        descent_m: row.descent_m,
        avg_hr: row.avg_hr,
        max_hr: row.max_hr,
        avg_cadence: row.avg_cadence,
        device: row.device.clone(),
        barometric,
        totals_source,
        laps: laps
            .into_iter()
            .map(Lap::try_from)
            .collect::<Result<_, _>>()?,
        samples: codec::decode(blob)?,
    };
    Ok(crate::StoredActivity { row, activity })
}

/// Epoch milliseconds back to a time; out-of-range values mean the row is corrupt.
pub(crate) fn from_ms(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Corrupt(format!("time {ms} ms is out of range")))
}

fn hr(v: Option<i16>) -> Result<Option<u8>, StoreError> {
    v.map(|v| u8::try_from(v).map_err(|_| StoreError::Corrupt(format!("heart rate {v}"))))
        .transpose()
}

/// An activity's load-summary columns.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SummaryDb {
    id: ActivityId,
    summary: Option<String>,
    rpe: Option<i16>,
    shoe_id: Option<ShoeId>,
    drop_mm: Option<f64>,
    sport: String,
    start_ms: i64,
    utc_offset_s: Option<i32>,
    distance_m: Option<f64>,
    moving_s: Option<f64>,
    elapsed_s: Option<f64>,
    ascent_m: Option<f64>,
    descent_m: Option<f64>,
}

impl TryFrom<SummaryDb> for crate::SummaryRow {
    type Error = StoreError;

    fn try_from(r: SummaryDb) -> Result<Self, StoreError> {
        let mut summary = match &r.summary {
            Some(json) => serde_json::from_str::<RunSummary>(json).map_err(|e| {
                StoreError::Corrupt(format!("activity {}: load summary unreadable: {e}", r.id))
            })?,
            None => {
                let sport = soleus_model::Sport::parse(&r.sport).ok_or_else(|| {
                    StoreError::Corrupt(format!("activity {}: unknown sport {:?}", r.id, r.sport))
                })?;
                let mut s = RunSummary::new(sport, from_ms(r.start_ms)?);
                s.utc_offset_s = r.utc_offset_s;
                s.distance_m = r.distance_m;
                s.moving_s = r.moving_s.or(r.elapsed_s);
                s.ascent_m = r.ascent_m;
                s.descent_m = r.descent_m;
                s
            }
        };
        summary.rpe = r.rpe.and_then(|v| u8::try_from(v).ok());
        summary.shoe_drop_mm = r.drop_mm;
        Ok(crate::SummaryRow {
            id: r.id,
            summary,
            shoe_id: r.shoe_id,
        })
    }
}

/// A journal row made into an entry.
pub(crate) fn journal_entry(
    (id, kind, day, created_ms, body): (EntryId, String, String, i64, String),
) -> Result<crate::JournalEntry, StoreError> {
    let day = day
        .parse()
        .map_err(|e| StoreError::Corrupt(format!("journal entry {id}: bad day {day:?}: {e}")))?;
    let body = serde_json::from_str(&body)
        .map_err(|e| StoreError::Corrupt(format!("journal entry {id}: unreadable body: {e}")))?;
    let kind = soleus_model::journal::Kind::parse(&kind)
        .ok_or_else(|| StoreError::Corrupt(format!("journal entry {id}: unknown kind {kind:?}")))?;
    Ok(crate::JournalEntry {
        id,
        kind,
        day,
        created: from_ms(created_ms)?,
        body,
    })
}

/// A shoe row with its distance.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ShoeDb {
    id: ShoeId,
    name: String,
    brand: Option<String>,
    model: Option<String>,
    drop_mm: Option<f64>,
    stack_mm: Option<f64>,
    started_on: Option<String>,
    retire_km: Option<f64>,
    retired: bool,
    is_default: bool,
    km: f64,
    activities: i64,
}

impl TryFrom<ShoeDb> for crate::ShoeRow {
    type Error = StoreError;

    fn try_from(r: ShoeDb) -> Result<Self, StoreError> {
        let started_on = r
            .started_on
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("shoe {}: bad start date: {e}", r.id)))?;
        Ok(crate::ShoeRow {
            id: r.id,
            spec: crate::ShoeSpec {
                name: r.name,
                brand: r.brand,
                model: r.model,
                drop_mm: r.drop_mm,
                stack_mm: r.stack_mm,
                started_on,
                retire_km: r.retire_km,
            },
            retired: r.retired,
            is_default: r.is_default,
            km: r.km,
            activities: r.activities,
        })
    }
}

/// An `athletes` row, without the profile.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AthleteDb {
    id: AthleteId,
    name: Option<String>,
    org_id: Option<OrgId>,
    user_id: Option<UserId>,
    created_ms: i64,
}

impl TryFrom<AthleteDb> for AthleteRow {
    type Error = StoreError;

    fn try_from(r: AthleteDb) -> Result<AthleteRow, StoreError> {
        Ok(AthleteRow {
            id: r.id,
            display_name: r.name,
            org: r.org_id,
            user: r.user_id,
            created: from_ms(r.created_ms)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_millisecond_limits() {
        assert_eq!(from_ms(0).unwrap().timestamp(), 0);
        // chrono's range ends near year 262 143; i64::MAX ms is far beyond it.
        assert!(matches!(from_ms(i64::MAX), Err(StoreError::Corrupt(_))));
        assert!(matches!(hr(Some(256)), Err(StoreError::Corrupt(_))));
        assert_eq!(hr(Some(180)).unwrap(), Some(180));
    }
}
