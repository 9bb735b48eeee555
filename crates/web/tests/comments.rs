//! Threaded comments and notifications over the real server (issue 12): a thread is visible
//! exactly to whoever sees what it is on (a coach without the medical scope finds no
//! check-in comment in any page or document), commenting needs the level `comment`, the text
//! comes out escaped, cross-site posts are refused, and the inbox bundles, counts and empties.

mod common;

use common::{
    Answer, Spawned, askama_escape, check_in, form_urlencoded, get_as, gpx_run, import_files,
    post_as, red_flag_check_in, share, sign_up, spawn_app,
};

/// A comment planted on a check-in: no page or document a coach without the medical scope
/// gets may contain it.
const CHECKIN_MARKER: &str = "MARKER-CHECKIN-7731";

async fn json_as(s: &Spawned, path: &str, cookie: &str, doc: &serde_json::Value) -> Answer {
    s.post(
        path,
        "application/json",
        doc.to_string(),
        &[("cookie", cookie)],
    )
    .await
}

/// The comments of a thread document, by body.
fn bodies(doc: &serde_json::Value) -> Vec<String> {
    doc["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap_or("(deleted)").to_owned())
        .collect()
}

#[tokio::test]
async fn the_runner_alone_comments_replies_edits_and_deletes_with_the_text_escaped() {
    let s = spawn_app("km", true).await;
    let me = s.app.athlete_id();
    let run = s.first_id().await;
    let thread = format!("/athletes/{me}/threads/activity/{run}");

    // A comment full of markup: it is escaped, and only the Markdown-lite becomes HTML.
    let hostile = "<script>alert(1)</script> *easy* [x](javascript:alert(2)) \
                   [ok](https://example.org/a?b=1&c=2)";
    let a = s.post_form(&thread, &[("body", hostile)]).await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(
        a.header("location"),
        format!("/activities/{run}?saved=comment#comments")
    );
    let page = s.get(&format!("/activities/{run}?saved=comment")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script>alert(1)"), "{}", page.body);
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.body.contains("<em>easy</em>"));
    assert!(!page.body.contains("href=\"javascript"));
    assert!(
        page.body
            .contains("href=\"https://example.org/a?b=1&amp;c=2\"")
    );
    assert!(page.body.contains("Comment posted."));
    // Required fields are marked, and the form posts without script.
    assert!(page.body.contains("Fields marked * are required."));
    assert!(page.body.contains(&format!("action=\"{thread}\"")));

    // Replies nest: a reply to the reply stays in the thread, under its parent.
    let doc = s.get(&format!("/api/v1{thread}")).await.json();
    let first = doc["comments"][0]["id"].as_i64().unwrap();
    assert_eq!(doc["comments"][0]["author"]["id"], serde_json::Value::Null);
    assert_eq!(doc["comments"][0]["author"]["badge"], "athlete");
    let reply = s
        .post_form(
            &thread,
            &[("body", "a reply"), ("parent", &first.to_string())],
        )
        .await;
    assert_eq!(reply.status, 303);
    let doc = s.get(&format!("/api/v1{thread}")).await.json();
    let second = doc["comments"][1]["id"].as_i64().unwrap();
    let deeper = s
        .post_json(
            &format!("/api/v1{thread}"),
            &serde_json::json!({"body": "deeper", "parent": second}),
        )
        .await;
    assert_eq!(deeper.status, 200, "{}", deeper.body);
    assert_eq!(deeper.json()["depth"], 2);
    let doc = s.get(&format!("/api/v1{thread}")).await.json();
    assert_eq!(bodies(&doc)[1..], ["a reply", "deeper"]);

    // An empty comment is refused beside its field, and nothing is stored.
    let empty = s.post_form(&thread, &[("body", "   ")]).await;
    assert_eq!(empty.status, 422);
    assert!(
        empty.body.contains("write a comment first"),
        "{}",
        empty.body
    );
    assert_eq!(
        bodies(&s.get(&format!("/api/v1{thread}")).await.json()).len(),
        3
    );

    // A cross-site post is refused before it changes anything.
    let evil = s
        .post(
            &thread,
            "application/x-www-form-urlencoded",
            form_urlencoded(&[("body", "from elsewhere")]),
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(evil.status, 403);
    assert!(
        !s.get(&format!("/api/v1{thread}"))
            .await
            .body
            .contains("from elsewhere")
    );

    // Edit, then delete: with a reply hanging on it, it stays as "deleted".
    let edit = format!("/athletes/{me}/comments/{second}/edit");
    assert_eq!(s.get(&edit).await.status, 200);
    assert_eq!(
        s.post_form(&edit, &[("body", "edited reply")]).await.status,
        303
    );
    let del = s
        .post_form(&format!("/athletes/{me}/comments/{second}/delete"), &[])
        .await;
    assert_eq!(del.status, 303);
    let doc = s.get(&format!("/api/v1{thread}")).await.json();
    assert_eq!(bodies(&doc), [hostile, "(deleted)", "deeper"]);
    assert_eq!(doc["comments"][1]["deleted"], true);
    let page = s.get(&format!("/activities/{run}")).await;
    assert!(page.body.contains("<em>deleted</em>") && !page.body.contains("edited reply"));
    // A leaf deleted through the API is gone; then so is the deleted one it hung on.
    let third = doc["comments"][2]["id"].as_i64().unwrap();
    let gone = s
        .send(
            axum::http::Request::delete(format!(
                "{}/api/v1/athletes/{me}/comments/{third}",
                s.base
            ))
            .body(axum::body::Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(
        bodies(&s.get(&format!("/api/v1{thread}")).await.json()),
        [hostile]
    );

    // Threads that are not there answer 404, whatever is wrong with the address.
    for path in [
        format!("/athletes/{me}/threads/activity/999999"),
        format!("/athletes/{}/threads/activity/{run}", me.0 + 1),
        format!("/athletes/{me}/threads/shoe/{run}"),
        format!("/athletes/{me}/threads/checkin/{run}"),
        format!("/api/v1/athletes/{me}/threads/activity/999999"),
    ] {
        assert_eq!(s.get(&path).await.status, 404, "{path}");
    }
}

#[tokio::test]
async fn threads_follow_the_grants_and_the_inbox_bundles_and_empties() {
    let s = spawn_app("km", true).await;
    let ana = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let me = s.app.users().await.unwrap()[0].athlete.unwrap();
    let run = s.first_id().await;
    let kim = share(&s, &ana, "Kim", "kim@example.org", "coach", "comment").await;
    let doc = share(
        &s,
        &ana,
        "Dr <img src=x onerror=alert(1)> Lee",
        "doc@example.org",
        "clinician",
        "comment",
    )
    .await;
    let vic = share(&s, &ana, "Vic", "vic@example.org", "coach", "view").await;
    let eve = sign_up(&s, "Eve", "eve@example.org", "coach").await;
    // Nobody was told anything yet.
    let empty = get_as(&s, "/notifications", &kim).await;
    assert_eq!(empty.status, 200);
    assert!(
        empty.body.contains("You're all caught up!"),
        "{}",
        empty.body
    );

    // A check-in with a comment from the clinician.
    let today = chrono::Utc::now().date_naive().to_string();
    let saved = check_in(
        &s,
        &format!(
            r#"{{"date":"{today}","side":"left","regions":["CALF_MID"],"onset":"gradual",
                "days_since_onset":4,"trend":"same","pain":{{"now":2,"during_run":4}}}}"#
        ),
    )
    .await;
    let checkin = format!("/athletes/{me}/threads/checkin/{}", saved.checkin_id);
    let by_doc = post_as(&s, &checkin, &doc, &[("body", CHECKIN_MARKER)]).await;
    assert_eq!(by_doc.status, 303, "{}", by_doc.body);
    assert_eq!(
        by_doc.header("location"),
        format!("{checkin}?saved=comment")
    );
    // Ana sees it on her check-in, with the clinician's badge and name escaped.
    let hers = get_as(&s, &format!("/checkin/{}", saved.checkin_id), &ana).await;
    assert!(hers.body.contains(CHECKIN_MARKER), "{}", hers.body);
    // The badge links to the clinician's profile (issue 12).
    let doc_id = s
        .app
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "doc@example.org")
        .unwrap()
        .id;
    assert!(
        hers.body.contains(&format!(
            "<a href=\"/people/{doc_id}\" class=\"badge badge-clinician\""
        )),
        "{}",
        hers.body
    );
    assert!(hers.body.contains(">Clinician</a>"));
    assert_eq!(
        get_as(&s, &format!("/people/{doc_id}"), &ana).await.status,
        200,
        "the athlete who shares with the clinician sees their profile"
    );
    assert!(!hers.body.contains("<img src=x"));
    assert!(!hers.body.contains("doc@example.org"), "never the email");

    // Kim has no medical scope: the check-in's thread is not found, in pages and documents,
    // and nothing Kim can open carries its text.
    for path in [checkin.clone(), format!("/api/v1{checkin}")] {
        let a = get_as(&s, &path, &kim).await;
        assert_eq!(a.status, 404, "{path}");
        assert!(!a.body.contains(CHECKIN_MARKER));
    }
    let posted = post_as(&s, &checkin, &kim, &[("body", "sneaky")]).await;
    assert_eq!(posted.status, 404);
    for path in [
        format!("/athletes/{me}"),
        "/roster".to_owned(),
        "/notifications".to_owned(),
        "/api/v1/notifications".to_owned(),
    ] {
        let a = get_as(&s, &path, &kim).await;
        assert_eq!(a.status, 200, "{path}");
        assert!(!a.body.contains(CHECKIN_MARKER), "{path}");
        assert!(!a.body.contains("threads/checkin"), "{path}");
    }
    // The clinician sees the thread and its link.
    assert!(
        get_as(&s, &format!("/athletes/{me}"), &doc)
            .await
            .body
            .contains(&checkin)
    );

    // Kim comments three times on a run within minutes: Ana's inbox has one row.
    let thread = format!("/athletes/{me}/threads/activity/{run}");
    let page = get_as(&s, &thread, &kim).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(&askama_escape("Comments on Ana's activity"))
    );
    for n in 1..=3 {
        let a = post_as(&s, &thread, &kim, &[("body", &format!("Run note {n}"))]).await;
        assert_eq!(
            (a.status, a.header("location")),
            (303, &*format!("{thread}?saved=comment"))
        );
    }
    let inbox = get_as(&s, "/notifications", &ana).await;
    assert!(
        inbox.body.contains("3 new comments on your activity"),
        "{}",
        inbox.body
    );
    assert!(!inbox.body.contains("You're all caught up!"));
    assert_eq!(
        inbox.body.matches("new comments on your activity").count(),
        1,
        "bundled into one"
    );
    // The clinician's comment is another thread, told apart; the header counts both rows.
    let api = get_as(&s, "/api/v1/notifications", &ana).await.json();
    assert_eq!(api["unread"], 2, "{api}");
    let home = get_as(&s, "/", &ana).await;
    assert!(
        home.body.contains("Notifications <span class=\"badge\">2"),
        "{}",
        home.body
    );
    assert!(!inbox.body.contains("<img src=x"));

    // Ana replies to Kim: Kim is told of the reply, linked to the thread.
    let kims = get_as(&s, &format!("/api/v1{thread}"), &ana).await.json();
    assert_eq!(kims["comments"][0]["author"]["name"], "Kim");
    assert_eq!(kims["comments"][0]["author"]["badge"], "coach");
    let first = kims["comments"][0]["id"].as_i64().unwrap();
    let r = post_as(
        &s,
        &thread,
        &ana,
        &[("body", "Will do"), ("parent", &first.to_string())],
    )
    .await;
    assert_eq!(
        r.header("location"),
        format!("/activities/{run}?saved=comment#comments")
    );
    let told = get_as(&s, "/notifications", &kim).await;
    assert!(
        told.body.contains(&askama_escape(
            "Ana replied to your comment on Ana's activity"
        )),
        "{}",
        told.body
    );
    assert!(told.body.contains(&format!("href=\"{thread}\"")));

    // A viewer reads but may not write; someone without a grant finds nothing.
    assert_eq!(get_as(&s, &thread, &vic).await.status, 200);
    assert!(
        !get_as(&s, &thread, &vic)
            .await
            .body
            .contains("Post comment")
    );
    assert_eq!(
        post_as(&s, &thread, &vic, &[("body", "hi")]).await.status,
        403
    );
    assert_eq!(get_as(&s, &thread, &eve).await.status, 404);
    assert_eq!(
        post_as(&s, &thread, &eve, &[("body", "hi")]).await.status,
        404
    );
    // Nobody edits or deletes another's comment.
    let edit = format!("/athletes/{me}/comments/{first}/edit");
    assert_eq!(
        post_as(&s, &edit, &ana, &[("body", "changed")])
            .await
            .status,
        403
    );
    assert_eq!(
        post_as(&s, &edit, &eve, &[("body", "changed")])
            .await
            .status,
        404
    );
    let api_edit = json_as(
        &s,
        &format!("/api/v1/athletes/{me}/comments/{first}"),
        &kim,
        &serde_json::json!({"body": "Run note 1, edited"}),
    )
    .await;
    assert_eq!(api_edit.status, 200, "{}", api_edit.body);
    assert!(api_edit.json()["edited"].is_string());

    // Mark one read, then all: "You're all caught up!", and no count in the header.
    let rows = get_as(&s, "/api/v1/notifications", &ana).await.json();
    let one = rows["notifications"][0]["id"].as_i64().unwrap();
    let read = post_as(&s, &format!("/notifications/{one}/read"), &ana, &[]).await;
    assert_eq!(read.status, 303);
    assert_eq!(
        get_as(&s, "/api/v1/notifications", &ana).await.json()["unread"],
        1
    );
    assert_eq!(
        post_as(&s, "/notifications/read-all", &ana, &[])
            .await
            .status,
        303
    );
    let done = get_as(&s, "/notifications", &ana).await;
    assert!(done.body.contains("You're all caught up!"));
    assert!(!done.body.contains("<span class=\"badge\">"));
    // Someone else's notification cannot be marked by id.
    assert_eq!(
        post_as(&s, &format!("/notifications/{one}/read"), &kim, &[])
            .await
            .status,
        404
    );

    // Ana switches comment notifications off: a new comment tells her nothing.
    let set = post_as(&s, "/account/notifications", &ana, &[("comment", "off")]).await;
    assert_eq!(set.status, 303);
    assert!(
        get_as(&s, "/account", &ana)
            .await
            .body
            .contains("value=\"off\" checked")
    );
    post_as(&s, &thread, &kim, &[("body", "one more")]).await;
    assert_eq!(
        get_as(&s, "/api/v1/notifications", &ana).await.json()["unread"],
        0
    );

    // Revoking Kim ends the thread and what Kim was told about Ana, at once.
    assert!(
        get_as(&s, "/notifications", &kim)
            .await
            .body
            .contains("Ana replied")
    );
    let grant = s
        .app
        .sharing()
        .await
        .unwrap()
        .grants
        .into_iter()
        .find(|g| g.user_name == "Kim")
        .unwrap()
        .id;
    assert_eq!(
        post_as(&s, &format!("/sharing/grants/{grant}/revoke"), &ana, &[])
            .await
            .status,
        303
    );
    assert_eq!(get_as(&s, &thread, &kim).await.status, 404);
    let after = get_as(&s, "/notifications", &kim).await;
    assert!(!after.body.contains("Ana replied"), "{}", after.body);
    assert!(after.body.contains("You're all caught up!"));
}

