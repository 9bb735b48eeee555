//! Activities as Soleus keeps them: one session of one sport, its totals, laps and samples.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// What kind of activity a session was. Running sports are the ones that count toward running
/// load; the others are kept and listed, and feed the energy balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sport {
    /// Road or generic running.
    Run,
    /// Trail running.
    TrailRun,
    /// Treadmill or indoor running.
    Treadmill,
    /// Track running.
    Track,
    /// Walking.
    Walk,
    /// Hiking.
    Hike,
    /// Cycling of any kind (road, mountain, indoor trainer).
    Ride,
    /// Swimming, pool or open water.
    Swim,
    /// Anything else (rowing, skiing, strength, multisport transitions…).
    Other,
}

impl Sport {
    /// Every sport, in display order.
    pub const ALL: [Sport; 9] = [
        Sport::Run,
        Sport::TrailRun,
        Sport::Treadmill,
        Sport::Track,
        Sport::Walk,
        Sport::Hike,
        Sport::Ride,
        Sport::Swim,
        Sport::Other,
    ];

    /// Whether the sport counts toward running load (run, trail, treadmill, track).
    pub fn is_running(self) -> bool {
        matches!(
            self,
            Sport::Run | Sport::TrailRun | Sport::Treadmill | Sport::Track
        )
    }

    /// Whether the sport is done on foot, so cadence is reported in steps per minute.
    pub fn is_on_foot(self) -> bool {
        self.is_running() || matches!(self, Sport::Walk | Sport::Hike)
    }

    /// The stable machine name (`run`, `trail_run`, …) used in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Sport::Run => "run",
            Sport::TrailRun => "trail_run",
            Sport::Treadmill => "treadmill",
            Sport::Track => "track",
            Sport::Walk => "walk",
            Sport::Hike => "hike",
            Sport::Ride => "ride",
            Sport::Swim => "swim",
            Sport::Other => "other",
        }
    }

    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Sport::Run => "Run",
            Sport::TrailRun => "Trail run",
            Sport::Treadmill => "Treadmill",
            Sport::Track => "Track",
            Sport::Walk => "Walk",
            Sport::Hike => "Hike",
            Sport::Ride => "Ride",
            Sport::Swim => "Swim",
            Sport::Other => "Other",
        }
    }

    /// Parses a machine name as written by [`Sport::as_str`].
    pub fn parse(s: &str) -> Option<Sport> {
        Sport::ALL.into_iter().find(|sp| sp.as_str() == s)
    }

    /// Maps the free-text sport names that GPX, TCX and Strava's `activities.csv` use
    /// ("Running", "Trail Run", "VirtualRun", "Biking", "hiking", "9" …) to a sport.
    pub fn from_name(name: &str) -> Sport {
        let n: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match n.as_str() {
            "run" | "running" | "jog" | "jogging" | "streetrunning" | "roadrunning" | "9" => {
                Sport::Run
            }
            "trailrun" | "trailrunning" | "trail" => Sport::TrailRun,
            "treadmill" | "treadmillrunning" | "virtualrun" | "indoorrunning" | "indoorrun" => {
                Sport::Treadmill
            }
            "track" | "trackrunning" | "trackrun" => Sport::Track,
            "walk" | "walking" | "indoorwalking" | "casualwalking" | "speedwalking" => Sport::Walk,
            "hike" | "hiking" => Sport::Hike,
            "ride" | "biking" | "bike" | "cycling" | "cycle" | "virtualride" | "ebikeride"
            | "mountainbikeride" | "gravelride" | "roadbiking" | "mountainbiking"
            | "indoorcycling" | "1" => Sport::Ride,
            "swim" | "swimming" | "openwaterswimming" | "lapswimming" | "poolswim"
            | "poolswimming" => Sport::Swim,
            _ => Sport::Other,
        }
    }
}

impl std::fmt::Display for Sport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Where an activity's totals came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TotalsSource {
    /// The device wrote them (FIT session, TCX lap totals): preferred.
    Device,
    /// Soleus recomputed them from the samples (see [`crate::geo`]).
    Computed,
}

