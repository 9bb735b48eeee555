//! Scenario replays: a few weeks of runs and check-ins per condition family, each decision
//! worked out by hand from knowledge/clinical.md §3.3, §3.7 and §3.8 (written in the comments),
//! then compared with the replay. Also shoe distances, the transition schedule, reference keys
//! and plan wording.

mod plan_events;

use plan_events::{day, hop, pain, plan, run};
use soleus_model::clinical::{Condition, Triage};
use soleus_model::plan::{
    Action, Decision, MuscleChecklist, PlanEvent, PlanInput, build_plan, replay, replay_state,
    today,
};

/// Compares (day, action, from, to, rule) of every decision with the hand-written list.
fn check(got: &[Decision], want: &[(i64, Action, &str, &str, &str)]) {
    let got: Vec<(i64, Action, String, String, String)> = got
        .iter()
        .map(|d| {
            (
                (d.date - day(0)).num_days(),
                d.action,
                d.from_stage.clone(),
                d.to_stage.clone(),
                d.rule.clone(),
            )
        })
        .collect();
    let want: Vec<(i64, Action, String, String, String)> = want
        .iter()
        .map(|(n, a, f, t, r)| (*n, *a, (*f).into(), (*t).into(), (*r).into()))
        .collect();
    assert_eq!(got, want);
}

use Action::{Advance, Hold, StepBack};

#[test]
fn tendon_midportion_follows_the_pain_monitoring_model() {
    let p = plan(Condition::AchillesMidportion, Triage::SelfCare, None);
    let ev = [
        pain(0, 2, 2, 1), // 2/10 ≤ 3 and no earlier morning: good, but T1 needs 7 days and a hop test → hold
        pain(3, 4, 4, 1), // 4/10: above the 3 needed to advance, within the 5 allowed (§3.3) → hold
        pain(5, 6, 3, 1), // 6/10 during > 5 → step back; T1 is the first stage, so T1 again from day 5
        pain(7, 2, 2, 2), // next morning 2 > the morning before (1) → step back (§3.3), T1 from day 7
        hop(14, 2, false), // hop 2/10 ≤ 3 passes; 7 days done, but no good check-in since day 7 → hold
        pain(14, 1, 1, 1), // good, 7 days, hop passed → advance to W1 (walk 4/run 1 ×6 = 30 min)
        run(16, 3.0, 30.0, 10.0), // 30 min ≤ 33 (30 + 10 %), 3.3 m/km ≤ 10: no flag, no decision
        pain(16, 3, 2, 1), // 3 ≤ 3, morning 1 not worse, a clean run at W1 that day → advance to W2
        run(18, 4.0, 40.0, 0.0), // 40 min > 33 → RUN_TOO_LONG → hold
        pain(18, 2, 2, 1), // the day's run exceeded the stage, so it cannot count → hold
        run(20, 4.0, 30.0, 80.0), // 80 m / 4 km = 20 m/km > 10 → RUN_TOO_HILLY → hold
        pain(20, 1, 1, 1), // exceeded run again → hold
        run(22, 4.0, 31.0, 5.0), // within every limit
        pain(22, 2, 2, 1), // good → advance to W3
    ];
    let got = replay(&p, &ev);
    check(
        &got,
        &[
            (0, Hold, "T1", "T1", "GATE_NOT_MET"),
            (3, Hold, "T1", "T1", "PAIN_ACCEPTABLE_ZONE"),
            (5, StepBack, "T1", "T1", "PAIN_ABOVE_LIMIT"),
            (7, StepBack, "T1", "T1", "MORNING_WORSE"),
            (14, Hold, "T1", "T1", "GATE_NOT_MET"),
            (14, Advance, "T1", "W1", "STAGE_PASSED"),
            (16, Advance, "W1", "W2", "STAGE_PASSED"),
            (18, Hold, "W2", "W2", "RUN_EXCEEDS_STAGE"),
            (18, Hold, "W2", "W2", "RUN_EXCEEDED"),
            (20, Hold, "W2", "W2", "RUN_EXCEEDS_STAGE"),
            (20, Hold, "W2", "W2", "RUN_EXCEEDED"),
            (22, Advance, "W2", "W3", "STAGE_PASSED"),
        ],
    );
    // The flags carry the numbers: 40 min against 30, and 20 m/km against 10.
    assert_eq!(
        (
            got[7].flags[0].code.as_str(),
            got[7].flags[0].actual,
            got[7].flags[0].limit
        ),
        ("RUN_TOO_LONG", 40.0, 30.0)
    );
    assert_eq!(
        (
            got[9].flags[0].code.as_str(),
            got[9].flags[0].actual,
            got[9].flags[0].limit
        ),
        ("RUN_TOO_HILLY", 20.0, 10.0)
    );
    assert!(
        got[2].reason.contains("6/10") && got[2].references.contains(&"Silbernagel07".to_owned())
    );
}

