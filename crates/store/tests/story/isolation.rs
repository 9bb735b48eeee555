//! One athlete's handle can neither read nor change another athlete's rows: through every
//! method of the store, another athlete's id answers exactly as a missing one does, and the
//! other athlete's data is unchanged afterwards.

use chrono::{Duration, NaiveDate};
use serde_json::json;
use soleus_model::athlete::Athlete;
use soleus_model::journal::Kind;
use soleus_model::load::RunSummary;
use soleus_store::{
    ActivityId, ActivityRow, Database, FileId, FileRow, JournalEntry, NewActivity, ShoeId, ShoeRow,
    ShoeSpec, Store, StoreError, StoredActivity, SummaryRow,
};

use crate::fixtures::{file, full_profile, new, run, sha, t0};

/// Everything an athlete's handle can read, to compare before and after.
#[derive(Debug, PartialEq)]
struct Snapshot {
    activities: Vec<ActivityRow>,
    activity: Option<StoredActivity>,
    files: Vec<FileRow>,
    bytes: Vec<u8>,
    summaries: Vec<SummaryRow>,
    entries: Vec<JournalEntry>,
    shoes: Vec<ShoeRow>,
    units: Option<String>,
    profile: Athlete,
}

async fn snapshot(s: &dyn Store, activity: ActivityId, file: FileId) -> Snapshot {
    Snapshot {
        activities: s.list_activities().await.unwrap(),
        activity: s.activity(activity).await.unwrap(),
        files: s.files().await.unwrap(),
        bytes: s.file_bytes(file).await.unwrap(),
        summaries: s.summaries().await.unwrap(),
        entries: s.entries(Kind::CheckIn).await.unwrap(),
        shoes: s.shoes().await.unwrap(),
        units: s.setting("units").await.unwrap(),
        profile: s.profile().await.unwrap(),
    }
}

/// `what` of a [`StoreError::NotFound`], to compare another athlete's id with a missing one.
fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(StoreError::NotFound { what, .. }) => what,
        other => panic!("expected NotFound, got {other:?}"),
    }
}