/// One recorded point of an activity's time series. Every channel is optional: devices record
/// different things, and a missing value is not a zero.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sample {
    /// Seconds since the activity's start.
    pub t: f64,
    /// Latitude in degrees (WGS84).
    pub lat: Option<f64>,
    /// Longitude in degrees (WGS84).
    pub lon: Option<f64>,
    /// Altitude in metres.
    pub alt: Option<f64>,
    /// Cumulative distance in metres, as the device measured it.
    pub dist: Option<f64>,
    /// Speed in metres per second.
    pub speed: Option<f64>,
    /// Heart rate in beats per minute.
    pub hr: Option<u8>,
    /// Cadence: steps per minute for on-foot sports, revolutions per minute for cycling.
    pub cadence: Option<f64>,
    /// Power in watts.
    pub power: Option<u16>,
}

/// One lap (or split the device recorded).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lap {
    /// When the lap started.
    pub start: Option<DateTime<Utc>>,
    /// Wall-clock seconds from the lap's start to its end.
    pub elapsed_s: Option<f64>,
    /// Seconds the timer was running (moving time).
    pub moving_s: Option<f64>,
    /// Lap distance in metres.
    pub distance_m: Option<f64>,
    /// Metres climbed.
    pub ascent_m: Option<f64>,
    /// Metres descended.
    pub descent_m: Option<f64>,
    /// Average heart rate.
    pub avg_hr: Option<u8>,
    /// Maximum heart rate.
    pub max_hr: Option<u8>,
    /// Average cadence (steps per minute on foot).
    pub avg_cadence: Option<f64>,
}

impl Lap {
    /// The lap's pace in seconds per kilometre (see [`pace_s_per_km`]).
    pub fn pace_s_per_km(&self) -> Option<f64> {
        pace_s_per_km(self.distance_m, self.moving_s, self.elapsed_s)
    }
}

/// Pace in seconds per kilometre: moving time, else elapsed time, over distance. `None` when
/// either is missing or zero: no time or no distance is no pace, never a pace of 0:00.
pub fn pace_s_per_km(
    distance_m: Option<f64>,
    moving_s: Option<f64>,
    elapsed_s: Option<f64>,
) -> Option<f64> {
    let d = distance_m.filter(|d| *d > 0.0)?;
    let t = moving_s
        .filter(|t| *t > 0.0)
        .or(elapsed_s.filter(|t| *t > 0.0))?;
    Some(t / (d / 1000.0))
}

/// One session of one sport: what the device recorded, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    /// A name, when the file or export gave one ("Morning Run").
    pub name: Option<String>,
    /// The sport.
    pub sport: Sport,
    /// The device's own sport / sub-sport words, for display ("running/trail").
    pub sport_detail: Option<String>,
    /// Start time in UTC.
    pub start: DateTime<Utc>,
    /// The local time offset in seconds east of UTC at the start, when the file knows it.
    pub utc_offset_s: Option<i32>,
    /// Distance in metres.
    pub distance_m: Option<f64>,
    /// Wall-clock seconds from start to end, pauses included.
    pub elapsed_s: Option<f64>,
    /// Seconds the timer ran (or moving time where the file has no timer).
    pub moving_s: Option<f64>,
    /// Metres climbed.
    pub ascent_m: Option<f64>,
    /// Metres descended.
    pub descent_m: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_hr: Option<u8>,
    /// Maximum heart rate, bpm.
    pub max_hr: Option<u8>,
    /// Average cadence: steps per minute on foot, rpm on a bike.
    pub avg_cadence: Option<f64>,
    /// The recording device ("Garmin fenix5", "Polar Vantage V").
    pub device: Option<String>,
    /// Whether the altitude came from a barometric sensor.
    pub barometric: bool,
    /// Where the totals came from.
    pub totals_source: TotalsSource,
    /// Laps or device splits.
    pub laps: Vec<Lap>,
    /// The time series.
    pub samples: Vec<Sample>,
}

impl Activity {
    /// An empty activity of `sport` starting at `start`; decoders fill in the rest.
    pub fn new(sport: Sport, start: DateTime<Utc>) -> Activity {
        Activity {
            name: None,
            sport,
            sport_detail: None,
            start,
            utc_offset_s: None,
            distance_m: None,
            elapsed_s: None,
            moving_s: None,
            ascent_m: None,
            descent_m: None,
            avg_hr: None,
            max_hr: None,
            avg_cadence: None,
            device: None,
            barometric: false,
            totals_source: TotalsSource::Device,
            laps: Vec::new(),
            samples: Vec::new(),
        }
    }

    /// The start in the activity's own local time, when the offset is known.
    pub fn local_start(&self) -> Option<DateTime<FixedOffset>> {
        let off = FixedOffset::east_opt(self.utc_offset_s?)?;
        Some(self.start.with_timezone(&off))
    }

