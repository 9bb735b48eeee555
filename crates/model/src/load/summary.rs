//! The per-activity summary the load engine works from, and which calendar day a run belongs to.
//!
//! Everything the engine needs from an activity's samples (TRIMP, hill distance, hard time) is
//! computed once, at import, into a [`RunSummary`]. Recomputing the daily metrics after a new
//! import then reads a few numbers per activity, never the samples again.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::samples::{HrProfile, hill_and_intensity, trimp_banister};
use crate::{Activity, Sport};

/// The top of Borg's CR-10 scale for session RPE: 0 is rest, 10 maximal effort.
pub const RPE_MAX: u8 = 10;

/// Whether a session RPE is on the CR-10 scale.
pub fn rpe_on_scale(rpe: u8) -> bool {
    rpe <= RPE_MAX
}
/// What one unit of daily load measures (load-metrics.md "Load units").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LoadUnit {
    /// Distance in kilometres: every file has it.
    #[default]
    Km,
    /// Moving time in minutes.
    Minutes,
    /// Banister TRIMP from the heart-rate samples, computed at import.
    Trimp,
    /// Session RPE: CR-10 rating × session minutes (Foster 2001).
    Srpe,
}

impl LoadUnit {
    /// The machine name used on the command line and in JSON (`km`, `minutes`, `trimp`, `srpe`).
    pub fn as_str(self) -> &'static str {
        match self {
            LoadUnit::Km => "km",
            LoadUnit::Minutes => "minutes",
            LoadUnit::Trimp => "trimp",
            LoadUnit::Srpe => "srpe",
        }
    }

    /// Parses a machine name as written by [`LoadUnit::as_str`].
    pub fn parse(s: &str) -> Option<LoadUnit> {
        [
            LoadUnit::Km,
            LoadUnit::Minutes,
            LoadUnit::Trimp,
            LoadUnit::Srpe,
        ]
        .into_iter()
        .find(|u| u.as_str() == s)
    }
}

/// One activity reduced to what the load engine needs. Built once at import
/// ([`RunSummary::from_activity`]) and stored; every field but `start` and `sport` may be unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunSummary {
    /// Start time in UTC.
    pub start: DateTime<Utc>,
    /// The device's local offset at the start, seconds east of UTC, when the file knows it.
    pub utc_offset_s: Option<i32>,
    /// The sport; only running sports add to running load.
    pub sport: Sport,
    /// Distance, metres.
    pub distance_m: Option<f64>,
    /// Moving (timer) time, seconds.
    pub moving_s: Option<f64>,
    /// Metres climbed.
    pub ascent_m: Option<f64>,
    /// Metres descended.
    pub descent_m: Option<f64>,
    /// Kilometres run on grades steeper than ±5 %.
    pub hilly_km: Option<f64>,
    /// Seconds in the top two heart-rate zones (or above the athlete's threshold).
    pub hard_s: Option<f64>,
    /// Banister TRIMP of the session.
    pub trimp: Option<f64>,
    /// Session RPE on the CR-10 scale (0–[`RPE_MAX`]), entered by the athlete.
    pub rpe: Option<u8>,
    /// Heel-to-toe drop of the shoe worn, millimetres, when the shoe is known.
    pub shoe_drop_mm: Option<f64>,
}

impl RunSummary {
    /// A summary with only the start and sport known.
    pub fn new(sport: Sport, start: DateTime<Utc>) -> RunSummary {
        RunSummary {
            start,
            utc_offset_s: None,
            sport,
            distance_m: None,
            moving_s: None,
            ascent_m: None,
            descent_m: None,
            hilly_km: None,
            hard_s: None,
            trimp: None,
            rpe: None,
            shoe_drop_mm: None,
        }
    }

    /// Summarises an imported activity, reading its samples once. `hr` (the athlete's resting
    /// and maximum heart rate) is needed for TRIMP and hard time; without it both stay unknown.
    pub fn from_activity(a: &Activity, hr: Option<&HrProfile>) -> RunSummary {
        let (hilly_km, hard_s) = hill_and_intensity(&a.samples, hr);
        RunSummary {
            start: a.start,
            utc_offset_s: a.utc_offset_s,
            sport: a.sport,
            distance_m: a.distance_m,
            moving_s: a.moving_s.or(a.elapsed_s),
            ascent_m: a.ascent_m,
            descent_m: a.descent_m,
            hilly_km,
            hard_s,
            trimp: hr.and_then(|p| trimp_banister(&a.samples, p)),
            rpe: None,
            shoe_drop_mm: None,
        }
    }

    /// The calendar day the run belongs to: the local date it started on, using the file's own
    /// offset when known (so a run abroad lands on the day it was run there), else the athlete's
    /// time zone as `tz` gives it for that instant.
    pub fn local_date(&self, tz: &dyn Fn(DateTime<Utc>) -> FixedOffset) -> NaiveDate {
        let off = self
            .utc_offset_s
            .and_then(FixedOffset::east_opt)
            .unwrap_or_else(|| tz(self.start));
        self.start.with_timezone(&off).date_naive()
    }

    /// Distance in km, 0 when unknown.
    pub fn km(&self) -> f64 {
        self.distance_m.map_or(0.0, |m| m.max(0.0) / 1000.0)
    }

    /// This run's load in `unit`, or `None` when the input that unit needs is missing
    /// (no RPE for `srpe`, no heart rate for `trimp`, no time for `minutes`).
    pub fn load(&self, unit: LoadUnit) -> Option<f64> {
        let minutes = self.moving_s.map(|s| s.max(0.0) / 60.0);
        match unit {
            LoadUnit::Km => self.distance_m.map(|m| m.max(0.0) / 1000.0),
            LoadUnit::Minutes => minutes,
            LoadUnit::Trimp => self.trimp,
            LoadUnit::Srpe => Some(f64::from(self.rpe?) * minutes?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
    }

    #[test]
    fn local_date_prefers_the_files_own_offset() {
        let home = |_: DateTime<Utc>| FixedOffset::east_opt(3600).unwrap();
        // 23:30 UTC is 00:30 the next day at home (UTC+1).
        let mut r = RunSummary::new(Sport::Run, utc(2026, 3, 1, 23, 30));
        assert_eq!(
            r.local_date(&home),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
        // Recorded in New York (UTC−5): still 18:30 on 1 March there.
        r.utc_offset_s = Some(-5 * 3600);
        assert_eq!(
            r.local_date(&home),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
        // An impossible offset from a damaged file falls back to the athlete's zone.
        r.utc_offset_s = Some(100_000);
        assert_eq!(
            r.local_date(&home),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
    }

    #[test]
    fn load_in_each_unit() {
        let mut r = RunSummary::new(Sport::Run, utc(2026, 3, 1, 7, 0));
        r.distance_m = Some(12_500.0);
        r.moving_s = Some(3_600.0);
        assert_eq!(r.load(LoadUnit::Km), Some(12.5));
        assert_eq!(r.load(LoadUnit::Minutes), Some(60.0));
        assert_eq!(r.load(LoadUnit::Srpe), None, "no RPE entered");
        r.rpe = Some(6);
        // Foster sRPE: 6 × 60 min = 360.
        assert_eq!(r.load(LoadUnit::Srpe), Some(360.0));
        assert_eq!(r.load(LoadUnit::Trimp), None);
        for u in ["km", "minutes", "trimp", "srpe"] {
            assert_eq!(LoadUnit::parse(u).unwrap().as_str(), u);
        }
        assert_eq!(LoadUnit::parse("miles"), None);
    }
}
