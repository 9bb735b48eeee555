//! The rehab and return-to-run plan: started by a saved assessment (its top condition, grade
//! and triage) or by a clinician for a known condition, replayed over the runs and check-ins
//! the athlete logs; what to do today; clearances and the calf-strain checklist.
//!
//! A plan is written only when it is started (a saved assessment or `plan start`), as a
//! [`Kind::Plan`] entry keyed by the assessment it follows; reading the plan, today or the
//! report never writes. A red flag recorded with a check-in stops the plan through the triage
//! record written with that check-in.
//!
//! A plan that may not be followed is an answer, not a failure: [`PlanAnswer::Blocked`]
//! carries the way to a clinician (a front end shows it as the page, exit code 0, HTTP 200).

mod events;
mod views;

use chrono::NaiveDate;
use serde::Serialize;
use soleus_model::assess::SavedAssessment;
use soleus_model::clinical::{Condition, Triage};
use soleus_model::plan::{
    Clearance, MuscleChecklist, PlanInput, PlanSource, Side, StoredPlan, build_plan,
};

pub use views::{Blocked, BlockedView, HistoryView, PlanView, ReportPlan, TodayView};

use crate::checkin::triage;
use crate::journal::Entry;
use crate::{App, AppError, Result};

/// The clinician-first message: a red flag with no plan to stop, or a saved assessment that
/// found one and named no condition.
pub const CLINICIAN_FIRST: &str = "The latest check-in or assessment has a red flag: see a clinician first (soleus assess says how soon). No plan is shown until then.";

/// More single-leg heel raises in one set than this is a typo, not a result (the checklist's
/// target is 25; endurance tests of healthy runners stay well below a few hundred).
pub const MAX_RAISES: u32 = 1000;

/// The answer to "what is my plan" (and "what do I do today"): the plan, the way to a
/// clinician when it may not be followed, or no plan yet.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum PlanAnswer<T> {
    /// The plan may be followed: here it is.
    Shown(T),
    /// A red flag or a clearance still to come: only the way to a clinician.
    Blocked(BlockedView),
    /// No plan: none started, or the latest assessment named no condition.
    NoPlan {
        /// Always `null`.
        plan: (),
    },
}

impl<T> PlanAnswer<T> {
    fn no_plan() -> PlanAnswer<T> {
        PlanAnswer::NoPlan { plan: () }
    }
}

/// What saving an assessment did to the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanStarted {
    /// The assessment names no condition: no plan.
    NoCondition,
    /// A red flag comes first and no condition is named: no plan until a clinician has seen
    /// the athlete.
    ClinicianFirst {
        /// The triage level.
        triage: Triage,
    },
    /// A plan was started.
    Started {
        /// Its first day.
        started_on: NaiveDate,
        /// The condition it is for.
        condition: Condition,
        /// Why it may not be followed yet (a red-flag level, suspected bone stress).
        blocked: Option<String>,
        /// The plan it replaces (which stays in the journal with its decisions).
        replaces: Option<(NaiveDate, Condition)>,
    },
}

/// A plan to start for a known condition (`soleus plan start`).
#[derive(Debug, Clone)]
pub struct PlanStart {
    /// The condition.
    pub condition: Condition,
    /// Strain grade 1–3, when known.
    pub grade: Option<u8>,
    /// The triage level.
    pub triage: Triage,
    /// The painful side.
    pub side: Side,
    /// The first day (default today).
    pub on: Option<NaiveDate>,
}

/// The calf-strain return-to-run checklist as measured (`soleus plan checklist`).
#[derive(Debug, Clone, Copy)]
pub struct ChecklistResults {
    /// Single-leg heel raises from the floor on the painful side.
    pub raises: u32,
    /// Side difference in raises, percent.
    pub side_diff_pct: f64,
    /// Pain on pressing the calf, 0–10.
    pub palpation_pain: u8,
    /// Side difference in knee-to-wall distance, percent.
    pub knee_to_wall_diff_pct: f64,
    /// Daily life is pain-free.
    pub daily_life_pain_free: bool,
    /// 30 minutes of brisk walking are pain-free.
    pub brisk_walk_30_pain_free: bool,
}

/// The plan in force.
#[derive(Debug, Clone)]
pub(crate) enum Active {
    /// A plan to follow (or to show blocked).
    Plan(PlanInput, PlanSource),
    /// No plan: the way to a clinician comes first.
    ClinicianFirst(Triage),
    /// No plan.
    None,
}

