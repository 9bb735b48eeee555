//! Shoes: add, list, retire, assign; the share of weekly distance in each heel-drop class; the
//! lower-drop transition against what was really run (knowledge base §4).

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use soleus_model::assess::CheckIn;
use soleus_model::athlete::Athlete;
use soleus_model::load::week_start;
use soleus_model::plan::PlanHistory;
use soleus_model::shoes::{
    self, DropClass, DropShare, FootwearRules, Shoe, ShoeRun, TransitionCheck, TransitionInput,
    TransitionPlan,
};
use soleus_store::{ActivityId, ShoeId, SummaryRow};
pub use soleus_store::{ShoeRow, ShoeSpec};

use crate::journal::Entry;
use crate::profile::Clock;
use crate::{App, AppError, Result};

/// One shoe as `shoes list` shows it: distances by the model's rule (assigned, or the default
/// shoe worn that day), with its retirement reminder.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShoeListed {
    /// Id.
    pub id: ShoeId,
    /// The name it is known by.
    pub name: String,
    /// Brand.
    pub brand: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Heel-to-toe drop, mm.
    pub drop_mm: Option<f64>,
    /// Heel stack, mm.
    pub stack_mm: Option<f64>,
    /// The drop's class.
    pub drop_class: Option<DropClass>,
    /// First day worn (or the first run in it).
    pub started_on: NaiveDate,
    /// Retirement distance, km.
    pub retire_km: f64,
    /// Retired.
    pub retired: bool,
    /// The default shoe.
    pub default: bool,
    /// Distance, km.
    pub km: f64,
    /// Activities counted on it.
    pub activities: usize,
    /// The retirement reminder, when near or past the distance.
    pub reminder: Option<String>,
}

/// A shoe as the person types it (`shoes add`); the ranges are the model's (drop 0–20 mm,
/// stack 0–60 mm, retirement 50–3000 km).
#[derive(Debug, Clone, Default)]
pub struct ShoeInput {
    /// Name (unique per athlete).
    pub name: String,
    /// Brand.
    pub brand: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Drop, mm.
    pub drop_mm: Option<f64>,
    /// Stack, mm.
    pub stack_mm: Option<f64>,
    /// First day worn; a new shoe without one starts today.
    pub started: Option<NaiveDate>,
    /// Retirement distance, km.
    pub retire_km: Option<f64>,
}

/// What `shoes add` did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShoeSaved {
    /// The shoe's id.
    pub id: ShoeId,
    /// Its name.
    pub name: String,
    /// Its drop.
    pub drop_mm: Option<f64>,
    /// Whether a shoe of that name existed and was updated.
    pub updated: bool,
}

/// `shoes transition`: the schedule and this week against it, or why there is none.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum TransitionView {
    /// A transition is under way.
    Plan {
        /// The schedule, cautions and references.
        plan: Box<TransitionPlan>,
        /// The last 7 days against it.
        this_week: TransitionCheck,
    },
    /// No transition: why, in words a runner can act on.
    None {
        /// Always `null`.
        plan: Option<()>,
        /// Why.
        why: String,
    },
}

/// The stored shoes and on-foot runs as the shoe model reads them.
#[derive(Debug)]
pub(crate) struct ShoeData {
    /// As stored.
    pub rows: Vec<ShoeRow>,
    /// Every shoe; a shoe without a drop gets 0 here and is left out of drop figures.
    pub all: Vec<Shoe>,
    /// On-foot activities, local dates, with the shoe the store assigned.
    pub runs: Vec<ShoeRun>,
}

impl ShoeData {
    /// Shoes whose drop is known; none is the default because [`Self::resolved`] has already
    /// applied the default-shoe rule.
    fn with_drop(&self) -> Vec<Shoe> {
        self.all
            .iter()
            .zip(&self.rows)
            .filter(|(_, r)| r.spec.drop_mm.is_some())
            .map(|(s, _)| Shoe {
                default: false,
                ..s.clone()
            })
            .collect()
    }

    /// Runs with the shoe each counts on (assigned, or the default worn that day).
    fn resolved(&self) -> Vec<ShoeRun> {
        self.runs
            .iter()
            .map(|r| ShoeRun {
                shoe_id: shoes::assign(&self.all, r),
                ..r.clone()
            })
            .collect()
    }
}

