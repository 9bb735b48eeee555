//! Progression checks: each one fires on a history built to cross its threshold, stays quiet
//! just below it, and reads like a sentence (no placeholder left unfilled). The rules file's
//! reference keys all exist in knowledge/clinical.md §6.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use soleus_model::Sport;
use soleus_model::load::{PainCheckIn, RiskInput, RiskReport, Rules, RunSummary, Severity, risk};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc0(_: DateTime<Utc>) -> FixedOffset {
    FixedOffset::east_opt(0).unwrap()
}

fn run(day: NaiveDate, km: f64) -> RunSummary {
    let mut r = RunSummary::new(
        Sport::Run,
        Utc.from_utc_datetime(&day.and_hms_opt(7, 0, 0).unwrap()),
    );
    r.utc_offset_s = Some(0);
    r.distance_m = Some(km * 1000.0);
    r
}

/// Runs of `km` on Monday, Wednesday and Friday for `weeks` weeks from Monday 5 Jan 2026.
fn base(weeks: i64, km: f64) -> Vec<RunSummary> {
    let mon = d(2026, 1, 5);
    (0..weeks * 7)
        .map(|i| mon + Duration::days(i))
        .filter(|day| i64::from(chrono::Datelike::weekday(day).num_days_from_monday()) % 2 == 0)
        .filter(|day| chrono::Datelike::weekday(day).num_days_from_monday() < 5)
        .map(|day| run(day, km))
        .collect()
}

fn check(
    on: NaiveDate,
    runs: &[RunSummary],
    pain: &[PainCheckIn],
    usual: Option<f64>,
) -> RiskReport {
    let input = RiskInput {
        runs,
        tz: &utc0,
        pain,
        usual_drop_mm: usual,
        footwear_allowed_pct: None,
    };
    let rep = risk(on, &input, Rules::builtin());
    for f in rep.warnings.iter().chain(&rep.info) {
        assert!(
            !f.because.contains('{') && !f.advice.contains('{'),
            "unfilled: {f:?}"
        );
        assert!(!f.reference.is_empty());
    }
    assert!(
        rep.warnings.iter().all(|w| w.code != "ACWR"),
        "ACWR is never a warning"
    );
    assert_eq!(rep.info.iter().filter(|i| i.code == "ACWR").count(), 1);
    rep
}

fn codes(rep: &RiskReport) -> Vec<&str> {
    rep.warnings.iter().map(|w| w.code.as_str()).collect()
}

#[test]
fn single_run_spike_bands() {
    // Five weeks of 10 km runs (Mon/Wed/Fri from 5 Jan); Sunday 8 Feb is the report day.
    let on = d(2026, 2, 8);
    for (km, band) in [
        (11.0, None),
        (12.0, Some((Severity::Low, 1.64))),
        (14.0, Some((Severity::Moderate, 1.52))),
        (25.0, Some((Severity::High, 2.28))),
    ] {
        let mut runs = base(5, 10.0);
        runs.push(run(on, km));
        let rep = check(on, &runs, &[], None);
        let spike = rep.warnings.iter().find(|w| w.code == "SINGLE_RUN_SPIKE");
        match band {
            // 11 km is exactly 110 % of 10 km: not "more than 10 % longer".
            None => assert!(spike.is_none(), "{km} km"),
            Some((sev, hrr)) => {
                let s = spike.expect("spike");
                assert_eq!(s.severity, sev);
                assert_eq!(s.numbers["hrr"], hrr);
                // (km/10 − 1)·100: 12 → 20 %, 14 → 40 %, 25 → 150 %.
                assert!((s.numbers["increase_pct"] - (km / 10.0 - 1.0) * 100.0).abs() < 1e-9);
                assert_eq!(s.reference, "Frandsen25");
                assert!(s.because.contains("longer than your longest run"));
            }
        }
    }
}

