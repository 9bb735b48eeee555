//! Times the load engine on a synthetic 20-year history of about 5,000 runs:
//! `cargo run --release -p soleus-model --example load_bench`.
//! Prints microseconds per year of history for building the daily series, computing every
//! daily metric, the ISO weeks, and a full risk report.

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use soleus_model::Sport;
use soleus_model::load::{
    DailySeries, LoadUnit, RiskInput, Rules, RunSummary, compute_days, risk, weeks,
};

fn history(years: i64) -> (Vec<RunSummary>, NaiveDate, NaiveDate) {
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
        // About 250 runs a year: 5,000 over 20 years.
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
    (runs, first, first + Duration::days(days - 1))
}

fn time<T>(reps: u32, mut f: impl FnMut() -> T) -> f64 {
    let t = Instant::now();
    for _ in 0..reps {
        black_box(f());
    }
    t.elapsed().as_secs_f64() * 1e6 / f64::from(reps)
}

fn main() {
    let years = 20;
    let (runs, first, end) = history(years);
    let tz = |_: DateTime<Utc>| FixedOffset::east_opt(3600).unwrap();
    let series = DailySeries::build(&runs, LoadUnit::Km, &tz, end);
    let reps = 200;
    let build = time(reps, || DailySeries::build(&runs, LoadUnit::Km, &tz, end));
    let days = time(reps, || compute_days(&series, first));
    let wk = time(reps, || weeks(&series, first));
    let input = RiskInput {
        runs: &runs,
        tz: &tz,
        pain: &[],
        usual_drop_mm: None,
        footwear_allowed_pct: None,
    };
    let rules = Rules::builtin();
    let rk = time(reps, || risk(end, &input, rules));
    let y = years as f64;
    println!(
        "{} runs over {years} years ({} days)",
        runs.len(),
        series.days.len()
    );
    println!(
        "build series : {build:9.1} µs total, {:7.2} µs per year",
        build / y
    );
    println!(
        "compute_days : {days:9.1} µs total, {:7.2} µs per year",
        days / y
    );
    println!(
        "weeks        : {wk:9.1} µs total, {:7.2} µs per year",
        wk / y
    );
    println!("risk (1 day) : {rk:9.1} µs total");
}
