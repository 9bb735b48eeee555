//! Tests of the history generator: deterministic, plausible, self-consistent, and with the
//! overload it promises.

use super::*;
use soleus_model::{Sport, geo};
use std::sync::OnceLock;

fn sample_history() -> &'static (Vec<Planned>, Vec<Activity>) {
    static H: OnceLock<(Vec<Planned>, Vec<Activity>)> = OnceLock::new();
    H.get_or_init(|| {
        let r = Runner::sample();
        (plan(&r), history(&r))
    })
}

#[test]
fn splitmix64_matches_the_reference_sequence() {
    // First outputs of SplitMix64 seeded with 0, from the reference C code (Vigna's
    // splitmix64.c): 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4.
    let mut r = Rng::new(0);
    assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
    assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    let mean = (0..10_000).map(|_| r.f64()).sum::<f64>() / 10_000.0;
    assert!((mean - 0.5).abs() < 0.01, "{mean}");
}

#[test]
fn the_same_seed_gives_the_same_history() {
    let mut r = Runner::sample();
    r.weeks = 2;
    assert_eq!(history(&r), history(&r));
    let mut other = r.clone();
    other.seed += 1;
    assert_ne!(history(&r), history(&other));
}

#[test]
fn weeks_run_monday_to_sunday_and_end_on_the_last_day() {
    let r = Runner::sample();
    assert_eq!(r.monday(11).to_string(), "2026-11-09");
    assert_eq!(r.monday(0).to_string(), "2026-08-24");
    let (p, _) = sample_history();
    assert_eq!(p.last().unwrap().date, r.last_day);
    for w in 0..r.weeks {
        let runs = p
            .iter()
            .filter(|x| x.week == w && !matches!(x.kind, Kind::Walk | Kind::Ride));
        let n = runs.count();
        // 3–5 runs, except the overload week, which adds a sixth.
        let most = if Some(w) == r.overload_week() { 6 } else { 5 };
        assert!((3..=most).contains(&n), "week {w}: {n} runs");
    }
}

#[test]
fn the_overload_week_jumps_by_more_than_30_percent() {
    let r = Runner::sample();
    let (p, h) = sample_history();
    let km = |w: u32| -> f64 {
        p.iter()
            .zip(h)
            .filter(|(x, a)| x.week == w && a.sport.is_running())
            .map(|(_, a)| a.distance_m.unwrap() / 1000.0)
            .sum()
    };
    let spike = r.overload_week().unwrap();
    assert_eq!(spike, 9);
    let (before, during) = (km(spike - 1), km(spike));
    assert!(during > 1.3 * before, "{before:.1} → {during:.1} km");
    // And the sudden long run: at least 25 % longer than any long run before it.
    let longest_before = h
        .iter()
        .zip(p)
        .filter(|(_, x)| x.week < spike && x.kind == Kind::Long)
        .map(|(a, _)| a.distance_m.unwrap())
        .fold(0.0, f64::max);
    let spike_long = h
        .iter()
        .zip(p)
        .find(|(_, x)| x.week == spike && x.kind == Kind::Long)
        .map(|(a, _)| a.distance_m.unwrap())
        .unwrap();
    assert!(
        spike_long > 1.25 * longest_before,
        "{longest_before} → {spike_long}"
    );
}

#[test]
fn local_time_follows_central_european_summer_time() {
    // EU summer time 2026 ends on Sunday 25 October (last Sunday of October).
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    assert_eq!(cet_offset_s(d(10, 24)), 7200);
    assert_eq!(cet_offset_s(d(10, 25)), 3600);
    assert_eq!(cet_offset_s(d(3, 28)), 3600);
    assert_eq!(cet_offset_s(d(3, 29)), 7200);
    let (_, h) = sample_history();
    assert!(h.iter().any(|a| a.utc_offset_s == Some(7200)));
    assert!(h.iter().any(|a| a.utc_offset_s == Some(3600)));
}

#[test]
fn samples_are_plausible() {
    let r = Runner::sample();
    let (_, h) = sample_history();
    for a in h {
        let cads: Vec<f64> = a.samples.iter().filter_map(|s| s.cadence).collect();
        let mean_cad = cads.iter().sum::<f64>() / cads.len() as f64;
        if a.sport.is_running() {
            assert!((165.0..=180.0).contains(&mean_cad), "{mean_cad}");
        }
        for s in &a.samples {
            assert!(s.hr.unwrap() <= r.hr_max && s.hr.unwrap() > r.hr_rest);
            // Every fix within 6 km of home (a loop of at most 15 km for rides).
            let d = geo::distance_m(r.home.0, r.home.1, s.lat.unwrap(), s.lon.unwrap());
            assert!(d < 6_000.0, "{d}");
        }
        for w in a.samples.windows(2) {
            let dt = w[1].t - w[0].t;
            // 1–5 s sampling, or an auto-pause of at least 35 s.
            assert!((1.0..=5.0).contains(&dt) || dt >= 35.0, "{dt}");
        }
    }
    // Hill sessions climb the hill 5–6 times: 42 m each, so well over 150 m.
    let hills = h
        .iter()
        .filter(|a| a.name.as_deref() == Some("Hill Repeats"));
    for a in hills {
        assert!(a.ascent_m.unwrap() > 150.0, "{:?}", a.ascent_m);
    }
    assert!(h.iter().any(|a| a.sport == Sport::Walk) && h.iter().any(|a| a.sport == Sport::Ride));
}

#[test]
fn device_totals_agree_with_the_samples() {
    let (_, h) = sample_history();
    for a in h {
        let last = a.samples.last().unwrap();
        assert_eq!(a.distance_m, last.dist);
        assert_eq!(a.elapsed_s, Some(last.t - a.samples[0].t));
        assert!(a.moving_s.unwrap() <= a.elapsed_s.unwrap());
        // Laps tile the activity: their distances and elapsed times add up to the totals.
        let lap_d: f64 = a.laps.iter().map(|l| l.distance_m.unwrap()).sum();
        let lap_t: f64 = a.laps.iter().map(|l| l.elapsed_s.unwrap()).sum();
        assert!((lap_d - a.distance_m.unwrap()).abs() < 0.05, "{lap_d}");
        assert!((lap_t - a.elapsed_s.unwrap()).abs() < 1e-6);
        // The GPS track, recomputed with the model's jitter rules, is within 2 % of the
        // device distance: the fixes wander slowly, as a real receiver's do.
        let track = geo::track_distance_m(&a.samples, a.sport).unwrap();
        let rel = (track - a.distance_m.unwrap()).abs() / a.distance_m.unwrap();
        assert!(rel < 0.02, "{} {track} vs {:?}", a.start, a.distance_m);
    }
}
