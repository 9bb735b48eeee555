//! Properties of the assessment engine over generated check-ins, and the rule base checked
//! against the knowledge base (every reference key and section exists; every region and home-test
//! code is one of §0's).

use proptest::prelude::*;
use serde_json::{Value, json};
use soleus_model::assess::{CheckIn, Likelihood, LoadFinding, Rules, Triage, assess, field_paths};

const REGIONS: &[&str] = &[
    "POPLITEAL",
    "CALF_UPPER_MEDIAL",
    "CALF_UPPER",
    "CALF_MID",
    "CALF_LOWER",
    "TIBIA_PM_DISTAL",
    "TIBIA_ANTERIOR",
    "LEG_ANTEROLATERAL",
    "ACHILLES_MID",
    "ACHILLES_INSERTION",
    "HEEL_PLANTAR",
    "LEG_DIFFUSE",
    "BACK_RADIATING",
];
const LOAD: &[&str] = &[
    "SINGLE_RUN_SPIKE",
    "WEEKLY_DISTANCE_JUMP",
    "HILL_LOAD_JUMP",
    "FOOTWEAR_TRANSITION_FAST",
];

fn pick(from: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(from)
}

/// Any valid check-in: random regions, and each optional field either not asked or a random value.
fn checkin() -> impl Strategy<Value = Value> {
    let bools = prop::collection::vec(prop::option::of(any::<bool>()), 14);
    let pains = prop::collection::vec(prop::option::of(0u8..=10), 5);
    let tests = (
        prop::option::of((0u16..60, 0u8..=10)),
        prop::option::of((0u16..60, 0u8..=10)),
        prop::option::of((0u8..=10, any::<bool>())),
        prop::option::of(pick(&[
            "none",
            "diffuse_5cm_plus",
            "focal_under_5cm",
            "anterior_spot",
        ])),
        prop::option::of(pick(&["normal", "abnormal", "not_done"])),
        prop::option::of(pick(&["pain", "no_pain", "not_done"])),
        prop::option::of(pick(&["pain", "no_pain", "not_done"])),
    );
    let misc = (
        prop::sample::subsequence(REGIONS, 1..4),
        prop::option::of(pick(&["sudden", "gradual"])),
        prop::option::of(pick(&["improving", "same", "worsening"])),
        prop::option::of((0u32..60, 0u32..60)),
        prop::option::of(pick(&["none", "local", "whole_calf"])),
        prop::option::of(-2.0f64..5.0),
        pick(&["left", "right", "both"]),
        prop::option::of((
            0u8..4,
            any::<bool>(),
            prop::sample::subsequence(&["long_travel", "estrogen", "cancer"][..], 0..2),
        )),
    );
    (bools, pains, tests, misc).prop_map(|(b, p, t, m)| {
        let mut doc = json!({ "date": "2026-05-01", "side": m.6, "regions": m.0 });
        let o = doc.as_object_mut().unwrap();
        let names = [
            "pop_or_kick_felt", "bruising", "warmth_or_redness", "fever", "can_bear_weight", "can_heel_raise_single_leg",
            "numbness_or_tingling", "weakness", "cold_pale_foot", "breathless_or_chest_pain",
            "saddle_numbness_or_bladder_change", "back_pain", "tense_swollen_compartment",
        ];
        for (name, v) in names.iter().zip(&b) {
            if let Some(v) = v {
                o.insert(name.to_string(), json!(v));
            }
        }
        let mut pain = serde_json::Map::new();
        for (name, v) in ["now", "during_run", "after_run", "next_morning", "walking"].iter().zip(&p) {
            if let Some(v) = v {
                pain.insert(name.to_string(), json!(v));
            }
        }
        if let Some(v) = b[13] {
            pain.insert("at_night".into(), json!(v));
        }
        o.insert("pain".into(), Value::Object(pain));
        let mut tests = serde_json::Map::new();
        if let Some((r, p)) = t.0 { tests.insert("SLHR_STRAIGHT".into(), json!({"reps": r, "pain": p})); }
        if let Some((r, p)) = t.1 { tests.insert("SLHR_BENT".into(), json!({"reps": r, "pain": p})); }
        if let Some((p, f)) = t.2 { tests.insert("HOP_10".into(), json!({"pain": p, "focal_bone_pain": f})); }
        if let Some(v) = t.3 { tests.insert("PALP_TIBIA".into(), json!(v)); }
        if let Some(v) = t.4 { tests.insert("THOMPSON".into(), json!(v)); }
        if let Some(v) = t.5 { tests.insert("CALC_SQUEEZE".into(), json!(v)); }
        if let Some(v) = t.6 { tests.insert("WINDLASS".into(), json!(v)); }
        o.insert("tests".into(), Value::Object(tests));
        if let Some(v) = m.1 { o.insert("onset".into(), json!(v)); }
        if let Some(v) = m.2 { o.insert("trend".into(), json!(v)); }
        if let Some((days, reduced)) = m.3 {
            o.insert("days_since_onset".into(), json!(days.max(reduced)));
            o.insert("load_reduced_days".into(), json!(reduced));
        }
        if let Some(v) = m.4 { o.insert("swelling".into(), json!(v)); }
        if let Some(v) = m.5 { o.insert("calf_girth_diff_cm".into(), json!(v)); }
        if let Some((bsi, missed, dvt)) = m.7 {
            o.insert("history".into(), json!({"bone_stress_injuries": bsi, "missed_periods_3_months": missed, "dvt_risk_factors": dvt}));
        }
        doc
    })
}

