//! Garmin Training Center XML: one activity per `Activities/Activity` (a multisport file has
//! several), with the device's lap totals and the track points.
//!
//! Distance and timer time are the sums of the laps' `DistanceMeters` and `TotalTimeSeconds`,
//! which is what the watch showed. TCX has no climb, so ascent and descent are recomputed from
//! the altitudes. `Courses` are planned routes and are not activities.

use quick_xml::events::BytesStart;
use soleus_model::{Activity, Lap, Sample, Sport, geo};

use crate::xml::{self, Stamp, Stop};
use crate::{DecodeError, Decoded, Limits};

/// The elements the decoder cares about; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Root,
    Activity,
    Course,
    Id,
    Lap,
    TotalTime,
    Distance,
    AvgHr,
    MaxHr,
    HrNow,
    Value,
    Cadence,
    AvgRunCadence,
    Point,
    Time,
    Lat,
    Lon,
    Alt,
    Speed,
    RunCadence,
    Watts,
    Creator,
    Name,
    Other,
}

fn tag_of(local: &[u8]) -> Tag {
    match local {
        b"TrainingCenterDatabase" => Tag::Root,
        b"Activity" => Tag::Activity,
        b"Course" => Tag::Course,
        b"Id" => Tag::Id,
        b"Lap" => Tag::Lap,
        b"TotalTimeSeconds" => Tag::TotalTime,
        b"DistanceMeters" => Tag::Distance,
        b"AverageHeartRateBpm" => Tag::AvgHr,
        b"MaximumHeartRateBpm" => Tag::MaxHr,
        b"HeartRateBpm" => Tag::HrNow,
        b"Value" => Tag::Value,
        b"Cadence" => Tag::Cadence,
        b"AvgRunCadence" => Tag::AvgRunCadence,
        b"Trackpoint" => Tag::Point,
        b"Time" => Tag::Time,
        b"LatitudeDegrees" => Tag::Lat,
        b"LongitudeDegrees" => Tag::Lon,
        b"AltitudeMeters" => Tag::Alt,
        b"Speed" => Tag::Speed,
        b"RunCadence" => Tag::RunCadence,
        b"Watts" => Tag::Watts,
        b"Creator" => Tag::Creator,
        b"Name" => Tag::Name,
        _ => Tag::Other,
    }
}

/// Marks a trackpoint without a usable `<Time>`.
const NO_TIME: i64 = i64::MIN;

/// One `Activity` element being read.
#[derive(Default)]
struct Act {
    sport: Option<String>,
    id: Option<Stamp>,
    device: Option<String>,
    laps: Vec<Lap>,
    lap: Option<Lap>,
    /// The trackpoint being read: its sample, time, and whether it held anything but a time.
    point: Option<(Sample, i64, bool)>,
    samples: Vec<Sample>,
    times: Vec<i64>,
    first_time: Option<Stamp>,
}

#[derive(Default)]
struct State {
    stack: Vec<Tag>,
    act: Option<Act>,
    done: Vec<Act>,
    courses: usize,
    capture: Option<u64>,
    saw_root: bool,
}

impl State {
    fn parent(&self) -> Option<Tag> {
        self.stack.len().checked_sub(2).map(|i| self.stack[i])
    }

