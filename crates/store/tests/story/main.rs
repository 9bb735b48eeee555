//! The conformance story: the same checks against every backend. SQLite always runs (in a
//! temporary folder); PostgreSQL runs when `SOLEUS_TEST_PG_URL` names a server, in a fresh
//! database created for each test and dropped after it.

use std::io::Write;

mod account_mail;
mod accounts;
mod athletes;
mod corrections;
mod days;
mod fixtures;
mod isolation;
mod jobs;
mod kept;
mod mail;
mod more;
mod people;
mod pg;
mod spans;
mod threads;
mod upgrade;

use chrono::{Duration, Utc};
use fixtures::{assert_same, at, count, file, new, ride, run, sha, t0};
use pg::on_fresh_postgres;
use soleus_model::Sport;
use soleus_store::{ActivityId, Database, FileId, ShoeId, Store, StoreError};

/// The whole story on one database: the local athlete's data through every method of the
/// store, then athletes, and what one athlete's handle cannot do to another's data.
pub async fn story(db: &dyn Database, url: &str) {
    assert!(matches!(db.backend(), "sqlite" | "postgres"));
    let local = db.local_athlete().await.unwrap();
    let store = db.athlete(local);
    assert_eq!((store.athlete_id(), store.backend()), (local, db.backend()));
    story_store(store.as_ref()).await;
    athletes::story_athletes(db, url).await;
    accounts::story_accounts(db).await;
    account_mail::story_account_mail(db).await;
    isolation::story_isolation(db).await;
    mail::story_mail(db).await;
    threads::story_threads(db).await;
    kept::story_kept_summaries(db, url).await;
    people::story_people(db).await;
    days::story_days(db, url).await;
    corrections::story_corrections(db).await;
}

