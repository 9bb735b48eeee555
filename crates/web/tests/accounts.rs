//! Accounts on the web (issue 12, WEB.md "Security tests" 5–7): a database without accounts
//! is its runner's alone; the first runner's account takes their history; once accounts
//! exist every page needs a session; sessions, sign-out, password changes and the throttle
//! behave as the OWASP ASVS 5.0 rules they follow say.

mod common;

use common::{
    Answer, Spawned, cookie, get_as, post_as, post_body_as, serve_on, sign_up, spawn_app,
};

async fn sign_in(s: &Spawned, email: &str, password: &str) -> Answer {
    s.post_form("/login", &[("email", email), ("password", password)])
        .await
}

#[tokio::test]
async fn the_first_runner_takes_the_history_and_then_every_page_needs_a_session() {
    let s = spawn_app("km", true).await;
    // Without accounts the runner on this computer needs no sign-in.
    assert_eq!(s.get("/").await.status, 200);
    let login = s.get("/login").await;
    assert!(login.body.contains("no accounts yet"), "{}", login.body);

    let ana = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    // WEB.md: HttpOnly, SameSite=Lax, Path=/; not Secure on plain loopback, no __Host-.
    let a = s
        .post_form(
            "/login",
            &[
                ("email", "ana@example.org"),
                ("password", "larch meadow 42"),
            ],
        )
        .await;
    let set = a.header("set-cookie").to_owned();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(set.contains(flag), "{flag} in {set}");
    }
    assert!(
        set.starts_with("soleus_session=") && !set.contains("Secure"),
        "{set}"
    );
    // A new session id at each sign-in (ASVS 7.2.4).
    assert_ne!(cookie(&a), ana);

    // Now every page needs a session: pages send to the sign-in, with the way back.
    let anon = s.get("/activities?page=2").await;
    assert_eq!(anon.status, 303);
    assert_eq!(
        anon.header("location"),
        "/login?next=/activities%3Fpage%3D2"
    );
    let api = s.get("/api/v1/dashboard").await;
    assert_eq!(api.status, 401, "{}", api.body);
    assert!(
        api.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("sign in")
    );
    // Signing in is still open, and so are the stylesheet and the health check.
    assert_eq!(s.get("/login").await.status, 200);
    assert_eq!(s.get("/healthz").await.status, 200);

    // Ana's pages are the local runner's history, under her name.
    let mine = get_as(&s, "/activities", &ana).await;
    assert_eq!(mine.status, 200);
    let runs = s.app.activities(None, None).await.unwrap().activities;
    assert!(mine.body.contains(&format!("/activities/{}", runs[0].id)));
    assert!(mine.body.contains(">Ana</a>"), "her name in the header");

    // A second runner has an athlete of their own: none of Ana's runs, and Ana's run is
    // "not found" to them, exactly as a missing one (no existence leak).
    let ben = sign_up(&s, "Ben", "ben@example.org", "athlete").await;
    let theirs = get_as(&s, "/activities", &ben).await;
    assert_eq!(theirs.status, 200);
    assert!(!theirs.body.contains(&format!("/activities/{}", runs[0].id)));
    let swap = get_as(&s, &format!("/activities/{}", runs[0].id), &ben).await;
    let missing = get_as(&s, "/activities/999999", &ben).await;
    assert_eq!((swap.status, missing.status), (404, 404));
    let api_swap = get_as(&s, &format!("/api/v1/activities/{}", runs[0].id), &ben).await;
    assert_eq!(api_swap.status, 404);

    // A coach has no runs: their home is the roster.
    let kim = sign_up(&s, "Kim", "kim@example.org", "coach").await;
    let home = get_as(&s, "/", &kim).await;
    assert_eq!((home.status, home.header("location")), (303, "/roster"));
}

#[tokio::test]
async fn sign_out_password_change_and_sign_out_everywhere_end_sessions() {
    let s = spawn_app("km", false).await;
    let first = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let second = cookie(&sign_in(&s, "ana@example.org", "larch meadow 42").await);
    let third = cookie(&sign_in(&s, "ana@example.org", "larch meadow 42").await);
    for c in [&first, &second, &third] {
        assert_eq!(get_as(&s, "/", c).await.status, 200);
    }

    // Signing out ends that session on the server: the old cookie no longer opens anything.
    let out = post_as(&s, "/logout", &first, &[]).await;
    assert_eq!(out.status, 303);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(get_as(&s, "/", &first).await.status, 303);

    // A password change keeps the session in use and ends every other.
    let body = common::form_urlencoded(&[
        ("current_password", "larch meadow 42"),
        ("new_password", "quiet harbour 7"),
    ]);
    let changed = post_body_as(&s, "/account/password", &second, body).await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(get_as(&s, "/", &second).await.status, 200);
    assert_eq!(get_as(&s, "/", &third).await.status, 303);
    assert_eq!(
        sign_in(&s, "ana@example.org", "larch meadow 42")
            .await
            .status,
        401,
        "the old password no longer works"
    );
    let fourth = cookie(&sign_in(&s, "ana@example.org", "quiet harbour 7").await);

    // A common new password is refused, beside its field.
    let weak = common::form_urlencoded(&[
        ("current_password", "quiet harbour 7"),
        ("new_password", "password123"),
    ]);
    let refused = post_body_as(&s, "/account/password", &fourth, weak).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("most common"), "{}", refused.body);

    // "Sign out everywhere" ends them all, this one too.
    let all = post_as(&s, "/account/sign-out-everywhere", &fourth, &[]).await;
    assert_eq!(all.status, 303);
    for c in [&second, &fourth] {
        assert_eq!(get_as(&s, "/", c).await.status, 303);
    }
    // A made-up cookie opens nothing either.
    let forged = format!("soleus_session={}", "ab".repeat(32));
    assert_eq!(get_as(&s, "/", &forged).await.status, 303);
}

