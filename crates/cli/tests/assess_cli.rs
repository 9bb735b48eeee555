//! `soleus checkin` and `soleus assess` end to end.

mod common;

use common::Sandbox;

fn write(sb: &Sandbox, name: &str, text: &str) -> String {
    let p = sb.path(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn a_bad_check_in_names_the_field_and_the_allowed_values() {
    let sb = Sandbox::new();
    let f = write(
        &sb,
        "c.json",
        r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"onset":"slowly"}"#,
    );
    let out = sb.run(&["checkin", "--json", &f]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("onset") && err.contains("gradual"), "{err}");
    let f = write(
        &sb,
        "d.json",
        r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"swelling_cm":2}"#,
    );
    let err = String::from_utf8_lossy(&sb.run(&["checkin", "--json", &f]).stderr).to_string();
    assert!(
        err.contains("swelling_cm"),
        "an unknown field is named: {err}"
    );
    // A date in the future is a typo, not a check-in.
    let f = write(
        &sb,
        "e.json",
        r#"{"date":"2099-05-01","side":"left","regions":["CALF_MID"]}"#,
    );
    assert!(sb.fails(&["checkin", "--json", &f]).contains("future"));
    // Nothing was stored.
    let (_, list) = sb.json(&["checkins", "--json"]);
    assert!(list["checkins"].as_array().unwrap().is_empty());
}

