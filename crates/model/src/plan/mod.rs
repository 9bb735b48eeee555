//! Rehab and return-to-run plans that follow the runs; exercises; passive treatments
//! (knowledge base §3).
//!
//! A plan is built from a small [`PlanInput`] (the condition the assessment found the picture
//! most consistent with, its grade, the triage level and a few history flags), never from the
//! assessment's own types, so the CLI can build it from a stored assessment. A red-flag triage
//! blocks the plan: nothing but "see a clinician first" is shown.
//!
//! ```
//! use chrono::NaiveDate;
//! use soleus_model::clinical::{Condition, Triage};
//! use soleus_model::plan::{PlanInput, build_plan, replay, PlanEvent, PainReport, Action};
//!
//! let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
//! let plan = build_plan(&PlanInput::new(Condition::AchillesMidportion, Triage::SelfCare, day));
//! assert_eq!(plan.stages[0].id, "T1");
//! // Pain of 7/10 during the heel drops is above the pain-monitoring model's 5/10: step back.
//! let ev = [PlanEvent::Pain(PainReport { date: day, during: Some(7), after: Some(4), next_morning: Some(3) })];
//! assert_eq!(replay(&plan, &ev)[0].action, Action::StepBack);
//! ```

mod events;
mod exercises;
mod flags;
mod gates;
mod progress;
mod stage_types;
mod stages;
mod state;
mod stored;
mod today;
mod treatments;

pub use crate::assess::Side;
pub use events::{HopTest, MuscleChecklist, PainReport, PlanEvent, RunEvent, TriageEvent};
pub use exercises::{
    BUILTIN_EXERCISES, Exercise, Frequency, exercise, library, parse_library, svg, svg_names,
};
pub use flags::RunFlag;
pub use progress::{Action, Decision, PlanState, replay, replay_state};
pub use stages::{
    BUILTIN_PLAN_RULES, ChecklistRules, Gate, ModelRules, PlanRules, Prescribed, RunLimits,
    RunPrescription, Stage, describe_run,
};
pub use stored::{Clearance, PlanSource, StoredPlan};
pub use today::{Today, TodayExercise, acceptable_pain, today};
pub use treatments::{BUILTIN_TREATMENTS, TreatmentRow, treatments_for};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::clinical::{Condition, Family, Triage};

/// Why plan data could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// A data file is malformed or inconsistent (the file's author's fault).
    #[error("plan data is not valid: {0}")]
    Data(String),
}

/// History that changes the cautions a plan shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanHistory {
    /// One or more earlier bone stress injuries.
    pub bone_stress: bool,
    /// Earlier Achilles tendon problems.
    pub achilles: bool,
    /// Body mass above about 70–85 kg (footwear caution, knowledge base §4).
    pub heavier_runner: bool,
    /// A fluoroquinolone antibiotic recently: a rupture-risk flag for the Achilles (§1.5), so
    /// tendon loading starts gentler.
    #[serde(default)]
    pub fluoroquinolone: bool,
}

/// What a plan is built from: small, so the CLI can fill it from a stored assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanInput {
    /// The condition the picture is most consistent with.
    pub condition: Condition,
    /// Strain or MRI grade, when known (muscle 1–3).
    pub grade: Option<u8>,
    /// The assessment's triage level.
    pub triage: Triage,
    /// The painful side.
    pub side: Side,
    /// The plan's first day.
    pub started_on: NaiveDate,
    /// History flags.
    pub history: PlanHistory,
    /// The runner's usual easy pace, s/km, for flagging runs that are too fast.
    pub easy_pace_s_per_km: Option<f64>,
    /// The assessment suspected bone stress: the plan follows the bone model (pain-free only,
    /// clinician clearance first) whatever condition ranked first.
    #[serde(default)]
    pub bone_stress_suspected: bool,
}

impl PlanInput {
    /// An input with no grade, no history, both sides and no easy pace.
    pub fn new(condition: Condition, triage: Triage, started_on: NaiveDate) -> PlanInput {
        PlanInput {
            condition,
            grade: None,
            triage,
            side: Side::Both,
            started_on,
            history: PlanHistory::default(),
            easy_pace_s_per_km: None,
            bone_stress_suspected: false,
        }
    }
}

/// Why a plan is not shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Block {
    /// The triage level behind it.
    pub triage: Triage,
    /// What to do instead.
    pub message: String,
    /// A recorded clinician clearance lifts it (suspected bone stress).
    pub lifted_by_clearance: bool,
}

/// A plan: stages, the progression model, passive treatments and cautions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    /// What it was built from.
    pub input: PlanInput,
    /// The progression family.
    pub family: Family,
    /// Set when the plan must not be followed yet.
    pub blocked: Option<Block>,
    /// The stage ladder (empty when the condition has no self-managed plan).
    pub stages: Vec<Stage>,
    /// Pain thresholds of the family's model (`None` for clinician-only conditions).
    pub model: Option<ModelRules>,
    /// Limits runs are checked against.
    pub limits: RunLimits,
    /// The muscle return-to-run checklist.
    pub checklist: ChecklistRules,
    /// Passive treatments: the two source pages and the evidence.
    pub treatments: Vec<TreatmentRow>,
    /// Cautions from the runner's history and triage.
    pub cautions: Vec<String>,
    /// The plan is guidance, not a diagnosis.
    pub disclaimer: String,
}