#[test]
fn tendon_symptoms_creeping_up_week_to_week_step_back() {
    let p = plan(Condition::AchillesMidportion, Triage::SelfCare, None);
    let mut ev = vec![];
    for n in [0, 2, 4, 6] {
        ev.push(pain(n, 1, 1, 1)); // good, but fewer than 7 days in T1 → hold
    }
    ev.push(pain(7, 1, 1, 3)); // morning 3 > 1 → step back (T1 again from day 7)
    for n in [9, 11, 13] {
        ev.push(pain(n, 1, 1, 3)); // 3 is not worse than 3; good, < 7 days since day 7 → hold
    }
    // Day 14: 7 days after the step back, so the weekly check runs. Mornings in days 8–14:
    // 3, 3, 3, 3 → mean 3.0; days 1–7: 1, 1, 1, 3 → mean 1.5; a rise of 1.5 ≥ 1 → step back.
    ev.push(pain(14, 1, 1, 3));
    let got = replay(&p, &ev);
    let mut want = vec![];
    for n in [0, 2, 4, 6] {
        want.push((n, Hold, "T1", "T1", "GATE_NOT_MET"));
    }
    want.push((7, StepBack, "T1", "T1", "MORNING_WORSE"));
    for n in [9, 11, 13] {
        want.push((n, Hold, "T1", "T1", "GATE_NOT_MET"));
    }
    want.push((14, StepBack, "T1", "T1", "WEEKLY_CREEP"));
    check(&got, &want);
    assert!(got[8].reason.contains("3.0/10") && got[8].reason.contains("1.5/10"));
}

#[test]
fn insertional_tendon_starts_with_floor_level_drops_only() {
    let p = plan(Condition::AchillesInsertional, Triage::SelfCare, None);
    let heel = |ids: Vec<String>| {
        ids.into_iter()
            .filter(|i| i.len() == 2 && i.starts_with('E'))
            .collect::<Vec<_>>()
    };
    let (st, _) = replay_state(&p, &[]);
    let t0 = today(&p, &st, day(0));
    assert_eq!(
        heel(t0.exercises.iter().map(|e| e.id.clone()).collect()),
        ["E1", "E3"]
    );
    let ev = [
        pain(0, 2, 1, 1),  // within 3/10, but TI1 is left only pain-free → hold
        pain(7, 0, 0, 1),  // 0/10, morning 1 not worse, 7 days → advance to TI2 (E2/E4 added)
        pain(9, 4, 5, 1),  // 5/10 after is acceptable (≤ 5) but above 3 → hold
        pain(10, 3, 3, 2), // morning 2 > 1 → step back to TI1
    ];
    let (st, got) = replay_state(&p, &ev);
    check(
        &got,
        &[
            (0, Hold, "TI1", "TI1", "NOT_PAIN_FREE"),
            (7, Advance, "TI1", "TI2", "STAGE_PASSED"),
            (9, Hold, "TI2", "TI2", "PAIN_ACCEPTABLE_ZONE"),
            (10, StepBack, "TI2", "TI1", "MORNING_WORSE"),
        ],
    );
    let (mid, _) = replay_state(&p, &ev[..2]);
    let t8 = today(&p, &mid, day(8));
    assert_eq!(
        heel(t8.exercises.iter().map(|e| e.id.clone()).collect()),
        ["E1", "E3", "E2", "E4"]
    );
    assert_eq!(p.stages[st.stage].id, "TI1");
}