/// Every method of the store, with real values.
pub async fn story_store(store: &dyn Store) {
    assert!(matches!(store.backend(), "sqlite" | "postgres"));
    assert!(store.files().await.unwrap().is_empty());
    assert_eq!(count(store).await, 0);

    // --- An import of a file with two sessions: a 1 h run, then a ride from 3700 s. ---
    let bytes1: Vec<u8> = b".FIT".iter().copied().cycle().take(40_000).collect();
    let hash1 = sha(&bytes1);
    let a_run = run(t0(), 3600, Some(3600.0));
    let a_ride = ride(t0() + Duration::seconds(3700));
    let (f1, ids) = store
        .save_import(
            &file("a/b.fit", &hash1, &bytes1),
            &[new(&a_run), at(&a_ride, 1)],
            &[],
        )
        .await
        .unwrap();
    let (run_id, ride_id) = (ids[0], ids[1]);
    assert_eq!(ids.len(), 2);
    assert_ne!(run_id, ride_id);

    let stored = store.activity(run_id).await.unwrap().expect("stored run");
    assert_same(&stored.activity, &a_run);
    assert_eq!((stored.row.file_id, stored.row.session), (f1, 0));
    assert_eq!(
        (stored.row.sample_count, stored.row.totals_source.as_str()),
        (3600, "device")
    );
    let stored_ride = store.activity(ride_id).await.unwrap().unwrap();
    assert_same(&stored_ride.activity, &a_ride);
    assert_eq!(
        (
            stored_ride.row.session,
            stored_ride.row.totals_source.as_str()
        ),
        (1, "computed")
    );
    assert!(
        store
            .activity(ActivityId(ride_id.0 + 1000))
            .await
            .unwrap()
            .is_none()
    );

    // Newest first.
    let list = store.list_activities().await.unwrap();
    assert_eq!(
        list.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![ride_id, run_id]
    );
    assert_eq!(list[1].sport, Sport::TrailRun);
    assert_eq!(list[1].start, t0());

    // --- Duplicate lookup by content hash (upper-case hex finds it too). ---
    let f = store.file_by_hash(&hash1).await.unwrap().expect("by hash");
    assert_eq!(
        (f.id, f.name.as_str(), f.size, f.duplicate_of),
        (f1, "a/b.fit", 40_000, None)
    );
    assert_eq!(
        store
            .file_by_hash(&hash1.to_uppercase())
            .await
            .unwrap()
            .map(|f| f.id),
        Some(f1)
    );
    assert!(store.file_by_hash(&sha(b"other")).await.unwrap().is_none());
    assert!((Utc::now() - f.imported_at).num_seconds().abs() < 600);

    // --- Overlap boundaries: the run spans [t0, t0 + 3600 s], the ride [3700 s, 5500 s]. ---
    let at = |s: i64| t0() + Duration::seconds(s);
    let ov = |a: i64, b: i64| async move {
        let rows = store.activities_overlapping(at(a), at(b)).await.unwrap();
        rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
    };
    assert_eq!(ov(-100, 0).await, vec![run_id], "touching the start counts");
    assert_eq!(
        ov(3600, 3650).await,
        vec![run_id],
        "touching the end counts"
    );
    assert_eq!(
        ov(3601, 3699).await,
        Vec::<ActivityId>::new(),
        "the gap between them"
    );
    assert_eq!(ov(-100, -1).await, Vec::<ActivityId>::new());
    assert_eq!(ov(1000, 1001).await, vec![run_id], "inside");
    assert_eq!(
        ov(-10, 99_999).await,
        vec![run_id, ride_id],
        "covering both, by start"
    );
    let ms = store
        .activities_overlapping(at(3600) + Duration::milliseconds(1), at(3650))
        .await
        .unwrap();
    assert!(ms.is_empty(), "one millisecond past the end");

    // --- A failed save leaves nothing behind. ---
    let again = store
        .save_import(&file("copy.fit", &hash1, &bytes1), &[new(&a_run)], &[])
        .await;
    assert!(
        matches!(again, Err(StoreError::DuplicateFile { .. })),
        "{again:?}"
    );
    let bytes2 = b"second file".to_vec();
    let hash2 = sha(&bytes2);
    // The file and activity inserts succeed, then the missing replaced id fails the whole.
    let midway = store
        .save_import(
            &file("b.fit", &hash2, &bytes2),
            &[new(&a_run)],
            &[ActivityId(ride_id.0 + 1000)],
        )
        .await;
    assert!(
        matches!(
            midway,
            Err(StoreError::NotFound {
                what: "activity",
                ..
            })
        ),
        "{midway:?}"
    );
    assert!(store.file_by_hash(&hash2).await.unwrap().is_none());
    assert_eq!(count(store).await, 2);
    assert_eq!(store.files().await.unwrap().len(), 1);
    let wrong = store
        .save_import(&file("c.fit", &hash1, &bytes2), &[], &[])
        .await;
    assert!(
        matches!(wrong, Err(StoreError::Invalid(_))),
        "hash mismatch: {wrong:?}"
    );

    // --- Replacing poorer copies. A richer ride replaces the ride: f1 keeps its run, so it
    // is not a duplicate. ---
    let (f2, ids2) = store
        .save_import(
            &file("ride.gpx", &hash2, &bytes2),
            &[new(&a_ride)],
            &[ride_id],
        )
        .await
        .unwrap();
    let ride2 = ids2[0];
    assert!(store.activity(ride_id).await.unwrap().is_none());
    assert_eq!(
        store
            .file_by_hash(&hash1)
            .await
            .unwrap()
            .unwrap()
            .duplicate_of,
        None
    );
    // A third file seen again is kept as a duplicate of ride2...
    let bytes3 = b"third".to_vec();
    let f3 = store
        .save_duplicate_file(&file("r.tcx", &sha(&bytes3), &bytes3), ride2)
        .await
        .unwrap();
    let missing = store
        .save_duplicate_file(&file("x", &sha(b"x"), b"x"), ActivityId(9_999_999))
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
    // ...then a fourth replaces ride2: f2 (now empty) and f3 both point at the new ride.
    let bytes4 = b"fourth".to_vec();
    let (_, ids4) = store
        .save_import(
            &file("r4.fit", &sha(&bytes4), &bytes4),
            &[new(&a_ride)],
            &[ride2],
        )
        .await
        .unwrap();
    let files = store.files().await.unwrap();
    let dup = |id| files.iter().find(|f| f.id == id).unwrap().duplicate_of;
    assert_eq!(
        (dup(f2), dup(f3), dup(f1)),
        (Some(ids4[0]), Some(ids4[0]), None)
    );
    assert_eq!(files.len(), 4);
    assert!(files.windows(2).all(|w| w[0].id < w[1].id), "oldest first");

    // --- Original bytes come back exactly: compressible, already gzip, incompressible. ---
    assert_eq!(store.file_bytes(f1).await.unwrap(), bytes1);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes1[..1000]).unwrap();
    let gz = gz.finish().unwrap();
    let noise: Vec<u8> = (0u32..5000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for (name, bytes) in [("g.fit.gz", &gz), ("n.fit", &noise)] {
        let h = sha(bytes);
        let id = store
            .save_duplicate_file(&file(name, &h, bytes), run_id)
            .await
            .unwrap();
        assert_eq!(&store.file_bytes(id).await.unwrap(), bytes, "{name}");
    }
    assert!(matches!(
        store.file_bytes(FileId(9_999_999)).await,
        Err(StoreError::NotFound { .. })
    ));

    // --- Shoes: idempotent by name. ---
    let peg = store.shoe_by_name("Pegasus 40").await.unwrap();
    assert_eq!(store.shoe_by_name("Pegasus 40").await.unwrap(), peg);
    assert_eq!(
        store.shoe_by_name("  Pegasus 40 ").await.unwrap(),
        peg,
        "trimmed"
    );
    let other = store.shoe_by_name("Altra Escalante").await.unwrap();
    assert_ne!(other, peg);
    assert!(matches!(
        store.shoe_by_name(" ").await,
        Err(StoreError::Invalid(_))
    ));
    store.set_activity_shoe(run_id, Some(peg)).await.unwrap();
    let row = |id| async move {
        store
            .list_activities()
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.id == id)
            .unwrap()
    };
    assert_eq!(
        (row(run_id).await.shoe_id, row(run_id).await.shoe),
        (Some(peg), Some("Pegasus 40".into()))
    );
    store.set_activity_shoe(run_id, None).await.unwrap();
    assert_eq!(row(run_id).await.shoe, None);
    let e = store.set_activity_shoe(ActivityId(9_999_999), None).await;
    assert!(
        matches!(
            e,
            Err(StoreError::NotFound {
                what: "activity",
                ..
            })
        ),
        "{e:?}"
    );
    let e = store
        .set_activity_shoe(run_id, Some(ShoeId(9_999_999)))
        .await;
    assert!(
        matches!(e, Err(StoreError::NotFound { what: "shoe", .. })),
        "{e:?}"
    );

    // --- Re-parsing a file keeps ids by session index, and the user's shoe. ---
    store.set_activity_shoe(run_id, Some(other)).await.unwrap();
    let mut better = run(t0(), 1800, Some(3600.0));
    better.name = Some("Decoder name".into());
    better.distance_m = Some(10_100.0);
    let extra = ride(t0() + Duration::seconds(9000));
    let ids = store
        .replace_file_activities(f1, &[new(&better), fixtures::at(&extra, 1)])
        .await
        .unwrap();
    assert_eq!(ids[0], run_id);
    let kept = store.activity(run_id).await.unwrap().unwrap();
    assert_eq!(kept.row.distance_m, Some(10_100.0));
    assert_eq!(kept.activity.samples.len(), 1800);
    assert_eq!(kept.row.shoe_id, Some(other), "shoe kept");
    assert_eq!(kept.row.name.as_deref(), Some("Morning Run"), "name kept");
    assert_eq!(
        store.activity(ids[1]).await.unwrap().unwrap().row.session,
        1
    );
    // Fewer sessions now: the second goes.
    let ids_again = store
        .replace_file_activities(f1, &[new(&better)])
        .await
        .unwrap();
    assert_eq!(ids_again, vec![run_id]);
    assert!(store.activity(ids[1]).await.unwrap().is_none());
    // A duplicate file has no activities of its own to replace; a missing file is an error.
    assert!(
        store
            .replace_file_activities(f2, &[new(&a_ride)])
            .await
            .unwrap()
            .is_empty()
    );
    let e = store.replace_file_activities(FileId(9_999_999), &[]).await;
    assert!(
        matches!(e, Err(StoreError::NotFound { what: "file", .. })),
        "{e:?}"
    );

    // --- An activity with no totals still overlaps through its samples (0..1199 s). ---
    let mut bare = run(at(20_000), 1200, None);
    bare.laps.clear();
    let bytes5 = b"bare".to_vec();
    let (_, bare_ids) = store
        .save_import(
            &file("bare.gpx", &sha(&bytes5), &bytes5),
            &[new(&bare)],
            &[],
        )
        .await
        .unwrap();
    assert_eq!(ov(21_100, 21_150).await, bare_ids);

    // --- Settings. ---
    assert_eq!(store.setting("units").await.unwrap(), None);
    store.set_setting("units", "km").await.unwrap();
    assert_eq!(store.setting("units").await.unwrap().as_deref(), Some("km"));
    store.set_setting("units", "mi").await.unwrap();
    assert_eq!(store.setting("units").await.unwrap().as_deref(), Some("mi"));

    more::story_more(store).await;
    spans::story_spans(store).await;
}

