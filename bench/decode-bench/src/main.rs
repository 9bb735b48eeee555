//! Soleus's decode and import benchmarks (see `bench/README.md`).
//!
//! ```text
//! decode-bench decode CORPUS OUT [ROUNDS] [LONG_ROUNDS] [LONG_MB]   decoders side by side
//! decode-bench import CORPUS SOLEUS_BIN OUT [ROUNDS]                import vs decode time
//! decode-bench export ZIP MIN_MB                                    build a Strava-like export
//! decode-bench one FILE [N]                                         decode one file N times (profiling)
//! ```

mod corpus;
mod decode;
mod export;
mod import;
mod long;
mod readers;
mod timing;

use std::path::{Path, PathBuf};

fn arg(args: &[String], i: usize, default: usize) -> usize {
    args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = |i: usize| -> PathBuf {
        PathBuf::from(args.get(i).unwrap_or_else(|| {
            eprintln!("usage: see the top of src/main.rs");
            std::process::exit(2)
        }))
    };
    match args.first().map(String::as_str) {
        Some("decode") => decode::run(
            &path(1),
            &path(2),
            arg(&args, 3, 5),
            arg(&args, 4, 3),
            arg(&args, 5, 100),
        ),
        Some("one") => {
            // For profilers: Soleus's decode of one file, N times.
            let bytes = std::fs::read(path(1)).expect("reading the file");
            for _ in 0..arg(&args, 2, 10) {
                std::hint::black_box(readers::soleus(&bytes));
            }
        }
        Some("import") => import::run(&path(1), &path(2), &path(3), arg(&args, 4, 3)),
        Some("export") => {
            let zip = path(1);
            let min_mb = arg(&args, 2, 2048) as u64;
            let start = std::time::Instant::now();
            let (n, size) = export::build(Path::new(&zip), min_mb << 20);
            println!(
                "{n} activity files, {:.0} MB zip, built in {:.0} s",
                size as f64 / 1e6,
                start.elapsed().as_secs_f64()
            );
        }
        _ => {
            eprintln!("usage: decode-bench decode|import|export ... (see src/main.rs)");
            std::process::exit(2);
        }
    }
}