#[test]
fn fascia_needs_two_weeks_and_a_hop_test_then_walk_run() {
    let p = plan(Condition::PlantarHeelPain, Triage::SelfCare, None);
    let ev = [
        pain(0, 3, 2, 3),  // good (≤ 3), F1 needs 14 days and a hop test → hold
        pain(7, 2, 2, 3),  // good, 7 < 14 days → hold
        hop(14, 4, false), // hop 4/10 > 3 → hold
        hop(15, 2, false), // hop passes; 15 ≥ 14 days; good check-in from day 7 → advance W1
        run(17, 2.5, 30.0, 0.0),
        pain(17, 2, 3, 3), // good, clean run at W1, morning 3 not worse than 3 → advance W2
        run(19, 3.0, 30.0, 0.0),
        pain(19, 6, 4, 3),       // 6 > 5 → step back to W1; no running days 20–21
        run(20, 2.0, 20.0, 0.0), // inside the rest → RUN_DURING_REST → hold
    ];
    let (st, got) = replay_state(&p, &ev);
    check(
        &got,
        &[
            (0, Hold, "F1", "F1", "GATE_NOT_MET"),
            (7, Hold, "F1", "F1", "GATE_NOT_MET"),
            (14, Hold, "F1", "F1", "HOP_TEST_PAIN"),
            (15, Advance, "F1", "W1", "STAGE_PASSED"),
            (17, Advance, "W1", "W2", "STAGE_PASSED"),
            (19, StepBack, "W2", "W1", "PAIN_ABOVE_LIMIT"),
            (20, Hold, "W1", "W1", "RUN_EXCEEDS_STAGE"),
        ],
    );
    assert_eq!(got[6].flags[0].code, "RUN_DURING_REST");
    // Rest until day 21 inclusive → no run on 21; day 22 is two days after the day-20 run → run.
    assert!(!today(&p, &st, day(21)).run_today);
    let t22 = today(&p, &st, day(22));
    assert!(
        t22.run_today && t22.run.contains("walk 4 min, run 1 min"),
        "{}",
        t22.run
    );
    // Towel raises are every second day counted from the stage's start (day 19 after the step
    // back): day 22 is day 3 of W1 (not due), day 23 is day 4 (due).
    assert!(!t22.exercises.iter().any(|e| e.id == "TOWEL_RAISE"));
    assert!(
        today(&p, &st, day(23))
            .exercises
            .iter()
            .any(|e| e.id == "TOWEL_RAISE")
    );
}

#[test]
fn bone_is_pain_free_only_and_focal_pain_goes_to_a_clinician() {
    let p = plan(Condition::Mtss, Triage::SelfCare, None);
    let ev = [
        pain(0, 0, 0, 0), // pain-free; B1 needs 7 days and pain-free hops → hold
        hop(7, 0, false), // 0/10 hops, 7 days, good check-in → advance W1
        run(9, 3.0, 30.0, 0.0),
        pain(9, 1, 0, 0), // 1/10 during: any pain steps back for bone → B1, rest to day 11
        pain(12, 0, 0, 0), // pain-free, but 3 < 7 days at B1 and no hop test since → hold
        hop(16, 0, false), // 7 days since day 9, hop 0, good check-in → advance W1
        run(18, 3.0, 29.0, 0.0),
        pain(18, 0, 0, 0), // pain-free, clean run → advance W2
        run(20, 3.0, 30.0, 0.0),
        pain(20, 0, 0, 1), // next morning 1/10: still pain → step back to W1
        hop(22, 3, true),  // focal bone pain on hopping → the plan stops until clearance
        pain(23, 0, 0, 0), // blocked → hold
        PlanEvent::Clearance { date: day(30) }, // clearance lifts the block at W1
    ];
    let got = replay(&p, &ev);
    check(
        &got,
        &[
            (0, Hold, "B1", "B1", "GATE_NOT_MET"),
            (7, Advance, "B1", "W1", "STAGE_PASSED"),
            (9, StepBack, "W1", "B1", "BONE_PAIN"),
            (12, Hold, "B1", "B1", "GATE_NOT_MET"),
            (16, Advance, "B1", "W1", "STAGE_PASSED"),
            (18, Advance, "W1", "W2", "STAGE_PASSED"),
            (20, StepBack, "W2", "W1", "BONE_PAIN"),
            (22, Hold, "W1", "W1", "HOP_FOCAL_BONE_PAIN"),
            (23, Hold, "W1", "W1", "PLAN_BLOCKED"),
            (30, Advance, "W1", "W1", "CLEARANCE_RECORDED"),
        ],
    );
    // Never an "acceptable pain" hold for bone.
    let hurts = replay(&p, &[pain(0, 2, 2, 0), pain(2, 3, 0, 0)]);
    assert!(
        hurts
            .iter()
            .all(|d| d.action == StepBack && d.rule == "BONE_PAIN")
    );
}

