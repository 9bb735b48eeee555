//! The story of [`Mail`]: digest claims that at most one process wins, lease take-over before
//! sending and never after, failed deliveries due again, recipients' choices, and a setting
//! that the first of several processes decides.

use soleus_store::Database;
use soleus_store::mail::{DigestKey, DigestKind, DigestState};

pub async fn story_mail(db: &dyn Database) {
    let (a, b) = (db.mail(), db.mail());
    let key = DigestKey {
        recipient: "user:7",
        kind: DigestKind::Athlete,
        week: "2026-W48",
    };
    let lease = 60_000;

    // Two processes ask at once: one claim, never two.
    let (x, y) = tokio::join!(
        a.claim_digest(&key, "ana@example.org", "p1", 1_000, lease),
        b.claim_digest(&key, "ana@example.org", "p2", 1_000, lease)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert!(x.is_some() != y.is_some(), "exactly one wins: {x:?} {y:?}");
    let (winner, loser) = if x.is_some() {
        ("p1", "p2")
    } else {
        ("p2", "p1")
    };
    let row = x.or(y).unwrap();
    assert_eq!(
        (row.state, row.attempts, row.week.as_str()),
        (DigestState::Claimed, 0, "2026-W48")
    );

    // Within the lease nobody takes it; the loser cannot hand it over either.
    assert!(
        a.claim_digest(&key, "ana@example.org", loser, 30_000, lease)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!a.digest_sending(row.id, loser, 30_000).await.unwrap());

    // The winner stopped before sending: once the lease ran out, another takes it over, and
    // the first one's late hand-over is refused.
    let taken = b
        .claim_digest(&key, "ana@example.org", loser, 1_000 + lease, lease)
        .await
        .unwrap()
        .expect("an expired claim is taken over");
    assert_eq!((taken.id, taken.claimed_by.as_str()), (row.id, loser));
    assert!(
        !a.digest_sending(row.id, winner, 1_000 + lease + 1)
            .await
            .unwrap()
    );

    // Handing over counts the attempt; from then on it is never claimed again, however late.
    assert!(
        b.digest_sending(row.id, loser, 1_000 + lease + 1)
            .await
            .unwrap()
    );
    assert!(
        a.claim_digest(&key, "ana@example.org", winner, 10_000_000, lease)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        b.digest_done(
            row.id,
            loser,
            1_000 + lease + 2,
            DigestState::Sent,
            Some("<m@x>")
        )
        .await
        .unwrap()
    );
    let rows = a.digests(Some("2026-W48")).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].state,
            rows[0].attempts,
            rows[0].message_id.as_deref()
        ),
        (DigestState::Sent, 1, Some("<m@x>"))
    );
    assert!(
        b.digest_done(row.id, loser, 0, DigestState::Failed, None)
            .await
            .is_err(),
        "done is sent or skipped"
    );

    // A refused delivery is due again at its next attempt, not before; given up, never.
    let k2 = DigestKey {
        recipient: "athlete:1",
        kind: DigestKind::Athlete,
        week: "2026-W48",
    };
    let c = a
        .claim_digest(&k2, "r@example.org", "p1", 0, lease)
        .await
        .unwrap()
        .unwrap();
    assert!(a.digest_sending(c.id, "p1", 1).await.unwrap());
    assert!(
        a.digest_failed(c.id, "p1", 2, "550 no such mailbox", Some(500_000))
            .await
            .unwrap()
    );
    assert!(
        b.claim_digest(&k2, "r@example.org", "p2", 499_999, lease)
            .await
            .unwrap()
            .is_none()
    );
    let again = b
        .claim_digest(&k2, "r@example.org", "p2", 500_000, lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (again.attempts, again.error.as_deref()),
        (1, Some("550 no such mailbox"))
    );
    assert!(b.digest_sending(again.id, "p2", 500_001).await.unwrap());
    assert!(
        b.digest_failed(again.id, "p2", 500_002, "550 again", None)
            .await
            .unwrap()
    );
    assert!(
        a.claim_digest(&k2, "r@example.org", "p1", i64::MAX / 2, lease)
            .await
            .unwrap()
            .is_none()
    );
    // Another week, or the other digest, is a digest of its own.
    let k3 = DigestKey {
        recipient: "athlete:1",
        kind: DigestKind::Roster,
        week: "2026-W48",
    };
    assert!(
        a.claim_digest(&k3, "r@example.org", "p1", 0, lease)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(a.digests(None).await.unwrap().len(), 3);

    // Choices: none said, then off, then on again.
    assert_eq!(
        a.mail_preference("user:7", DigestKind::Roster)
            .await
            .unwrap(),
        None
    );
    a.set_mail_preference("user:7", DigestKind::Roster, false, 5)
        .await
        .unwrap();
    assert_eq!(
        b.mail_preference("user:7", DigestKind::Roster)
            .await
            .unwrap(),
        Some(false)
    );
    b.set_mail_preference("user:7", DigestKind::Roster, true, 6)
        .await
        .unwrap();
    assert_eq!(
        a.mail_preference("user:7", DigestKind::Roster)
            .await
            .unwrap(),
        Some(true)
    );
    assert_eq!(
        a.mail_preference("user:7", DigestKind::Athlete)
            .await
            .unwrap(),
        None
    );

    // The first value set wins for everyone.
    let (k1, k2) = tokio::join!(
        a.setting_or_insert("story_key", "first"),
        b.setting_or_insert("story_key", "second")
    );
    let (k1, k2) = (k1.unwrap(), k2.unwrap());
    assert_eq!(k1, k2);
    assert_eq!(a.setting_or_insert("story_key", "third").await.unwrap(), k1);
}
