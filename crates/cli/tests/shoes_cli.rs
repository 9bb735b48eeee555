//! `soleus shoes` through the real binary: distances equal the activities assigned to each
//! shoe (summed independently from `soleus activities --json`), assign, default, retire, the
//! drop-class shares, the transition plan, and FOOTWEAR_TRANSITION_FAST in `soleus risk`.

mod common;

use std::path::Path;

use common::Sandbox;
use serde_json::Value;

type Env = Sandbox;

/// A fresh database with the bundled samples (and their Strava export) imported, in UTC.
fn imported() -> Env {
    let env = Env::new();
    env.ok(&["profile", "set", "--time-zone", "UTC"]);
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let out = env.run(&["import", samples.to_str().unwrap()]);
    assert!(out.status.code() == Some(0) || out.status.code() == Some(1));
    env
}

fn shoe<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no shoe {name} in {list}"))
}

/// (km, count) of the activities whose shoe is `name`, from `soleus activities --json`.
fn assigned(acts: &Value, name: &str) -> (f64, u64) {
    let rows: Vec<&Value> = acts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["shoe"] == name)
        .collect();
    let km = rows
        .iter()
        .map(|a| a["distance_km"].as_f64().unwrap_or(0.0))
        .sum();
    (km, rows.len() as u64)
}

const ON_FOOT: [&str; 6] = ["run", "trail_run", "treadmill", "track", "walk", "hike"];

#[test]
fn shoe_distances_follow_assignments_default_and_retirement() {
    let env = imported();
    let acts = env.value(&["activities", "--json"])["activities"].clone();
    let list = env.value(&["shoes", "list", "--json"]);
    // The Strava export names two shoes; import created them from the gear names.
    for name in ["Pegasus 40", "Altra Escalante 3"] {
        let (km, n) = assigned(&acts, name);
        assert!(n > 0, "the export assigns {name}");
        let s = shoe(&list, name);
        assert!((s["km"].as_f64().unwrap() - km).abs() < 1e-6, "{name}: {s}");
        assert_eq!(s["activities"].as_u64(), Some(n));
        assert_eq!(s["drop_mm"], Value::Null);
    }

    // Drops, a brand and a retirement distance; re-adding by name updates, keeping distance.
    env.ok(&[
        "shoes",
        "add",
        "Pegasus 40",
        "--brand",
        "Nike",
        "--drop",
        "10",
        "--stack",
        "37",
        "--retire-km",
        "600",
    ]);
    env.ok(&["shoes", "add", "Altra Escalante 3", "--drop", "0"]);
    let list = env.value(&["shoes", "list", "--json"]);
    let peg = shoe(&list, "Pegasus 40");
    assert_eq!(
        (
            peg["drop_class"].as_str(),
            peg["brand"].as_str(),
            peg["retire_km"].as_f64()
        ),
        (Some("high"), Some("Nike"), Some(600.0))
    );
    assert_eq!(shoe(&list, "Altra Escalante 3")["drop_class"], "zero");
    // The reminder starts at 90 % of the retirement distance (the model's threshold).
    let (peg_km, _) = assigned(&acts, "Pegasus 40");
    assert_eq!(peg["reminder"].is_string(), peg_km >= 540.0, "{peg}");
    // A drop outside 0-20 mm is refused.
    assert_eq!(
        env.run(&["shoes", "add", "X", "--drop", "25"])
            .status
            .code(),
        Some(2)
    );

    // Assigning one Pegasus run to the Altra moves exactly its distance.
    let moved = acts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["shoe"] == "Pegasus 40")
        .unwrap();
    let (id, km) = (
        moved["id"].to_string(),
        moved["distance_km"].as_f64().unwrap(),
    );
    env.ok(&["shoes", "assign", &id, "Altra Escalante 3"]);
    let after = env.value(&["shoes", "list", "--json"]);
    let (alt_km, _) = assigned(&acts, "Altra Escalante 3");
    let got = |n: &str| shoe(&after, n)["km"].as_f64().unwrap();
    assert!((got("Pegasus 40") - (peg_km - km)).abs() < 1e-6);
    assert!((got("Altra Escalante 3") - (alt_km + km)).abs() < 1e-6);

    // A default shoe worn since 2000 collects every on-foot activity that has no shoe.
    env.ok(&[
        "shoes",
        "add",
        "Spare",
        "--drop",
        "8",
        "--started",
        "2000-01-01",
    ]);
    env.ok(&["shoes", "set-default", "Spare"]);
    let acts = env.value(&["activities", "--json"])["activities"].clone();
    let loose: Vec<&Value> = acts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["shoe"].is_null() && ON_FOOT.contains(&a["sport"].as_str().unwrap()))
        .filter(|a| a["distance_km"].as_f64().is_some_and(|k| k > 0.0))
        .collect();
    assert!(!loose.is_empty(), "the samples have walks without a shoe");
    let want: f64 = loose
        .iter()
        .map(|a| a["distance_km"].as_f64().unwrap())
        .sum();
    let list = env.value(&["shoes", "list", "--json"]);
    let spare = shoe(&list, "Spare");
    assert!(
        (spare["km"].as_f64().unwrap() - want).abs() < 1e-6,
        "{spare} vs {want}"
    );
    assert_eq!(spare["activities"].as_u64(), Some(loose.len() as u64));
    assert_eq!(spare["default"], true);

    // Retired: kept, no longer the default, and it cannot become the default again.
    env.ok(&["shoes", "retire", "Spare"]);
    let list = env.value(&["shoes", "list", "--json"]);
    assert_eq!(
        (
            shoe(&list, "Spare")["retired"].as_bool(),
            shoe(&list, "Spare")["default"].as_bool()
        ),
        (Some(true), Some(false))
    );
    assert_eq!(
        env.run(&["shoes", "set-default", "Spare"]).status.code(),
        Some(2)
    );
    assert_eq!(env.run(&["shoes", "retire", "Nope"]).status.code(), Some(2));
}

