//! Daily metrics against an independent implementation: the `acwr` package from PyPI (RAC, RAU,
//! EWMA with λ = 2/(N+1), Foster monotony and strain with the sample sd) and pandas' EWMA for
//! CTL/ATL. Runs `tests/acwr_reference.py` when `python3 -c "import acwr"` works; otherwise it
//! prints why it was skipped (`pip install acwr` to run it).

use std::io::Write;
use std::process::{Command, Stdio};

use chrono::{Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use serde_json::Value;
use soleus_model::Sport;
use soleus_model::load::{DailySeries, DayMetrics, LoadUnit, RunSummary, compute_days};

/// A deterministic history of about 14 months: random distances with rest days, two runs on
/// some days, a 35-day break (chronic load falls to zero), a week of identical runs (sd = 0) and
/// a ride (listed, adds no load).
fn history() -> (Vec<RunSummary>, NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        // 64-bit LCG (Knuth's MMIX constants); the top bits are uniform enough for test data.
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut runs = Vec::new();
    let days = 430;
    for i in 0..days {
        let day = first + Duration::days(i);
        let at = |h: u32| Utc.from_utc_datetime(&day.and_hms_opt(h, 0, 0).unwrap());
        let mut push = |h: u32, m: f64, sport: Sport| {
            let mut r = RunSummary::new(sport, at(h));
            r.utc_offset_s = Some(0);
            r.distance_m = Some(m);
            runs.push(r);
        };
        let rest = (200..235).contains(&i);
        let flat = (300..307).contains(&i);
        if i == 0 {
            push(7, 8_000.0, Sport::Run);
        } else if flat {
            push(7, 5_000.0, Sport::Run);
        } else if !rest && next() > 0.3 {
            // Whole metres, so the loads are exact in km and the comparison is about the maths.
            push(7, (3_000.0 + next() * 18_000.0).round(), Sport::Run);
            if next() > 0.85 {
                push(18, (2_000.0 + next() * 6_000.0).round(), Sport::TrailRun);
            }
        }
        if i % 9 == 0 {
            push(12, 40_000.0, Sport::Ride);
        }
    }
    (runs, first, first + Duration::days(days - 1))
}

fn close(a: Option<f64>, b: &Value) -> bool {
    match (a, b.as_f64()) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * y.abs().max(1.0),
        _ => false,
    }
}

#[test]
fn metrics_match_the_acwr_package() {
    let ok = Command::new("python3")
        .args(["-c", "import acwr"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: python3 with the `acwr` package is not available (pip install acwr)");
        return;
    }
    let (runs, first, end) = history();
    let utc = |_| FixedOffset::east_opt(0).unwrap();
    let series = DailySeries::build(&runs, LoadUnit::Km, &utc, end);
    assert_eq!(series.first, Some(first));
    let days = compute_days(&series, first);
    let loads: Vec<f64> = days.iter().map(|d| d.load).collect();
    let input = serde_json::json!({ "start": first.to_string(), "loads": loads });

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/acwr_reference.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "reference script failed");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), days.len());

    type Get = fn(&DayMetrics) -> Option<f64>;
    let fields: [(&str, Get); 9] = [
        ("acwr_rac", |d| d.acwr_rac),
        ("acwr_rau", |d| d.acwr_rau),
        ("acwr_ewma", |d| d.acwr_ewma),
        ("monotony", |d| d.monotony),
        ("strain", |d| d.strain),
        ("ctl", |d| Some(d.ctl)),
        ("atl", |d| Some(d.atl)),
        ("tsb", |d| Some(d.tsb)),
        ("ramp", |d| Some(d.ramp)),
    ];
    let mut defined = [0usize; 9];
    for (d, row) in days.iter().zip(&rows) {
        for (k, (name, get)) in fields.iter().enumerate() {
            let mine = get(d);
            assert!(
                close(mine, &row[name]),
                "{} {name}: soleus {mine:?}, reference {}",
                d.date,
                row[name]
            );
            defined[k] += usize::from(mine.is_some());
        }
    }
    // The comparison must cover real values and the undefined cases alike: ratios from day 28
    // on, except where the break empties the chronic window; monotony except in the flat week.
    assert!(
        defined[0] > 300 && defined[0] < days.len() - 27,
        "{defined:?}"
    );
    assert!(
        defined[2] > defined[0],
        "EWMA stays defined through the break"
    );
    assert!(days.iter().any(|d| d.monotony.is_none() && d.load > 0.0));
}
