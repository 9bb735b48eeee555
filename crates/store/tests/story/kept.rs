//! The load summaries a database keeps between reads (the store's `sql/cache.rs`): every
//! change to what they are read from shows in the next read, whether it came through this
//! handle, through another database handle over the same file or server (another process,
//! with summaries of its own kept), or through SQL written beside the store.

use chrono::Duration;
use soleus_model::load::RunSummary;
use soleus_store::{Database, NewActivity, ShoeSpec, Store};

use crate::fixtures::{file, new, raw_sql, run, sha, t0};

/// What the load engine sees of each run: (distance, RPE, shoe drop).
async fn seen(store: &dyn Store) -> Vec<(Option<f64>, Option<u8>, Option<f64>)> {
    store
        .summaries()
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.summary.distance_m, r.summary.rpe, r.summary.shoe_drop_mm))
        .collect()
}

pub async fn story_kept_summaries(db: &dyn Database, url: &str) {
    let id = db.add_athlete("Kept", None, None).await.unwrap();
    let here = db.athlete(id);
    // Another process: its own connections, and its own summaries kept.
    let other_db = soleus_store::connect(url).await.unwrap();
    let there = other_db.athlete(id);
    assert!(seen(here.as_ref()).await.is_empty());

    let start = t0() + Duration::days(9_000);
    let first = run(start, 600, Some(600.0));
    let mut summary = RunSummary::new(first.sport, first.start);
    summary.distance_m = Some(2_000.0);
    let bytes = b"kept one".repeat(50);
    let (_, ids) = here
        .save_import(
            &file("kept1.fit", &sha(&bytes), &bytes),
            &[NewActivity {
                summary: Some(&summary),
                ..new(&first)
            }],
            &[],
        )
        .await
        .unwrap();
    let act = ids[0];
    // Read twice on each side, so both keep them.
    for _ in 0..2 {
        assert_eq!(seen(here.as_ref()).await, [(Some(2_000.0), None, None)]);
        assert_eq!(seen(there.as_ref()).await, [(Some(2_000.0), None, None)]);
    }

    // An RPE through the other process shows here.
    there.set_rpe(act, Some(7)).await.unwrap();
    assert_eq!(seen(here.as_ref()).await, [(Some(2_000.0), Some(7), None)]);

    // A shoe worn, then its drop changed by SQL beside the store: both show on both sides.
    let shoe = here
        .save_shoe(&ShoeSpec {
            name: "Kept shoe".into(),
            drop_mm: Some(8.0),
            ..ShoeSpec::default()
        })
        .await
        .unwrap();
    here.set_activity_shoe(act, Some(shoe)).await.unwrap();
    assert_eq!(
        seen(there.as_ref()).await,
        [(Some(2_000.0), Some(7), Some(8.0))]
    );
    raw_sql(
        url,
        &format!("UPDATE shoes SET drop_mm = 4 WHERE id = {}", shoe.0),
    )
    .await
    .unwrap();
    assert_eq!(
        seen(here.as_ref()).await,
        [(Some(2_000.0), Some(7), Some(4.0))]
    );
    assert_eq!(
        seen(there.as_ref()).await,
        [(Some(2_000.0), Some(7), Some(4.0))]
    );

    // A new summary through this side shows on the other.
    summary.distance_m = Some(2_500.0);
    here.set_summary(act, &summary).await.unwrap();
    assert_eq!(
        seen(there.as_ref()).await,
        [(Some(2_500.0), Some(7), Some(4.0))]
    );

    // A second run, imported by the other process, then the first deleted by SQL.
    let second = run(start + Duration::days(1), 600, Some(600.0));
    let bytes2 = b"kept two".repeat(50);
    there
        .save_import(
            &file("kept2.fit", &sha(&bytes2), &bytes2),
            &[new(&second)],
            &[],
        )
        .await
        .unwrap();
    assert_eq!(seen(here.as_ref()).await.len(), 2);
    raw_sql(url, &format!("DELETE FROM activities WHERE id = {}", act.0))
        .await
        .unwrap();
    let left = seen(here.as_ref()).await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(seen(there.as_ref()).await, left);

    // Another athlete's changes leave this athlete's summaries as they are, and theirs apart.
    let neighbour = db.add_athlete("Neighbour", None, None).await.unwrap();
    let n = db.athlete(neighbour);
    let bytes3 = b"kept three".repeat(50);
    n.save_import(
        &file("kept3.fit", &sha(&bytes3), &bytes3),
        &[new(&second)],
        &[],
    )
    .await
    .unwrap();
    assert_eq!(seen(n.as_ref()).await.len(), 1);
    assert_eq!(seen(here.as_ref()).await, left);
}
