//! What the plan use cases answer: the plan with where the athlete stands, its history of
//! decisions, today's prescription, or the way to a clinician. Reading only: nothing here
//! writes.

use chrono::NaiveDate;
use serde::Serialize;
use soleus_model::assess::TriageRecord;
use soleus_model::clinical::Triage;
use soleus_model::load::RunSummary;
use soleus_model::plan::{Clearance, Decision, Plan, PlanSource, PlanState, RunFlag, Today};

use super::events::Replayed;
use super::{Active, CLINICIAN_FIRST, PlanAnswer};
use crate::{App, Result};

/// `soleus plan --json`: the plan, where the athlete stands, and today.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanView {
    /// The id of the stage the athlete is in.
    pub current_stage: String,
    /// The plan: stages with entry and exit criteria, the pain rule, passive treatments.
    pub plan: Plan,
    /// Who started it.
    pub source: PlanSource,
    /// Where it stands after every event.
    pub state: PlanState,
    /// Today's prescription.
    pub today: Today,
}

/// `soleus plan --history --json`: each decision with its reason, the runs that exceeded their
/// stage, and every clearance.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryView {
    /// The plan may not be followed now.
    pub blocked: bool,
    /// Every clinician's clearance.
    pub clearances: Vec<Clearance>,
    /// The stage the athlete is in.
    pub current_stage: Option<String>,
    /// Every decision, oldest first.
    pub decisions: Vec<Decision>,
    /// The runs that exceeded their stage.
    pub flagged_runs: Vec<RunFlag>,
    /// The plan's first day.
    pub started_on: NaiveDate,
}

/// `soleus today --json`: the model's document; when blocked it holds the message and nothing
/// to do.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TodayView {
    /// Today's prescription.
    #[serde(flatten)]
    pub today: Today,
    /// The references of today's stage; `None` when the day has no stage.
    #[serde(skip)]
    pub stage_references: Option<Vec<String>>,
    /// The most pain (0–10, during and after) the plan accepts before it steps back: its
    /// progression model's limit, 0 for bone; `None` for a plan without a model.
    #[serde(skip)]
    pub pain_limit: Option<u8>,
}

/// `{"blocked": …}`: the way to a clinician, and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockedView {
    /// Why, and what to do.
    pub blocked: Blocked,
}

/// Why the plan may not be followed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Blocked {
    /// A recorded clinician's clearance lifts it.
    pub lifted_by_clearance: bool,
    /// What to do.
    pub message: String,
    /// A red flag recorded with a check-in stopped a running plan (absent when there is no
    /// plan to stop).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub red_flag: Option<bool>,
    /// The triage level behind it.
    pub triage: Triage,
}

impl BlockedView {
    /// No plan to follow, and a red flag comes first.
    fn clinician_first(triage: Triage) -> BlockedView {
        BlockedView {
            blocked: Blocked {
                lifted_by_clearance: false,
                message: CLINICIAN_FIRST.to_owned(),
                red_flag: None,
                triage,
            },
        }
    }

    /// A red flag in force that the plan's own replay did not meet: the plan began after the
    /// check-in that raised it (a plan for a known condition started the same day, say). It
    /// waits for a clinician all the same.
    fn flag_in_force(record: &TriageRecord) -> BlockedView {
        let action = match record.triage {
            Triage::Emergency => "call emergency services or go to an emergency department now",
            Triage::Urgent => "see a clinician today",
            Triage::Soon | Triage::SelfCare => "see a clinician within about a week",
        };
        BlockedView {
            blocked: Blocked {
                lifted_by_clearance: true,
                message: format!(
                    "A red flag reported on {} is still in force ({}): {action}. The plan is \
                     stopped: no exercise and no run is shown until a clinician's clearance is \
                     recorded, or a later full check-in answers the same questions without a \
                     red flag.",
                    record.date,
                    record.triage.code()
                ),
                red_flag: Some(true),
                triage: record.triage,
            },
        }
    }

