//! Training load, the overload checks and session RPE, over the stored activity summaries
//! (samples are never re-read).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::Serialize;
use soleus_model::assess::CheckIn;
use soleus_model::athlete::Athlete;
use soleus_model::load::{
    self, DailySeries, LoadReport, LoadUnit, PainCheckIn, RiskInput, RiskReport, Rules, RunSummary,
};
use soleus_model::units::DistanceUnit;
use soleus_store::{ActivityId, SummaryRow};

use crate::journal::Entry;
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

/// What the load views read from the store, read once however many parts of a view need it:
/// the profile and its clock, and every activity's summary with its shoe, oldest first.
pub(crate) struct LoadData {
    /// The profile.
    pub athlete: Athlete,
    /// Its clock.
    pub clock: Clock,
    /// Every summary as stored, with its activity and shoe.
    pub rows: Vec<SummaryRow>,
    /// The same summaries, as the load engine takes them.
    pub runs: Vec<RunSummary>,
}

impl LoadData {
    /// The athlete's offset at an instant, for the load engine.
    pub fn tz(&self) -> impl Fn(DateTime<Utc>) -> FixedOffset + use<> {
        let clock = self.clock;
        move |t| clock.offset(t)
    }
}

/// The pain of each check-in, as the overload checks read it: during and after the run, and
/// the next morning.
pub(crate) fn pain_of(checkins: &[Entry<CheckIn>]) -> Vec<PainCheckIn> {
    checkins
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
        .collect()
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

    /// Reads what the load views need, once.
    pub(crate) async fn load_data(&self) -> Result<LoadData> {
        let athlete = self.athlete().await?;
        let clock = Clock::of(&athlete)?;
        let rows = self.store.summaries().await?;
        let runs = rows.iter().map(|r| r.summary.clone()).collect();
        Ok(LoadData {
            athlete,
            clock,
            rows,
            runs,
        })
    }

    /// The load report for a range of days in a load unit (`km`, `minutes`, `trimp`, `srpe`).
    pub async fn load_report(&self, query: LoadQuery, unit: &str) -> Result<LoadView> {
        let unit = LoadUnit::parse(unit).ok_or_else(|| {
            AppError::invalid(
                "unit",
                format!("unit {unit:?} is not one of: km, minutes, trimp, srpe"),
            )
        })?;
        let data = self.load_data().await?;
        let (from, to) = match (query.on, query.from, query.to) {
            (Some(d), _, _) => (d, d),
            (None, from, to) => {
                let to = to.unwrap_or_else(|| data.clock.today());
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
        let report = load::load_report(&data.runs, unit, &data.tz(), from, to);
        Ok(LoadView {
            report,
            unit,
            from,
            to,
            units: data.athlete.units,
        })
    }

    /// The overload checks for a day (default today), in the athlete's units.
    pub async fn risk_report(&self, on: Option<NaiveDate>) -> Result<RiskReport> {
        let data = self.load_data().await?;
        let on = on.unwrap_or_else(|| data.clock.today());
        let checkins = self.checkin_entries().await?;
        let series = DailySeries::build(&data.runs, LoadUnit::Km, &data.tz(), on);
        self.risk_over(&data, &checkins, on, &series).await
    }

    /// The overload checks for `on` over what a view has read: `series` is the distance
    /// series of `data`'s runs up to `on`.
    pub(crate) async fn risk_over(
        &self,
        data: &LoadData,
        checkins: &[Entry<CheckIn>],
        on: NaiveDate,
        series: &DailySeries,
    ) -> Result<RiskReport> {
        let athlete = &data.athlete;
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
        let footwear_allowed_pct = self
            .footwear_allowed_pct(athlete, on, &data.rows, checkins)
            .await?;
        let pain = pain_of(checkins);
        let input = RiskInput {
            runs: &data.runs,
            tz: &data.tz(),
            pain: &pain,
            usual_drop_mm,
            footwear_allowed_pct,
        };
        Ok(load::risk_over(on, &input, series, Rules::builtin())
            .in_units(athlete.units, Rules::builtin()))
    }

    /// Records how hard a session felt (CR-10 RPE, 0–10), for session-RPE load.
    pub async fn set_rpe(&self, activity: ActivityId, rating: u8) -> Result<RpeSaved> {
        let rpe = check_rpe(rating)?;
        self.store.set_rpe(activity, Some(rpe)).await?;
        Ok(RpeSaved { activity, rpe })
    }
}
