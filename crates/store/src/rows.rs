//! Row types as the database returns them, their conversion into domain types, and the values
//! an import computes before it opens a transaction (so the transaction stays short).
//!
//! Both backends store the same column types (64-bit integers for ids and epoch milliseconds,
//! doubles, text, booleans, blobs), so one `FromRow` struct serves both.

use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use soleus_model::{Activity, Lap, Sport, TotalsSource};

use crate::{ActivityRow, FileRow, NewActivity, NewFile, StoreError, codec};

/// The activity columns every listing selects (never the sample blob), joined to the shoe.
pub(crate) const ACTIVITY_SELECT: &str = "SELECT a.id, a.file_id, a.session, a.name, a.sport, \
    a.sport_detail, a.start_ms, a.utc_offset_s, a.distance_m, a.elapsed_s, a.moving_s, \
    a.ascent_m, a.descent_m, a.avg_hr, a.max_hr, a.avg_cadence, a.device, a.barometric, \
    a.totals_source, a.sample_count, a.shoe_id, s.name AS shoe_name \
    FROM activities a LEFT JOIN shoes s ON s.id = a.shoe_id";

/// Activities overlapping `[$2, $1]` (start, end in epoch ms), by start; `$3` is the start less
/// [`MAX_SPAN_MS`](crate::MAX_SPAN_MS), `$4` the end plus it.
///
/// Closed intervals `[a.start, a.end]` and `[start, end]` overlap when each starts no later
/// than the other ends. No stored span is longer than `MAX_SPAN_MS`, so an overlapping activity
/// starts at most that long before `start` and ends at most that long after `end`: the two
/// extra bounds make the range scan of either time index short, where `start_ms <= end` alone
/// matches every earlier activity (a large import was quadratic).
pub(crate) fn overlap_query() -> String {
    format!(
        "{ACTIVITY_SELECT} WHERE a.athlete_id = 1 \
         AND a.start_ms >= $3 AND a.start_ms <= $1 \
         AND a.end_ms >= $2 AND a.end_ms <= $4 \
         ORDER BY a.start_ms, a.id"
    )
}

/// The file columns every listing selects (never the bytes).
pub(crate) const FILE_SELECT: &str =
    "SELECT id, name, sha256, format, size, imported_ms, duplicate_of FROM files";

/// An `activities` row joined to its shoe's name.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ActivityDb {
    id: i64,
    file_id: i64,
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
    shoe_id: Option<i64>,
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
    id: i64,
    name: String,
    sha256: String,
    format: String,
    size: i64,
    imported_ms: i64,
    duplicate_of: Option<i64>,
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

/// The current time in epoch milliseconds.
pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// One activity ready to insert: everything computed, nothing left but binding.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    pub(crate) a: &'a Activity,
    pub(crate) shoe: Option<i64>,
    pub(crate) start_ms: i64,
    pub(crate) end_ms: i64,
    pub(crate) samples: Vec<u8>,
    pub(crate) session: i32,
    pub(crate) summary: Option<String>,
}

impl<'a> Prepared<'a> {
    /// Encodes the samples and works out the time span.
    pub(crate) fn new(n: &NewActivity<'a>) -> Result<Prepared<'a>, StoreError> {
        let a = n.activity;
        let start_ms = a.start.timestamp_millis();
        // The span ends at the stated end or the last sample, whichever is later, so an
        // activity without totals still overlaps the runs it covers.
        let last_t = a
            .samples
            .iter()
            .map(|s| s.t)
            .filter(|t| t.is_finite())
            .fold(0.0, f64::max);
        let by_samples = start_ms.saturating_add((last_t * 1000.0) as i64);
        // Capped, so the overlap query can bound how early an overlapping activity starts.
        let end_ms = a
            .end()
            .map_or(start_ms, |e| e.timestamp_millis())
            .max(by_samples)
            .min(start_ms.saturating_add(crate::MAX_SPAN_MS));
        Ok(Prepared {
            a,
            shoe: n.shoe,
            start_ms,
            end_ms,
            samples: match n.encoded {
                Some(bytes) => bytes.to_vec(),
                None => codec::encode(&a.samples)?,
            },
            session: i32::try_from(n.session).map_err(|_| {
                StoreError::Invalid(format!("session index {} too large", n.session))
            })?,
            summary: n
                .summary
                .map(serde_json::to_string)
                .transpose()
                .map_err(|e| StoreError::Invalid(format!("summary not serialisable: {e}")))?,
        })
    }

    pub(crate) fn totals_source(&self) -> &'static str {
        match self.a.totals_source {
            TotalsSource::Device => "device",
            TotalsSource::Computed => "computed",
        }
    }
}

