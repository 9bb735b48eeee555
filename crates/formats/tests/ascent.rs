//! Ascent recomputed from the altitude samples, against totals from outside Soleus: the FIT
//! session's `total_ascent` (read with the independent `fitparser` crate) and, for GPX and TCX
//! files, the ascent sports-lib's own test suite asserts for its fixtures
//! (`src/specs/activity-parsing-compliance.spec.ts` of sports-alliance/sports-lib at the
//! corpus snapshot, SOURCES.md). The filter is chosen from the channel's character
//! (`soleus_model::altitude`); "before" below is the fixed threshold it replaced (1 m for a
//! barometric creator, 4 m for everything else).
//!
//! `ascent_against_device_totals` is a measurement, not a check: it prints every file and the
//! error distribution before and after (`cargo test -p soleus-formats --test ascent --
//! --ignored --nocapture`); bench/README.md section F keeps its numbers.

use std::collections::HashSet;
use std::path::PathBuf;

use fitparser::Value;
use fitparser::de::DecodeOption;
use soleus_formats::{Limits, decode};
use soleus_model::{Activity, altitude, geo};

fn dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ))
}

fn corpus(file: &str) -> Option<Vec<u8>> {
    match std::fs::read(dir().join(file)) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!(
                "skipped: corpus file {file} not found under {}",
                dir().display()
            );
            None
        }
    }
}

fn first(file: &str) -> Option<Activity> {
    let bytes = corpus(file)?;
    Some(
        decode(&bytes, &Limits::default())
            .unwrap()
            .activities
            .remove(0),
    )
}

/// The ascent the replaced rule gave: one fixed threshold by source.
fn before(a: &Activity) -> f64 {
    let h = if a.barometric {
        altitude::HYSTERESIS_BARO_M
    } else {
        altitude::HYSTERESIS_GPS_M
    };
    altitude::hysteresis(a.samples.iter().filter_map(|s| s.alt), h).map_or(0.0, |c| c.0)
}

fn after(a: &Activity) -> f64 {
    geo::climb_m(&a.samples, a.barometric).map_or(0.0, |c| c.0)
}

fn within(got: f64, want: f64, share: f64) -> bool {
    (got - want).abs() <= share * want
}

#[test]
fn noisy_gps_altitude_is_not_counted_as_climbing() {
    // MyTrails' GPX of a 41 km trail run, altitude in whole metres scattering by about 2 m
    // from fix to fix. sports-lib's suite expects an ascent of 2780 m ("running GPX file
    // (4)"); the 4 m threshold counted 4434 m (+59 %).
    let Some(a) = first("gpx/sportslib__6909258631.gpx") else {
        return;
    };
    assert!(before(&a) > 4000.0, "{}", before(&a));
    let got = a.ascent_m.unwrap();
    assert!(
        within(got, 2780.0, 0.15),
        "{got} m, sports-lib expects 2780 m"
    );
}

#[test]
fn smooth_altitude_keeps_its_climb() {
    // Strava Android's GPX of a 4.6 km run, altitude smooth in 0.1 m steps. sports-lib's
    // suite expects 39 m ("running GPX file (3)"); the 4 m threshold counted 16.6 m (−57 %).
    let Some(a) = first("gpx/sportslib__1681613317.gpx") else {
        return;
    };
    assert!(before(&a) < 20.0, "{}", before(&a));
    let got = a.ascent_m.unwrap();
    assert!(within(got, 39.0, 0.15), "{got} m, sports-lib expects 39 m");
}

#[test]
fn a_watchs_records_give_back_its_sessions_climb() {
    // A Forerunner 965 run (fit-parser's garmin-stamina.fit): its session says total_ascent
    // 57 m (fitparser reads the same), and its records' barometric altitude moves in 0.2 m
    // steps. Recomputed from the records, the 4 m threshold gave 24 m (−58 %).
    let Some(a) = first("fit/jsfitparser__garmin-stamina.fit") else {
        return;
    };
    assert_eq!(a.ascent_m, Some(57.0), "the device's total is kept");
    assert!(before(&a) < 30.0, "{}", before(&a));
    let got = after(&a);
    assert!(
        within(got, 57.0, 0.15),
        "{got} m from the records, the session says 57 m"
    );
}

#[test]
fn altitude_too_coarse_to_measure_gives_no_ascent() {
    // GoldenCheetah's copy of a 0.73 km FR55 walk: its altitude moves in 12.8 m steps and
    // the 4 m threshold made 1190 m of climbing of it. The watch's own file of the same walk
    // (FR55-CoreTemp-Walk.fit, no session total, altitude in 0.2 m steps) climbs 24 m by the
    // old threshold and 30 m by the new: tens of metres, not a thousand.
    let (Some(copy), Some(own)) = (
        first("fit/goldencheetah__FR55-loaded-and-saved-via-GC.fit"),
        first("fit/goldencheetah__FR55-CoreTemp-Walk.fit"),
    ) else {
        return;
    };
    assert!(own.ascent_m.is_some_and(|a| a < 50.0), "{:?}", own.ascent_m);
    assert!(before(&copy) > 1000.0, "{}", before(&copy));
    assert_eq!(copy.ascent_m, None, "no ascent rather than a wrong one");
}

