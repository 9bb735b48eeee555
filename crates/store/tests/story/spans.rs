//! Overlaps at the edges of the overlap query's look-back: activities as long as the longest
//! span stored, and longer.

use chrono::{DateTime, Duration, Utc};
use soleus_store::{ActivityId, MAX_SPAN_MS, Store};

use crate::fixtures::{file, new, ride, sha, t0};

pub async fn story_spans(store: &dyn Store) {
    // Far from the other stories' activities, so each query sees only these.
    let base = t0() + Duration::days(3_000);
    let max = Duration::milliseconds(MAX_SPAN_MS);
    let day = Duration::days(1);
    let long = |start: DateTime<Utc>, elapsed: Duration| {
        let mut a = ride(start);
        a.elapsed_s = Some(elapsed.num_seconds() as f64);
        a
    };
    // A span one second short of the cap, and one five days past it.
    let near = long(base, max - Duration::seconds(1));
    let over = long(base + Duration::days(100), max + Duration::days(5));
    let mut ids = Vec::new();
    for (k, a) in [&near, &over].into_iter().enumerate() {
        let bytes = format!("span {k}").into_bytes();
        let (_, got) = store
            .save_import(&file("long.fit", &sha(&bytes), &bytes), &[new(a)], &[])
            .await
            .unwrap();
        ids.push(got[0]);
    }
    let ov = |a: DateTime<Utc>, b: DateTime<Utc>| async move {
        let rows = store.activities_overlapping(a, b).await.unwrap();
        rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
    };
    let near_end = base + max - Duration::seconds(1);
    let none = Vec::<ActivityId>::new();
    assert_eq!(
        ov(near_end, near_end + day).await,
        vec![ids[0]],
        "its last second"
    );
    assert_eq!(
        ov(
            near_end - Duration::seconds(10),
            near_end - Duration::seconds(9)
        )
        .await,
        vec![ids[0]],
        "a short span inside, near the end: almost the whole look-back"
    );
    assert_eq!(
        ov(near_end + Duration::milliseconds(1), near_end + day).await,
        none,
        "just after its end"
    );
    assert_eq!(
        ov(base - day, base).await,
        vec![ids[0]],
        "touching its start"
    );
    // A query longer than the cap still finds what starts anywhere inside it.
    assert_eq!(
        ov(base - Duration::days(30), base + Duration::days(150)).await,
        ids,
        "a long query covering both"
    );
    // The longer one is stored with its span capped: its first 14 days overlap, the rest
    // does not.
    let over_start = base + Duration::days(100);
    assert_eq!(
        ov(over_start + max - day, over_start + max - day).await,
        vec![ids[1]]
    );
    assert_eq!(
        ov(over_start + max + day, over_start + max + day).await,
        none
    );
}
