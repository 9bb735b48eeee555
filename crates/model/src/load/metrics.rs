//! Daily load metrics, exactly as knowledge/load-metrics.md defines them: the three ACWR forms,
//! Foster's monotony and strain, and the impulse-response fitness/fatigue/form model.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::series::DailySeries;

/// Acute window, days.
pub const ACUTE_DAYS: usize = 7;
/// Chronic window, days; no ratio is given before this many days of history.
pub const CHRONIC_DAYS: usize = 28;
/// CTL time constant, days.
pub const CTL_TAU: f64 = 42.0;
/// ATL time constant, days.
pub const ATL_TAU: f64 = 7.0;

/// Every metric of one day. `None` (JSON `null`) where the value is undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayMetrics {
    /// The local calendar day.
    pub date: NaiveDate,
    /// The day's load in the report's unit.
    pub load: f64,
    /// Kilometres run.
    pub distance_km: f64,
    /// Moving seconds.
    pub duration_s: f64,
    /// Metres climbed.
    pub ascent_m: f64,
    /// Metres descended.
    pub descent_m: f64,
    /// Number of runs.
    pub runs: u32,
    /// Coupled rolling-average ratio: mean of the last 7 days over mean of the last 28.
    pub acwr_rac: Option<f64>,
    /// Uncoupled rolling-average ratio: mean of the last 7 days over mean of the 21 before them.
    pub acwr_rau: Option<f64>,
    /// EWMA ratio (Williams 2017), λ = 2/(N+1).
    pub acwr_ewma: Option<f64>,
    /// Foster monotony over the 7 days ending today (sample sd).
    pub monotony: Option<f64>,
    /// Foster strain: 7-day sum × monotony.
    pub strain: Option<f64>,
    /// Chronic training load ("fitness").
    pub ctl: f64,
    /// Acute training load ("fatigue").
    pub atl: f64,
    /// Training stress balance ("form") going into the day: yesterday's CTL − ATL.
    pub tsb: f64,
    /// CTL today minus CTL seven days ago.
    pub ramp: f64,
}

/// The conventions behind the numbers, printed next to them so they can be compared with other
/// tools that choose differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conventions {
    /// Which calendar day a run belongs to.
    pub day: &'static str,
    /// Which activities count.
    pub sports: &'static str,
    /// Coupled ratio.
    pub acwr_rac: &'static str,
    /// Uncoupled ratio.
    pub acwr_rau: &'static str,
    /// EWMA ratio.
    pub acwr_ewma: &'static str,
    /// When a ratio is given at all.
    pub acwr_history: &'static str,
    /// The evidence caveat.
    pub acwr_note: &'static str,
    /// Monotony.
    pub monotony: &'static str,
    /// Strain.
    pub strain: &'static str,
    /// CTL.
    pub ctl: &'static str,
    /// ATL.
    pub atl: &'static str,
    /// TSB.
    pub tsb: &'static str,
    /// Ramp.
    pub ramp: &'static str,
    /// Weeks.
    pub weeks: &'static str,
}

/// The conventions this module implements.
pub const CONVENTIONS: Conventions = Conventions {
    day: "a run belongs to the local date it started on, in the recording's own UTC offset when \
          the file has one, else the athlete's time zone",
    sports: "only run, trail_run, treadmill and track add load; other activities add nothing",
    acwr_rac: "mean(L[d-6..d]) / mean(L[d-27..d])",
    acwr_rau: "mean(L[d-6..d]) / mean(L[d-27..d-7])",
    acwr_ewma: "E_d = λ·L_d + (1−λ)·E_(d−1), λ = 2/(N+1), N = 7 and 28, each seeded with the \
                first day's load; ratio = acute / chronic",
    acwr_history: "no ratio before 28 days of history; a zero chronic load gives null",
    acwr_note: "CONTESTED (Lolli19; Impellizzeri20): information only, never a gate; the 0.8–1.3 \
                and ≥1.5 bands (Gabbett16) are not clinical thresholds",
    monotony: "mean / sample sd (n−1) of the 7 days ending on d, rest days as 0; null when the sd \
               is 0 or before 7 days of history; no cap",
    strain: "7-day sum × monotony",
    ctl: "CTL_d = CTL_(d−1)·k + L_d·(1−k), k = e^(−1/42), starting at 0",
    atl: "ATL_d = ATL_(d−1)·k + L_d·(1−k), k = e^(−1/7), starting at 0",
    tsb: "TSB_d = CTL_(d−1) − ATL_(d−1), form going into day d",
    ramp: "CTL_d − CTL_(d−7), CTL being 0 before the first activity",
    weeks: "ISO weeks, Monday to Sunday; change_pct against the previous week, null when it had \
            no distance",
};

