//! Seeded mutation fuzzing on stable Rust: every decoder is fed mutated copies of the real
//! device corpus and the bundled samples (bit flips, byte overwrites with boundary values,
//! insertions, deletions, duplicated and truncated chunks) for a bounded time. No input may
//! panic, and none may take longer than a few seconds.
//!
//! The time per decoder is `SOLEUS_FUZZ_SECS` (default 4 s); the seed is `SOLEUS_FUZZ_SEED`
//! (default fixed), printed so that a failure can be replayed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use soleus_formats::{Limits, decode, sniff};

/// xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift generators").
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_below(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The seed inputs of one format: corpus files and samples, gunzipped, that sniff as it.
fn seeds(format: soleus_formats::Format) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files_below(&root.join("../../../shared/corpus"), &mut paths);
    files_below(&root.join("../../samples"), &mut paths);
    let mut out = Vec::new();
    for p in paths {
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        let bytes = soleus_formats::gunzip(&bytes, 64 << 20).unwrap_or(bytes);
        // Small seeds mutate faster; very large ones are left to the corpus tests.
        if sniff(&bytes) == format && bytes.len() <= 2 << 20 {
            out.push(bytes);
        }
    }
    out
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        if b.is_empty() {
            b.push(rng.next() as u8);
            continue;
        }
        let i = rng.below(b.len());
        match rng.below(7) {
            0 => b[i] ^= 1 << rng.below(8),
            1 => b[i] = [0x00, 0xff, 0x7f, 0x80, b'<', b'>', b'&'][rng.below(7)],
            2 => b.insert(i, rng.next() as u8),
            3 => {
                let n = rng.below(64).min(b.len() - i);
                b.drain(i..i + n);
            }
            4 => {
                let n = rng.below(256).min(b.len() - i);
                let chunk = b[i..i + n].to_vec();
                let at = rng.below(b.len());
                b.splice(at..at, chunk);
            }
            5 => b.truncate(i),
            _ => {
                // A run of one byte, as length fields and sizes hate.
                let n = rng.below(16).min(b.len() - i);
                let v = rng.next() as u8;
                b[i..i + n].fill(v);
            }
        }
    }
    b
}

fn fuzz(format: soleus_formats::Format) {
    let seeds = seeds(format);
    assert!(!seeds.is_empty(), "no seeds for {format:?}");
    let secs: u64 = std::env::var("SOLEUS_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let seed: u64 = std::env::var("SOLEUS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    println!(
        "{format:?}: {} seeds, {secs} s, SOLEUS_FUZZ_SEED={seed}",
        seeds.len()
    );
    let mut rng = Rng(seed | 1);
    let limits = Limits::default();
    let start = Instant::now();
    let mut runs = 0u64;
    while start.elapsed() < Duration::from_secs(secs) {
        let pick = rng.below(seeds.len());
        let input = mutate(&mut rng, &seeds[pick]);
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| decode(&input, &limits).map(|_| ()));
        let took = t.elapsed();
        if result.is_err() {
            let path = std::env::temp_dir().join(format!("soleus-fuzz-{format:?}-{runs}.bin"));
            let _ = std::fs::write(&path, &input);
            panic!(
                "decoding panicked on run {runs}; input saved to {}",
                path.display()
            );
        }
        assert!(
            took < Duration::from_secs(5),
            "run {runs} took {took:?} on {} bytes",
            input.len()
        );
        runs += 1;
    }
    println!("{format:?}: {runs} mutated inputs decoded without a panic");
    assert!(runs > 0);
}

/// The default seed: fixed, so that every run of the suite covers the same inputs.
const DEFAULT_SEED: u64 = 0x0050_1e05;

#[test]
fn fit_decoder_survives_mutated_corpus_files() {
    fuzz(soleus_formats::Format::Fit);
}

#[test]
fn gpx_decoder_survives_mutated_corpus_files() {
    fuzz(soleus_formats::Format::Gpx);
}

#[test]
fn tcx_decoder_survives_mutated_corpus_files() {
    fuzz(soleus_formats::Format::Tcx);
}
