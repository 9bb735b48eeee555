//! The clinical use cases called directly, without the command line: a red flag recorded with a
//! check-in stops a running plan and leaves today only the way to a clinician, a clinician's
//! clearance lifts it, reading never writes, and a saved assessment writes the plan it starts.
//! Expected values come from the knowledge base (clinical.md §1.1, §1.5, §1.11, §1.14, §3.3).

use chrono::NaiveDate;
use soleus_app::checkin::AssessWhat;
use soleus_app::journal::Kind;
use soleus_app::plan::{CLINICIAN_FIRST, PlanAnswer, PlanStart, PlanStarted};
use soleus_app::profile::ProfileChange;
use soleus_app::{App, AppError};
use soleus_model::assess::{CheckIn, Triage};
use soleus_model::clinical::Condition;
use soleus_model::plan::Side;

/// An app over a fresh SQLite file, the athlete's days in UTC.
async fn app(dir: &tempfile::TempDir) -> App {
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let app = App::open(&url).await.unwrap();
    app.set_profile(&ProfileChange {
        time_zone: Some("UTC".into()),
        ..ProfileChange::default()
    })
    .await
    .unwrap();
    app
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn checkin(json: &str) -> CheckIn {
    CheckIn::from_json(json).unwrap()
}

/// Every journal entry, of every kind.
async fn journal_size(app: &App) -> usize {
    let mut n = 0;
    for kind in Kind::ALL {
        n += app.store().entries(kind).await.unwrap().len();
    }
    n
}

async fn start(app: &App, condition: Condition, on: &str) {
    app.start_plan(&PlanStart {
        condition,
        grade: Some(1),
        triage: Triage::SelfCare,
        side: Side::Left,
        on: Some(day(on)),
    })
    .await
    .unwrap();
}

/// Reads every view that only looks: plan, history, today, check-ins, the red flags in force,
/// the report.
async fn read_everything(app: &App, on: &str) {
    app.plan().await.unwrap();
    app.plan_history().await.unwrap();
    app.today(Some(day(on))).await.unwrap();
    app.checkins().await.unwrap();
    app.red_flag_in_force().await.unwrap();
    app.clinic_report(None, Some(day(on))).await.unwrap();
    app.scores().await.unwrap();
}

#[tokio::test]
async fn a_red_flag_check_in_stops_a_running_plan_and_today_shows_only_the_way_to_a_clinician() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    start(&app, Condition::SoleusStrain, "2026-11-25").await;
    let PlanAnswer::Shown(before) = app.today(Some(day("2026-11-26"))).await.unwrap() else {
        panic!("a grade 1 soleus strain plan with no red flag is shown");
    };
    assert!(before.today.blocked.is_none() && !before.today.exercises.is_empty());

    // Breathlessness or chest pain with a swollen calf (girth 3.5 cm, §1.11): EMERGENCY, a
    // possible pulmonary embolism (§1.14).
    let saved = app
        .store_checkin(&checkin(
            r#"{"date":"2026-11-26","side":"left","regions":["CALF_MID"],
                "breathless_or_chest_pain":true,"swelling":"whole_calf","calf_girth_diff_cm":3.5}"#,
        ))
        .await
        .unwrap();
    assert_eq!(saved.triage, Triage::Emergency);
    assert!(saved.plan_stopped, "a red flag stops every plan (§1.14)");

    // Today, on the day and after: the way to a clinician and nothing to do, not even a run.
    for on in ["2026-11-26", "2026-11-28"] {
        let PlanAnswer::Shown(t) = app.today(Some(day(on))).await.unwrap() else {
            panic!("a stopped plan's day still answers with the day");
        };
        assert!(t.today.blocked.is_some(), "{on}");
        assert!(t.today.exercises.is_empty(), "{on}");
        assert!(!t.today.run_today, "{on}");
    }
    // The plan itself is only the way to a clinician, said to come from a red flag that a
    // clearance can lift.
    let PlanAnswer::Blocked(b) = app.plan().await.unwrap() else {
        panic!("the plan is blocked");
    };
    assert_eq!(b.blocked.red_flag, Some(true));
    assert!(b.blocked.lifted_by_clearance);
    // Every plan waits, the change to lower-drop shoes too.
    let soleus_app::shoes::TransitionView::None { why, .. } =
        app.shoe_transition(None).await.unwrap()
    else {
        panic!("no shoe transition while a red flag is in force");
    };
    assert!(why.contains("red flag"), "{why}");
    // A pain-free quick log after it answers none of the flag's questions: still stopped
    // (a thinner check-in never lowers the level).
    app.log_pain(&soleus_app::checkin::PainLog {
        date: Some(day("2026-11-27")),
        during: Some(0),
        after: Some(0),
        next_morning: Some(0),
    })
    .await
    .unwrap();
    let PlanAnswer::Shown(t) = app.today(Some(day("2026-11-28"))).await.unwrap() else {
        panic!("a stopped plan's day still answers with the day");
    };
    assert!(t.today.exercises.is_empty());
}

