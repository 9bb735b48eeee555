//! Upgrading a database an earlier release made: migration 0005 moves the profile, kept then as
//! one JSON document in the setting "profile", into typed columns, moves the demo mark to the
//! database's own settings, and leaves everything else the local athlete's.

use soleus_model::journal::Kind;
use std::path::Path;
use std::str::FromStr;

use soleus_model::athlete::Athlete;
use soleus_store::{DEMO_MARK, is_demo_database};

use crate::fixtures::{BoxFuture, full_profile, raw_sql};

/// What the earlier release left in the setting "profile".
#[derive(Debug, Clone, Copy)]
pub enum Case {
    /// The profile as that release saved it: `serde_json::to_string(&Athlete)`.
    Saved,
    /// JSON with a value of the wrong type, which no column can hold.
    Unreadable,
}

pub async fn story_upgrade(url: &str, case: Case) {
    let doc = match case {
        Case::Saved => serde_json::to_string(&full_profile()).unwrap(),
        Case::Unreadable => r#"{"sex":"female","hr_max":"high"}"#.to_string(),
    };
    earlier_release(url, &doc).await;
    let file = url.strip_prefix("sqlite://").map(Path::new);
    if let Some(path) = file {
        assert!(is_demo_database(path).await, "before the upgrade");
    }

    let db = soleus_store::connect(url).await.unwrap();
    let store = db.athlete(db.local_athlete().await.unwrap());
    match case {
        Case::Saved => {
            assert_eq!(store.profile().await.unwrap(), full_profile());
            assert_eq!(store.setting("profile").await.unwrap(), None, "moved");
        }
        Case::Unreadable => {
            assert_eq!(store.profile().await.unwrap(), Athlete::default());
            assert_eq!(
                store.setting("profile").await.unwrap(),
                Some(doc),
                "kept, not lost"
            );
        }
    }
    // The other settings and rows the earlier release wrote are the local athlete's.
    assert_eq!(store.setting("units").await.unwrap().as_deref(), Some("mi"));
    let entries = store.entries(Kind::CheckIn).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].body["pain"], 2);
    let shoes = store.shoes().await.unwrap();
    assert_eq!(shoes.len(), 1);
    assert_eq!(shoes[0].spec.name, "Old shoe");
    // The demo mark is the database's now.
    assert_eq!(db.setting(DEMO_MARK).await.unwrap().as_deref(), Some("1"));
    assert_eq!(store.setting(DEMO_MARK).await.unwrap(), None);
    if let Some(path) = file {
        assert!(is_demo_database(path).await, "after the upgrade");
    }
    // The upgraded database takes new athletes, with ids of their own, and new profiles.
    let other = db.add_athlete("Second", None, None).await.unwrap();
    assert_ne!(other, store.athlete_id());
    let changed = Athlete {
        hr_rest: Some(50),
        ..full_profile()
    };
    store.set_profile(&changed).await.unwrap();
    assert_eq!(store.profile().await.unwrap(), changed);
    assert_eq!(
        db.athlete(other).profile().await.unwrap(),
        Athlete::default()
    );
}

/// The state the release before migration 0005 left: its migrations applied by sqlx's own
/// migrator (so the store later applies only 0005), then rows written as that release wrote
/// them, without an athlete_id.
fn earlier_release<'a>(url: &'a str, profile: &'a str) -> BoxFuture<'a, ()> {
    Box::pin(earlier_release_unboxed(url, profile))
}

async fn earlier_release_unboxed(url: &str, profile: &str) {
    migrate_to(url, 4).await;
    raw_sql(
        url,
        &format!(
            "INSERT INTO settings (key, value) VALUES ('profile', '{}'); \
             INSERT INTO settings (key, value) VALUES ('units', 'mi'); \
             INSERT INTO settings (key, value) VALUES ('{DEMO_MARK}', '1'); \
             INSERT INTO journal (kind, day, created_ms, body) \
             VALUES ('checkin', '2026-05-01', 0, '{{\"pain\": 2}}'); \
             INSERT INTO shoes (name) VALUES ('Old shoe')",
            profile.replace('\'', "''")
        ),
    )
    .await
    .unwrap();
}

