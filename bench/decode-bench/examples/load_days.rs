//! Benchmark C, the Soleus side: every daily load metric over a 20-year history.
//!
//! `load_days gen CSV` writes the history's daily loads (km per day, one row per day, rest days
//! as 0) as `date,load`; `load_days time CSV [REPS]` reads them back and times `compute_days`
//! over the whole series, printing the median seconds per call and checksums of the three
//! ratios, monotony and strain (sums over the days where each is defined) so the Python side
//! can be seen to compute the same numbers.

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use soleus_model::Sport;
use soleus_model::load::{DailySeries, DayTotals, LoadUnit, RunSummary, compute_days};

/// About 250 runs a year for 20 years, as in the model crate's `load_bench` example (same
/// generator and seed), so the two examples time the same series.
fn history(years: i64) -> (Vec<RunSummary>, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(2006, 1, 2).unwrap();
    let days = years * 365;
    let mut seed: u64 = 42;
    let mut rnd = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut runs = Vec::new();
    for i in 0..days {
        if rnd() < 250.0 / 365.0 {
            let day = first + Duration::days(i);
            let at = Utc.from_utc_datetime(&day.and_hms_opt(6, 30, 0).unwrap());
            let mut r = RunSummary::new(Sport::Run, at);
            r.utc_offset_s = Some(3600);
            r.distance_m = Some(3000.0 + rnd() * 20_000.0);
            r.moving_s = Some(r.distance_m.unwrap() * 0.33);
            r.ascent_m = Some(rnd() * 300.0);
            r.descent_m = r.ascent_m;
            r.hard_s = Some(rnd() * 1200.0);
            runs.push(r);
        }
    }
    (runs, first + Duration::days(days - 1))
}

fn generate(path: &str) {
    let (runs, end) = history(20);
    let tz = |_: DateTime<Utc>| FixedOffset::east_opt(3600).unwrap();
    let series = DailySeries::build(&runs, LoadUnit::Km, &tz, end);
    let first = series.first.expect("the history has runs");
    let mut csv = String::from("date,load\n");
    for (i, d) in series.days.iter().enumerate() {
        // Full precision ({:?} prints the shortest string that reads back as the same f64).
        csv.push_str(&format!(
            "{},{:?}\n",
            first + Duration::days(i as i64),
            d.load
        ));
    }
    std::fs::write(path, csv).expect("writing the CSV");
    println!(
        "{} runs, {} days written to {path}",
        runs.len(),
        series.days.len()
    );
}

fn read(path: &str) -> DailySeries {
    let text = std::fs::read_to_string(path).expect("reading the CSV");
    let mut first = None;
    let mut days = Vec::new();
    for line in text.lines().skip(1) {
        let (d, l) = line.split_once(',').expect("date,load");
        let date: NaiveDate = d.parse().expect("a date");
        first.get_or_insert(date);
        let load: f64 = l.parse().expect("a load");
        days.push(DayTotals {
            load,
            distance_km: load,
            runs: u32::from(load > 0.0),
            ..DayTotals::default()
        });
    }
    let first = first.expect("a day");
    DailySeries {
        unit: LoadUnit::Km,
        first: Some(first),
        end: first + Duration::days(days.len() as i64 - 1),
        days,
        runs_without_load: 0,
    }
}

fn time(path: &str, reps: usize) {
    let series = read(path);
    let first = series.first.expect("a day");
    let mut t = Vec::with_capacity(reps);
    for _ in 0..reps {
        let start = Instant::now();
        black_box(compute_days(black_box(&series), first));
        t.push(start.elapsed().as_secs_f64());
    }
    t.sort_by(f64::total_cmp);
    let m = compute_days(&series, first);
    let sum = |f: &dyn Fn(&soleus_model::load::DayMetrics) -> Option<f64>| -> f64 {
        m.iter().filter_map(f).sum()
    };
    println!("days={}", m.len());
    println!("seconds={:e}", t[reps / 2]);
    println!("sum_rac={:.6}", sum(&|d| d.acwr_rac));
    println!("sum_rau={:.6}", sum(&|d| d.acwr_rau));
    println!("sum_ewma={:.6}", sum(&|d| d.acwr_ewma));
    println!("sum_monotony={:.6}", sum(&|d| d.monotony));
    println!("sum_strain={:.6}", sum(&|d| d.strain));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match (args.first().map(String::as_str), args.get(1)) {
        (Some("gen"), Some(p)) => generate(p),
        (Some("time"), Some(p)) => time(p, args.get(2).and_then(|s| s.parse().ok()).unwrap_or(201)),
        _ => {
            eprintln!("usage: load_days gen CSV | load_days time CSV [REPS]");
            std::process::exit(2);
        }
    }
}
