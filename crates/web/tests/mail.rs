//! Mail settings and the one-click unsubscribe (issue 13): a single runner sets the digest's
//! address on the settings page; the link in every digest stops that digest with one click and
//! no sign-in, as RFC 8058's POST from a mail client does; a forged token stops nothing; a
//! cross-site browser POST is refused like every other.

mod common;

use common::{askama_escape, spawn_app};
use soleus_app::digest::delivery::DigestKind;

#[tokio::test]
async fn a_single_runner_sets_the_address_and_a_mistake_comes_back_beside_its_field() {
    let s = spawn_app("km", false).await;
    let page = s.get("/settings").await;
    assert!(page.body.contains("Weekly digest"), "{}", page.body);
    let bad = s
        .post_form(
            "/settings/mail",
            &[("email", "not an address"), ("digest", "on")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(r#"id="e-email""#), "{}", bad.body);
    assert_eq!(s.app.digest_email().await.unwrap(), None, "nothing saved");

    let ok = s
        .post_form(
            "/settings/mail",
            &[("email", "ana@example.org"), ("digest", "on")],
        )
        .await;
    assert_eq!(
        (ok.status, ok.header("location")),
        (303, "/settings?saved=mail")
    );
    assert_eq!(
        s.app.digest_email().await.unwrap().as_deref(),
        Some("ana@example.org")
    );
    assert!(
        s.app
            .digest_enabled("athlete:1", DigestKind::Athlete)
            .await
            .unwrap()
    );
    // Unticked: off, the address kept.
    s.post_form("/settings/mail", &[("email", "ana@example.org")])
        .await;
    assert!(
        !s.app
            .digest_enabled("athlete:1", DigestKind::Athlete)
            .await
            .unwrap()
    );
    let page = s.get("/settings?saved=mail").await;
    assert!(page.body.contains("Mail settings saved."));
    assert!(page.body.contains(r#"value="ana@example.org""#));
}

#[tokio::test]
async fn the_unsubscribe_link_works_in_one_click_without_signing_in_and_only_for_its_digest() {
    let s = spawn_app("km", false).await;
    s.app.set_digest_email("ana@example.org").await.unwrap();
    let token = s
        .app
        .unsubscribe_token("athlete:1", DigestKind::Athlete)
        .await
        .unwrap();
    let path = format!("/unsubscribe/{token}");

    // Looking changes nothing (no GET changes data).
    let page = s.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains(&askama_escape("a•••@example.org"))
            || page.body.contains("a•••@example.org")
    );
    assert!(
        page.body
            .contains(r#"<button type="submit">Unsubscribe</button>"#)
    );
    assert!(
        s.app
            .digest_enabled("athlete:1", DigestKind::Athlete)
            .await
            .unwrap()
    );

    // A forged or altered token: not found, and nothing changes.
    let mut forged = token.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    let a = s
        .post(
            &format!("/unsubscribe/{forged}"),
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click",
            &[],
        )
        .await;
    assert_eq!(a.status, 404);
    let other = s
        .app
        .unsubscribe_token("athlete:2", DigestKind::Athlete)
        .await
        .unwrap();
    // A valid token of someone else names them, never athlete 1.
    assert_ne!(other, token);

    // A page on another site cannot post it for the reader.
    let cross = s
        .post(
            &path,
            "application/x-www-form-urlencoded",
            "",
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(cross.status, 403);
    assert!(
        s.app
            .digest_enabled("athlete:1", DigestKind::Athlete)
            .await
            .unwrap()
    );

    // RFC 8058: the mail client's servers POST `List-Unsubscribe=One-Click`, with no
    // browser headers.
    let done = s
        .post(
            &path,
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click",
            &[],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Unsubscribed"));
    assert!(
        !s.app
            .digest_enabled("athlete:1", DigestKind::Athlete)
            .await
            .unwrap()
    );
    // Again: still a page, still off.
    assert_eq!(s.get(&path).await.status, 200);
    assert!(s.get(&path).await.body.contains("already off"));
}

#[tokio::test]
async fn with_accounts_the_link_needs_no_session_and_the_account_page_has_the_choices() {
    let s = spawn_app("km", false).await;
    let a = s
        .post_form(
            "/signup",
            &[
                ("display_name", "Ana"),
                ("email", "ana@example.org"),
                ("password", "larch meadow 42"),
                ("role", "athlete"),
            ],
        )
        .await;
    assert_eq!(a.status, 303);
    let cookie = a.header("set-cookie").split(';').next().unwrap().to_owned();
    // Every other page now needs a session; the unsubscribe link does not.
    assert_eq!(s.get("/").await.status, 303);
    let user = s
        .app
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "ana@example.org")
        .unwrap();
    let key = format!("user:{}", user.id.0);
    let token = s
        .app
        .unsubscribe_token(&key, DigestKind::Athlete)
        .await
        .unwrap();
    assert_eq!(s.get(&format!("/unsubscribe/{token}")).await.status, 200);

    let account = s.get_with("/account", &[("cookie", &cookie)]).await;
    assert!(
        account.body.contains(r#"name="athlete""#),
        "{}",
        account.body
    );
    assert!(
        !account.body.contains(r#"name="roster""#),
        "a runner has no roster digest"
    );
    let origin = s.base.clone();
    let saved = s
        .post(
            "/account/mail",
            "application/x-www-form-urlencoded",
            "",
            &[
                ("cookie", &cookie),
                ("origin", &origin),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await;
    assert_eq!(
        (saved.status, saved.header("location")),
        (303, "/account?saved=mail")
    );
    assert!(
        !s.app
            .digest_enabled(&key, DigestKind::Athlete)
            .await
            .unwrap()
    );
}