#[test]
fn first_run_ever_and_two_runs_in_a_day() {
    let on = d(2026, 2, 8);
    let rep = check(on, &[run(on, 12.0)], &[], None);
    assert!(rep.warnings.is_empty(), "{:?}", codes(&rep));
    assert!(rep.info.iter().any(|i| i.code == "SINGLE_RUN_NO_BASELINE"));
    // A second run the same day is compared with the first: 14 km after 10 km is +40 %.
    let mut second = run(on, 14.0);
    second.start += Duration::hours(8);
    let rep = check(on, &[run(on, 10.0), second], &[], None);
    let s = rep
        .warnings
        .iter()
        .find(|w| w.code == "SINGLE_RUN_SPIKE")
        .unwrap();
    assert!((s.numbers["increase_pct"] - 40.0).abs() < 1e-9);
}

#[test]
fn weekly_distance_jump() {
    // Weeks of 30 km (3 × 10). The week of Mon 9 Feb so far: 3 runs of 13 km by Friday = 39 km,
    // +30 % exactly: no warning; a 4th run of 2 km on Saturday makes 41 km, +36.7 %: warning.
    let mut runs = base(5, 10.0);
    let mon = d(2026, 2, 9);
    for i in [0, 2, 4] {
        runs.push(run(mon + Duration::days(i), 13.0));
    }
    assert!(
        !codes(&check(mon + Duration::days(4), &runs, &[], None)).contains(&"WEEKLY_DISTANCE_JUMP")
    );
    runs.push(run(mon + Duration::days(5), 2.0));
    let rep = check(mon + Duration::days(5), &runs, &[], None);
    let w = rep
        .warnings
        .iter()
        .find(|w| w.code == "WEEKLY_DISTANCE_JUMP")
        .unwrap();
    assert!((w.numbers["change_pct"] - 11.0 / 30.0 * 100.0).abs() < 1e-6);
    assert_eq!(w.reference, "Nielsen14");
    // After a rest week there is no percentage, and no warning.
    let mut rested = base(4, 10.0);
    rested.extend([run(mon, 15.0), run(mon + Duration::days(2), 15.0)]);
    assert!(
        !codes(&check(mon + Duration::days(2), &rested, &[], None))
            .contains(&"WEEKLY_DISTANCE_JUMP")
    );
}

#[test]
fn hill_intensity_and_frequency_jumps() {
    let on = d(2026, 2, 15); // a Sunday, five full weeks after the base starts
    let mut runs = base(5, 10.0);
    for r in &mut runs {
        r.ascent_m = Some(50.0);
        r.descent_m = Some(50.0);
        r.hard_s = Some(600.0);
    }
    // Baseline per week: 3 runs, 300 m up+down, 30 hard minutes. This week: 6 runs on
    // consecutive days from Tuesday, each with 200 m up and down and 15 hard minutes:
    // 2,400 m (+700 %), 90 min (+200 %), 6 runs (+3), a 6-day streak (previously 1).
    let quiet = check(on - Duration::days(7), &runs, &[], None);
    assert!(quiet.warnings.is_empty(), "{:?}", codes(&quiet));
    for i in 0..6 {
        let mut r = run(on - Duration::days(i), 8.0);
        r.ascent_m = Some(200.0);
        r.descent_m = Some(200.0);
        r.hard_s = Some(900.0);
        runs.push(r);
    }
    let rep = check(on, &runs, &[], None);
    let get = |c: &str| {
        rep.warnings
            .iter()
            .find(|w| w.code == c)
            .unwrap_or_else(|| panic!("{c} in {:?}", codes(&rep)))
    };
    let hill = get("HILL_LOAD_JUMP");
    assert_eq!(
        (hill.numbers["climb_m"], hill.numbers["baseline_climb_m"]),
        (2400.0, 300.0)
    );
    let hard = get("INTENSITY_JUMP");
    assert_eq!(
        (hard.numbers["hard_min"], hard.numbers["baseline_hard_min"]),
        (90.0, 30.0)
    );
    let freq = get("FREQUENCY_JUMP");
    assert_eq!(
        (freq.numbers["runs"], freq.numbers["baseline_runs"]),
        (6.0, 3.0)
    );
    assert_eq!(
        (
            freq.numbers["streak_days"],
            freq.numbers["baseline_streak_days"]
        ),
        (6.0, 1.0)
    );
}