#[tokio::test]
async fn sqlite_story() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist yet: opening creates it.
    let url = format!("sqlite://{}/data/soleus.db", dir.path().display());
    let db = soleus_store::connect(&url).await.unwrap();
    assert_eq!(db.backend(), "sqlite");
    story(db.as_ref(), &url).await;
    let local = db.local_athlete().await.unwrap();
    let n = count(db.athlete(local).as_ref()).await;
    let athletes = db.athletes().await.unwrap();
    drop(db);
    // Reopening runs the migrations again (a no-op) and finds the data.
    let db = soleus_store::connect(&url).await.unwrap();
    assert_eq!(count(db.athlete(local).as_ref()).await, n);
    assert_eq!(db.athletes().await.unwrap(), athletes);
    // The story marked it as a demo database, in the database's own settings.
    drop(db);
    assert!(soleus_store::is_demo_database(&dir.path().join("data/soleus.db")).await);
    assert!(!soleus_store::is_demo_database(&dir.path().join("data")).await);
}

#[tokio::test]
async fn unknown_scheme_is_refused_with_password_hidden() {
    let e = soleus_store::connect("mysql://me:secret@host/db")
        .await
        .unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, StoreError::UnknownScheme { .. }));
    assert!(
        msg.contains("me:***@host") && !msg.contains("secret"),
        "{msg}"
    );
}

