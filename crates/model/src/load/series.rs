//! The continuous daily series every load metric is computed over, and its ISO-week totals.
//!
//! A run belongs to the local date it started on ([`RunSummary::local_date`]). The series starts
//! on the first day with any activity and runs without gaps to the requested end: rest days are
//! days with zero load, not missing days, so every window of N entries is N calendar days.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

use super::summary::{LoadUnit, RunSummary};

/// The running totals of one calendar day. Only running sports add to them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DayTotals {
    /// Load in the series' unit.
    pub load: f64,
    /// Kilometres run.
    pub distance_km: f64,
    /// Moving seconds.
    pub duration_s: f64,
    /// Metres climbed.
    pub ascent_m: f64,
    /// Metres descended.
    pub descent_m: f64,
    /// Kilometres on grades beyond ±5 %.
    pub hilly_km: f64,
    /// Seconds at hard heart rate.
    pub hard_s: f64,
    /// Number of runs started that day.
    pub runs: u32,
    /// The day's longest single run, km.
    pub longest_km: f64,
}

/// Daily totals from the first day with any activity up to `end`, with no gaps.
#[derive(Debug, Clone, PartialEq)]
pub struct DailySeries {
    /// The unit of [`DayTotals::load`].
    pub unit: LoadUnit,
    /// The first day of the series (the first day with any activity), `None` when there is none
    /// on or before `end`.
    pub first: Option<NaiveDate>,
    /// The last day of the series.
    pub end: NaiveDate,
    /// One entry per day from `first` to `end`.
    pub days: Vec<DayTotals>,
    /// Runs whose load could not be computed in `unit` (no RPE, no heart rate): they count 0.
    pub runs_without_load: usize,
}

impl DailySeries {
    /// Buckets `runs` (any order, any sport) into local days up to `end`. `tz` gives the
    /// athlete's offset for runs whose file did not record its own. Activities after `end` are
    /// ignored; activities of other sports start the series but add no load.
    pub fn build(
        runs: &[RunSummary],
        unit: LoadUnit,
        tz: &dyn Fn(DateTime<Utc>) -> FixedOffset,
        end: NaiveDate,
    ) -> DailySeries {
        let dated: Vec<(NaiveDate, &RunSummary)> = runs
            .iter()
            .map(|r| (r.local_date(tz), r))
            .filter(|(d, _)| *d <= end)
            .collect();
        let first = dated.iter().map(|(d, _)| *d).min();
        let len = first.map_or(0, |f| (end - f).num_days() as usize + 1);
        let mut days = vec![DayTotals::default(); len];
        let mut runs_without_load = 0;
        for (d, r) in dated {
            if !r.sport.is_running() {
                continue;
            }
            let t = &mut days[(d - first.unwrap_or(d)).num_days() as usize];
            match r.load(unit) {
                Some(l) if l.is_finite() => t.load += l.max(0.0),
                _ => runs_without_load += 1,
            }
            let km = r.km();
            t.distance_km += km;
            t.duration_s += r.moving_s.unwrap_or(0.0).max(0.0);
            t.ascent_m += r.ascent_m.unwrap_or(0.0).max(0.0);
            t.descent_m += r.descent_m.unwrap_or(0.0).max(0.0);
            t.hilly_km += r.hilly_km.unwrap_or(0.0).max(0.0);
            t.hard_s += r.hard_s.unwrap_or(0.0).max(0.0);
            t.runs += 1;
            t.longest_km = t.longest_km.max(km);
        }
        DailySeries {
            unit,
            first,
            end,
            days,
            runs_without_load,
        }
    }

    /// The totals of `day`: zeros before the series starts, `None` after its end.
    pub fn get(&self, day: NaiveDate) -> Option<DayTotals> {
        if day > self.end {
            return None;
        }
        match self.first {
            Some(f) if day >= f => self.days.get((day - f).num_days() as usize).copied(),
            _ => Some(DayTotals::default()),
        }
    }

    /// Sums `f` over the days `from..=to` (clipped to the series; days before it are zero).
    pub fn sum(&self, from: NaiveDate, to: NaiveDate, f: impl Fn(&DayTotals) -> f64) -> f64 {
        let Some(first) = self.first else { return 0.0 };
        let (lo, hi) = (from.max(first), to.min(self.end));
        if lo > hi {
            return 0.0;
        }
        let (a, b) = (
            (lo - first).num_days() as usize,
            (hi - first).num_days() as usize,
        );
        self.days[a..=b].iter().map(f).sum()
    }
}

/// One ISO week (Monday to Sunday) of running.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekSummary {
    /// The Monday the week starts on.
    pub week_start: NaiveDate,
    /// Kilometres run.
    pub distance_km: f64,
    /// Number of runs.
    pub runs: u32,
    /// Change in distance from the previous ISO week, percent; `null` when that week had none.
    pub change_pct: Option<f64>,
    /// Metres climbed.
    pub ascent_m: f64,
    /// The longest single run, km.
    pub longest_run_km: f64,
    /// The week's load in the report's unit (runs without that unit's input add nothing).
    pub load: f64,
}

/// The Monday of the ISO week containing `d`.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// ISO weeks from the one containing `from` to the one containing the series' end. A week that
/// starts before `from` is still counted whole, and the last week holds the days up to the end.
pub fn weeks(series: &DailySeries, from: NaiveDate) -> Vec<WeekSummary> {
    let mut out = Vec::new();
    let mut monday = week_start(from.min(series.end));
    let total = |m: NaiveDate| series.sum(m, m + Duration::days(6), |t| t.distance_km);
    let mut prev = total(monday - Duration::days(7));
    while monday <= series.end {
        let mut w = WeekSummary {
            week_start: monday,
            distance_km: 0.0,
            runs: 0,
            change_pct: None,
            ascent_m: 0.0,
            longest_run_km: 0.0,
            load: 0.0,
        };
        for i in 0..7 {
            if let Some(t) = series.get(monday + Duration::days(i)) {
                w.distance_km += t.distance_km;
                w.runs += t.runs;
                w.ascent_m += t.ascent_m;
                w.longest_run_km = w.longest_run_km.max(t.longest_km);
                w.load += t.load;
            }
        }
        w.change_pct = (prev > 0.0).then(|| (w.distance_km - prev) / prev * 100.0);
        prev = w.distance_km;
        out.push(w);
        monday += Duration::days(7);
    }
    out
}