#[tokio::test]
async fn a_red_flag_tells_the_clinician_at_once_and_not_the_coach() {
    let s = spawn_app("km", false).await;
    let ana = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let kim = share(&s, &ana, "Kim", "kim@example.org", "coach", "comment").await;
    let doc = share(&s, &ana, "Dr Lee", "doc@example.org", "clinician", "view").await;
    let today = chrono::Utc::now().date_naive().to_string();
    red_flag_check_in(&s, today).await;
    let told = get_as(&s, "/notifications", &doc).await;
    assert!(
        told.body.contains(&askama_escape(
            "Ana's check-in raised a red flag (EMERGENCY)"
        )),
        "{}",
        told.body
    );
    let coach = get_as(&s, "/api/v1/notifications", &kim).await.json();
    assert_eq!(coach["unread"], 0, "{coach}");
    assert!(!coach.to_string().contains("EMERGENCY"));
}

/// The queued notification mails: (address, words, link).
async fn notification_mails(s: &common::Spawned) -> Vec<(String, String, String)> {
    use soleus_app::accounts::reset::OutboxKind;
    s.app
        .account_outbox("test")
        .rows()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.kind == OutboxKind::Notification)
        .map(|r| {
            (
                r.email,
                r.about.unwrap_or_default(),
                r.link.unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_new_overload_warning_is_told_once_and_mail_follows_each_persons_choice() {
    let s = spawn_app("km", false).await;
    let ana = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let kim = share(&s, &ana, "Kim", "kim@example.org", "coach", "comment").await;
    let doc = share(&s, &ana, "Dr Lee", "doc@example.org", "clinician", "view").await;
    let athlete = s.app.athlete_id();
    // Kim wants overload warnings by mail too; Dr Lee red flags; Ana keeps the defaults.
    for (who, kind) in [(&kim, "overload"), (&doc, "red_flag")] {
        let set = post_as(&s, "/account/notifications", who, &[(kind, "email")]).await;
        assert_eq!(set.status, 303, "{}", set.body);
    }
    let page = get_as(&s, "/account", &kim).await;
    assert!(
        page.body.contains(
            r#"id="n-overload-email" name="overload" type="radio" value="email" checked"#
        ),
        "{}",
        page.body
    );
    // The digest is itself a mail: no mail about it is offered, and none can be chosen.
    assert!(!page.body.contains("n-digest-email"));
    let refused = post_as(&s, "/account/notifications", &kim, &[("digest", "email")]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);

    // Three 5 km runs in the last three weeks, then 8 km today: 60 % longer than the longest
    // run of the 30 days before it, a single-run spike (load_rules.toml, Frandsen25: > 10 %).
    let dir = tempfile::tempdir().unwrap();
    let today = chrono::Utc::now().date_naive();
    let mut paths = Vec::new();
    for (i, ago) in [20, 13, 6].into_iter().enumerate() {
        let p = dir.path().join(format!("easy{i}.gpx"));
        std::fs::write(&p, gpx_run(today - chrono::Duration::days(ago), 5.0)).unwrap();
        paths.push(p);
    }
    import_files(&s, &paths).await;
    let spikes = |doc: serde_json::Value| {
        doc["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| {
                n["kind"] == "overload" && n["text"].as_str().unwrap().contains("single run spike")
            })
            .count()
    };
    assert_eq!(
        spikes(get_as(&s, "/api/v1/notifications", &kim).await.json()),
        0
    );

    let long = dir.path().join("long.gpx");
    std::fs::write(&long, gpx_run(today, 8.0)).unwrap();
    import_files(&s, &[long]).await;
    let risk = s.app.risk_report(None).await.unwrap();
    assert!(
        risk.warnings.iter().any(|w| w.code == "SINGLE_RUN_SPIKE"),
        "the fixture makes the warning: {risk:?}"
    );
    for who in [&kim, &doc] {
        let inbox = get_as(&s, "/api/v1/notifications", who).await.json();
        assert_eq!(spikes(inbox.clone()), 1, "{inbox}");
        let n = inbox["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "overload")
            .unwrap()
            .clone();
        assert_eq!(
            n["text"],
            "New overload warning for Ana: single run spike (moderate)"
        );
        assert_eq!(n["link"], format!("/athletes/{athlete}"));
    }
    // Only Kim chose mail for it: one mail, with the words and the page to open.
    let mails = notification_mails(&s).await;
    assert_eq!(
        mails,
        [(
            "kim@example.org".to_owned(),
            "New overload warning for Ana: single run spike (moderate)".to_owned(),
            format!("/athletes/{athlete}")
        )]
    );

    // Another run keeps the spike in force: nobody is told of it again. Whatever warning the
    // run adds (the risk report says which) is told once, by mail to Kim.
    let before: Vec<String> = risk.warnings.iter().map(|w| w.code.clone()).collect();
    let more = dir.path().join("more.gpx");
    std::fs::write(&more, gpx_run(today - chrono::Duration::days(1), 3.0)).unwrap();
    import_files(&s, &[more]).await;
    assert_eq!(
        spikes(get_as(&s, "/api/v1/notifications", &kim).await.json()),
        1
    );
    let added: Vec<String> = s
        .app
        .risk_report(None)
        .await
        .unwrap()
        .warnings
        .iter()
        .filter(|w| !before.contains(&w.code))
        .map(|w| w.code.to_lowercase().replace('_', " "))
        .collect();
    let mails = notification_mails(&s).await;
    assert_eq!(mails.len(), 1 + added.len(), "{mails:?}");
    for (code, (to, words, _)) in added.iter().zip(&mails[1..]) {
        assert_eq!(to, "kim@example.org");
        assert!(words.contains(code.as_str()), "{words}");
    }
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.1.contains("single run spike"))
            .count(),
        1
    );
    let told = mails.len();

    // A red flag: Dr Lee's mail names only whom it is about, never the check-in or its level.
    red_flag_check_in(&s, today).await;
    let mails = notification_mails(&s).await;
    assert_eq!(mails.len(), told + 1, "{mails:?}");
    let (to, words, link) = &mails[told];
    assert_eq!(to, "doc@example.org");
    assert_eq!(words, "There is news about Ana for you to read in Soleus");
    assert_eq!(link, &format!("/athletes/{athlete}"));
    assert!(!words.contains("EMERGENCY") && !words.contains("red flag"));

    // Ana revokes Kim before the mails went out: none of Kim's about her is sent, Dr Lee's
    // stays.
    let sharing = get_as(&s, "/api/v1/sharing", &ana).await.json();
    let grant = sharing["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["user_name"] == "Kim")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let revoked = post_as(&s, &format!("/sharing/grants/{grant}/revoke"), &ana, &[]).await;
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    let mails = notification_mails(&s).await;
    assert!(mails.iter().all(|m| m.0 != "kim@example.org"), "{mails:?}");
    assert!(mails.iter().any(|m| m.0 == "doc@example.org"), "{mails:?}");
}

#[tokio::test]
async fn a_plan_moving_to_another_stage_tells_the_athlete_and_their_coach_once() {
    use soleus_model::assess::Side;
    use soleus_model::clinical::{Condition, Triage};
    let s = spawn_app("km", false).await;
    let ana = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let kim = share(&s, &ana, "Kim", "kim@example.org", "coach", "view").await;
    let athlete = s.app.athlete_id();
    let today = chrono::Utc::now().date_naive();
    let start = today - chrono::Duration::days(14);
    s.app
        .start_plan(&soleus_app::plan::PlanStart {
            condition: Condition::AchillesMidportion,
            grade: None,
            triage: Triage::SelfCare,
            side: Side::Left,
            on: Some(start),
        })
        .await
        .unwrap();
    let moves = |doc: serde_json::Value| -> Vec<(String, String)> {
        doc["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "plan_stage")
            .map(|n| {
                (
                    n["text"].as_str().unwrap().to_owned(),
                    n["link"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    // A good session on the first day holds the tendon plan in T1 (fewer than 7 days, no hop
    // test: knowledge/clinical.md §3.3, as plan_cli's worked example): nothing to tell.
    check_in(
        &s,
        &format!(
            r#"{{"date":"{start}","side":"left","regions":["ACHILLES_MID"],
        "pain":{{"during_run":2,"after_run":2,"next_morning":1}}}}"#
        ),
    )
    .await;
    assert!(moves(get_as(&s, "/api/v1/notifications", &kim).await.json()).is_empty());
    assert!(moves(get_as(&s, "/api/v1/notifications", &ana).await.json()).is_empty());
    // Two weeks on, a hop test at 2/10 and a session at 1/10 pass T1's gate: on to W1.
    check_in(
        &s,
        &format!(
            r#"{{"date":"{today}","side":"left","regions":["ACHILLES_MID"],
        "pain":{{"during_run":1,"after_run":1,"next_morning":1}},
        "tests":{{"HOP_10":{{"pain":2,"focal_bone_pain":false}}}}}}"#
        ),
    )
    .await;
    let plan = s.app.plan_history().await.unwrap();
    let plan = serde_json::to_value(&plan).unwrap();
    assert_eq!(
        plan["current_stage"], "W1",
        "the fixture moves the plan: {plan}"
    );
    let coach = moves(get_as(&s, "/api/v1/notifications", &kim).await.json());
    assert_eq!(coach.len(), 1, "{coach:?}");
    assert!(
        coach[0].0.starts_with("Ana's plan moved to stage W1"),
        "{coach:?}"
    );
    assert_eq!(coach[0].1, format!("/athletes/{athlete}"));
    let own = moves(get_as(&s, "/api/v1/notifications", &ana).await.json());
    assert_eq!(own.len(), 1, "{own:?}");
    assert!(
        own[0].0.starts_with("Your plan moved to stage W1"),
        "{own:?}"
    );
    assert_eq!(own[0].1, "/plan");
    // Another check-in in W1 tells nothing new.
    check_in(
        &s,
        &format!(
            r#"{{"date":"{today}","side":"left","regions":["ACHILLES_MID"],
        "pain":{{"during_run":1,"after_run":1,"next_morning":1}}}}"#
        ),
    )
    .await;
    assert_eq!(
        moves(get_as(&s, "/api/v1/notifications", &kim).await.json()).len(),
        1
    );
}

#[tokio::test]
async fn a_warning_drawn_from_pain_reaches_only_the_medical_scope() {
    let s = spawn_app("km", false).await;
    let ana = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let kim = share(&s, &ana, "Kim", "kim@example.org", "coach", "comment").await;
    let doc = share(&s, &ana, "Dr Lee", "doc@example.org", "clinician", "view").await;
    let athlete = s.app.athlete_id();
    let today = chrono::Utc::now().date_naive();
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for ago in 1..=4 {
        let p = dir.path().join(format!("run{ago}.gpx"));
        std::fs::write(&p, gpx_run(today - chrono::Duration::days(ago), 5.0)).unwrap();
        paths.push(p);
    }
    import_files(&s, &paths).await;
    // Pain 7/10 during yesterday's run: above the pain-monitoring model's 5/10
    // (load_rules.toml RUNNING_THROUGH_PAIN, Silbernagel07), drawn from the check-in.
    let yesterday = today - chrono::Duration::days(1);
    check_in(
        &s,
        &format!(
            r#"{{"date":"{yesterday}","side":"left","regions":["ACHILLES_MID"],
            "pain":{{"during_run":7,"after_run":6,"next_morning":3}}}}"#
        ),
    )
    .await;
    let risk = s.app.risk_report(None).await.unwrap();
    assert!(
        risk.warnings
            .iter()
            .any(|w| w.code == "RUNNING_THROUGH_PAIN"),
        "the fixture makes the warning: {risk:?}"
    );
    let told = |doc: serde_json::Value| {
        doc["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["text"].as_str().unwrap().contains("running through pain"))
    };
    assert!(told(get_as(&s, "/api/v1/notifications", &doc).await.json()));
    assert!(!told(
        get_as(&s, "/api/v1/notifications", &kim).await.json()
    ));
    // The athlete's page and document: the warning for the clinician, not for the coach.
    let page = format!("/api/v1/athletes/{athlete}");
    assert!(
        get_as(&s, &page, &doc)
            .await
            .body
            .contains("RUNNING_THROUGH_PAIN")
    );
    let coach = get_as(&s, &page, &kim).await;
    assert_eq!(coach.status, 200);
    assert!(
        !coach.body.contains("RUNNING_THROUGH_PAIN"),
        "{}",
        coach.body
    );
    let html = get_as(&s, &format!("/athletes/{athlete}"), &kim).await;
    assert_eq!(html.status, 200);
    assert!(
        !html.body.contains("RUNNING_THROUGH_PAIN") && !html.body.contains("7/10"),
        "{}",
        html.body
    );
}
