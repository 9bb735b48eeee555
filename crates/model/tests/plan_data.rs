//! Shoe distances, drop-class shares and the transition schedule worked out by hand; every
//! reference key in the plan data exists in the knowledge base; plan wording never claims to
//! cure or diagnose.

mod plan_events;

use plan_events::{day, hop, pain, plan, run};
use soleus_model::clinical::{Condition, Triage};
use soleus_model::plan::{replay_state, today};

use soleus_model::plan::PlanHistory;
use soleus_model::shoes::{
    DropClass, Shoe, ShoeRun, TransitionInput, assign, distances, transition_check,
    transition_plan, weekly_drop_shares,
};

fn shoe(id: i64, brand: &str, model: &str, drop: f64, retire_km: f64, default: bool) -> Shoe {
    Shoe {
        id,
        brand: brand.into(),
        model: model.into(),
        name: model.into(),
        drop_mm: drop,
        stack_mm: Some(20.0),
        started_on: day(-100),
        retire_km,
        retired_on: None,
        default,
    }
}
fn shoes() -> Vec<Shoe> {
    vec![
        shoe(1, "Altra", "Escalante Racer", 0.0, 500.0, false),
        shoe(2, "Nike", "Pegasus 40", 10.0, 20.0, true),
        shoe(3, "Saucony", "Kinvara", 4.0, 600.0, false),
    ]
}
fn r(n: i64, km: f64, id: Option<i64>, gear: Option<&str>) -> ShoeRun {
    ShoeRun {
        date: day(n),
        km,
        shoe_id: id,
        gear_name: gear.map(Into::into),
    }
}
fn runs() -> Vec<ShoeRun> {
    vec![
        r(0, 10.0, Some(1), None),                      // assigned → Altra
        r(1, 5.0, None, Some("altra escalante racer")), // Strava gear "brand model" → Altra
        r(2, 8.0, None, None),                          // nothing → default Pegasus
        r(3, 6.0, Some(99), None),                      // unknown id → default Pegasus
        r(4, 4.0, None, Some("Old trainers")),          // unmatched gear → default Pegasus
        r(5, 3.0, Some(3), None),                       // assigned → Kinvara
    ]
}

#[test]
fn shoe_distances_sum_the_runs_assigned_to_each_shoe() {
    let (s, rs) = (shoes(), runs());
    let d = distances(&s, &rs);
    // By hand: Altra 10 + 5 = 15 km (2 runs); Pegasus 8 + 6 + 4 = 18 (3); Kinvara 3 (1).
    let km: Vec<(i64, f64, usize)> = d.iter().map(|x| (x.shoe_id, x.km, x.runs)).collect();
    assert_eq!(km, [(1, 15.0, 2), (2, 18.0, 3), (3, 3.0, 1)]);
    let assigned: f64 = rs
        .iter()
        .filter(|x| assign(&s, x).is_some())
        .map(|x| x.km)
        .sum();
    assert_eq!(d.iter().map(|x| x.km).sum::<f64>(), assigned);
    // Pegasus: 18 km ≥ 90 % of 20 → reminder; Altra 15 of 500 → none.
    assert!(
        d[1].reminder
            .as_deref()
            .unwrap()
            .contains("18 km of its 20 km")
    );
    assert!(d[0].reminder.is_none());
    // 2026-05-04 is a Monday: all six runs fall in one ISO week of 36 km.
    let w = weekly_drop_shares(&s, &rs, day(3));
    assert_eq!(
        (w.week_start, w.total_km, w.unknown_km),
        (day(0), 36.0, 0.0)
    );
    let want = [
        (DropClass::Zero, 15.0),
        (DropClass::Low, 3.0),
        (DropClass::Mid, 0.0),
        (DropClass::High, 18.0),
    ];
    for ((c, km, pct), (wc, wkm)) in w.by_class.iter().zip(want) {
        assert_eq!((*c, *km), (wc, wkm));
        assert!((pct - 100.0 * wkm / 36.0).abs() < 1e-9);
    }
}