/// Monday of the ISO week of an ISO date.
fn monday(date: &str) -> chrono::NaiveDate {
    use chrono::Datelike;
    let d: chrono::NaiveDate = date.parse().unwrap();
    d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

#[test]
fn drop_shares_transition_plan_and_the_risk_warning() {
    let env = imported();
    env.ok(&["shoes", "add", "Pegasus 40", "--drop", "10"]);
    env.ok(&["shoes", "add", "Altra Escalante 3", "--drop", "0"]);
    let acts = env.value(&["activities", "--json"])["activities"].clone();
    let rows = acts.as_array().unwrap();

    // Drop shares per ISO week, checked against sums of the activity rows of each week.
    let weeks = env.value(&["shoes", "drops", "--weeks", "60", "--json"]);
    let mut checked = 0;
    for w in weeks.as_array().unwrap() {
        let start = w["week_start"].as_str().unwrap();
        let in_week: Vec<&Value> = rows
            .iter()
            .filter(|a| ON_FOOT.contains(&a["sport"].as_str().unwrap()))
            .filter(|a| monday(a["local_date"].as_str().unwrap()).to_string() == start)
            .collect();
        let sum = |f: &dyn Fn(&Value) -> bool| -> f64 {
            in_week
                .iter()
                .filter(|a| f(a))
                .map(|a| a["distance_km"].as_f64().unwrap_or(0.0))
                .sum()
        };
        let total = sum(&|_| true);
        let zero = sum(&|a| a["shoe"] == "Altra Escalante 3");
        let high = sum(&|a| a["shoe"] == "Pegasus 40");
        assert!(
            (w["total_km"].as_f64().unwrap() - total).abs() < 1e-6,
            "{w}"
        );
        // by_class is [class, km, percent], lowest drop first: zero, low, mid, high.
        assert!(
            (w["by_class"][0][1].as_f64().unwrap() - zero).abs() < 1e-6,
            "{w}"
        );
        assert!(
            (w["by_class"][3][1].as_f64().unwrap() - high).abs() < 1e-6,
            "{w}"
        );
        assert!((w["unknown_km"].as_f64().unwrap() - (total - zero - high)).abs() < 1e-6);
        if zero > 0.0 {
            let pct = 100.0 * zero / total;
            assert!((w["by_class"][0][2].as_f64().unwrap() - pct).abs() < 1e-6);
            checked += 1;
        }
    }
    assert!(checked > 0, "some week has zero-drop running");

    // No usual shoe: no transition plan, and the reason says what to do.
    let none = env.value(&["shoes", "transition", "--json"]);
    assert!(none["plan"].is_null() && none["why"].as_str().unwrap().contains("usual shoe"));

    // Usual 10 mm, a 0 mm shoe in use: the schedule starts at the first zero-drop run.
    env.ok(&["profile", "set", "--usual-shoe", "Pegasus 40"]);
    let first_altra = rows
        .iter()
        .filter(|a| a["shoe"] == "Altra Escalante 3")
        .map(|a| a["local_date"].as_str().unwrap().to_owned())
        .min()
        .unwrap();
    let t = env.value(&["shoes", "transition", "--json"]);
    let p = &t["plan"];
    assert_eq!(p["input"]["start"].as_str(), Some(first_altra.as_str()));
    assert_eq!(
        (
            p["input"]["usual_drop_mm"].as_f64(),
            p["input"]["target_drop_mm"].as_f64()
        ),
        (Some(10.0), Some(0.0))
    );
    // A heavier runner (80 kg > 71.4 kg [Fuller17]) gets the slow end: 5 % to start.
    env.ok(&["profile", "set", "--weight", "80kg"]);
    let t = env.value(&["shoes", "transition", "--json"]);
    assert_eq!(t["plan"]["start_pct"].as_f64(), Some(5.0));
    assert!(
        t["plan"]["cautions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().unwrap().contains("Fuller17"))
    );

    // On the day of the first zero-drop run, the real 7-day share against the plan's 5 %:
    // FOOTWEAR_TRANSITION_FAST fires in `soleus risk` exactly when the share is above it.
    let day: chrono::NaiveDate = first_altra.parse().unwrap();
    let window: Vec<&Value> = rows
        .iter()
        .filter(|a| {
            ["run", "trail_run", "treadmill", "track"].contains(&a["sport"].as_str().unwrap())
        })
        .filter(|a| {
            let d: chrono::NaiveDate = a["local_date"].as_str().unwrap().parse().unwrap();
            d <= day && d > day - chrono::Duration::days(7)
        })
        .collect();
    let km = |f: &dyn Fn(&Value) -> bool| -> f64 {
        window
            .iter()
            .filter(|a| f(a))
            .map(|a| a["distance_km"].as_f64().unwrap())
            .sum()
    };
    let share = 100.0 * km(&|a| a["shoe"] == "Altra Escalante 3") / km(&|_| true);
    let risk = env.value(&["risk", "--on", &first_altra, "--json"]);
    let fast = risk["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "FOOTWEAR_TRANSITION_FAST");
    assert_eq!(fast.is_some(), share > 5.0, "share {share:.1} %: {risk}");
    if let Some(w) = fast {
        assert_eq!(w["numbers"]["allowed_pct"].as_f64(), Some(5.0));
        assert!((w["numbers"]["share_pct"].as_f64().unwrap() - share).abs() < 1e-6);
    }
}
