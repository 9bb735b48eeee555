//! Measures the sample codec and the cost of saving and reading one 10 000-sample activity.
//!
//! `cargo run -p soleus-store --example store_speed` (SQLite in a temporary folder; set
//! `SOLEUS_TEST_PG_URL` to a database that may be written to, to time PostgreSQL too).

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use sha2::{Digest, Sha256};
use soleus_model::{Activity, Lap, Sample, Sport};
use soleus_store::{NewActivity, NewFile, Store, codec};

const N: usize = 10_000;

/// Best of `reps` runs, so a busy machine inflates the number less.
fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..reps {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    (best, out.expect("at least one rep"))
}

fn activity() -> Activity {
    let mut a = Activity::new(
        Sport::Run,
        Utc.with_ymd_and_hms(2026, 4, 1, 6, 0, 0).unwrap(),
    );
    a.elapsed_s = Some(N as f64);
    a.distance_m = Some(N as f64 * 3.0);
    a.laps = (0..30)
        .map(|_| Lap {
            elapsed_s: Some(333.0),
            ..Lap::default()
        })
        .collect();
    a.samples = (0..N)
        .map(|i| {
            let f = i as f64;
            Sample {
                t: f,
                lat: Some(46.52 + f * 1.9e-5 + (f * 0.05).sin() * 2e-6),
                lon: Some(6.63 + f * 2.6e-5),
                alt: Some(410.0 + (f / 300.0).sin() * 25.0),
                dist: Some(f * 3.02),
                speed: Some(3.0 + (f * 0.07).sin() * 0.2),
                hr: Some(140 + ((f / 120.0).sin() * 15.0) as u8),
                cadence: Some(172.0 + (i % 3) as f64),
                power: Some(260 + (i % 17) as u16),
            }
        })
        .collect();
    a
}

async fn time_store(store: &dyn Store, a: &Activity, reps: usize) {
    let mut save = Duration::MAX;
    let mut read = Duration::MAX;
    for r in 0..reps {
        let bytes =
            format!("file {r} {}", Utc::now().timestamp_nanos_opt().unwrap_or(0)).into_bytes();
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let f = NewFile {
            name: "bench.fit",
            sha256: &hash,
            format: "fit",
            bytes: &bytes,
            packed: None,
        };
        let t = Instant::now();
        let (_, ids) = store
            .save_import(
                &f,
                &[NewActivity {
                    activity: a,
                    shoe: None,
                    session: 0,
                    summary: None,
                    encoded: None,
                }],
                &[],
            )
            .await
            .expect("save");
        save = save.min(t.elapsed());
        let t = Instant::now();
        let back = store
            .activity(ids[0])
            .await
            .expect("read")
            .expect("present");
        read = read.min(t.elapsed());
        assert_eq!(back.activity.samples.len(), N);
    }
    println!(
        "{}: save_import of one {N}-sample activity with 30 laps {:.2} ms, activity() {:.2} ms",
        store.backend(),
        save.as_secs_f64() * 1e3,
        read.as_secs_f64() * 1e3
    );
}

#[tokio::main]
async fn main() {
    let a = activity();
    let (enc, blob) = best(20, || codec::encode(&a.samples).expect("encode"));
    let (dec, back) = best(20, || codec::decode(&blob).expect("decode"));
    assert_eq!(back.len(), N);
    println!(
        "codec: {N} samples -> {} bytes ({:.2} bytes/sample); encode {:.2} ms ({:.0} ns/sample), \
         decode {:.2} ms ({:.0} ns/sample)",
        blob.len(),
        blob.len() as f64 / N as f64,
        enc.as_secs_f64() * 1e3,
        enc.as_nanos() as f64 / N as f64,
        dec.as_secs_f64() * 1e3,
        dec.as_nanos() as f64 / N as f64,
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    let db = soleus_store::connect(&url).await.expect("open sqlite");
    let store = db.athlete(db.local_athlete().await.expect("the local athlete"));
    time_store(store.as_ref(), &a, 10).await;
    if let Ok(pg) = std::env::var("SOLEUS_TEST_PG_URL") {
        let db = soleus_store::connect(&pg).await.expect("open postgres");
        let store = db.athlete(db.local_athlete().await.expect("the local athlete"));
        time_store(store.as_ref(), &a, 10).await;
    }
}