    fn open(&mut self, e: &BytesStart<'_>, text_start: u64, limits: &Limits) -> Result<(), Stop> {
        let tag = tag_of(e.local_name().as_ref());
        if self.stack.is_empty() {
            if tag != Tag::Root {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                return Err(Stop::Bad(format!(
                    "the root element is <{name}>, not <TrainingCenterDatabase>"
                )));
            }
            self.saw_root = true;
        }
        self.stack.push(tag);
        match (tag, self.act.as_mut()) {
            (Tag::Activity, None) => {
                if self.done.len() >= limits.max_activities {
                    return Err(Stop::Limit(limits.max_activities, "activities"));
                }
                let sport = xml::attr(e, b"Sport").map(|v| xml::raw_text(&v, 0, v.len() as u64));
                self.act = Some(Act {
                    sport,
                    ..Act::default()
                });
            }
            (Tag::Course, _) => self.courses += 1,
            (Tag::Lap, Some(a)) if a.lap.is_none() => {
                let start = xml::attr(e, b"StartTime").and_then(|v| xml::parse_time(&v));
                a.lap = Some(Lap {
                    start: start.and_then(Stamp::utc),
                    ..Lap::default()
                });
            }
            (Tag::Point, Some(a)) if a.point.is_none() => {
                a.point = Some((Sample::default(), NO_TIME, false));
            }
            (Tag::Name, Some(_)) => self.capture = Some(text_start),
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, t: &[u8]) {
        let (Some(&tag), parent) = (self.stack.last(), self.parent()) else {
            return;
        };
        let Some(a) = self.act.as_mut() else {
            return;
        };
        if let Some((s, time, data)) = a.point.as_mut() {
            let before = *s;
            match (tag, parent) {
                (Tag::Time, Some(Tag::Point)) => {
                    if let Some(st) = xml::parse_time(t) {
                        *time = st.ms;
                        a.first_time.get_or_insert(st);
                    }
                }
                (Tag::Lat, _) => s.lat = xml::parse_f64(t).filter(|v| v.abs() <= 90.0),
                (Tag::Lon, _) => s.lon = xml::parse_f64(t).filter(|v| v.abs() <= 180.0),
                (Tag::Alt, _) => s.alt = xml::parse_f64(t),
                (Tag::Distance, Some(Tag::Point)) => s.dist = xml::parse_non_negative(t),
                (Tag::Value, Some(Tag::HrNow)) => s.hr = xml::parse_hr(t),
                (Tag::Cadence | Tag::RunCadence, _) => s.cadence = xml::parse_non_negative(t),
                (Tag::Speed, _) => s.speed = xml::parse_non_negative(t),
                (Tag::Watts, _) => s.power = xml::parse_power(t),
                _ => {}
            }
            *data |= *s != before;
        } else if let Some(l) = a.lap.as_mut() {
            match (tag, parent) {
                (Tag::TotalTime, Some(Tag::Lap)) => l.moving_s = xml::parse_non_negative(t),
                (Tag::Distance, Some(Tag::Lap)) => l.distance_m = xml::parse_non_negative(t),
                (Tag::Value, Some(Tag::AvgHr)) => l.avg_hr = xml::parse_hr(t),
                (Tag::Value, Some(Tag::MaxHr)) => l.max_hr = xml::parse_hr(t),
                (Tag::Cadence, Some(Tag::Lap)) | (Tag::AvgRunCadence, _) => {
                    l.avg_cadence = xml::parse_non_negative(t).or(l.avg_cadence);
                }
                _ => {}
            }
        } else if (tag, parent) == (Tag::Id, Some(Tag::Activity)) {
            a.id = xml::parse_time(t);
        }
    }

    fn close(&mut self, bytes: &[u8], text_end: u64, limits: &Limits) -> Result<(), Stop> {
        let tag = self.stack.pop();
        let parent = self.stack.last().copied();
        match tag {
            Some(Tag::Activity) if !self.stack.contains(&Tag::Activity) => {
                if let Some(a) = self.act.take() {
                    self.done.push(a);
                }
            }
            Some(Tag::Lap) if !self.stack.contains(&Tag::Lap) => {
                if let Some(a) = self.act.as_mut()
                    && let Some(l) = a.lap.take()
                {
                    if a.laps.len() >= limits.max_laps {
                        return Err(Stop::Limit(limits.max_laps, "laps"));
                    }
                    a.laps.push(l);
                }
            }
            Some(Tag::Point) if !self.stack.contains(&Tag::Point) => {
                if let Some(a) = self.act.as_mut()
                    && let Some((s, time, data)) = a.point.take()
                    // A point with only a time marks a pause and carries no data.
                    && data
                {
                    if a.samples.len() >= limits.max_samples {
                        return Err(Stop::Limit(limits.max_samples, "track points"));
                    }
                    a.samples.push(s);
                    a.times.push(time);
                }
            }
            Some(Tag::Name) => {
                if let (Some(start), Some(a), Some(Tag::Creator)) =
                    (self.capture.take(), self.act.as_mut(), parent)
                {
                    let name = xml::raw_text(bytes, start, text_end);
                    if a.device.is_none() && !name.is_empty() {
                        a.device = Some(name);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn points(&self) -> usize {
        self.done
            .iter()
            .chain(&self.act)
            .map(|a| a.samples.len())
            .sum()
    }
}

impl xml::Handler for State {
    fn open(&mut self, e: &BytesStart<'_>, text_start: u64, limits: &Limits) -> Result<(), Stop> {
        State::open(self, e, text_start, limits)
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

/// Decodes a TCX file: one activity per `Activity` element.
///
/// Errors: [`DecodeError::NotAnActivity`] for files with only courses; [`DecodeError::Xml`]
/// for XML broken before any activity data; [`DecodeError::TooLarge`] past [`Limits`]. XML
/// broken or cut off later keeps what was read and adds a warning naming the line.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    let bytes = xml::start(bytes, limits)?;
    let mut st = State::default();
    let problem = xml::drive(bytes, &mut st, limits)?;
    finish(bytes, st, problem)
}

fn finish(
    bytes: &[u8],
    mut st: State,
    problem: Option<(u64, String)>,
) -> Result<Decoded, DecodeError> {
    let mut warnings = Vec::new();
    let cut_short = problem.is_some();
    if let Some((offset, what)) = problem {
        let (line, column) = xml::line_col(bytes, offset);
        let read_something = st
            .done
            .iter()
            .chain(&st.act)
            // An activity's Id alone (a start time) is no activity: something must have
            // been recorded.
            .any(|a| !a.laps.is_empty() || a.lap.is_some());
        if !read_something && st.points() == 0 {
            return Err(DecodeError::Xml {
                format: "TCX",
                line,
                column,
                what,
            });
        }
        warnings.push(format!(
            "XML error at line {line}, column {column}: {what}; imported the {} trackpoints before it",
            st.points()
        ));
        // Keep the activity and lap that were open when the file broke off.
        if let Some(mut a) = st.act.take() {
            if let Some(l) = a.lap.take() {
                a.laps.push(l);
            }
            st.done.push(a);
        }
    }
    if !st.saw_root {
        return Err(DecodeError::Xml {
            format: "TCX",
            line: 1,
            column: 1,
            what: "no <TrainingCenterDatabase> element".into(),
        });
    }
    if st.done.is_empty() {
        let reason = if st.courses > 0 {
            format!(
                "TCX with only courses ({}), planned routes rather than recorded activities",
                st.courses
            )
        } else {
            "TCX without activities".to_string()
        };
        return Err(DecodeError::NotAnActivity { reason });
    }
    let mut activities = Vec::new();
    for (i, a) in st.done.into_iter().enumerate() {
        match activity(a) {
            Some(act) => activities.push(act),
            None => warnings.push(format!("activity {} has no start time; skipped", i + 1)),
        }
    }
    if activities.is_empty() {
        return Err(DecodeError::NotAnActivity {
            reason: "TCX activities without any time".into(),
        });
    }
    Ok(Decoded {
        activities,
        warnings,
        cut_short,
    })
}

/// Builds one activity; `None` when nothing in it says when it happened.
fn activity(a: Act) -> Option<Activity> {
    let lap_start = a.laps.iter().find_map(|l| l.start);
    let stamp = a.id.or(a.first_time);
    let start = stamp.and_then(Stamp::utc).or(lap_start)?;
    let sport_word = a.sport.filter(|s| !s.is_empty());
    let sport = sport_word.as_deref().map_or(Sport::Other, Sport::from_name);
    let mut out = Activity::new(sport, start);
    out.sport_detail = sport_word;
    out.utc_offset_s =
        a.id.and_then(|s| s.offset_s)
            .or(a.first_time.and_then(|s| s.offset_s));
    out.device = a.device;
    let start_ms = start.timestamp_millis();
    let mut samples = a.samples;
    let mut last = a
        .times
        .iter()
        .copied()
        .find(|&t| t != NO_TIME)
        .unwrap_or(start_ms);
    for (s, &t) in samples.iter_mut().zip(&a.times) {
        if t != NO_TIME {
            last = t;
        }
        s.t = (last - start_ms) as f64 / 1000.0;
    }
    let mut laps = a.laps;
    let doubled = geo::normalise_cadence(&mut samples, sport);
    let sample_cadence = samples.iter().any(|s| s.cadence.is_some());
    for l in &mut laps {
        if let Some(c) = l.avg_cadence.as_mut() {
            // Lap cadence is in the same unit as the points: strides per minute on foot for
            // Garmin. Without point cadence, the same median rule decides per lap.
            if doubled || (!sample_cadence && sport.is_on_foot() && *c > 0.0 && *c < 120.0) {
                *c *= 2.0;
            }
        }
    }
    let sum = |f: fn(&Lap) -> Option<f64>| {
        let v: Vec<f64> = laps.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>())
    };
    out.distance_m = sum(|l| l.distance_m);
    out.moving_s = sum(|l| l.moving_s);
    let (mut hr_sum, mut hr_t) = (0.0, 0.0);
    for l in &laps {
        if let (Some(h), Some(t)) = (l.avg_hr, l.moving_s) {
            hr_sum += f64::from(h) * t;
            hr_t += t;
        }
    }
    if hr_t > 0.0 {
        out.avg_hr = Some((hr_sum / hr_t).round() as u8);
    }
    out.max_hr = laps.iter().filter_map(|l| l.max_hr).max();
    out.samples = samples;
    out.fill_missing_totals();
    if out.avg_cadence.is_none() {
        let v: Vec<f64> = laps
            .iter()
            .filter_map(|l| l.avg_cadence)
            .filter(|c| *c > 0.0)
            .collect();
        out.avg_cadence = (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    }
    out.laps = laps;
    Some(out)
}
