//! End-to-end tests of `soleus energy`: the real binary over a fresh SQLite database, a profile
//! set through `soleus profile set`, and a generated GPX run imported through `soleus import`.
//!
//! Every expected number is worked out by hand in the comment beside it, from clinical.md §5:
//! Mifflin–St Jeor 10·W + 6.25·H − 5·A + 5 (men) or − 161 (women); 1 in = 2.54 cm;
//! 1 lb = 0.45359237 kg; running 1 kcal/kg/km plus 4.5 kcal/kg per 1000 m climbed (the ACSM
//! grade term 0.9 mL/kg/m × 5 kcal/L); floors max(1200 women / 1500 men, 30 × FFM + exercise);
//! the 3500 kcal/lb rule; Hall's 24 kcal/day per kg with τ = √(365/ln 2 × 1095/ln 20) days.

mod common;

use common::Sandbox;
use serde_json::Value;

const KG_PER_LB: f64 = 0.453_592_37;

/// A sandbox that can import the test run.
struct Env(Sandbox);

impl std::ops::Deref for Env {
    type Target = Sandbox;
    fn deref(&self) -> &Sandbox {
        &self.0
    }
}

impl Env {
    fn new() -> Env {
        Env(Sandbox::new())
    }

    /// Writes the test run (see [`gpx_run`]) and imports it.
    fn import_run(&self) {
        let path = self.path("run.gpx");
        std::fs::write(&path, gpx_run()).unwrap();
        self.ok(&["import", path.to_str().unwrap()]);
    }
}

/// A run along the equator from 10.000° E to 10.090° E in 91 fixes 30 s apart, starting
/// 2026-05-06 07:00 UTC (a Wednesday), climbing 5 m per fix for the first 20 steps (100 m) and
/// then level. On the equator the WGS84 geodesic along the line is the equatorial radius times
/// the angle: 6 378 137 m × 0.001 × π/180 = 111.3195 m per step, × 90 = 10 018.754 m.
fn gpx_run() -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="soleus-test" xmlns="http://www.topografix.com/GPX/1/1">
<trk><name>Equator run</name><type>running</type><trkseg>
"#,
    );
    for i in 0..=90u32 {
        let lon = 10.0 + f64::from(i) * 0.001;
        let ele = (i * 5).min(100);
        let secs = i * 30;
        s += &format!(
            "<trkpt lat=\"0.0\" lon=\"{lon:.3}\"><ele>{ele}</ele>\
             <time>2026-05-06T07:{:02}:{:02}Z</time></trkpt>\n",
            secs / 60,
            secs % 60
        );
    }
    s + "</trkseg></trk></gpx>\n"
}

const RUN_M: f64 = 10_018.754_171;
const RUN_ASCENT_M: f64 = 100.0;

/// A 30-year-old woman on 2026-05-06 (born 1996), 5 ft 5 in, 132 lb, desk job, reading lb.
fn woman(env: &Env) {
    env.ok(&[
        "profile",
        "set",
        "--sex",
        "female",
        "--birth-year",
        "1996",
        "--weight-unit",
        "lb",
        "--height-unit",
        "ftin",
        "--height",
        "5ft5in",
        "--weight",
        "132",
        "--time-zone",
        "UTC",
    ]);
}

fn close(actual: &Value, expected: f64, tol: f64) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!(
        (a - expected).abs() <= tol,
        "got {a}, expected {expected} ± {tol}"
    );
}