#[test]
fn suspected_bone_stress_injury_waits_for_clearance() {
    for triage in [Triage::SelfCare, Triage::Soon] {
        let p = plan(Condition::TibialBsi, triage, None);
        assert!(p.blocked.as_ref().unwrap().lifted_by_clearance);
        let ev = [
            pain(0, 0, 0, 0),                       // blocked → hold
            PlanEvent::Clearance { date: day(10) }, // starts BS1 on day 10
            pain(10, 0, 0, 0),                      // good; 0 of 7 days, no hop test → hold
            hop(17, 0, false),                      // 7 days, hop 0, cleared, good → advance W1
        ];
        check(
            &replay(&p, &ev),
            &[
                (0, Hold, "BS1", "BS1", "PLAN_BLOCKED"),
                (10, Advance, "BS1", "BS1", "CLEARANCE_RECORDED"),
                (10, Hold, "BS1", "BS1", "GATE_NOT_MET"),
                (17, Advance, "BS1", "W1", "STAGE_PASSED"),
            ],
        );
    }
}

#[test]
fn muscle_leaves_rehab_by_the_checklist() {
    let p = plan(Condition::SoleusStrain, Triage::SelfCare, Some(1));
    let list = |n, raises, diff| {
        PlanEvent::Checklist(MuscleChecklist {
            date: day(n),
            raises,
            side_diff_pct: diff,
            palpation_pain: 0,
            knee_to_wall_diff_pct: 5.0,
            daily_life_pain_free: true,
            brisk_walk_30_pain_free: true,
        })
    };
    let ev = [
        pain(0, 2, 2, 2),  // ≤ 3, first report; grade 1 needs 3 days in M1 → hold
        pain(3, 1, 1, 1),  // good, 3 days → advance M2
        list(5, 24, 20.0), // 24 < 30 raises and 20 % > 10 % → hold
        list(10, 32, 6.0), // passes; 7 days in M2, but no good check-in since day 3 → hold
        pain(10, 0, 0, 1), // good → advance W1
        run(12, 3.0, 30.0, 0.0),
        pain(12, 4, 2, 1), // 4 > 3: muscle steps back on pain above 3 → M2
        pain(14, 0, 0, 1), // good, but 2 of 7 days and the checklist again → hold
    ];
    let got = replay(&p, &ev);
    check(
        &got,
        &[
            (0, Hold, "M1", "M1", "GATE_NOT_MET"),
            (3, Advance, "M1", "M2", "STAGE_PASSED"),
            (5, Hold, "M2", "M2", "CHECKLIST_NOT_MET"),
            (10, Hold, "M2", "M2", "GATE_NOT_MET"),
            (10, Advance, "M2", "W1", "STAGE_PASSED"),
            (12, StepBack, "W1", "M2", "PAIN_ABOVE_LIMIT"),
            (14, Hold, "M2", "M2", "GATE_NOT_MET"),
        ],
    );
    assert!(got[2].reason.contains("24 single-leg raises") && got[2].reason.contains("20 %"));
}

#[test]
fn red_flags_block_the_plan() {
    for (c, triage) in [
        (Condition::AchillesMidportion, Triage::Urgent),
        (Condition::SoleusStrain, Triage::Emergency),
        (Condition::Dvt, Triage::SelfCare),
        (Condition::AchillesRupture, Triage::Urgent),
        (Condition::TibialBsi, Triage::Urgent),
    ] {
        let p = plan(c, triage, None);
        let b = p
            .blocked
            .as_ref()
            .unwrap_or_else(|| panic!("{c:?} {triage:?} not blocked"));
        assert!(
            b.message.contains("clinician first") || b.message.contains("clinician today"),
            "{}",
            b.message
        );
        assert!(!b.lifted_by_clearance);
        let ev = [
            pain(0, 0, 0, 0),
            PlanEvent::Clearance { date: day(1) },
            pain(1, 0, 0, 0),
        ];
        let (st, got) = replay_state(&p, &ev);
        assert!(
            got.iter()
                .all(|d| d.action == Hold && d.rule == "PLAN_BLOCKED"),
            "{c:?}"
        );
        let t = today(&p, &st, day(2));
        assert!(t.blocked.is_some() && t.exercises.is_empty() && !t.run_today);
    }
    // A non-bone SOON triage keeps the plan with a caution.
    let p = plan(Condition::GastrocStrain, Triage::Soon, None);
    assert!(p.blocked.is_none() && p.cautions.iter().any(|c| c.contains("clinician")));
}

