//! Builds activities from what the reader collected: one per session, with the records and laps
//! whose times fall in it, the device's totals first and recomputed totals for the rest.

use chrono::{DateTime, Utc};
use soleus_model::geo::normalise_cadence;
use soleus_model::{Activity, Lap, Sample, Sport};

use super::collect::{Collector, Summary};
use super::names;
use crate::{DecodeError, Decoded};

/// Seconds from the Unix epoch to the FIT epoch, 1989-12-31T00:00:00Z (FIT SDK, `date_time`).
pub(super) const FIT_EPOCH_UNIX: i64 = 631_065_600;

/// FIT times below this count seconds from the device's power-on, not from the FIT epoch (FIT
/// SDK, `date_time`: "if < 0x10000000, system time").
const SYSTEM_TIME_LIMIT: f64 = 268_435_456.0;

/// A FIT time as UTC, when representable.
pub(super) fn fit_time(t: f64) -> Option<DateTime<Utc>> {
    if !t.is_finite() {
        return None;
    }
    let ms = ((t + FIT_EPOCH_UNIX as f64) * 1000.0).round() as i64;
    DateTime::from_timestamp_millis(ms)
}

/// Turns the collected messages into the file's activities.
pub(super) fn build(mut c: Collector) -> Result<Decoded, DecodeError> {
    if !c.activity_file && !c.file_types.is_empty() {
        return Err(DecodeError::NotAnActivity {
            reason: names::file_type(c.file_types[0]),
        });
    }
    if c.sessions.is_empty() && c.laps.is_empty() && c.records.is_empty() {
        return Err(nothing_usable(&c));
    }
    // Records without a time of their own take the previous record's.
    let mut last = f64::NAN;
    for r in &mut c.records {
        if r.t.is_nan() {
            r.t = last;
        } else {
            last = r.t;
        }
    }
    let device = names::device(&c.creator, &c.creator_device);
    let first_t = c.records.iter().map(|r| r.t).find(|t| t.is_finite());
    // Records before the first timed one (pool-swim files write some) take its time.
    if let Some(t0) = first_t {
        for r in c.records.iter_mut().take_while(|r| r.t.is_nan()) {
            r.t = t0;
        }
    }
    let fallback_sport = c.sport.or_else(|| {
        c.laps
            .iter()
            .find(|l| l.sport.is_some())
            .map(|l| (l.sport, l.sub_sport))
    });

    let mut spans: Vec<Summary> = std::mem::take(&mut c.sessions);
    // Sessions the file really had (the section bounds count these).
    let session_count = spans.len();
    if spans.is_empty() {
        let begin = first_t
            .or_else(|| c.laps.iter().find_map(Summary::begin))
            .or(c.time_created);
        let (sport, sub) = fallback_sport.unwrap_or_default();
        spans.push(Summary {
            start: begin,
            sport,
            sub_sport: sub,
            ..Summary::default()
        });
        c.warn(format!(
            "the file has no session summary (it may have been cut short); totals were \
             computed from its {} records",
            c.records.len()
        ));
    }
    // Order sessions by when they began; a session that says nothing of its time begins where
    // the records do.
    let begins: Vec<f64> = spans
        .iter()
        .map(|s| s.begin().or(first_t).or(c.time_created).unwrap_or(f64::NAN))
        .collect();
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by(|a, b| begins[*a].total_cmp(&begins[*b]));
    let mut rank = vec![0; spans.len()];
    for (k, &i) in order.iter().enumerate() {
        rank[i] = k;
    }
    let starts: Vec<f64> = order.iter().map(|i| begins[*i]).collect();
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); spans.len()];
    let mut laps: Vec<Vec<Summary>> = vec![Vec::new(); spans.len()];
    // Each chained FIT section is a file of its own: its records and laps belong to its own
    // sessions (a section without sessions shares the whole file's).
    let mut bounds = std::mem::take(&mut c.sections);
    if bounds.first() != Some(&[0, 0, 0]) {
        bounds.insert(0, [0, 0, 0]);
    }
    bounds.push([session_count, c.laps.len(), c.records.len()]);
    if spans.len() == 1 {
        // One session (the common case): everything is its own, no sorting out needed.
        samples[0] = std::mem::take(&mut c.records);
        laps[0] = std::mem::take(&mut c.laps);
        bounds.clear();
    }
    let mut records = std::mem::take(&mut c.records).into_iter();
    let mut lap_msgs = std::mem::take(&mut c.laps).into_iter();
    for w in bounds.windows(2) {
        let (s0, s1) = (w[0][0], w[1][0]);
        let cands: Vec<usize> = if s1 > s0 {
            order
                .iter()
                .copied()
                .filter(|i| (s0..s1).contains(i))
                .collect()
        } else {
            order.clone()
        };
        let cstarts: Vec<f64> = cands.iter().map(|i| begins[*i]).collect();
        // The session a time belongs to: the last one begun at or before it, else the first.
        let owner = |t: f64| {
            let k = cstarts
                .partition_point(|s| s.total_cmp(&t).is_le())
                .saturating_sub(1);
            rank[cands[k.min(cands.len() - 1)]]
        };
        for r in records.by_ref().take(w[1][2].saturating_sub(w[0][2])) {
            samples[owner(r.t)].push(r);
        }
        for l in lap_msgs.by_ref().take(w[1][1].saturating_sub(w[0][1])) {
            let t = l.begin().or(l.timestamp).unwrap_or(f64::NAN);
            laps[owner(t)].push(l);
        }
    }

    let mut activities = Vec::with_capacity(spans.len());
    for (k, &i) in order.iter().enumerate() {
        let s = &spans[i];
        let begin = starts[k];
        let Some(start) = fit_time(begin) else {
            c.warn(format!(
                "session {} has no usable start time; skipped it",
                k + 1
            ));
            continue;
        };
        if begin < SYSTEM_TIME_LIMIT {
            c.warn(format!(
                "session {} starts at a device time that counts from power-on, not a date \
                 (the watch's clock was not set); its date ({}) is wrong",
                k + 1,
                start.format("%Y-%m-%d")
            ));
        }
        let (sport_n, sub_n) = match (s.sport, fallback_sport) {
            (None, Some(f)) => f,
            _ => (s.sport, s.sub_sport),
        };
        let (sport, detail) = names::sport(sport_n, sub_n);
        let mut a = Activity::new(sport, start);
        a.sport_detail = detail;
        a.utc_offset_s = c.utc_offset_s;
        a.device = device.clone();
        a.distance_m = s.distance_m;
        a.elapsed_s = s.elapsed_s;
        a.moving_s = s.timer_s;
        a.ascent_m = s.ascent_m;
        a.descent_m = s.descent_m;
        a.avg_hr = s.avg_hr.filter(|h| *h > 0);
        a.max_hr = s.max_hr.filter(|h| *h > 0);
        a.avg_cadence = steps(s.avg_cadence, sport);
        // A session that leaves a total out (some Connect IQ swim apps) takes the sum of its
        // laps before the records are asked: the laps are what the watch counted, while such
        // apps write 0 m in every record.
        let sum = |f: fn(&Summary) -> Option<f64>| {
            let v: Vec<f64> = laps[k].iter().filter_map(f).collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>())
        };
        a.distance_m = a.distance_m.or_else(|| sum(|l| l.distance_m));
        a.elapsed_s = a.elapsed_s.or_else(|| sum(|l| l.elapsed_s));
        a.moving_s = a.moving_s.or_else(|| sum(|l| l.timer_s));
        a.laps = laps[k].iter().map(|l| lap(l, sport)).collect();
        let mut ss = std::mem::take(&mut samples[k]);
        for x in &mut ss {
            // A file with no record times at all puts its records at the session's start.
            x.t = if x.t.is_nan() { 0.0 } else { x.t - begin };
        }
        normalise_cadence(&mut ss, sport);
        a.samples = ss;
        a.fill_missing_totals();
        activities.push(a);
    }
    if activities.is_empty() {
        return Err(nothing_usable(&c));
    }
    merge_copies(&mut activities, &mut c);
    c.finish();
    Ok(Decoded {
        activities,
        cut_short: c.problem.is_some(),
        warnings: c.warnings,
    })
}

