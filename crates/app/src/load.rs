//! Training load, the overload checks and session RPE, over the stored activity summaries
//! (samples are never re-read).

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use soleus_model::load::{
    self, LoadReport, LoadUnit, PainCheckIn, RiskInput, RiskReport, Rules, RunSummary,
};
use soleus_model::units::DistanceUnit;
use soleus_store::ActivityId;

use crate::profile::Clock;
use crate::{App, AppError, Result};

/// The most days one load report covers: every day is a row, and a century of empty days is
/// gigabytes of JSON.
pub const MAX_RANGE_DAYS: i64 = 20 * 366;

/// Which days a load report covers.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadQuery {
    /// One day; overrides `from` and `to`.
    pub on: Option<NaiveDate>,
    /// First day (default: 12 weeks before `to`).
    pub from: Option<NaiveDate>,
    /// Last day (default: today).
    pub to: Option<NaiveDate>,
}

/// `load`: the report (serialised as itself) and what a front end needs to show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoadView {
    /// Daily and weekly load, the three acute:chronic ratios, monotony, strain,
    /// fitness/fatigue/form.
    #[serde(flatten)]
    pub report: LoadReport,
    /// The unit the load is in.
    #[serde(skip)]
    pub unit: LoadUnit,
    /// The first day.
    #[serde(skip)]
    pub from: NaiveDate,
    /// The last day.
    #[serde(skip)]
    pub to: NaiveDate,
    /// The athlete's distance unit.
    #[serde(skip)]
    pub units: DistanceUnit,
}

/// The session RPE recorded.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RpeSaved {
    /// The activity.
    pub activity: ActivityId,
    /// CR-10 rating.
    pub rpe: u8,
}

/// Checks a session RPE on the CR-10 scale: 0 (rest) to 10 (maximal).
pub fn check_rpe(rating: u8) -> Result<u8> {
    if !load::rpe_on_scale(rating) {
        return Err(AppError::invalid(
            "rpe",
            format!("RPE {rating} is outside the CR-10 scale: use 0 (rest) to 10 (maximal effort)"),
        ));
    }
    Ok(rating)
}

impl App {
    /// Every activity's load summary, oldest first.
    pub async fn summaries(&self) -> Result<Vec<RunSummary>> {
        Ok(self
            .store
            .summaries()
            .await?
            .into_iter()
            .map(|r| r.summary)
            .collect())
    }

    /// The load report for a range of days in a load unit (`km`, `minutes`, `trimp`, `srpe`).
    pub async fn load_report(&self, query: LoadQuery, unit: &str) -> Result<LoadView> {
        let unit = LoadUnit::parse(unit).ok_or_else(|| {
            AppError::invalid(
                "unit",
                format!("unit {unit:?} is not one of: km, minutes, trimp, srpe"),
            )
        })?;
        let athlete = self.athlete().await?;
        let clock = Clock::of(&athlete)?;
        let (from, to) = match (query.on, query.from, query.to) {
            (Some(d), _, _) => (d, d),
            (None, from, to) => {
                let to = to.unwrap_or_else(|| clock.today());
                (from.unwrap_or(to - Duration::days(12 * 7 - 1)), to)
            }
        };
        if from > to {
            return Err(AppError::invalid(
                "from",
                format!("--from {from} is after --to {to}"),
            ));
        }
        if (to - from).num_days() >= MAX_RANGE_DAYS {
            return Err(AppError::invalid(
                "from",
                format!(
                    "--from {from} --to {to} spans {} days; the most one report covers is \
                     {MAX_RANGE_DAYS} days (20 years)",
                    (to - from).num_days() + 1
                ),
            ));
        }
        let runs = self.summaries().await?;
        let report = load::load_report(&runs, unit, &|t| clock.offset(t), from, to);
        Ok(LoadView {
            report,
            unit,
            from,
            to,
            units: athlete.units,
        })
    }

    /// The pain check-ins the overload checks read: each check-in's pain during and after
    /// the run and the next morning.
    pub(crate) async fn pain_checkins(&self) -> Result<Vec<PainCheckIn>> {
        Ok(self
            .checkin_entries()
            .await?
            .iter()
            .map(|e| {
                let pain = e.body.pain.clone().unwrap_or_default();
                PainCheckIn {
                    date: e.day,
                    during_run: pain.during_run.map(|p| p.get()),
                    after_run: pain.after_run.map(|p| p.get()),
                    next_morning: pain.next_morning.map(|p| p.get()),
                }
            })
            .collect())
    }

    /// The overload checks for a day (default today), in the athlete's units.
    pub async fn risk_report(&self, on: Option<NaiveDate>) -> Result<RiskReport> {
        let athlete = self.athlete().await?;
        let clock = Clock::of(&athlete)?;
        let on = on.unwrap_or_else(|| clock.today());
        let runs = self.summaries().await?;
        let pain = self.pain_checkins().await?;
        let usual_drop_mm = match &athlete.usual_shoe {
            Some(name) => self
                .store
                .shoes()
                .await?
                .into_iter()
                .find(|s| &s.spec.name == name)
                .and_then(|s| s.spec.drop_mm),
            None => None,
        };
        let footwear_allowed_pct = self.footwear_allowed_pct(&athlete, on).await?;
        let input = RiskInput {
            runs: &runs,
            tz: &|t| clock.offset(t),
            pain: &pain,
            usual_drop_mm,
            footwear_allowed_pct,
        };
        Ok(load::risk(on, &input, Rules::builtin()).in_units(athlete.units, Rules::builtin()))
    }

    /// Records how hard a session felt (CR-10 RPE, 0–10), for session-RPE load.
    pub async fn set_rpe(&self, activity: ActivityId, rating: u8) -> Result<RpeSaved> {
        let rpe = check_rpe(rating)?;
        self.store.set_rpe(activity, Some(rpe)).await?;
        Ok(RpeSaved { activity, rpe })
    }
}
