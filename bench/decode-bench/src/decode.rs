//! Benchmark A, decoding: Soleus against the peer readers on the corpus and on the long inputs,
//! with `cat` for the I/O limit, printed as a markdown table.

use std::path::Path;

use crate::corpus::{self, File};
use crate::long;
use crate::readers::{self, Reader};
use crate::timing::{cat, interleaved, mbps};

/// One format's readers: Soleus first, then the peers.
struct Suite {
    sub: &'static str,
    readers: Vec<(&'static str, Reader)>,
}

fn suites() -> Vec<Suite> {
    vec![
        Suite {
            sub: "fit",
            readers: vec![
                ("soleus", readers::soleus),
                ("fitparser", readers::fitparser),
                ("rustyfit", readers::rustyfit),
            ],
        },
        Suite {
            sub: "gpx",
            readers: vec![("soleus", readers::soleus), ("gpx crate", readers::gpx)],
        },
        Suite {
            sub: "tcx",
            readers: vec![("soleus", readers::soleus), ("tcx crate", readers::tcx)],
        },
    ]
}

fn row(input: &str, mb: f64, reader: &str, files: &str, rate: f64, soleus: f64) {
    let ratio = if reader == "soleus" || reader == "cat" {
        "—".to_owned()
    } else {
        format!("**{:.1}×**", soleus / rate)
    };
    println!("| {input} | {mb:.1} | {reader} | {files} | {rate:.1} | {ratio} |");
}

/// Times every reader over the corpus (all files, and the files every reader reads), then over
/// the long inputs, writing the bytes under `out` for `cat`.
pub fn run(corpus_dir: &Path, out: &Path, rounds: usize, long_rounds: usize, long_mb: usize) {
    std::fs::create_dir_all(out).expect("creating the output folder");
    println!(
        "| input | MB | reader | files read (failed) | MB/s | Soleus is faster by |\n|---|---|---|---|---|---|"
    );
    for s in suites() {
        let files: Vec<File> = corpus::load(corpus_dir, s.sub);
        if files.is_empty() {
            eprintln!("skipped: corpus not found at {}", corpus_dir.display());
            return;
        }
        let fns: Vec<Reader> = s.readers.iter().map(|r| r.1).collect();
        let ok: Vec<Vec<bool>> = fns
            .iter()
            .map(|r| files.iter().map(|f| r(&f.bytes).is_some()).collect())
            .collect();
        let all: Vec<&[u8]> = files.iter().map(|f| f.bytes.as_slice()).collect();
        let common: Vec<&[u8]> = files
            .iter()
            .enumerate()
            .filter(|(i, _)| ok.iter().all(|o| o[*i]))
            .map(|(_, f)| f.bytes.as_slice())
            .collect();
        let (all_b, common_b) = (total(&all), total(&common));
        let t_all = interleaved(&fns, &all, rounds);
        let t_common = interleaved(&fns, &common, rounds);
        for (k, (name, _)) in s.readers.iter().enumerate() {
            let read = ok[k].iter().filter(|&&x| x).count();
            let failed: Vec<&str> = files
                .iter()
                .zip(&ok[k])
                .filter(|(_, o)| !**o)
                .map(|(f, _)| f.name.as_str())
                .collect();
            eprintln!("{} {name} failed on: {failed:?}", s.sub);
            let label = format!("{} ({})", read, files.len() - read);
            let input = format!("corpus {} (all {} files)", s.sub, files.len());
            row(
                &input,
                all_b as f64 / 1e6,
                name,
                &label,
                mbps(all_b, t_all[k]),
                mbps(all_b, t_all[0]),
            );
        }
        for (k, (name, _)) in s.readers.iter().enumerate() {
            let input = format!("corpus {} (the {} all read)", s.sub, common.len());
            row(
                &input,
                common_b as f64 / 1e6,
                name,
                &common.len().to_string(),
                mbps(common_b, t_common[k]),
                mbps(common_b, t_common[0]),
            );
        }
        let cat_file = out.join(format!("corpus-{}.bin", s.sub));
        std::fs::write(&cat_file, all.concat()).expect("writing the cat file");
        let input = format!("corpus {} (all)", s.sub);
        row(
            &input,
            all_b as f64 / 1e6,
            "cat",
            "—",
            mbps(all_b, cat(&cat_file, rounds)),
            0.0,
        );
        let long = match s.sub {
            "fit" => Some((
                "long chained FIT".to_owned(),
                long::fit_stream(&files, &fns, long_mb << 20),
            )),
            "gpx" => long::gpx_track(&files, &fns, long_mb << 20)
                .map(|(src, b)| (format!("long GPX track (from {src})"), b)),
            _ => None,
        };
        if let Some((input, bytes)) = long {
            long_rows(&input, &bytes, &s, out, long_rounds);
        }
    }
}

fn long_rows(input: &str, bytes: &[u8], s: &Suite, out: &Path, rounds: usize) {
    let file = out.join(format!("long.{}", s.sub));
    std::fs::write(&file, bytes).expect("writing the long input");
    let mb = bytes.len() as f64 / 1e6;
    // Soleus's rate, or None when it failed: then no ratio means anything.
    let mut soleus = None;
    for (k, (name, r)) in s.readers.iter().enumerate() {
        // One reader at a time here: each may hold gigabytes for a 100 MB input.
        let mut times = Vec::with_capacity(rounds);
        let mut n = None;
        for _ in 0..rounds {
            let start = std::time::Instant::now();
            n = std::hint::black_box(r(bytes));
            times.push(start.elapsed().as_secs_f64());
        }
        let t = crate::timing::median(times);
        let rate = n.map(|_| mbps(bytes.len(), t));
        if k == 0 {
            soleus = rate;
        }
        match (n, rate, soleus) {
            (Some(n), Some(rate), Some(soleus)) => {
                row(input, mb, name, &format!("{n} points"), rate, soleus);
            }
            (Some(n), Some(rate), None) => println!(
                "| {input} | {mb:.1} | {name} | {n} points | {rate:.1} | — (soleus failed) |"
            ),
            // A reader that fails has no speed: its time was spent giving up.
            _ => println!("| {input} | {mb:.1} | {name} | **failed** | — | — |"),
        }
    }
    row(
        input,
        mb,
        "cat",
        "—",
        mbps(bytes.len(), cat(&file, rounds)),
        0.0,
    );
}

fn total(v: &[&[u8]]) -> usize {
    v.iter().map(|b| b.len()).sum()
}
