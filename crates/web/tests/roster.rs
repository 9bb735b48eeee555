//! A coach's roster over the real server (issue 12): what each viewer acts on, in their own
//! units, sortable by every column, never behind the athlete's data (the stored rows are
//! computed again after any change), and the medical scope only for those who hold it.

mod common;

use chrono::{Datelike, Duration, Utc};
use common::{
    check_in, get_as, gpx_run, import_files, post_as, red_flag_check_in, share, sign_up, spawn_app,
};

/// The roster document's rows, by name.
fn names(doc: &serde_json::Value) -> Vec<String> {
    doc["athletes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The row of `name`.
fn row<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["athletes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} on the roster: {doc}"))
}

#[tokio::test]
async fn the_roster_shows_each_viewer_what_they_act_on_in_their_units_and_sorts() {
    let s = spawn_app("km", false).await;
    let ana = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let kim = share(&s, &ana, "Kim", "kim@example.org", "coach", "comment").await;
    let doc = share(&s, &ana, "Dr Lee", "doc@example.org", "clinician", "view").await;
    let ben = sign_up(&s, "Ben", "ben@example.org", "athlete").await;
    let made = post_as(
        &s,
        "/sharing/invite",
        &ben,
        &[
            ("email", "kim@example.org"),
            ("role", "coach"),
            ("level", "view"),
        ],
    )
    .await;
    let at = made.body.find("/invitations/").expect("a link");
    let link = &made.body[at..at + "/invitations/".len() + 64];
    assert_eq!(
        post_as(&s, &format!("{link}/accept"), &kim, &[])
            .await
            .status,
        303
    );

    // Ana: 5 km today, and 5 km a day on four days of the week before last (so this week
    // against the four before is 5 km against 20 / 4 = 5 km a week: +0 %).
    let today = Utc::now().date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let dir = tempfile::tempdir().unwrap();
    let mut paths = vec![dir.path().join("today.gpx")];
    std::fs::write(&paths[0], gpx_run(today, 5.0)).unwrap();
    for d in 0..4 {
        let p = dir.path().join(format!("before{d}.gpx"));
        std::fs::write(&p, gpx_run(monday - Duration::days(14 - d), 5.0)).unwrap();
        paths.push(p);
    }
    import_files(&s, &paths).await;
    // Pain 7/10 during yesterday's run, the worst of the day's three ratings.
    check_in(
        &s,
        &format!(
            r#"{{"date":"{}","side":"left","regions":["ACHILLES_MID"],
            "pain":{{"during_run":7,"after_run":6,"next_morning":3}}}}"#,
            today - Duration::days(1)
        ),
    )
    .await;

    // The coach: both athletes, Ana's distances, no check-in and no pain (no medical scope).
    let roster = get_as(&s, "/api/v1/roster", &kim).await;
    assert_eq!(roster.status, 200, "{}", roster.body);
    let r = roster.json();
    let a = row(&r, "Ana");
    // The fixture's geometry: a "5 km" run is 167 steps of 30 m, 5.01 km.
    assert!((a["week_km"].as_f64().unwrap() - 5.01).abs() < 0.001, "{a}");
    assert!(
        (a["weeks_before_mean_km"].as_f64().unwrap() - 5.01).abs() < 0.001,
        "{a}"
    );
    assert!(a["change_pct"].as_f64().unwrap().abs() < 0.5, "{a}");
    assert_eq!(a["days_since_upload"], 0);
    assert!(a["last_checkin"].is_null() && a["pain_trend"].is_null() && a["pain_mean"].is_null());
    let b = row(&r, "Ben");
    assert_eq!(
        (b["week_km"].as_f64(), b["days_since_upload"].is_null()),
        (Some(0.0), true)
    );
    assert_eq!(r["units"]["distance"], "km");

    // The clinician: the check-in's day and the pain, 7 of 10, nothing before to compare.
    let theirs = get_as(&s, "/api/v1/roster", &doc).await.json();
    let a = row(&theirs, "Ana");
    assert_eq!(
        a["last_checkin"].as_str(),
        Some((today - Duration::days(1)).to_string().as_str())
    );
    assert_eq!(
        (a["pain_mean"].as_f64(), a["pain_trend"].as_str()),
        (Some(7.0), Some("unknown"))
    );

    // The coach reads in miles once chosen on the account: 5.01 km is 3.1 mi (1 mi =
    // 1.609344 km exactly).
    let set = post_as(&s, "/account/units", &kim, &[("units", "miles")]).await;
    assert_eq!(set.status, 303, "{}", set.body);
    let page = get_as(&s, "/roster", &kim).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("3.1 mi"), "{}", page.body);
    assert!(!page.body.contains("5.0 km"), "{}", page.body);
    assert!(!page.body.contains("7.0 of 10"), "no pain for the coach");
    assert!(get_as(&s, "/roster", &doc).await.body.contains("7.0 of 10"));
    assert_eq!(
        get_as(&s, "/api/v1/roster", &kim).await.json()["units"]["distance"],
        "miles"
    );
    // A unit that is not one is refused where it was typed.
    let bad = post_as(&s, "/account/units", &kim, &[("units", "parsecs")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("not km or miles"));

    // Sorting: by name either way, by this week's distance (most first), and the column
    // sorted by says so to assistive technology.
    let sorted = |q: &'static str| {
        let s = &s;
        let kim = kim.clone();
        async move { names(&get_as(s, &format!("/api/v1/roster?{q}"), &kim).await.json()) }
    };
    assert_eq!(sorted("sort=name&order=asc").await, ["Ana", "Ben"]);
    assert_eq!(sorted("sort=name&order=desc").await, ["Ben", "Ana"]);
    assert_eq!(sorted("sort=week").await, ["Ana", "Ben"]);
    assert_eq!(sorted("sort=week&order=asc").await, ["Ben", "Ana"]);
    assert_eq!(
        sorted("sort=upload&order=asc").await,
        ["Ana", "Ben"],
        "no activity last"
    );
    let page = get_as(&s, "/roster?sort=week&order=desc", &kim).await;
    assert!(
        page.body
            .contains(r#"aria-sort="descending"><a href="/roster?sort=week&#38;order=asc">"#),
        "{}",
        page.body
    );
    let refused = get_as(&s, "/api/v1/roster?sort=shoe", &kim).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("attention, name, week"),
        "{}",
        refused.body
    );

    // Never behind: another 3 km today shows at once, as does a red flag (to the clinician;
    // the coach sees training paused, not why).
    let more = dir.path().join("more.gpx");
    std::fs::write(&more, gpx_run(today, 3.0)).unwrap();
    import_files(&s, &[more]).await;
    let a = row(&get_as(&s, "/api/v1/roster", &kim).await.json(), "Ana").clone();
    // 5.01 km and 100 steps of 30 m.
    assert!((a["week_km"].as_f64().unwrap() - 8.01).abs() < 0.001, "{a}");
    red_flag_check_in(&s, today).await;
    let a = row(&get_as(&s, "/api/v1/roster", &doc).await.json(), "Ana").clone();
    assert_eq!(a["red_flag"], "EMERGENCY", "{a}");
    let k = get_as(&s, "/api/v1/roster", &kim).await.json();
    let a = row(&k, "Ana");
    assert_eq!(
        (a["paused"].as_bool(), a["red_flag"].is_null()),
        (Some(true), true)
    );
    assert_eq!(names(&k)[0], "Ana", "paused training comes first");
}