/// What a saved assessment starts.
enum FromAssessment {
    Plan(PlanInput),
    ClinicianFirst(Triage),
    NoCondition,
}

/// Parses a condition code as people type it (`achilles_midportion`, `MTSS`).
pub fn parse_condition(s: &str) -> Result<Condition> {
    code("condition", s)
}

/// Parses a triage level (`SELF_CARE`, `soon`, `URGENT`, `EMERGENCY`).
pub fn parse_triage(s: &str) -> Result<Triage> {
    code("triage", s)
}

/// Parses a side: `left`, `right` or `both`.
pub fn parse_side(s: &str) -> Result<Side> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_lowercase())).map_err(|e| {
        AppError::invalid(
            "side",
            format!("side {s:?} is not left, right or both: {e}"),
        )
    })
}

fn code<T: serde::de::DeserializeOwned>(what: &'static str, s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_uppercase()))
        .map_err(|e| AppError::invalid(what, format!("{what} {s:?} is not a known code: {e}")))
}

impl App {
    /// Every stored plan, oldest first.
    async fn plans(&self) -> Result<Vec<Entry<StoredPlan>>> {
        let mut plans = self.journal().read::<StoredPlan>().await?;
        plans.sort_by_key(|e| e.id);
        Ok(plans)
    }

    /// The plan in force: the latest plan entry. Only an assessment saved before plans were
    /// stored with it is newer than every plan entry: it is read as the plan it would start,
    /// and nothing is written. With no plan, a same-day or emergency check-in still makes the
    /// answer the way to a clinician.
    pub(crate) async fn active(&self) -> Result<Active> {
        let plan = self.plans().await?.pop();
        let assessment = self
            .journal()
            .read::<SavedAssessment>()
            .await?
            .into_iter()
            .max_by_key(|e| e.id);
        let active = match assessment.filter(|a| plan.as_ref().is_none_or(|p| p.id < a.id)) {
            Some(a) => match self.what_assessment_starts(&a).await? {
                FromAssessment::Plan(input) => Active::Plan(input, PlanSource::Assessment),
                FromAssessment::ClinicianFirst(t) => Active::ClinicianFirst(t),
                FromAssessment::NoCondition => Active::None,
            },
            None => match plan.map(|p| p.body) {
                Some(StoredPlan {
                    input: Some(input),
                    source,
                    ..
                }) => Active::Plan(input, source),
                Some(StoredPlan {
                    clinician_first: Some(t),
                    ..
                }) => Active::ClinicianFirst(t),
                _ => Active::None,
            },
        };
        if let Active::None = active {
            let latest = triage::records(self.journal()).await?.pop();
            if let Some(r) = latest.filter(|r| r.body.record.triage >= Triage::Urgent) {
                return Ok(Active::ClinicianFirst(r.body.record.triage));
            }
        }
        Ok(active)
    }

    /// The level the plan in force was built for, if there is one.
    pub(crate) async fn current_level(&self) -> Result<Option<Triage>> {
        Ok(match self.active().await? {
            Active::Plan(input, _) => Some(input.triage),
            _ => None,
        })
    }

    /// What a saved assessment starts: its top condition, grade and triage.
    async fn what_assessment_starts(&self, a: &Entry<SavedAssessment>) -> Result<FromAssessment> {
        let Some((condition, grade)) = a.body.top() else {
            // A red flag with no condition named still blocks everything.
            return Ok(if a.body.triage >= Triage::Urgent {
                FromAssessment::ClinicianFirst(a.body.triage)
            } else {
                FromAssessment::NoCondition
            });
        };
        let mut input = self
            .plan_input(condition, grade, a.body.triage, Side::Both, a.day)
            .await?;
        input.bone_stress_suspected = a.body.bone_stress_suspected;
        input.history.fluoroquinolone |= a.body.has_flag("FLUOROQUINOLONE_ACHILLES");
        Ok(FromAssessment::Plan(input))
    }

