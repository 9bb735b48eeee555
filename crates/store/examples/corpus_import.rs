//! Times importing the real device corpus into a fresh SQLite store against decoding it, and
//! reports the sample codec's bytes per sample on real recordings.
//!
//! `cargo run -p soleus-store --example corpus_import` (set `SOLEUS_TEST_PG_URL` to a database
//! that may be written to, to time PostgreSQL too).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use soleus_formats::Limits;
use soleus_model::Activity;
use soleus_store::{NewActivity, NewFile, Store, codec};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x != "md") {
            out.push(p);
        }
    }
}

struct Decoded {
    name: String,
    bytes: Vec<u8>,
    activities: Vec<Activity>,
}

/// Stores every decoded file the way an import does (hash, duplicate check, one
/// transaction), returning the time spent in the store.
async fn import(store: &dyn Store, decoded: &[Decoded]) -> Duration {
    let t = Instant::now();
    for d in decoded {
        let hash: String = Sha256::digest(&d.bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if store.file_by_hash(&hash).await.expect("lookup").is_some() {
            continue;
        }
        let file = NewFile {
            name: &d.name,
            sha256: &hash,
            format: "fit",
            bytes: &d.bytes,
            packed: None,
        };
        let new: Vec<NewActivity<'_>> = d
            .activities
            .iter()
            .enumerate()
            .map(|(i, a)| NewActivity {
                activity: a,
                shoe: None,
                session: i as u32,
                summary: None,
                encoded: None,
            })
            .collect();
        store.save_import(&file, &new, &[]).await.expect("save");
    }
    t.elapsed()
}

#[tokio::main]
async fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipped: corpus not found at {}", root.display());
        return;
    }
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.sort();

    let mut decoded = Vec::new();
    let mut decode_time = Duration::ZERO;
    for p in &paths {
        let bytes = std::fs::read(p).expect("read corpus file");
        let t = Instant::now();
        let result = soleus_formats::decode(&bytes, &Limits::default());
        decode_time += t.elapsed();
        if let Ok(d) = result {
            let name = p.strip_prefix(&root).unwrap_or(p).display().to_string();
            decoded.push(Decoded {
                name,
                bytes,
                activities: d.activities,
            });
        }
    }
    let activities: Vec<&Activity> = decoded.iter().flat_map(|d| &d.activities).collect();
    let samples: usize = activities.iter().map(|a| a.samples.len()).sum();

    let (mut enc, mut dec, mut blob_bytes) = (Duration::ZERO, Duration::ZERO, 0usize);
    for a in &activities {
        let t = Instant::now();
        let blob = codec::encode(&a.samples).expect("encode");
        enc += t.elapsed();
        let t = Instant::now();
        let back = codec::decode(&blob).expect("decode");
        dec += t.elapsed();
        assert_eq!(back.len(), a.samples.len());
        blob_bytes += blob.len();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "corpus: {} files, {} decoded into {} activities, {samples} samples; decode {:.0} ms",
        paths.len(),
        decoded.len(),
        activities.len(),
        ms(decode_time)
    );
    println!(
        "codec on real samples: {:.2} bytes/sample; encode {:.0} ms ({:.0} ns/sample), \
         decode {:.0} ms ({:.0} ns/sample)",
        blob_bytes as f64 / samples.max(1) as f64,
        ms(enc),
        enc.as_nanos() as f64 / samples.max(1) as f64,
        ms(dec),
        dec.as_nanos() as f64 / samples.max(1) as f64
    );

    // Where the store's own time goes besides the codec: hashing and compressing originals.
    let t = Instant::now();
    let hashed: usize = decoded
        .iter()
        .map(|d| Sha256::digest(&d.bytes)[0] as usize)
        .sum();
    let sha = t.elapsed();
    let total: usize = decoded.iter().map(|d| d.bytes.len()).sum();
    let mut gz = Vec::new();
    for level in [1, 6] {
        let t = Instant::now();
        let mut out = 0;
        for d in &decoded {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
            std::io::Write::write_all(&mut e, &d.bytes).expect("gzip");
            out += e.finish().expect("gzip").len();
        }
        gz.push(format!(
            "level {level}: {:.0} ms -> {:.1} MB",
            ms(t.elapsed()),
            out as f64 / 1e6
        ));
    }
    println!(
        "originals: {:.1} MB; sha256 {:.0} ms ({hashed}); gzip {}",
        total as f64 / 1e6,
        ms(sha),
        gz.join(", ")
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/corpus.db", dir.path().display());
    let db = soleus_store::connect(&url).await.expect("open sqlite");
    let store = db.athlete(db.local_athlete().await.expect("the local athlete"));
    let t = import(store.as_ref(), &decoded).await;
    let db = std::fs::metadata(dir.path().join("corpus.db")).map_or(0, |m| m.len());
    let wal = std::fs::metadata(dir.path().join("corpus.db-wal")).map_or(0, |m| m.len());
    println!(
        "sqlite: import {:.0} ms = {:.2}x decode time; database {:.1} MB (+ {:.1} MB WAL)",
        ms(t),
        t.as_secs_f64() / decode_time.as_secs_f64(),
        db as f64 / 1e6,
        wal as f64 / 1e6
    );
    if let Ok(pg) = std::env::var("SOLEUS_TEST_PG_URL") {
        let db = soleus_store::connect(&pg).await.expect("open postgres");
        let store = db.athlete(db.local_athlete().await.expect("the local athlete"));
        let t = import(store.as_ref(), &decoded).await;
        println!(
            "postgres: import {:.0} ms = {:.2}x decode time (files already stored are skipped)",
            ms(t),
            t.as_secs_f64() / decode_time.as_secs_f64()
        );
    }
}