impl App {
    /// Every shoe with its distance, drop class and retirement reminder.
    pub async fn shoes(&self) -> Result<Vec<ShoeListed>> {
        let athlete = self.athlete().await?;
        let data = self.shoe_data(&athlete).await?;
        let dist = shoes::distances(&data.all, &data.runs);
        Ok(data
            .rows
            .iter()
            .zip(&data.all)
            .zip(&dist)
            .map(|((r, s), d)| ShoeListed {
                id: r.id,
                name: r.spec.name.clone(),
                brand: r.spec.brand.clone(),
                model: r.spec.model.clone(),
                drop_mm: r.spec.drop_mm,
                stack_mm: r.spec.stack_mm,
                drop_class: r.spec.drop_mm.map(DropClass::of),
                started_on: s.started_on,
                retire_km: s.retire_km,
                retired: r.retired,
                default: r.is_default,
                km: d.km,
                activities: d.runs,
                reminder: d.reminder.clone(),
            })
            .collect())
    }

    /// Adds a shoe, or updates the one with this name (fields not given are kept).
    pub async fn add_shoe(&self, input: &ShoeInput) -> Result<ShoeSaved> {
        let name = input.name.trim().to_owned();
        if name.is_empty() {
            return Err(AppError::invalid("name", "a shoe needs a name"));
        }
        let rows = self.store.shoes().await?;
        let existing = rows.iter().find(|r| r.spec.name == name);
        // A new shoe without a start day starts today; an existing one keeps its own.
        let started = match (input.started, existing) {
            (Some(d), _) => Some(d),
            (None, None) => Some(Clock::of(&self.athlete().await?)?.today()),
            (None, Some(_)) => None,
        };
        let spec = ShoeSpec {
            name,
            brand: input.brand.clone(),
            model: input.model.clone(),
            drop_mm: input.drop_mm,
            stack_mm: input.stack_mm,
            started_on: started,
            retire_km: input.retire_km,
        };
        Shoe {
            id: 0,
            brand: String::new(),
            model: String::new(),
            name: spec.name.clone(),
            drop_mm: spec.drop_mm.unwrap_or(0.0),
            stack_mm: spec.stack_mm,
            started_on: started.unwrap_or(NaiveDate::MIN),
            retire_km: spec
                .retire_km
                .unwrap_or(FootwearRules::builtin().retirement.default_km),
            retired_on: None,
            default: false,
        }
        .validate()
        .map_err(|e| AppError::invalid("shoe", e.to_string()))?;
        let id = self.store.save_shoe(&spec).await?;
        Ok(ShoeSaved {
            id,
            name: spec.name,
            drop_mm: spec.drop_mm,
            updated: existing.is_some(),
        })
    }

    /// The shoe a person named, by id or name (case-insensitive).
    pub async fn find_shoe(&self, key: &str) -> Result<ShoeRow> {
        let key = key.trim();
        let by_id = key.parse::<ShoeId>().ok();
        let rows = self.store.shoes().await?;
        let found = rows.iter().position(|r| Some(r.id) == by_id).or_else(|| {
            rows.iter()
                .position(|r| r.spec.name.trim().eq_ignore_ascii_case(key))
        });
        match found {
            Some(i) => Ok(rows.into_iter().nth(i).expect("found above")),
            None => Err(AppError::NotFound {
                what: "shoe",
                id: format!("{key:?}"),
            }),
        }
    }

    /// Retires a shoe (kept for history, no longer the default). Returns it.
    pub async fn retire_shoe(&self, key: &str) -> Result<ShoeRow> {
        let s = self.find_shoe(key).await?;
        self.store.set_shoe_retired(s.id, true).await?;
        Ok(s)
    }

    /// Makes a shoe the default: on-foot activities with no shoe count on it.
    pub async fn set_default_shoe(&self, key: &str) -> Result<ShoeRow> {
        let s = self.find_shoe(key).await?;
        if s.retired {
            return Err(AppError::Conflict(format!(
                "{} is retired and cannot be the default",
                s.spec.name
            )));
        }
        self.store.set_default_shoe(Some(s.id)).await?;
        Ok(s)
    }