/// Mean over sd (sample, n − 1) of a window; `None` when every value is equal (sd = 0). The
/// equality test is explicit because a rounded mean of equal values can leave a tiny sd.
fn monotony(w: &[f64]) -> Option<f64> {
    if w.iter().all(|&x| x == w[0]) {
        return None;
    }
    let n = w.len() as f64;
    let mean = w.iter().sum::<f64>() / n;
    let var = w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Some(mean / var.sqrt())
}

fn ratio(acute: f64, chronic: f64) -> Option<f64> {
    (chronic != 0.0).then(|| acute / chronic)
}

/// Every daily metric from `from` to the series' end. The recursive metrics are run from the
/// series' first day whatever `from` is, so a value never depends on the window asked for.
/// Days before the first activity have zero load, zero CTL/ATL and no ratios.
pub fn compute_days(series: &DailySeries, from: NaiveDate) -> Vec<DayMetrics> {
    let mut out = Vec::with_capacity((series.end - from).num_days().max(0) as usize + 1);
    let mut day = from;
    let first = series.first.unwrap_or(series.end + Duration::days(1));
    while day < first && day <= series.end {
        out.push(DayMetrics {
            date: day,
            load: 0.0,
            distance_km: 0.0,
            duration_s: 0.0,
            ascent_m: 0.0,
            descent_m: 0.0,
            runs: 0,
            acwr_rac: None,
            acwr_rau: None,
            acwr_ewma: None,
            monotony: None,
            strain: None,
            ctl: 0.0,
            atl: 0.0,
            tsb: 0.0,
            ramp: 0.0,
        });
        day += Duration::days(1);
    }
    let loads: Vec<f64> = series.days.iter().map(|t| t.load).collect();
    let (la, lc) = (
        2.0 / (ACUTE_DAYS as f64 + 1.0),
        2.0 / (CHRONIC_DAYS as f64 + 1.0),
    );
    let (k42, k7) = ((-1.0 / CTL_TAU).exp(), (-1.0 / ATL_TAU).exp());
    let (mut ea, mut ec) = (0.0, 0.0);
    let (mut ctl, mut atl) = (0.0, 0.0);
    let mut ctl_hist: Vec<f64> = Vec::with_capacity(loads.len());
    for (i, (&l, t)) in loads.iter().zip(&series.days).enumerate() {
        if i == 0 {
            (ea, ec) = (l, l);
        } else {
            ea = la * l + (1.0 - la) * ea;
            ec = lc * l + (1.0 - lc) * ec;
        }
        let tsb = ctl - atl;
        ctl = ctl * k42 + l * (1.0 - k42);
        atl = atl * k7 + l * (1.0 - k7);
        let ramp = ctl - if i >= 7 { ctl_hist[i - 7] } else { 0.0 };
        ctl_hist.push(ctl);
        let date = first + Duration::days(i as i64);
        if date < from {
            continue;
        }
        let week = (i + 1 >= ACUTE_DAYS).then(|| &loads[i + 1 - ACUTE_DAYS..=i]);
        let acute_sum = week.map(|w| w.iter().sum::<f64>());
        let (mut rac, mut rau, mut ewma) = (None, None, None);
        if i + 1 >= CHRONIC_DAYS {
            let acute = acute_sum.unwrap_or(0.0) / ACUTE_DAYS as f64;
            let before = &loads[i + 1 - CHRONIC_DAYS..i + 1 - ACUTE_DAYS];
            let before_sum: f64 = before.iter().sum();
            rac = ratio(
                acute,
                (before_sum + acute_sum.unwrap_or(0.0)) / CHRONIC_DAYS as f64,
            );
            rau = ratio(acute, before_sum / (CHRONIC_DAYS - ACUTE_DAYS) as f64);
            ewma = ratio(ea, ec);
        }
        let mono = week.and_then(monotony);
        out.push(DayMetrics {
            date,
            load: l,
            distance_km: t.distance_km,
            duration_s: t.duration_s,
            ascent_m: t.ascent_m,
            descent_m: t.descent_m,
            runs: t.runs,
            acwr_rac: rac,
            acwr_rau: rau,
            acwr_ewma: ewma,
            monotony: mono,
            strain: mono.zip(acute_sum).map(|(m, s)| m * s),
            ctl,
            atl,
            tsb,
            ramp,
        });
    }
    out
}
