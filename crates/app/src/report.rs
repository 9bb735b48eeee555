//! The clinic report: for a clinic visit, the training load and its warnings, the check-ins
//! with their triage, questionnaire results, and the plan with every decision and clearance,
//! over a span of days. Reading only: a report never writes.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use soleus_model::load::{self, DailySeries, Finding, LoadUnit, WeekSummary};
use soleus_model::questionnaires::Scored;
use soleus_model::units::DistanceUnit;

use crate::checkin::CheckinRow;
use crate::plan::ReportPlan;
use crate::{App, AppError, Result};

/// Days a report covers when no first day is given: 12 weeks up to the last.
const DEFAULT_DAYS: i64 = 12 * 7;

/// The most days one report covers: five years.
const MAX_DAYS: i64 = 366 * 5;

/// `soleus report`: everything a clinic visit looks at, for the days `from` to `to`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClinicReport {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The day it was made.
    pub made_on: NaiveDate,
    /// The athlete's distance unit (the weeks are in km; a front end converts).
    pub units: DistanceUnit,
    /// Each week's running, km.
    pub weeks: Vec<WeekSummary>,
    /// The overload warnings on the last day.
    pub warnings: Vec<Finding>,
    /// The check-ins in the span, with their triage.
    pub checkins: Vec<CheckinRow>,
    /// The questionnaire results in the span.
    pub scores: Vec<Scored>,
    /// The plan in force on the last day, its decisions within the span; `None` without one.
    pub plan: Option<ReportPlan>,
}

impl App {
    /// The clinic report from `from` (default: 12 weeks before `to`) to `to` (default today).
    pub async fn clinic_report(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<ClinicReport> {
        let data = self.load_data().await?;
        let made_on = data.clock.today();
        let to = to.unwrap_or(made_on);
        let from = from.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
        if from > to {
            return Err(AppError::invalid(
                "from",
                format!("--from {from} is after --to {to}"),
            ));
        }
        if (to - from).num_days() > MAX_DAYS {
            return Err(AppError::invalid(
                "from",
                "a report covers at most five years: narrow --from and --to",
            ));
        }
        // One read of the summaries and one distance series up to `to`, for the weeks and
        // the overload checks of the last day.
        let series = DailySeries::build(&data.runs, LoadUnit::Km, &data.tz(), to);
        let weeks = load::weeks(&series, from);
        let entries = self.checkin_entries().await?;
        let warnings = self.risk_over(&data, &entries, to, &series).await?.warnings;
        let in_span = |d: NaiveDate| d >= from && d <= to;
        let checkins = self
            .checkin_rows()
            .await?
            .into_iter()
            .filter(|c| in_span(c.checkin.date))
            .collect();
        let scores = self
            .journal()
            .read::<Scored>()
            .await?
            .into_iter()
            .filter(|e| in_span(e.day))
            .map(|e| e.body)
            .collect();
        let plan = self.report_plan(from, to).await?;
        Ok(ClinicReport {
            from,
            to,
            made_on,
            units: data.athlete.units,
            weeks,
            warnings,
            checkins,
            scores,
            plan,
        })
    }
}
