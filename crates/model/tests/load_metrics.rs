//! Daily metrics on small series worked by hand (the arithmetic is in the comments), and the
//! edge cases: a first run ever, two runs in a day, a run across midnight, travel across time
//! zones, rest weeks, a year without running, days before the first activity.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use soleus_model::Sport;
use soleus_model::load::{DailySeries, LoadUnit, RunSummary, compute_days, load_report, weeks};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc0(_: DateTime<Utc>) -> FixedOffset {
    FixedOffset::east_opt(0).unwrap()
}

/// A run of `km` at 07:00 UTC on `day`, recorded with a UTC offset of 0.
fn run(day: NaiveDate, km: f64) -> RunSummary {
    let mut r = RunSummary::new(
        Sport::Run,
        Utc.from_utc_datetime(&day.and_hms_opt(7, 0, 0).unwrap()),
    );
    r.utc_offset_s = Some(0);
    r.distance_m = Some(km * 1000.0);
    r
}

/// One run per day with the given loads (0 = rest), starting on `start`.
fn daily(start: NaiveDate, loads: &[f64]) -> Vec<RunSummary> {
    loads
        .iter()
        .enumerate()
        .filter(|(_, l)| **l > 0.0)
        .map(|(i, l)| run(start + Duration::days(i as i64), *l))
        .collect()
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

#[test]
fn rolling_ratios_by_hand() {
    // 21 days at 10 km then 7 at 20. On day 28: acute mean 20; coupled chronic mean
    // (21·10 + 7·20)/28 = 350/28 = 12.5, RAC = 1.6; uncoupled chronic mean 10, RAU = 2.0.
    let start = d(2026, 1, 1);
    let mut loads = vec![10.0; 21];
    loads.extend([20.0; 7]);
    let runs = daily(start, &loads);
    let end = start + Duration::days(27);
    let days = compute_days(&DailySeries::build(&runs, LoadUnit::Km, &utc0, end), start);
    assert_eq!(days.len(), 28);
    let last = &days[27];
    assert!(near(last.acwr_rac.unwrap(), 1.6));
    assert!(near(last.acwr_rau.unwrap(), 2.0));
    // 27 days of history is not enough for any of the three.
    assert_eq!(
        (days[26].acwr_rac, days[26].acwr_rau, days[26].acwr_ewma),
        (None, None, None)
    );
}

#[test]
fn ewma_ratio_by_hand() {
    // One 8 km run, then nothing. E_acute(n) = 8·0.75^n, E_chronic(n) = 8·(27/29)^n, so on day
    // 28 (n = 27) the ratio is (0.75·29/27)^27 = (29/36)^27 ≈ 0.0029146. RAC and RAU are 0: the
    // run is in both chronic windows (days 0–27 and 0–20) but not in the acute one.
    let start = d(2026, 1, 1);
    let runs = [run(start, 8.0)];
    let days = compute_days(
        &DailySeries::build(&runs, LoadUnit::Km, &utc0, start + Duration::days(27)),
        start,
    );
    let last = &days[27];
    assert!(near(last.acwr_ewma.unwrap(), (29.0f64 / 36.0).powi(27)));
    assert!((last.acwr_ewma.unwrap() - 0.002_914_6).abs() < 1e-7);
    assert_eq!(last.acwr_rac, Some(0.0));
    assert_eq!(last.acwr_rau, Some(0.0));
}

#[test]
fn monotony_and_strain_by_hand() {
    // Week [0, 80, 40, 0, 90, 60, 80]: sum 350, mean 50; squared deviations
    // 2500+900+100+2500+1600+100+900 = 8600; sample variance 8600/6 = 1433.33, sd 37.8594;
    // monotony 50/37.8594 = 1.32068; strain 350 × 1.32068 = 462.24. The first day is a ride so
    // the series (and the week) starts on a day with no running load.
    let start = d(2026, 2, 2);
    let mut runs = daily(start, &[0.0, 80.0, 40.0, 0.0, 90.0, 60.0, 80.0]);
    runs.push(RunSummary::new(
        Sport::Ride,
        Utc.from_utc_datetime(&start.and_hms_opt(9, 0, 0).unwrap()),
    ));
    let days = compute_days(
        &DailySeries::build(&runs, LoadUnit::Km, &utc0, start + Duration::days(6)),
        start,
    );
    let last = &days[6];
    assert!(
        (last.monotony.unwrap() - 1.320_68).abs() < 1e-5,
        "{:?}",
        last.monotony
    );
    assert!((last.strain.unwrap() - 462.24).abs() < 1e-2);
    assert_eq!(days[5].monotony, None, "six days of history are not a week");
    // Seven identical days: sd 0, monotony and strain null (not infinity).
    let flat = daily(start, &[5.0; 7]);
    let days = compute_days(
        &DailySeries::build(&flat, LoadUnit::Km, &utc0, start + Duration::days(6)),
        start,
    );
    assert_eq!((days[6].monotony, days[6].strain), (None, None));
}

#[test]
fn fitness_fatigue_form_by_hand() {
    // One load of 42 on day 0. CTL0 = 42·(1 − e^(−1/42)) = 42·0.0235283 = 0.988189; ATL0 = 42·(1 − e^(−1/7))
    // = 42·0.1331221 = 5.591128. TSB uses the day before: TSB0 = 0, TSB1 = 0.988189 − 5.591128 = −4.602939.
    // Ramp on day 0 = CTL0 − 0; on day 7 = CTL0·(e^(−7/42) − 1) = 0.988189·(−0.153518) = −0.151705.
    let start = d(2026, 3, 2);
    let days = compute_days(
        &DailySeries::build(
            &[run(start, 42.0)],
            LoadUnit::Km,
            &utc0,
            start + Duration::days(7),
        ),
        start,
    );
    assert!((days[0].ctl - 0.988_189).abs() < 1e-6);
    assert!((days[0].atl - 5.591_128).abs() < 1e-6);
    assert_eq!(days[0].tsb, 0.0);
    assert!((days[1].tsb + 4.602_939).abs() < 1e-6);
    assert!(near(days[0].ramp, days[0].ctl));
    assert!((days[7].ramp + 0.151_705).abs() < 1e-6);
}

#[test]
fn first_run_ever_and_days_before_it() {
    let first = d(2026, 4, 10);
    let runs = [run(first, 6.0)];
    let report = load_report(&runs, LoadUnit::Km, &utc0, d(2026, 4, 8), first);
    // Two days before the first activity, then the run.
    assert_eq!(report.days.len(), 3);
    for before in &report.days[..2] {
        assert_eq!(
            (before.load, before.runs, before.ctl, before.acwr_ewma),
            (0.0, 0, 0.0, None)
        );
    }
    let day = &report.days[2];
    assert_eq!(
        (day.load, day.runs, day.monotony, day.acwr_rac),
        (6.0, 1, None, None)
    );
    // Its week (Mon 6 April) has 6 km and no previous week to compare with.
    assert_eq!(report.weeks.len(), 1);
    assert_eq!(report.weeks[0].week_start, d(2026, 4, 6));
    assert_eq!(
        (report.weeks[0].distance_km, report.weeks[0].change_pct),
        (6.0, None)
    );
}

#[test]
fn two_runs_in_a_day_and_a_run_across_midnight() {
    let day = d(2026, 5, 4);
    let mut late = run(day, 10.0);
    // Starts 23:30 local (UTC+2) and lasts two hours: it belongs to the day it started on.
    late.start = Utc.with_ymd_and_hms(2026, 5, 4, 21, 30, 0).unwrap();
    late.utc_offset_s = Some(7200);
    late.moving_s = Some(7200.0);
    let mut morning = run(day, 4.0);
    morning.moving_s = Some(1500.0);
    let runs = [morning, late];
    let report = load_report(&runs, LoadUnit::Km, &utc0, day, day + Duration::days(1));
    let (a, b) = (&report.days[0], &report.days[1]);
    assert_eq!((a.load, a.runs, a.duration_s), (14.0, 2, 8700.0));
    assert_eq!((b.load, b.runs), (0.0, 0));
    assert_eq!(report.weeks[0].longest_run_km, 10.0);
}

#[test]
fn travelling_across_time_zones() {
    let home = |_: DateTime<Utc>| FixedOffset::east_opt(3600).unwrap();
    let instant = Utc.with_ymd_and_hms(2026, 3, 1, 20, 0, 0).unwrap();
    // Recorded in Tokyo (UTC+9): 05:00 on 2 March there.
    let mut tokyo = RunSummary::new(Sport::Run, instant);
    tokyo.utc_offset_s = Some(9 * 3600);
    tokyo.distance_m = Some(5000.0);
    // The same instant from a file without an offset: 21:00 on 1 March at home.
    let mut unknown = tokyo.clone();
    unknown.utc_offset_s = None;
    unknown.distance_m = Some(3000.0);
    // Flying west to Los Angeles (UTC−8): 02:00 UTC on 3 March is 18:00 on 2 March there.
    let mut la = RunSummary::new(
        Sport::Run,
        Utc.with_ymd_and_hms(2026, 3, 3, 2, 0, 0).unwrap(),
    );
    la.utc_offset_s = Some(-8 * 3600);
    la.distance_m = Some(7000.0);
    let runs = [la, tokyo, unknown];
    let r = load_report(&runs, LoadUnit::Km, &home, d(2026, 3, 1), d(2026, 3, 3));
    let loads: Vec<f64> = r.days.iter().map(|x| x.load).collect();
    // 1 March: 3 km; 2 March: Tokyo 5 + LA 7 = 12 km; 3 March: nothing.
    assert_eq!(loads, [3.0, 12.0, 0.0]);
}

#[test]
fn rest_weeks_and_week_changes() {
    // Mon 5 Jan 2026: week 1 20 km, week 2 30 km (+50 %), week 3 rest, week 4 10 km (no
    // percentage after an empty week), week 5 5 km (−50 %).
    let mon = d(2026, 1, 5);
    let runs = [
        run(mon, 20.0),
        run(mon + Duration::days(8), 30.0),
        run(mon + Duration::days(22), 10.0),
        run(mon + Duration::days(30), 5.0),
    ];
    let s = DailySeries::build(&runs, LoadUnit::Km, &utc0, mon + Duration::days(34));
    let w = weeks(&s, mon + Duration::days(3));
    let got: Vec<(f64, Option<f64>)> = w.iter().map(|x| (x.distance_km, x.change_pct)).collect();
    assert_eq!(
        got,
        [
            (20.0, None),
            (30.0, Some(50.0)),
            (0.0, Some(-100.0)),
            (10.0, None),
            (5.0, Some(-50.0))
        ]
    );
}

#[test]
fn a_year_without_running() {
    // A 10 km run, a year off, then 10 km again. During the gap both rolling chronic windows
    // empty and the ratios are null (not infinite). On the return: RAC = (10/7)/(10/28) = 4.0,
    // its ceiling; the uncoupled chronic window (days −27..−7) is empty, so RAU is null; the
    // EWMA legs are both positive, so its ratio exists.
    let start = d(2025, 1, 1);
    let back = start + Duration::days(366);
    let runs = [run(start, 10.0), run(back, 10.0)];
    let days = compute_days(&DailySeries::build(&runs, LoadUnit::Km, &utc0, back), start);
    let gap = &days[200];
    assert_eq!(
        (gap.acwr_rac, gap.acwr_rau, gap.monotony),
        (None, None, None)
    );
    let last = days.last().unwrap();
    assert!(near(last.acwr_rac.unwrap(), 4.0));
    assert_eq!(last.acwr_rau, None);
    assert!(last.acwr_ewma.unwrap() > 1.0);
    assert!(last.monotony.is_some());
}

#[test]
fn other_sports_and_missing_inputs() {
    let day = d(2026, 6, 1);
    let mut ride = run(day, 40.0);
    ride.sport = Sport::Ride;
    let mut walk = run(day, 5.0);
    walk.sport = Sport::Walk;
    let mut treadmill = run(day, 8.0);
    treadmill.sport = Sport::Treadmill;
    treadmill.moving_s = Some(2400.0);
    let mut no_rpe = treadmill.clone();
    no_rpe.sport = Sport::Track;
    treadmill.rpe = Some(5);
    let runs = [ride, walk, treadmill, no_rpe];
    let s = DailySeries::build(&runs, LoadUnit::Km, &utc0, day);
    // Only the treadmill and track runs count: 16 km.
    assert_eq!((s.days[0].distance_km, s.days[0].runs), (16.0, 2));
    // sRPE: 5 × 40 min = 200; the track run has no RPE and is counted as missing.
    let s = DailySeries::build(&runs, LoadUnit::Srpe, &utc0, day);
    assert_eq!((s.days[0].load, s.runs_without_load), (200.0, 1));
    let s = DailySeries::build(&runs, LoadUnit::Minutes, &utc0, day);
    assert_eq!(s.days[0].load, 80.0);
}

#[test]
fn json_keys_are_the_published_ones() {
    let day = d(2026, 6, 1);
    let r = load_report(&[run(day, 5.0)], LoadUnit::Km, &utc0, day, day);
    let v = serde_json::to_value(&r).unwrap();
    let keys = |o: &serde_json::Value| o.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let mut top = keys(&v);
    top.sort();
    // The published keys, plus the two added when sRPE and TRIMP began saying how many runs
    // lack their input.
    assert_eq!(
        top,
        [
            "conventions",
            "days",
            "runs_in_range",
            "runs_without_input",
            "unit",
            "weeks"
        ]
    );
    assert_eq!(v["unit"], "km");
    let mut day_keys = keys(&v["days"][0]);
    day_keys.sort();
    let mut want = [
        "date",
        "load",
        "distance_km",
        "duration_s",
        "ascent_m",
        "descent_m",
        "runs",
        "acwr_rac",
        "acwr_rau",
        "acwr_ewma",
        "monotony",
        "strain",
        "ctl",
        "atl",
        "tsb",
        "ramp",
    ];
    want.sort();
    assert_eq!(day_keys, want);
    assert!(v["days"][0]["acwr_rac"].is_null() && v["days"][0]["monotony"].is_null());
    assert_eq!(v["days"][0]["date"], "2026-06-01");
    let mut week_keys = keys(&v["weeks"][0]);
    week_keys.sort();
    assert_eq!(
        week_keys,
        [
            "ascent_m",
            "change_pct",
            "distance_km",
            "load",
            "longest_run_km",
            "runs",
            "week_start"
        ]
    );
    assert!(
        v["conventions"]["acwr_ewma"]
            .as_str()
            .unwrap()
            .contains("2/(N+1)")
    );
}
