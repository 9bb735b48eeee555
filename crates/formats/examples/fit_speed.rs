//! Times the FIT decoder against the `fitparser` crate on every FIT file of the corpus, and
//! prints each file's outcome. Run with
//! `cargo run --release -p soleus-formats --example fit_speed [CORPUS_FIT_DIR]`.

use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/fit").to_owned()
    });
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: corpus not found at {dir}");
        return;
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(raw) = std::fs::read(e.path()) else {
            continue;
        };
        let bytes = if name.ends_with(".gz") {
            soleus_formats::gunzip(&raw, 1 << 30).unwrap_or_default()
        } else {
            raw
        };
        files.push((name, bytes));
    }
    files.sort();
    let limits = soleus_formats::Limits::default();
    for (name, bytes) in &files {
        match soleus_formats::fit::decode(bytes, &limits) {
            Ok(d) => {
                let a: Vec<String> = d
                    .activities
                    .iter()
                    .map(|a| {
                        format!(
                            "{} {} {:.0}m {:.0}s n={}",
                            a.sport.as_str(),
                            a.start.format("%Y-%m-%dT%H:%M:%S"),
                            a.distance_m.unwrap_or(-1.0),
                            a.moving_s.unwrap_or(-1.0),
                            a.samples.len()
                        )
                    })
                    .collect();
                println!(
                    "{name}: ok [{}] {:?} warnings={:?}",
                    a.join("; "),
                    d.activities.first().and_then(|a| a.device.clone()),
                    d.warnings
                );
            }
            Err(e) => println!("{name}: err {e}"),
        }
    }
    let total: usize = files.iter().map(|f| f.1.len()).sum();
    let mb = total as f64 / 1e6;
    let rounds = 20;
    let t = Instant::now();
    let mut n = 0usize;
    for _ in 0..rounds {
        for (_, b) in &files {
            if let Ok(d) = soleus_formats::fit::decode(b, &limits) {
                n += d.activities.iter().map(|a| a.samples.len()).sum::<usize>();
            }
        }
    }
    let ours = mb * f64::from(rounds) / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut m = 0usize;
    for (_, b) in &files {
        if let Ok(r) = fitparser::from_bytes(b) {
            m += r.len();
        }
    }
    let theirs = mb / t.elapsed().as_secs_f64();
    println!(
        "{} files, {mb:.1} MB: soleus {ours:.0} MB/s ({n} samples), fitparser {theirs:.1} MB/s ({m} messages), ratio {:.0}x",
        files.len(),
        ours / theirs
    );
}
