//! Turns decoded message values into the raw pieces an activity is built from, enforcing the
//! decoder limits as they arrive.

use super::fields::{Kind, Values, slot};
use super::names;
use crate::{DecodeError, Limits};
use soleus_model::Sample;

/// `file_id.type` of an activity file (FIT profile `file` enum).
const FILE_ACTIVITY: u8 = 4;

/// 180 / 2^31: degrees per semicircle (FIT profile: positions are in semicircles).
const DEG_PER_SEMICIRCLE: f64 = 180.0 / 2_147_483_648.0;

/// A file may hold this many times `max_samples` records in all: a chained FIT stream holds
/// many activities, each allowed `max_samples`, but the whole file's memory stays bounded.
pub(super) const FILE_SAMPLES_FACTOR: usize = 4;

/// What the reader should do after a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    /// Keep reading.
    Go,
    /// The section is not an activity: skip to the next one.
    SkipSection,
}

/// Who made the file: from `file_id`, or the creator's `device_info`.
#[derive(Debug, Clone, Default)]
pub(super) struct Creator {
    pub manufacturer: Option<u16>,
    pub product: Option<u16>,
    pub product_name: Option<String>,
}

/// A session or lap message: the device's totals for a span of time. Times are FIT seconds.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Summary {
    pub start: Option<f64>,
    pub timestamp: Option<f64>,
    pub sport: Option<u8>,
    pub sub_sport: Option<u8>,
    pub elapsed_s: Option<f64>,
    pub timer_s: Option<f64>,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    pub descent_m: Option<f64>,
    pub avg_hr: Option<u8>,
    pub max_hr: Option<u8>,
    pub avg_cadence: Option<f64>,
}

impl Summary {
    fn from(v: &Values) -> Summary {
        let cadence = v
            .get(slot::AVG_CADENCE)
            .map(|c| c + v.get(slot::AVG_FRAC_CADENCE).unwrap_or(0.0) / 128.0);
        Summary {
            start: v.get(slot::START),
            timestamp: v.get(slot::TIMESTAMP),
            sport: v.get(slot::SPORT).and_then(byte),
            sub_sport: v.get(slot::SUB_SPORT).and_then(byte),
            // Profile scales: times ×1000 (ms), distance ×100 (cm); ascent and descent in m.
            elapsed_s: v.get(slot::ELAPSED).map(|t| t / 1000.0),
            timer_s: v.get(slot::TIMER).map(|t| t / 1000.0),
            distance_m: v.get(slot::DISTANCE).map(|d| d / 100.0),
            ascent_m: v.get(slot::ASCENT),
            descent_m: v.get(slot::DESCENT),
            avg_hr: v.get(slot::AVG_HR).and_then(byte),
            max_hr: v.get(slot::MAX_HR).and_then(byte),
            avg_cadence: cadence,
        }
    }

    /// When the span began: its start time, else its end less its elapsed time.
    pub(super) fn begin(&self) -> Option<f64> {
        self.start
            .or_else(|| Some(self.timestamp? - self.elapsed_s.or(self.timer_s)?))
    }
}

fn byte(v: f64) -> Option<u8> {
    (0.0..=255.0).contains(&v).then_some(v as u8)
}

/// Everything read from a file, before it is split into activities.
#[derive(Debug)]
pub(super) struct Collector {
    limits: Limits,
    /// `file_id.type` of each section that had one.
    pub file_types: Vec<u8>,
    /// Whether any section's `file_id` said activity.
    pub activity_file: bool,
    pub creator: Creator,
    pub creator_device: Creator,
    pub time_created: Option<f64>,
    pub sessions: Vec<Summary>,
    pub laps: Vec<Summary>,
    /// Records, `t` in FIT seconds (NaN when the record had no time).
    pub records: Vec<Sample>,
    /// `sport` message: sport and sub-sport.
    pub sport: Option<(Option<u8>, Option<u8>)>,
    /// `activity` message: local time minus UTC, seconds.
    pub utc_offset_s: Option<i32>,
    pub warnings: Vec<String>,
    /// Where each chained FIT section's sessions, laps and records begin in those lists.
    pub sections: Vec<[usize; 3]>,
    /// The first place the reader had to stop early, and why.
    pub problem: Option<(usize, String)>,
    /// Length of the file, bytes.
    pub end: usize,
    bad_field_sizes: usize,
    /// Where the current activity's records begin: at its section's start or after the
    /// previous session message, whichever is later (`max_samples` counts from here).
    activity_records: usize,
}

impl Collector {
    pub(super) fn new(limits: &Limits) -> Collector {
        Collector {
            limits: *limits,
            file_types: Vec::new(),
            activity_file: false,
            creator: Creator::default(),
            creator_device: Creator::default(),
            time_created: None,
            sessions: Vec::new(),
            laps: Vec::new(),
            records: Vec::new(),
            sport: None,
            utc_offset_s: None,
            warnings: Vec::new(),
            sections: Vec::new(),
            problem: None,
            end: 0,
            bad_field_sizes: 0,
            activity_records: 0,
        }
    }

    /// Records a problem for the person importing the file.
    pub(super) fn warn(&mut self, w: String) {
        self.warnings.push(w);
    }

    /// A new chained FIT section begins.
    pub(super) fn begin_section(&mut self) {
        self.sections
            .push([self.sessions.len(), self.laps.len(), self.records.len()]);
        self.activity_records = self.records.len();
    }

    /// Notes where reading had to stop early (the first such place is kept).
    pub(super) fn stopped(&mut self, at: usize, why: &str) {
        self.problem.get_or_insert_with(|| (at, why.to_owned()));
    }