/// The day holds nothing to do: only the way to a clinician, however the answer says it.
fn nothing_to_do(answer: &PlanAnswer<soleus_app::plan::TodayView>, what: &str) {
    match answer {
        PlanAnswer::Blocked(b) => {
            assert!(b.blocked.lifted_by_clearance, "{what}");
            assert!(
                b.blocked.message.contains("emergency"),
                "{what}: {}",
                b.blocked.message
            );
        }
        PlanAnswer::Shown(t) => {
            assert!(t.today.blocked.is_some(), "{what}: the day is stopped");
            assert!(t.today.exercises.is_empty() && !t.today.run_today, "{what}");
        }
        PlanAnswer::NoPlan { .. } => panic!("{what}: a plan was started"),
    }
}

#[tokio::test]
async fn a_red_flag_stops_a_plan_started_the_same_day_before_or_after_it() {
    // The plan first, then the red flag, on one day: the plan that an assessment saved in the
    // morning must stop when an emergency is reported in the afternoon.
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let flag = r#"{"date":"2026-11-26","side":"left","regions":["CALF_MID"],
        "breathless_or_chest_pain":true,"swelling":"whole_calf","calf_girth_diff_cm":3.5}"#;
    start(&app, Condition::SoleusStrain, "2026-11-26").await;
    app.store_checkin(&checkin(flag)).await.unwrap();
    for on in ["2026-11-26", "2026-11-27"] {
        nothing_to_do(
            &app.today(Some(day(on))).await.unwrap(),
            &format!("plan then flag, {on}"),
        );
    }
    let PlanAnswer::Blocked(_) = app.plan().await.unwrap() else {
        panic!("the plan is only the way to a clinician");
    };

    // The red flag first, then a self-care plan for a known condition, the same day and the
    // day after (EMERGENCY, §1.14): the flag in force stops it too.
    let dir = tempfile::tempdir().unwrap();
    let app = self::app(&dir).await;
    app.store_checkin(&checkin(flag)).await.unwrap();
    for on in ["2026-11-26", "2026-11-27"] {
        start(&app, Condition::SoleusStrain, on).await;
        let what = format!("flag then plan started {on}");
        nothing_to_do(&app.today(Some(day("2026-11-27"))).await.unwrap(), &what);
        let PlanAnswer::Blocked(b) = app.plan().await.unwrap() else {
            panic!("{what}: the plan is only the way to a clinician");
        };
        assert_eq!(b.blocked.triage, Triage::Emergency, "{what}");
        // The history is still shown while a plan is stopped, and says it is stopped.
        match app.plan_history().await.unwrap() {
            PlanAnswer::Blocked(_) => {}
            PlanAnswer::Shown(h) => assert!(h.blocked, "{what}: the history says stopped"),
            PlanAnswer::NoPlan { .. } => panic!("{what}: a plan was started"),
        }
    }
    // A clinician's clearance lifts it: the plan is shown again from the clearance's day.
    app.record_clearance(
        Some(day("2026-11-28")),
        Some("Dr B".into()),
        Some("no clot on ultrasound".into()),
    )
    .await
    .unwrap();
    let PlanAnswer::Shown(t) = app.today(Some(day("2026-11-28"))).await.unwrap() else {
        panic!("after the clearance the plan is shown");
    };
    assert!(
        !t.today.exercises.is_empty(),
        "{}",
        soleus_app::to_json(&t).unwrap()
    );
}

