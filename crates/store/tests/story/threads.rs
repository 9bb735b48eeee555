//! Threads and notifications: comments nest within one thread and stay with their athlete;
//! notifications bundle, hide what the recipient's grant no longer covers, and go when it is
//! revoked.

use soleus_store::accounts::{Level, NewUser, Role};
use soleus_store::threads::{Delivery, NewComment, NewNotification, TargetKind};
use soleus_store::{Database, StoreError};

fn user<'a>(email: &'a str, name: &'a str, role: Role) -> NewUser<'a> {
    NewUser {
        email,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
        display_name: name,
        role,
        org: None,
    }
}

fn comment<'a>(
    author: Option<soleus_store::UserId>,
    kind: TargetKind,
    parent: Option<i64>,
    body: &'a str,
) -> NewComment<'a> {
    NewComment {
        author,
        target_kind: kind,
        target_id: 42,
        parent,
        body,
    }
}

pub async fn story_threads(db: &dyn Database) {
    let acc = db.accounts();
    let ana = acc
        .add_user(&user("ana@threads.example", "Ana T", Role::Athlete))
        .await
        .unwrap();
    let athlete = acc.claim_athlete(ana, None).await.unwrap();
    let kim = acc
        .add_user(&user("kim@threads.example", "Kim T", Role::Coach))
        .await
        .unwrap();
    let doc = acc
        .add_user(&user("doc@threads.example", "Dr T", Role::Clinician))
        .await
        .unwrap();
    let kims = acc
        .add_grant(athlete, kim, Level::Comment, false, 1_000)
        .await
        .unwrap();
    acc.add_grant(athlete, doc, Level::Edit, true, 1_000)
        .await
        .unwrap();
    let store = db.athlete(athlete);

    // --- A thread: a comment, a reply, a reply to the reply. ---
    let c1 = store
        .add_comment(
            &comment(Some(kim), TargetKind::Activity, None, "Easy *pace*"),
            10,
        )
        .await
        .unwrap();
    let c2 = store
        .add_comment(
            &comment(Some(ana), TargetKind::Activity, Some(c1), "Thanks"),
            20,
        )
        .await
        .unwrap();
    let c3 = store
        .add_comment(
            &comment(Some(kim), TargetKind::Activity, Some(c2), "More?"),
            30,
        )
        .await
        .unwrap();
    let t = store.thread(TargetKind::Activity, 42).await.unwrap();
    type Seen<'a> = (i64, Option<i64>, Option<&'a str>, Option<Role>, &'a str);
    let got: Vec<Seen> = t
        .iter()
        .map(|c| {
            (
                c.id,
                c.parent,
                c.author_name.as_deref(),
                c.author_role,
                c.body.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (c1, None, Some("Kim T"), Some(Role::Coach), "Easy *pace*"),
            (c2, Some(c1), Some("Ana T"), Some(Role::Athlete), "Thanks"),
            (c3, Some(c2), Some("Kim T"), Some(Role::Coach), "More?"),
        ]
    );
    assert!(t.iter().all(|c| c.athlete == athlete && c.target_id == 42));
    // The same id on another kind is another thread.
    assert!(
        store
            .thread(TargetKind::Checkin, 42)
            .await
            .unwrap()
            .is_empty()
    );
    // A reply's parent must be in the same thread, and the same athlete's.
    let e = store
        .add_comment(&comment(Some(ana), TargetKind::Checkin, Some(c1), "x"), 40)
        .await;
    assert!(
        matches!(
            e,
            Err(StoreError::NotFound {
                what: "comment",
                ..
            })
        ),
        "{e:?}"
    );
    let local = db.athlete(db.local_athlete().await.unwrap());
    let theirs = local
        .add_comment(
            &comment(None, TargetKind::Activity, None, "runner's own"),
            50,
        )
        .await
        .unwrap();
    let e = store
        .add_comment(
            &comment(Some(ana), TargetKind::Activity, Some(theirs), "x"),
            60,
        )
        .await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    // Another athlete's handle neither sees nor changes Ana's comments.
    assert_eq!(local.comment(c1).await.unwrap(), None);
    assert!(!local.edit_comment(c1, "hijacked", 70).await.unwrap());
    assert!(!local.delete_comment(c1, 70).await.unwrap());
    let runner = local.comment(theirs).await.unwrap().unwrap();
    assert_eq!((runner.author, runner.author_name), (None, None));

    // --- Edit and delete. ---
    assert!(store.edit_comment(c1, "Easy **pace**", 80).await.unwrap());
    let one = store.comment(c1).await.unwrap().unwrap();
    assert_eq!(
        (one.body.as_str(), one.edited_ms),
        ("Easy **pace**", Some(80))
    );
    assert!(store.delete_comment(c2, 90).await.unwrap());
    assert!(!store.delete_comment(c2, 91).await.unwrap(), "once");
    assert!(!store.edit_comment(c2, "back", 92).await.unwrap());
    let gone = store.comment(c2).await.unwrap().unwrap();
    assert_eq!((gone.body.as_str(), gone.deleted_ms), ("", Some(90)));
    // It keeps its place: the reply still hangs on it.
    let t = store.thread(TargetKind::Activity, 42).await.unwrap();
    assert_eq!(t.len(), 3);
    assert_eq!(t[2].parent, Some(c2));

    // --- Notifications bundle within the window, never into a read one. ---
    let n = db.notifications();
    let told = |user, medical, kind, key: &'static str| NewNotification {
        user,
        athlete: Some(athlete),
        medical,
        kind,
        bundle_key: key,
        payload: r#"{"author":"Ana T"}"#,
    };
    let w = 600_000;
    let (a, new) = n
        .notify(&told(kim, false, "comment", "k1"), 1_000_000, w)
        .await
        .unwrap();
    assert!(new);
    let (b, new) = n
        .notify(&told(kim, false, "comment", "k1"), 1_060_000, w)
        .await
        .unwrap();
    assert_eq!((b, new), (a, false), "bundled");
    let (c, new) = n
        .notify(&told(kim, false, "reply", "k1"), 1_070_000, w)
        .await
        .unwrap();
    assert!(new && c != a, "another kind is another row");
    let (d, new) = n
        .notify(&told(kim, false, "comment", "k1"), 1_900_000, w)
        .await
        .unwrap();
    assert!(new && d != a, "past the window");
    let rows = n.notifications(kim, 10).await.unwrap();
    let ids: Vec<(i64, i64)> = rows.iter().map(|r| (r.id, r.count)).collect();
    assert_eq!(ids, [(d, 1), (c, 1), (a, 2)], "latest first");
    assert_eq!(rows[2].updated_ms, 1_060_000);
    assert_eq!(n.unread_count(kim).await.unwrap(), 3);
    assert!(n.mark_read(kim, d, 1_910_000).await.unwrap());
    assert!(
        !n.mark_read(kim, d, 1_920_000).await.unwrap(),
        "read already"
    );
    assert!(!n.mark_read(doc, c, 1_920_000).await.unwrap(), "not doc's");
    let (e, new) = n
        .notify(&told(kim, false, "comment", "k1"), 1_930_000, w)
        .await
        .unwrap();
    assert!(new && e != d, "a read row takes nothing in");
    assert_eq!(n.unread_count(kim).await.unwrap(), 3);

    // A medical notification shows only with the medical scope.
    n.notify(&told(kim, true, "comment", "med"), 2_000_000, w)
        .await
        .unwrap();
    n.notify(&told(doc, true, "comment", "med"), 2_000_000, w)
        .await
        .unwrap();
    assert_eq!(n.unread_count(kim).await.unwrap(), 3, "not Kim's to see");
    assert_eq!(n.notifications(kim, 10).await.unwrap().len(), 4);
    assert_eq!(n.unread_count(doc).await.unwrap(), 1);
    // One about no athlete shows whatever the grants.
    let invited = NewNotification {
        athlete: None,
        ..told(kim, false, "invitation", "inv")
    };
    n.notify(&invited, 2_100_000, w).await.unwrap();
    assert_eq!(n.unread_count(kim).await.unwrap(), 4);

    // Revoking Kim's grant withdraws what it let Kim be told, at once.
    assert!(acc.revoke_grant(athlete, kims, 2_200_000).await.unwrap());
    let left = n.notifications(kim, 10).await.unwrap();
    assert_eq!(
        left.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
        ["invitation"]
    );
    assert_eq!(n.unread_count(kim).await.unwrap(), 1);
    assert_eq!(n.unread_count(doc).await.unwrap(), 1, "Dr T keeps theirs");
    assert_eq!(n.mark_all_read(doc, 2_300_000).await.unwrap(), 1);
    assert_eq!(n.unread_count(doc).await.unwrap(), 0);
    assert_eq!(n.mark_all_read(doc, 2_300_000).await.unwrap(), 0);
    // Ana sees those about her own data (she holds no grant on herself).
    n.notify(&told(ana, false, "comment", "own"), 2_400_000, w)
        .await
        .unwrap();
    assert_eq!(n.unread_count(ana).await.unwrap(), 1);

    // --- Deliveries, per kind. ---
    assert!(n.deliveries(kim).await.unwrap().is_empty());
    n.set_delivery(kim, "comment", Delivery::Off).await.unwrap();
    n.set_delivery(kim, "reply", Delivery::Email).await.unwrap();
    n.set_delivery(kim, "comment", Delivery::InApp)
        .await
        .unwrap();
    assert_eq!(
        n.deliveries(kim).await.unwrap(),
        [
            ("comment".to_string(), Delivery::InApp),
            ("reply".to_string(), Delivery::Email)
        ]
    );
    assert!(n.deliveries(doc).await.unwrap().is_empty());
}
