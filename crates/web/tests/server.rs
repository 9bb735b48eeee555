//! The real server on port 0 over a real SQLite file with real device files imported, asked
//! over HTTP: every page's status, type and a fact from the data in the athlete's units; every
//! JSON document equal to the app's view; the security headers everywhere; the 404s; and a
//! red flag that leaves the dashboard only the way to a clinician.

use std::path::PathBuf;

use axum::body::Body;
use chrono::NaiveDate;
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use soleus_app::import::{ImportOptions, NoProgress};
use soleus_app::plan::{PlanAnswer, PlanStart};
use soleus_app::profile::ProfileChange;
use soleus_app::{App, to_json};
use soleus_model::Units;
use soleus_model::assess::{CheckIn, Triage};
use soleus_model::clinical::Condition;
use soleus_model::plan::Side;
use soleus_model::units::DistanceUnit;

/// Three runs of June 2013 from one watch, read in place.
const RUNS: &[&str] = &[
    "tcx/trackeR__2013-06-14-105252.TCX.gz",
    "tcx/trackeR__2013-06-19-183041.TCX.gz",
    "tcx/trackeR__2013-06-23-080959.TCX.gz",
];
/// The day the dashboard looks at: the last run's.
const ON: &str = "2013-06-23";

struct Spawned {
    base: String,
    /// A second handle on the same database, for the expected views.
    app: App,
    client: Client<HttpConnector, Body>,
    _stop: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

struct Answer {
    status: u16,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON document")
    }
}

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

/// A fresh database (days in UTC, `units` for distances), the runs imported, and the server
/// listening on a free loopback port.
async fn spawn_app(units: &str, import: bool) -> Spawned {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("soleus.db").display());
    let app = App::open(&url).await.unwrap();
    app.set_profile(&ProfileChange {
        time_zone: Some("UTC".into()),
        units: Some(units.into()),
        ..ProfileChange::default()
    })
    .await
    .unwrap();
    if import {
        let paths: Vec<PathBuf> = RUNS.iter().map(|r| corpus(r)).collect();
        let report = app
            .import(&paths, &ImportOptions::default(), &mut NoProgress)
            .await
            .unwrap();
        assert_eq!(
            app.activities(None, None).await.unwrap().activities.len(),
            RUNS.len(),
            "{report:?}"
        );
    }
    let served = App::open(&url).await.unwrap();
    let listener = soleus_web::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(soleus_web::serve(served, listener, async {
        let _ = stopped.await;
    }));
    Spawned {
        base,
        app,
        client: Client::builder(TokioExecutor::new()).build_http(),
        _stop: stop,
        _dir: dir,
    }
}

impl Spawned {
    async fn get(&self, path: &str) -> Answer {
        self.get_with(path, &[]).await
    }

    async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut req = axum::http::Request::get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self
            .client
            .request(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn first_id(&self) -> soleus_app::ActivityId {
        self.app.activities(None, None).await.unwrap().activities[0].id
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn assert_page(a: &Answer, what: &str) {
    assert_eq!(a.status, 200, "{what}: {}", a.body);
    assert_eq!(
        a.header("content-type"),
        "text/html; charset=utf-8",
        "{what}"
    );
    assert!(a.body.contains("<main id=\"main\">"), "{what}");
}

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

    let profile = s.get("/profile").await;
    assert_page(&profile, "/profile");
    assert!(profile.body.contains("<dt>Distance unit</dt><dd>mi</dd>"));
    assert!(profile.body.contains("<dd>UTC</dd>"));

    let health = s.get("/healthz").await;
    assert_eq!((health.status, health.body.as_str()), (200, "ok\n"));
}

/// Askama's escaping of text in a page.
fn askama_escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
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
        "/profile".into(),
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
            !csp.contains("unsafe-inline") && !csp.contains("script-src"),
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
            assert!(
                !a.body.contains("<script") && !a.body.contains("style="),
                "{path}: nothing inline"
            );
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