/// Keeps one of sessions that are copies of one recording: a watch that saved an activity
/// twice, or a tool that chained a file to a copy of itself, gives sessions of the same sport
/// starting in the same second, which no one can have recorded apart. The copy with more
/// samples stays. Without this, each copy was stored as an activity of its own, and both
/// tried to replace a poorer copy stored before.
fn merge_copies(activities: &mut Vec<Activity>, c: &mut Collector) {
    let mut i = 0;
    while i < activities.len() {
        let same = |a: &Activity, b: &Activity| {
            a.sport == b.sport && a.start.timestamp() == b.start.timestamp()
        };
        if let Some(j) = (i + 1..activities.len()).find(|&j| same(&activities[i], &activities[j])) {
            let drop = if activities[j].samples.len() > activities[i].samples.len() {
                i
            } else {
                j
            };
            let gone = activities.remove(drop);
            c.warn(format!(
                "the file holds the {} session of {} more than once (copies of one recording \
                 chained together); kept the copy with the most records",
                gone.sport.label().to_lowercase(),
                gone.start.format("%Y-%m-%d %H:%M:%S UTC")
            ));
        } else {
            i += 1;
        }
    }
}

/// Device cadence averages for on-foot sports are strides per minute (one foot); Soleus keeps
/// steps, so values below 120 are doubled (the rule of [`normalise_cadence`]).
fn steps(c: Option<f64>, sport: Sport) -> Option<f64> {
    let c = c.filter(|c| *c > 0.0)?;
    Some(if sport.is_on_foot() && c < 120.0 {
        c * 2.0
    } else {
        c
    })
}

fn lap(l: &Summary, sport: Sport) -> Lap {
    Lap {
        start: l.begin().and_then(fit_time),
        elapsed_s: l.elapsed_s,
        moving_s: l.timer_s,
        distance_m: l.distance_m,
        ascent_m: l.ascent_m,
        descent_m: l.descent_m,
        avg_hr: l.avg_hr.filter(|h| *h > 0),
        max_hr: l.max_hr.filter(|h| *h > 0),
        avg_cadence: steps(l.avg_cadence, sport),
    }
}

/// The error for a file with no session, lap or record Soleus could use.
fn nothing_usable(c: &Collector) -> DecodeError {
    if let Some((offset, why)) = &c.problem {
        return DecodeError::Fit {
            offset: *offset as u64,
            what: format!(
                "{why}, before any session, lap or record; the file is damaged (re-export it \
                 from the device or its app)"
            ),
        };
    }
    if c.activity_file {
        return DecodeError::NotAnActivity {
            reason: "a FIT activity file with no sessions, laps or records".into(),
        };
    }
    DecodeError::Fit {
        offset: c.end as u64,
        what: "no file_id, session, lap or record message: nothing to import (is this a FIT \
               activity file?)"
            .into(),
    }
}
