//! GPX 1.0 and 1.1: the track points of every `trk`/`trkseg` form one activity.
//!
//! GPX carries no totals, so distance, moving time and climb are recomputed from the points
//! ([`Activity::fill_missing_totals`]). Segments are pauses: sample times stay absolute to the
//! first point, so the gaps between segments fall out of moving time. Extensions are matched
//! by local name whatever their namespace (Garmin's `gpxtpx:hr`, cluetrust's
//! `gpxdata:cadence`, or no namespace at all), because writers disagree on prefixes.
//! SportTracks keeps heart rate apart from the points, in a file-level
//! `<extensions><st:activity><st:heartRateTrack>` of `<st:heartRate time=".." bpm=".."/>`;
//! each point takes the reading nearest its time, within [`geo::MAX_GAP_S`]. Strava writes its
//! activity type as a number (`<type>9</type>`), read by [`strava_type`].

use quick_xml::events::BytesStart;
use soleus_model::{Activity, Sample, Sport, TotalsSource, geo};

use crate::xml::{self, Stamp, Stop};
use crate::{DecodeError, Decoded, Limits};

/// The elements the decoder cares about; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Gpx,
    Metadata,
    Trk,
    Pt,
    Wpt,
    Rtept,
    Ele,
    Time,
    Name,
    Type,
    Hr,
    Cad,
    Power,
    Speed,
    /// SportTracks' `st:heartRate`: a reading with `time` and `bpm` attributes outside the
    /// points (or, from other writers, a point's heart rate as text).
    HeartRate,
    Other,
}

fn tag_of(local: &[u8]) -> Tag {
    match local {
        b"gpx" => Tag::Gpx,
        b"metadata" => Tag::Metadata,
        b"trk" => Tag::Trk,
        b"trkpt" => Tag::Pt,
        b"wpt" => Tag::Wpt,
        b"rtept" => Tag::Rtept,
        b"ele" => Tag::Ele,
        b"time" => Tag::Time,
        b"name" => Tag::Name,
        b"type" => Tag::Type,
        b"hr" | b"heartrate" => Tag::Hr,
        b"cad" | b"cadence" => Tag::Cad,
        b"power" | b"PowerInWatts" => Tag::Power,
        b"speed" => Tag::Speed,
        b"heartRate" => Tag::HeartRate,
        _ => Tag::Other,
    }
}

/// Marks a point without a usable `<time>`.
const NO_TIME: i64 = i64::MIN;

/// What has been read so far.
#[derive(Default)]
struct State {
    stack: Vec<Tag>,
    /// The point being read, and its time in ms since the epoch.
    pt: Option<(Sample, i64)>,
    samples: Vec<Sample>,
    times: Vec<i64>,
    first_offset: Option<Option<i32>>,
    trk_name: Option<String>,
    trk_type: Option<String>,
    meta_name: Option<String>,
    meta_time: Option<Stamp>,
    creator: Option<String>,
    /// Where the text of an open `name` or `type` element starts, in bytes.
    capture: Option<u64>,
    waypoints: usize,
    route_points: usize,
    saw_root: bool,
    /// File-level heart-rate readings (SportTracks): ms since the epoch, bpm.
    file_hr: Vec<(i64, u8)>,
    /// Track points left out because their coordinates are off the globe, and the first
    /// one's `lat` and `lon` as written.
    refused: usize,
    first_refused: Option<(String, String)>,
}

impl State {
    fn parent(&self) -> Option<Tag> {
        self.stack.len().checked_sub(2).map(|i| self.stack[i])
    }