    /// The plan must not be followed yet: a red flag recorded since it started, or its own
    /// level or suspected bone stress waiting for a clinician.
    fn of(view: &Replayed) -> Option<BlockedView> {
        let message = match &view.state.red_flag {
            Some(msg) => msg.clone(),
            None if !view.state.blocked => return None,
            None => view.plan.blocked.as_ref().map_or_else(
                || "See a clinician first; record the clearance (`soleus plan clear --clinician`) to start the plan.".to_owned(),
                |b| b.message.clone(),
            ),
        };
        let red_flag = view.state.red_flag.is_some();
        let lifted_by_clearance = red_flag
            || view
                .plan
                .blocked
                .as_ref()
                .is_some_and(|b| b.lifted_by_clearance);
        Some(BlockedView {
            blocked: Blocked {
                lifted_by_clearance,
                message,
                red_flag: Some(red_flag),
                triage: view.plan.input.triage,
            },
        })
    }
}

/// What a clinic report shows of the plan.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPlan {
    /// The condition in plain words ("a soleus strain or overuse").
    pub condition: &'static str,
    /// The plan's first day.
    pub started_on: NaiveDate,
    /// Where it stands (the stage and since when), or why it is stopped.
    pub status: String,
    /// The decisions within the report's days.
    pub decisions: Vec<Decision>,
    /// Every clinician's clearance.
    pub clearances: Vec<Clearance>,
}

/// The plan in force replayed up to `day`, or the answer that stands in for it.
enum Replay {
    Plan(Box<Replayed>, PlanSource),
    Blocked(BlockedView),
    None,
}

impl App {
    /// The plan in force replayed to `day`, or why none is shown. A red flag in force on
    /// `day` stops the plan however it began: the replay sees the check-ins recorded after
    /// the plan started, and this sees one recorded before it that no clearance has lifted.
    /// `runs` are the summaries a view has already read (`None`: read them).
    async fn replay_active(&self, day: NaiveDate, runs: Option<&[RunSummary]>) -> Result<Replay> {
        let replay = match self.active().await? {
            Active::Plan(input, source) => {
                Replay::Plan(Box::new(self.replayed(&input, day, runs).await?), source)
            }
            Active::ClinicianFirst(t) => Replay::Blocked(BlockedView::clinician_first(t)),
            Active::None => Replay::None,
        };
        if let Replay::Plan(view, _) = &replay
            && BlockedView::of(view).is_none()
            && let Some(flag) = self.red_flag_in_force().await?
            && flag.date <= day
            && flag
                .triage
                .stops_plan(flag.bone_stress_suspected, view.plan.input.triage)
        {
            return Ok(Replay::Blocked(BlockedView::flag_in_force(&flag)));
        }
        Ok(replay)
    }

    /// Where the plan in force stands today, for telling of a move: a key that changes when
    /// the stage does, and the stage in words; `None` without a plan running (none, or one
    /// waiting for a clinician: the red-flag notification tells of that).
    pub(crate) async fn plan_stage_now(&self) -> Result<Option<(String, String)>> {
        let today = self.local_today().await?;
        let Replay::Plan(view, _) = self.replay_active(today, None).await? else {
            return Ok(None);
        };
        if BlockedView::of(&view).is_some() {
            return Ok(None);
        }
        Ok(view.plan.stages.get(view.state.stage).map(|s| {
            (
                format!("{}:{}", view.plan.input.started_on, s.id),
                format!("stage {} ({})", s.id, s.phase),
            )
        }))
    }

    /// The plan in force with where the athlete stands today; blocked, only the way to a
    /// clinician.
    pub async fn plan(&self) -> Result<PlanAnswer<PlanView>> {
        let today = self.local_today().await?;
        Ok(match self.replay_active(today, None).await? {
            Replay::None => PlanAnswer::no_plan(),
            Replay::Blocked(b) => PlanAnswer::Blocked(b),
            Replay::Plan(view, source) => match BlockedView::of(&view) {
                // The level shown is the red flag's when one is in force, not the plan's.
                Some(mut b) => {
                    if let Some(flag) = self.red_flag_in_force().await? {
                        b.blocked.triage = b.blocked.triage.max(flag.triage);
                    }
                    PlanAnswer::Blocked(b)
                }
                None => {
                    let Replayed {
                        plan, state, today, ..
                    } = *view;
                    PlanAnswer::Shown(PlanView {
                        current_stage: plan.stages[state.stage].id.clone(),
                        plan,
                        source,
                        state,
                        today,
                    })
                }
            },
        })
    }