/// The message shown instead of a plan for each blocking triage level.
fn block_for(input: &PlanInput) -> Option<Block> {
    let family = input.condition.family();
    let message = match input.triage {
        Triage::Emergency => {
            "Emergency: call emergency services or go to an emergency department now. See a clinician first; no exercise or running plan is shown."
        }
        Triage::Urgent => {
            "See a clinician today, before any exercise or running plan. The answers include a red flag that needs checking the same day."
        }
        _ if family == Family::Clinician => {
            "This picture needs a clinician's assessment before any self-managed plan. See a clinician first."
        }
        Triage::Soon if family == Family::Bone => {
            "A bone stress injury cannot be ruled out at home. See a clinician first (within about a week); the plan starts once a clinician's clearance is recorded."
        }
        _ if matches!(
            input.condition,
            Condition::TibialBsi | Condition::CalcanealBsi
        ) =>
        {
            "A suspected bone stress injury needs a clinician's assessment and clearance first; the plan starts once that clearance is recorded."
        }
        _ => return None,
    };
    Some(Block {
        triage: input.triage,
        message: message.into(),
        lifted_by_clearance: input.triage <= Triage::Soon && family == Family::Bone,
    })
}

/// Builds the plan for an assessment. Never fails: a condition without a self-managed plan or
/// a red flag gives a blocked plan that says to see a clinician first.
pub fn build_plan(input: &PlanInput) -> Plan {
    build_plan_with(input, PlanRules::builtin())
}

/// [`build_plan`] with explicit rules (tests, a reviewed rules file).
pub fn build_plan_with(input: &PlanInput, rules: &PlanRules) -> Plan {
    let mut cautions = Vec::new();
    // A bone finding means the bone model, whatever condition ranked first: the plan is the
    // bone stress one for the site (heel or shin), waiting for a clinician's clearance.
    let mut input = input.clone();
    if input.bone_stress_suspected && input.condition.family() != Family::Bone {
        let was = input.condition;
        input.condition = match was {
            Condition::PlantarHeelPain | Condition::AchillesInsertional => Condition::CalcanealBsi,
            _ => Condition::TibialBsi,
        };
        cautions.push(format!(
            "Bone stress is suspected, so the plan follows the bone model (pain-free only, a clinician's clearance first) rather than the plan for {}.",
            condition_words(was)
        ));
    }
    let least = input.condition.least_triage();
    if input.triage < least {
        cautions.push(format!(
            "The level was raised from {} to {}: {} needs a clinician the same day, whoever enters the plan.",
            input.triage.code(),
            least.code(),
            condition_words(input.condition)
        ));
        input.triage = least;
    }
    let input = &input;
    let family = input.condition.family();
    if input.triage == Triage::Soon && family != Family::Bone {
        cautions.push("See a clinician within about a week as well; follow the plan only as far as it stays comfortable.".to_owned());
    }
    if input.history.bone_stress {
        cautions.push("An earlier bone stress injury: keep impact pain-free, and see a clinician if pain becomes focal on the bone, comes on walking or at night.".to_owned());
    }
    if input.history.achilles && family != Family::Tendon {
        cautions.push(
            "Earlier Achilles problems: watch the tendon the morning after each stage change."
                .to_owned(),
        );
    }
    if family == Family::Muscle && input.grade == Some(3) {
        cautions.push("A grade 3 strain: a clinician should guide the return; complete calf-muscle tears are usually managed without surgery.".to_owned());
    }
    let mut model = rules.model(family).cloned();
    if input.history.fluoroquinolone
        && family == Family::Tendon
        && let Some(m) = model.as_mut()
    {
        // §1.5: a fluoroquinolone is a rupture-risk flag. Loading starts gentler: the session
        // limit is the advance limit (3/10), not the pain-monitoring model's 5/10.
        m.step_back_above = m.advance_max;
        cautions.push(format!(
            "A recent fluoroquinolone antibiotic raises the risk of an Achilles rupture, so loading starts gentler: pain up to {}/10 instead of 5/10, no heavy or fast loading, and ask the prescriber or a clinician before the heel drops get heavier.",
            m.advance_max
        ));
    }
    Plan {
        input: input.clone(),
        family,
        blocked: block_for(input),
        stages: rules
            .stages(input.condition, input.grade)
            .unwrap_or_default(),
        model,
        limits: rules.run_limits,
        checklist: rules.checklist.clone(),
        treatments: treatments_for(input.condition),
        cautions,
        disclaimer: format!(
            "Soleus follows a rehabilitation pattern for a picture consistent with {}; it is not a diagnosis and not a promise of recovery. See a clinician if symptoms change, spread or worsen.",
            condition_words(input.condition)
        ),
    }
}

/// Plain words for a condition, for plan text.
pub fn condition_words(c: Condition) -> &'static str {
    match c {
        Condition::SoleusStrain => "a soleus strain or overuse",
        Condition::GastrocStrain => "a gastrocnemius strain",
        Condition::Mtss => "medial tibial stress syndrome (shin splints)",
        Condition::TibialBsi => "a tibial bone stress injury",
        Condition::AchillesMidportion => "mid-portion Achilles tendinopathy",
        Condition::AchillesInsertional => "insertional Achilles tendinopathy",
        Condition::AchillesRupture => "an Achilles tendon rupture",
        Condition::PlantarHeelPain => "plantar heel pain",
        Condition::CalcanealBsi => "a calcaneal bone stress injury",
        Condition::Cecs => "chronic exertional compartment syndrome",
        Condition::Dvt => "a deep vein thrombosis",
        Condition::BakersCyst => "a popliteal (Baker's) cyst",
        Condition::LumbarReferred => "pain referred from the lower back",
    }
}
