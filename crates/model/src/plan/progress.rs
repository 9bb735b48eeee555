//! Moving a plan forward, holding it or stepping it back from what the runner does and feels.
//!
//! Tendon and fascia follow the pain-monitoring model (knowledge base §3.3): pain up to 5/10
//! during and after is acceptable, above it steps back; the next morning must be no worse than
//! the morning before; symptoms must not creep up week to week. Advancing needs a session at
//! 2–3/10 or less and a next morning no worse (§3.8). Bone is pain-free only: any pain steps
//! back, and there is no "run through pain" rule (§3.8). Muscle leaves rehab by the §3.7
//! checklist, then advances like soft tissue but steps back on any pain above 3/10.

use chrono::{Duration, NaiveDate};

use super::Plan;
use super::events::PlanEvent;
pub use super::events::{Action, Decision};
use super::flags::check_run;
use super::gates::{checklist_failures, missing_for_advance};
use super::stages::RunPrescription;
pub use super::state::PlanState;
use crate::clinical::Family;

/// Replays the events (any order; sorted by day here) and returns each decision.
pub fn replay(plan: &Plan, events: &[PlanEvent]) -> Vec<Decision> {
    replay_state(plan, events).1
}

/// [`replay`], also returning where the plan ends up.
pub fn replay_state(plan: &Plan, events: &[PlanEvent]) -> (PlanState, Vec<Decision>) {
    let start = plan.input.started_on;
    let mut earlier: Vec<PlanEvent> = events
        .iter()
        .copied()
        .filter(|e| e.date() < start)
        .collect();
    earlier.sort_by_key(|e| (e.date(), e.rank()));
    let mut ev: Vec<PlanEvent> = events
        .iter()
        .copied()
        .filter(|e| e.date() >= start)
        .collect();
    // A red flag still in force when the plan starts (reported before it, and no clearance or
    // later check-in since) stops the plan from its first day: starting a plan is no clearance.
    if let Some(PlanEvent::Triage(t)) = earlier
        .iter()
        .rev()
        .find(|e| matches!(e, PlanEvent::Triage(_) | PlanEvent::Clearance { .. }))
    {
        ev.push(PlanEvent::Triage(super::TriageEvent { date: start, ..*t }));
    }
    ev.sort_by_key(|e| (e.date(), e.rank()));
    let mut st = PlanState::start(plan);
    let mut out = Vec::new();
    for e in &ev {
        if let Some(d) = step(plan, &mut st, e) {
            out.push(d);
        }
    }
    (st, out)
}