    /// Each decision of the plan in force with its reason, the runs that exceeded their
    /// stage, and every clearance (shown even while the plan is stopped).
    pub async fn plan_history(&self) -> Result<PlanAnswer<HistoryView>> {
        let today = self.local_today().await?;
        Ok(match self.replay_active(today, None).await? {
            Replay::None => PlanAnswer::no_plan(),
            Replay::Blocked(b) => PlanAnswer::Blocked(b),
            Replay::Plan(view, _) => {
                let view = *view;
                PlanAnswer::Shown(HistoryView {
                    // Stopped by its own level or by a red flag since it started.
                    blocked: BlockedView::of(&view).is_some(),
                    current_stage: view.plan.stages.get(view.state.stage).map(|s| s.id.clone()),
                    flagged_runs: view
                        .decisions
                        .iter()
                        .flat_map(|d| d.flags.iter().cloned())
                        .collect(),
                    decisions: view.decisions,
                    clearances: view.clearances,
                    started_on: view.plan.input.started_on,
                })
            }
        })
    }

    /// What to do on `on` (default today): exercises, the run or no run, what to log
    /// afterwards. A stopped plan's day holds only the way to a clinician.
    pub async fn today(&self, on: Option<NaiveDate>) -> Result<PlanAnswer<TodayView>> {
        let day = match on {
            Some(d) => d,
            None => self.local_today().await?,
        };
        self.today_of(day, None).await
    }

    /// [`App::today`] for `day`, over the summaries a view has already read (`None`: read
    /// them).
    pub(crate) async fn today_of(
        &self,
        day: NaiveDate,
        runs: Option<&[RunSummary]>,
    ) -> Result<PlanAnswer<TodayView>> {
        Ok(match self.replay_active(day, runs).await? {
            Replay::None => PlanAnswer::no_plan(),
            Replay::Blocked(b) => PlanAnswer::Blocked(b),
            Replay::Plan(view, _) => {
                let view = *view;
                let stage_references = view
                    .plan
                    .stages
                    .iter()
                    .find(|s| Some(&s.id) == view.today.stage.as_ref())
                    .map(|s| s.references.clone());
                let pain_limit = match view.plan.family {
                    soleus_model::clinical::Family::Bone => Some(0),
                    _ => view.plan.model.as_ref().map(|m| m.step_back_above),
                };
                PlanAnswer::Shown(TodayView {
                    today: view.today,
                    stage_references,
                    pain_limit,
                })
            }
        })
    }

    /// The plan in force replayed up to `day`, for a clinic report, with the decisions from
    /// `from` on; `None` without a plan to show (the clinician-first answer included).
    pub(crate) async fn report_plan(
        &self,
        from: NaiveDate,
        day: NaiveDate,
    ) -> Result<Option<ReportPlan>> {
        let Replay::Plan(view, _) = self.replay_active(day, None).await? else {
            return Ok(None);
        };
        let status = match (&view.state.red_flag, view.state.blocked) {
            (Some(m), _) => m.clone(),
            (None, true) => view
                .plan
                .blocked
                .as_ref()
                .map_or("waiting for a clinician".into(), |b| b.message.clone()),
            (None, false) => view
                .plan
                .stages
                .get(view.state.stage)
                .map_or("—".into(), |s| {
                    format!(
                        "stage {} ({}) since {}",
                        s.id, s.phase, view.state.stage_since
                    )
                }),
        };
        let view = *view;
        Ok(Some(ReportPlan {
            condition: soleus_model::plan::condition_words(view.plan.input.condition),
            started_on: view.plan.input.started_on,
            status,
            decisions: view
                .decisions
                .into_iter()
                .filter(|d| d.date >= from && d.date <= day)
                .collect(),
            clearances: view.clearances,
        }))
    }
}
