//! The people of a database: users, sessions, the throttle, grants, invitations to share and
//! the audit log, through every method of [`Accounts`].

use soleus_store::accounts::{AuditRow, Level, NewShareInvitation, NewUser, Role};
use soleus_store::{Accounts, Database, StoreError};

fn user<'a>(email: &'a str, name: &'a str, role: Role) -> NewUser<'a> {
    NewUser {
        email,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
        display_name: name,
        role,
        org: None,
    }
}

pub async fn story_accounts(db: &dyn Database) {
    let acc = db.accounts();
    let acc: &dyn Accounts = acc.as_ref();
    let before = acc.users().await.unwrap().len();

    // --- Organisations and users. ---
    assert!(matches!(
        acc.add_org(" ").await,
        Err(StoreError::Invalid(_))
    ));
    let clinic = acc.add_org("  Riverside Physio ").await.unwrap();
    assert!(
        acc.orgs()
            .await
            .unwrap()
            .contains(&(clinic, "Riverside Physio".to_string()))
    );
    let mut coach = user("Coach.Kim@example.net", "Kim", Role::Coach);
    coach.org = Some(clinic);
    let kim = acc.add_user(&coach).await.unwrap();
    let e = acc
        .add_user(&user("coach.kim@EXAMPLE.net", "Kim twin", Role::Athlete))
        .await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "{e:?}");
    let mut lost = user("nobody@example.net", "Nobody", Role::Coach);
    lost.org = Some(soleus_store::OrgId(clinic.0 + 1000));
    assert!(matches!(
        acc.add_user(&lost).await,
        Err(StoreError::NotFound {
            what: "organisation",
            ..
        })
    ));
    let row = acc
        .user_by_email("COACH.KIM@example.net")
        .await
        .unwrap()
        .expect("found whatever the case");
    assert_eq!(
        (row.id, row.org, row.role, row.disabled, row.athlete),
        (kim, Some(clinic), Role::Coach, false, None)
    );
    assert_eq!(row.email, "Coach.Kim@example.net", "kept as typed");
    assert_eq!(acc.user(kim).await.unwrap(), Some(row.clone()));
    assert!(acc.any_user().await.unwrap());
    assert_eq!(acc.users().await.unwrap().len(), before + 1);

    // A runner who signs up claims a new athlete of their own; the local runner of the
    // database is claimed only while nobody has it.
    let ola = acc
        .add_user(&user("ola@example.net", "Ola", Role::Athlete))
        .await
        .unwrap();
    let ola_athlete = acc.claim_athlete(ola, None).await.unwrap();
    assert_eq!(
        acc.user(ola).await.unwrap().unwrap().athlete,
        Some(ola_athlete)
    );
    assert!(matches!(
        acc.claim_athlete(ola, None).await,
        Err(StoreError::Invalid(_))
    ));
    let row = db
        .athletes()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.id == ola_athlete)
        .unwrap();
    assert_eq!(
        (row.display_name.as_deref(), row.user),
        (Some("Ola"), Some(ola))
    );
    assert!(matches!(
        acc.claim_athlete(kim, Some(ola_athlete)).await,
        Err(StoreError::Invalid(_))
    ));

    // --- Password and disabling. ---
    acc.set_password_hash(kim, "$argon2id$new").await.unwrap();
    assert_eq!(
        acc.user(kim).await.unwrap().unwrap().password_hash,
        "$argon2id$new"
    );
    assert!(matches!(
        acc.set_password_hash(soleus_store::UserId(kim.0 + 9999), "x")
            .await,
        Err(StoreError::NotFound { .. })
    ));

    // --- Sessions. ---
    acc.add_session("hash-a", kim, 1_000, 50_000).await.unwrap();
    acc.add_session("hash-b", kim, 2_000, 60_000).await.unwrap();
    acc.add_session("hash-c", ola, 2_000, 60_000).await.unwrap();
    let a = acc.session("hash-a").await.unwrap().unwrap();
    assert_eq!(
        (a.user, a.created_ms, a.last_seen_ms, a.expires_ms),
        (kim, 1_000, 1_000, 50_000)
    );
    acc.touch_session(a.id, 5_000).await.unwrap();
    acc.touch_session(a.id, 4_000).await.unwrap(); // never goes back
    assert_eq!(
        acc.session("hash-a").await.unwrap().unwrap().last_seen_ms,
        5_000
    );
    assert_eq!(acc.session("no-such-hash").await.unwrap(), None);
    // "Sign out everywhere else": the session in use stays, the others end.
    assert_eq!(acc.end_sessions(kim, Some("hash-a")).await.unwrap(), 1);
    assert!(acc.session("hash-b").await.unwrap().is_none());
    assert!(acc.session("hash-a").await.unwrap().is_some());
    assert!(
        acc.session("hash-c").await.unwrap().is_some(),
        "another user's"
    );
    acc.end_session("hash-a").await.unwrap();
    assert!(acc.session("hash-a").await.unwrap().is_none());
    // Disabling ends every session and says whether the user existed.
    acc.add_session("hash-d", ola, 3_000, 60_000).await.unwrap();
    assert!(acc.set_disabled(ola, true).await.unwrap());
    assert!(acc.user(ola).await.unwrap().unwrap().disabled);
    assert!(acc.session("hash-c").await.unwrap().is_none());
    assert!(acc.session("hash-d").await.unwrap().is_none());
    assert!(acc.set_disabled(ola, false).await.unwrap());
    assert!(
        !acc.set_disabled(soleus_store::UserId(ola.0 + 9999), true)
            .await
            .unwrap()
    );
    // Purging removes sessions past their end only.
    acc.add_session("old", ola, 1, 10).await.unwrap();
    acc.add_session("new", ola, 1, 100_000).await.unwrap();

    // --- The throttle. ---
    acc.add_login_failure(&["account:ola@example.net", "address:127.0.0.9"], 1_000)
        .await
        .unwrap();
    acc.add_login_failure(&["account:ola@example.net"], 2_000)
        .await
        .unwrap();
    assert_eq!(
        acc.login_failures("account:ola@example.net", 0)
            .await
            .unwrap(),
        (2, Some(2_000))
    );
    assert_eq!(
        acc.login_failures("account:ola@example.net", 1_500)
            .await
            .unwrap(),
        (1, Some(2_000))
    );
    assert_eq!(
        acc.login_failures("address:127.0.0.9", 0).await.unwrap(),
        (1, Some(1_000))
    );
    assert_eq!(
        acc.login_failures("account:nobody", 0).await.unwrap(),
        (0, None)
    );
    let purged = acc
        .purge(50, 1_500)
        .await
        .unwrap()
        .expect("no other process purges");
    // The session "old" ended at 50 ms; the failures before 1 500 ms are the account's and
    // the address's at 1 000 ms.
    assert_eq!((purged.sessions, purged.login_failures), (1, 2));
    assert!(acc.session("old").await.unwrap().is_none());
    assert!(acc.session("new").await.unwrap().is_some());
    assert_eq!(
        acc.login_failures("account:ola@example.net", 0)
            .await
            .unwrap()
            .0,
        1,
        "the failure before 1 500 ms is purged"
    );
    acc.clear_login_failures("account:ola@example.net")
        .await
        .unwrap();
    assert_eq!(
        acc.login_failures("account:ola@example.net", 0)
            .await
            .unwrap()
            .0,
        0
    );

    // --- Grants: at most one in force per athlete and user. ---
    assert!(acc.grants_on(ola_athlete).await.unwrap().is_empty());
    let g1 = acc
        .add_grant(ola_athlete, kim, Level::View, false, 10)
        .await
        .unwrap();
    let g2 = acc
        .add_grant(ola_athlete, kim, Level::Comment, true, 20)
        .await
        .unwrap();
    assert_ne!(g1, g2);
    let live = acc.live_grant(ola_athlete, kim).await.unwrap().unwrap();
    assert_eq!(
        (live.id, live.level, live.medical, live.created_ms),
        (g2, Level::Comment, true, 20)
    );
    assert_eq!(
        (
            live.athlete_name.as_deref(),
            live.user_name.as_str(),
            live.user_role
        ),
        (Some("Ola"), "Kim", Role::Coach)
    );
    assert_eq!(
        acc.grants_on(ola_athlete).await.unwrap(),
        vec![live.clone()]
    );
    assert_eq!(acc.grants_held(kim).await.unwrap(), vec![live.clone()]);
    assert!(acc.grants_held(ola).await.unwrap().is_empty());
    // Revoking: only the athlete's own grant, only once.
    let other = db.add_athlete("Other", None, None).await.unwrap();
    assert!(!acc.revoke_grant(other, g2, 30).await.unwrap());
    assert!(
        !acc.revoke_grant(ola_athlete, g1, 30).await.unwrap(),
        "g1 ended"
    );
    assert!(acc.revoke_grant(ola_athlete, g2, 30).await.unwrap());
    assert!(!acc.revoke_grant(ola_athlete, g2, 31).await.unwrap());
    assert_eq!(acc.live_grant(ola_athlete, kim).await.unwrap(), None);
    assert!(acc.grants_held(kim).await.unwrap().is_empty());

    // --- Invitations to share: single use, expiring, withdrawable. ---
    let offer = |token_hash: &'static str, expires_ms: i64| NewShareInvitation {
        email: "coach.kim@example.net",
        role: Role::Clinician,
        level: Level::Edit,
        medical: true,
        token_hash,
        expires_ms,
    };
    let mut bad = offer("t-bad", 1_000);
    bad.role = Role::Athlete;
    assert!(matches!(
        acc.add_share_invitation(ola_athlete, &bad, 100).await,
        Err(StoreError::Invalid(_))
    ));
    let i1 = acc
        .add_share_invitation(ola_athlete, &offer("t-1", 1_000), 100)
        .await
        .unwrap();
    let i2 = acc
        .add_share_invitation(ola_athlete, &offer("t-2", 1_000), 200)
        .await
        .unwrap();
    let i3 = acc
        .add_share_invitation(ola_athlete, &offer("t-3", 150), 100)
        .await
        .unwrap();
    let row = acc.share_invitation("t-1").await.unwrap().unwrap();
    assert_eq!(
        (row.id, row.athlete, row.role, row.level, row.medical),
        (i1, ola_athlete, Role::Clinician, Level::Edit, true)
    );
    assert_eq!((row.used_ms, row.withdrawn_ms), (None, None));
    let open: Vec<i64> = acc
        .open_share_invitations(ola_athlete, 300)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(open, vec![i2, i1], "newest first, the expired one left out");
    assert!(
        !acc.accept_share_invitation(i3, kim, 300).await.unwrap(),
        "expired"
    );
    assert!(acc.accept_share_invitation(i1, kim, 300).await.unwrap());
    assert!(
        !acc.accept_share_invitation(i1, kim, 301).await.unwrap(),
        "single use"
    );
    let live = acc.live_grant(ola_athlete, kim).await.unwrap().unwrap();
    assert_eq!((live.level, live.medical), (Level::Edit, true));
    assert_eq!(
        acc.share_invitation("t-1").await.unwrap().unwrap().used_ms,
        Some(300)
    );
    assert!(!acc.withdraw_share_invitation(other, i2, 310).await.unwrap());
    assert!(
        acc.withdraw_share_invitation(ola_athlete, i2, 310)
            .await
            .unwrap()
    );
    assert!(
        !acc.accept_share_invitation(i2, kim, 320).await.unwrap(),
        "withdrawn"
    );
    assert!(
        acc.open_share_invitations(ola_athlete, 300)
            .await
            .unwrap()
            .is_empty()
    );

    // --- The audit log. ---
    for (at, action) in [(1, "sign_in"), (2, "grant"), (3, "medical_view")] {
        acc.audit(&AuditRow {
            at_ms: at,
            user: Some(kim),
            athlete: (action != "sign_in").then_some(ola_athlete),
            action: action.into(),
            detail: format!("{action} by Kim"),
            address: Some("127.0.0.1".into()),
        })
        .await
        .unwrap();
    }
    let about: Vec<String> = acc
        .audit_log(Some(ola_athlete), None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(about, vec!["medical_view", "grant"], "newest first");
    let by = acc.audit_log(None, Some(kim), 2).await.unwrap();
    assert_eq!(by.len(), 2, "the limit holds");
    assert_eq!(by[0].detail, "medical_view by Kim");
    assert!(acc.audit_log(None, Some(ola), 10).await.unwrap().is_empty());
}
