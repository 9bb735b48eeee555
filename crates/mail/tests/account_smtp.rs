//! The account mails through a real SMTP server (aiosmtpd, started by the test): a reset
//! link and an invitation queued by the app arrive once each, to the right address, with
//! both parts, the names escaped in the HTML, and links that open; the secrets leave the
//! outbox once sent.

mod sink;

use std::time::Duration;

use sink::Sink;
use soleus_app::App;
use soleus_app::accounts::reset::OutboxState;
use soleus_app::accounts::{Level, NewInvitation, Role, SignUp};
use soleus_mail::{Mailer, SmtpConfig, TlsMode, send_account_mails};

fn mailer(port: u16) -> Mailer {
    Mailer::new(&SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        from: "Soleus <digest@soleus.example>".into(),
        user: None,
        password: None,
        public_url: "http://soleus.example".into(),
    })
    .unwrap()
}

fn sign_up(email: &str, name: &str, role: Role) -> SignUp {
    SignUp {
        email: email.into(),
        password: "a long enough passphrase".into(),
        display_name: name.into(),
        role,
        org: None,
    }
}

fn part<'a>(m: &'a serde_json::Value, ct: &str) -> &'a str {
    m["parts"][ct].as_str().unwrap_or_default()
}

/// The link in a plain-text part that starts with `prefix`.
fn link_in(text: &str, prefix: &str) -> String {
    let at = text
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in {text}"));
    text[at..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn the_reset_and_invitation_mails_arrive_once_with_working_links() {
    let Some(sink) = Sink::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("soleus.db").display());
    let app = App::open(&url).await.unwrap();
    let ana = app
        .sign_up(
            &sign_up("ana@example.org", "Ana <b>Runner</b>", Role::Athlete),
            None,
        )
        .await
        .unwrap();
    let me = app.caller(&ana.token).await.unwrap().unwrap();
    let runner = app.as_athlete(me.user.athlete.unwrap());
    app.forgot_password(
        "ana@example.org",
        Some("127.0.0.1"),
        "http://soleus.example",
    )
    .await
    .unwrap();
    runner
        .invite_by_mail(
            &me,
            &NewInvitation {
                email: "coach@example.org".into(),
                role: Role::Coach,
                level: Level::View,
                medical: None,
            },
            "http://soleus.example",
        )
        .await
        .unwrap();
    assert!(sink.messages().is_empty(), "the requests sent nothing");

    let mailer = mailer(sink.port);
    assert_eq!(send_account_mails(&app, &mailer, "w1").await.unwrap(), 2);
    assert_eq!(
        send_account_mails(&app, &mailer, "w2").await.unwrap(),
        0,
        "nothing twice"
    );
    let got = sink.wait_for(2);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sink.messages().len(), 2, "nothing twice");

    let reset = &got[0];
    assert_eq!(reset["rcpt_tos"][0], "ana@example.org");
    assert_eq!(reset["content_type"], "multipart/alternative");
    assert_eq!(reset["headers"]["subject"], "Set a new Soleus password");
    let text = part(reset, "text/plain");
    let html = part(reset, "text/html");
    let link = link_in(text, "http://soleus.example/password/reset/");
    assert!(html.contains(&link), "the same link in both parts");
    assert!(html.contains("Ana &#60;b&#62;Runner&#60;/b&#62;"), "{html}");
    assert!(!html.contains("<b>Runner"));
    let token = link.rsplit('/').next().unwrap();
    assert!(app.reset_link_open(token).await.unwrap(), "the link opens");
    app.reset_password(token, "a brand new passphrase", None)
        .await
        .unwrap();
    assert!(!app.reset_link_open(token).await.unwrap(), "once");
    assert!(app.caller(&ana.token).await.unwrap().is_none());

    let invitation = &got[1];
    assert_eq!(invitation["rcpt_tos"][0], "coach@example.org");
    let subject = invitation["headers"]["subject"].as_str().unwrap();
    assert_eq!(
        subject,
        "Ana <b>Runner</b> invites you to see their training on Soleus"
    );
    let text = part(invitation, "text/plain");
    let html = part(invitation, "text/html");
    let link = link_in(text, "http://soleus.example/invitations/");
    assert!(html.contains(&link));
    assert!(
        html.contains("Ana &#60;b&#62;Runner&#60;/b&#62; invites you"),
        "{html}"
    );
    assert!(!html.contains("<b>Runner"));
    let token = link.rsplit('/').next().unwrap();
    let inv = app.invitation(token).await.unwrap();
    assert_eq!(
        inv.email, "coach@example.org",
        "the link opens the invitation"
    );

    let rows = app.account_outbox("test").rows().await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.state == OutboxState::Sent && r.link.is_none())
    );
    assert!(rows.iter().all(|r| r.message_id.is_some()));
}
