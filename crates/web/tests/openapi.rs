//! The OpenAPI document against the server it describes: every `/api/v1` route in the source
//! is documented with its methods (and nothing else is), every reference resolves, and real
//! answers from real device files match the schemas the document gives for them.

mod common;

use std::collections::BTreeSet;

use common::*;

/// Every (path, method) a `.route("/api/v1…", …)` in the web crate's source registers.
fn routes_in_source() -> BTreeSet<(String, String)> {
    common::routes_in_source()
        .into_iter()
        .filter(|(_, path)| path.starts_with("/api/v1"))
        .map(|(method, path)| (path, method.to_lowercase()))
        .collect()
}

fn documented(doc: &serde_json::Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((path.clone(), method.clone()));
        }
    }
    out
}

/// Every `$ref` in `v`.
fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    out.push(x.as_str().unwrap().to_owned());
                } else {
                    refs(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// Checks `answer` against the schema the document gives for `path`'s GET and `status`.
fn check(doc: &serde_json::Value, path: &str, status: &str, answer: &serde_json::Value) {
    let schema_ref = doc["paths"][path]["get"]["responses"][status]["content"]["application/json"]
        ["schema"]["$ref"]
        .as_str()
        .unwrap_or_else(|| panic!("{path} documents no {status} schema"));
    let mut root = doc.clone();
    root["$ref"] = schema_ref.into();
    let validator = jsonschema::draft202012::new(&root)
        .unwrap_or_else(|e| panic!("the schema for {path} compiles: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(answer)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{path} ({status}) does not match its schema: {errors:#?}"
    );
}

#[tokio::test]
async fn every_api_route_is_documented_and_real_answers_match_their_schemas() {
    let s = spawn_app("miles", true).await;
    let a = s.get("/api/openapi.json").await;
    assert_eq!(a.status, 200);
    assert!(a.header("content-type").starts_with("application/json"));
    let doc = a.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );

    let source = routes_in_source();
    assert!(source.len() >= 8, "the scan finds the routes: {source:?}");
    let documented = documented(&doc);
    let missing: Vec<_> = source.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&source).collect();
    assert!(
        missing.is_empty(),
        "routes without documentation: {missing:?}"
    );
    assert!(extra.is_empty(), "documented but not served: {extra:?}");

    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in &all {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{r} does not resolve"
        );
    }

    let id = s.first_id().await;
    s.app
        .set_profile(&soleus_app::profile::ProfileChange {
            sex: Some("female".into()),
            birth_year: Some(1991),
            weight: Some("135lb".into()),
            height: Some("5ft6in".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // A check-in (a dull mid-calf ache) so the care documents have something to show.
    s.app
        .store_checkin(
            &soleus_model::assess::CheckIn::from_json(&format!(
                r#"{{"date":"{ON}","side":"left","regions":["CALF_MID"],"onset":"gradual",
                    "days_since_onset":4,"trend":"same","pain":{{"now":2,"during_run":4}}}}"#
            ))
            .unwrap(),
        )
        .await
        .unwrap();
    for (path, url) in [
        ("/api/v1/shoes", "/api/v1/shoes".to_owned()),
        (
            "/api/v1/shoes/transition",
            "/api/v1/shoes/transition".to_owned(),
        ),
        (
            "/api/v1/shoes/drops",
            "/api/v1/shoes/drops?weeks=8".to_owned(),
        ),
        ("/api/v1/energy/week", "/api/v1/energy/week".to_owned()),
        (
            "/api/v1/energy/history",
            "/api/v1/energy/history".to_owned(),
        ),
        ("/api/v1/checkins", "/api/v1/checkins".to_owned()),
        ("/api/v1/assessment", "/api/v1/assessment".to_owned()),
        ("/api/v1/plan", "/api/v1/plan".to_owned()),
        ("/api/v1/plan/history", "/api/v1/plan/history".to_owned()),
        ("/api/v1/instruments", "/api/v1/instruments".to_owned()),
        ("/api/v1/scores", "/api/v1/scores".to_owned()),
        ("/api/v1/dashboard", format!("/api/v1/dashboard?on={ON}")),
        ("/api/v1/risk", format!("/api/v1/risk?on={ON}")),
        ("/api/v1/today", "/api/v1/today".to_owned()),
        ("/api/v1/activities", "/api/v1/activities".to_owned()),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{id}"),
        ),
        ("/api/v1/profile", "/api/v1/profile".to_owned()),
    ] {
        let a = s.get(&url).await;
        assert_eq!(a.status, 200, "{url}: {}", a.body);
        check(&doc, path, "200", &a.json());
    }
    // A failure's document matches the error schema.
    let missing = s.get("/api/v1/activities/999999").await;
    assert_eq!(missing.status, 404);
    check(&doc, "/api/v1/activities/{id}", "404", &missing.json());
    // A schema that could be false: an answer missing its fields does not pass.
    let result = std::panic::catch_unwind(|| {
        check(
            &doc,
            "/api/v1/profile",
            "200",
            &serde_json::json!({"profile": 3}),
        )
    });
    assert!(result.is_err(), "a wrong answer fails the check");
}