#[tokio::test]
async fn the_throttle_holds_across_two_server_processes() {
    let s = spawn_app("km", false).await;
    sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    // A second server on the same database, as a second process behind a proxy would be.
    let (other, _stop) = serve_on(&s.url).await;
    let post_to = |base: String, password: &'static str| {
        let s = &s;
        async move {
            let body =
                common::form_urlencoded(&[("email", "ANA@example.org"), ("password", password)]);
            let req = axum::http::Request::post(format!("{base}/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", base.as_str())
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from(body))
                .unwrap();
            s.send(req).await
        }
    };
    // Five wrong passwords, spread over both servers (MAX_ACCOUNT_FAILURES = 5).
    for i in 0..5 {
        let base = if i % 2 == 0 {
            s.base.clone()
        } else {
            other.clone()
        };
        let a = post_to(base, "wrong guess here").await;
        assert_eq!(a.status, 401, "try {i}: {}", a.body);
        assert!(a.body.contains("the address or the password is wrong"));
    }
    // The sixth is refused on either server, even with the right password, saying when.
    for base in [s.base.clone(), other.clone()] {
        let a = post_to(base, "larch meadow 42").await;
        assert_eq!(a.status, 429, "{}", a.body);
        let wait: u64 = a.header("retry-after").parse().unwrap();
        assert!((1..=900).contains(&wait), "{wait}");
        assert!(a.body.contains("too many failed sign-ins"), "{}", a.body);
        assert!(a.header("set-cookie").is_empty());
    }
}

