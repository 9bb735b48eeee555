//! A file's totals checked against each other and against its own samples.
//!
//! Devices and the tools that edit their files get totals wrong in a few recurring ways: a
//! session whose elapsed and moving times are swapped, a session summary written part-way
//! while the records run on, lap totals left from before a file was cropped, moving time
//! longer than the wall clock. Each total is checked:
//!
//! * moving time is at most elapsed time (beyond the slack below);
//! * elapsed time agrees with the span of the records, and moving time fits in it;
//! * distance agrees with how far the records' own distance channel advanced.
//!
//! Two figures agree when they differ by at most [`TOTALS_TOLERANCE`] of the larger, or by at
//! most [`TIME_SLACK_S`] seconds or [`DISTANCE_SLACK_M`] metres (a last record written a few
//! seconds before the session closed, a pool's last length). When they do not, the samples
//! win — they are what the file actually recorded — and time and distance are then taken from
//! them together, so an activity never mixes a session's time with the records' distance.
//! Records that carry no distance (see [`crate::geo`]) never overrule a device's distance, and
//! samples overrule nothing when there are fewer than [`MIN_SAMPLES`], when they span nothing
//! or more than a week, or when the file broke off before its end (its records stop where the
//! damage is, while the session written before it knew the whole activity). Every change is
//! said in a warning that names both figures and which was kept.

use crate::activity::{Activity, TotalsSource};
use crate::geo::{self, Summary};

/// Largest share of the larger figure by which two figures of one total may differ.
pub const TOTALS_TOLERANCE: f64 = 0.10;
/// Two times within this many seconds agree, whatever their share.
pub const TIME_SLACK_S: f64 = 60.0;
/// Two distances within this many metres agree, whatever their share.
pub const DISTANCE_SLACK_M: f64 = 100.0;
/// Fewest samples that may overrule the device's totals.
pub const MIN_SAMPLES: usize = 10;

/// The longest span samples may have and still count as one recording, seconds.
const MAX_SPAN_S: f64 = 7.0 * 86_400.0;

fn agree(a: f64, b: f64, slack: f64) -> bool {
    (a - b).abs() <= slack.max(TOTALS_TOLERANCE * a.abs().max(b.abs()))
}

