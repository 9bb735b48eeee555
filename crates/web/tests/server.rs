//! The real server on port 0 over a real SQLite file with real device files imported, asked
//! over HTTP: every page's status, type and a fact from the data in the athlete's units; every
//! JSON document equal to the app's view; the security headers everywhere; the 404s; and a
//! red flag that leaves the dashboard only the way to a clinician.

mod common;

use common::*;
use soleus_app::plan::{PlanAnswer, PlanStart};
use soleus_app::to_json;
use soleus_model::Units;
use soleus_model::assess::{CheckIn, Triage};
use soleus_model::clinical::Condition;
use soleus_model::plan::Side;
use soleus_model::units::DistanceUnit;

#[tokio::test]
async fn pages_show_the_data_in_miles_when_the_profile_says_miles() {
    let s = spawn_app("miles", true).await;
    let miles = Units {
        distance: DistanceUnit::Miles,
    };
    let km = Units {
        distance: DistanceUnit::Km,
    };
    let listed = s.app.activities(None, None).await.unwrap();
    let newest = &listed.activities[0];
    let metres = newest.row.distance_m.expect("a run with a distance");

    let list = s.get("/activities").await;
    assert_page(&list, "/activities");
    for l in &listed.activities {
        let d = miles.distance(l.row.distance_m.unwrap());
        assert!(
            d.ends_with(" mi") && list.body.contains(&d),
            "{d} in the list"
        );
        assert!(!list.body.contains(&km.distance(l.row.distance_m.unwrap())));
        assert!(
            list.body
                .contains(&format!("href=\"/activities/{}\"", l.id))
        );
    }
    assert!(
        list.body
            .contains(&format!("1–3 of {}", listed.activities.len()))
    );

    let show = s.get(&format!("/activities/{}", newest.id)).await;
    assert_page(&show, "an activity");
    assert!(show.body.contains(&miles.distance(metres)));
    let view = s.app.activity(newest.id, None).await.unwrap();
    assert_eq!(view.splits_unit, "mi");
    assert!(show.body.contains("Splits per mi"));
    // The first whole-mile split is 1.00 mi long, in the table.
    assert!(!view.splits.is_empty());
    assert!(
        show.body
            .contains(&miles.distance(view.splits[0].distance_m))
    );
    assert!(
        show.body.contains("<svg class=\"route\""),
        "the route traced from the samples"
    );

    let dash = s.get(&format!("/?on={ON}")).await;
    assert_page(&dash, "the dashboard");
    let view = s.app.dashboard(Some(day(ON))).await.unwrap();
    assert!(view.this_week.runs >= 1, "the day's run is in this week");
    let this_week = miles.distance(view.this_week.distance_km * 1000.0);
    assert!(
        dash.body
            .contains(&format!("{this_week} in {} run", view.this_week.runs)),
        "{this_week}"
    );
    assert!(dash.body.contains("<svg class=\"chart\""));
    assert!(
        dash.body
            .contains("<title id=\"weekly-title\">Distance per week in mi")
    );
    assert_eq!(
        dash.body.matches("<rect class=\"bar").count(),
        5,
        "this week and four before"
    );
    for w in &view.risk.warnings {
        assert!(dash.body.contains(&w.code) && dash.body.contains(&askama_escape(&w.advice)));
    }
    assert!(dash.body.contains("No plan yet"));

    let settings = s.get("/settings").await;
    assert_page(&settings, "/settings");
    assert!(
        settings
            .body
            .contains(r#"<option value="miles" selected>Miles</option>"#)
    );
    assert!(settings.body.contains(r#"value="UTC""#));

    let health = s.get("/healthz").await;
    assert_eq!((health.status, health.body.as_str()), (200, "ok\n"));
}

#[tokio::test]
async fn every_json_document_is_the_apps_view() {
    let s = spawn_app("km", true).await;
    let id = s.first_id().await;
    let app = &s.app;
    let expected = [
        (
            format!("/api/v1/dashboard?on={ON}"),
            to_json(&app.dashboard(Some(day(ON))).await.unwrap()),
        ),
        (
            "/api/v1/activities".into(),
            to_json(&app.activities(None, None).await.unwrap()),
        ),
        (
            "/api/v1/activities?limit=2".into(),
            to_json(&app.activities(Some(2), None).await.unwrap()),
        ),
        (
            format!("/api/v1/activities/{id}"),
            to_json(&app.activity(id, None).await.unwrap()),
        ),
        (
            "/api/v1/profile".into(),
            to_json(&app.profile().await.unwrap()),
        ),
        (
            format!("/api/v1/risk?on={ON}"),
            to_json(&app.risk_report(Some(day(ON))).await.unwrap()),
        ),
        (
            format!("/api/v1/today?on={ON}"),
            to_json(&app.today(Some(day(ON))).await.unwrap()),
        ),
    ];
    for (path, view) in expected {
        let a = s.get(&path).await;
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        assert_eq!(a.header("content-type"), "application/json", "{path}");
        // Compared as text: parsing back would round some floats (serde_json's default parser
        // is not exact to the last bit), and the text is what a client reads.
        assert_eq!(a.body, view.unwrap().to_string(), "{path}");
    }
    let limited = s.get("/api/v1/activities?limit=2").await.json();
    assert_eq!(limited["activities"].as_array().unwrap().len(), 2);
    // The same document the CLI prints, plain serde included.
    let plain = serde_json::to_value(app.activity(id, None).await.unwrap()).unwrap();
    assert_eq!(
        s.get(&format!("/api/v1/activities/{id}")).await.body,
        plain.to_string()
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let s = spawn_app("km", true).await;
    let id = s.first_id().await;
    let stylesheet = {
        let dash = s.get("/").await;
        let start = dash
            .body
            .find("/assets/soleus-")
            .expect("the stylesheet is linked");
        let end = start + dash.body[start..].find('"').unwrap();
        dash.body[start..end].to_owned()
    };
    let paths = [
        "/".to_owned(),
        format!("/?on={ON}"),
        "/activities".into(),
        format!("/activities/{id}"),
        "/settings".into(),
        "/healthz".into(),
        "/api/v1/dashboard".into(),
        "/api/v1/activities".into(),
        format!("/api/v1/activities/{id}"),
        "/api/v1/profile".into(),
        "/activities/999999".into(),
        "/api/v1/nothing".into(),
        stylesheet.clone(),
    ];
    for path in &paths {
        let a = s.get(path).await;
        let csp = a.header("content-security-policy");
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(
            !csp.contains("unsafe-inline")
                && !csp.contains("unsafe-eval")
                && csp.contains("script-src 'self';"),
            "{path}: {csp}"
        );
        assert_eq!(a.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(a.header("x-frame-options"), "DENY", "{path}");
        assert_eq!(a.header("referrer-policy"), "no-referrer", "{path}");
        assert!(!a.header("x-request-id").is_empty(), "{path}");
        if path == &stylesheet {
            assert_eq!(a.status, 200);
            assert_eq!(a.header("content-type"), "text/css; charset=utf-8");
            assert!(a.header("cache-control").contains("immutable"));
        } else {
            assert_eq!(a.header("cache-control"), "no-store", "{path}");
        }
        if a.header("content-type").starts_with("text/html") {
            // Scripts only by address, from Soleus itself; no inline script or style.
            let scripts = a.body.matches("<script").count();
            let own = a.body.matches(r#"<script src="/assets/soleus-"#).count();
            assert_eq!(scripts, own, "{path}: nothing inline");
            assert_eq!(
                a.body.matches(r#".js" defer></script>"#).count(),
                own,
                "{path}: every script is empty and deferred"
            );
            assert!(!a.body.contains("style="), "{path}: nothing inline");
            assert!(
                a.body.contains("<html lang=\"en\">")
                    && a.body.contains("<nav aria-label=\"Main\">")
            );
        }
    }
    // A request id sent by a proxy is kept and echoed.
    let a = s.get_with("/healthz", &[("x-request-id", "abc-123")]).await;
    assert_eq!(a.header("x-request-id"), "abc-123");
    // Compressed when the browser asks.
    let a = s
        .get_with("/activities", &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(a.header("content-encoding"), "gzip");
    // An older stylesheet name is not served.
    assert_eq!(
        s.get("/assets/soleus-0000000000000000.css").await.status,
        404
    );
}

#[tokio::test]
async fn what_is_missing_or_malformed_is_answered_in_the_routes_shape() {
    let s = spawn_app("km", true).await;
    let page = s.get("/activities/999999").await;
    assert_eq!(page.status, 404);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert!(
        page.body.contains("<h1>404 Not Found</h1>")
            && page.body.contains("there is no activity 999999")
    );

    let api = s.get("/api/v1/activities/999999").await;
    assert_eq!(api.status, 404);
    assert_eq!(api.header("content-type"), "application/json");
    assert_eq!(api.json()["error"]["status"], 404);
    assert_eq!(
        api.json()["error"]["message"],
        "there is no activity 999999"
    );

    for (path, status) in [
        ("/activities/abc", 404),
        ("/nowhere", 404),
        ("/activities?page=99", 404),
    ] {
        let a = s.get(path).await;
        assert_eq!(a.status, status, "{path}");
        assert!(a.header("content-type").starts_with("text/html"), "{path}");
    }
    let a = s.get("/api/v1/nothing").await;
    assert_eq!(
        (a.status, a.json()["error"]["status"].as_u64()),
        (404, Some(404))
    );

    let bad = s.get("/?on=yesterday").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is not a date"));
    let bad = s.get("/api/v1/dashboard?on=yesterday").await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["error"]["field"], "on");
    assert_eq!(s.get("/api/v1/activities?limit=-1").await.status, 422);
}

#[tokio::test]
async fn a_red_flag_leaves_the_dashboard_only_the_way_to_a_clinician() {
    let s = spawn_app("km", false).await;
    s.app
        .start_plan(&PlanStart {
            condition: Condition::SoleusStrain,
            grade: Some(1),
            triage: Triage::SelfCare,
            side: Side::Left,
            on: Some(day("2026-11-25")),
        })
        .await
        .unwrap();
    let PlanAnswer::Shown(today) = s.app.today(Some(day("2026-11-26"))).await.unwrap() else {
        panic!("a grade 1 plan without a red flag is shown");
    };
    let names: Vec<String> = today
        .today
        .exercises
        .iter()
        .map(|e| askama_escape(&e.name))
        .collect();
    assert!(!names.is_empty());
    let before = s.get("/?on=2026-11-26").await;
    assert_page(&before, "before the red flag");
    assert!(
        before.body.contains("<caption>Today"),
        "today's exercises are a table"
    );
    assert!(
        names.iter().all(|n| before.body.contains(n)),
        "every exercise is listed"
    );
    assert!(!before.body.contains("See a clinician first"));

    // Chest pain with a swollen calf: EMERGENCY (a possible pulmonary embolism).
    s.app
        .store_checkin(
            &CheckIn::from_json(
                r#"{"date":"2026-11-26","side":"left","regions":["CALF_MID"],
                    "breathless_or_chest_pain":true,"swelling":"whole_calf","calf_girth_diff_cm":3.5}"#,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let after = s.get("/?on=2026-11-26").await;
    assert_page(&after, "after the red flag");
    assert!(after.body.contains("See a clinician first"));
    assert!(after.body.contains("Triage: EMERGENCY"));
    assert!(
        names.iter().all(|n| !after.body.contains(n)),
        "no exercise is shown"
    );
    assert!(!after.body.contains("<caption>Today"));
    assert!(!after.body.contains("<strong>Run:</strong>"));
    // The way to a clinician comes before anything else on the page.
    assert!(after.body.find("See a clinician first") < after.body.find("Overload warnings"));
    let doc = s.get("/api/v1/dashboard?on=2026-11-26").await.json();
    assert_eq!(doc["red_flag"]["triage"], "EMERGENCY");
    // Every other page opens with the banner, before its own content.
    assert!(!before.body.contains("Red flag in force"));
    for path in ["/activities", "/settings"] {
        let page = s.get(path).await;
        assert_page(&page, path);
        let banner = page
            .body
            .find("Red flag in force: EMERGENCY")
            .unwrap_or_else(|| panic!("{path} shows the banner"));
        assert!(page.body.contains("Call emergency services"), "{path}");
        assert!(
            banner < page.body.find("<h1>").unwrap(),
            "{path}: banner first"
        );
    }
}

#[tokio::test]
async fn only_loopback_addresses_are_served() {
    let e = soleus_web::bind("0.0.0.0:0".parse().unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("is not a loopback address"), "{e}");
    assert!(
        soleus_web::bind("[::1]:0".parse().unwrap()).await.is_ok()
            || std::net::TcpListener::bind("[::1]:0").is_err()
    );
}
