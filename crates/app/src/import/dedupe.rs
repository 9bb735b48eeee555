//! Recognising the same run recorded twice: the FIT from the watch and the GPX that Strava
//! exported of it. Two activities are the same run when their time spans overlap for most of
//! the shorter one and their distances agree; then the richer copy is kept.

use chrono::{DateTime, Utc};
use soleus_model::{Activity, Sport, TotalsSource};
use soleus_store::ActivityId;
use soleus_store::ActivityRow;

/// Share of the shorter activity's span that must overlap the other.
const MIN_OVERLAP: f64 = 0.5;
/// Largest relative distance difference between two copies of one run.
const MAX_DISTANCE_DIFF: f64 = 0.10;

/// The facts that decide duplicates and richness, common to a decoded activity and a stored row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Facts {
    /// Start.
    pub start: DateTime<Utc>,
    /// End (start + elapsed, or + moving time).
    pub end: DateTime<Utc>,
    /// Sport.
    pub sport: Sport,
    /// Distance in metres.
    pub distance_m: Option<f64>,
    /// Richness: channels known, then number of samples.
    pub richness: (u32, i64),
}

fn span_end(start: DateTime<Utc>, elapsed: Option<f64>, moving: Option<f64>) -> DateTime<Utc> {
    let secs = elapsed
        .or(moving)
        .unwrap_or(0.0)
        .clamp(0.0, 366.0 * 86_400.0);
    start + chrono::Duration::milliseconds((secs * 1000.0) as i64)
}

fn richness(hr: bool, cad: bool, ascent: bool, device: bool, samples: i64) -> (u32, i64) {
    (
        u32::from(hr) + u32::from(cad) + u32::from(ascent) + u32::from(device),
        samples,
    )
}

impl Facts {
    /// Facts of a freshly decoded activity.
    pub fn of_activity(a: &Activity) -> Facts {
        Facts {
            start: a.start,
            end: span_end(a.start, a.elapsed_s, a.moving_s),
            sport: a.sport,
            distance_m: a.distance_m,
            richness: richness(
                a.avg_hr.is_some(),
                a.avg_cadence.is_some(),
                a.ascent_m.is_some(),
                a.totals_source == TotalsSource::Device,
                a.samples.len() as i64,
            ),
        }
    }

    /// Facts of a stored activity.
    pub fn of_row(r: &ActivityRow) -> Facts {
        Facts {
            start: r.start,
            end: span_end(r.start, r.elapsed_s, r.moving_s),
            sport: r.sport,
            distance_m: r.distance_m,
            richness: richness(
                r.avg_hr.is_some(),
                r.avg_cadence.is_some(),
                r.ascent_m.is_some(),
                r.totals_source == "device",
                r.sample_count,
            ),
        }
    }
}

fn same_family(a: Sport, b: Sport) -> bool {
    a == b || (a.is_on_foot() && b.is_on_foot()) || a == Sport::Other || b == Sport::Other
}

/// Whether two activities are the same session recorded twice.
pub fn same_run(a: &Facts, b: &Facts) -> bool {
    if !same_family(a.sport, b.sport) {
        return false;
    }
    let overlap = (a.end.min(b.end) - a.start.max(b.start)).num_milliseconds() as f64 / 1000.0;
    let shorter = ((a.end - a.start)
        .num_milliseconds()
        .min((b.end - b.start).num_milliseconds()) as f64
        / 1000.0)
        .max(0.0);
    let time_match = if shorter <= 0.0 {
        // No duration known: the same start to the minute.
        (a.start - b.start).num_seconds().abs() <= 60
    } else {
        overlap / shorter >= MIN_OVERLAP
    };
    if !time_match {
        return false;
    }
    match (a.distance_m, b.distance_m) {
        (Some(x), Some(y)) if x.max(y) > 0.0 => (x - y).abs() / x.max(y) <= MAX_DISTANCE_DIFF,
        _ => true,
    }
}

/// What to do with a new activity given the stored ones it overlaps.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Nothing stored is the same run.
    New,
    /// A stored copy is at least as rich: the new one is a duplicate of it.
    DuplicateOf(ActivityId),
    /// The new copy is richer: it replaces these stored activities.
    Replaces(Vec<ActivityId>),
}

/// Decides a new activity's fate against overlapping stored rows.
pub fn verdict(new: &Activity, stored: &[ActivityRow]) -> Verdict {
    let nf = Facts::of_activity(new);
    let same: Vec<&ActivityRow> = stored
        .iter()
        .filter(|r| same_run(&nf, &Facts::of_row(r)))
        .collect();
    if same.is_empty() {
        return Verdict::New;
    }
    if let Some(richer) = same
        .iter()
        .find(|r| Facts::of_row(r).richness >= nf.richness)
    {
        return Verdict::DuplicateOf(richer.id);
    }
    Verdict::Replaces(same.iter().map(|r| r.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts(start_min: i64, dur_min: i64, km: f64) -> Facts {
        let s = Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap()
            + chrono::Duration::minutes(start_min);
        Facts {
            start: s,
            end: s + chrono::Duration::minutes(dur_min),
            sport: Sport::Run,
            distance_m: Some(km * 1000.0),
            richness: (0, 0),
        }
    }

    #[test]
    fn overlap_and_distance_decide() {
        // Watch FIT 07:00–07:50, 10.0 km; Strava GPX 07:01–07:50, 9.8 km: 49 of 49 min overlap,
        // distance differs by 2 % → same run.
        assert!(same_run(&facts(0, 50, 10.0), &facts(1, 49, 9.8)));
        // A second run that afternoon does not overlap.
        assert!(!same_run(&facts(0, 50, 10.0), &facts(480, 50, 10.0)));
        // Overlapping times but 10 km vs 5 km (the 10 % rule): a different activity, e.g. a
        // partner's shorter run recorded on the same account.
        assert!(!same_run(&facts(0, 50, 10.0), &facts(0, 50, 5.0)));
        // 20 min overlap of a 30 min activity = 67 % ≥ 50 % → same.
        assert!(same_run(&facts(0, 30, 5.0), &facts(10, 30, 5.2)));
        // 10 min overlap of 30 min = 33 % → different.
        assert!(!same_run(&facts(0, 30, 5.0), &facts(20, 30, 5.0)));
        let mut ride = facts(0, 50, 10.0);
        ride.sport = Sport::Ride;
        assert!(!same_run(&facts(0, 50, 10.0), &ride));
    }
}