    /// Assigns a shoe to one activity.
    pub async fn assign_shoe(&self, activity: ActivityId, key: &str) -> Result<ShoeRow> {
        let s = self.find_shoe(key).await?;
        self.store.set_activity_shoe(activity, Some(s.id)).await?;
        Ok(s)
    }

    /// Share of weekly distance per drop class, oldest week first, ending with this week
    /// (1 to 520 weeks).
    pub async fn drop_shares(&self, weeks: u32) -> Result<Vec<DropShare>> {
        let athlete = self.athlete().await?;
        let data = self.shoe_data(&athlete).await?;
        let monday = week_start(Clock::of(&athlete)?.today());
        let known = data.with_drop();
        let runs = data.resolved();
        Ok((0..weeks.clamp(1, 520))
            .rev()
            .map(|w| {
                shoes::weekly_drop_shares(&known, &runs, monday - Duration::weeks(i64::from(w)))
            })
            .collect())
    }

    /// The lower-drop transition on `on` (default today), or why there is none. A red flag in
    /// force stops this plan too: no change of shoes before a clinician.
    pub async fn shoe_transition(&self, on: Option<NaiveDate>) -> Result<TransitionView> {
        if let Some(r) = self.red_flag_in_force().await? {
            return Ok(TransitionView::None {
                plan: None,
                why: format!(
                    "a red flag from the check-in of {} is in force: see a clinician first; the transition waits until a clinician's clearance or a check-in without it.",
                    r.date
                ),
            });
        }
        let athlete = self.athlete().await?;
        let data = self.shoe_data(&athlete).await?;
        let on = match on {
            Some(d) => d,
            None => Clock::of(&athlete)?.today(),
        };
        let history = PlanHistory {
            achilles: self.achilles_history().await?,
            ..PlanHistory::default()
        };
        Ok(match transition(&data, &athlete, history, on) {
            Some((plan, this_week)) => TransitionView::Plan {
                plan: Box::new(plan),
                this_week,
            },
            None => TransitionView::None {
                plan: None,
                why: missing(&data, &athlete),
            },
        })
    }

    /// Reads shoes and runs from the store.
    pub(crate) async fn shoe_data(&self, athlete: &Athlete) -> Result<ShoeData> {
        let summaries = self.store.summaries().await?;
        self.shoe_data_of(athlete, &summaries).await
    }

    /// Reads the shoes from the store, with the runs of summaries already read.
    pub(crate) async fn shoe_data_of(
        &self,
        athlete: &Athlete,
        summaries: &[SummaryRow],
    ) -> Result<ShoeData> {
        let clock = Clock::of(athlete)?;
        let today = clock.today();
        let runs: Vec<ShoeRun> = summaries
            .iter()
            .filter(|r| r.summary.sport.is_on_foot())
            .map(|r| ShoeRun {
                date: r.summary.local_date(&|t| clock.offset(t)),
                km: r.summary.km(),
                shoe_id: r.shoe_id.map(|s| s.0),
                gear_name: None,
            })
            .collect();
        let rows = self.store.shoes().await?;
        let default_km = FootwearRules::builtin().retirement.default_km;
        let all = rows
            .iter()
            .map(|r| {
                // A shoe created from a Strava gear name has no start day: its first run is one.
                let first_run = runs
                    .iter()
                    .filter(|x| x.shoe_id == Some(r.id.0))
                    .map(|x| x.date)
                    .min();
                Shoe {
                    id: r.id.0,
                    brand: r.spec.brand.clone().unwrap_or_default(),
                    model: r.spec.model.clone().unwrap_or_default(),
                    name: r.spec.name.clone(),
                    drop_mm: r.spec.drop_mm.unwrap_or(0.0),
                    stack_mm: r.spec.stack_mm,
                    started_on: r.spec.started_on.or(first_run).unwrap_or(today),
                    retire_km: r.spec.retire_km.unwrap_or(default_km),
                    retired_on: r.retired.then_some(today),
                    default: r.is_default,
                }
            })
            .collect();
        Ok(ShoeData { rows, all, runs })
    }