/// A source file ready to insert: its bytes packed for storage, its hash checked.
#[derive(Debug, Clone)]
pub struct PackedFile {
    /// `gzip` or `identity`.
    pub(crate) compression: &'static str,
    pub(crate) bytes: Vec<u8>,
}

/// Checks the caller's hash and packs the bytes: gzip (fast level), unless they are gzip
/// already or gzip does not make them smaller.
pub fn pack_file(f: &NewFile<'_>) -> Result<PackedFile, StoreError> {
    let actual = hex(&Sha256::digest(f.bytes));
    if !actual.eq_ignore_ascii_case(f.sha256) {
        return Err(StoreError::Invalid(format!(
            "file {:?}: given SHA-256 {} but the bytes hash to {actual}",
            f.name, f.sha256
        )));
    }
    if f.bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(PackedFile {
            compression: "identity",
            bytes: f.bytes.to_vec(),
        });
    }
    // Level 1: on the device corpus level 6 took six times as long (0.86 s against 0.14 s for
    // 39 MB) for 10 % smaller blobs, and made the import four times slower than decoding.
    let mut gz = GzEncoder::new(Vec::with_capacity(f.bytes.len() / 2), Compression::fast());
    gz.write_all(f.bytes).and_then(|_| gz.finish()).map_or_else(
        |e| Err(StoreError::Invalid(e.to_string())),
        |bytes| {
            Ok(if bytes.len() < f.bytes.len() {
                PackedFile {
                    compression: "gzip",
                    bytes,
                }
            } else {
                PackedFile {
                    compression: "identity",
                    bytes: f.bytes.to_vec(),
                }
            })
        },
    )
}