#[tokio::test]
async fn sign_in_refuses_cross_site_posts_and_unknown_accounts_alike() {
    let s = spawn_app("km", false).await;
    sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    // A form posted from another site never reaches the sign-in (WEB.md test 6).
    let body = common::form_urlencoded(&[
        ("email", "ana@example.org"),
        ("password", "larch meadow 42"),
    ]);
    let cross = s
        .post(
            "/login",
            "application/x-www-form-urlencoded",
            body,
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(cross.status, 403);
    // An unknown address and a wrong password get the same words and status.
    let unknown = sign_in(&s, "nobody@example.org", "larch meadow 42").await;
    let wrong = sign_in(&s, "ana@example.org", "larch meadow 43").await;
    assert_eq!((unknown.status, wrong.status), (401, 401));
    let words = |a: &Answer| a.body.contains("the address or the password is wrong");
    assert!(words(&unknown) && words(&wrong));
    // The way back after signing in stays on this site.
    let a = s
        .post_form(
            "/login",
            &[
                ("email", "ana@example.org"),
                ("password", "larch meadow 42"),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!((a.status, a.header("location")), (303, "/"));
    // A taken address and a short password are refused beside their fields.
    let taken = s
        .post_form(
            "/signup",
            &[
                ("display_name", "Twin"),
                ("email", "ANA@example.org"),
                ("password", "larch meadow 42"),
                ("role", "athlete"),
            ],
        )
        .await;
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("exists"), "{}", taken.body);
    let short = s
        .post_form(
            "/signup",
            &[
                ("display_name", "Cy"),
                ("email", "cy@example.org"),
                ("password", "short1"),
                ("role", "athlete"),
            ],
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(
        short.body.contains("at least 8 characters"),
        "{}",
        short.body
    );
}

/// The invitation link in the sharing page's answer.
fn link_in(body: &str) -> String {
    let at = body.find("/invitations/").expect("a link in the page");
    body[at..at + "/invitations/".len() + 64].to_owned()
}

/// WEB.md security tests 1–4 for sharing: started and ended by the athlete, bound to the
/// invited address, single use; the medical scope only where the athlete gave it; revoking
/// ends access at once; anyone else's athlete answers 404.
#[tokio::test]
async fn an_athlete_shares_with_a_coach_and_a_clinician_and_revokes() {
    let s = spawn_app("km", true).await;
    let ana = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let me = s.app.users().await.unwrap()[0].athlete.unwrap();
    // A red flag in force for Ana: EMERGENCY (chest pain with a swollen calf, §1.11).
    let today = chrono::Utc::now().date_naive().to_string();
    s.app
        .store_checkin(
            &soleus_model::assess::CheckIn::from_json(&format!(
                r#"{{"date":"{today}","side":"left","regions":["CALF_MID"],
                "breathless_or_chest_pain":true,"swelling":"whole_calf"}}"#
            ))
            .unwrap(),
        )
        .await
        .unwrap();

    // Ana invites a coach (view only, no medical scope by default).
    let made = post_as(
        &s,
        "/sharing/invite",
        &ana,
        &[
            ("email", "kim@example.org"),
            ("role", "coach"),
            ("level", "comment"),
        ],
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let link = link_in(&made.body);
    // The link opens for anyone holding it, and says who it is for.
    let open = s.get(&link).await;
    assert_eq!(open.status, 200);
    assert!(open.body.contains("kim@example.org") && open.body.contains("sign in"));
    // Someone else, signed in with another address, cannot accept it.
    let eve = sign_up(&s, "Eve", "eve@example.org", "coach").await;
    let refused = post_as(&s, &format!("{link}/accept"), &eve, &[]).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    // Kim signs up with the invited address and accepts.
    let kim = sign_up(&s, "Kim", "Kim@Example.org", "coach").await;
    let accepted = post_as(&s, &format!("{link}/accept"), &kim, &[]).await;
    assert_eq!(
        (accepted.status, accepted.header("location")),
        (303, "/roster?saved=accepted")
    );
    let again = post_as(&s, &format!("{link}/accept"), &kim, &[]).await;
    assert_eq!(again.status, 409, "single use");

    // Kim's roster: Ana, paused, but not why (no medical scope).
    let roster = get_as(&s, "/roster", &kim).await;
    assert_eq!(roster.status, 200);
    assert!(roster.body.contains(&format!("/athletes/{me}")));
    assert!(
        roster.body.contains("Paused: clinician first"),
        "{}",
        roster.body
    );
    assert!(
        !roster.body.contains("EMERGENCY"),
        "no red-flag text for a coach"
    );
    let page = get_as(&s, &format!("/athletes/{me}"), &kim).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Training paused") && !page.body.contains("EMERGENCY"));
    // Eve has no grant: Ana's page is "not found", as an athlete that does not exist.
    let eves = get_as(&s, &format!("/athletes/{me}"), &eve).await;
    let nobody = get_as(&s, "/athletes/987654", &eve).await;
    assert_eq!((eves.status, nobody.status), (404, 404));
    assert!(
        !get_as(&s, "/roster", &eve)
            .await
            .body
            .contains("/athletes/")
    );

    // A clinician gets the medical scope by default, and sees the flag.
    let made = post_as(
        &s,
        "/sharing/invite",
        &ana,
        &[
            ("email", "doc@example.org"),
            ("role", "clinician"),
            ("level", "edit"),
        ],
    )
    .await;
    let doc = sign_up(&s, "Dr Lee", "doc@example.org", "clinician").await;
    let link = link_in(&made.body);
    assert_eq!(
        post_as(&s, &format!("{link}/accept"), &doc, &[])
            .await
            .status,
        303
    );
    let seen = get_as(&s, &format!("/athletes/{me}"), &doc).await;
    assert!(
        seen.body.contains("Red flag in force: EMERGENCY"),
        "{}",
        seen.body
    );

    // "Who can see my data" lists both; Ana revokes Kim in one click.
    let sharing = get_as(&s, "/sharing", &ana).await;
    assert!(sharing.body.contains("Kim") && sharing.body.contains("Dr Lee"));
    let grants = s.app.sharing().await.unwrap().grants;
    let kims = grants.iter().find(|g| g.user_name == "Kim").unwrap().id;
    // Another athlete cannot revoke Ana's grant: not found.
    let ben = sign_up(&s, "Ben", "ben@example.org", "athlete").await;
    let swap = post_as(&s, &format!("/sharing/grants/{kims}/revoke"), &ben, &[]).await;
    assert_eq!(swap.status, 404);
    let revoked = post_as(&s, &format!("/sharing/grants/{kims}/revoke"), &ana, &[]).await;
    assert_eq!(revoked.status, 303);
    // At once: Kim's next page load is 404, and Ana is off the roster.
    assert_eq!(
        get_as(&s, &format!("/athletes/{me}"), &kim).await.status,
        404
    );
    assert!(
        !get_as(&s, "/roster", &kim)
            .await
            .body
            .contains("/athletes/")
    );
    assert_eq!(
        get_as(&s, &format!("/athletes/{me}"), &doc).await.status,
        200
    );
    // Anonymous: the roster and athlete pages send to the sign-in.
    assert_eq!(s.get("/roster").await.status, 303);
    assert_eq!(s.get(&format!("/athletes/{me}")).await.status, 303);
}
