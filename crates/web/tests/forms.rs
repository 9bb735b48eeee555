//! Forms over the real server: a cross-site post is refused before it changes anything, a
//! form that saves answers with a redirect and the page says so, a mistake comes back beside
//! its field with nothing saved, and the JSON API takes the same fields.

mod common;

use common::*;

#[tokio::test]
async fn a_post_from_another_site_is_refused_and_changes_nothing() {
    let s = spawn_app("km", false).await;
    let body = form_urlencoded(&[("units", "miles")]);
    for headers in [
        vec![
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ],
        vec![("origin", "https://evil.example")],
        vec![
            ("sec-fetch-site", "same-site"),
            ("origin", "http://sub.127.0.0.1"),
        ],
    ] {
        let a = s
            .post(
                "/settings",
                "application/x-www-form-urlencoded",
                body.clone(),
                &headers,
            )
            .await;
        assert_eq!(a.status, 403, "{headers:?}: {}", a.body);
        assert!(a.body.contains("from another site"), "{}", a.body);
    }
    let p = s.app.profile().await.unwrap();
    assert_eq!(p.profile.units.label(), "km", "nothing was saved");
}

#[tokio::test]
async fn settings_save_redirect_and_say_so() {
    let s = spawn_app("km", false).await;
    let a = s
        .post_form(
            "/settings",
            &[
                ("units", "miles"),
                ("weight_unit", "lb"),
                ("height_unit", "ftin"),
                ("weight", "135lb"),
                ("height", "5ft6in"),
                ("time_zone", "America/New_York"),
                ("birth_year", ""),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.header("location"), "/settings?saved=profile");
    let p = s.app.profile().await.unwrap().profile;
    // 135 lb = 61.235 kg (1 lb = 0.45359237 kg exactly); 5 ft 6 in = 66 in = 167.64 cm.
    assert!((p.weight_kg.unwrap() - 61.235).abs() < 0.01, "{p:?}");
    assert!((p.height_cm.unwrap() - 167.64).abs() < 0.01, "{p:?}");
    assert_eq!(p.time_zone.as_deref(), Some("America/New_York"));

    let page = s.get("/settings?saved=profile").await;
    assert_page(&page, "/settings after saving");
    assert!(page.body.contains("Profile saved."));
    assert!(page.body.contains(r#"value="135.0lb""#), "weight in pounds");

    // Switching back to kilograms in the same form converts the weight shown, rather than
    // reading 135 as kilograms.
    let a = s
        .post_form("/settings", &[("weight_unit", "kg"), ("weight", "135.0lb")])
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let p = s.app.profile().await.unwrap().profile;
    assert!((p.weight_kg.unwrap() - 61.235).abs() < 0.06, "{p:?}");
    let page = s.get("/settings").await;
    assert!(page.body.contains(r#"value="61.2kg""#), "{}", page.body);
    assert!(
        page.body.contains(r#"value="5ft6in""#),
        "height in feet and inches"
    );
    // A key that is not one of the notices shows nothing from the address.
    let odd = s.get("/settings?saved=%3Cscript%3E").await;
    assert!(!odd.body.contains("script%3E") && !odd.body.contains("<script>alert"));
    assert!(!odd.body.contains("class=\"notice\""));
}

#[tokio::test]
async fn a_mistake_comes_back_beside_its_field_and_nothing_is_saved() {
    let s = spawn_app("km", false).await;
    let a = s
        .post_form(
            "/settings",
            &[("units", "miles"), ("time_zone", "Mars/Olympus_Mons")],
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains(r#"id="e-time_zone""#), "{}", a.body);
    assert!(a.body.contains(r#"aria-invalid="true""#));
    assert!(
        a.body.contains(r#"value="Mars/Olympus_Mons""#),
        "what was typed is kept"
    );
    assert_eq!(s.app.profile().await.unwrap().profile.units.label(), "km");

    let bad = s.post_form("/settings", &[("hr_max", "fast")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(r#"id="e-hr_max""#), "{}", bad.body);
}

#[tokio::test]
async fn the_api_takes_the_same_fields_as_json() {
    let s = spawn_app("km", false).await;
    let a = s
        .post_json(
            "/api/v1/profile",
            &serde_json::json!({"units": "miles", "hr_max": "188"}),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["profile"]["units"], "miles");
    assert_eq!(a.json()["profile"]["hr_max"], 188);
    let bad = s
        .post_json("/api/v1/profile", &serde_json::json!({"hr_max": "fast"}))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["error"]["field"], "hr_max");
    let junk = s
        .post("/api/v1/profile", "application/json", "{not json", &[])
        .await;
    assert_eq!(junk.status, 422, "{}", junk.body);
    // An array would fill the fields by position; a field Soleus does not know is a typo.
    for doc in [
        serde_json::json!([null, "miles"]),
        serde_json::json!({"hrmax": 190}),
    ] {
        let a = s.post_json("/api/v1/profile", &doc).await;
        assert_eq!(a.status, 422, "{doc}: {}", a.body);
        assert!(a.json()["error"]["message"].is_string());
    }
    assert_eq!(s.app.profile().await.unwrap().profile.units.label(), "mi");
    // The framework's own refusals come in the route's shape too.
    let twice = s.get("/api/v1/activities?limit=1&limit=2").await;
    assert_eq!(twice.status, 422, "{}", twice.body);
    assert_eq!(twice.json()["error"]["status"], 422);
    let untyped = s
        .post("/api/v1/profile", "text/plain", "units=miles", &[])
        .await;
    assert_eq!(untyped.status, 422, "{}", untyped.body);
    assert!(
        untyped
            .header("content-type")
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn the_old_profile_address_leads_to_settings() {
    let s = spawn_app("km", false).await;
    let a = s.get("/profile").await;
    assert_eq!(a.status, 308);
    assert_eq!(a.header("location"), "/settings");
}
