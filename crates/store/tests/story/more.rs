//! The second half of the story: load summaries and RPE, the journal, and shoes.

use chrono::{Duration, NaiveDate};
use serde_json::json;
use soleus_model::journal::Kind;
use soleus_model::load::RunSummary;
use soleus_store::{ActivityId, NewActivity, ShoeId, ShoeSpec, Store, StoreError};

use crate::fixtures::{file, run, sha, t0};

pub async fn story_more(store: &dyn Store) {
    // --- A run stored with its summary; RPE and the shoe's drop join it later. ---
    let start = t0() + Duration::days(400);
    let a = run(start, 600, Some(600.0));
    let mut summary = RunSummary::new(a.sport, a.start);
    summary.distance_m = Some(8_000.0);
    summary.hilly_km = Some(1.5);
    let bytes: Vec<u8> = b"summary".iter().copied().cycle().take(3_000).collect();
    // Packed and encoded ahead of the save, as the importer does on its worker thread.
    let hash = sha(&bytes);
    let mut f = file("s.fit", &hash, &bytes);
    let packed = soleus_store::pack(&f).unwrap();
    f.packed = Some(&packed);
    let encoded = soleus_store::codec::encode(&a.samples).unwrap();
    let (file_id, ids) = store
        .save_import(
            &f,
            &[NewActivity {
                activity: &a,
                shoe: None,
                session: 0,
                summary: Some(&summary),
                encoded: Some(&encoded),
            }],
            &[],
        )
        .await
        .unwrap();
    assert_eq!(
        store.file_bytes(file_id).await.unwrap(),
        bytes,
        "the packed original comes back"
    );
    let back = store.activity(ids[0]).await.unwrap().unwrap();
    assert_eq!(back.activity.samples.len(), a.samples.len());
    let id = ids[0];
    let mine = |rows: Vec<soleus_store::SummaryRow>| rows.into_iter().find(|r| r.id == id).unwrap();
    let row = mine(store.summaries().await.unwrap());
    assert_eq!(row.summary.hilly_km, Some(1.5));
    assert_eq!((row.summary.rpe, row.summary.shoe_drop_mm), (None, None));

    store.set_rpe(id, Some(7)).await.unwrap();
    assert!(matches!(
        store.set_rpe(id, Some(11)).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.set_rpe(ActivityId(-5), Some(3)).await,
        Err(StoreError::NotFound { .. })
    ));
    let zero = store
        .save_shoe(&ShoeSpec {
            name: "Altra Escalante 3".into(),
            drop_mm: Some(0.0),
            ..ShoeSpec::default()
        })
        .await
        .unwrap();
    store.set_activity_shoe(id, Some(zero)).await.unwrap();
    let row = mine(store.summaries().await.unwrap());
    assert_eq!(
        (row.summary.rpe, row.summary.shoe_drop_mm, row.shoe_id),
        (Some(7), Some(0.0), Some(zero))
    );
    summary.trimp = Some(88.0);
    store.set_summary(id, &summary).await.unwrap();
    let row = mine(store.summaries().await.unwrap());
    // The new summary, with the RPE and drop still joined from their own columns.
    assert_eq!((row.summary.trimp, row.summary.rpe), (Some(88.0), Some(7)));
    // Activities stored without a summary get one from their totals.
    let all = store.summaries().await.unwrap();
    assert!(
        all.windows(2)
            .all(|w| w[0].summary.start <= w[1].summary.start),
        "oldest first"
    );
    assert!(
        all.iter()
            .any(|r| r.id != id && r.summary.distance_m.is_some())
    );

    // --- The journal. ---
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
    let late = store
        .add_entry(Kind::CheckIn, day(20), &json!({"pain": 3}))
        .await
        .unwrap();
    let early = store
        .add_entry(Kind::CheckIn, day(2), &json!({"pain": 5}))
        .await
        .unwrap();
    store
        .add_entry(Kind::Weight, day(3), &json!({"kg": 61.2}))
        .await
        .unwrap();
    let checkins = store.entries(Kind::CheckIn).await.unwrap();
    assert_eq!(
        checkins.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![early, late],
        "by day"
    );
    assert_eq!(checkins[0].body["pain"], 5);
    assert_eq!(checkins[1].day, day(20));
    assert_eq!(
        store.entries(Kind::Weight).await.unwrap()[0].body["kg"],
        61.2
    );
    assert!(
        !store.delete_entry(Kind::Weight, early).await.unwrap(),
        "kind must match"
    );
    assert!(store.delete_entry(Kind::CheckIn, early).await.unwrap());
    assert_eq!(store.entries(Kind::CheckIn).await.unwrap().len(), 1);

    // --- Shoes. ---
    let peg = store
        .save_shoe(&ShoeSpec {
            name: "Pegasus 40".into(),
            brand: Some("Nike".into()),
            drop_mm: Some(10.0),
            retire_km: Some(700.0),
            started_on: Some(day(1)),
            ..ShoeSpec::default()
        })
        .await
        .unwrap();
    // Saving again by name updates what is given and keeps the rest.
    let again = store
        .save_shoe(&ShoeSpec {
            name: " Pegasus 40 ".into(),
            stack_mm: Some(33.0),
            ..ShoeSpec::default()
        })
        .await
        .unwrap();
    assert_eq!(again, peg);
    assert_eq!(store.shoe_by_name("Pegasus 40").await.unwrap(), peg);
    store.set_default_shoe(Some(peg)).await.unwrap();
    store.set_default_shoe(Some(zero)).await.unwrap();
    let shoes = store.shoes().await.unwrap();
    let get = |id| shoes.iter().find(|s| s.id == id).unwrap().clone();
    let (p, z) = (get(peg), get(zero));
    assert_eq!(
        (p.spec.brand.as_deref(), p.spec.drop_mm, p.spec.stack_mm),
        (Some("Nike"), Some(10.0), Some(33.0))
    );
    assert_eq!(
        (p.spec.started_on, p.spec.retire_km),
        (Some(day(1)), Some(700.0))
    );
    assert!(!p.is_default && z.is_default, "only one default");
    // The zero-drop shoe's distance is the one run assigned to it.
    let want_km = a.distance_m.unwrap() / 1000.0;
    assert!((z.km - want_km).abs() < 1e-9, "{} vs {want_km}", z.km);
    assert_eq!((z.activities, p.activities, p.km), (1, 0, 0.0));
    store.set_shoe_retired(zero, true).await.unwrap();
    let z = store
        .shoes()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.id == zero)
        .unwrap();
    assert!(
        z.retired && !z.is_default,
        "a retired shoe is no longer the default"
    );
    assert!(
        store.shoes().await.unwrap().last().unwrap().retired,
        "retired last"
    );
    assert!(matches!(
        store.set_default_shoe(Some(ShoeId(-1))).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.save_shoe(&ShoeSpec::default()).await,
        Err(StoreError::Invalid(_))
    ));
}