/// Red-flag signs (knowledge base §1.14) as patches, with the level each must at least give.
fn red_flag() -> impl Strategy<Value = (&'static str, Value, Triage)> {
    prop::sample::select(vec![
        ("breathless_or_chest_pain", json!(true), Triage::Emergency),
        (
            "saddle_numbness_or_bladder_change",
            json!(true),
            Triage::Emergency,
        ),
        ("cold_pale_foot", json!(true), Triage::Emergency),
        ("tests/THOMPSON", json!("abnormal"), Triage::Urgent),
        ("calf_girth_diff_cm", json!(3.5), Triage::Urgent),
        ("fever", json!(true), Triage::Urgent),
        ("warmth_or_redness", json!(true), Triage::Urgent),
        ("can_bear_weight", json!(false), Triage::Urgent),
        ("swelling", json!("whole_calf"), Triage::Urgent),
        ("tense_swollen_compartment", json!(true), Triage::Urgent),
        (
            "tests/HOP_10",
            // Pain 10, so replacing an earlier hop never lowers the highest rating.
            json!({"pain": 10, "focal_bone_pain": true}),
            Triage::Soon,
        ),
        ("tests/PALP_TIBIA", json!("focal_under_5cm"), Triage::Soon),
        ("tests/CALC_SQUEEZE", json!("pain"), Triage::Soon),
        ("pain/at_night", json!(true), Triage::Soon),
        ("pain/walking", json!(10), Triage::Soon),
        ("numbness_or_tingling", json!(true), Triage::Soon),
        ("onset", json!("sudden"), Triage::Soon),
        ("weakness", json!(true), Triage::Urgent),
        ("foot_drop", json!(true), Triage::Urgent),
    ])
}

