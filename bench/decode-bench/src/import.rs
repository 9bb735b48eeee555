//! Benchmark A, storage: `soleus import` of the corpus into a fresh SQLite database against
//! Soleus's own decode of the same files (read from disk, gzip undone, decoded, summarised).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::corpus;
use crate::readers;
use crate::timing::median;

/// Seconds for one decode-only pass over every file below `dir`, as the import reads them.
fn decode_pass(files: &[std::path::PathBuf]) -> (f64, usize, usize) {
    let start = Instant::now();
    let (mut bytes, mut acts) = (0, 0);
    for p in files {
        let Ok(b) = std::fs::read(p) else { continue };
        bytes += b.len();
        if let Ok(d) = soleus_formats::decode(&b, &readers::limits()) {
            acts += d.activities.len();
        }
    }
    (start.elapsed().as_secs_f64(), bytes, acts)
}

/// Seconds for `soleus --db sqlite:DB import DIR` into a database made fresh for the run.
fn import_pass(soleus: &Path, dir: &Path, out: &Path) -> f64 {
    let db = out.join("bench.db");
    for ext in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let start = Instant::now();
    let status = Command::new(soleus)
        .arg("--db")
        .arg(format!("sqlite:{}", db.display()))
        .arg("--config")
        .arg(out.join("bench-config.toml"))
        .arg("import")
        .arg("--json")
        .arg(dir)
        .stdout(Stdio::null())
        .status()
        .expect("running soleus");
    let t = start.elapsed().as_secs_f64();
    // 1 means "some files failed", which the corpus's broken files make certain.
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "soleus import failed: {status}"
    );
    t
}

/// Prints the import time, the decode-only time and their ratio as a markdown table.
pub fn run(dir: &Path, soleus: &Path, out: &Path, rounds: usize) {
    std::fs::create_dir_all(out).expect("creating the output folder");
    // An empty config file, so no personal settings change the runs.
    std::fs::write(out.join("bench-config.toml"), "").expect("writing the config");
    let files = corpus::walk(dir);
    let (mut dec, mut imp) = (Vec::new(), Vec::new());
    let (mut bytes, mut acts) = (0, 0);
    for _ in 0..rounds {
        let (t, b, a) = decode_pass(&files);
        (bytes, acts) = (b, a);
        dec.push(t);
        imp.push(import_pass(soleus, dir, out));
    }
    let (d, i) = (median(dec), median(imp));
    println!(
        "| what ({} files, {:.1} MB on disk, {acts} activities) | seconds | MB/s |\n|---|---|---|",
        files.len(),
        bytes as f64 / 1e6
    );
    println!(
        "| Soleus decode only (read, gunzip, decode, summarise) | {d:.2} | {:.1} |",
        bytes as f64 / 1e6 / d
    );
    println!(
        "| `soleus import` into a fresh SQLite database | {i:.2} | {:.1} |",
        bytes as f64 / 1e6 / i
    );
    println!("| **import ÷ decode** | **{:.2}×** | |", i / d);
}