#[tokio::test]
async fn postgres_story() {
    on_fresh_postgres("story", |url| async move {
        let db = soleus_store::connect(&url).await.unwrap();
        assert_eq!(db.backend(), "postgres");
        story(db.as_ref(), &url).await;
    })
    .await;
}

#[tokio::test]
async fn sqlite_upgrade_moves_the_profile_into_columns() {
    let dir = tempfile::tempdir().unwrap();
    for (name, case) in [
        ("good.db", upgrade::Case::Saved),
        ("bad.db", upgrade::Case::Unreadable),
    ] {
        let url = format!("sqlite://{}/{name}", dir.path().display());
        upgrade::story_upgrade(&url, case).await;
    }
}

#[tokio::test]
async fn postgres_upgrade_moves_the_profile_into_columns() {
    for case in [upgrade::Case::Saved, upgrade::Case::Unreadable] {
        on_fresh_postgres("upgrade", move |url| async move {
            upgrade::story_upgrade(&url, case).await;
        })
        .await;
    }
}

/// Every schema version so far upgrades to the latest, on SQLite: a database made at each
/// version, with rows, opens with today's store and reads them back.
#[tokio::test]
async fn sqlite_upgrades_from_every_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut version = 1;
    loop {
        let url = format!("sqlite://{}/v{version}.db", dir.path().display());
        let newest = upgrade::story_from_version(&url, version).await;
        if version >= newest {
            break;
        }
        version += 1;
    }
    assert!(version >= 10, "every migration so far was covered");
}

/// The same on PostgreSQL, a fresh database per version.
#[tokio::test]
async fn postgres_upgrades_from_every_version() {
    let mut version = 1;
    loop {
        let newest = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
        let seen = newest.clone();
        on_fresh_postgres("from_version", move |url| async move {
            let n = upgrade::story_from_version(&url, version).await;
            seen.store(n, std::sync::atomic::Ordering::SeqCst);
        })
        .await;
        let newest = newest.load(std::sync::atomic::Ordering::SeqCst);
        if newest == 0 {
            return; // No server: skipped.
        }
        if version >= newest {
            break;
        }
        version += 1;
    }
    assert!(version >= 10, "every migration so far was covered");
}

/// On PostgreSQL the clean-up runs in one process at a time: while another holds its advisory
/// lock, a purge does nothing and says so; once released, it runs.
#[tokio::test]
async fn postgres_purge_runs_in_one_process_at_a_time() {
    on_fresh_postgres("purge_lock", |url| async move {
        use sqlx::Connection;
        let db = soleus_store::connect(&url).await.unwrap();
        let mut other = sqlx::PgConnection::connect(&url).await.unwrap();
        let mut held = other.begin().await.unwrap();
        // The key the store documents for its clean-up ("soleus:purge").
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(0x736f_6c65_7573_7075_i64)
            .execute(&mut *held)
            .await
            .unwrap();
        assert_eq!(db.accounts().purge(0, 0).await.unwrap(), None);
        held.commit().await.unwrap();
        assert!(db.accounts().purge(0, 0).await.unwrap().is_some());
        db.close().await;
    })
    .await;
}
