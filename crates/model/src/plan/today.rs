//! What to do on a given day: the current stage's exercises that are due, the run or no run,
//! and what to log afterwards.

use chrono::NaiveDate;
use serde::Serialize;

use super::exercises::{Frequency, exercise};
use super::progress::PlanState;
use super::stages::{RunPrescription, describe_run};
use super::{Plan, gates};

/// One exercise due today.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TodayExercise {
    /// Library id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Today's dose.
    pub dose: String,
    /// What pain is acceptable.
    pub acceptable_pain: String,
    /// Drawing file name.
    pub svg: String,
    /// Contested in the literature.
    pub contested: bool,
    /// Low evidence; optional.
    pub low_evidence: bool,
    /// Reference keys.
    pub references: Vec<String>,
}

/// The `soleus today` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Today {
    /// The day.
    pub date: NaiveDate,
    /// Set when the plan is blocked: see a clinician first, nothing else.
    pub blocked: Option<String>,
    /// Current stage id and phase.
    pub stage: Option<String>,
    /// The phase's name.
    pub phase: Option<String>,
    /// Exercises due today.
    pub exercises: Vec<TodayExercise>,
    /// The run, or why there is none.
    pub run: String,
    /// Whether a run is planned today.
    pub run_today: bool,
    /// What to record afterwards.
    pub log: Vec<String>,
    /// What the stage still needs before moving on.
    pub to_move_on: Vec<String>,
}

/// What pain is acceptable during an exercise of `stage`: always the plan's own model for that
/// stage (bone pain-free, muscle and a gentler tendon start at their limits, tendon and fascia
/// the pain-monitoring model), never a generic text of the exercise library.
pub fn acceptable_pain(plan: &Plan, stage: &super::Stage, exercise_id: &str) -> String {
    use crate::clinical::Family;
    if plan.family == Family::Bone {
        return "Pain-free only (0/10): stop at any pain. Bone is never loaded through pain."
            .into();
    }
    if exercise_id == "HOP_TEST" {
        let max = stage.gate.hop_max_pain.unwrap_or(0);
        return format!(
            "Up to {max}/10; a sharp pain on one spot of bone means stop and see a clinician."
        );
    }
    let Some(m) = &plan.model else {
        return "Only as a clinician has advised.".into();
    };
    match plan.family {
        Family::Tendon | Family::Fascia if m.step_back_above > m.advance_max => format!(
            "Up to {}/10 during and after, settled by the next morning (pain-monitoring model); above {}/10 the plan steps back.",
            m.step_back_above, m.step_back_above
        ),
        _ => format!(
            "Up to {}/10 during and after, settled by the next morning; above {}/10 the plan steps back.",
            m.step_back_above, m.step_back_above
        ),
    }
}

/// What to do on `date`, given the state replayed from the events before it.
pub fn today(plan: &Plan, st: &PlanState, date: NaiveDate) -> Today {
    let mut t = Today {
        date,
        blocked: None,
        stage: None,
        phase: None,
        exercises: Vec::new(),
        run: "No run.".into(),
        run_today: false,
        log: Vec::new(),
        to_move_on: Vec::new(),
    };
    if let Some(msg) = &st.red_flag {
        t.blocked = Some(msg.clone());
        return t;
    }
    if st.blocked || plan.stages.is_empty() {
        t.blocked = Some(plan.blocked.as_ref().map_or_else(
            || "See a clinician first; record the clearance to start the plan.".to_owned(),
            |b| b.message.clone(),
        ));
        return t;
    }
    let stage = &plan.stages[st.stage];
    t.stage = Some(stage.id.clone());
    t.phase = Some(stage.phase.clone());
    let day_in_stage = (date - st.stage_since).num_days().max(0);
    let gate_missing = gates::missing_for_advance(plan, st, date);
    let resting = st.rest_until.is_some_and(|u| date <= u);
    let rested = st.last_run.is_none_or(|d| (date - d).num_days() >= 2);
    t.run = match stage.run {
        RunPrescription::None => "No running in this stage.".into(),
        _ if resting => format!(
            "No run: rest from running until {} after the pain reported.",
            st.rest_until.unwrap_or(date)
        ),
        RunPrescription::Build => {
            t.run_today = true;
            describe_run(stage.run)
        }
        _ if !rested => "No run today: walk-run stages are every other day.".into(),
        run => {
            t.run_today = true;
            describe_run(run)
        }
    };
    for p in &stage.exercises {
        let Some(e) = exercise(&p.id) else { continue };
        let due = match e.frequency {
            // The walk-run card shows on run days only; it is today's run.
            _ if p.id == "WALK_RUN" => t.run_today,
            Frequency::TwiceDaily | Frequency::Daily => true,
            Frequency::AlternateDays => day_in_stage % 2 == 0,
            // Tests show once the minimum days are done and until they are passed.
            Frequency::Test => {
                let passed = if p.id == "HOP_TEST" {
                    st.hop_passed
                } else {
                    st.checklist_passed
                };
                day_in_stage >= i64::from(stage.gate.min_days) && !passed
            }
        };
        if due {
            t.exercises.push(TodayExercise {
                id: e.id.clone(),
                name: e.name.clone(),
                dose: p.dose.clone(),
                acceptable_pain: acceptable_pain(plan, stage, &e.id),
                svg: e.svg.clone(),
                contested: e.contested,
                low_evidence: e.low_evidence,
                references: e.references.clone(),
            });
        }
    }
    t.log
        .push("Pain (0-10) during today's session and after it.".into());
    t.log
        .push("Pain and stiffness (0-10) tomorrow morning.".into());
    if t.run_today {
        t.log.push(
            "Import the run (distance, time and climb are checked against the stage).".into(),
        );
    }
    if stage.gate.checklist
        && !st.checklist_passed
        && day_in_stage >= i64::from(stage.gate.min_days)
    {
        t.log.push("The return-to-run checklist: single-leg raises, side difference, calf pressure pain, knee-to-wall.".into());
    }
    t.to_move_on = gate_missing;
    t
}
