//! A person's corrections (migration 0015): edits kept beside what the file said and kept by
//! a reparse, deletions that leave every list and the load and can be undone, and merges.
//! Every one changes the athlete's load revision, which dashboards cache by.

use chrono::Duration;
use soleus_model::Sport;
use soleus_store::{ActivityEdit, Database, ShoeSpec, Store, StoreError};

use crate::fixtures::{file, new, run, sha, t0};

async fn load_revision(store: &dyn Store) -> i64 {
    store.revisions().await.unwrap().load
}

async fn listed(store: &dyn Store) -> Vec<soleus_store::ActivityId> {
    store
        .list_activities()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

pub async fn story_corrections(db: &dyn Database) {
    let athlete = db.add_athlete("Corrects", None, None).await.unwrap();
    let store = db.athlete(athlete);
    let store = store.as_ref();
    let base = t0() + Duration::days(5_000);
    let a_run = run(base, 600, Some(600.0));
    let b_run = run(base + Duration::hours(1), 600, Some(600.0));
    let (bytes_a, bytes_b) = (b"corrections a".to_vec(), b"corrections b".to_vec());
    let (file_a, ids) = store
        .save_import(
            &file("a.fit", &sha(&bytes_a), &bytes_a),
            &[new(&a_run)],
            &[],
        )
        .await
        .unwrap();
    let a = ids[0];
    let (_, ids) = store
        .save_import(
            &file("b.gpx", &sha(&bytes_b), &bytes_b),
            &[new(&b_run)],
            &[],
        )
        .await
        .unwrap();
    let b = ids[0];
    let device_sport = a_run.sport;

    // --- An edit: the row holds the correction, the edits what the file said. ---
    let shoe = store
        .save_shoe(&ShoeSpec {
            name: "Spikes".into(),
            ..ShoeSpec::default()
        })
        .await
        .unwrap();
    let r0 = load_revision(store).await;
    let empty = store.edit_activity(a, &ActivityEdit::default()).await;
    assert!(matches!(empty, Err(StoreError::Invalid(_))), "{empty:?}");
    store
        .edit_activity(
            a,
            &ActivityEdit {
                name: Some("Track".into()),
                sport: Some(Sport::Track),
                shoe: Some(Some(shoe)),
            },
        )
        .await
        .unwrap();
    assert!(load_revision(store).await > r0, "an edit changes the load");
    let row = store.activity(a).await.unwrap().unwrap().row;
    assert_eq!(
        (row.name.as_deref(), row.sport, row.shoe.as_deref()),
        (Some("Track"), Sport::Track, Some("Spikes"))
    );
    let edits = store.activity_edits(a).await.unwrap();
    let fields: Vec<_> = edits.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "sport", "shoe"]);
    assert_eq!(edits[1].device.as_deref(), Some(device_sport.as_str()));
    assert_eq!(edits[1].before.as_deref(), Some(device_sport.as_str()));
    assert_eq!(edits[1].after.as_deref(), Some("track"));
    assert_eq!(
        (edits[2].before.as_deref(), edits[2].after.as_deref()),
        (None, Some("Spikes"))
    );
    // A second sport edit still names what the file said, not the first edit.
    store
        .edit_activity(
            a,
            &ActivityEdit {
                sport: Some(Sport::Run),
                ..ActivityEdit::default()
            },
        )
        .await
        .unwrap();
    let edits = store.activity_edits(a).await.unwrap();
    assert_eq!(edits[3].device.as_deref(), Some(device_sport.as_str()));
    assert_eq!(edits[3].before.as_deref(), Some("track"));
    // Taking the shoe off is an edit too.
    store
        .edit_activity(
            a,
            &ActivityEdit {
                shoe: Some(None),
                ..ActivityEdit::default()
            },
        )
        .await
        .unwrap();

    // A reparse re-decodes the original: the edited fields stay, the rest follow the file.
    let mut redecoded = a_run.clone();
    redecoded.sport = Sport::Walk;
    redecoded.distance_m = Some(4321.0);
    let again = store
        .replace_file_activities(file_a, &[new(&redecoded)])
        .await
        .unwrap();
    assert_eq!(again, vec![a]);
    let row = store.activity(a).await.unwrap().unwrap().row;
    assert_eq!(
        (row.name.as_deref(), row.sport, row.shoe, row.distance_m),
        (Some("Track"), Sport::Run, None, Some(4321.0))
    );

    // --- A deletion: out of every list, the load and the shoes; the row and file stay. ---
    let summaries = store.summaries().await.unwrap().len();
    let r1 = load_revision(store).await;
    store.delete_activity(b, None).await.unwrap();
    assert!(
        load_revision(store).await > r1,
        "a deletion changes the load"
    );
    assert_eq!(listed(store).await, vec![a]);
    assert!(store.activity(b).await.unwrap().is_none());
    assert_eq!(store.summaries().await.unwrap().len(), summaries - 1);
    let span = store
        .activities_overlapping(base, base + Duration::hours(3))
        .await
        .unwrap();
    assert_eq!(span.iter().map(|r| r.id).collect::<Vec<_>>(), vec![a]);
    let deleted = store.deleted_activities().await.unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!((deleted[0].row.id, deleted[0].merged_into), (b, None));
    assert!(store.file_by_hash(&sha(&bytes_b)).await.unwrap().is_some());
    assert!(matches!(
        store.delete_activity(b, None).await,
        Err(StoreError::NotFound { .. })
    ));
    // A reparse of its file keeps it deleted.
    let b_file = deleted[0].row.file_id;
    store
        .replace_file_activities(b_file, &[new(&b_run)])
        .await
        .unwrap();
    assert_eq!(listed(store).await, vec![a]);
    store.replace_file_activities(b_file, &[]).await.unwrap();
    assert_eq!(store.deleted_activities().await.unwrap().len(), 1);
    // The undo brings it back, once.
    store.undelete_activity(b).await.unwrap();
    assert_eq!(listed(store).await, vec![b, a]);
    assert_eq!(store.summaries().await.unwrap().len(), summaries);
    assert!(matches!(
        store.undelete_activity(b).await,
        Err(StoreError::NotFound { .. })
    ));

    // --- A merge: the poorer recording is linked to the one kept, and counts no more. ---
    assert!(matches!(
        store.delete_activity(a, Some(a)).await,
        Err(StoreError::Invalid(_))
    ));
    let r2 = load_revision(store).await;
    store.delete_activity(b, Some(a)).await.unwrap();
    assert!(load_revision(store).await > r2, "a merge changes the load");
    assert_eq!(listed(store).await, vec![a]);
    let deleted = store.deleted_activities().await.unwrap();
    assert_eq!((deleted[0].row.id, deleted[0].merged_into), (b, Some(a)));
    // Merging the kept one on follows it: what was merged into it moves along.
    let c_run = run(base + Duration::hours(2), 10, Some(10.0));
    let bytes_c = b"corrections c".to_vec();
    let (_, ids) = store
        .save_import(
            &file("c.tcx", &sha(&bytes_c), &bytes_c),
            &[new(&c_run)],
            &[],
        )
        .await
        .unwrap();
    let c = ids[0];
    store.delete_activity(a, Some(c)).await.unwrap();
    let deleted = store.deleted_activities().await.unwrap();
    let into: Vec<_> = deleted.iter().map(|d| (d.row.id, d.merged_into)).collect();
    assert_eq!(into, vec![(a, Some(c)), (b, Some(c))]);
    store.undelete_activity(a).await.unwrap();
    store.undelete_activity(b).await.unwrap();
    assert_eq!(listed(store).await, vec![c, b, a]);

    // --- Another athlete's activities answer as missing ones do. ---
    let other = db.add_athlete("Other", None, None).await.unwrap();
    let other = db.athlete(other);
    let named = ActivityEdit {
        name: Some("Mine".into()),
        ..ActivityEdit::default()
    };
    assert!(matches!(
        other.edit_activity(a, &named).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        other.delete_activity(a, None).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(other.activity_edits(a).await.unwrap().is_empty());
    assert!(other.deleted_activities().await.unwrap().is_empty());
    assert_eq!(listed(store).await, vec![c, b, a]);
}