#[tokio::test]
async fn a_clinicians_clearance_lifts_a_red_flag_recorded_during_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    start(&app, Condition::AchillesMidportion, "2026-11-20").await;
    // An abnormal calf-squeeze (Thompson) test: a possible Achilles rupture, URGENT (§1.7,
    // §1.14).
    let saved = app
        .store_checkin(&checkin(
            r#"{"date":"2026-11-24","side":"left","regions":["ACHILLES_MID"],
                "tests":{"THOMPSON":"abnormal"}}"#,
        ))
        .await
        .unwrap();
    assert_eq!(saved.triage, Triage::Urgent);
    assert!(app.red_flag_in_force().await.unwrap().is_some());
    let PlanAnswer::Shown(t) = app.today(Some(day("2026-11-25"))).await.unwrap() else {
        panic!("the day answers");
    };
    assert!(t.today.blocked.is_some() && t.today.exercises.is_empty());

    // A clearance recorded on a day counts that same day.
    app.record_clearance(Some(day("2026-11-25")), Some("Dr A".into()), None)
        .await
        .unwrap();
    assert!(app.red_flag_in_force().await.unwrap().is_none());
    let PlanAnswer::Shown(t) = app.today(Some(day("2026-11-25"))).await.unwrap() else {
        panic!("the day answers");
    };
    assert!(t.today.blocked.is_none(), "{:?}", t.today.blocked);
    assert!(!t.today.exercises.is_empty());
    let PlanAnswer::Shown(_) = app.plan().await.unwrap() else {
        panic!("the plan is shown again");
    };
    let PlanAnswer::Shown(h) = app.plan_history().await.unwrap() else {
        panic!("the history is shown");
    };
    assert_eq!(h.clearances[0].name.as_deref(), Some("Dr A"));
}

#[tokio::test]
async fn reading_the_plan_today_and_the_report_twice_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    // Gradual mid-portion Achilles pain with morning stiffness (§1.5): a tendon plan follows
    // the saved assessment.
    app.store_checkin(&checkin(
        r#"{"date":"2026-11-20","side":"right","regions":["ACHILLES_MID"],"onset":"gradual",
            "days_since_onset":21,"trend":"same","pain":{"now":2,"during_run":4,"after_run":4,"next_morning":3},
            "morning_stiffness_min":15,"can_bear_weight":true,"can_heel_raise_single_leg":true}"#,
    ))
    .await
    .unwrap();
    let before_looking = journal_size(&app).await;
    let looked = app.assess(AssessWhat::Latest, false).await.unwrap();
    assert!(looked.assessment_id.is_none() && looked.plan.is_none());
    assert_eq!(
        journal_size(&app).await,
        before_looking,
        "looking records nothing"
    );

    let saved = app.assess(AssessWhat::Latest, true).await.unwrap();
    assert!(matches!(
        saved.plan,
        Some(PlanStarted::Started {
            condition: Condition::AchillesMidportion,
            blocked: None,
            ..
        })
    ));
    // Saving wrote the assessment and its plan, keyed by it.
    let plans = app.store().entries(Kind::Plan).await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(
        plans[0].body["assessment_id"].as_i64(),
        saved.assessment_id.map(|id| id.0)
    );

    let before = journal_size(&app).await;
    read_everything(&app, "2026-11-21").await;
    read_everything(&app, "2026-11-21").await;
    assert_eq!(journal_size(&app).await, before);
    let PlanAnswer::Shown(p) = app.plan().await.unwrap() else {
        panic!("the tendon plan is shown");
    };
    assert_eq!(p.plan.input.condition, Condition::AchillesMidportion);
}

