//! The runner's own load, as an assessment and the clinic report read it: the overload checks
//! on a day (the `soleus risk` report), over the stored summaries, the check-ins' pain and the
//! lower-drop shoe transition.

use chrono::{Duration, NaiveDate};
use soleus_model::assess::{CheckIn, LoadFinding};
use soleus_model::athlete::Athlete;
use soleus_model::load::{self, PainCheckIn, RiskInput, RiskReport, Rules, RunSummary};
use soleus_model::plan::{HEAVIER_KG, PlanHistory};
use soleus_model::shoes::{self, Shoe, ShoeRun, TransitionInput};

use crate::journal::{Entry, Kind};
use crate::profile::Clock;
use crate::{App, Result};

/// Retirement distance when a shoe has none: the upper end of the 500–800 km usually quoted
/// (a Soleus convention; no study sets a number).
const DEFAULT_RETIRE_KM: f64 = 800.0;

impl App {
    /// Every activity's load summary.
    pub(crate) async fn stored_summaries(&self) -> Result<Vec<RunSummary>> {
        Ok(self
            .store
            .summaries()
            .await?
            .into_iter()
            .map(|r| r.summary)
            .collect())
    }

    /// The overload checks on `on`, in the athlete's units.
    pub(crate) async fn overload_checks_on(&self, on: NaiveDate) -> Result<RiskReport> {
        let athlete = self.athlete().await?;
        let clock = Clock::of(&athlete)?;
        let tz = move |t| clock.offset(t);
        let runs = self.stored_summaries().await?;
        let checkins = self.checkin_entries().await?;
        let pain: Vec<PainCheckIn> = checkins
            .iter()
            .map(|e| {
                let p = e.body.pain.clone().unwrap_or_default();
                PainCheckIn {
                    date: e.day,
                    during_run: p.during_run.map(|s| s.get()),
                    after_run: p.after_run.map(|s| s.get()),
                    next_morning: p.next_morning.map(|s| s.get()),
                }
            })
            .collect();
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
            .footwear_allowed_pct(&athlete, clock, &checkins, on)
            .await?;
        let input = RiskInput {
            runs: &runs,
            tz: &tz,
            pain: &pain,
            usual_drop_mm,
            footwear_allowed_pct,
        };
        Ok(load::risk(on, &input, Rules::builtin()).in_units(athlete.units, Rules::builtin()))
    }

    /// The runner's load warnings up to a check-in's day.
    pub(crate) async fn load_findings(&self, c: &CheckIn) -> Result<Vec<LoadFinding>> {
        Ok(LoadFinding::from_report(
            &self.overload_checks_on(c.date).await?,
        ))
    }

    /// The share of weekly km the lower-drop transition plan allows on `on`, when the usual
    /// shoe has a known drop and a shoe at least [`shoes::LOWER_DROP_MM`] lower has been worn
    /// (for the FOOTWEAR_TRANSITION_FAST check).
    async fn footwear_allowed_pct(
        &self,
        athlete: &Athlete,
        clock: Clock,
        checkins: &[Entry<CheckIn>],
        on: NaiveDate,
    ) -> Result<Option<f64>> {
        let Some(usual_name) = athlete.usual_shoe.as_deref() else {
            return Ok(None);
        };
        let today = clock.today();
        let rows = self.store.shoes().await?;
        let Some(usual) = rows
            .iter()
            .find(|r| r.spec.name == usual_name)
            .and_then(|r| r.spec.drop_mm)
        else {
            return Ok(None);
        };
        let tz = move |t| clock.offset(t);
        let runs: Vec<ShoeRun> = self
            .store
            .summaries()
            .await?
            .into_iter()
            .filter(|r| r.summary.sport.is_on_foot())
            .map(|r| ShoeRun {
                date: r.summary.local_date(&tz),
                km: r.summary.km(),
                shoe_id: r.shoe_id,
                gear_name: None,
            })
            .collect();
        let all: Vec<Shoe> = rows
            .iter()
            .map(|r| {
                // A shoe created from a Strava gear name has no start day: its first run is one.
                let first_run = runs
                    .iter()
                    .filter(|x| x.shoe_id == Some(r.id))
                    .map(|x| x.date)
                    .min();
                Shoe {
                    id: r.id,
                    brand: r.spec.brand.clone().unwrap_or_default(),
                    model: r.spec.model.clone().unwrap_or_default(),
                    name: r.spec.name.clone(),
                    drop_mm: r.spec.drop_mm.unwrap_or(0.0),
                    stack_mm: r.spec.stack_mm,
                    started_on: r.spec.started_on.or(first_run).unwrap_or(today),
                    retire_km: r.spec.retire_km.unwrap_or(DEFAULT_RETIRE_KM),
                    retired_on: r.retired.then_some(today),
                    default: r.is_default,
                }
            })
            .collect();
        // Runs on the shoe each counts on (assigned, or the default worn that day); shoes whose
        // drop is known, none the default since the default-shoe rule is already applied.
        let runs: Vec<ShoeRun> = runs
            .iter()
            .map(|r| ShoeRun {
                shoe_id: shoes::assign(&all, r),
                ..r.clone()
            })
            .collect();
        let known: Vec<Shoe> = all
            .iter()
            .zip(&rows)
            .filter(|(_, r)| r.spec.drop_mm.is_some())
            .map(|(s, _)| Shoe {
                default: false,
                ..s.clone()
            })
            .collect();
        // The lowest-drop shoe that has been run in and counts as lower-drop; its first use (or
        // its start day, if earlier) starts the transition.
        let Some((target, start)) = known
            .iter()
            .filter(|s| s.drop_mm <= usual - shoes::LOWER_DROP_MM)
            .filter_map(|s| {
                let first = runs
                    .iter()
                    .filter(|r| r.shoe_id == Some(s.id))
                    .map(|r| r.date)
                    .min()?;
                Some((s, first.min(s.started_on)))
            })
            .min_by(|a, b| a.0.drop_mm.total_cmp(&b.0.drop_mm))
        else {
            return Ok(None);
        };
        // Usual weekly km: the four weeks before the transition started.
        let weekly_km = runs
            .iter()
            .filter(|r| r.date < start && r.date >= start - Duration::days(28))
            .map(|r| r.km)
            .sum::<f64>()
            / 4.0;
        let history = PlanHistory {
            achilles: achilles_history(checkins),
            heavier_runner: athlete.weight_kg.is_some_and(|w| w > HEAVIER_KG),
            bone_stress: athlete.bone_stress_injuries > 0,
            ..PlanHistory::default()
        };
        let plan = shoes::transition_plan(&TransitionInput {
            start,
            usual_drop_mm: usual,
            target_drop_mm: target.drop_mm,
            history,
            weekly_km: (weekly_km > 0.0).then_some(weekly_km),
        });
        Ok(Some(plan.allowed_pct_on(on)))
    }

    /// Every stored check-in, oldest day first.
    pub(crate) async fn checkin_entries(&self) -> Result<Vec<Entry<CheckIn>>> {
        self.journal().read(Kind::CheckIn).await
    }
}

/// Earlier Achilles problems named in any check-in's history.
pub(crate) fn achilles_history(checkins: &[Entry<CheckIn>]) -> bool {
    checkins.iter().any(|e| {
        e.body
            .history
            .as_ref()
            .and_then(|h| h.previous_injuries.as_ref())
            .is_some_and(|list| {
                list.iter()
                    .any(|c| soleus_model::assess::condition_code(*c).starts_with("ACHILLES"))
            })
    })
}
