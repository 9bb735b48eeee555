//! A forgotten password on the web (issue 12): the forgot page answers the same whether an
//! account has the address or not and is throttled in the database (across two processes);
//! the link is a 256-bit token, opens once and only before it expires, and setting a
//! password with it ends every session and is written to the audit log. Without an SMTP
//! server the page says mail is not set up.

mod common;

use common::{Answer, Spawned, cookie, serve_with_mail_on, sign_up, spawn_app, spawn_with_mail};
use sha2::{Digest, Sha256};
use soleus_app::accounts::reset::{OutboxKind, OutboxState};

const MAIL_URL: &str = "https://soleus.example";

async fn sign_in(s: &Spawned, email: &str, password: &str) -> Answer {
    s.post_form("/login", &[("email", email), ("password", password)])
        .await
}

/// The links of the queued reset mails, oldest first.
async fn reset_links(s: &Spawned) -> Vec<String> {
    s.app
        .account_outbox("test")
        .rows()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.kind == OutboxKind::PasswordReset)
        .map(|r| {
            assert_eq!(r.state, OutboxState::Queued, "the request sent nothing");
            r.link.expect("a queued mail keeps its link")
        })
        .collect()
}

#[tokio::test]
async fn the_same_answer_for_any_address_and_a_link_that_opens_once() {
    let s = spawn_with_mail(MAIL_URL).await;
    let first = sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let second = cookie(&sign_in(&s, "ana@example.org", "larch meadow 42").await);
    let page = s.get("/password/forgot").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"email\""), "{}", page.body);
    assert!(s.get("/login").await.body.contains("/password/forgot"));

    let unknown = s
        .post_form("/password/forgot", &[("email", "nobody@example.org")])
        .await;
    let known = s
        .post_form("/password/forgot", &[("email", "ANA@example.org")])
        .await;
    assert_eq!((unknown.status, known.status), (200, 200));
    assert_eq!(unknown.body, known.body, "nothing tells who has an account");
    assert!(known.body.contains("If an account has this address"));

    let links = reset_links(&s).await;
    assert_eq!(links.len(), 1, "a mail for the account only: {links:?}");
    let token = links[0]
        .strip_prefix(&format!("{MAIL_URL}/password/reset/"))
        .expect("the link is on the mail address")
        .to_owned();
    assert!(
        token.len() >= 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "at least 128 bits: {token}"
    );
    let path = format!("/password/reset/{token}");

    // GET shows the form and changes nothing.
    for _ in 0..2 {
        let form = s.get(&path).await;
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(form.body.contains("name=\"new_password\""));
        assert_eq!(form.header("referrer-policy"), "no-referrer");
    }
    // The sign-up rules hold.
    let weak = s.post_form(&path, &[("new_password", "password")]).await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("name=\"new_password\""), "still open");
    assert_eq!(s.get("/account").await.status, 303);
    assert_eq!(
        s.get_with("/account", &[("cookie", &first)]).await.status,
        200,
        "a refused password ends nothing"
    );

    let done = s
        .post_form(&path, &[("new_password", "birch trail at dawn")])
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Password set"));
    for c in [&first, &second] {
        assert_eq!(
            s.get_with("/account", &[("cookie", c)]).await.status,
            303,
            "every session ended"
        );
    }
    assert_eq!(
        sign_in(&s, "ana@example.org", "larch meadow 42")
            .await
            .status,
        401
    );
    assert_eq!(
        sign_in(&s, "ana@example.org", "birch trail at dawn")
            .await
            .status,
        303
    );

    // Single use.
    let again = s
        .post_form(&path, &[("new_password", "another fine password")])
        .await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("expired or was used"), "{}", again.body);
    assert_eq!(s.get(&path).await.status, 404);
    assert_eq!(
        sign_in(&s, "ana@example.org", "another fine password")
            .await
            .status,
        401
    );

    // The audit log says what happened, and never the token.
    let ana = s.app.users().await.unwrap()[0].id;
    let log = s.app.account_audit(ana, 50).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|l| l.action.as_str()).collect();
    assert!(actions.contains(&"password_reset_requested"), "{actions:?}");
    assert!(actions.contains(&"password_reset"), "{actions:?}");
    assert!(log.iter().all(|l| !l.detail.contains(&token)));
}

#[tokio::test]
async fn an_expired_link_opens_nothing() {
    let s = spawn_with_mail(MAIL_URL).await;
    sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let ana = s.app.users().await.unwrap()[0].id;
    let token = "ab".repeat(32);
    let hash: String = Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let now = chrono::Utc::now().timestamp_millis();
    let db = soleus_store::connect(&s.url).await.unwrap();
    db.account_mail()
        .add_password_reset(ana, &hash, now - 31 * 60_000, now - 60_000)
        .await
        .unwrap();
    let path = format!("/password/reset/{token}");
    assert_eq!(s.get(&path).await.status, 404);
    let tried = s
        .post_form(&path, &[("new_password", "birch trail at dawn")])
        .await;
    assert_eq!(tried.status, 422);
    assert_eq!(
        sign_in(&s, "ana@example.org", "larch meadow 42")
            .await
            .status,
        303,
        "the password stays"
    );
}

#[tokio::test]
async fn asking_is_throttled_across_two_processes_whatever_the_address() {
    let s = spawn_with_mail(MAIL_URL).await;
    sign_up(&s, "Ana", "ana@example.org", "athlete").await;
    let (other, _stop) = serve_with_mail_on(&s.url, Some(MAIL_URL)).await;
    let ask = |base: String, email: &'static str| {
        let client = s.client.clone();
        async move {
            let body = format!("email={}", email.replace('@', "%40"));
            let req = axum::http::Request::post(format!("{base}/password/forgot"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", base.clone())
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from(body))
                .unwrap();
            let r = client.request(req).await.unwrap();
            (
                r.status().as_u16(),
                r.headers().get("retry-after").is_some(),
            )
        }
    };
    for (i, email) in ["ana@example.org", "nobody@example.org"]
        .into_iter()
        .enumerate()
    {
        // Three asks, alternating between the two processes, then refused on both.
        for n in 0..3 {
            let base = if n % 2 == 0 { &s.base } else { &other };
            assert_eq!(ask(base.clone(), email).await.0, 200, "{email} ask {n}");
        }
        for base in [&s.base, &other] {
            assert_eq!(
                ask(base.clone(), email).await,
                (429, true),
                "{email} is throttled ({i})"
            );
        }
    }
    assert_eq!(reset_links(&s).await.len(), 3, "no mail past the limit");
}

#[tokio::test]
async fn without_mail_the_page_says_to_ask_the_administrator() {
    let s = spawn_app("km", false).await;
    let page = s.get("/password/forgot").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mail is not set up on this server"));
    assert!(page.body.contains("administrator"));
    assert!(
        !page.body.contains("name=\"email\""),
        "no form to fill in vain"
    );
}