#[test]
fn a_run_faster_than_the_easy_pace_is_flagged_with_the_numbers() {
    let mut input = PlanInput::new(Condition::AchillesMidportion, Triage::SelfCare, day(0));
    input.easy_pace_s_per_km = Some(360.0); // 6:00 /km; 5 % margin → 342 s/km is the fastest allowed
    let p = build_plan(&input);
    let ev = [
        pain(0, 0, 0, 0),
        hop(7, 0, false),
        pain(7, 0, 0, 0),
        run(9, 6.0, 30.0, 0.0),
    ];
    let got = replay(&p, &ev);
    // 30 min / 6 km = 300 s/km < 342 → RUN_TOO_FAST at W1.
    let f = &got.last().unwrap().flags[0];
    assert_eq!(
        (f.code.as_str(), f.actual, f.limit),
        ("RUN_TOO_FAST", 300.0, 342.0)
    );
    assert!(
        f.message.contains("5:00") && f.message.contains("6:00"),
        "{}",
        f.message
    );
}

fn triage(n: i64, level: Triage, bone: bool) -> PlanEvent {
    PlanEvent::Triage(soleus_model::plan::TriageEvent {
        date: day(n),
        level,
        bone_stress_suspected: bone,
        since: day(n),
    })
}

#[test]
fn a_red_flag_check_in_stops_a_running_plan_until_a_self_care_check_in_or_clearance() {
    // Issue scenario: a grade 1 soleus plan, then a check-in with breathlessness (EMERGENCY).
    // Pain reports after it must not advance the plan (§1.14: red flags override everything).
    let p = plan(Condition::SoleusStrain, Triage::SelfCare, Some(1));
    let ev = [
        triage(2, Triage::Emergency, false),
        pain(3, 0, 0, 0),
        pain(4, 0, 0, 0),
    ];
    let (st, got) = replay_state(&p, &ev);
    check(
        &got,
        &[
            (2, Hold, "M1", "M1", "RED_FLAG"),
            (3, Hold, "M1", "M1", "PLAN_STOPPED_RED_FLAG"),
            (4, Hold, "M1", "M1", "PLAN_STOPPED_RED_FLAG"),
        ],
    );
    let t = today(&p, &st, day(5));
    assert!(t.exercises.is_empty() && !t.run_today, "{t:?}");
    assert!(t.blocked.as_deref().unwrap().contains("emergency"), "{t:?}");
    // A later full check-in without a red flag lifts the stop; so does a clearance.
    let mut later = ev.to_vec();
    later.push(triage(6, Triage::SelfCare, false));
    let (st, got) = replay_state(&p, &later);
    assert_eq!(got.last().unwrap().rule, "RED_FLAG_RESOLVED");
    assert!(!st.stopped());
    let mut cleared = ev.to_vec();
    cleared.push(PlanEvent::Clearance { date: day(6) });
    let (st, _) = replay_state(&p, &cleared);
    assert!(!st.stopped());
}

#[test]
fn a_same_day_clearance_recorded_after_a_red_flag_lifts_it_that_day() {
    // Within a day, triages and clearances keep the order they were recorded in.
    let p = plan(Condition::AchillesMidportion, Triage::SelfCare, None);
    let (st, _) = replay_state(
        &p,
        &[
            triage(3, Triage::Urgent, false),
            PlanEvent::Clearance { date: day(3) },
        ],
    );
    assert!(!st.stopped());
    let (st, _) = replay_state(
        &p,
        &[
            PlanEvent::Clearance { date: day(3) },
            triage(3, Triage::Urgent, false),
        ],
    );
    assert!(st.stopped());
}

#[test]
fn bone_suspicion_mid_plan_stops_a_fascia_plan() {
    let p = plan(Condition::PlantarHeelPain, Triage::SelfCare, None);
    let (st, got) = replay_state(&p, &[triage(4, Triage::Soon, true), pain(5, 2, 2, 1)]);
    assert_eq!(got[0].rule, "BONE_STRESS_SUSPECTED");
    assert!(st.stopped());
    assert!(today(&p, &st, day(6)).exercises.is_empty());
}