    /// Earlier Achilles problems named in any check-in's history.
    pub(crate) async fn achilles_history(&self) -> Result<bool> {
        Ok(crate::checkin::achilles_history(
            &self.checkin_entries().await?,
        ))
    }

    /// The share of weekly km the transition plan allows on `on`, for
    /// FOOTWEAR_TRANSITION_FAST, from the summaries and check-ins the overload checks read.
    pub(crate) async fn footwear_allowed_pct(
        &self,
        athlete: &Athlete,
        on: NaiveDate,
        summaries: &[SummaryRow],
        checkins: &[Entry<CheckIn>],
    ) -> Result<Option<f64>> {
        if athlete.usual_shoe.is_none() {
            return Ok(None);
        }
        let data = self.shoe_data_of(athlete, summaries).await?;
        let history = PlanHistory {
            achilles: crate::checkin::achilles_history(checkins),
            ..PlanHistory::default()
        };
        Ok(transition(&data, athlete, history, on).map(|(p, _)| p.allowed_pct_on(on)))
    }
}

/// The transition plan and this week's check, when the athlete's usual shoe has a known drop
/// and a shoe at least [`shoes::LOWER_DROP_MM`] lower has been worn.
fn transition(
    data: &ShoeData,
    athlete: &Athlete,
    history: PlanHistory,
    on: NaiveDate,
) -> Option<(TransitionPlan, TransitionCheck)> {
    let usual = athlete
        .usual_shoe
        .as_deref()
        .and_then(|n| data.rows.iter().find(|r| r.spec.name == n))
        .and_then(|r| r.spec.drop_mm)?;
    let runs = data.resolved();
    let known = data.with_drop();
    // The lowest-drop shoe that has been run in and counts as lower-drop; its first use (or its
    // start day, if earlier) starts the transition.
    let (target, start) = known
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
        .min_by(|a, b| a.0.drop_mm.total_cmp(&b.0.drop_mm))?;
    // Usual weekly km: the four weeks before the transition started.
    let weekly_km = runs
        .iter()
        .filter(|r| r.date < start && r.date >= start - Duration::days(28))
        .map(|r| r.km)
        .sum::<f64>()
        / 4.0;
    let mut history = history;
    history.heavier_runner |= FootwearRules::builtin().heavier(athlete.weight_kg);
    history.bone_stress |= athlete.bone_stress_injuries > 0;
    let plan = shoes::transition_plan(&TransitionInput {
        start,
        usual_drop_mm: usual,
        target_drop_mm: target.drop_mm,
        history,
        weekly_km: (weekly_km > 0.0).then_some(weekly_km),
    });
    let check = shoes::transition_check(&plan, &known, &runs, on);
    Some((plan, check))
}

/// Why no transition plan could be built, in words a runner can act on.
fn missing(data: &ShoeData, athlete: &Athlete) -> String {
    let usual = athlete
        .usual_shoe
        .as_deref()
        .and_then(|n| data.rows.iter().find(|r| r.spec.name == n));
    match (athlete.usual_shoe.as_deref(), usual) {
        (None, _) => {
            "no usual shoe in your profile (`soleus profile set --usual-shoe NAME`).".into()
        }
        (Some(n), None) => format!("your usual shoe {n:?} is not in `soleus shoes list`."),
        (Some(n), Some(r)) if r.spec.drop_mm.is_none() => {
            format!("your usual shoe {n:?} has no drop (`soleus shoes add {n:?} --drop MM`).")
        }
        (Some(_), Some(r)) => format!(
            "no run yet in a shoe at least {:.0} mm below your usual {:.0} mm ({}).",
            shoes::LOWER_DROP_MM,
            r.spec.drop_mm.unwrap_or(0.0),
            class_words(DropClass::of(r.spec.drop_mm.unwrap_or(0.0)))
        ),
    }
}

/// Words for a drop class.
pub fn class_words(c: DropClass) -> &'static str {
    match c {
        DropClass::Zero => "zero drop",
        DropClass::Low => "low drop, 1-4 mm",
        DropClass::Mid => "mid drop, 5-8 mm",
        DropClass::High => "high drop, 9 mm or more",
    }
}