#[test]
fn transition_schedule_arithmetic_and_the_fast_check() {
    let input = TransitionInput {
        start: day(0),
        usual_drop_mm: 10.0,
        target_drop_mm: 0.0,
        history: PlanHistory::default(),
        weekly_km: Some(30.0),
    };
    let p = transition_plan(&input);
    // Standard: 10 % in weeks 1–2, then +10 % every 2 weeks: week w allows
    // 10 + 10·⌊(w−1)/2⌋ %, reaching 100 % when ⌊(w−1)/2⌋ = 9, i.e. week 19.
    assert_eq!(p.weeks.len(), 19);
    assert_eq!(
        p.weeks
            .iter()
            .take(5)
            .map(|w| w.allowed_pct)
            .collect::<Vec<_>>(),
        [10.0, 10.0, 20.0, 20.0, 30.0]
    );
    assert_eq!(p.weeks[4].starts_on, day(28));
    assert_eq!(p.allowed_pct_on(day(20)), 20.0); // day 20 is in week 3
    assert_eq!(p.allowed_pct_on(day(-1)), 0.0);
    // A heavier runner with Achilles history: 5 % + 5 % every 2 weeks → 100 % at week 39.
    let careful = transition_plan(&TransitionInput {
        history: PlanHistory {
            achilles: true,
            heavier_runner: true,
            bone_stress: false,
            ..PlanHistory::default()
        },
        ..input.clone()
    });
    assert_eq!(
        (careful.start_pct, careful.step_pct, careful.weeks.len()),
        (5.0, 5.0, 39)
    );
    assert_eq!(careful.cautions.len(), 2);
    // Week 1 (days 0–6): Altra (0 mm) 15 km + Kinvara (4 mm ≤ 10 − 4) 3 km = 18 of 36 km
    // = 50 % against 10 % allowed → outran.
    let c = transition_check(&p, &shoes(), &runs(), day(6));
    assert_eq!(
        (
            c.lower_drop_km,
            c.week_km,
            c.share_pct,
            c.allowed_pct,
            c.outran
        ),
        (18.0, 36.0, 50.0, 10.0, true)
    );
    // Week 3: 2 km of 20 in the Altra = 10 % ≤ 20 % → fine.
    let later = [r(15, 2.0, Some(1), None), r(16, 18.0, None, None)];
    let c = transition_check(&p, &shoes(), &later, day(20));
    assert_eq!((c.share_pct, c.allowed_pct, c.outran), (10.0, 20.0, false));
}

/// The §6 reference keys of the knowledge base, or `None` when it is not there.
fn known_keys() -> Option<Vec<String>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/knowledge/clinical.md"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: knowledge base not found at {path}");
        return None;
    };
    let refs = &text[text.find("## 6. References")?..];
    let mut keys = vec![];
    for line in refs.lines().filter_map(|l| l.strip_prefix("- **")) {
        let key = &line[..line.find(":**")?];
        keys.extend(key.split(" / ").map(str::to_owned));
    }
    Some(keys)
}

