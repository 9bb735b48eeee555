//! The readers compared, each as "bytes in, number of track points out (None: it failed)".
//!
//! Soleus's `decode` builds whole activities and their summaries (distance, moving time, ascent,
//! heart rate, laps). The peers only parse into their own data structures and then count the
//! track points, which flatters them: the ratios are a lower bound on the real difference.

use std::io::BufReader;

use soleus_formats::{DecodeError, Limits};

/// A reader under test.
pub type Reader = fn(&[u8]) -> Option<usize>;

/// Limits for the benchmark: the defaults, except that a long chained FIT stream may hold
/// thousands of sessions.
pub fn limits() -> Limits {
    Limits {
        max_activities: 1_000_000,
        ..Limits::default()
    }
}

/// Soleus: format sniffing, decode, summaries. A valid file that holds no activity (settings,
/// a route) is a correct answer, not a failure, so it counts as read with no points.
pub fn soleus(b: &[u8]) -> Option<usize> {
    match soleus_formats::decode(b, &limits()) {
        Ok(d) => Some(d.activities.iter().map(|a| a.samples.len()).sum()),
        Err(DecodeError::NotAnActivity { .. }) => Some(0),
        Err(_) => None,
    }
}

/// The `fitparser` crate: every message as named fields; records counted.
pub fn fitparser(b: &[u8]) -> Option<usize> {
    let recs = fitparser::from_bytes(b).ok()?;
    Some(
        recs.iter()
            .filter(|r| r.kind() == fitparser::profile::MesgNum::Record)
            .count(),
    )
}

/// The `rustyfit` crate: every message decoded, one FIT sequence of a chain at a time; records
/// counted. An error anywhere counts as a failure, as it does for the others.
pub fn rustyfit(b: &[u8]) -> Option<usize> {
    use rustyfit::profile::typedef::MesgNum;
    let mut dec = rustyfit::Decoder::new();
    let mut rest: &[u8] = b;
    let mut n = 0;
    loop {
        match dec.decode(&mut rest) {
            Ok(Some(fit)) => {
                n += fit
                    .messages
                    .iter()
                    .filter(|m| m.num == MesgNum::RECORD)
                    .count();
            }
            Ok(None) => return Some(n),
            Err(_) => return None,
        }
    }
}

/// The `gpx` crate: the whole document; track points counted.
pub fn gpx(b: &[u8]) -> Option<usize> {
    let g = gpx::read(b).ok()?;
    Some(
        g.tracks
            .iter()
            .flat_map(|t| &t.segments)
            .map(|s| s.points.len())
            .sum(),
    )
}

/// The `tcx` crate: the whole document; trackpoints counted.
pub fn tcx(b: &[u8]) -> Option<usize> {
    let db = tcx::read(&mut BufReader::new(b)).ok()?;
    Some(db.activities.map_or(0, |acts| {
        acts.activities
            .iter()
            .flat_map(|a| &a.laps)
            .flat_map(|l| &l.tracks)
            .map(|t| t.trackpoints.len())
            .sum()
    }))
}
