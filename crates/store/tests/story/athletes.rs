//! The database's own side: its athletes, its settings, and handles for ids with no athlete.

use chrono::Utc;
use soleus_model::athlete::Athlete;
use soleus_store::{AthleteId, DEMO_MARK, Database, OrgId, StoreError, UserId};

use crate::fixtures::raw_sql;

pub async fn story_athletes(db: &dyn Database, url: &str) {
    let local = db.local_athlete().await.unwrap();
    let rows = db.athletes().await.unwrap();
    assert_eq!(
        rows.len(),
        1,
        "a new database has its local athlete only: {rows:?}"
    );
    assert_eq!((rows[0].id, rows[0].display_name.as_deref()), (local, None));

    // Failed additions add nothing.
    let e = db.add_athlete("  ", None, None).await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "{e:?}");
    let e = db.add_athlete("Ana", Some(OrgId(424_242)), None).await;
    assert!(
        matches!(
            e,
            Err(StoreError::NotFound {
                what: "organisation",
                id: 424_242
            })
        ),
        "{e:?}"
    );
    let e = db.add_athlete("Ana", None, Some(UserId(424_242))).await;
    assert!(
        matches!(e, Err(StoreError::NotFound { what: "user", .. })),
        "{e:?}"
    );
    assert_eq!(db.athletes().await.unwrap().len(), 1);

    // An athlete of a club, who signs in as a user of it.
    raw_sql(
        url,
        "INSERT INTO organisations (id, name, created_ms) VALUES (501, 'Harriers', 0); \
         INSERT INTO users (id, org_id, email, password_hash, display_name, role, created_ms) \
         VALUES (601, 501, 'Ana@Example.org', 'x', 'Ana', 'athlete', 0)",
    )
    .await
    .unwrap();
    let ana = db
        .add_athlete(" Ana ", Some(OrgId(501)), Some(UserId(601)))
        .await
        .unwrap();
    assert_ne!(ana, local);
    let e = db.add_athlete("Ana again", None, Some(UserId(601))).await;
    assert!(
        matches!(e, Err(StoreError::Invalid(_))),
        "a user is one athlete at most: {e:?}"
    );
    let rows = db.athletes().await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![local, ana],
        "by id"
    );
    let row = &rows[1];
    assert_eq!(
        (row.display_name.as_deref(), row.org, row.user),
        (Some("Ana"), Some(OrgId(501)), Some(UserId(601)))
    );
    assert!((Utc::now() - row.created).num_seconds().abs() < 600);
    // One account per address, whatever its case.
    let twin = raw_sql(
        url,
        "INSERT INTO users (email, password_hash, display_name, role, created_ms) \
         VALUES ('ana@example.ORG', 'x', 'Twin', 'coach', 0)",
    )
    .await;
    assert!(twin.is_err(), "a second account for the same address");

    // The database's settings are not any athlete's.
    assert_eq!(db.setting(DEMO_MARK).await.unwrap(), None);
    db.set_setting(DEMO_MARK, "0").await.unwrap();
    db.set_setting(DEMO_MARK, "1").await.unwrap();
    assert_eq!(db.setting(DEMO_MARK).await.unwrap().as_deref(), Some("1"));
    assert_eq!(db.athlete(local).setting(DEMO_MARK).await.unwrap(), None);
    assert!(db.athlete(local).setting("units").await.unwrap().is_some());
    assert_eq!(db.setting("units").await.unwrap(), None);

    // A handle for an id with no athlete reads as an athlete with no data, and cannot write.
    let ghost = db.athlete(AthleteId(987_654));
    assert!(ghost.list_activities().await.unwrap().is_empty());
    assert!(ghost.files().await.unwrap().is_empty());
    assert_eq!(ghost.profile().await.unwrap(), Athlete::default());
    let e = ghost.set_profile(&crate::fixtures::full_profile()).await;
    assert!(
        matches!(
            e,
            Err(StoreError::NotFound {
                what: "athlete",
                id: 987_654
            })
        ),
        "{e:?}"
    );
    assert!(ghost.set_setting("units", "mi").await.is_err());
    assert_eq!(db.athletes().await.unwrap().len(), 2);
}