    /// The end of the activity (start + elapsed), when known.
    pub fn end(&self) -> Option<DateTime<Utc>> {
        let secs = self.elapsed_s.or(self.moving_s)?;
        Some(self.start + chrono::Duration::milliseconds((secs * 1000.0) as i64))
    }

    /// Average pace in seconds per kilometre over moving time (see [`pace_s_per_km`]).
    pub fn pace_s_per_km(&self) -> Option<f64> {
        pace_s_per_km(self.distance_m, self.moving_s, self.elapsed_s)
    }

    /// How much the activity holds: used to keep the richer of two copies of the same run.
    /// Counts channels present in the samples, then sample count.
    pub fn richness(&self) -> (u32, usize) {
        let mut ch = 0u32;
        let any = |f: &dyn Fn(&Sample) -> bool| self.samples.iter().any(f);
        ch += u32::from(any(&|s| s.lat.is_some()));
        ch += u32::from(any(&|s| s.alt.is_some()));
        ch += u32::from(any(&|s| s.hr.is_some()));
        ch += u32::from(any(&|s| s.cadence.is_some()));
        ch += u32::from(any(&|s| s.power.is_some()));
        ch += u32::from(any(&|s| s.speed.is_some()));
        ch += u32::from(!self.laps.is_empty());
        ch += u32::from(self.totals_source == TotalsSource::Device);
        (ch, self.samples.len())
    }

    /// Guesses the sport of an activity whose file does not say (a GPX without `<type>`, a FIT
    /// cut off before its session message), from moving speed and cadence. Returns the guess and
    /// the evidence, or `None` when the file named a sport or the numbers are ambiguous.
    ///
    /// Running is 1.9–6.5 m/s (a 2:34 to 8:46 min/km pace) with a step cadence of 140–220 spm
    /// (70–110 strides); walking is 0.5–1.9 m/s; above 7 m/s on land is riding. Cadence in the
    /// running band rules out most rides at running speeds (cyclists turn 60–100 rpm but ride
    /// faster, so above 4.7 m/s a power meter points to a bike); with no cadence, only
    /// 2.0–5.0 m/s counts as running.
    pub fn infer_sport(&self) -> Option<(Sport, String)> {
        let unnamed = self.sport_detail.as_deref().is_none_or(|d| d == "generic");
        if self.sport != Sport::Other || !unnamed {
            return None;
        }
        let v = self.distance_m? / self.moving_s.filter(|t| *t > 0.0)?;
        let mut cad: Vec<f64> = self
            .samples
            .iter()
            .filter_map(|s| s.cadence)
            .filter(|c| *c > 0.0)
            .collect();
        let median = if cad.is_empty() {
            None
        } else {
            let mid = cad.len() / 2;
            Some(*cad.select_nth_unstable_by(mid, f64::total_cmp).1)
        };
        let has_power = self.samples.iter().any(|s| s.power.is_some_and(|p| p > 0));
        let kmh = v * 3.6;
        let sport = match median {
            // Running power meters are common, so power only casts doubt at speeds where a
            // slow ride is as likely as a fast run.
            Some(c) if (1.9..=4.7).contains(&v) || ((4.7..=6.5).contains(&v) && !has_power) => {
                let steps = if c < 120.0 { c * 2.0 } else { c };
                (140.0..=220.0).contains(&steps).then_some(Sport::Run)?
            }
            None if (2.0..=5.0).contains(&v) => Sport::Run,
            _ if (0.5..1.9).contains(&v) => Sport::Walk,
            _ if (7.0..=25.0).contains(&v) => Sport::Ride,
            _ => return None,
        };
        let why = match median {
            Some(c) => format!("moving speed {kmh:.1} km/h, cadence {c:.0}"),
            None => format!("moving speed {kmh:.1} km/h"),
        };
        Some((sport, why))
    }

