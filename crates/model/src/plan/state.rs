//! Where a plan stands while its events are replayed.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::Plan;

/// Where a plan stands after its events.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanState {
    /// Index of the current stage.
    pub stage: usize,
    /// Day the current stage began.
    pub stage_since: NaiveDate,
    /// The plan is waiting for a clinician.
    pub blocked: bool,
    /// A clinician's clearance is recorded.
    pub cleared: bool,
    /// A red flag (or a suspected bone stress injury) reported in a check-in stops the plan:
    /// what the runner is told instead. Lifted by a clearance or a later check-in without it.
    pub red_flag: Option<String>,
    /// No running until and including this day (after pain).
    pub rest_until: Option<NaiveDate>,
    /// Day of the last run.
    pub last_run: Option<NaiveDate>,
    /// A hop test within the stage's limit since the stage began.
    pub hop_passed: bool,
    /// The muscle checklist passed since the stage began.
    pub checklist_passed: bool,
    /// A check-in within the pain rule since the stage began.
    pub good_report: bool,
    #[serde(skip)]
    pub(super) mornings: Vec<(NaiveDate, u8)>,
    #[serde(skip)]
    pub(super) last_step_back: Option<NaiveDate>,
    #[serde(skip)]
    pub(super) runs_at_stage: Vec<(NaiveDate, bool)>,
}

impl PlanState {
    /// The state on the plan's first day.
    pub fn start(plan: &Plan) -> PlanState {
        PlanState {
            stage: 0,
            stage_since: plan.input.started_on,
            blocked: plan.blocked.is_some() || plan.stages.is_empty(),
            cleared: false,
            red_flag: None,
            rest_until: None,
            last_run: None,
            hop_passed: false,
            checklist_passed: false,
            good_report: false,
            mornings: Vec::new(),
            last_step_back: None,
            runs_at_stage: Vec::new(),
        }
    }

    /// Nothing but the way to a clinician may be shown.
    pub fn stopped(&self) -> bool {
        self.blocked || self.red_flag.is_some()
    }

    pub(super) fn enter(&mut self, stage: usize, on: NaiveDate) {
        self.stage = stage;
        self.stage_since = on;
        self.hop_passed = false;
        self.checklist_passed = false;
        self.good_report = false;
        self.runs_at_stage.clear();
    }

    /// Mean next-morning pain over the 7 days ending `to`, with at least 3 reports.
    pub(super) fn week_mean(&self, to: NaiveDate) -> Option<f64> {
        let v: Vec<f64> = self
            .mornings
            .iter()
            .filter(|(d, _)| *d <= to && *d > to - Duration::days(7))
            .map(|(_, p)| f64::from(*p))
            .collect();
        (v.len() >= 3).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }
}