fn run(doc: Value, load: &[&str]) -> soleus_model::assess::Assessment {
    let c = CheckIn::from_value(doc.clone()).unwrap_or_else(|e| panic!("{e}: {doc}"));
    let load: Vec<LoadFinding> = load
        .iter()
        .map(|c| LoadFinding {
            code: c.to_string(),
            because: String::new(),
        })
        .collect();
    assess(&c, &load, Rules::builtin())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn adding_a_red_flag_never_lowers_the_level(doc in checkin(), (path, value, level) in red_flag(),
                                                load in prop::sample::subsequence(LOAD, 0..3)) {
        let before = run(doc.clone(), &load).triage;
        let mut after_doc = doc;
        let (parent, key) = path.rsplit_once('/').map_or((None, path), |(p, k)| (Some(p), k));
        let target = match parent {
            Some(p) => after_doc.as_object_mut().unwrap().entry(p).or_insert(json!({})),
            None => &mut after_doc,
        };
        target.as_object_mut().unwrap().insert(key.to_string(), value);
        let after = run(after_doc, &load).triage;
        prop_assert!(after >= before, "{path}: {before:?} -> {after:?}");
        prop_assert!(after >= level, "{path}: {after:?} is below {level:?}");
    }

    #[test]
    fn without_any_symptom_it_is_self_care_and_nothing_ranks_high(
        regions in prop::sample::subsequence(REGIONS.iter().copied().filter(|r| *r != "TIBIA_ANTERIOR").collect::<Vec<_>>(), 1..4),
        side in pick(&["left", "right", "both"]),
        previous in prop::sample::subsequence(&["SOLEUS_STRAIN", "MTSS", "ACHILLES_MIDPORTION", "TIBIAL_BSI"][..], 0..3),
        bsi in 0u8..=1, dvt in prop::sample::subsequence(&["long_travel", "estrogen", "previous_vte"][..], 0..3),
        load in prop::sample::subsequence(LOAD, 0..3),
    ) {
        // Every symptom removed: ratings 0, every sign false, tests negative. The anterior tibia
        // is left out because pain there is itself a sign (§1.14), and REDs history (two BSIs,
        // missed periods) is not a symptom but a SOON indicator, so it is kept below threshold.
        let doc = json!({
            "date": "2026-05-01", "side": side, "regions": regions,
            "pop_or_kick_felt": false,
            "pain": {"now": 0, "during_run": 0, "after_run": 0, "next_morning": 0, "walking": 0, "at_rest": false, "at_night": false},
            "character": [], "morning_stiffness_min": 0, "swelling": "none", "calf_girth_diff_cm": 0.0,
            "bruising": false, "warmth_or_redness": false, "fever": false, "can_bear_weight": true,
            "can_heel_raise_single_leg": true, "numbness_or_tingling": false, "weakness": false, "cold_pale_foot": false,
            "breathless_or_chest_pain": false, "saddle_numbness_or_bladder_change": false, "back_pain": false,
            "tense_swollen_compartment": false,
            "tests": {"HOP_10": {"pain": 0, "focal_bone_pain": false}, "PALP_TIBIA": "none", "THOMPSON": "normal",
                      "CALC_SQUEEZE": "no_pain", "WINDLASS": "no_pain"},
            "history": {"previous_injuries": previous, "bone_stress_injuries": bsi, "missed_periods_3_months": false,
                        "fluoroquinolone_recent": true, "dvt_risk_factors": dvt}
        });
        let a = run(doc, &load);
        prop_assert_eq!(a.triage, Triage::SelfCare, "{:?}", a.red_flags);
        for c in &a.conditions {
            prop_assert!(c.likelihood < Likelihood::High, "{:?} {}", c.code, c.score);
        }
    }

    #[test]
    fn removing_an_answer_never_lowers_the_level(doc in checkin(), pick_at in any::<prop::sample::Index>(),
                                                 load in prop::sample::subsequence(LOAD, 0..3)) {
        // "Not asked" must never lower the level: after removing one answer, every red flag
        // that does not read that answer still fires, and when no fired flag read it, the level
        // is at least what it was. (Removing the very answer a flag fired on, a positive sign,
        // may remove that flag: the rules are written as positive signs.)
        let leaves = answered_leaves(&doc);
        prop_assume!(!leaves.is_empty());
        let path = leaves[pick_at.index(leaves.len())].clone();
        let before = run(doc.clone(), &load);
        let mut after_doc = doc;
        remove(&mut after_doc, &path);
        let after = run(after_doc, &load);
        let mut read_by_a_fired_flag = false;
        for f in &before.red_flags {
            if reads(&f.code, &path) {
                read_by_a_fired_flag = true;
                continue;
            }
            prop_assert!(after.red_flags.iter().any(|g| g.code == f.code),
                "{path} removed: {} no longer fires", f.code);
        }
        if !read_by_a_fired_flag {
            prop_assert!(after.triage >= before.triage, "{path} removed: {:?} -> {:?}", before.triage, after.triage);
        }
    }

    #[test]
    fn at_urgent_or_emergency_no_exercise_run_or_return_time_is_shown(doc in checkin(),
                                                 load in prop::sample::subsequence(LOAD, 0..3)) {
        let a = run(doc, &load);
        if a.triage >= Triage::Urgent {
            let words = ["heel raise", "heel drop", "calf raise", "walk-run", "return to run",
                         "pain-monitoring", "as pain allows", "walking is fine", "up to 5/10"];
            for s in &a.next_steps {
                let l = s.to_lowercase();
                for w in words {
                    prop_assert!(!l.contains(w), "{s}");
                }
            }
            for c in &a.conditions {
                prop_assert!(c.rtr.is_none() && c.grade.is_none() && c.supporting.is_empty());
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let _ = CheckIn::from_json(&s);
    }
}

/// The knowledge base, read in place; `None` (with a printed reason) when it is not there.
fn knowledge() -> Option<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/knowledge/clinical.md"
    );
    match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("skipped: knowledge base not found at {path}: {e}");
            None
        }
    }
}

/// §6 keys (`- **Key:**`, `Wells97 / Wells03` split) and section numbers (`§1.13`) of headings.
fn known_keys(text: &str) -> (Vec<String>, Vec<String>) {
    let refs = text.split("## 6. References").nth(1).unwrap_or("");
    let keys = refs
        .lines()
        .filter_map(|l| {
            l.strip_prefix("- **")?
                .split_once(":**")
                .map(|(k, _)| k.to_string())
        })
        .flat_map(|k| k.split(" / ").map(str::to_string).collect::<Vec<_>>())
        .collect();
    let sections = text
        .lines()
        .filter_map(|l| l.strip_prefix("### ").or_else(|| l.strip_prefix("## ")))
        .filter_map(|h| h.split_whitespace().next())
        .map(|n| format!("§{}", n.trim_end_matches('.')))
        .collect();
    (keys, sections)
}