#[test]
fn a_red_flag_comes_first_and_blocks_self_care() {
    let sb = Sandbox::new();
    // Calf pain after long-haul travel with a swollen calf: DVT routing (clinical.md §1.14,
    // URGENT: DVT risk factor plus calf pain; calf girth ≥ 3 cm).
    let f = write(
        &sb,
        "dvt.json",
        r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"onset":"gradual",
            "pain":{"now":4,"walking":4},"swelling":"whole_calf","calf_girth_diff_cm":3.5,
            "history":{"dvt_risk_factors":["long_travel"]}}"#,
    );
    assert_eq!(sb.run(&["checkin", "--json", &f]).status.code(), Some(0));
    let (code, doc) = sb.json(&["assess", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["triage"], "URGENT");
    assert!(!doc["red_flags"].as_array().unwrap().is_empty());
    assert!(doc["disclaimer"].as_str().unwrap().len() > 20);
    let text = String::from_utf8_lossy(&sb.run(&["assess"]).stdout).to_string();
    assert!(
        text.lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with("Assessment of check-in"))
            .unwrap()
            .starts_with("URGENT"),
        "the triage level is printed first: {text}"
    );
    assert!(!text.to_lowercase().contains("you have "), "{text}");
    // No plan follows a red flag: the answer is the clinician-first message.
    for args in [&["plan"][..], &["today"][..]] {
        let out = sb.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
        assert!(
            text.contains("clinician") && !text.contains("heel drop"),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn an_emergency_with_no_condition_named_still_answers_plan_with_the_clinician() {
    let sb = Sandbox::new();
    // Breathlessness or chest pain with a calf complaint: EMERGENCY (clinical.md §1.14).
    let f = write(
        &sb,
        "e.json",
        r#"{"date":"2026-05-01","side":"left","regions":["LEG_DIFFUSE"],"breathless_or_chest_pain":true}"#,
    );
    let (_, doc) = sb.json(&["assess", "--checkin", &f, "--json"]);
    assert_eq!(doc["triage"], "EMERGENCY");
    let (code, plan) = sb.json(&["plan", "--json"]);
    assert_eq!(code, 0);
    assert!(
        plan["blocked"]["message"]
            .as_str()
            .unwrap()
            .contains("clinician"),
        "{plan}"
    );
}

#[test]
fn a_midportion_achilles_picture_is_consistent_with_tendinopathy() {
    let sb = Sandbox::new();
    // Gradual mid-portion Achilles pain, morning stiffness, worse the morning after runs
    // (clinical.md §1.5): mid-portion tendinopathy should rank first, with no red flag.
    let f = write(
        &sb,
        "a.json",
        r#"{"date":"2026-05-01","side":"right","regions":["ACHILLES_MID"],"onset":"gradual",
            "days_since_onset":21,"trend":"same","pain":{"now":2,"during_run":4,"after_run":4,"next_morning":3},
            "morning_stiffness_min":15,"can_bear_weight":true,"can_heel_raise_single_leg":true}"#,
    );
    let (code, doc) = sb.json(&["assess", "--checkin", &f, "--json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["triage"], "SELF_CARE");
    assert_eq!(doc["conditions"][0]["code"], "ACHILLES_MIDPORTION");
    assert!(
        !doc["conditions"][0]["references"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_quick_daily_pain_log_continues_the_last_check_in() {
    let sb = Sandbox::new();
    // Without a full check-in there is no side or place to continue.
    assert!(
        sb.fails(&["checkin", "--during", "3"])
            .contains("full one first")
    );
    let f = write(
        &sb,
        "c.json",
        r#"{"date":"2026-05-01","side":"right","regions":["ACHILLES_MID"]}"#,
    );
    sb.ok(&["checkin", "--json", &f]);
    sb.ok(&[
        "checkin",
        "--date",
        "2026-05-02",
        "--during",
        "3",
        "--after",
        "4",
        "--next-morning",
        "2",
    ]);
    assert_eq!(
        sb.run(&["checkin", "--during", "11"]).status.code(),
        Some(2),
        "0–10 only"
    );
    let list = sb.value(&["checkins", "--json"]);
    let last = &list["checkins"].as_array().unwrap()[1]["checkin"];
    assert_eq!(last["date"], "2026-05-02");
    assert_eq!(
        (last["side"].as_str(), last["regions"][0].as_str()),
        (Some("right"), Some("ACHILLES_MID"))
    );
    assert_eq!(
        (
            last["pain"]["during_run"].as_u64(),
            last["pain"]["after_run"].as_u64(),
            last["pain"]["next_morning"].as_u64()
        ),
        (Some(3), Some(4), Some(2))
    );
}

#[test]
fn an_ostrc_change_is_never_called_within_a_meaningful_change_it_does_not_have() {
    // OSTRC-O2 has no published smallest meaningful change (knowledge base §2.1 lists none):
    // a large change must say so rather than be judged (a change of +68 here).
    let env = common::Sandbox::new();
    // Option indexes: all 0 scores 0; Q1 "reduced" (17) and Q2-Q4 "moderately" (17) score 68.
    for (date, a) in [("2026-11-01", 0), ("2026-11-08", 2)] {
        let path = env.path("ostrc.json");
        let doc = serde_json::json!({"instrument": "OSTRC_O2", "version": "2", "date": date,
            "answers": {"Q1": a, "Q2": a, "Q3": a, "Q4": a}});
        std::fs::write(&path, doc.to_string()).unwrap();
        env.ok(&["score", "--json", path.to_str().unwrap()]);
    }
    let out = env.ok(&["scores"]);
    assert!(
        out.contains("no published smallest meaningful change"),
        "{out}"
    );
    assert!(
        !out.contains("within the smallest meaningful change"),
        "{out}"
    );
}

#[test]
fn questionnaires_are_found_by_the_names_people_type() {
    // The README and --help say `soleus score VISA-A`; the answer document may use any case,
    // `-` or `_`. An unknown name lists each questionnaire once.
    let env = common::Sandbox::new();
    let path = env.path("visa.json");
    let doc = serde_json::json!({"instrument": "visa-a", "version": "Robinson01", "date": "2026-11-01",
        "answers": {"1": 10, "2": 10, "3": 10, "4": 10, "5": 10, "6": 10, "7": 3,
                    "8": {"branch": "A", "option": 4}}});
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = env.ok(&["score", "--json", path.to_str().unwrap()]);
    // Every item at its best: 6 × 10 + 10 + 30 = 100 (Robinson01's maximum).
    assert!(out.contains("100 / 100"), "{out}");
    let err = env.fails(&["score", "VISA_B"]);
    assert!(err.contains("known: OSTRC-O2, VISA-A, LEFS, MTSS"), "{err}");
}

#[test]
fn looking_never_changes_anything_and_saving_says_what_it_replaces() {
    let sb = Sandbox::new();
    sb.ok(&["profile", "set", "--time-zone", "UTC"]);
    let f = write(
        &sb,
        "a.json",
        r#"{"date":"2026-11-01","side":"right","regions":["ACHILLES_MID"],"onset":"gradual",
            "pain":{"now":2,"during_run":3,"next_morning":2},"morning_stiffness_min":15}"#,
    );
    sb.ok(&["checkin", "--json", &f]);
    sb.ok(&[
        "plan",
        "start",
        "--condition",
        "SOLEUS_STRAIN",
        "--on",
        "2026-11-01",
    ]);
    for _ in 0..2 {
        let out = sb.ok(&["assess"]);
        assert!(out.contains("Nothing was recorded"), "{out}");
    }
    // The clinician's plan is still the one shown.
    assert_eq!(sb.value(&["plan", "--json"])["source"], "clinician");
    let out = sb.ok(&["assess", "--save"]);
    assert!(
        out.contains("It replaces the plan started on 2026-11-01"),
        "{out}"
    );
    assert_eq!(sb.value(&["plan", "--json"])["source"], "assessment");
}

#[test]
fn internal_section_numbers_never_reach_people() {
    // Users see a study (author, year, journal), never a section of the knowledge base.
    let sb = Sandbox::new();
    sb.ok(&["profile", "set", "--time-zone", "UTC"]);
    let f = write(
        &sb,
        "a.json",
        r#"{"date":"2026-11-01","side":"right","regions":["ACHILLES_MID","TIBIA_PM_DISTAL"],"onset":"gradual",
            "pain":{"now":2,"during_run":3,"next_morning":2,"at_night":true},"morning_stiffness_min":15}"#,
    );
    let mut out = sb.ok(&["checkin", "--json", &f]);
    out += &sb.ok(&["assess"]);
    sb.ok(&[
        "plan",
        "start",
        "--condition",
        "ACHILLES_MIDPORTION",
        "--on",
        "2026-11-01",
    ]);
    for args in [
        &["plan"][..],
        &["plan", "--history"],
        &["today"],
        &["risk"],
        &["scores", "--list"],
    ] {
        out += &sb.ok(args);
    }
    for cmd in [
        "checkin", "assess", "plan", "today", "load", "risk", "score", "shoes", "energy",
    ] {
        out += &sb.ok(&[cmd, "--help"]);
    }
    assert!(!out.contains('§'), "{out}");
    assert!(out.contains("Silbernagel 2007, Am J Sports Med"), "{out}");
}