fn codes(doc: &Value) -> Vec<String> {
    doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn woman_in_feet_and_pounds_rest_day_targets_and_floors() {
    let env = Env::new();
    woman(&env);
    let g = env.value(&[
        "energy",
        "goal",
        "--goal",
        "maintain",
        "--on",
        "2026-05-06",
        "--json",
    ]);
    let p = &g["profile"];
    // 5 ft 5 in = 65 in × 2.54 = 165.1 cm; 132 lb × 0.45359237 = 59.87419284 kg; 2026 − 1996 = 30.
    close(&p["height_cm"], 165.1, 1e-9);
    close(&p["weight_kg"], 59.874_192_84, 1e-9);
    assert_eq!(p["age"], 30);
    // REE = 598.7419284 + 6.25 × 165.1 (1031.875) − 150 − 161 = 1319.6169284 kcal/day.
    close(&p["ree_kcal"], 1_319.616_928_4, 1e-6);
    // Daily life, low = ×1.3: 1715.50200692. No runs: today is a rest day at maintenance.
    close(&p["daily_life_kcal"], 1_715.502_006_92, 1e-6);
    close(&g["today"]["target_kcal"], 1_715.502_006_92, 1e-6);
    close(&g["rest_day"]["target_kcal"], 1_715.502_006_92, 1e-6);
    // Floors: fixed 1200 (women); FFM 59.87419284 × 0.8 (default 20 % fat) = 47.89935427 kg,
    // × 30 = 1436.98062816 kcal on a rest day, the higher, so it is the binding one.
    close(&g["floors"]["fixed_kcal"], 1200.0, 0.0);
    close(&p["fat_free_mass_kg"], 47.899_354_272, 1e-9);
    close(&g["floors"]["rest_day_ea_kcal"], 1_436.980_628_16, 1e-6);
    assert_eq!(g["rest_day"]["floor_basis"], "energy_availability");
    assert_eq!(
        (g["weight_unit"].as_str(), g["saved"].as_bool()),
        (Some("lb"), Some(true))
    );
    assert_eq!(g["week"].as_array().unwrap().len(), 7);
    assert_eq!(g["week"][0]["date"], "2026-05-04", "weeks start on Monday");

    // lose-0.5lb: 0.5 × 3500 / 7 = −250 a day → 1465.50200692, above the 1436.98 floor.
    let g = env.value(&[
        "energy",
        "goal",
        "--goal",
        "lose-0.5lb",
        "--on",
        "2026-05-06",
        "--json",
    ]);
    close(&g["goal_change_kcal_per_day"], -250.0, 1e-9);
    close(&g["rest_day"]["target_kcal"], 1_465.502_006_92, 1e-6);
    assert_eq!(g["rest_day"]["held_at_floor"], false);
    assert_eq!(codes(&g), Vec::<String>::new());
    // Fastest safe loss: min(1 % × 59.874 kg, 1 kg) = 0.5987419284 kg a week.
    close(&g["max_loss_kg_per_week"], 0.598_741_928_4, 1e-9);

    // lose-1lb: 1715.502 − 500 = 1215.502 < 1436.98, so every day of the week is held at the
    // energy-availability floor; 1 lb = 0.4536 kg is above the preferred 0.5 % × 59.874 = 0.299.
    let g = env.value(&[
        "energy",
        "goal",
        "--goal",
        "lose-1lb",
        "--on",
        "2026-05-06",
        "--json",
    ]);
    close(&g["rest_day"]["target_kcal"], 1_436.980_628_16, 1e-6);
    assert_eq!(g["rest_day"]["held_at_floor"], true);
    assert_eq!(codes(&g), ["LOSS_ABOVE_PREFERRED", "HELD_AT_FLOOR"]);
    // Held at the floor every day, the projection follows 1436.98 − 1715.50 = −278.52 a day,
    // not −500.
    close(&g["projection"]["daily_change_kcal"], -278.521_378_76, 1e-6);

    // The last accepted goal is the saved one; a dry run does not replace it.
    env.ok(&[
        "energy",
        "goal",
        "--goal",
        "gain-1lb",
        "--dry-run",
        "--on",
        "2026-05-06",
    ]);
    let g = env.value(&["energy", "goal", "--on", "2026-05-06", "--json"]);
    assert_eq!(
        (g["goal"].as_str(), g["goal_source"].as_str()),
        (Some("lose-1lb"), Some("saved"))
    );
}

#[test]
fn man_gain_2lb_warns_and_projects_by_both_models() {
    let env = Env::new();
    env.ok(&[
        "profile",
        "set",
        "--sex",
        "male",
        "--birth-year",
        "1986",
        "--height",
        "5'10\"",
        "--weight",
        "165lb",
        "--activity-level",
        "moderate",
    ]);
    let g = env.value(&[
        "energy",
        "goal",
        "--goal",
        "gain-2lb",
        "--on",
        "2026-05-06",
        "--weeks",
        "26",
        "--json",
    ]);
    let p = &g["profile"];
    // 5 ft 10 in = 70 × 2.54 = 177.8 cm; 165 lb = 74.84274105 kg; 40 years.
    // REE = 748.4274105 + 1111.25 − 200 + 5 = 1664.6774105; × 1.4 (moderate) = 2330.5483747.
    close(&p["ree_kcal"], 1_664.677_410_5, 1e-6);
    close(&p["daily_life_kcal"], 2_330.548_374_7, 1e-6);
    // gain-2lb: 2 × 3500 / 7 = +1000 a day → 3330.5483747 on a rest day.
    close(&g["rest_day"]["target_kcal"], 3_330.548_374_7, 1e-6);
    // Male floors: fixed 1500; FFM 74.84274105 × 0.88 (default 12 %) × 30 = 1975.84836372.
    close(&g["floors"]["fixed_kcal"], 1500.0, 0.0);
    close(&g["floors"]["rest_day_ea_kcal"], 1_975.848_363_72, 1e-6);
    assert_eq!(codes(&g), ["GAIN_ABOVE_LEAN_MASS"]);
    let w = &g["warnings"][0];
    assert!(w["message"].as_str().unwrap().contains("lean-mass"), "{w}");
    assert!(w["referral"].is_null());

    let pr = &g["projection"];
    let pts = pr["points"].as_array().unwrap();
    assert_eq!(pts.len(), 27, "weeks 0 to 26");
    // 3500 rule: 26 weeks × 2 lb = 52 lb = 23.58680324 kg → 98.42954429 kg.
    close(&pts[26]["static_kg"], 98.429_544_29, 1e-6);
    // Dynamic: settles at +1000 / 24 = 41.667 kg; after 182 days it has reached
    // 1 − e^(−182/438.7218) = 0.33954 of that = +14.1481 kg → 88.9909 kg. Direction: up, and
    // well short of the static rule, as §5.4 says of the 3500 rule.
    close(&pr["eventual_change_kg"], 1000.0 / 24.0, 1e-9);
    close(&pts[26]["dynamic_kg"], 88.990_866, 1e-3);
    // The terminal view shows both, in the profile's unit (kg by default): 98.4 and 89.0.
    let text = env.ok(&["energy", "goal", "--on", "2026-05-06", "--dry-run"]);
    assert!(text.contains("GAIN_ABOVE_LEAN_MASS"), "{text}");
    assert!(text.contains("rough early estimate"), "{text}");
    assert!(text.contains("98.4") && text.contains("89.0"), "{text}");
    assert!(text.contains("s = 3500 rule"), "chart legend\n{text}");
}

#[test]
fn hall_model_over_a_year_loses_about_half_of_its_eventual_change() {
    let env = Env::new();
    woman(&env);
    let g = env.value(&[
        "energy",
        "goal",
        "--goal",
        "lose-0.5lb",
        "--on",
        "2026-05-06",
        "--weeks",
        "52",
        "--json",
    ]);
    let pr = &g["projection"];
    let pts = pr["points"].as_array().unwrap();
    // Rest days are never floored for lose-0.5lb (1465.50 > 1436.98): −250 kcal/day throughout.
    close(&pr["daily_change_kcal"], -250.0, 1e-9);
    // Hall's rule: −250 / 24 = −10.4167 kg eventually; after 364 days 1 − e^(−364/438.7218)
    // = 0.56387 of it, −5.8737 kg → 54.0011 kg: "about half within a year".
    close(&pts[52]["dynamic_kg"], 54.001_147, 1e-3);
    // The 3500 rule: 52 × 0.5 lb = 26 lb = 11.7934 kg → 48.0808 kg, twice as much.
    close(&pts[52]["static_kg"], 48.080_791_22, 1e-6);
    assert!(
        env.fails(&["energy", "goal", "--weeks", "12"])
            .contains("projection length")
    );
}

#[test]
fn too_fast_loss_is_refused_with_exit_2_and_not_saved() {
    let env = Env::new();
    woman(&env);
    // A light runner: 110 lb = 49.8951607 kg. Cap = 1 % = 0.49895 kg = 1.10 lb a week; 2 lb
    // = 0.9072 kg. A goal in pounds is refused in pounds.
    env.ok(&["profile", "set", "--weight", "110lb"]);
    let err = env.fails(&["energy", "goal", "--goal", "lose-2lb", "--on", "2026-05-06"]);
    assert!(err.contains("lose-2lb is refused"), "{err}");
    assert!(
        err.contains("1.10 lb a week") && err.contains("1 % of body weight"),
        "{err}"
    );
    // 1 lb = 0.4536 kg is the fastest widget rate under 0.499 kg: the suggestion.
    assert!(err.contains("choose lose-1lb or slower"), "{err}");
    // 1.5 lb = 0.680 kg is refused too; nothing was saved.
    env.fails(&[
        "energy",
        "goal",
        "--goal",
        "lose-1.5lb",
        "--on",
        "2026-05-06",
    ]);
    let g = env.value(&["energy", "goal", "--on", "2026-05-06", "--json"]);
    assert_eq!(
        (g["goal"].as_str(), g["goal_source"].as_str()),
        (Some("maintain"), Some("default"))
    );
    // A rate the parser rejects outright is an error too.
    assert!(
        env.fails(&["energy", "goal", "--goal", "drop-1lb"])
            .contains("maintain")
    );
}

#[test]
fn deficit_with_bone_stress_or_missed_periods_raises_reds_with_soon() {
    let env = Env::new();
    woman(&env);
    env.ok(&["profile", "set", "--bone-stress-injuries", "1"]);
    let g = env.value(&[
        "energy",
        "goal",
        "--goal",
        "lose-0.5lb",
        "--on",
        "2026-05-06",
        "--json",
    ]);
    assert_eq!(codes(&g), ["REDS_RISK"]);
    let w = &g["warnings"][0];
    assert_eq!(w["referral"], "SOON");
    let msg = w["message"].as_str().unwrap();
    assert!(
        msg.contains("1 bone stress injury") && msg.contains("soleus assess"),
        "{msg}"
    );
    // The text view shows the referral.
    let text = env.ok(&["energy", "goal", "--on", "2026-05-06"]);
    assert!(text.contains("REDS_RISK — referral: SOON"), "{text}");
    // Not a deficit: no REDs warning.
    let g = env.value(&[
        "energy",
        "goal",
        "--goal",
        "maintain",
        "--on",
        "2026-05-06",
        "--json",
    ]);
    assert!(codes(&g).is_empty());
    // Missed periods alone raise it as well.
    env.ok(&[
        "profile",
        "set",
        "--bone-stress-injuries",
        "0",
        "--missed-periods",
        "yes",
    ]);
    let g = env.value(&[
        "energy",
        "goal",
        "--goal",
        "lose-0.25kg",
        "--on",
        "2026-05-06",
        "--json",
    ]);
    assert_eq!(codes(&g), ["REDS_RISK"]);
    assert!(
        g["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("three months")
    );
}

#[test]
fn missing_profile_fields_name_the_command_to_run() {
    let env = Env::new();
    let err = env.fails(&["energy", "goal", "--goal", "maintain"]);
    assert!(
        err.contains("sex, birth year, height, weight")
            && err.contains("soleus profile set --sex female|male --birth-year 1990 --height 168cm --weight 61.5kg"),
        "{err}"
    );
    env.ok(&[
        "profile",
        "set",
        "--sex",
        "male",
        "--birth-year",
        "1990",
        "--height",
        "180cm",
    ]);
    let err = env.fails(&["energy", "week"]);
    assert!(
        err.contains("your weight: run `soleus profile set --weight 61.5kg`"),
        "{err}"
    );
    // A logged weighing is enough to stand in for the profile's weight.
    env.ok(&["energy", "log-weight", "72kg", "--date", "2026-05-01"]);
    let g = env.value(&["energy", "goal", "--on", "2026-05-06", "--json"]);
    close(&g["profile"]["weight_kg"], 72.0, 1e-12);
    assert_eq!(g["profile"]["weighed_on"], "2026-05-01");
}

#[test]
fn run_energy_lands_on_its_day_with_the_grade_term() {
    let env = Env::new();
    woman(&env);
    env.import_run();
    let acts = env.value(&["activities", "--json"]);
    let a = &acts["activities"][0];
    assert_eq!(a["sport"], "run");
    // Distance and climb of the generated track, worked out in `gpx_run`.
    close(&a["distance_km"], RUN_M / 1000.0, 0.001);
    close(&a["ascent_m"], RUN_ASCENT_M, 1e-9);
    let g = env.value(&[
        "energy",
        "goal",
        "--goal",
        "maintain",
        "--on",
        "2026-05-06",
        "--json",
    ]);
    // 59.87419284 kg × (10.018754 km + 0.0045 × 100 m) = 59.87419284 × 10.468754 = 626.8082.
    let run_kcal = 59.874_192_84 * (RUN_M / 1000.0 + 0.0045 * RUN_ASCENT_M);
    close(&g["today"]["running_kcal"], run_kcal, 0.1);
    // Maintain on the run day: 1715.502 + 626.808 = 2342.310.
    close(&g["today"]["target_kcal"], 1_715.502_006_92 + run_kcal, 0.1);
    // Wednesday carries the run; Tuesday is a rest day.
    close(&g["week"][2]["running_kcal"], run_kcal, 0.1);
    close(&g["week"][1]["running_kcal"], 0.0, 0.0);
    // The floor on the run day: 1436.98 + 626.81 = 2063.79.
    close(&g["today"]["floor_kcal"], 1_436.980_628_16 + run_kcal, 0.1);
}

#[test]
fn week_sums_intake_balance_energy_availability_and_weight_trend() {
    let env = Env::new();
    woman(&env);
    env.import_run();
    env.ok(&[
        "energy",
        "goal",
        "--goal",
        "lose-0.5lb",
        "--on",
        "2026-05-06",
    ]);
    // Weighings 132 lb on 20 Apr and 131 lb on 4 May (bare numbers are in the profile's lb).
    env.ok(&["energy", "log-weight", "132", "--date", "2026-04-20"]);
    env.ok(&["energy", "log-weight", "131lb", "--date", "2026-05-04"]);
    env.ok(&["energy", "log", "2000", "--date", "2026-05-04"]);
    env.ok(&[
        "energy",
        "log",
        "400",
        "--meal",
        "snack",
        "--date",
        "2026-05-04",
    ]);
    env.ok(&["energy", "log", "1800", "--date", "2026-05-05"]);
    env.ok(&[
        "energy",
        "log",
        "2500",
        "--meal",
        "dinner",
        "--date",
        "2026-05-06",
    ]);
    let w = env.value(&["energy", "week", "--of", "2026-05-07", "--json"]);
    assert_eq!(
        (w["start"].as_str(), w["end"].as_str()),
        (Some("2026-05-04"), Some("2026-05-10"))
    );
    assert_eq!(
        (w["goal"].as_str(), w["goal_saved"].as_bool()),
        (Some("lose-0.5lb"), Some(true))
    );
    // The latest weighing, 131 lb = 59.42060047 kg, replaces the profile's 132 lb:
    // REE = 594.2060047 + 1031.875 − 150 − 161 = 1315.0810047; × 1.3 = 1709.6053061;
    // FFM = 59.42060047 × 0.8 = 47.53648038 kg.
    assert_eq!(w["weighed_on"], "2026-05-04");
    close(&w["weight_kg"], 59.420_600_47, 1e-9);
    close(&w["fat_free_mass_kg"], 47.536_480_38, 1e-8);
    let dl = 1_709.605_306_11;
    close(&w["days"][0]["daily_life_kcal"], dl, 1e-6);
    // Intake: 2000 + 400 + 1800 + 2500 = 6700 kcal on 3 days.
    close(&w["intake_kcal"], 6700.0, 1e-9);
    assert_eq!(w["days_logged"], 3);
    close(&w["days"][0]["intake_kcal"], 2400.0, 1e-9);
    // Monday: balance 2400 − 1709.605 = +690.395; EA = 2400 / 47.5365 = 50.488.
    close(&w["days"][0]["balance_kcal"], 2400.0 - dl, 1e-6);
    close(&w["days"][0]["energy_availability"], 50.487_541, 1e-5);
    // Tuesday: +90.395; EA = 1800 / 47.5365 = 37.866.
    close(&w["days"][1]["energy_availability"], 37.865_656, 1e-5);
    // Wednesday's run at 59.4206 kg: 59.4206 × 10.468754 = 622.0597 kcal. Balance
    // 2500 − 1709.605 − 622.060 = +168.335; EA = (2500 − 622.060) / 47.5365 = 39.505.
    let run = 59.420_600_47 * (RUN_M / 1000.0 + 0.45);
    close(&w["running_kcal"], run, 0.1);
    close(&w["days"][2]["balance_kcal"], 168.335, 0.1);
    close(&w["days"][2]["energy_availability"], 39.505_246, 0.01);
    assert!(w["days"][3]["intake_kcal"].is_null() && w["days"][3]["energy_availability"].is_null());
    // Week: balance 690.395 + 90.395 + 168.335 = 949.125; mean EA (50.488 + 37.866 + 39.505)/3
    // = 42.620; daily life 7 × 1709.605 = 11967.237.
    close(&w["balance_kcal"], 949.125, 0.1);
    close(&w["mean_energy_availability"], 42.619_5, 0.01);
    close(&w["daily_life_kcal"], 7.0 * dl, 1e-5);
    // Trend: two weighings 14 days apart, −1 lb → −0.5 lb a week = −0.226796 kg a week.
    close(&w["weight_trend_kg_per_week"], -0.226_796_185, 1e-9);
    assert_eq!(w["weight_unit"], "lb");

    // Deleting Tuesday's entry takes its 1800 kcal out of the sums.
    let h = env.value(&["energy", "history", "--json"]);
    let tuesday = h["intake"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["date"] == "2026-05-05")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(h["intake"][1]["meal"], "snack");
    env.ok(&["energy", "delete", "intake", &tuesday.to_string()]);
    let w = env.value(&["energy", "week", "--of", "2026-05-04", "--json"]);
    close(&w["intake_kcal"], 4900.0, 1e-9);
    assert_eq!(w["days_logged"], 2);
    env.fails(&["energy", "delete", "intake", &tuesday.to_string()]);

    // The text view is in pounds and names the warning-free week's numbers.
    let text = env.ok(&["energy", "week", "--of", "2026-05-04"]);
    assert!(
        text.contains("131.0 lb") && text.contains("-0.50 lb a week"),
        "{text}"
    );
}

#[test]
fn logs_accept_units_and_refuse_nonsense() {
    let env = Env::new();
    woman(&env);
    env.ok(&["energy", "log-weight", "61.5kg", "--date", "2026-05-01"]);
    env.ok(&["energy", "log-weight", "135lb", "--date", "2026-05-02"]);
    env.ok(&["energy", "log-weight", "140", "--date", "2026-05-03"]);
    let h = env.value(&["energy", "history", "--json"]);
    let kg: Vec<f64> = h["weight"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kg"].as_f64().unwrap())
        .collect();
    // 61.5 kg; 135 × 0.45359237 = 61.23497; a bare 140 is in the profile's lb: 63.502932 kg.
    assert_eq!(kg.len(), 3);
    assert!((kg[0] - 61.5).abs() < 1e-12);
    assert!((kg[1] - 135.0 * KG_PER_LB).abs() < 1e-9 && (kg[1] - 61.234_970).abs() < 1e-6);
    assert!((kg[2] - 63.502_931_8).abs() < 1e-6);
    // Nonsense is refused with exit 2 and nothing stored.
    env.fails(&["energy", "log", "25000", "--date", "2026-05-01"]);
    env.fails(&["energy", "log", "--", "-5"]);
    env.fails(&["energy", "log", "2000", "--meal", " "]);
    assert!(
        env.fails(&["energy", "log", "2000", "--date", "2100-01-01"])
            .contains("future")
    );
    assert!(
        env.fails(&["energy", "log-weight", "20kg"])
            .contains("weight")
    );
    assert!(
        env.fails(&["energy", "log-weight", "heavy"])
            .contains("61.5kg")
    );
    let h = env.value(&["energy", "history", "--json"]);
    assert_eq!(h["intake"].as_array().unwrap().len(), 0);
    assert_eq!(h["weight"].as_array().unwrap().len(), 3);
}

#[test]
fn a_bare_weight_beside_a_height_in_feet_is_taken_in_pounds() {
    // 132 lb = 59.87 kg (1 lb = 0.45359237 kg); as kg it would be 132.
    let env = common::Sandbox::new();
    let out = env.run(&["profile", "set", "--height", "5ft6in", "--weight", "132"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("weights are now in lb"));
    let p = env.value(&["profile", "--json"]);
    let kg = p["profile"]["weight_kg"]
        .as_f64()
        .unwrap_or_else(|| panic!("{p}"));
    assert!((kg - 59.87).abs() < 0.01, "{p}");
}