fn step(plan: &Plan, st: &mut PlanState, e: &PlanEvent) -> Option<Decision> {
    let date = e.date();
    let id = |i: usize| {
        plan.stages
            .get(i)
            .map_or_else(|| "NONE".to_owned(), |s| s.id.clone())
    };
    let here = id(st.stage);
    let decide = |action, to: String, rule: &str, reason: String, refs: &[String]| Decision {
        date,
        action,
        from_stage: here.clone(),
        to_stage: to,
        rule: rule.into(),
        reason,
        references: refs.to_vec(),
        flags: Vec::new(),
    };
    let liftable =
        plan.blocked.as_ref().is_none_or(|b| b.lifted_by_clearance) && !plan.stages.is_empty();
    if let PlanEvent::Triage(t) = e {
        if t.stops(plan.input.triage) {
            let first = st.red_flag.is_none();
            st.red_flag = Some(t.message());
            st.cleared = false;
            let rule = if t.bone_stress_suspected && t.level < crate::clinical::Triage::Urgent {
                "BONE_STRESS_SUSPECTED"
            } else {
                "RED_FLAG"
            };
            return first.then(|| {
                decide(
                    Action::Hold,
                    here.clone(),
                    rule,
                    t.message(),
                    &["§1.14".into()],
                )
            });
        }
        if st.red_flag.take().is_some() {
            st.enter(st.stage, date);
            let reason = format!(
                "The check-in of {date} answers the red-flag questions without a red flag: the plan continues at {here}."
            );
            return Some(decide(
                Action::Hold,
                here.clone(),
                "RED_FLAG_RESOLVED",
                reason,
                &["§1.14".into()],
            ));
        }
        return None;
    }
    if let PlanEvent::Clearance { .. } = e {
        st.cleared = true;
        if st.red_flag.take().is_some() && !(st.blocked && liftable) {
            st.enter(st.stage, date);
            let reason = format!(
                "A clinician's clearance is recorded after the red flag; the plan continues at {here}."
            );
            return Some(decide(
                Action::Advance,
                here.clone(),
                "CLEARANCE_RECORDED",
                reason,
                &["§1.14".into()],
            ));
        }
        if st.blocked && liftable {
            st.blocked = false;
            st.enter(st.stage, date);
            let reason =
                format!("A clinician's clearance is recorded; the plan starts (again) at {here}.");
            return Some(decide(
                Action::Advance,
                here.clone(),
                "CLEARANCE_RECORDED",
                reason,
                &["Warden14".into()],
            ));
        }
    }
    if let Some(msg) = &st.red_flag {
        return Some(decide(
            Action::Hold,
            here.clone(),
            "PLAN_STOPPED_RED_FLAG",
            msg.clone(),
            &["§1.14".into()],
        ));
    }
    if st.blocked {
        let msg = plan
            .blocked
            .as_ref()
            .map_or("A clinician's clearance is needed first.", |b| {
                b.message.as_str()
            });
        return Some(decide(
            Action::Hold,
            here.clone(),
            "PLAN_BLOCKED",
            msg.to_owned(),
            &[],
        ));
    }
    let stage = &plan.stages[st.stage];
    let model = plan.model.as_ref()?;
    let bone = plan.family == Family::Bone;
    let step_back = |st: &mut PlanState, rule: &str, why: String| {
        let to = st.stage.saturating_sub(1);
        st.enter(to, date);
        st.last_step_back = Some(date);
        st.rest_until = Some(date + Duration::days(i64::from(model.rest_days)));
        let reason = format!(
            "{why} Rest from running for {} days (until {}), then continue at {}.",
            model.rest_days,
            date + Duration::days(i64::from(model.rest_days)),
            id(to)
        );
        decide(Action::StepBack, id(to), rule, reason, &model.references)
    };
    match e {
        PlanEvent::Clearance { .. } | PlanEvent::Triage(_) => None,
        PlanEvent::Run(run) => {
            let flags = check_run(
                run,
                stage.run,
                st.rest_until,
                plan.input.easy_pace_s_per_km,
                &plan.limits,
            );
            st.last_run = Some(date);
            st.runs_at_stage.push((date, !flags.is_empty()));
            if flags.is_empty() {
                return None;
            }
            let reason = flags
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let mut d = decide(
                Action::Hold,
                here.clone(),
                "RUN_EXCEEDS_STAGE",
                reason,
                &stage.references,
            );
            d.flags = flags;
            Some(d)
        }
        PlanEvent::Hop(h) => {
            if h.focal_bone_pain {
                st.blocked = true;
                st.cleared = false;
                let why = format!(
                    "Focal bone pain on hopping ({}/10): stop and see a clinician first; the plan resumes once a clearance is recorded.",
                    h.pain
                );
                return Some(decide(
                    Action::Hold,
                    here.clone(),
                    "HOP_FOCAL_BONE_PAIN",
                    why,
                    &["Warden14".into()],
                ));
            }
            let max = stage.gate.hop_max_pain?;
            if h.pain > max {
                let why = format!(
                    "Hop pain {}/10 is above the {max}/10 this stage allows; keep loading and test again in a few days.",
                    h.pain
                );
                return Some(decide(
                    Action::Hold,
                    here.clone(),
                    "HOP_TEST_PAIN",
                    why,
                    &stage.references,
                ));
            }
            st.hop_passed = true;
            Some(try_advance(
                plan,
                st,
                date,
                &format!("Hop test at {}/10 (limit {max}/10).", h.pain),
            ))
        }
        PlanEvent::Checklist(c) => {
            if !stage.gate.checklist {
                return None;
            }
            let failed = checklist_failures(c, &plan.checklist);
            if !failed.is_empty() {
                let why = format!(
                    "The return-to-run checklist is not met yet: {}.",
                    failed.join("; ")
                );
                return Some(decide(
                    Action::Hold,
                    here.clone(),
                    "CHECKLIST_NOT_MET",
                    why,
                    &plan.checklist.references,
                ));
            }
            st.checklist_passed = true;
            Some(try_advance(
                plan,
                st,
                date,
                "The return-to-run checklist is met.",
            ))
        }
        PlanEvent::Pain(p) => {
            let before = st
                .mornings
                .iter()
                .rev()
                .find(|(d, _)| *d < date)
                .map(|(_, m)| *m);
            if let Some(m) = p.next_morning {
                st.mornings.retain(|(d, _)| *d != date);
                st.mornings.push((date, m));
            }
            let worst = p.during.max(p.after);
            let nums = format!(
                "Pain {} during, {} after, {} next morning.",
                show(p.during),
                show(p.after),
                show(p.next_morning)
            );
            if bone && (worst.unwrap_or(0) > 0 || p.next_morning.unwrap_or(0) > 0) {
                return Some(step_back(
                    st,
                    "BONE_PAIN",
                    format!(
                        "{nums} Bone progresses only when pain-free (0/10); there is no running through pain."
                    ),
                ));
            }
            if let Some(w) = worst.filter(|w| *w > model.step_back_above) {
                return Some(step_back(
                    st,
                    "PAIN_ABOVE_LIMIT",
                    format!(
                        "{nums} {w}/10 is above the {}/10 limit.",
                        model.step_back_above
                    ),
                ));
            }
            if let (Some(n), Some(b)) = (p.next_morning, before)
                && n > b
            {
                return Some(step_back(
                    st,
                    "MORNING_WORSE",
                    format!(
                        "{nums} The next morning ({n}/10) is worse than the morning before ({b}/10), so the load was too much."
                    ),
                ));
            }
            if model.weekly_creep
                && st
                    .last_step_back
                    .is_none_or(|d| d <= date - Duration::days(7))
                && let (Some(now), Some(prev)) =
                    (st.week_mean(date), st.week_mean(date - Duration::days(7)))
                && now - prev >= model.creep_min_points
            {
                return Some(step_back(
                    st,
                    "WEEKLY_CREEP",
                    format!(
                        "{nums} Next-morning pain averaged {now:.1}/10 this week against {prev:.1}/10 the week before: symptoms are creeping up."
                    ),
                ));
            }
            if let Some(w) = worst.filter(|w| *w > model.advance_max) {
                let why = format!(
                    "{nums} {w}/10 is acceptable (up to {}/10) but above the {}/10 needed to move on: stay at this stage.",
                    model.step_back_above, model.advance_max
                );
                return Some(decide(
                    Action::Hold,
                    here.clone(),
                    "PAIN_ACCEPTABLE_ZONE",
                    why,
                    &model.references,
                ));
            }
            if stage.gate.pain_free && worst.unwrap_or(0) > 0 {
                let why =
                    format!("{nums} This stage is left only after a pain-free (0/10) check-in.");
                return Some(decide(
                    Action::Hold,
                    here.clone(),
                    "NOT_PAIN_FREE",
                    why,
                    &stage.references,
                ));
            }
            if p.next_morning.is_none() {
                let why = format!("{nums} Moving on needs the next morning's report.");
                return Some(decide(
                    Action::Hold,
                    here.clone(),
                    "NEXT_MORNING_MISSING",
                    why,
                    &model.references,
                ));
            }
            if stage.run != RunPrescription::None && stage.run != RunPrescription::Build {
                match st.runs_at_stage.iter().find(|(d, _)| *d == date) {
                    None => {
                        let why = format!(
                            "{nums} No run at {here} that day; a stage is passed by a session within the pain rule."
                        );
                        return Some(decide(
                            Action::Hold,
                            here.clone(),
                            "NO_RUN_AT_STAGE",
                            why,
                            &stage.references,
                        ));
                    }
                    Some((_, true)) => {
                        let why = format!(
                            "{nums} The run went beyond the stage (see the flags), so it does not count towards moving on."
                        );
                        return Some(decide(
                            Action::Hold,
                            here.clone(),
                            "RUN_EXCEEDED",
                            why,
                            &stage.references,
                        ));
                    }
                    Some(_) => {}
                }
            }
            st.good_report = true;
            Some(try_advance(
                plan,
                st,
                date,
                &format!("{nums} Within the pain rule and the next morning no worse."),
            ))
        }
    }
}

