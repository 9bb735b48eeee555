//! An athlete's days and roster facts (migration 0013): written together, read for everyone
//! shared with a user in one statement, and out of date as soon as the athlete's data
//! changes, whoever changed it (the store, or SQL beside it).

use chrono::{Duration, NaiveDate};
use serde_json::json;
use soleus_model::journal::Kind;
use soleus_store::Database;
use soleus_store::accounts::{Level, NewUser, Role};
use soleus_store::days::{DayRow, FactsWrite, Revisions};

use crate::fixtures::{file, new, raw_sql, run, sha, t0};

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() + Duration::days(n)
}

fn row(n: i64, km: f64, warnings: Option<&str>) -> DayRow {
    DayRow {
        day: day(n),
        distance_m: km * 1000.0,
        runs: u32::from(km > 0.0),
        load: km,
        acwr: (n > 27).then_some(1.1),
        warnings: warnings.map(str::to_string),
    }
}

pub async fn story_days(db: &dyn Database, url: &str) {
    let acc = db.accounts();
    let coach = acc
        .add_user(&NewUser {
            email: "days-coach@example.org",
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
            display_name: "Days Coach",
            role: Role::Coach,
            org: None,
        })
        .await
        .unwrap();
    let ana = db.add_athlete("Days Ana", None, None).await.unwrap();
    let ben = db.add_athlete("Days Ben", None, None).await.unwrap();
    let (a, b) = (db.athlete(ana), db.athlete(ben));

    // Nothing shared: nothing held. Ana shared, nothing computed yet.
    assert!(acc.held_facts(coach).await.unwrap().is_empty());
    acc.add_grant(ana, coach, Level::View, false, 1)
        .await
        .unwrap();
    let held = acc.held_facts(coach).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].athlete, held[0].stored.clone()), (ana, None));
    assert_eq!(held[0].current(0), None);
    let r0 = a.revisions().await.unwrap();
    assert_eq!(held[0].revisions, r0);

    // Facts stored at the athlete's revisions hold until their day ends.
    a.put_days(
        &FactsWrite {
            revisions: r0,
            started_ms: 100,
            valid_until_ms: 1_000,
            facts: r#"{"n":1}"#,
        },
        &[row(0, 5.0, None), row(1, 0.0, Some(r#"["A"]"#))],
    )
    .await
    .unwrap();
    let held = acc.held_facts(coach).await.unwrap();
    assert_eq!(held[0].current(999), Some(r#"{"n":1}"#));
    // The athlete's own handle reads the same row.
    assert_eq!(a.facts().await.unwrap(), held[0]);
    assert_eq!(b.facts().await.unwrap().stored, None);
    assert_eq!(held[0].current(1_000), None, "the athlete's day has ended");
    let stale = |now| {
        let acc = db.accounts();
        async move { acc.stale_facts(now, 1_000).await.unwrap().contains(&ana) }
    };
    assert!(!stale(999).await && stale(1_000).await);
    let days = a.days(day(0)).await.unwrap();
    assert_eq!(days, [row(0, 5.0, None), row(1, 0.0, Some(r#"["A"]"#))]);
    assert_eq!(a.days(day(1)).await.unwrap().len(), 1, "from the day asked");
    assert!(
        b.days(day(0)).await.unwrap().is_empty(),
        "Ben's are his own"
    );

    // A computation begun before the stored one loses; a later one wins, and a day's
    // warnings left out keep what was stored.
    let write = |started_ms, facts| FactsWrite {
        revisions: r0,
        started_ms,
        valid_until_ms: 1_000,
        facts,
    };
    a.put_days(&write(50, r#"{"n":0}"#), &[]).await.unwrap();
    assert_eq!(
        acc.held_facts(coach).await.unwrap()[0].current(0),
        Some(r#"{"n":1}"#)
    );
    a.put_days(&write(200, r#"{"n":2}"#), &[row(1, 3.0, None)])
        .await
        .unwrap();
    assert_eq!(
        acc.held_facts(coach).await.unwrap()[0].current(0),
        Some(r#"{"n":2}"#)
    );
    assert_eq!(
        a.days(day(1)).await.unwrap(),
        [DayRow {
            warnings: Some(r#"["A"]"#.into()),
            ..row(1, 3.0, None)
        }]
    );

    // A check-in changes the journal revision; a run the load revision: either leaves the
    // facts out of date.
    a.add_entry(Kind::CheckIn, day(2), &json!({"pain": 2}))
        .await
        .unwrap();
    let r1 = a.revisions().await.unwrap();
    assert_eq!((r1.load, r1.journal > r0.journal), (r0.load, true));
    assert_eq!(acc.held_facts(coach).await.unwrap()[0].current(0), None);
    assert!(stale(0).await, "a check-in since");
    a.put_days(
        &FactsWrite {
            revisions: r1,
            ..write(300, r#"{"n":3}"#)
        },
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        acc.held_facts(coach).await.unwrap()[0].current(0),
        Some(r#"{"n":3}"#)
    );
    let bytes = b"days run".repeat(40);
    let r = run(t0() + Duration::days(12_000), 1_800, Some(1_800.0));
    a.save_import(&file("days.fit", &sha(&bytes), &bytes), &[new(&r)], &[])
        .await
        .unwrap();
    let r2 = a.revisions().await.unwrap();
    assert!(r2.load > r1.load && r2.journal == r1.journal);
    assert_eq!(acc.held_facts(coach).await.unwrap()[0].current(0), None);

    // SQL written beside the store counts too.
    a.put_days(
        &FactsWrite {
            revisions: r2,
            ..write(400, r#"{"n":4}"#)
        },
        &[],
    )
    .await
    .unwrap();
    raw_sql(
        url,
        &format!("DELETE FROM journal WHERE athlete_id = {}", ana.0),
    )
    .await
    .unwrap();
    assert_eq!(acc.held_facts(coach).await.unwrap()[0].current(0), None);
    assert_ne!(a.revisions().await.unwrap(), r2);

    // Ben's grant brings his row; a revoked grant takes Ana's away.
    let g = acc
        .add_grant(ben, coach, Level::View, false, 2)
        .await
        .unwrap();
    let held = acc.held_facts(coach).await.unwrap();
    assert_eq!(
        held.iter().map(|h| h.athlete).collect::<Vec<_>>(),
        [ana, ben]
    );
    assert_eq!(held[1].revisions, Revisions::default());
    acc.revoke_grant(ben, g, 3).await.unwrap();
    assert_eq!(acc.held_facts(coach).await.unwrap().len(), 1);

    // Erasing Ana takes her days and facts with her.
    db.delete_athlete(ana).await.unwrap();
    assert!(acc.held_facts(coach).await.unwrap().is_empty());
}
