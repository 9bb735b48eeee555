//! The dashboard: this week against the four before, the overload checks, a red flag in
//! force, and today's work from the plan, as one document for a front page.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use soleus_model::assess::TriageRecord;
use soleus_model::load::{RiskReport, WeekSummary, week_start};

use crate::load::LoadQuery;
use crate::plan::{PlanAnswer, TodayView};
use crate::{App, Result};

/// How many whole weeks before this one the dashboard compares it with.
pub const WEEKS_BEFORE: usize = 4;

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
}

impl App {
    /// The dashboard for `on` (default today, in the athlete's time zone).
    pub async fn dashboard(&self, on: Option<NaiveDate>) -> Result<DashboardView> {
        let date = match on {
            Some(d) => d,
            None => self.local_today().await?,
        };
        let from = week_start(date) - Duration::days(7 * WEEKS_BEFORE as i64);
        let load = self
            .load_report(
                LoadQuery {
                    on: None,
                    from: Some(from),
                    to: Some(date),
                },
                "km",
            )
            .await?;
        let mut weeks = load.report.weeks;
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
        Ok(DashboardView {
            date,
            this_week,
            weeks_before: weeks,
            weeks_before_mean_km,
            risk: self.risk_report(Some(date)).await?,
            red_flag: self.red_flag_in_force().await?,
            today: self.today(Some(date)).await?,
        })
    }
}