    /// A wanted field whose size does not fit its base type was skipped.
    pub(super) fn bad_field_size(&mut self) {
        self.bad_field_sizes += 1;
    }

    /// Records read so far.
    pub(super) fn records(&self) -> usize {
        self.records.len()
    }

    /// Ends reading: turns counters into warnings.
    pub(super) fn finish(&mut self) {
        if self.bad_field_sizes > 0 {
            let n = self.bad_field_sizes;
            self.warn(format!(
                "{n} field definition(s) had a size that does not match their type; those \
                 fields were skipped"
            ));
        }
    }

    /// Takes one data message.
    #[inline]
    pub(super) fn push(
        &mut self,
        kind: Kind,
        v: &Values,
        bytes: &[u8],
    ) -> Result<Flow, DecodeError> {
        match kind {
            Kind::Record => {
                let n = self.records.len();
                if n - self.activity_records >= self.limits.max_samples {
                    return Err(DecodeError::TooLarge {
                        limit: self.limits.max_samples,
                        what: "records in one activity",
                    });
                }
                let file_limit = self.limits.max_samples.saturating_mul(FILE_SAMPLES_FACTOR);
                if n >= file_limit {
                    return Err(DecodeError::TooLarge {
                        limit: file_limit,
                        what: "records in the file",
                    });
                }
                self.records.push(record(v));
            }
            Kind::Lap => {
                if self.laps.len() >= self.limits.max_laps {
                    return Err(DecodeError::TooLarge {
                        limit: self.limits.max_laps,
                        what: "laps",
                    });
                }
                self.laps.push(Summary::from(v));
            }
            Kind::Session => {
                if self.sessions.len() >= self.limits.max_activities {
                    return Err(DecodeError::TooLarge {
                        limit: self.limits.max_activities,
                        what: "activities",
                    });
                }
                self.sessions.push(Summary::from(v));
                self.activity_records = self.records.len();
            }
            Kind::FileId => {
                let t = v.get(slot::FILE_TYPE).and_then(byte);
                if let Some(t) = t {
                    self.file_types.push(t);
                }
                if self.creator.manufacturer.is_none() {
                    self.creator = creator(v, bytes);
                    self.time_created = v.get(slot::TIME_CREATED);
                }
                if t == Some(FILE_ACTIVITY) {
                    self.activity_file = true;
                } else if t.is_some() {
                    // Settings, workouts, courses…: nothing Soleus imports in this section.
                    return Ok(Flow::SkipSection);
                }
            }
            Kind::DeviceInfo => {
                // Device index 0 is the creator (FIT profile `device_index.creator`); files that
                // omit the index usually describe the creator first.
                let index = v.get(slot::DEVICE_INDEX);
                if (index == Some(0.0) || index.is_none())
                    && self.creator_device.manufacturer.is_none()
                {
                    self.creator_device = creator(v, bytes);
                }
            }
            Kind::Activity => {
                if let (Some(utc), Some(local)) =
                    (v.get(slot::TIMESTAMP), v.get(slot::LOCAL_TIMESTAMP))
                {
                    let off = local - utc;
                    // Real offsets lie within UTC−12 … UTC+14.
                    if (-12.0 * 3600.0..=14.0 * 3600.0).contains(&off) {
                        self.utc_offset_s = Some(off as i32);
                    }
                }
            }
            Kind::Sport => {
                let s = v.get(slot::SPORT).and_then(byte);
                let sub = v.get(slot::SUB_SPORT).and_then(byte);
                self.sport.get_or_insert((s, sub));
            }
            Kind::Skip => {}
        }
        Ok(Flow::Go)
    }
}

fn creator(v: &Values, bytes: &[u8]) -> Creator {
    Creator {
        // 0 is not a manufacturer (the profile's numbers start at 1).
        manufacturer: v
            .get(slot::MANUFACTURER)
            .map(|m| m as u16)
            .filter(|m| *m != 0),
        product: v.get(slot::PRODUCT).map(|p| p as u16),
        product_name: v
            .text
            .and_then(|(at, len)| names::text(bytes.get(at..at.saturating_add(len))?)),
    }
}

#[inline]
fn record(v: &Values) -> Sample {
    let deg = |i: usize| {
        v.get(i)
            .map(|s| s * DEG_PER_SEMICIRCLE)
            .filter(|d| d.abs() <= 180.0)
    };
    // Profile scales: altitude ×5 offset 500 (m), distance ×100 (m), speed ×1000 (m/s),
    // fractional cadence ×128. Enhanced fields are the wider versions of the same values.
    let alt = v
        .get(slot::ENH_ALT)
        .or_else(|| v.get(slot::ALT))
        .map(|a| a / 5.0 - 500.0);
    let speed = v
        .get(slot::ENH_SPEED)
        .or_else(|| v.get(slot::SPEED))
        .map(|s| s / 1000.0);
    let cadence = v
        .get(slot::CADENCE)
        .map(|c| c + v.get(slot::FRAC_CADENCE).unwrap_or(0.0) / 128.0);
    let (lat, lon) = match (deg(slot::LAT), deg(slot::LON)) {
        (Some(la), Some(lo)) if la.abs() <= 90.0 => (Some(la), Some(lo)),
        _ => (None, None),
    };
    Sample {
        t: v.nums[slot::TIMESTAMP],
        lat,
        lon,
        alt,
        dist: v.get(slot::DIST).map(|d| d / 100.0),
        speed,
        hr: v.get(slot::HR).and_then(byte),
        cadence,
        power: v.get(slot::POWER).map(|p| p as u16),
    }
}