#[test]
fn a_bone_suspected_assessment_gets_the_bone_model_whatever_ranked_first() {
    // A plantar-heel picture with a painful calcaneal squeeze (§1.8: squeeze pain points to
    // bone): the plan is the bone one, blocked until a clearance, never the fascia one.
    let mut input = PlanInput::new(Condition::PlantarHeelPain, Triage::Soon, day(0));
    input.bone_stress_suspected = true;
    let p = build_plan(&input);
    assert_eq!(p.family, soleus_model::clinical::Family::Bone);
    assert_eq!(p.input.condition, Condition::CalcanealBsi);
    assert!(p.blocked.as_ref().is_some_and(|b| b.lifted_by_clearance));
    assert_eq!(p.model.as_ref().unwrap().step_back_above, 0);
}

#[test]
fn a_recent_fluoroquinolone_starts_tendon_loading_gentler() {
    // §1.5: fluoroquinolones are a rupture-risk flag: no loading "through moderate pain".
    let mut input = PlanInput::new(Condition::AchillesMidportion, Triage::Soon, day(0));
    input.history.fluoroquinolone = true;
    let p = build_plan(&input);
    assert_eq!(p.model.as_ref().unwrap().step_back_above, 3);
    assert!(p.cautions.iter().any(|c| c.contains("fluoroquinolone")));
    let st = soleus_model::plan::PlanState::start(&p);
    for e in today(&p, &st, day(0)).exercises {
        assert!(!e.acceptable_pain.contains("5/10"), "{}", e.acceptable_pain);
    }
}

#[test]
fn every_exercise_of_every_stage_takes_its_pain_limit_from_the_plan_model() {
    use soleus_model::clinical::Family;
    use soleus_model::plan::acceptable_pain;
    for c in Condition::ALL {
        for grade in [None, Some(1), Some(3)] {
            let p = plan(c, Triage::SelfCare, grade);
            let Some(m) = p.model.clone() else { continue };
            for stage in &p.stages {
                for e in &stage.exercises {
                    let text = acceptable_pain(&p, stage, &e.id).to_lowercase();
                    assert!(
                        !text.contains("moderate pain"),
                        "{c:?} {}: {text}",
                        stage.id
                    );
                    if p.family == Family::Bone {
                        assert!(
                            text.contains("pain-free only"),
                            "{c:?} {}: {text}",
                            stage.id
                        );
                        assert!(!text.contains("up to"), "{c:?} {}: {text}", stage.id);
                    } else if e.id != "HOP_TEST" {
                        let limit = format!("up to {}/10", m.step_back_above);
                        assert!(text.contains(&limit), "{c:?} {}: {text}", stage.id);
                        assert_eq!(
                            text.contains("pain-monitoring"),
                            matches!(p.family, Family::Tendon | Family::Fascia),
                            "{c:?} {}: {text}",
                            stage.id
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn any_red_flag_above_the_plans_level_stops_it() {
    // "A red flag, however it is entered, stops every plan and exercise": a SOON flag (say,
    // night pain) during a self-care plan stops it; a plan started at SOON already says to see
    // a clinician within a week, so a SOON check-in does not stop it again.
    let self_care = plan(Condition::AchillesMidportion, Triage::SelfCare, None);
    let (st, got) = replay_state(&self_care, &[triage(2, Triage::Soon, false)]);
    assert!(st.stopped());
    assert_eq!(got[0].rule, "RED_FLAG");
    assert!(
        got[0].reason.contains("within about a week"),
        "{}",
        got[0].reason
    );
    let soon = plan(Condition::AchillesMidportion, Triage::Soon, None);
    let (st, _) = replay_state(&soon, &[triage(2, Triage::Soon, false)]);
    assert!(!st.stopped());
}

#[test]
fn a_red_flag_reported_before_a_plan_starts_stops_it_from_its_first_day() {
    // Starting a plan is not a clearance: an URGENT check-in two days before the start, with
    // no clearance since, stops the plan on day 0.
    let p = plan(Condition::SoleusStrain, Triage::SelfCare, Some(1));
    let (st, got) = replay_state(&p, &[triage(-2, Triage::Urgent, false), pain(1, 0, 0, 0)]);
    assert!(st.stopped());
    assert_eq!(got[0].rule, "RED_FLAG");
    assert_eq!(got[0].date, day(0));
    assert!(today(&p, &st, day(2)).exercises.is_empty());
    // A clearance before the start lifts it.
    let (st, _) = replay_state(
        &p,
        &[
            triage(-2, Triage::Urgent, false),
            PlanEvent::Clearance { date: day(-1) },
        ],
    );
    assert!(!st.stopped());
}