#[tokio::test]
async fn an_assessment_saved_without_its_plan_is_read_as_the_plan_it_starts_and_nothing_is_written()
{
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    app.store_checkin(&checkin(
        r#"{"date":"2026-11-20","side":"right","regions":["ACHILLES_MID"],"onset":"gradual",
            "days_since_onset":21,"pain":{"now":2,"during_run":4,"after_run":4,"next_morning":3},
            "morning_stiffness_min":15}"#,
    ))
    .await
    .unwrap();
    // An assessment stored the way earlier versions did: the document alone, no plan entry.
    let doc = serde_json::to_value(app.assess(AssessWhat::Latest, false).await.unwrap()).unwrap();
    app.store()
        .add_entry(Kind::Assessment, day("2026-11-20"), &doc)
        .await
        .unwrap();
    let before = journal_size(&app).await;
    for _ in 0..2 {
        let PlanAnswer::Shown(p) = app.plan().await.unwrap() else {
            panic!("the assessment's plan is shown");
        };
        assert_eq!(p.plan.input.started_on, day("2026-11-20"));
    }
    assert_eq!(journal_size(&app).await, before);
}

#[tokio::test]
async fn a_red_flag_with_no_plan_is_answered_with_the_way_to_a_clinician() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    // Calf pain after long-haul travel with a swollen calf (girth 3.5 cm): a DVT risk factor
    // plus calf pain, URGENT (§1.11, §1.14). No plan has been started.
    let saved = app
        .store_checkin(&checkin(
            r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"onset":"gradual",
                "pain":{"now":4,"walking":4},"swelling":"whole_calf","calf_girth_diff_cm":3.5,
                "history":{"dvt_risk_factors":["long_travel"]}}"#,
        ))
        .await
        .unwrap();
    assert_eq!(saved.triage, Triage::Urgent);
    assert!(!saved.plan_stopped, "there is no plan to stop");
    let before = journal_size(&app).await;
    for _ in 0..2 {
        let PlanAnswer::Blocked(b) = app.plan().await.unwrap() else {
            panic!("the way to a clinician, not \"no plan yet\"");
        };
        assert_eq!(b.blocked.message, CLINICIAN_FIRST);
        assert_eq!(b.blocked.triage, Triage::Urgent);
        assert_eq!(b.blocked.red_flag, None);
        assert!(matches!(
            app.today(Some(day("2026-05-01"))).await.unwrap(),
            PlanAnswer::Blocked(_)
        ));
    }
    assert_eq!(journal_size(&app).await, before);
}

#[tokio::test]
async fn a_plan_saved_at_emergency_shows_only_the_way_to_a_clinician_and_a_clearance_does_not_lift_it()
 {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    // Breathlessness or chest pain with a calf complaint: EMERGENCY, a possible pulmonary
    // embolism (§1.11, §1.14).
    let c = checkin(
        r#"{"date":"2026-05-01","side":"left","regions":["LEG_DIFFUSE"],"breathless_or_chest_pain":true}"#,
    );
    let saved = app
        .assess(AssessWhat::New(Box::new(c)), true)
        .await
        .unwrap();
    assert_eq!(saved.assessment.triage, Triage::Emergency);
    let Some(PlanStarted::Started {
        blocked: Some(why), ..
    }) = &saved.plan
    else {
        panic!("a plan at EMERGENCY is never followed: {:?}", saved.plan);
    };
    assert!(why.to_lowercase().contains("emergency"), "{why}");
    // Only a suspected bone stress injury waits for a clearance; a plan started at a
    // same-day or emergency level stays with the clinician.
    app.record_clearance(Some(day("2026-05-02")), None, None)
        .await
        .unwrap();
    let PlanAnswer::Blocked(b) = app.plan().await.unwrap() else {
        panic!("the way to a clinician");
    };
    assert_eq!(b.blocked.triage, Triage::Emergency);
    assert!(!b.blocked.lifted_by_clearance);
    let PlanAnswer::Shown(t) = app.today(Some(day("2026-05-03"))).await.unwrap() else {
        panic!("the day answers");
    };
    assert!(t.today.blocked.is_some() && t.today.exercises.is_empty() && !t.today.run_today);
}