pub async fn story_isolation(db: &dyn Database) {
    let a_id = db.add_athlete("Runner A", None, None).await.unwrap();
    let b_id = db.add_athlete("Runner B", None, None).await.unwrap();
    assert_ne!(a_id, b_id);
    let (a, b) = (db.athlete(a_id), db.athlete(b_id));
    assert_eq!((a.athlete_id(), b.athlete_id()), (a_id, b_id));
    // Ids no athlete has, for what a missing row answers.
    const MISSING: i64 = 9_876_543;

    // --- A's data: a run in a shoe, with laps, samples, summary and RPE; a duplicate file; a
    // check-in; a default shoe; a setting; a profile. ---
    let start = t0() + Duration::days(5_000);
    let a_shoe = a
        .save_shoe(&ShoeSpec {
            name: "Pegasus 40".into(),
            brand: Some("Nike".into()),
            drop_mm: Some(10.0),
            ..ShoeSpec::default()
        })
        .await
        .unwrap();
    a.set_default_shoe(Some(a_shoe)).await.unwrap();
    let a_run = run(start, 900, Some(900.0));
    let bytes = b"isolation".repeat(100);
    let hash = sha(&bytes);
    let summary = RunSummary::new(a_run.sport, a_run.start);
    let (a_file, ids) = a
        .save_import(
            &file("a.fit", &hash, &bytes),
            &[NewActivity {
                shoe: Some(a_shoe),
                summary: Some(&summary),
                ..new(&a_run)
            }],
            &[],
        )
        .await
        .unwrap();
    let a_act = ids[0];
    a.set_rpe(a_act, Some(6)).await.unwrap();
    let dup = b"isolation copy".to_vec();
    a.save_duplicate_file(&file("a2.gpx", &sha(&dup), &dup), a_act)
        .await
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2030, 1, 2).unwrap();
    let a_entry = a
        .add_entry(Kind::CheckIn, day, &json!({"pain": 4}))
        .await
        .unwrap();
    a.set_setting("units", "km").await.unwrap();
    a.set_profile(&full_profile()).await.unwrap();
    assert_eq!(
        a.profile().await.unwrap(),
        full_profile(),
        "every field back"
    );
    let before = snapshot(a.as_ref(), a_act, a_file).await;
    assert_eq!(before.activity.as_ref().unwrap().row.shoe_id, Some(a_shoe));
    assert_eq!(before.activity.as_ref().unwrap().activity.laps.len(), 2);
    assert_eq!(before.summaries[0].summary.rpe, Some(6));
    assert_eq!((before.files.len(), before.entries.len()), (2, 1));

    // --- B reads nothing of A's. ---
    assert!(b.file_by_hash(&hash).await.unwrap().is_none());
    let span = b
        .activities_overlapping(start - Duration::hours(1), start + Duration::hours(1))
        .await
        .unwrap();
    assert!(span.is_empty(), "{span:?}");
    assert!(b.list_activities().await.unwrap().is_empty());
    assert!(b.activity(a_act).await.unwrap().is_none());
    assert!(b.files().await.unwrap().is_empty());
    assert_eq!(
        not_found(b.file_bytes(a_file).await),
        not_found(b.file_bytes(FileId(MISSING)).await)
    );
    assert!(b.summaries().await.unwrap().is_empty());
    assert!(b.entries(Kind::CheckIn).await.unwrap().is_empty());
    assert!(b.shoes().await.unwrap().is_empty());
    assert_eq!(b.setting("units").await.unwrap(), None);
    assert_eq!(b.profile().await.unwrap(), Athlete::default());

    // --- B changes nothing of A's: every id of A's is "not found", as a missing one. ---
    let b_bytes = b"b's own".to_vec();
    let b_hash = sha(&b_bytes);
    let b_file = file("b.fit", &b_hash, &b_bytes);
    let b_run = run(start, 300, Some(300.0));
    assert_eq!(
        not_found(b.save_import(&b_file, &[new(&b_run)], &[a_act]).await),
        not_found(
            b.save_import(&b_file, &[new(&b_run)], &[ActivityId(MISSING)])
                .await
        )
    );
    let in_a_shoe = NewActivity {
        shoe: Some(a_shoe),
        ..new(&b_run)
    };
    assert_eq!(
        not_found(b.save_import(&b_file, &[in_a_shoe], &[]).await),
        "shoe"
    );
    assert!(
        b.files().await.unwrap().is_empty(),
        "failed imports wrote nothing"
    );
    assert_eq!(
        not_found(b.save_duplicate_file(&b_file, a_act).await),
        not_found(b.save_duplicate_file(&b_file, ActivityId(MISSING)).await)
    );
    assert_eq!(
        not_found(b.replace_file_activities(a_file, &[new(&b_run)]).await),
        not_found(
            b.replace_file_activities(FileId(MISSING), &[new(&b_run)])
                .await
        )
    );
    assert_eq!(
        not_found(b.set_activity_shoe(a_act, None).await),
        not_found(b.set_activity_shoe(ActivityId(MISSING), None).await)
    );
    assert_eq!(
        not_found(b.set_summary(a_act, &summary).await),
        not_found(b.set_summary(ActivityId(MISSING), &summary).await)
    );
    assert_eq!(
        not_found(b.set_rpe(a_act, Some(1)).await),
        not_found(b.set_rpe(ActivityId(MISSING), Some(1)).await)
    );
    assert!(!b.delete_entry(Kind::CheckIn, a_entry).await.unwrap());
    assert_eq!(
        not_found(b.set_shoe_retired(a_shoe, true).await),
        not_found(b.set_shoe_retired(ShoeId(MISSING), true).await)
    );
    assert_eq!(
        not_found(b.set_default_shoe(Some(a_shoe)).await),
        not_found(b.set_default_shoe(Some(ShoeId(MISSING))).await)
    );
    b.set_default_shoe(None).await.unwrap();
    b.set_setting("units", "mi").await.unwrap();
    b.set_profile(&Athlete {
        birth_year: Some(1970),
        ..Athlete::default()
    })
    .await
    .unwrap();
    // Names and content hashes are per athlete: B's shoe of the same name is B's own, and B
    // may import the very file A imported.
    let b_shoe = b.shoe_by_name("Pegasus 40").await.unwrap();
    assert_ne!(b_shoe, a_shoe);
    let b_shoe2 = b
        .save_shoe(&ShoeSpec {
            name: "Pegasus 40".into(),
            brand: Some("Not Nike".into()),
            ..ShoeSpec::default()
        })
        .await
        .unwrap();
    assert_eq!(b_shoe2, b_shoe);
    let (b_same, b_ids) = b
        .save_import(&file("same.fit", &hash, &bytes), &[new(&a_run)], &[])
        .await
        .unwrap();
    assert_ne!(b_same, a_file);
    assert_eq!(
        b.file_by_hash(&hash).await.unwrap().map(|f| f.id),
        Some(b_same)
    );
    assert_eq!(
        not_found(b.set_activity_shoe(b_ids[0], Some(a_shoe)).await),
        "shoe"
    );
    b.set_activity_shoe(b_ids[0], Some(b_shoe)).await.unwrap();
    let b_entry = b
        .add_entry(Kind::CheckIn, day, &json!({"pain": 1}))
        .await
        .unwrap();
    assert_eq!(
        b.entries(Kind::CheckIn)
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        vec![b_entry]
    );
    // B's activities overlap A's in time, and B sees only its own.
    let span = b
        .activities_overlapping(start, start + Duration::seconds(10))
        .await
        .unwrap();
    assert_eq!(span.iter().map(|r| r.id).collect::<Vec<_>>(), b_ids);
    let b_shoes = b.shoes().await.unwrap();
    assert_eq!(b_shoes.len(), 1);
    assert_eq!((b_shoes[0].activities, b_shoes[0].is_default), (1, false));

    // --- A's data is as it was, and still A's. ---
    assert_eq!(snapshot(a.as_ref(), a_act, a_file).await, before);
    assert_eq!(
        a.file_by_hash(&hash).await.unwrap().map(|f| f.id),
        Some(a_file)
    );
    let a_shoe_row = &before.shoes[0];
    assert!(a_shoe_row.is_default && !a_shoe_row.retired);
    assert_eq!(a_shoe_row.spec.brand.as_deref(), Some("Nike"));
    assert_eq!(
        a_shoe_row.activities, 1,
        "B's run in B's shoe is not counted"
    );
}