    /// Starts what a just-saved assessment starts, keyed by it: a plan, or the record that it
    /// starts none (so that reading later finds the answer written, not worked out again).
    pub(crate) async fn start_from_assessment(
        &self,
        a: &Entry<SavedAssessment>,
    ) -> Result<PlanStarted> {
        let previous = self.plans().await?.pop().and_then(|p| p.body.input);
        let (stored, outcome) = match self.what_assessment_starts(a).await? {
            FromAssessment::NoCondition => (None, PlanStarted::NoCondition),
            FromAssessment::ClinicianFirst(triage) => {
                (Some(triage), PlanStarted::ClinicianFirst { triage })
            }
            FromAssessment::Plan(input) => {
                let built = build_plan(&input);
                let started = PlanStarted::Started {
                    started_on: input.started_on,
                    condition: built.input.condition,
                    blocked: built.blocked.as_ref().map(|b| b.message.clone()),
                    replaces: previous.map(|p| (p.started_on, p.condition)),
                };
                let body = StoredPlan {
                    input: Some(input),
                    source: PlanSource::Assessment,
                    assessment_id: Some(a.id.0),
                    clinician_first: None,
                };
                self.journal().add(a.day, &body).await?;
                return Ok(started);
            }
        };
        let body = StoredPlan {
            input: None,
            source: PlanSource::Assessment,
            assessment_id: Some(a.id.0),
            clinician_first: stored,
        };
        self.journal().add(a.day, &body).await?;
        Ok(outcome)
    }

    /// Starts a plan for a known condition (for example one a clinician has assessed); it
    /// replaces the plan in force.
    pub async fn start_plan(&self, start: &PlanStart) -> Result<PlanInput> {
        if let Some(g) = start.grade.filter(|g| !(1..=3).contains(g)) {
            return Err(AppError::invalid(
                "grade",
                format!("grade {g} is not 1, 2 or 3"),
            ));
        }
        let on = match start.on {
            Some(d) => d,
            None => self.local_today().await?,
        };
        let input = self
            .plan_input(start.condition, start.grade, start.triage, start.side, on)
            .await?;
        let body = StoredPlan {
            input: Some(input.clone()),
            source: PlanSource::Clinician,
            assessment_id: None,
            clinician_first: None,
        };
        self.journal().add(on, &body).await?;
        // Remembers the first stage, so that a move from it is told.
        self.notify_training_news().await;
        Ok(input)
    }

    /// Records a clinician's clearance (on `on`, default today). It lifts a red flag recorded
    /// with a check-in and the wait of a suspected bone stress injury; it does not lift a plan
    /// started at a same-day or emergency level.
    pub async fn record_clearance(
        &self,
        on: Option<NaiveDate>,
        name: Option<String>,
        note: Option<String>,
    ) -> Result<Clearance> {
        let date = match on {
            Some(d) => d,
            None => self.local_today().await?,
        };
        let clearance = Clearance { date, name, note };
        self.journal().add(date, &clearance).await?;
        self.notify_training_news().await;
        Ok(clearance)
    }

    /// Records the calf-strain return-to-run checklist (on `on`, default today).
    pub async fn record_checklist(
        &self,
        on: Option<NaiveDate>,
        results: &ChecklistResults,
    ) -> Result<MuscleChecklist> {
        if !(results.side_diff_pct.is_finite() && results.knee_to_wall_diff_pct.is_finite()) {
            return Err(AppError::invalid(
                "side_diff_pct",
                "the side differences must be numbers",
            ));
        }
        if results.raises > MAX_RAISES {
            return Err(AppError::invalid(
                "raises",
                format!(
                    "{} heel raises is more than anyone does in one set (at most {MAX_RAISES}); \
                     count the raises of one leg until form breaks",
                    results.raises
                ),
            ));
        }
        if results.palpation_pain > 10 {
            return Err(AppError::invalid(
                "palpation_pain",
                format!("pain score {} is outside 0–10", results.palpation_pain),
            ));
        }
        let date = match on {
            Some(d) => d,
            None => self.local_today().await?,
        };
        let list = MuscleChecklist {
            date,
            raises: results.raises,
            side_diff_pct: results.side_diff_pct,
            palpation_pain: results.palpation_pain,
            knee_to_wall_diff_pct: results.knee_to_wall_diff_pct,
            daily_life_pain_free: results.daily_life_pain_free,
            brisk_walk_30_pain_free: results.brisk_walk_30_pain_free,
        };
        self.journal().add(date, &list).await?;
        self.notify_training_news().await;
        Ok(list)
    }
}
