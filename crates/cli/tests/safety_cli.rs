//! Red flags through the real binary: a red flag entered by any command stops a running plan at
//! once, is printed when the check-in is stored (text and JSON), and stays in force until a
//! clinician's clearance or a later full check-in answers the same questions without it.
//! Expected behaviour is the issue's, reasoned from knowledge/clinical.md §1.14 (red flags
//! override everything) and §3.8 (bone: pain-free only, clearance first).

mod common;

use common::Sandbox;
use serde_json::{Value, json};

fn env() -> Sandbox {
    let env = Sandbox::new();
    env.ok(&["profile", "set", "--time-zone", "UTC"]);
    env
}

/// Stores a check-in through `soleus checkin --json FILE --output json`.
fn checkin(env: &Sandbox, doc: &Value) -> Value {
    let path = env.path("checkin.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    env.value(&[
        "checkin",
        "--json",
        path.to_str().unwrap(),
        "--output",
        "json",
    ])
}

fn assert_only_the_way_to_a_clinician(today: &Value) {
    assert!(today["exercises"].as_array().unwrap().is_empty(), "{today}");
    assert_eq!(today["run_today"], json!(false), "{today}");
    assert!(today["blocked"].is_string(), "{today}");
}

#[test]
fn a_red_flag_check_in_stops_a_running_soleus_plan() {
    let env = env();
    env.ok(&[
        "plan",
        "start",
        "--condition",
        "SOLEUS_STRAIN",
        "--grade",
        "1",
        "--on",
        "2026-11-25",
        "--side",
        "left",
    ]);
    let before = env.value(&["today", "--on", "2026-11-26", "--json"]);
    assert!(
        !before["exercises"].as_array().unwrap().is_empty(),
        "{before}"
    );
    let report = checkin(
        &env,
        &json!({"date": "2026-11-26", "side": "left", "regions": ["CALF_MID"],
                "breathless_or_chest_pain": true, "swelling": "whole_calf", "calf_girth_diff_cm": 3.5,
                "pain": {"during_run": 0, "after_run": 0, "next_morning": 0}}),
    );
    assert_eq!(report["triage"], "EMERGENCY", "{report}");
    assert_eq!(report["plan_stopped"], json!(true));
    let codes: Vec<&str> = report["red_flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"BREATHLESS_OR_CHEST_PAIN") && codes.contains(&"CALF_GIRTH_3CM"));
    // The plan does not advance on the pain-free reports that follow, and today shows only the
    // way to a clinician, on the day itself and after.
    env.ok(&[
        "checkin",
        "--during",
        "0",
        "--after",
        "0",
        "--next-morning",
        "0",
        "--date",
        "2026-11-27",
    ]);
    let history = env.value(&["plan", "--history", "--json"]);
    let text = history.to_string();
    assert!(!text.contains("\"advance\""), "{text}");
    assert!(text.contains("RED_FLAG"), "{text}");
    let plan = env.value(&["plan", "--json"]);
    assert_eq!(plan["blocked"]["red_flag"], json!(true), "{plan}");
    assert!(plan.get("plan").is_none(), "{plan}");
    for day in ["2026-11-26", "2026-11-28"] {
        assert_only_the_way_to_a_clinician(&env.value(&["today", "--on", day, "--json"]));
    }
    // The text output of the check-in says so too.
    let path = env.path("c2.json");
    std::fs::write(
        &path,
        json!({"date": "2026-11-28", "side": "left", "regions": ["CALF_MID"], "cold_pale_foot": true}).to_string(),
    )
    .unwrap();
    let out = env.ok(&["checkin", "--json", path.to_str().unwrap()]);
    assert!(out.starts_with("Check-in"), "{out}");
    assert!(
        out.contains("EMERGENCY") && out.contains("COLD_PALE_FOOT"),
        "{out}"
    );
    assert!(out.contains("plan is stopped"), "{out}");
    // The list carries each check-in's triage.
    let list = env.value(&["checkins", "--json"]);
    assert_eq!(
        list["checkins"][0]["triage"]["triage"], "EMERGENCY",
        "{list}"
    );
}

#[test]
fn an_abnormal_thompson_during_an_achilles_plan_stops_it_and_a_clearance_lifts_it() {
    let env = env();
    env.ok(&[
        "plan",
        "start",
        "--condition",
        "ACHILLES_MIDPORTION",
        "--on",
        "2026-11-20",
    ]);
    checkin(
        &env,
        &json!({"date": "2026-11-24", "side": "left", "regions": ["ACHILLES_MID"],
                "tests": {"THOMPSON": "abnormal"}}),
    );
    let t = env.value(&["today", "--on", "2026-11-25", "--json"]);
    assert_only_the_way_to_a_clinician(&t);
    assert!(!t.to_string().contains("moderate pain"), "{t}");
    // A clearance recorded today lifts it today, not only from tomorrow.
    env.ok(&["plan", "clear", "--clinician", "--on", "2026-11-25"]);
    let t = env.value(&["today", "--on", "2026-11-25", "--json"]);
    assert!(t["blocked"].is_null(), "{t}");
}

#[test]
fn a_quick_log_never_clears_a_bone_stress_suspicion() {
    // A full check-in consistent with a tibial bone stress injury (focal tenderness, focal hop
    // pain: §1.4), then a quick pain log, then `assess`: the flags stay in force and the plan
    // that follows is blocked, never a shin-splints plan back to running.
    let env = env();
    let first = checkin(
        &env,
        &json!({"date": "2026-11-20", "side": "left", "regions": ["TIBIA_PM_DISTAL"],
                "onset": "gradual", "pain": {"now": 3, "during_run": 6, "walking": 4, "at_night": true},
                "tests": {"PALP_TIBIA": "focal_under_5cm", "HOP_10": {"pain": 7, "focal_bone_pain": true}}}),
    );
    assert_eq!(first["triage"], "SOON");
    assert_eq!(first["bone_stress_suspected"], json!(true));
    let out = env.ok(&[
        "checkin",
        "--during",
        "2",
        "--after",
        "2",
        "--next-morning",
        "2",
        "--date",
        "2026-11-22",
    ]);
    assert!(
        out.contains("SOON") && out.contains("still in force"),
        "{out}"
    );
    let a = env.value(&["assess", "--save", "--json"]);
    assert_eq!(a["triage"], "SOON", "{a}");
    assert_eq!(a["bone_stress_suspected"], json!(true), "{a}");
    let plan = env.value(&["plan", "--json"]);
    let text = plan.to_string();
    assert!(text.contains("blocked"), "{text}");
    let t = env.value(&["today", "--json"]);
    assert_only_the_way_to_a_clinician(&t);
    // A later full check-in that answers the same questions negatively lifts the suspicion.
    let later = checkin(
        &env,
        &json!({"date": "2026-11-24", "side": "left", "regions": ["TIBIA_PM_DISTAL"],
                "onset": "gradual", "trend": "improving",
                "pain": {"now": 0, "during_run": 1, "walking": 0, "at_night": false, "at_rest": false},
                "tests": {"PALP_TIBIA": "diffuse_5cm_plus", "HOP_10": {"pain": 0, "focal_bone_pain": false}}}),
    );
    assert_eq!(later["bone_stress_suspected"], json!(false), "{later}");
}

#[test]
fn at_emergency_assess_json_carries_no_plan_grade_or_return_time() {
    let env = env();
    let path = env.path("c.json");
    std::fs::write(
        &path,
        json!({"date": "2026-11-20", "side": "left", "regions": ["LEG_ANTEROLATERAL"],
               "tense_swollen_compartment": true, "pain": {"now": 9, "at_rest": true}, "numbness_or_tingling": true})
        .to_string(),
    )
    .unwrap();
    let a = env.value(&["assess", "--checkin", path.to_str().unwrap(), "--json"]);
    assert_eq!(a["triage"], "EMERGENCY");
    let text = a.to_string().to_lowercase();
    for w in [
        "walk-run",
        "walking is fine",
        "\"rtr\"",
        "\"grade\"",
        "heel raise",
    ] {
        assert!(!text.contains(w), "{w}: {text}");
    }
}

#[test]
fn a_clearance_records_who_gave_it_and_what_they_found() {
    let env = env();
    env.ok(&[
        "plan",
        "start",
        "--condition",
        "TIBIAL_BSI",
        "--on",
        "2026-11-10",
    ]);
    env.ok(&[
        "plan",
        "clear",
        "--clinician",
        "--on",
        "2026-11-12",
        "--by",
        "Dr A. Okafor",
        "--note",
        "MRI grade 1; walk-run from week 3",
    ]);
    let h = env.value(&["plan", "--history", "--json"]);
    assert_eq!(h["clearances"][0]["name"], "Dr A. Okafor", "{h}");
    assert_eq!(
        h["clearances"][0]["note"],
        "MRI grade 1; walk-run from week 3"
    );
    let text = env.ok(&["plan", "--history"]);
    assert!(
        text.contains("2026-11-12 by Dr A. Okafor: MRI grade 1"),
        "{text}"
    );
}

#[test]
fn a_wrong_questionnaire_result_can_be_deleted() {
    let env = env();
    let path = env.path("o.json");
    std::fs::write(
        &path,
        json!({"instrument": "OSTRC-O2", "version": "2", "date": "2026-11-01",
               "answers": {"Q1": 1, "Q2": 1, "Q3": 1, "Q4": 1}})
        .to_string(),
    )
    .unwrap();
    env.ok(&["score", "--json", path.to_str().unwrap()]);
    let s = env.value(&["scores", "--json"]);
    let id = s["scores"][0]["id"].as_i64().unwrap();
    env.ok(&["scores", "delete", &id.to_string()]);
    assert!(
        env.value(&["scores", "--json"])["scores"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let err = env.fails(&["scores", "delete", &id.to_string()]);
    assert!(err.contains("no questionnaire result"), "{err}");
}

#[test]
fn the_clinic_report_is_one_printable_page_with_the_red_flags_first_class() {
    let env = env();
    env.ok(&["import", common::samples().to_str().unwrap()]);
    env.ok(&[
        "plan",
        "start",
        "--condition",
        "SOLEUS_STRAIN",
        "--on",
        "2026-11-01",
    ]);
    checkin(
        &env,
        &json!({"date": "2026-11-03", "side": "left", "regions": ["CALF_MID"],
                "warmth_or_redness": true, "pain": {"now": 2, "during_run": 3}}),
    );
    env.ok(&[
        "plan",
        "clear",
        "--clinician",
        "--on",
        "2026-11-04",
        "--by",
        "Dr <Lee>",
    ]);
    let out = env.path("report.html");
    env.ok(&[
        "report",
        "--from",
        "2026-09-01",
        "--to",
        "2026-11-05",
        "--html",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&out).unwrap();
    for part in [
        "<h2>Weekly running</h2>",
        "<h2>Check-ins</h2>",
        "INFECTION_OR_INFLAMMATION_SIGNS",
        "URGENT",
        "<h2>Rehabilitation plan</h2>",
        "Cleared on 2026-11-04 by Dr &lt;Lee&gt;",
    ] {
        assert!(html.contains(part), "{part} missing");
    }
    assert!(
        !html.contains("<script") && !html.contains("http"),
        "self-contained"
    );
    assert!(!html.contains('§'));
}

#[test]
fn a_red_flag_pauses_the_shoe_transition_too() {
    let env = env();
    checkin(
        &env,
        &json!({"date": "2026-11-20", "side": "left", "regions": ["CALF_MID"], "fever": true}),
    );
    let t = env.value(&["shoes", "transition", "--json"]);
    assert!(t["plan"].is_null(), "{t}");
    assert!(t["why"].as_str().unwrap().contains("red flag"), "{t}");
}

#[test]
fn the_demo_has_a_time_zone_a_check_in_and_says_what_to_try_next() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_soleus"))
        .args([
            "demo",
            "--samples",
            common::samples().to_str().unwrap(),
            "--demo-db",
        ])
        .arg(&db)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env_remove("SOLEUS_DB")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for cmd in [" load ", " risk ", " assess ", " checkin "] {
        assert!(text.contains(cmd), "{cmd}: {text}");
    }
    assert!(text.contains("sample check-in"), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("no time zone"));
    let url = format!("sqlite://{}", db.display());
    let p = std::process::Command::new(env!("CARGO_BIN_EXE_soleus"))
        .args(["--db", &url, "profile", "--json"])
        .output()
        .unwrap();
    let p: Value = serde_json::from_slice(&p.stdout).unwrap();
    assert_eq!(p["profile"]["time_zone"], "Europe/Berlin");
}

#[test]
fn a_plan_starting_in_9999_is_refused_with_the_years_allowed() {
    let env = env();
    let err = env.fails(&["plan", "start", "--condition", "MTSS", "--on", "9999-01-01"]);
    assert!(err.contains("outside the years"), "{err}");
}

#[test]
fn importing_a_path_that_does_not_exist_is_a_usage_error() {
    let env = env();
    let out = env.run(&["import", "/nonexistent/soleus-export"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing was imported") && err.contains("does not exist"),
        "{err}"
    );
    // One missing path beside a real one is one failed file, and the rest import (exit 1).
    let out = env.run(&[
        "import",
        "/nonexistent/x.fit",
        common::samples().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
}