#[tokio::test]
async fn a_clinician_records_a_clearance_and_an_assessment_and_a_coach_cannot() {
    let s = spawn_app("km", false).await;
    let ana = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let kim = share(&s, &ana, "Kim", "kim@example.org", "coach", "edit").await;
    let doc = share(&s, &ana, "Dr Lee", "doc@example.org", "clinician", "view").await;
    let athlete = s.app.athlete_id();
    let today = Utc::now().date_naive();
    // A red flag stops everything until a clinician has seen her.
    red_flag_check_in(&s, today).await;
    let page = get_as(&s, &format!("/athletes/{athlete}"), &doc).await;
    assert!(page.body.contains("As their clinician"), "{}", page.body);
    assert!(page.body.contains("No questionnaire filled in yet."));
    let coach_page = get_as(&s, &format!("/athletes/{athlete}"), &kim).await;
    assert!(!coach_page.body.contains("As their clinician"));
    assert!(
        !coach_page.body.contains("<h2>Questionnaires</h2>"),
        "no medical scope: {}",
        coach_page.body
    );

    // The coach, even at the level "edit the plan", may not clear or assess.
    let path = format!("/athletes/{athlete}/clearance");
    let refused = post_as(&s, &path, &kim, &[("note", "looks fine")]).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let refused = post_as(&s, &format!("/athletes/{athlete}/assessment"), &kim, &[]).await;
    assert_eq!(refused.status, 403);
    // A day that is not one is refused, naming it.
    let bad = post_as(&s, &path, &doc, &[("on", "31/12/2026")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("is not a day like"), "{}", bad.body);

    // The clinician assesses, then clears: both in the athlete's records, named.
    let assessed = post_as(&s, &format!("/athletes/{athlete}/assessment"), &doc, &[]).await;
    assert_eq!(assessed.status, 303, "{}", assessed.body);
    let cleared = post_as(&s, &path, &doc, &[("note", "DVT ruled out by ultrasound")]).await;
    assert_eq!(
        (cleared.status, cleared.header("location")),
        (303, format!("/athletes/{athlete}?saved=cleared").as_str())
    );
    let history = get_as(&s, "/api/v1/plan/history", &ana).await.json();
    let text = history.to_string();
    assert!(
        text.contains("Dr Lee") && text.contains("DVT ruled out by ultrasound"),
        "{text}"
    );
    let assessments = s
        .app
        .store()
        .entries(soleus_model::journal::Kind::Assessment)
        .await
        .unwrap();
    assert_eq!(assessments.len(), 1, "one assessment recorded");
}
