//! Accounts and sharing under `/api/v1` over the real server: the same rules as the pages
//! (the same session cookie, the throttle, 404 for what the caller may not see), with the
//! application layer's views as documents and a named field for every mistake.

mod common;

use common::{Answer, Spawned, spawn_app};

/// A request with the session `cookie` (if any) and a JSON `doc` (if any).
async fn call(
    s: &Spawned,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    doc: Option<serde_json::Value>,
) -> Answer {
    let mut req = axum::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", s.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let body = match doc {
        Some(d) => {
            req = req.header("content-type", "application/json");
            axum::body::Body::from(d.to_string())
        }
        None => axum::body::Body::empty(),
    };
    s.send(req.body(body).unwrap()).await
}

fn session_of(a: &Answer) -> String {
    assert_eq!(a.status, 200, "{}", a.body);
    let set = a.header("set-cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    set.split(';').next().unwrap().to_owned()
}

async fn api_sign_up(s: &Spawned, name: &str, email: &str, role: &str) -> String {
    let a = call(
        s,
        "POST",
        "/api/v1/signup",
        None,
        Some(serde_json::json!({"display_name": name, "email": email,
            "password": "larch meadow 42", "role": role})),
    )
    .await;
    assert_eq!(a.json()["user"]["email"], email, "{}", a.body);
    session_of(&a)
}

#[tokio::test]
async fn sign_up_in_and_out_through_the_api_with_the_pages_cookie_and_a_named_field_for_mistakes() {
    let s = spawn_app("km", false).await;
    // Nobody is signed in yet and the database has no accounts: the account needs one.
    assert_eq!(
        call(&s, "GET", "/api/v1/account", None, None).await.status,
        401
    );

    let ana = api_sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let me = call(&s, "GET", "/api/v1/account", Some(&ana), None).await;
    assert_eq!(me.status, 200, "{}", me.body);
    let doc = me.json();
    assert_eq!(doc["user"]["display_name"], "Ana");
    assert_eq!(doc["user"]["role"], "athlete");
    assert_eq!(doc["unread"], 0);
    assert!(
        doc["user"]["athlete"].is_number(),
        "a runner has an athlete"
    );
    assert!(!me.body.contains("larch"), "never the password");
    // The cookie set by the API opens the pages too.
    assert_eq!(common::get_as(&s, "/", &ana).await.status, 200);

    // Mistakes name their field; a taken address is a conflict.
    for (doc, status, field) in [
        (
            serde_json::json!({"display_name": "Ana", "email": "ana@example.org",
                "password": "larch meadow 42"}),
            409,
            "",
        ),
        (
            serde_json::json!({"display_name": "Bo", "email": "bo@example.org",
                "password": "larch meadow 42", "role": "wizard"}),
            422,
            "role",
        ),
        (
            serde_json::json!({"display_name": "Bo", "email": "not an address",
                "password": "larch meadow 42"}),
            422,
            "email",
        ),
        (
            serde_json::json!({"display_name": "Bo", "email": "bo@example.org",
                "password": "short"}),
            422,
            "password",
        ),
    ] {
        let a = call(&s, "POST", "/api/v1/signup", None, Some(doc.clone())).await;
        assert_eq!(a.status, status, "{doc}: {}", a.body);
        if !field.is_empty() {
            assert_eq!(a.json()["error"]["field"], field, "{}", a.body);
        }
        assert!(a.header("set-cookie").is_empty(), "no session for {doc}");
    }
    let bad = call(
        &s,
        "POST",
        "/api/v1/signup",
        None,
        Some(serde_json::json!([1, 2])),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);

    // A wrong password is 401; the right one starts a second session.
    let wrong = call(
        &s,
        "POST",
        "/api/v1/login",
        None,
        Some(serde_json::json!({"email": "ana@example.org", "password": "wrong one"})),
    )
    .await;
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    let again = call(
        &s,
        "POST",
        "/api/v1/login",
        None,
        Some(serde_json::json!({"email": "ana@example.org", "password": "larch meadow 42"})),
    )
    .await;
    let second = session_of(&again);
    assert_ne!(second, ana, "a new session, a new token");
    assert_eq!(again.json()["user"]["email"], "ana@example.org");

    // Signing out ends that session only; its cookie opens nothing after.
    let out = call(&s, "POST", "/api/v1/logout", Some(&second), None).await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert_eq!(out.json()["sessions_ended"], 1);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(
        call(&s, "GET", "/api/v1/account", Some(&second), None)
            .await
            .status,
        401
    );
    assert_eq!(
        call(&s, "GET", "/api/v1/account", Some(&ana), None)
            .await
            .status,
        200
    );
    let nobody = call(&s, "POST", "/api/v1/logout", None, None).await;
    assert_eq!(nobody.json()["sessions_ended"], 0);

    // A new password: the current one must be given, the new one must pass the rules.
    let third = session_of(
        &call(
            &s,
            "POST",
            "/api/v1/login",
            None,
            Some(serde_json::json!({"email": "ana@example.org", "password": "larch meadow 42"})),
        )
        .await,
    );
    for (doc, field) in [
        (
            serde_json::json!({"current_password": "wrong", "new_password": "birch valley 77"}),
            "current_password",
        ),
        (
            serde_json::json!({"current_password": "larch meadow 42", "new_password": "short"}),
            "new_password",
        ),
    ] {
        let a = call(
            &s,
            "POST",
            "/api/v1/account/password",
            Some(&ana),
            Some(doc),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(a.json()["error"]["field"], field, "{}", a.body);
    }
    let changed = call(
        &s,
        "POST",
        "/api/v1/account/password",
        Some(&ana),
        Some(serde_json::json!({"current_password": "larch meadow 42",
            "new_password": "birch valley 77"})),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.json()["user"]["email"], "ana@example.org");
    // Every other session ended with the change.
    assert_eq!(
        call(&s, "GET", "/api/v1/account", Some(&third), None)
            .await
            .status,
        401
    );
    assert_eq!(
        call(&s, "GET", "/api/v1/account", Some(&ana), None)
            .await
            .status,
        200
    );

    // Signing out everywhere ends this one too.
    let all = call(
        &s,
        "POST",
        "/api/v1/account/sign-out-everywhere",
        Some(&ana),
        None,
    )
    .await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(all.json()["sessions_ended"].as_u64().unwrap() >= 1);
    assert_eq!(
        call(&s, "GET", "/api/v1/account", Some(&ana), None)
            .await
            .status,
        401
    );
    let none = call(
        &s,
        "POST",
        "/api/v1/account/sign-out-everywhere",
        None,
        None,
    )
    .await;
    assert_eq!(none.status, 401);
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_with_a_retry_after() {
    let s = spawn_app("km", false).await;
    api_sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let wrong = serde_json::json!({"email": "ana@example.org", "password": "not hers at all"});
    // soleus_app::accounts::MAX_ACCOUNT_FAILURES wrong ones are told so, then it refuses.
    for _ in 0..soleus_app::accounts::MAX_ACCOUNT_FAILURES {
        let a = call(&s, "POST", "/api/v1/login", None, Some(wrong.clone())).await;
        assert_eq!(a.status, 401, "{}", a.body);
    }
    let a = call(&s, "POST", "/api/v1/login", None, Some(wrong)).await;
    assert_eq!(a.status, 429, "{}", a.body);
    assert!(a.header("retry-after").parse::<u64>().unwrap() > 0);
    // Even the right password waits.
    let right = serde_json::json!({"email": "ana@example.org", "password": "larch meadow 42"});
    let a = call(&s, "POST", "/api/v1/login", None, Some(right)).await;
    assert_eq!(a.status, 429, "{}", a.body);
}

#[tokio::test]
async fn sharing_through_the_api_invites_accepts_shows_revokes_and_withdraws() {
    let s = spawn_app("km", true).await;
    let ana = api_sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let me = call(&s, "GET", "/api/v1/account", Some(&ana), None)
        .await
        .json()["user"]["athlete"]
        .as_i64()
        .unwrap();
    let empty = call(&s, "GET", "/api/v1/sharing", Some(&ana), None).await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert_eq!(empty.json()["grants"], serde_json::json!([]));

    // Mistakes in an invitation name their field.
    for (doc, field) in [
        (
            serde_json::json!({"email": "kim@example.org", "role": "plumber"}),
            "role",
        ),
        (
            serde_json::json!({"email": "kim@example.org", "role": "coach", "level": "all"}),
            "level",
        ),
        (
            serde_json::json!({"email": "kim", "role": "coach"}),
            "email",
        ),
    ] {
        let a = call(
            &s,
            "POST",
            "/api/v1/sharing/invitations",
            Some(&ana),
            Some(doc),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(a.json()["error"]["field"], field, "{}", a.body);
    }
    let made = call(
        &s,
        "POST",
        "/api/v1/sharing/invitations",
        Some(&ana),
        Some(serde_json::json!({"email": "kim@example.org", "role": "coach", "level": "comment"})),
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let inv = made.json();
    assert_eq!(inv["level"], "comment");
    assert_eq!(inv["medical"], false, "a coach's default");
    let link = inv["link"].as_str().unwrap().to_owned();
    let token = link.rsplit('/').next().unwrap().to_owned();
    assert_eq!(token.len(), 64, "256 bits, hex");

    // The link's holder sees the invitation, without its link; an unknown token is not found.
    let seen = call(
        &s,
        "GET",
        &format!("/api/v1/invitations/{token}"),
        None,
        None,
    )
    .await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!(seen.json()["state"], "open");
    assert!(seen.json().get("link").is_none());
    let unknown = "0".repeat(64);
    assert_eq!(
        call(
            &s,
            "GET",
            &format!("/api/v1/invitations/{unknown}"),
            None,
            None
        )
        .await
        .status,
        404
    );
    // Accepting needs a session, and the invited address.
    let accept = format!("/api/v1/invitations/{token}/accept");
    assert_eq!(call(&s, "POST", &accept, None, None).await.status, 401);
    let eve = api_sign_up(&s, "Eve", "eve@example.org", "coach").await;
    assert_eq!(
        call(&s, "POST", &accept, Some(&eve), None).await.status,
        403
    );
    let kim = api_sign_up(&s, "Kim", "kim@example.org", "coach").await;
    let grant = call(&s, "POST", &accept, Some(&kim), None).await;
    assert_eq!(grant.status, 200, "{}", grant.body);
    let grant = grant.json();
    assert_eq!(grant["athlete"], me);
    assert_eq!(grant["level"], "comment");
    assert_eq!(
        call(&s, "POST", &accept, Some(&kim), None).await.status,
        409
    );

    // Kim's roster and Ana as Kim sees her; Eve has neither.
    let roster = call(&s, "GET", "/api/v1/roster", Some(&kim), None)
        .await
        .json();
    assert_eq!(roster["athletes"][0]["athlete"], me, "{roster}");
    assert_eq!(
        call(&s, "GET", "/api/v1/roster", Some(&eve), None)
            .await
            .json()["athletes"],
        serde_json::json!([])
    );
    let ana_path = format!("/api/v1/athletes/{me}");
    let shared = call(&s, "GET", &ana_path, Some(&kim), None).await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    let shared = shared.json();
    assert_eq!(shared["grant"]["level"], "comment");
    assert_eq!(
        shared["activities"].as_array().unwrap().len(),
        common::RUNS.len()
    );
    assert_eq!(shared["weeks"].as_array().unwrap().len(), 5);
    assert_eq!(
        shared["checkins"],
        serde_json::json!([]),
        "no medical scope"
    );
    for path in [
        ana_path.clone(),
        "/api/v1/athletes/999999".to_owned(),
        "/api/v1/athletes/abc".to_owned(),
    ] {
        let who = if path == ana_path { &eve } else { &kim };
        assert_eq!(
            call(&s, "GET", &path, Some(who), None).await.status,
            404,
            "{path}"
        );
    }
    assert_eq!(call(&s, "GET", &ana_path, None, None).await.status, 401);
    // A coach has no data of their own to share.
    assert_eq!(
        call(&s, "GET", "/api/v1/sharing", Some(&kim), None)
            .await
            .status,
        404
    );

    // Ana revokes: Kim's view of her ends at once; a grant not hers is not found.
    let sharing = call(&s, "GET", "/api/v1/sharing", Some(&ana), None)
        .await
        .json();
    let id = sharing["grants"][0]["id"].as_i64().unwrap();
    assert_eq!(sharing["grants"][0]["user_name"], "Kim");
    let revoke = format!("/api/v1/sharing/grants/{id}");
    let gone = call(&s, "DELETE", &revoke, Some(&ana), None).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(gone.json()["ended"], id);
    assert_eq!(
        call(&s, "DELETE", &revoke, Some(&ana), None).await.status,
        404
    );
    assert_eq!(
        call(&s, "GET", &ana_path, Some(&kim), None).await.status,
        404
    );
    assert_eq!(
        call(&s, "DELETE", "/api/v1/sharing/grants/x", Some(&ana), None)
            .await
            .status,
        404
    );

    // An open invitation is withdrawn once; then its link tells so.
    let second = call(
        &s,
        "POST",
        "/api/v1/sharing/invitations",
        Some(&ana),
        Some(serde_json::json!({"email": "lee@example.org", "role": "clinician"})),
    )
    .await
    .json();
    assert_eq!(second["medical"], true, "a clinician's default");
    let withdraw = format!("/api/v1/sharing/invitations/{}", second["id"]);
    let w = call(&s, "DELETE", &withdraw, Some(&ana), None).await;
    assert_eq!(w.status, 200, "{}", w.body);
    assert_eq!(
        call(&s, "DELETE", &withdraw, Some(&ana), None).await.status,
        404
    );
    let token = second["link"].as_str().unwrap().rsplit('/').next().unwrap();
    let seen = call(
        &s,
        "GET",
        &format!("/api/v1/invitations/{token}"),
        None,
        None,
    )
    .await;
    assert_eq!(seen.json()["state"], "withdrawn");
}
