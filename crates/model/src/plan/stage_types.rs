//! The shapes of a plan's stages and the thresholds they are checked against, as read from
//! `data/plan_rules.toml`.

use serde::{Deserialize, Serialize};

/// Intervals in each walk–run stage (§3.8: "intervals ×6").
pub const WALK_RUN_REPS: u32 = 6;

/// The pain thresholds of a family's progression model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ModelRules {
    /// Highest pain (during, after) of a session that may count towards advancing.
    pub advance_max: u8,
    /// Pain above this (during or after) steps back one stage.
    pub step_back_above: u8,
    /// Days without running after a step back.
    pub rest_days: u32,
    /// Whether next-morning pain creeping up week to week steps back (pain-monitoring model).
    pub weekly_creep: bool,
    /// How far the 7-day mean next-morning pain must rise over the week before to count as
    /// creeping up (a Soleus convention).
    #[serde(default)]
    pub creep_min_points: f64,
    /// Reference keys.
    pub references: Vec<String>,
}

/// What a logged run is checked against in a running stage (Soleus conventions).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RunLimits {
    /// A run longer than the stage's minutes by more than this share is too long.
    pub overrun_pct: f64,
    /// Metres climbed per km above which a run is too hilly for a flat stage.
    pub flat_max_ascent_m_per_km: f64,
    /// A pace faster than the easy pace by more than this share is too fast.
    pub pace_margin_pct: f64,
}

/// The calf-strain return-to-run checklist thresholds (§3.6, §3.7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistRules {
    /// Fewest single-leg heel raises from the floor.
    pub min_raises: u32,
    /// Largest side difference in raises, percent.
    pub max_side_diff_pct: f64,
    /// Highest pain on pressing the calf.
    pub max_palpation_pain: u8,
    /// Largest side difference in knee-to-wall distance, percent.
    pub max_knee_to_wall_diff_pct: f64,
    /// Reference keys.
    pub references: Vec<String>,
}

/// One exercise as a stage prescribes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Prescribed {
    /// The exercise id in the library.
    pub id: String,
    /// The dose in this stage.
    pub dose: String,
}

/// The run of a stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunPrescription {
    /// No running in this stage.
    None,
    /// Walk and run intervals, [`WALK_RUN_REPS`] times, on alternate days.
    WalkRun {
        /// Minutes of walking per interval.
        walk_min: u32,
        /// Minutes of easy running per interval.
        run_min: u32,
        /// Number of intervals.
        reps: u32,
    },
    /// Continuous easy running on alternate days.
    Continuous {
        /// Minutes of running.
        minutes: u32,
    },
    /// Usual running, building volume first, then hills and speed, within the load checks.
    Build,
}

impl RunPrescription {
    /// The session's planned length in minutes, when the stage fixes one.
    pub fn minutes(self) -> Option<u32> {
        match self {
            RunPrescription::WalkRun {
                walk_min,
                run_min,
                reps,
            } => Some((walk_min + run_min) * reps),
            RunPrescription::Continuous { minutes } => Some(minutes),
            RunPrescription::None | RunPrescription::Build => None,
        }
    }
}

/// What must be true before a stage is left.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gate {
    /// Days spent in the stage first.
    pub min_days: u32,
    /// The qualifying check-in must be entirely pain-free.
    pub pain_free: bool,
    /// A hop test with pain at most this is needed.
    pub hop_max_pain: Option<u8>,
    /// The muscle return-to-run checklist must pass (§3.6, §3.7).
    pub checklist: bool,
    /// A clinician's clearance must be recorded.
    pub clearance: bool,
}

/// One stage of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stage {
    /// Stable id (`T1`, `W3`, `R` …).
    pub id: String,
    /// The phase it belongs to.
    pub phase: String,
    /// When it is entered.
    pub entry: String,
    /// When it is left.
    pub exit: String,
    /// Exercises with their dose.
    pub exercises: Vec<Prescribed>,
    /// The run, or no run.
    pub run: RunPrescription,
    /// What must be true to move on.
    pub gate: Gate,
    /// Reference keys.
    pub references: Vec<String>,
}