#[tokio::test]
async fn a_saved_strain_assessment_starts_a_plan_at_its_grade() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    // A sudden mid-calf strain, a single-leg heel raise possible, little pain on the heel
    // raises and walking, no bruising or swelling: grade 1 (§1.1, the assessment's grading
    // rules); bent-knee raises worse than straight point at the soleus.
    let c = checkin(
        r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"onset":"sudden",
            "pain":{"now":2,"walking":1},"can_bear_weight":true,"can_heel_raise_single_leg":true,
            "bruising":false,"swelling":"none",
            "tests":{"SLHR_STRAIGHT":{"reps":24,"pain":1},"SLHR_BENT":{"reps":15,"pain":3}}}"#,
    );
    let saved = app
        .assess(AssessWhat::New(Box::new(c)), true)
        .await
        .unwrap();
    let top = &saved.assessment.conditions[0];
    let grade = top.grade.as_ref().map(|g| g.grade);
    assert_eq!(grade, Some(1), "{top:?}");
    let PlanAnswer::Shown(p) = app.plan().await.unwrap() else {
        panic!("a self-care strain plan is shown");
    };
    assert_eq!(p.plan.input.condition, top.code);
    assert_eq!(p.plan.input.grade, Some(1));
}

#[tokio::test]
async fn a_check_in_in_the_future_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    let err = app
        .store_checkin(&checkin(
            r#"{"date":"2099-05-01","side":"left","regions":["CALF_MID"]}"#,
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid { field: "date", .. }),
        "{err}"
    );
    assert_eq!(journal_size(&app).await, 0);
    // A quick log needs a full check-in to continue.
    let err = app
        .log_pain(&soleus_app::checkin::PainLog {
            during: Some(3),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("full one first"), "{err}");
}

#[tokio::test]
async fn a_stored_check_in_is_assessed_by_its_id_and_an_unknown_id_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir).await;
    // Two check-ins: the first in the Achilles mid-portion (§1.5), the second at the inner
    // shin (§1.3). Assessing the first by its id must not assess the latest.
    let first = app
        .store_checkin(&checkin(
            r#"{"date":"2026-11-20","side":"right","regions":["ACHILLES_MID"],"onset":"gradual",
                "days_since_onset":21,"trend":"same","morning_stiffness_min":15}"#,
        ))
        .await
        .unwrap();
    app.store_checkin(&checkin(
        r#"{"date":"2026-11-21","side":"left","regions":["TIBIA_PM_DISTAL"],"onset":"gradual"}"#,
    ))
    .await
    .unwrap();
    let before = journal_size(&app).await;
    let v = app
        .assess(AssessWhat::Stored(first.checkin_id), false)
        .await
        .unwrap();
    assert_eq!(v.checkin_id, first.checkin_id);
    assert_eq!(v.date, day("2026-11-20"));
    assert_eq!(journal_size(&app).await, before, "looking records nothing");
    let missing = soleus_app::EntryId(first.checkin_id.0 + 1000);
    assert!(matches!(
        app.assess(AssessWhat::Stored(missing), false).await,
        Err(AppError::NotFound {
            what: "check-in",
            ..
        })
    ));
}
