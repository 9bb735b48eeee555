//! Organisation invitations and professional profiles, through every method of [`People`].

use soleus_store::accounts::{NewUser, Role};
use soleus_store::{Database, OrgId, People, StoreError};

pub async fn story_people(db: &dyn Database) {
    let acc = db.accounts();
    let people = db.people();
    let people: &dyn People = people.as_ref();
    let club = acc.add_org("Harbour Striders").await.unwrap();
    let now = 1_800_000_000_000;

    // --- An invitation, made, read by its hash, listed, used once. ---
    let e = people
        .add_org_invitation(
            OrgId(987_654),
            "x@example.org",
            Role::Coach,
            "h0",
            now,
            now + 10,
        )
        .await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    let id = people
        .add_org_invitation(
            club,
            "Lee@example.org",
            Role::Clinician,
            "hash-1",
            now,
            now + 1000,
        )
        .await
        .unwrap();
    let row = people.org_invitation("hash-1").await.unwrap().unwrap();
    assert_eq!(
        (
            row.id,
            row.org,
            row.org_name.as_str(),
            row.email.as_str(),
            row.role
        ),
        (
            id,
            club,
            "Harbour Striders",
            "Lee@example.org",
            Role::Clinician
        )
    );
    assert_eq!((row.expires_ms, row.used_ms), (now + 1000, None));
    assert!(people.org_invitation("hash-2").await.unwrap().is_none());
    assert_eq!(
        people.open_org_invitations(club, now).await.unwrap(),
        vec![row]
    );
    // Past its end it is not listed and cannot be used.
    assert!(
        people
            .open_org_invitations(club, now + 1000)
            .await
            .unwrap()
            .is_empty()
    );

    let lee = acc
        .add_user(&NewUser {
            email: "lee@example.org",
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
            display_name: "Lee",
            role: Role::Athlete,
            org: None,
        })
        .await
        .unwrap();
    let lee_athlete = acc.claim_athlete(lee, None).await.unwrap();
    assert!(
        !people
            .use_org_invitation(id, lee, now + 1000)
            .await
            .unwrap()
    );
    assert!(people.use_org_invitation(id, lee, now + 1).await.unwrap());
    // Single use: the second try changes nothing.
    assert!(!people.use_org_invitation(id, lee, now + 2).await.unwrap());
    let u = acc.user(lee).await.unwrap().unwrap();
    assert_eq!((u.org, u.role), (Some(club), Role::Clinician));
    let a = db.athletes().await.unwrap();
    assert_eq!(
        a.iter().find(|r| r.id == lee_athlete).map(|r| r.org),
        Some(Some(club))
    );
    assert_eq!(
        people
            .org_invitation("hash-1")
            .await
            .unwrap()
            .unwrap()
            .used_ms,
        Some(now + 1)
    );

    // --- Withdrawing: only the organisation's own, unused invitation. ---
    let other = acc.add_org("Riverside").await.unwrap();
    let w = people
        .add_org_invitation(
            club,
            "sam@example.org",
            Role::Athlete,
            "hash-3",
            now,
            now + 1000,
        )
        .await
        .unwrap();
    assert!(!people.withdraw_org_invitation(other, w).await.unwrap());
    assert!(
        !people.withdraw_org_invitation(club, id).await.unwrap(),
        "used"
    );
    assert!(people.withdraw_org_invitation(club, w).await.unwrap());
    assert!(people.org_invitation("hash-3").await.unwrap().is_none());

    // --- A profile: written, verified, and an edit clears the verification. ---
    assert!(people.profile(lee).await.unwrap().is_none());
    assert!(
        !people.verify_profile(lee, lee, now).await.unwrap(),
        "no profile yet"
    );
    people
        .set_profile(lee, "Doctor of Physical Therapy", Some("Runs too."), now)
        .await
        .unwrap();
    let admin = acc
        .add_user(&NewUser {
            email: "admin@example.org",
            password_hash: "x",
            display_name: "Admin",
            role: Role::Admin,
            org: Some(club),
        })
        .await
        .unwrap();
    assert!(people.verify_profile(lee, admin, now + 5).await.unwrap());
    let p = people.profile(lee).await.unwrap().unwrap();
    assert_eq!(
        (p.credentials.as_str(), p.bio.as_deref(), p.updated_ms),
        ("Doctor of Physical Therapy", Some("Runs too."), now)
    );
    assert_eq!((p.verified_ms, p.verified_by), (Some(now + 5), Some(admin)));
    people
        .set_profile(lee, "DPT, SCS", None, now + 9)
        .await
        .unwrap();
    let p = people.profile(lee).await.unwrap().unwrap();
    assert_eq!(
        (
            p.credentials.as_str(),
            p.bio,
            p.updated_ms,
            p.verified_ms,
            p.verified_by
        ),
        ("DPT, SCS", None, now + 9, None, None)
    );
}
