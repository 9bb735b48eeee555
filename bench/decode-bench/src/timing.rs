//! Wall-clock timing: readers interleaved round by round and the median taken, so a burst of
//! load from other processes on a shared machine hits every reader alike.

use std::hint::black_box;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::readers::Reader;

/// The median of some durations (seconds).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Median seconds per pass of each reader over `files`, `rounds` passes each, interleaved.
pub fn interleaved(readers: &[Reader], files: &[&[u8]], rounds: usize) -> Vec<f64> {
    let mut times = vec![Vec::with_capacity(rounds); readers.len()];
    for _ in 0..rounds {
        for (r, t) in readers.iter().zip(&mut times) {
            let start = Instant::now();
            for b in files {
                black_box(r(black_box(b)));
            }
            t.push(start.elapsed().as_secs_f64());
        }
    }
    times.into_iter().map(median).collect()
}

/// Median seconds of `cat FILE > /dev/null`, the I/O limit for reading these bytes (from the
/// page cache: the file was just written or read).
pub fn cat(file: &Path, rounds: usize) -> f64 {
    let mut t = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        let ok = Command::new("cat")
            .arg(file)
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return f64::NAN;
        }
        t.push(start.elapsed().as_secs_f64());
    }
    median(t)
}

/// MB/s (10^6 bytes) for `bytes` in `secs`.
pub fn mbps(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / 1e6 / secs
}