/// Every version so far: the migrations up to `version` applied by sqlx's own migrator, rows
/// written as a release of that version wrote them (what its tables allow), then today's
/// store opens it, applies the rest and reads every row back. Returns how many migrations
/// there are, so the caller can cover each.
pub async fn story_from_version(url: &str, version: i64) -> i64 {
    let newest = migrate_to(url, version).await;
    let mut sql = String::from(
        "INSERT INTO settings (athlete_id, key, value) VALUES (1, 'colour', 'green'); \
         INSERT INTO shoes (athlete_id, name) VALUES (1, 'Old shoe');",
    );
    if version >= 2 {
        sql.push_str(
            "INSERT INTO journal (athlete_id, kind, day, created_ms, body) \
             VALUES (1, 'checkin', '2026-05-01', 0, '{\"pain\": 3}');",
        );
    }
    if version >= 5 {
        sql.push_str(
            "INSERT INTO organisations (id, name, created_ms) VALUES (1, 'Harbour RC', 0); \
             INSERT INTO users (id, org_id, email, password_hash, display_name, role, created_ms) \
             VALUES (1, 1, 'coach@example.org', 'x', 'Coach Ria', 'coach', 0); \
             INSERT INTO grants (athlete_id, user_id, level, medical, created_ms) \
             VALUES (1, 1, 'comment', FALSE, 0);",
        );
    }
    if version >= 7 {
        sql.push_str(
            "INSERT INTO audit_log (at_ms, user_id, athlete_id, action, detail) \
             VALUES (0, 1, 1, 'sign_in', 'before the upgrade');",
        );
    }
    if version >= 8 {
        sql.push_str(
            "INSERT INTO mail_preferences (recipient, kind, enabled, updated_ms) \
             VALUES ('user:1', 'roster', FALSE, 0);",
        );
    }
    if version >= 9 {
        sql.push_str(
            "INSERT INTO mail_outbox (kind, email, link, state, created_ms, updated_ms) \
             VALUES ('invitation', 'coach@example.org', 'https://club.example/i/x', 'queued', 0, 0);",
        );
    }
    if version >= 12 {
        sql.push_str(
            "INSERT INTO user_profiles (user_id, credentials, updated_ms) \
             VALUES (1, 'Certified running coach', 0);",
        );
    }
    raw_sql(url, &sql).await.unwrap();

    let db = soleus_store::connect(url).await.unwrap();
    let store = db.athlete(db.local_athlete().await.unwrap());
    assert_eq!(
        store.setting("colour").await.unwrap().as_deref(),
        Some("green"),
        "from version {version}"
    );
    let shoes = store.shoes().await.unwrap();
    assert_eq!(shoes.len(), 1, "from version {version}");
    assert_eq!(shoes[0].spec.name, "Old shoe");
    let entries = store.entries(Kind::CheckIn).await.unwrap();
    assert_eq!(
        entries.len(),
        usize::from(version >= 2),
        "from version {version}"
    );
    if version >= 5 {
        let users = db.accounts().users().await.unwrap();
        assert_eq!(users.len(), 1, "from version {version}");
        assert_eq!(users[0].email, "coach@example.org");
    }
    if version >= 8 {
        let on = db
            .mail()
            .mail_preference("user:1", soleus_store::mail::DigestKind::Roster)
            .await
            .unwrap();
        assert_eq!(on, Some(false), "from version {version}");
    }
    if version >= 9 {
        // The outbox kept its queued mail through the rebuild of 0012.
        let mail = db
            .account_mail()
            .claim_mail("upgrade", 1, 60_000)
            .await
            .unwrap()
            .expect("the queued mail");
        assert_eq!(mail.email, "coach@example.org", "from version {version}");
    }
    if version >= 5 {
        // The profile of 0012, read back, or written on the upgraded schema.
        let people = db.people();
        if version < 12 {
            people
                .set_profile(soleus_store::UserId(1), "Certified running coach", None, 0)
                .await
                .unwrap();
        }
        let p = people.profile(soleus_store::UserId(1)).await.unwrap();
        assert_eq!(
            p.map(|p| p.credentials).as_deref(),
            Some("Certified running coach"),
            "from version {version}"
        );
    }
    // And it takes new data, as any database of the latest schema does.
    let added = db
        .add_athlete("After the upgrade", None, None)
        .await
        .unwrap();
    assert_ne!(added, store.athlete_id());
    db.close().await;
    newest
}

/// Applies the migrations up to `version` with sqlx's own migrator, as a release of that
/// version did (so the store later applies only the rest); returns the newest there is.
async fn migrate_to(url: &str, version: i64) -> i64 {
    let backend = if url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    };
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let old = tempfile::tempdir().unwrap();
    let (mut newest, mut copied) = (0, 0);
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let v: i64 = name[..4].parse().unwrap();
        newest = newest.max(v);
        if v <= version {
            std::fs::copy(&path, old.path().join(&name)).unwrap();
            copied += 1;
        }
    }
    let migrator = sqlx::migrate::Migrator::new(old.path()).await.unwrap();
    // Every version up to `version`, each once: the numbers have no gap.
    assert_eq!(migrator.iter().count() as i64, copied);
    assert_eq!(
        copied,
        version.min(newest),
        "migrations numbered without a gap"
    );
    if backend == "sqlite" {
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
            .unwrap()
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        migrator.run(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        pool.close().await;
    }
    newest
}