/// Advances when every gate requirement is met, else holds and says what is missing.
fn try_advance(plan: &Plan, st: &mut PlanState, date: NaiveDate, why: &str) -> Decision {
    let stage = &plan.stages[st.stage];
    let missing = missing_for_advance(plan, st, date);
    let last = st.stage + 1 >= plan.stages.len();
    let (action, to, rule, reason) = if last {
        (
            Action::Hold,
            stage.id.clone(),
            "FINAL_STAGE",
            format!("{why} This is the final stage: keep building within the load checks."),
        )
    } else if missing.is_empty() {
        let next = plan.stages[st.stage + 1].id.clone();
        st.enter(st.stage + 1, date);
        (
            Action::Advance,
            next.clone(),
            "STAGE_PASSED",
            format!(
                "{why} Every exit criterion of {} is met: move to {next}.",
                stage.id
            ),
        )
    } else {
        (
            Action::Hold,
            stage.id.clone(),
            "GATE_NOT_MET",
            format!("{why} Still needed: {}.", missing.join("; ")),
        )
    };
    Decision {
        date,
        action,
        from_stage: stage.id.clone(),
        to_stage: to,
        rule: rule.into(),
        reason,
        references: stage.references.clone(),
        flags: Vec::new(),
    }
}

fn show(p: Option<u8>) -> String {
    p.map_or_else(|| "not given".to_owned(), |p| format!("{p}/10"))
}