    fn open(&mut self, e: &BytesStart<'_>, text_start: u64) -> Result<(), String> {
        let tag = tag_of(e.local_name().as_ref());
        if self.stack.is_empty() {
            if tag != Tag::Gpx {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                return Err(format!("the root element is <{name}>, not <gpx>"));
            }
            self.saw_root = true;
            self.creator = xml::attr(e, b"creator")
                .map(|v| xml::raw_text(&v, 0, v.len() as u64))
                .filter(|c| !c.is_empty());
        }
        self.stack.push(tag);
        match tag {
            Tag::Pt if self.pt.is_none() => {
                // A coordinate that is written but is no number on the globe makes the whole
                // point a fabrication: it is left out, not kept without a position.
                let text = |k: &[u8]| xml::attr(e, k).map(|v| xml::raw_text(&v, 0, v.len() as u64));
                let (lat_text, lon_text) = (text(b"lat"), text(b"lon"));
                let coord = |t: &Option<String>, max: f64| match t {
                    None => Ok(None),
                    Some(t) => xml::parse_f64(t.as_bytes())
                        .filter(|v| v.is_finite() && v.abs() <= max)
                        .map(Some)
                        .ok_or(()),
                };
                match (coord(&lat_text, 90.0), coord(&lon_text, 180.0)) {
                    (Ok(lat), Ok(lon)) => {
                        let s = Sample {
                            lat,
                            lon,
                            ..Sample::default()
                        };
                        self.pt = Some((s, NO_TIME));
                    }
                    _ => {
                        self.refused += 1;
                        self.first_refused.get_or_insert((
                            lat_text.unwrap_or_default(),
                            lon_text.unwrap_or_default(),
                        ));
                    }
                }
            }
            Tag::HeartRate if self.pt.is_none() => {
                let time = xml::attr(e, b"time").and_then(|v| xml::parse_time(&v));
                let bpm = xml::attr(e, b"bpm").and_then(|v| xml::parse_hr(&v));
                if let (Some(t), Some(hr)) = (time, bpm) {
                    self.file_hr.push((t.ms, hr));
                }
            }
            Tag::Wpt => self.waypoints += 1,
            Tag::Rtept => self.route_points += 1,
            Tag::Name | Tag::Type => self.capture = Some(text_start),
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, t: &[u8]) {
        let Some(&tag) = self.stack.last() else {
            return;
        };
        let parent = self.parent();
        if let Some((s, time)) = self.pt.as_mut() {
            let direct = parent == Some(Tag::Pt);
            match tag {
                Tag::Ele if direct => s.alt = xml::parse_f64(t),
                Tag::Time if direct => {
                    if let Some(st) = xml::parse_time(t) {
                        *time = st.ms;
                        self.first_offset.get_or_insert(st.offset_s);
                    }
                }
                Tag::Hr | Tag::HeartRate => s.hr = xml::parse_hr(t),
                Tag::Cad => s.cadence = xml::parse_non_negative(t),
                Tag::Power => s.power = xml::parse_power(t),
                Tag::Speed => s.speed = xml::parse_non_negative(t),
                _ => {}
            }
        } else if tag == Tag::Time && matches!(parent, Some(Tag::Metadata | Tag::Gpx)) {
            self.meta_time = xml::parse_time(t);
        }
    }

    fn close(&mut self, bytes: &[u8], text_end: u64, limits: &Limits) -> Result<(), Stop> {
        let tag = self.stack.pop();
        let parent = self.stack.last().copied();
        match tag {
            Some(Tag::Pt) if !self.stack.contains(&Tag::Pt) => {
                if let Some((s, time)) = self.pt.take() {
                    if self.samples.len() >= limits.max_samples {
                        return Err(Stop::Limit(limits.max_samples, "track points"));
                    }
                    self.samples.push(s);
                    self.times.push(time);
                }
            }
            Some(tag @ (Tag::Name | Tag::Type)) => {
                let Some(start) = self.capture.take() else {
                    return Ok(());
                };
                let text = xml::raw_text(bytes, start, text_end);
                let slot = match (tag, parent) {
                    (Tag::Name, Some(Tag::Trk)) => &mut self.trk_name,
                    (Tag::Type, Some(Tag::Trk)) => &mut self.trk_type,
                    (Tag::Name, Some(Tag::Metadata | Tag::Gpx)) => &mut self.meta_name,
                    _ => return Ok(()),
                };
                if slot.is_none() && !text.is_empty() {
                    *slot = Some(text);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl xml::Handler for State {
    fn open(&mut self, e: &BytesStart<'_>, text_start: u64, _: &Limits) -> Result<(), Stop> {
        State::open(self, e, text_start).map_err(Stop::Bad)
    }
    fn close(&mut self, bytes: &[u8], text_end: u64, limits: &Limits) -> Result<(), Stop> {
        State::close(self, bytes, text_end, limits)
    }
    fn text(&mut self, t: &[u8]) {
        State::text(self, t);
    }
    fn forget_capture(&mut self) {
        self.capture = None;
    }
    fn is_open(&self) -> bool {
        !self.stack.is_empty()
    }
}

/// Decodes a GPX file into one activity made of all its track points.
///
/// Errors: [`DecodeError::NotAnActivity`] for files with only waypoints or routes, or with
/// tracks that have no timestamps (a planned route); [`DecodeError::Xml`] for XML broken before
/// the first point; [`DecodeError::TooLarge`] past [`Limits`]. XML broken after some points
/// keeps those points and adds a warning.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    let bytes = xml::start(bytes, limits)?;
    let mut st = State::default();
    let problem = xml::drive(bytes, &mut st, limits)?;
    finish(bytes, st, problem)
}

fn finish(bytes: &[u8], st: State, problem: Option<(u64, String)>) -> Result<Decoded, DecodeError> {
    let mut warnings = Vec::new();
    let cut_short = problem.is_some();
    if let Some((offset, what)) = problem {
        let (line, column) = xml::line_col(bytes, offset);
        if st.samples.is_empty() {
            return Err(DecodeError::Xml {
                format: "GPX",
                line,
                column,
                what,
            });
        }
        warnings.push(format!(
            "XML error at line {line}, column {column}: {what}; imported the {} points before it",
            st.samples.len()
        ));
    }
    if !st.saw_root {
        return Err(DecodeError::Xml {
            format: "GPX",
            line: 1,
            column: 1,
            what: "no <gpx> element".into(),
        });
    }
    let not = |reason: String| Err(DecodeError::NotAnActivity { reason });
    if let Some((lat, lon)) = &st.first_refused {
        let what = format!(
            "{} track point(s) with coordinates off the globe (the first: lat \"{lat}\", lon \
             \"{lon}\"; latitude must lie within ±90°, longitude within ±180°)",
            st.refused
        );
        if st.samples.is_empty() {
            return Err(DecodeError::NoValidPoints {
                format: "GPX",
                what: format!(
                    "all {what}; the file is damaged or was not written by a GPS receiver"
                ),
            });
        }
        warnings.push(format!("left out {what}"));
    }
    if st.samples.is_empty() {
        return match (st.waypoints, st.route_points) {
            (0, 0) => not("GPX without track points".into()),
            (w, 0) => not(format!("GPX with only waypoints ({w})")),
            (0, r) => not(format!(
                "GPX with only a route ({r} points), not a recorded activity"
            )),
            (w, r) => not(format!(
                "GPX with only waypoints ({w}) and routes ({r} points)"
            )),
        };
    }
    let Some(first) = st.times.iter().copied().find(|&t| t != NO_TIME) else {
        return not(format!(
            "GPX track of {} points without timestamps (a planned route, not a recorded activity)",
            st.samples.len()
        ));
    };
    let Some(start) = (Stamp {
        ms: first,
        offset_s: None,
    })
    .utc() else {
        return not("GPX track with timestamps out of range".into());
    };
    let mut samples = st.samples;
    let mut file_hr = st.file_hr;
    file_hr.sort_unstable();
    let points_have_hr = samples.iter().any(|s| s.hr.is_some());
    // Points without a time keep the time of the point before them.
    let mut last = first;
    for (s, &t) in samples.iter_mut().zip(&st.times) {
        if t != NO_TIME {
            last = t;
        }
        s.t = (last - first) as f64 / 1000.0;
        if !points_have_hr {
            s.hr = nearest_hr(&file_hr, last);
        }
    }
    let (sport, detail) = match st.trk_type.as_deref().and_then(strava_type) {
        Some(name) => (Sport::from_name(name), Some(name.to_string())),
        None => (
            sport_of(st.trk_type.as_deref(), st.trk_name.as_deref()),
            st.trk_type,
        ),
    };
    let mut a = Activity::new(sport, start);
    a.name = st.trk_name.or(st.meta_name);
    a.sport_detail = detail;
    a.utc_offset_s = st
        .first_offset
        .flatten()
        .or(st.meta_time.and_then(|m| m.offset_s));
    a.barometric = st
        .creator
        .as_deref()
        .is_some_and(|c| c.to_ascii_lowercase().contains("barometer"));
    a.device = st.creator;
    a.totals_source = TotalsSource::Computed;
    geo::normalise_cadence(&mut samples, sport);
    a.samples = samples;
    a.fill_missing_totals();
    Ok(Decoded {
        activities: vec![a],
        warnings,
        cut_short,
    })
}

/// The sport from the track's `type` (`running`, Strava's `9`), else from a word of its name
/// ("Morning Run"), else `Other`.
fn sport_of(kind: Option<&str>, name: Option<&str>) -> Sport {
    if let Some(k) = kind {
        let s = Sport::from_name(k);
        if s != Sport::Other {
            return s;
        }
    }
    name.into_iter()
        .flat_map(str::split_whitespace)
        // Numbers are sport codes only in `type` ("9"), not in a name ("Lap 1").
        .filter(|w| !w.bytes().all(|b| b.is_ascii_digit()))
        .map(Sport::from_name)
        .find(|s| *s != Sport::Other)
        .unwrap_or(Sport::Other)
}

/// The file-level heart-rate reading nearest `ms` (sorted by time), if one lies within
/// [`geo::MAX_GAP_S`] of it.
fn nearest_hr(readings: &[(i64, u8)], ms: i64) -> Option<u8> {
    let i = readings.partition_point(|r| r.0 < ms);
    let window = (geo::MAX_GAP_S * 1000.0) as i64;
    [i.checked_sub(1), Some(i)]
        .into_iter()
        .flatten()
        .filter_map(|k| readings.get(k))
        .map(|&(t, hr)| ((t - ms).abs(), hr))
        .filter(|(d, _)| *d <= window)
        .min_by_key(|(d, _)| *d)
        .map(|(_, hr)| hr)
}

/// Strava's activity types by the numbers its GPX exports write in `<trk><type>`. Strava does
/// not publish them; these are the numbers of its activity-type list as collected by users of
/// its exports (Stack Overflow question 61903437, "What do the Strava GPX <type> elements
/// mean?"), and the corpus's Strava files agree (9 on "Run avec Nico & Mag", 16 on
/// "Morning Swim").
const STRAVA_TYPES: &[(u16, &str)] = &[
    (1, "Ride"),
    (2, "AlpineSki"),
    (3, "BackcountrySki"),
    (4, "Hike"),
    (5, "IceSkate"),
    (6, "InlineSkate"),
    (7, "NordicSki"),
    (8, "RollerSki"),
    (9, "Run"),
    (10, "Walk"),
    (11, "Workout"),
    (12, "Snowboard"),
    (13, "Snowshoe"),
    (14, "Kitesurf"),
    (15, "Windsurf"),
    (16, "Swim"),
    (17, "VirtualRide"),
    (18, "EBikeRide"),
    (19, "Velomobile"),
    (21, "Canoeing"),
    (22, "Kayaking"),
    (23, "Rowing"),
    (24, "StandUpPaddling"),
    (25, "Surfing"),
    (26, "Crossfit"),
    (27, "Elliptical"),
    (28, "RockClimbing"),
    (29, "StairStepper"),
    (30, "WeightTraining"),
    (31, "Yoga"),
    (51, "Handcycle"),
    (52, "Wheelchair"),
    (53, "VirtualRun"),
];

/// Strava's name for a numeric `<type>` ("17" → "VirtualRide"); `None` for anything else.
pub fn strava_type(kind: &str) -> Option<&'static str> {
    let n: u16 = kind.trim().parse().ok()?;
    STRAVA_TYPES
        .iter()
        .find(|(code, _)| *code == n)
        .map(|(_, name)| *name)
}
