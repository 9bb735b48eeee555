//! Stage exit criteria: what is still missing before a stage may be left, and the calf-strain
//! return-to-run checklist (knowledge base §3.6, §3.7).

use chrono::NaiveDate;

use super::Plan;
use super::events::MuscleChecklist;
use super::progress::PlanState;
use super::stages::ChecklistRules;

/// The checklist items that fail, in words with the numbers; empty when it passes.
pub(super) fn checklist_failures(c: &MuscleChecklist, r: &ChecklistRules) -> Vec<String> {
    let mut out = Vec::new();
    if c.raises < r.min_raises {
        out.push(format!(
            "{} single-leg raises, at least {} needed",
            c.raises, r.min_raises
        ));
    }
    if c.side_diff_pct > r.max_side_diff_pct {
        out.push(format!(
            "a side difference of {:.0} %, at most {:.0} % allowed",
            c.side_diff_pct, r.max_side_diff_pct
        ));
    }
    if c.palpation_pain > r.max_palpation_pain {
        out.push(format!(
            "pain of {}/10 on pressing the calf, {}/10 allowed",
            c.palpation_pain, r.max_palpation_pain
        ));
    }
    if c.knee_to_wall_diff_pct > r.max_knee_to_wall_diff_pct {
        out.push(format!(
            "knee-to-wall differs by {:.0} % between sides, at most {:.0} % allowed",
            c.knee_to_wall_diff_pct, r.max_knee_to_wall_diff_pct
        ));
    }
    if !c.daily_life_pain_free {
        out.push("daily life is not pain-free yet".to_owned());
    }
    if !c.brisk_walk_30_pain_free {
        out.push("30 minutes of brisk walking are not pain-free yet".to_owned());
    }
    out
}

/// What the current stage's gate still needs on `date`; empty when it may be left.
pub(super) fn missing_for_advance(plan: &Plan, st: &PlanState, date: NaiveDate) -> Vec<String> {
    let gate = &plan.stages[st.stage].gate;
    let mut out = Vec::new();
    let days = (date - st.stage_since).num_days();
    if days < i64::from(gate.min_days) {
        out.push(format!(
            "{} more day(s) at this stage (at least {} days; {days} so far)",
            i64::from(gate.min_days) - days,
            gate.min_days
        ));
    }
    if !st.good_report {
        out.push(if gate.pain_free {
            "a pain-free check-in (0/10) with a next morning no worse".to_owned()
        } else {
            "a check-in within the pain rule with a next morning no worse".to_owned()
        });
    }
    if let Some(max) = gate.hop_max_pain.filter(|_| !st.hop_passed) {
        out.push(format!("10 single-leg hops with pain at most {max}/10"));
    }
    if gate.checklist && !st.checklist_passed {
        out.push("the return-to-run checklist (30 single-leg raises, sides within 10 %, no pain on pressing the calf, knee-to-wall within 10 %)".to_owned());
    }
    if gate.clearance && !st.cleared {
        out.push("a clinician's clearance".to_owned());
    }
    out
}
