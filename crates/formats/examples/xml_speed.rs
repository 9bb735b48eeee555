//! A quick throughput check of the GPX and TCX decoders against the `gpx` and `tcx` crates.
//!
//! `cargo run --release -p soleus-formats --example xml_speed [CORPUS_DIR]`
//!
//! Each decoder reads every file of the corpus (gzip undone beforehand, outside the timing)
//! that both it and the other crate can read, several times over; the numbers are MB of XML
//! per second of wall time. The project's real benchmark lives elsewhere; this is a sanity
//! check for the decoder's author.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use soleus_formats::Limits;

fn load(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            let b = std::fs::read(&p).ok()?;
            let b = if b.starts_with(&[0x1f, 0x8b]) {
                soleus_formats::gunzip(&b, 1 << 30).ok()?
            } else {
                b
            };
            Some((p, b))
        })
        .collect();
    v.sort();
    v
}

/// MB/s of `f` over `files`, repeated until about a second has passed.
fn rate(files: &[&[u8]], f: &dyn Fn(&[u8]) -> bool) -> f64 {
    let total: usize = files.iter().map(|b| b.len()).sum();
    let start = Instant::now();
    let mut rounds = 0;
    while rounds < 3 || start.elapsed().as_secs_f64() < 1.0 {
        for b in files {
            std::hint::black_box(f(b));
        }
        rounds += 1;
    }
    (total * rounds) as f64 / 1e6 / start.elapsed().as_secs_f64()
}

fn ours_gpx(b: &[u8]) -> bool {
    soleus_formats::gpx::decode(b, &Limits::default()).is_ok()
}
fn ours_tcx(b: &[u8]) -> bool {
    soleus_formats::tcx::decode(b, &Limits::default()).is_ok()
}
fn their_gpx(b: &[u8]) -> bool {
    gpx::read(b).is_ok()
}
fn their_tcx(b: &[u8]) -> bool {
    tcx::read(&mut BufReader::new(b)).is_ok()
}

fn main() {
    let dir = std::env::args().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        PathBuf::from,
    );
    type Decoder = fn(&[u8]) -> bool;
    let pairs: [(&str, Decoder, Decoder, &str); 2] = [
        ("gpx", ours_gpx, their_gpx, "gpx crate"),
        ("tcx", ours_tcx, their_tcx, "tcx crate"),
    ];
    for (sub, ours, theirs, name) in pairs {
        let files = load(&dir.join(sub));
        let common: Vec<&[u8]> = files
            .iter()
            .map(|(_, b)| b.as_slice())
            .filter(|b| ours(b) && theirs(b))
            .collect();
        if common.is_empty() {
            println!("{sub}: no files both can read under {}", dir.display());
            continue;
        }
        let mb: usize = common.iter().map(|b| b.len()).sum();
        let (a, b) = (rate(&common, &ours), rate(&common, &theirs));
        println!(
            "{sub}: {} files, {:.1} MB: soleus {a:.0} MB/s, {name} {b:.1} MB/s ({:.0}x)",
            common.len(),
            mb as f64 / 1e6,
            a / b
        );
    }
}