fn collect_refs(v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                if k == "references" {
                    out.extend(
                        x.as_array()
                            .unwrap()
                            .iter()
                            .map(|s| s.as_str().unwrap().to_owned()),
                    );
                } else {
                    collect_refs(x, out);
                }
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_reference_key_exists_in_the_knowledge_base() {
    let Some(keys) = known_keys() else { return };
    // §6 lists 95 entries, one of them "Wells97 / Wells03".
    assert!(
        keys.len() > 90
            && keys.contains(&"Wells03".to_owned())
            && keys.contains(&"Alfredson98".to_owned())
    );
    let mut used = vec![];
    for text in [
        soleus_model::plan::BUILTIN_EXERCISES,
        soleus_model::plan::BUILTIN_PLAN_RULES,
        soleus_model::plan::BUILTIN_TREATMENTS,
    ] {
        collect_refs(
            &toml::Value::Table(toml::from_str::<toml::Table>(text).unwrap()),
            &mut used,
        );
    }
    // Keys cited in brackets in code-built text (stages, transition cautions).
    let tp = transition_plan(&TransitionInput {
        start: day(0),
        usual_drop_mm: 10.0,
        target_drop_mm: 0.0,
        history: PlanHistory {
            achilles: true,
            heavier_runner: true,
            bone_stress: true,
            ..PlanHistory::default()
        },
        weekly_km: Some(50.0),
    });
    used.extend(tp.references.clone());
    for c in &tp.cautions {
        let inside = &c[c.find('[').unwrap() + 1..c.find(']').unwrap()];
        used.extend(inside.split("; ").map(str::to_owned));
    }
    for c in Condition::ALL {
        for s in plan(c, Triage::SelfCare, None).stages {
            used.extend(s.references);
        }
    }
    assert!(used.len() > 50);
    for k in &used {
        assert!(
            keys.contains(k),
            "reference key {k} is not in the knowledge base §6"
        );
    }
}

#[test]
fn plan_text_never_claims_to_cure_or_diagnose() {
    let mut all = String::new();
    for text in [
        soleus_model::plan::BUILTIN_EXERCISES,
        soleus_model::plan::BUILTIN_PLAN_RULES,
        soleus_model::plan::BUILTIN_TREATMENTS,
    ] {
        all.push_str(text);
    }
    for c in Condition::ALL {
        for t in [
            Triage::SelfCare,
            Triage::Soon,
            Triage::Urgent,
            Triage::Emergency,
        ] {
            let p = plan(c, t, Some(2));
            let ev = [
                pain(0, 6, 6, 6),
                run(1, 10.0, 90.0, 300.0),
                hop(2, 3, true),
                pain(3, 0, 0, 0),
            ];
            let (st, d) = replay_state(&p, &ev);
            all.push_str(&serde_json::to_string(&p).unwrap());
            all.push_str(&serde_json::to_string(&d).unwrap());
            all.push_str(&serde_json::to_string(&today(&p, &st, day(4))).unwrap());
        }
    }
    let p = transition_plan(&TransitionInput {
        start: day(0),
        usual_drop_mm: 10.0,
        target_drop_mm: 0.0,
        history: PlanHistory {
            achilles: true,
            heavier_runner: true,
            bone_stress: true,
            ..PlanHistory::default()
        },
        weekly_km: Some(50.0),
    });
    all.push_str(&serde_json::to_string(&p).unwrap());
    let lower = all.to_lowercase();
    assert!(
        lower.len() > 100_000,
        "the text under test is {} bytes",
        lower.len()
    );
    for banned in ["cure", "you have", "diagnosed with", "you are suffering"] {
        assert!(!lower.contains(banned), "plan text contains {banned:?}");
    }
    assert!(lower.contains("not a diagnosis"));
}

/// Knowledge base §1.7, §1.11, §1.12: a suspected Achilles rupture, clot or burst Baker's cyst
/// is routed URGENT, same day. A plan entered for one at a lower level (a form's default, a
/// clinician's slip) is raised to URGENT and says so; the other conditions keep their level.
#[test]
fn a_rupture_clot_or_cyst_plan_is_always_same_day() {
    for c in Condition::ALL {
        let p = plan(c, Triage::SelfCare, None);
        let same_day = matches!(
            c,
            Condition::AchillesRupture | Condition::Dvt | Condition::BakersCyst
        );
        let block = p.blocked.as_ref().map(|b| b.triage);
        if same_day {
            assert_eq!(p.input.triage, Triage::Urgent, "{c:?}");
            assert_eq!(block, Some(Triage::Urgent), "{c:?}");
            assert!(
                p.cautions
                    .iter()
                    .any(|t| t.contains("raised from SELF_CARE to URGENT")),
                "{c:?}: {:?}",
                p.cautions
            );
        } else {
            assert_eq!(p.input.triage, Triage::SelfCare, "{c:?}");
            assert!(block.is_none_or(|t| t == Triage::SelfCare), "{c:?}");
        }
    }
}
