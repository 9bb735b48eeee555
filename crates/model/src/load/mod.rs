//! Training load: daily series, ratios, monotony, fitness/fatigue and progression checks.
//!
//! The engine works from [`RunSummary`] values (one per activity, computed once at import), so
//! recomputing after a new import never re-reads samples. Every formula and convention is the
//! one in knowledge/load-metrics.md; the progression checks and their thresholds are data
//! (`data/load_rules.toml`) with a reference key on each rule.
//!
//! ```
//! use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
//! use soleus_model::Sport;
//! use soleus_model::load::{LoadUnit, RunSummary, load_report};
//!
//! let mut run = RunSummary::new(Sport::Run, Utc.with_ymd_and_hms(2026, 5, 1, 6, 0, 0).unwrap());
//! run.distance_m = Some(10_000.0);
//! let home = |_| FixedOffset::east_opt(2 * 3600).unwrap();
//! let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
//! let report = load_report(&[run], LoadUnit::Km, &home, day, day);
//! assert_eq!(report.days[0].load, 10.0);
//! assert_eq!(report.days[0].acwr_rac, None); // no ratio before 28 days of history
//! ```

mod metrics;
mod risk;
mod risk_more;
mod rules;
mod samples;
mod series;
mod summary;

pub use metrics::{
    ACUTE_DAYS, ATL_TAU, CHRONIC_DAYS, CONVENTIONS, CTL_TAU, Conventions, DayMetrics, compute_days,
};
pub use risk::{Finding, PainCheckIn, RiskInput, RiskReport, Severity, risk, risk_over};
pub use rules::{Rule, Rules, RulesError};
pub use samples::{
    GRADE_STRETCH_M, HILL_GRADE, HrProfile, Sex, hill_and_intensity, trimp_banister, trimp_edwards,
};
pub use series::{DailySeries, DayTotals, WeekSummary, week_start, weeks};
pub use summary::{LoadUnit, RPE_MAX, RunSummary, rpe_on_scale};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

/// The `soleus load --json` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoadReport {
    /// The load unit.
    pub unit: LoadUnit,
    /// How each number was computed.
    pub conventions: Conventions,
    /// One entry per day of the requested range.
    pub days: Vec<DayMetrics>,
    /// The ISO weeks overlapping the requested range.
    pub weeks: Vec<WeekSummary>,
    /// Runs in the requested range.
    pub runs_in_range: usize,
    /// Of those, runs without the input the unit needs (no RPE for `srpe`, no heart rate for
    /// `trimp`): they add no load, so the unit's totals and ratios undercount them.
    pub runs_without_input: usize,
}

/// Builds the daily series up to `to` and reports the days `from..=to` and their ISO weeks.
pub fn load_report(
    runs: &[RunSummary],
    unit: LoadUnit,
    tz: &dyn Fn(DateTime<Utc>) -> FixedOffset,
    from: NaiveDate,
    to: NaiveDate,
) -> LoadReport {
    let series = DailySeries::build(runs, unit, tz, to);
    let in_range: Vec<&RunSummary> = runs
        .iter()
        .filter(|r| r.sport.is_running())
        .filter(|r| (from..=to).contains(&r.local_date(tz)))
        .collect();
    LoadReport {
        unit,
        conventions: CONVENTIONS,
        days: compute_days(&series, from),
        weeks: weeks(&series, from),
        runs_in_range: in_range.len(),
        runs_without_input: in_range
            .iter()
            .filter(|r| r.load(unit).is_none_or(|l| !l.is_finite()))
            .count(),
    }
}
