//! What the plan reads: imported runs, daily pain check-ins, hop tests, the calf-strain
//! checklist and a clinician's clearance; and the decisions it writes back.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::flags::RunFlag;

/// A logged run, as the plan reads it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunEvent {
    /// Local date of the run.
    pub date: NaiveDate,
    /// Distance, km.
    pub distance_km: f64,
    /// Moving time, s.
    pub duration_s: f64,
    /// Metres climbed, when known.
    pub ascent_m: Option<f64>,
}

impl RunEvent {
    /// Average pace, s/km.
    pub fn pace_s_per_km(&self) -> Option<f64> {
        (self.distance_km > 0.0 && self.duration_s > 0.0)
            .then(|| self.duration_s / self.distance_km)
    }
}

/// A daily check-in, pain 0–10: during and after that day's session, and the next morning.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PainReport {
    /// The day of the session it describes.
    pub date: NaiveDate,
    /// Pain during the session (run, walk or exercises).
    pub during: Option<u8>,
    /// Pain after it.
    pub after: Option<u8>,
    /// Pain and stiffness the morning after `date`.
    pub next_morning: Option<u8>,
}

/// Ten single-leg hops.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HopTest {
    /// Day of the test.
    pub date: NaiveDate,
    /// Pain, 0–10.
    pub pain: u8,
    /// The pain was a focal spot on the bone.
    pub focal_bone_pain: bool,
}

/// The calf-strain return-to-run checklist results (§3.6, §3.7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MuscleChecklist {
    /// Day of the tests.
    pub date: NaiveDate,
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

/// The triage of a stored check-in, red flags still in force included.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageEvent {
    /// The check-in's day.
    pub date: NaiveDate,
    /// The level.
    pub level: crate::clinical::Triage,
    /// Bone stress is suspected.
    pub bone_stress_suspected: bool,
    /// The day the oldest red flag in force was first reported.
    pub since: NaiveDate,
}

impl TriageEvent {
    /// The plan must stop: a same-day or emergency level, suspected bone stress, or any red
    /// flag above the level the plan was built for (a plan started at SOON already carries
    /// "see a clinician within about a week").
    pub fn stops(&self, plan_level: crate::clinical::Triage) -> bool {
        self.level
            .stops_plan(self.bone_stress_suspected, plan_level)
    }

    /// What the runner is told while the plan is stopped.
    pub fn message(&self) -> String {
        use crate::clinical::Triage;
        let first = match self.level {
            Triage::Emergency => format!(
                "A red flag reported on {} needs emergency care: call emergency services or go to an emergency department now.",
                self.since
            ),
            Triage::Urgent => format!(
                "A red flag reported on {} needs a doctor today, before any exercise or run.",
                self.since
            ),
            _ if self.bone_stress_suspected => format!(
                "Bone stress is suspected since {}: no running or hopping until a clinician has examined it (pain-free only, clearance first).",
                self.since
            ),
            _ => format!(
                "A red flag reported on {} needs a clinician within about a week; stop any running that hurts.",
                self.since
            ),
        };
        format!(
            "{first} The plan is stopped: no exercise and no run is shown until a clinician's clearance is recorded (soleus plan clear --clinician) or a later full check-in answers the same questions without a red flag."
        )
    }
}

/// Something the runner did or felt.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanEvent {
    /// An imported run.
    Run(RunEvent),
    /// A daily check-in.
    Pain(PainReport),
    /// A hop test.
    Hop(HopTest),
    /// The muscle checklist.
    Checklist(MuscleChecklist),
    /// A stored check-in's triage: a same-day or emergency level, or a suspected bone stress
    /// injury, stops the plan from that day.
    Triage(TriageEvent),
    /// A clinician cleared a return to loading.
    Clearance {
        /// Day of the clearance.
        date: NaiveDate,
    },
}

impl PlanEvent {
    /// The day it happened.
    pub fn date(&self) -> NaiveDate {
        match self {
            PlanEvent::Run(r) => r.date,
            PlanEvent::Pain(p) => p.date,
            PlanEvent::Hop(h) => h.date,
            PlanEvent::Checklist(c) => c.date,
            PlanEvent::Clearance { date } => *date,
            PlanEvent::Triage(t) => t.date,
        }
    }

    /// Order within a day: clearances and check-in triages (in the order they were recorded),
    /// then runs, tests, and the check-in that closes the day.
    pub(super) fn rank(&self) -> u8 {
        match self {
            PlanEvent::Clearance { .. } | PlanEvent::Triage(_) => 0,
            PlanEvent::Run(_) => 1,
            PlanEvent::Hop(_) => 2,
            PlanEvent::Checklist(_) => 3,
            PlanEvent::Pain(_) => 4,
        }
    }
}

/// What a decision did to the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Moved to the next stage.
    Advance,
    /// Stayed in the current stage.
    Hold,
    /// Dropped back one stage (or stayed in the first).
    StepBack,
}

/// One decision, with the rule, the reason and the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// The day of the event that led to it.
    pub date: NaiveDate,
    /// Advance, hold or step back.
    pub action: Action,
    /// Stage before.
    pub from_stage: String,
    /// Stage after.
    pub to_stage: String,
    /// The rule's code.
    pub rule: String,
    /// Why, with the numbers.
    pub reason: String,
    /// Reference keys.
    pub references: Vec<String>,
    /// Runs that exceeded the stage.
    pub flags: Vec<RunFlag>,
}
