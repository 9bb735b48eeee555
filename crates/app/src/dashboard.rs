//! The dashboard: this week against the four before, the overload checks, a red flag in
//! force, and today's work from the plan, as one document for a front page.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use soleus_model::assess::TriageRecord;
use soleus_model::load::{
    CONVENTIONS, DailySeries, DayMetrics, LoadUnit, PainCheckIn, RiskReport, Rules, WeekSummary,
    compute_days, week_start, weeks,
};

use crate::load::pain_of;
use crate::plan::{PlanAnswer, TodayView};
use crate::{App, Result};

/// How many whole weeks before this one the dashboard compares it with.
pub const WEEKS_BEFORE: usize = 4;
/// Days the dashboard's daily series cover: twelve weeks, enough to see a ratio build.
pub const SERIES_DAYS: i64 = 84;

/// The acute:chronic band the literature popularised (Gabbett16), from the load rules, so a
/// chart can shade it and label it contested; nothing reads it as a gate.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContestedBand {
    /// The band's lower edge.
    pub low: f64,
    /// Its upper edge.
    pub high: f64,
    /// The ratio once called the "danger zone".
    pub danger: f64,
    /// Where the band comes from.
    pub reference: &'static str,
    /// Why it is contested, as the load report's conventions say it.
    pub note: &'static str,
}

impl ContestedBand {
    /// The band in the built-in rules, when they give one.
    pub fn builtin(note: &'static str) -> Option<ContestedBand> {
        let r = Rules::builtin().get("ACWR")?;
        let (low, high, danger) = (r.t("band_low"), r.t("band_high"), r.t("danger"));
        (low.is_finite() && high.is_finite() && low < high).then_some(ContestedBand {
            low,
            high,
            danger,
            reference: "Gabbett16",
            note,
        })
    }
}

/// `/api/v1/dashboard`: what a runner looks at first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DashboardView {
    /// The day it is for.
    pub date: NaiveDate,
    /// The ISO week containing `date`, up to `date`.
    pub this_week: WeekSummary,
    /// The four ISO weeks before it, oldest first.
    pub weeks_before: Vec<WeekSummary>,
    /// The mean distance of those four weeks, km.
    pub weeks_before_mean_km: f64,
    /// The overload checks for `date`, in the athlete's units.
    pub risk: RiskReport,
    /// The latest check-in's red flags, when any is in force: the way to a clinician comes
    /// before anything else.
    pub red_flag: Option<TriageRecord>,
    /// The plan's work for `date`, or the way to a clinician, or no plan.
    pub today: PlanAnswer<TodayView>,
    /// Every day of the last [`SERIES_DAYS`] (distance load): the three acute:chronic ratios,
    /// fitness, fatigue and form, for the charts.
    pub days: Vec<DayMetrics>,
    /// The check-ins' pain over the same days.
    pub pain: Vec<PainCheckIn>,
    /// The contested acute:chronic band to shade.
    pub acwr_band: Option<ContestedBand>,
}

impl App {
    /// The dashboard for `on` (default today, in the athlete's time zone). Its parts read the
    /// store once: one read of the summaries and check-ins, one distance series up to `on`
    /// for the weeks, the daily metrics and the overload checks.
    pub async fn dashboard(&self, on: Option<NaiveDate>) -> Result<DashboardView> {
        let data = self.load_data().await?;
        let date = on.unwrap_or_else(|| data.clock.today());
        let tz = data.tz();
        let series = DailySeries::build(&data.runs, LoadUnit::Km, &tz, date);
        let mut weeks = weeks(
            &series,
            week_start(date) - Duration::days(7 * WEEKS_BEFORE as i64),
        );
        let this_week = weeks.pop().unwrap_or(WeekSummary {
            week_start: week_start(date),
            distance_km: 0.0,
            runs: 0,
            change_pct: None,
            ascent_m: 0.0,
            longest_run_km: 0.0,
            load: 0.0,
        });
        let weeks_before_mean_km =
            weeks.iter().map(|w| w.distance_km).sum::<f64>() / WEEKS_BEFORE as f64;
        let first = date - Duration::days(SERIES_DAYS - 1);
        let checkins = self.checkin_entries().await?;
        let pain = pain_of(&checkins)
            .into_iter()
            .filter(|p| p.date >= first && p.date <= date)
            .collect();
        Ok(DashboardView {
            acwr_band: ContestedBand::builtin(CONVENTIONS.acwr_note),
            days: compute_days(&series, first),
            pain,
            date,
            this_week,
            weeks_before: weeks,
            weeks_before_mean_km,
            risk: self.risk_over(&data, &checkins, date, &series).await?,
            red_flag: self.red_flag_in_force().await?,
            today: self.today_of(date, Some(&data.runs)).await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contested_band_comes_from_the_load_rules() {
        let b = ContestedBand::builtin("note").expect("the built-in rules give the band");
        assert_eq!((b.low, b.high, b.danger), (0.8, 1.3, 1.5));
        assert_eq!(b.reference, "Gabbett16");
        let acwr = Rules::builtin().get("ACWR").unwrap();
        assert!(acwr.advice.contains("not clinical thresholds"));
    }
}
