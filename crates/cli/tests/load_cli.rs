//! `soleus load` and `soleus risk` on the bundled samples, checked against numbers computed
//! here from `soleus activities --json` (an independent path through the data).

mod common;

use chrono::{Datelike, Duration, NaiveDate};
use common::{Sandbox, samples};

fn imported() -> Sandbox {
    let sb = Sandbox::new();
    assert_eq!(
        sb.run(&["import", samples().to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    // The samples were recorded around Munich.
    assert_eq!(
        sb.run(&["profile", "set", "--time-zone", "Europe/Berlin"])
            .status
            .code(),
        Some(0)
    );
    sb
}

/// Running km per local day, from the activities list.
fn km_by_day(sb: &Sandbox) -> Vec<(NaiveDate, f64)> {
    let (_, list) = sb.json(&["activities", "--json"]);
    list["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            ["run", "trail_run", "treadmill", "track"].contains(&a["sport"].as_str().unwrap())
        })
        .map(|a| {
            (
                a["local_date"].as_str().unwrap().parse().unwrap(),
                a["distance_km"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn load_json_has_the_documented_shape_and_sums() {
    let sb = imported();
    let (code, doc) = sb.json(&[
        "load",
        "--from",
        "2026-10-26",
        "--to",
        "2026-11-01",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(doc["unit"], "km");
    assert!(doc["conventions"].is_object());
    let days = doc["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    for key in [
        "date",
        "load",
        "distance_km",
        "duration_s",
        "ascent_m",
        "descent_m",
        "runs",
        "acwr_rac",
        "acwr_rau",
        "acwr_ewma",
        "monotony",
        "strain",
        "ctl",
        "atl",
        "tsb",
        "ramp",
    ] {
        assert!(days[0].get(key).is_some(), "day key {key}");
    }
    // The week's load in km is the sum of that week's runs, by local start date.
    let runs = km_by_day(&sb);
    let monday = NaiveDate::from_ymd_opt(2026, 10, 26).unwrap();
    let want: f64 = runs
        .iter()
        .filter(|(d, _)| *d >= monday && *d < monday + Duration::days(7))
        .map(|(_, k)| k)
        .sum();
    let got: f64 = days.iter().map(|d| d["load"].as_f64().unwrap()).sum();
    assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    let week = doc["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["week_start"] == "2026-10-26")
        .unwrap();
    assert!((week["distance_km"].as_f64().unwrap() - want).abs() < 1e-6);
    // Monotony by hand for the 7 days ending 2026-11-01: mean / sample sd of the daily loads.
    let loads: Vec<f64> = days.iter().map(|d| d["load"].as_f64().unwrap()).collect();
    let mean = loads.iter().sum::<f64>() / 7.0;
    let sd = (loads.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / 6.0).sqrt();
    let monotony = days[6]["monotony"].as_f64().unwrap();
    assert!(
        (monotony - mean / sd).abs() < 1e-9,
        "{monotony} vs {}",
        mean / sd
    );
}

#[test]
fn ratios_are_null_before_28_days_of_history() {
    let sb = imported();
    let first = km_by_day(&sb).iter().map(|(d, _)| *d).min().unwrap();
    let (_, doc) = sb.json(&[
        "load",
        "--from",
        &first.to_string(),
        "--to",
        &(first + Duration::days(30)).to_string(),
        "--json",
    ]);
    let days = doc["days"].as_array().unwrap();
    assert!(
        days[..27]
            .iter()
            .all(|d| d["acwr_rac"].is_null() && d["acwr_ewma"].is_null())
    );
    assert!(days[29]["acwr_rac"].is_number(), "{}", days[29]);
}

#[test]
fn risk_flags_the_overload_week_with_its_numbers() {
    let sb = imported();
    let (code, doc) = sb.json(&["risk", "--on", "2026-11-01", "--json"]);
    assert_eq!(code, 0);
    let warnings = doc["warnings"].as_array().unwrap();
    let jump = warnings
        .iter()
        .find(|w| w["code"] == "WEEKLY_DISTANCE_JUMP")
        .expect("weekly jump");
    // The change, computed here: this ISO week's km against the previous week's.
    let runs = km_by_day(&sb);
    let on = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let monday = on - Duration::days(i64::from(on.weekday().num_days_from_monday()));
    let week = |start: NaiveDate| -> f64 {
        runs.iter()
            .filter(|(d, _)| *d >= start && *d <= on.min(start + Duration::days(6)))
            .map(|(_, k)| k)
            .sum()
    };
    let (this, prev) = (week(monday), week(monday - Duration::days(7)));
    let pct = (this / prev - 1.0) * 100.0;
    assert!(pct > 30.0, "the samples script an overload week: {pct}");
    assert!((jump["numbers"]["change_pct"].as_f64().unwrap() - pct).abs() < 1e-3);
    assert_eq!(jump["reference"], "Nielsen14");
    for w in warnings {
        assert!(
            !w["because"].as_str().unwrap().is_empty() && !w["advice"].as_str().unwrap().is_empty()
        );
    }
    // The ratios are information only, never warnings.
    assert!(
        warnings
            .iter()
            .all(|w| !w["code"].as_str().unwrap().contains("ACWR"))
    );
    assert!(
        doc["info"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "ACWR")
    );
}

#[test]
fn rpe_feeds_session_rpe_load() {
    let sb = imported();
    let (_, list) = sb.json(&["activities", "--json"]);
    let run = list["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["sport"] == "run")
        .unwrap()
        .clone();
    let id = run["id"].as_i64().unwrap().to_string();
    assert_eq!(sb.run(&["rpe", &id, "7"]).status.code(), Some(0));
    assert_eq!(
        sb.run(&["rpe", &id, "11"]).status.code(),
        Some(2),
        "CR-10 only"
    );
    let day = run["local_date"].as_str().unwrap();
    let (_, doc) = sb.json(&["load", "--on", day, "--unit", "srpe", "--json"]);
    // sRPE = RPE × moving minutes (Foster 2001); other runs that day have no RPE, so add 0.
    let want = 7.0 * run["moving_s"].as_f64().unwrap() / 60.0;
    let got = doc["days"][0]["load"].as_f64().unwrap();
    assert!((got - want).abs() < 1e-6, "{got} vs {want}");
}

#[test]
fn srpe_says_how_many_runs_have_no_rpe_and_shows_its_own_unit() {
    let sb = imported();
    let (_, list) = sb.json(&["activities", "--json"]);
    let runs: Vec<&serde_json::Value> = list["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["sport"] == "run")
        .collect();
    let rated = runs[0]["id"].as_i64().unwrap().to_string();
    sb.ok(&["rpe", &rated, "6"]);
    let (_, doc) = sb.json(&[
        "load",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--unit",
        "srpe",
        "--json",
    ]);
    let all = doc["runs_in_range"].as_u64().unwrap();
    // One run rated above; every other run in range lacks an RPE.
    assert_eq!(
        doc["runs_without_input"].as_u64().unwrap(),
        all - 1,
        "{}",
        doc["runs_in_range"]
    );
    let week_load: f64 = doc["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["load"].as_f64().unwrap())
        .sum();
    assert!(week_load > 0.0);
    let text = sb.ok(&[
        "load",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--unit",
        "srpe",
    ]);
    assert!(
        text.contains("Load (srpe)") && text.contains("Weekly load (srpe)"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{} of the {all} runs in this period lack an RPE",
            all - 1
        )),
        "{text}"
    );
}

#[test]
fn without_a_time_zone_days_are_utc_never_the_computers_zone() {
    // A server's own zone is not the athlete's: without one in the profile Soleus counts days
    // in UTC and says so. The process runs here with the computer set to UTC+14.
    let sb = Sandbox::new();
    let out = sb
        .cmd(&["today", "--json"])
        .env("TZ", "Pacific/Kiritimati")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no time zone") && err.contains("UTC"), "{err}");
    let before = chrono::Utc::now().date_naive();
    // `report` ends on today by default, so its message shows which day "today" is.
    let out = sb
        .cmd(&["report", "--html", "r.html"])
        .env("TZ", "Pacific/Kiritimati")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let after = chrono::Utc::now().date_naive();
    assert!(
        text.contains(&format!("to {before}")) || text.contains(&format!("to {after}")),
        "{text}"
    );
}