/// Unpacks stored bytes and checks them against the recorded size and hash, so a damaged
/// row is reported rather than handed out as the user's file.
pub(crate) fn unpack_file(
    compression: &str,
    stored: Vec<u8>,
    size: i64,
    sha256: &str,
) -> Result<Vec<u8>, StoreError> {
    let bytes = match compression {
        "identity" => stored,
        "gzip" => {
            let cap = u64::try_from(size).unwrap_or(0);
            let mut out = Vec::with_capacity(cap.min(1 << 30) as usize);
            GzDecoder::new(stored.as_slice())
                .take(cap + 1)
                .read_to_end(&mut out)
                .map_err(|e| StoreError::Corrupt(format!("stored file does not inflate: {e}")))?;
            out
        }
        other => {
            return Err(StoreError::Corrupt(format!(
                "unknown compression {other:?}"
            )));
        }
    };
    if bytes.len() as i64 != size || !hex(&Sha256::digest(&bytes)).eq_ignore_ascii_case(sha256) {
        return Err(StoreError::Corrupt(format!(
            "stored file with SHA-256 {sha256} no longer matches its hash or size"
        )));
    }
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_file<'a>(bytes: &'a [u8], hash: &'a str) -> NewFile<'a> {
        NewFile {
            name: "t.fit",
            sha256: hash,
            format: "fit",
            bytes,
            packed: None,
        }
    }

    #[test]
    fn packing_round_trips_and_chooses_the_smaller_form() {
        let text = b"<trkpt lat=\"46.5\"/>".repeat(200);
        let h = hex(&Sha256::digest(&text));
        let p = pack_file(&new_file(&text, &h)).unwrap();
        assert_eq!(p.compression, "gzip");
        assert!(p.bytes.len() < text.len() / 4, "repetitive text compresses");
        assert_eq!(
            unpack_file(p.compression, p.bytes, text.len() as i64, &h).unwrap(),
            text
        );
        // Bytes that start like gzip are kept as they are, never compressed twice.
        let gz = [0x1f, 0x8b, 8, 0, 1, 2, 3];
        let h = hex(&Sha256::digest(gz));
        assert_eq!(
            pack_file(&new_file(&gz, &h)).unwrap().compression,
            "identity"
        );
    }

    #[test]
    fn wrong_hash_and_damaged_rows_are_reported() {
        let bytes = b"FIT data".repeat(50);
        let wrong = hex(&Sha256::digest(b"other"));
        assert!(matches!(
            pack_file(&new_file(&bytes, &wrong)),
            Err(StoreError::Invalid(_))
        ));
        let h = hex(&Sha256::digest(&bytes));
        let p = pack_file(&new_file(&bytes, &h)).unwrap();
        let n = bytes.len() as i64;
        let mut flipped = p.bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x40;
        let corrupt = |r: Result<Vec<u8>, StoreError>| matches!(r, Err(StoreError::Corrupt(_)));
        assert!(corrupt(unpack_file("gzip", flipped, n, &h)), "bit flip");
        assert!(
            corrupt(unpack_file("gzip", p.bytes.clone(), n - 1, &h)),
            "size"
        );
        assert!(
            corrupt(unpack_file("gzip", p.bytes.clone(), n, &wrong)),
            "hash"
        );
        assert!(
            corrupt(unpack_file("zstd", p.bytes, n, &h)),
            "unknown compression"
        );
    }

    #[test]
    fn epoch_millisecond_limits() {
        assert_eq!(from_ms(0).unwrap().timestamp(), 0);
        // chrono's range ends near year 262 143; i64::MAX ms is far beyond it.
        assert!(matches!(from_ms(i64::MAX), Err(StoreError::Corrupt(_))));
        assert!(matches!(hr(Some(256)), Err(StoreError::Corrupt(_))));
        assert_eq!(hr(Some(180)).unwrap(), Some(180));
    }
}

/// An activity's load-summary columns.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SummaryDb {
    id: i64,
    summary: Option<String>,
    rpe: Option<i16>,
    shoe_id: Option<i64>,
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
        use soleus_model::load::RunSummary;
        let mut summary = match &r.summary {
            Some(json) => serde_json::from_str::<RunSummary>(json).map_err(|e| {
                StoreError::Corrupt(format!("activity {}: load summary unreadable: {e}", r.id))
            })?,
            None => {
                let sport = soleus_model::Sport::parse(&r.sport).ok_or_else(|| {
                    StoreError::Corrupt(format!("activity {}: unknown sport {:?}", r.id, r.sport))
                })?;
                let mut s = RunSummary::new(sport, millis(r.start_ms)?);
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

fn millis(ms: i64) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    chrono::DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Corrupt(format!("time {ms} ms is out of range")))
}

/// A journal row made into an entry.
pub(crate) fn journal_entry(
    (id, kind, day, created_ms, body): (i64, String, String, i64, String),
) -> Result<crate::JournalEntry, StoreError> {
    let day = day
        .parse()
        .map_err(|e| StoreError::Corrupt(format!("journal entry {id}: bad day {day:?}: {e}")))?;
    let body = serde_json::from_str(&body)
        .map_err(|e| StoreError::Corrupt(format!("journal entry {id}: unreadable body: {e}")))?;
    Ok(crate::JournalEntry {
        id,
        kind,
        day,
        created: millis(created_ms)?,
        body,
    })
}

/// A shoe row with its distance.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ShoeDb {
    id: i64,
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