#[test]
fn running_through_pain() {
    let on = d(2026, 2, 8);
    let runs = base(5, 10.0); // Friday 6 Feb is a run day
    let fri = d(2026, 2, 6);
    let ci = |date, during, after, next| PainCheckIn {
        date,
        during_run: during,
        after_run: after,
        next_morning: next,
    };
    // Pain at the limit (5/10) that settles: allowed.
    let ok = [
        ci(fri - Duration::days(1), None, None, Some(2)),
        ci(fri, Some(5), Some(5), Some(2)),
    ];
    assert!(!codes(&check(on, &runs, &ok, None)).contains(&"RUNNING_THROUGH_PAIN"));
    // 7/10 during the run: high-severity warning naming it.
    let during = [ci(fri, Some(7), Some(4), None)];
    let rep = check(on, &runs, &during, None);
    let w = rep
        .warnings
        .iter()
        .find(|w| w.code == "RUNNING_THROUGH_PAIN")
        .unwrap();
    assert_eq!((w.severity, w.numbers["during"]), (Severity::High, 7.0));
    assert!(w.because.contains("7/10 during the run") && w.advice.contains("bone"));
    // Next morning 4/10 after a morning of 2/10: worse, so reduce the next load.
    let worse = [
        ci(fri - Duration::days(1), None, None, Some(2)),
        ci(fri, Some(3), Some(3), Some(4)),
    ];
    assert!(codes(&check(on, &runs, &worse, None)).contains(&"RUNNING_THROUGH_PAIN"));
}

#[test]
fn footwear_transition() {
    let on = d(2026, 2, 15);
    let mut runs = base(5, 10.0);
    for r in &mut runs {
        r.shoe_drop_mm = Some(10.0);
    }
    // This week: 30 km in the usual 10 mm shoes plus one run in zero-drop shoes.
    let with = |km: f64| {
        let mut rs = runs.clone();
        for i in [1, 3, 5] {
            let mut r = run(on - Duration::days(i), 10.0);
            r.shoe_drop_mm = Some(10.0);
            rs.push(r);
        }
        let mut z = run(on, km);
        z.shoe_drop_mm = Some(0.0);
        rs.push(z);
        rs
    };
    // 3 of 33 km = 9.1 %: within the 10 % start.
    assert!(!codes(&check(on, &with(3.0), &[], None)).contains(&"FOOTWEAR_TRANSITION_FAST"));
    // 10 of 40 km = 25 %: too fast.
    let rep = check(on, &with(10.0), &[], None);
    let w = rep
        .warnings
        .iter()
        .find(|w| w.code == "FOOTWEAR_TRANSITION_FAST")
        .unwrap();
    assert_eq!(
        (
            w.numbers["share_pct"],
            w.numbers["usual_drop_mm"],
            w.numbers["allowed_pct"]
        ),
        (25.0, 10.0, 10.0)
    );
    // A 4 mm usual drop given by the athlete: 0 mm is still 4 mm lower, so it still counts.
    assert!(codes(&check(on, &with(10.0), &[], Some(4.0))).contains(&"FOOTWEAR_TRANSITION_FAST"));
}

