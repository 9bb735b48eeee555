//! What the account mails remember, through every method of [`AccountMail`]: a reset link
//! opens once and only before it expires, and using it sets the password and ends every
//! session; an outbox mail is claimed by one process, sent at most once, and loses its link's
//! secret once sent or given up.

use soleus_store::account_mail::{NewOutboxMail, OutboxKind, OutboxState};
use soleus_store::accounts::{NewUser, Role};
use soleus_store::{AccountMail, Database};

pub async fn story_account_mail(db: &dyn Database) {
    let acc = db.accounts();
    let mail = db.account_mail();
    let mail: &dyn AccountMail = mail.as_ref();
    let ria = acc
        .add_user(&NewUser {
            email: "ria@example.net",
            password_hash: "old-hash",
            display_name: "Ria",
            role: Role::Coach,
            org: None,
        })
        .await
        .unwrap();
    acc.add_session("ria-1", ria, 1_000, 10_000_000)
        .await
        .unwrap();
    acc.add_session("ria-2", ria, 1_000, 10_000_000)
        .await
        .unwrap();

    // --- Reset links. ---
    let first = mail
        .add_password_reset(ria, "hash-a", 1_000, 61_000)
        .await
        .unwrap();
    let second = mail
        .add_password_reset(ria, "hash-b", 2_000, 62_000)
        .await
        .unwrap();
    assert_ne!(first, second);
    let row = mail.password_reset("hash-a").await.unwrap().unwrap();
    assert_eq!(
        (
            row.id,
            row.user,
            row.created_ms,
            row.expires_ms,
            row.used_ms
        ),
        (first, ria, 1_000, 61_000, None)
    );
    assert!(mail.password_reset("hash-c").await.unwrap().is_none());
    assert_eq!(
        mail.use_password_reset(first, "new-hash", 61_000)
            .await
            .unwrap(),
        None,
        "expired at 61 000 ms"
    );
    assert_eq!(
        acc.user(ria).await.unwrap().unwrap().password_hash,
        "old-hash"
    );
    assert!(acc.session("ria-1").await.unwrap().is_some());
    assert_eq!(
        mail.use_password_reset(second, "new-hash", 30_000)
            .await
            .unwrap(),
        Some(ria)
    );
    assert_eq!(
        acc.user(ria).await.unwrap().unwrap().password_hash,
        "new-hash"
    );
    assert!(acc.session("ria-1").await.unwrap().is_none());
    assert!(acc.session("ria-2").await.unwrap().is_none());
    assert_eq!(
        mail.password_reset("hash-b")
            .await
            .unwrap()
            .unwrap()
            .used_ms,
        Some(30_000)
    );
    assert_eq!(
        mail.use_password_reset(second, "third-hash", 31_000)
            .await
            .unwrap(),
        None,
        "a link opens once"
    );
    assert_eq!(
        mail.password_reset("hash-a")
            .await
            .unwrap()
            .unwrap()
            .used_ms,
        Some(30_000),
        "using one link closes the user's others"
    );

    // --- The outbox. ---
    assert!(mail.claim_mail("w1", 100, 1_000).await.unwrap().is_none());
    let m1 = mail
        .queue_mail(
            &NewOutboxMail {
                kind: OutboxKind::PasswordReset,
                email: "ria@example.net",
                name: Some("Ria"),
                about: None,
                link: "https://soleus.example/password/reset/secret-1",
            },
            100,
        )
        .await
        .unwrap();
    let m2 = mail
        .queue_mail(
            &NewOutboxMail {
                kind: OutboxKind::Invitation,
                email: "kim@example.net",
                name: None,
                about: Some("Ola <b>"),
                link: "https://soleus.example/invitations/secret-2",
            },
            200,
        )
        .await
        .unwrap();
    let c1 = mail.claim_mail("w1", 300, 1_000).await.unwrap().unwrap();
    assert_eq!(
        (c1.id, c1.kind, c1.state, c1.claimed_by.as_deref()),
        (
            m1,
            OutboxKind::PasswordReset,
            OutboxState::Claimed,
            Some("w1")
        )
    );
    assert_eq!(c1.name.as_deref(), Some("Ria"));
    let c2 = mail.claim_mail("w2", 300, 1_000).await.unwrap().unwrap();
    assert_eq!(
        (c2.id, c2.about.as_deref()),
        (m2, Some("Ola <b>")),
        "another process takes the next"
    );
    assert!(mail.claim_mail("w3", 300, 1_000).await.unwrap().is_none());
    assert!(!mail.mail_sending(m1, "w2", 400).await.unwrap(), "not w2's");
    assert!(mail.mail_sending(m1, "w1", 400).await.unwrap());
    assert!(!mail.mail_sending(m1, "w1", 401).await.unwrap(), "once");
    assert!(mail.mail_sent(m1, "w1", 500, "<1@soleus>").await.unwrap());
    assert!(!mail.mail_sent(m1, "w1", 501, "<1@soleus>").await.unwrap());
    // w2 stops before sending; once its lease runs out, w3 takes the mail over.
    assert!(mail.claim_mail("w3", 1_299, 1_000).await.unwrap().is_none());
    let c3 = mail.claim_mail("w3", 1_300, 1_000).await.unwrap().unwrap();
    assert_eq!((c3.id, c3.claimed_by.as_deref()), (m2, Some("w3")));
    assert!(!mail.mail_sending(m2, "w2", 1_400).await.unwrap());
    assert!(mail.mail_failed(m2, "w3", 1_500, "refused").await.unwrap());
    assert!(
        mail.claim_mail("w1", 99_999, 1_000)
            .await
            .unwrap()
            .is_none()
    );

    let rows = mail.outbox().await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0].state,
            rows[0].attempts,
            rows[0].message_id.as_deref()
        ),
        (OutboxState::Sent, 1, Some("<1@soleus>"))
    );
    assert_eq!(
        (rows[1].state, rows[1].error.as_deref()),
        (OutboxState::Failed, Some("refused"))
    );
    assert!(
        rows.iter().all(|r| r.link.is_none()),
        "no secret stays once sent or given up"
    );
}