/// `h:mm:ss`, or `m:ss` under an hour.
fn clock(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn km(m: f64) -> String {
    format!("{:.2} km", m / 1000.0)
}

/// What the samples say, when they are fit to overrule the device.
struct Evidence {
    n: usize,
    span: f64,
    moving: f64,
    distance: Option<f64>,
}

fn evidence(a: &Activity, s: &Summary, complete: bool) -> Option<Evidence> {
    if !complete || a.samples.len() < MIN_SAMPLES {
        return None;
    }
    let span = s.elapsed_s.filter(|t| *t > 0.0 && *t <= MAX_SPAN_S)?;
    Some(Evidence {
        n: a.samples.len(),
        span,
        moving: s.moving_s.unwrap_or(span).min(span),
        distance: s.distance_m,
    })
}

/// Checks the totals as the module docs say and changes those the samples contradict.
/// `raw` summarises the samples as the decoder read them (a total equal to its figure came
/// from the samples, not the device), `clean` the samples after implausible values were left
/// out; `complete` is false for a file that broke off before its end. Returns a warning for
/// each change.
pub(crate) fn reconcile(
    a: &mut Activity,
    raw: &Summary,
    clean: &Summary,
    complete: bool,
) -> Vec<String> {
    let mut warnings = Vec::new();
    let device = |x: Option<f64>, r: Option<f64>| x.filter(|v| Some(*v) != r);
    let dev_elapsed = device(a.elapsed_s, raw.elapsed_s);
    let dev_moving = device(a.moving_s, raw.moving_s);
    let dev_distance = device(a.distance_m, raw.distance_m);
    if let Some(ev) = evidence(a, clean, complete) {
        // Swapped: the "moving" time is the records' span and the "elapsed" time fits in it.
        if let (Some(e), Some(m)) = (dev_elapsed, dev_moving)
            && !agree(m, e, TIME_SLACK_S)
            && m > e
            && agree(m, ev.span, TIME_SLACK_S)
        {
            a.elapsed_s = Some(m);
            a.moving_s = Some(e);
            warnings.push(format!(
                "the file says {} elapsed but {} moving, and its {} records span {}: the two \
                 times were swapped; swapped them back",
                clock(e),
                clock(m),
                ev.n,
                clock(ev.span)
            ));
            return warnings;
        }
        let elapsed_off = dev_elapsed.is_some_and(|e| !agree(e, ev.span, TIME_SLACK_S));
        let moving_off =
            dev_moving.is_some_and(|m| m > ev.span && !agree(m, ev.span, TIME_SLACK_S));
        if elapsed_off || moving_off {
            let said_time = if elapsed_off { dev_elapsed } else { dev_moving };
            let said = match a.distance_m {
                Some(d) => format!("{} in {}", km(d), clock(said_time.unwrap_or_default())),
                None => clock(said_time.unwrap_or_default()),
            };
            let kept = match ev.distance {
                Some(d) => {
                    a.distance_m = Some(d);
                    a.totals_source = TotalsSource::Computed;
                    format!(
                        "they cover {} over {}; took time and distance from the records",
                        km(d),
                        clock(ev.span)
                    )
                }
                None => format!(
                    "they span {}; took the time from the records, and the distance from the \
                     file's totals because the records carry none",
                    clock(ev.span)
                ),
            };
            a.elapsed_s = Some(ev.span);
            a.moving_s = Some(ev.moving);
            warnings.push(format!(
                "the file's totals ({said}) disagree with its {} records by more than {:.0} %: \
                 {kept}",
                ev.n,
                TOTALS_TOLERANCE * 100.0
            ));
            return warnings;
        }
        if let (Some(d), Some(rd)) = (dev_distance, geo::recorded_distance_m(&a.samples))
            && !agree(d, rd, DISTANCE_SLACK_M)
        {
            a.distance_m = Some(rd);
            a.totals_source = TotalsSource::Computed;
            warnings.push(format!(
                "the file's total distance ({}) disagrees with the distance its {} records \
                 advanced ({}) by more than {:.0} %; kept the records'",
                km(d),
                ev.n,
                km(rd),
                TOTALS_TOLERANCE * 100.0
            ));
        }
    }
    if let (Some(e), Some(m)) = (a.elapsed_s, a.moving_s)
        && m > e
    {
        if dev_moving.is_none() {
            // A moving time computed from samples cannot outlast them.
            a.moving_s = Some(e);
        } else if m - e <= TIME_SLACK_S {
            // Rounding, or a last record written before the timer stopped: the figures agree,
            // and stay as the device wrote them.
        } else if dev_elapsed.is_none() {
            // The elapsed time is the samples' span, and they are too few to overrule the
            // device's timer, or agree with it within the tolerance: the timer ran at least
            // that long.
            a.elapsed_s = Some(m);
            warnings.push(format!(
                "the file's moving time ({}) is longer than its samples span ({}); took the \
                 elapsed time from the moving time",
                clock(m),
                clock(e)
            ));
        } else {
            a.elapsed_s = Some(m);
            a.moving_s = Some(e);
            warnings.push(format!(
                "the file says {} elapsed but {} moving, and moving time cannot be longer; \
                 swapped them",
                clock(e),
                clock(m)
            ));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::{Sample, Sport};
    use chrono::TimeZone;

    /// A run north at 3 m/s, one sample a second for `secs` seconds, with its distance
    /// channel, decoded as a decoder would leave it (missing totals filled from samples).
    fn run(secs: u32) -> Activity {
        let mut a = Activity::new(
            Sport::Run,
            chrono::Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap(),
        );
        a.samples = (0..=secs)
            .map(|i| Sample {
                t: f64::from(i),
                dist: Some(3.0 * f64::from(i)),
                speed: Some(3.0),
                ..Sample::default()
            })
            .collect();
        a
    }

    fn check(a: &mut Activity, complete: bool) -> Vec<String> {
        a.fill_missing_totals();
        let s = geo::summarise(&a.samples, a.sport, false);
        reconcile(a, &s, &s, complete)
    }

    #[test]
    fn swapped_times_are_swapped_back() {
        // 3 600 s of records; the session says elapsed 2 400 s, moving 3 605 s.
        let mut a = run(3600);
        a.elapsed_s = Some(2400.0);
        a.moving_s = Some(3605.0);
        let w = check(&mut a, true);
        assert_eq!((a.elapsed_s, a.moving_s), (Some(3605.0), Some(2400.0)));
        assert!(w[0].contains("swapped"), "{w:?}");
    }

    #[test]
    fn a_session_that_stops_early_gives_way_to_the_records_for_time_and_distance() {
        // The session stops at 1 800 s and gives no distance; the records run 3 600 s and
        // 10.8 km (3 m/s). Before, the activity had the records' 10.8 km in the session's
        // 1 800 s.
        let mut a = run(3600);
        a.elapsed_s = Some(1800.0);
        a.moving_s = Some(1800.0);
        let w = check(&mut a, true);
        assert_eq!(a.distance_m, Some(10_800.0));
        assert_eq!((a.elapsed_s, a.moving_s), (Some(3600.0), Some(3600.0)));
        assert!(
            w[0].contains("took time and distance from the records"),
            "{w:?}"
        );
        // A file that broke off keeps the session's figures: its records stop at the damage.
        let mut b = run(3600);
        b.elapsed_s = Some(5000.0);
        b.moving_s = Some(5000.0);
        b.distance_m = Some(15_000.0);
        assert!(check(&mut b, false).is_empty());
        assert_eq!(b.elapsed_s, Some(5000.0));
    }

    #[test]
    fn a_total_distance_the_records_do_not_support_gives_way_to_them() {
        // Times agree (3 600 s both), but the session says 15 km where the records' distance
        // channel advanced 10.8 km: 28 % apart, beyond the 10 % tolerance.
        let mut a = run(3600);
        a.elapsed_s = Some(3601.0);
        a.moving_s = Some(3601.0);
        a.distance_m = Some(15_000.0);
        let w = check(&mut a, true);
        assert_eq!(a.distance_m, Some(10_800.0));
        assert_eq!(a.totals_source, TotalsSource::Computed);
        assert!(
            w[0].contains("15.00 km") && w[0].contains("10.80 km"),
            "{w:?}"
        );
    }

    #[test]
    fn figures_within_the_tolerance_are_left_alone() {
        // Session 3 630 s and 10.85 km against records of 3 600 s and 10.8 km: 30 s and 50 m
        // apart, inside the slack.
        let mut a = run(3600);
        a.elapsed_s = Some(3630.0);
        a.moving_s = Some(3602.0);
        a.distance_m = Some(10_850.0);
        assert!(check(&mut a, true).is_empty());
        assert_eq!(a.distance_m, Some(10_850.0));
        // 2 s more moving than elapsed is rounding: left as the device wrote it.
        a.elapsed_s = Some(3600.0);
        assert!(check(&mut a, true).is_empty());
        assert_eq!(a.moving_s, Some(3602.0));
    }
}