/// The `total_ascent` of each session, as `fitparser` reads it, in file order.
fn session_ascents(bytes: &[u8]) -> Option<Vec<Option<f64>>> {
    let opts: HashSet<DecodeOption> = [
        DecodeOption::SkipDataCrcValidation,
        DecodeOption::SkipHeaderCrcValidation,
    ]
    .into_iter()
    .collect();
    let msgs = fitparser::de::from_bytes_with_options(bytes, &opts).ok()?;
    let mut out = Vec::new();
    for m in msgs
        .iter()
        .filter(|m| m.kind() == fitparser::profile::MesgNum::Session)
    {
        let mut ascent = None;
        let mut start = None;
        for f in m.fields() {
            match (f.name(), f.value()) {
                ("total_ascent", Value::UInt16(x) | Value::UInt16z(x)) => {
                    ascent = Some(f64::from(*x));
                }
                ("start_time", Value::Timestamp(t)) => start = Some(t.timestamp()),
                _ => {}
            }
        }
        out.push((start, ascent));
    }
    out.sort_by_key(|(s, _)| *s);
    Some(out.into_iter().map(|(_, a)| a).collect())
}

/// GPX and TCX files of the corpus whose ascent sports-lib's suite asserts (see the module
/// docs), with that ascent.
const SPORTS_LIB: &[(&str, f64)] = &[
    ("gpx/sportslib__1681613317.gpx", 39.0),
    ("gpx/sportslib__2067489619.gpx", 35.0),
    ("gpx/sportslib__6048438275.gpx", 579.0),
    ("gpx/sportslib__6909258631.gpx", 2780.0),
    ("tcx/sportslib__1604524853.tcx", 432.0),
];

/// Errors as a share of the reference (at least 20 m, so a 3 m climb does not dominate).
fn distribution(label: &str, errors: &mut [f64]) {
    errors.sort_by(f64::total_cmp);
    let at = |q: f64| errors[((errors.len() as f64 * q) as usize).min(errors.len() - 1)];
    println!(
        "{label:7} median {:5.1} %  p75 {:5.1} %  p90 {:5.1} %  max {:7.1} %  within 10 %: {}/{}",
        100.0 * at(0.5),
        100.0 * at(0.75),
        100.0 * at(0.9),
        100.0 * errors[errors.len() - 1],
        errors.iter().filter(|e| **e <= 0.1).count(),
        errors.len()
    );
}

#[test]
#[ignore = "a measurement: prints the error distribution (run with --ignored --nocapture)"]
fn ascent_against_device_totals() {
    let mut cases: Vec<(String, Activity, f64)> = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(dir().join("fit"))
        .expect("the corpus's fit folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let (Ok(d), Some(totals)) = (decode(&bytes, &Limits::default()), session_ascents(&bytes))
        else {
            continue;
        };
        if d.activities.len() != totals.len() {
            continue;
        }
        let name = format!("fit/{}", path.file_name().unwrap().to_string_lossy());
        for (a, total) in d.activities.into_iter().zip(totals) {
            let alts: Vec<f64> = a.samples.iter().filter_map(|s| s.alt).collect();
            let moves = alts.windows(2).any(|w| w[0] != w[1]);
            // A session total, a recorded kilometre, and an altitude channel that moves.
            if let Some(total) = total
                && alts.len() >= 100
                && moves
                && a.distance_m.unwrap_or(0.0) >= 1000.0
            {
                cases.push((name.clone(), a, total));
            }
        }
    }
    for (file, want) in SPORTS_LIB {
        if let Some(a) = first(file) {
            cases.push(((*file).to_string(), a, *want));
        }
    }
    println!(
        "{:52} {:>7} {:>5} {:>5} {:>7} {:>7} {:>7} {:>7}",
        "file", "dense", "res m", "noise", "total", "before", "after", "err"
    );
    let (mut errs_before, mut errs_after) = (Vec::new(), Vec::new());
    for (name, a, total) in &cases {
        let c = altitude::character(&a.samples);
        let (b, n) = (before(a), after(a));
        let scale = total.max(20.0);
        errs_before.push((b - total).abs() / scale);
        errs_after.push((n - total).abs() / scale);
        println!(
            "{:52} {:>7} {:5.2} {:5.2} {total:7.0} {b:7.0} {n:7.0} {:+6.0} %",
            name.chars().take(52).collect::<String>(),
            c.dense,
            c.resolution_m,
            c.noise_m,
            100.0 * (n - total) / scale
        );
    }
    distribution("before", &mut errs_before);
    distribution("after", &mut errs_after);
}