/// With the runner's own transition plan, its share for the week replaces the rule's schedule.
#[test]
fn footwear_transition_follows_the_runners_plan() {
    let on = d(2026, 2, 15);
    let mut runs = base(5, 10.0);
    for r in &mut runs {
        r.shoe_drop_mm = Some(10.0);
    }
    // This week: three 10 km runs in the usual 10 mm shoes and 6 km in zero-drop shoes:
    // 6 of 36 km = 16.7 %, above the rule's own 10 % start.
    for i in [1, 3, 5] {
        let mut r = run(on - Duration::days(i), 10.0);
        r.shoe_drop_mm = Some(10.0);
        runs.push(r);
    }
    let mut z = run(on, 6.0);
    z.shoe_drop_mm = Some(0.0);
    runs.push(z);
    let with_plan = |pct: Option<f64>| {
        let input = RiskInput {
            runs: &runs,
            tz: &utc0,
            pain: &[],
            usual_drop_mm: None,
            footwear_allowed_pct: pct,
        };
        risk(on, &input, Rules::builtin())
    };
    let fast = |rep: &RiskReport| {
        rep.warnings
            .iter()
            .find(|w| w.code == "FOOTWEAR_TRANSITION_FAST")
            .map(|w| (w.numbers["share_pct"], w.numbers["allowed_pct"]))
    };
    // No plan: the rule's 10 % start applies, 16.7 % > 10 %.
    assert!(fast(&with_plan(None)).is_some());
    // A plan in its third step (30 %): 16.7 % is within it, no warning.
    assert_eq!(fast(&with_plan(Some(30.0))), None);
    // A careful plan's first weeks (5 %): fires, and the advice names the plan's 5 %.
    let (share, allowed) = fast(&with_plan(Some(5.0))).unwrap();
    // The rule rounds percentages to 1e-6.
    assert!((share - 100.0 * 6.0 / 36.0).abs() < 1e-6);
    assert_eq!(allowed, 5.0);
}

#[test]
fn acwr_is_information_with_numbers() {
    let on = d(2026, 2, 8);
    let rep = check(on, &base(5, 10.0), &[], None);
    let info = rep.info.iter().find(|i| i.code == "ACWR").unwrap();
    assert_eq!(info.severity, Severity::Info);
    assert!(info.numbers.contains_key("rac") && info.numbers.contains_key("ewma"));
    assert!(info.because.contains("contested"));
    let v = serde_json::to_value(&rep).unwrap();
    let mut keys: Vec<_> = v["info"][0].as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "advice",
            "because",
            "code",
            "numbers",
            "reference",
            "severity"
        ]
    );
    assert_eq!(v["date"], "2026-02-08");
    // Too little history: the ratios are "not available" and absent from the numbers.
    let short = check(on, &[run(on, 5.0)], &[], None);
    assert!(
        short
            .info
            .iter()
            .find(|i| i.code == "ACWR")
            .unwrap()
            .numbers
            .is_empty()
    );
}

#[test]
fn every_reference_key_is_in_the_clinical_reference_list() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/knowledge/clinical.md"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: knowledge base not found at {path}");
        return;
    };
    let refs = text
        .split("## 6. References")
        .nth(1)
        .expect("clinical.md has a §6");
    let keys: Vec<&str> = refs
        .lines()
        .filter_map(|l| l.strip_prefix("- **")?.split(":**").next())
        .flat_map(|k| k.split(" / "))
        .collect();
    assert!(keys.len() > 50, "parsed the list: {}", keys.len());
    for rule in &Rules::builtin().rule {
        assert!(
            keys.contains(&rule.reference.as_str()),
            "{}: {} is not in §6",
            rule.code,
            rule.reference
        );
    }
}

#[test]
fn risk_wording_follows_the_athletes_units_while_numbers_stay_metric() {
    // Four weeks of 10 km runs, then one of 16.09344 km: a spike. 16.09344 km is exactly 10
    // miles and 10 km is 6.2 miles (1 mile = 1,609.344 m, the international mile).
    let mut runs = base(4, 10.0);
    let on = d(2026, 2, 8);
    runs.push(run(on, 16.093_44));
    let rep = check(on, &runs, &[], None);
    let km = rep
        .warnings
        .iter()
        .find(|w| w.code == "SINGLE_RUN_SPIKE")
        .unwrap()
        .clone();
    assert!(km.because.contains("16.1 km"), "{}", km.because);
    let mi = rep.in_units(soleus_model::units::DistanceUnit::Miles, Rules::builtin());
    let w = mi
        .warnings
        .iter()
        .find(|w| w.code == "SINGLE_RUN_SPIKE")
        .unwrap();
    assert!(
        w.because.contains("10.0 mi") && w.because.contains("(6.2 mi)"),
        "{}",
        w.because
    );
    assert!(
        w.advice.contains("6.2 mi") && !w.advice.contains(" km"),
        "{}",
        w.advice
    );
    assert_eq!(w.numbers, km.numbers, "numbers stay in km");
}