    /// Removes implausible sample values ([`crate::geo::clean_samples`]) and checks the
    /// totals, so that neither a glitch nor a hostile file reaches load, energy or risk.
    /// Totals that were computed from the samples are recomputed from the cleaned ones; a
    /// total the file gave that no one could have run (more distance than the sport's top
    /// speed allows in the time, more climb than distance) is replaced by the computed value,
    /// or dropped. Then the totals are checked against each other and against the samples
    /// ([`crate::totals`]); `samples_complete` is false for a file that broke off before its
    /// end, whose samples may stop early and so overrule nothing. Returns a warning for each
    /// thing it changed.
    pub fn make_plausible(&mut self, samples_complete: bool) -> Vec<String> {
        let mut warnings = Vec::new();
        let (sport, baro) = (self.sport, self.barometric);
        let before = crate::geo::summarise(&self.samples, sport, baro);
        let dropped = crate::geo::clean_samples(&mut self.samples, sport);
        let after = if dropped.any() {
            crate::geo::summarise(&self.samples, sport, baro)
        } else {
            before
        };
        if dropped.any() {
            let mut parts = Vec::new();
            for (n, what) in [
                (dropped.positions, "positions"),
                (dropped.altitudes, "altitudes"),
                (dropped.speeds, "speeds"),
                (dropped.other, "other values"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {what}"));
                }
            }
            warnings.push(format!(
                "left out implausible sample values (off the globe, beyond what a {} can do, \
                 or not numbers): {}",
                sport.label().to_lowercase(),
                parts.join(", ")
            ));
            // Totals equal to the raw samples' summary came from them: recompute.
            let same = |a: Option<f64>, b: Option<f64>| a.is_some() && a == b;
            if same(self.distance_m, before.distance_m) {
                self.distance_m = after.distance_m;
            }
            if same(self.ascent_m, before.ascent_m) {
                self.ascent_m = after.ascent_m;
            }
            if same(self.descent_m, before.descent_m) {
                self.descent_m = after.descent_m;
            }
            if same(self.moving_s, before.moving_s) {
                self.moving_s = after.moving_s;
            }
        }
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite() && *v >= 0.0);
        // Wall-clock time: a week is far beyond any single activity's recording.
        let elapsed = finite(self.elapsed_s).filter(|e| *e <= 7.0 * 86_400.0);
        if elapsed != self.elapsed_s {
            warnings.push("the file's elapsed time is not plausible; left out".into());
            self.elapsed_s = elapsed.or(after.elapsed_s.filter(|e| *e <= 7.0 * 86_400.0));
        }
        let moving = finite(self.moving_s).filter(|m| *m <= 7.0 * 86_400.0);
        if moving != self.moving_s {
            warnings.push("the file's moving time is not plausible; left out".into());
            self.moving_s = moving;
        }
        let time = match (self.elapsed_s, self.moving_s) {
            (Some(e), Some(m)) => Some(e.max(m)),
            (e, m) => e.or(m),
        };
        let max_distance = |t: Option<f64>| t.map(|t| crate::geo::max_plausible_speed(sport) * t);
        let plausible_distance = |d: Option<f64>| {
            finite(d).filter(|d| max_distance(time).is_none_or(|m| *d <= m + 100.0))
        };
        let distance = plausible_distance(self.distance_m);
        if distance != self.distance_m {
            let replacement = plausible_distance(after.distance_m);
            warnings.push(format!(
                "the file's distance of {:.1} km is more than a {} could cover in its time; {}",
                self.distance_m.unwrap_or(f64::NAN) / 1000.0,
                sport.label().to_lowercase(),
                if replacement.is_some() {
                    "recomputed it from the positions"
                } else {
                    "left out"
                }
            ));
            self.distance_m = replacement;
            self.totals_source = TotalsSource::Computed;
        }
        // Climb: no more than the distance (a 100 % grade throughout), nor faster than the
        // sport's climb rate over the whole time.
        let plausible_climb = |c: Option<f64>| {
            finite(c).filter(|c| {
                self.distance_m.is_none_or(|d| *c <= d + 100.0)
                    && time.is_none_or(|t| {
                        *c <= crate::geo::max_plausible_climb_rate(sport) * t + 100.0
                    })
            })
        };
        for (what, total, computed) in [
            ("ascent", &mut self.ascent_m, after.ascent_m),
            ("descent", &mut self.descent_m, after.descent_m),
        ] {
            let ok = plausible_climb(*total);
            if ok != *total {
                let replacement = plausible_climb(computed);
                warnings.push(format!(
                    "the file's {what} of {:.0} m is not plausible for its distance and time; {}",
                    total.unwrap_or(f64::NAN),
                    if replacement.is_some() {
                        "recomputed it from the altitudes"
                    } else {
                        "left out"
                    }
                ));
                *total = replacement;
            }
        }
        if self
            .avg_cadence
            .is_some_and(|c| !(c.is_finite() && (0.0..=400.0).contains(&c)))
        {
            warnings.push("the file's average cadence is not plausible; left out".into());
            self.avg_cadence = None;
        }
        for (what, hr) in [("average", &mut self.avg_hr), ("maximum", &mut self.max_hr)] {
            if hr.is_some_and(|h| h > 250) {
                warnings.push(format!(
                    "the file's {what} heart rate is not plausible; left out"
                ));
                *hr = None;
            }
        }
        warnings.extend(crate::totals::reconcile(
            self,
            &before,
            &after,
            samples_complete,
        ));
        warnings
    }

    /// Fills in every total the file did not give, from the samples, and marks the activity
    /// `Computed` when distance had to be recomputed. Totals the device recorded are kept.
    pub fn fill_missing_totals(&mut self) {
        let summary = crate::geo::summarise(&self.samples, self.sport, self.barometric);
        if let (None, Some(d)) = (self.distance_m, summary.distance_m) {
            self.distance_m = Some(d);
            self.totals_source = TotalsSource::Computed;
        }
        if self.elapsed_s.is_none() {
            self.elapsed_s = summary.elapsed_s;
        }
        if self.moving_s.is_none() {
            self.moving_s = summary.moving_s;
        }
        if self.ascent_m.is_none() {
            self.ascent_m = summary.ascent_m;
        }
        if self.descent_m.is_none() {
            self.descent_m = summary.descent_m;
        }
        if self.avg_hr.is_none() {
            self.avg_hr = summary.avg_hr;
        }
        if self.max_hr.is_none() {
            self.max_hr = summary.max_hr;
        }
        if self.avg_cadence.is_none() {
            self.avg_cadence = summary.avg_cadence;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sport_names_round_trip_and_map() {
        for s in Sport::ALL {
            assert_eq!(Sport::parse(s.as_str()), Some(s));
        }
        assert_eq!(Sport::from_name("Running"), Sport::Run);
        assert_eq!(Sport::from_name("Trail Run"), Sport::TrailRun);
        assert_eq!(Sport::from_name("VirtualRun"), Sport::Treadmill);
        assert_eq!(Sport::from_name("Biking"), Sport::Ride);
        assert_eq!(Sport::from_name("Kayaking"), Sport::Other);
        assert!(Sport::Track.is_running() && !Sport::Walk.is_running());
    }

    #[test]
    fn sport_is_inferred_only_when_unknown() {
        let mut a = Activity::new(
            Sport::Other,
            Utc.with_ymd_and_hms(2026, 1, 1, 7, 0, 0).unwrap(),
        );
        a.distance_m = Some(10_000.0);
        a.moving_s = Some(3_000.0); // 3.33 m/s = 12 km/h
        a.samples = vec![
            Sample {
                cadence: Some(86.0),
                ..Sample::default()
            };
            5
        ];
        // 86 strides/min = 172 steps/min, inside 140–220: a run.
        assert_eq!(a.infer_sport().map(|s| s.0), Some(Sport::Run));
        a.moving_s = Some(10_000.0 / 1.2); // 4.3 km/h
        assert_eq!(a.infer_sport().map(|s| s.0), Some(Sport::Walk));
        a.moving_s = Some(1_000.0); // 36 km/h
        assert_eq!(a.infer_sport().map(|s| s.0), Some(Sport::Ride));
        a.sport_detail = Some("rowing".into());
        assert_eq!(a.infer_sport(), None, "the file named its sport");
    }

    #[test]
    fn pace_and_local_start() {
        let mut a = Activity::new(
            Sport::Run,
            Utc.with_ymd_and_hms(2026, 1, 1, 23, 30, 0).unwrap(),
        );
        assert_eq!(a.pace_s_per_km(), None);
        a.distance_m = Some(5000.0);
        a.moving_s = Some(1500.0);
        // 1500 s over 5 km = 300 s/km.
        assert_eq!(a.pace_s_per_km(), Some(300.0));
        // A timer that says 0 s is no time: the pace comes from elapsed time, else there is
        // none (a pace of 0:00/km was shown).
        a.moving_s = Some(0.0);
        assert_eq!(a.pace_s_per_km(), None);
        a.elapsed_s = Some(1800.0);
        assert_eq!(a.pace_s_per_km(), Some(360.0));
        a.utc_offset_s = Some(3600);
        assert_eq!(
            a.local_start().unwrap().to_rfc3339(),
            "2026-01-02T00:30:00+01:00"
        );
    }
}