#[test]
fn every_reference_key_and_section_exists_in_the_knowledge_base() {
    let Some(text) = knowledge() else { return };
    let (keys, sections) = known_keys(&text);
    // 95 entries in §6, one of them "Wells97 / Wells03".
    assert!(
        keys.len() >= 95 && keys.contains(&"Wells03".to_string()),
        "parsed {} keys",
        keys.len()
    );
    assert!(sections.contains(&"§1.13".to_string()) && sections.contains(&"§0".to_string()));
    let rules = Rules::builtin();
    let mut cited: Vec<String> = rules
        .reference_keys()
        .into_iter()
        .map(String::from)
        .collect();
    for inst in soleus_model::questionnaires::instruments() {
        cited.push(inst.reference.clone());
        cited.extend(inst.mcid.iter().map(|(_, _, r)| r.clone()));
    }
    // Section numbers quoted inside the wording (steps, advice) must exist too.
    let rules_text = include_str!("../data/assess_rules.toml");
    for (i, _) in rules_text.match_indices('§') {
        let n: String = rules_text[i + '§'.len_utf8()..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        cited.push(format!("§{}", n.trim_end_matches('.')));
    }
    let missing: Vec<&String> = cited
        .iter()
        .filter(|k| !keys.contains(k) && !sections.contains(k))
        .collect();
    assert!(missing.is_empty(), "not in the knowledge base: {missing:?}");
}

#[test]
fn every_region_and_home_test_code_is_one_of_section_0() {
    let Some(text) = knowledge() else { return };
    let section0 = text
        .split("## 0.")
        .nth(1)
        .and_then(|s| s.split("## 1.").next())
        .unwrap_or("");
    for r in soleus_model::assess::all_regions() {
        let code = serde_json::to_value(r).unwrap();
        assert!(
            section0.contains(&format!("`{}`", code.as_str().unwrap())),
            "{code} not in §0"
        );
    }
    for path in field_paths()
        .iter()
        .filter_map(|p| p.strip_prefix("tests."))
    {
        let code = path.split('.').next().unwrap();
        assert!(
            section0.contains(&format!("`{code}`")),
            "home test {code} not in §0"
        );
    }
}

/// The JSON-pointer paths of every answered leaf (lists count as one leaf), except the three
/// required fields.
fn answered_leaves(doc: &Value) -> Vec<String> {
    fn walk(v: &Value, prefix: &str, out: &mut Vec<String>) {
        match v.as_object() {
            Some(o) => {
                for (k, child) in o {
                    walk(child, &format!("{prefix}/{k}"), out);
                }
            }
            None => out.push(prefix.to_owned()),
        }
    }
    let mut out = Vec::new();
    walk(doc, "", &mut out);
    out.retain(|p| !["/date", "/side", "/regions"].contains(&p.as_str()));
    out
}

fn remove(doc: &mut Value, ptr: &str) {
    let (parent, key) = ptr.rsplit_once('/').unwrap();
    if let Some(o) = doc.pointer_mut(parent).and_then(Value::as_object_mut) {
        o.remove(key);
    }
}

/// Whether the red flag `code` reads the field at `ptr`, directly or through a derived value;
/// a condition's picture flag reads every field its findings read.
fn reads(code: &str, ptr: &str) -> bool {
    let rules = Rules::builtin();
    let field = ptr.trim_start_matches('/').replace('/', ".");
    let fields: Vec<String> = match rules.red_flag.iter().find(|f| f.code == code) {
        Some(f) => f.when.fields(),
        None => rules
            .condition
            .iter()
            .filter(|c| {
                code.strip_prefix("CONSISTENT_WITH_")
                    == serde_json::to_value(c.code).unwrap().as_str()
            })
            .flat_map(|c| {
                c.finding
                    .iter()
                    .flat_map(|f| f.when.fields())
                    .chain(c.escalate_when.iter().flat_map(|p| p.fields()))
            })
            .collect(),
    };
    let pain_rating = field.starts_with("pain.") || field.ends_with(".pain");
    fields.iter().any(|f| {
        f == &field
            || field.starts_with(&format!("{f}."))
            || (pain_rating
                && [
                    "derived.max_pain",
                    "derived.pain_reported",
                    "derived.calf_pain",
                ]
                .contains(&f.as_str()))
            || (field.starts_with("tests.SLHR") && f.starts_with("derived.slhr"))
    })
}
