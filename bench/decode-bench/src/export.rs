//! Benchmark B's input: a Strava-like bulk export zip of a chosen size, from the project's own
//! training-history generator, so every activity is valid and distinct (no two share a hash or
//! a start time, so the import stores them all).

use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Days, NaiveDate};
use flate2::{Compression, GzBuilder};
use soleus_formats::write::{self, synth};
use zip::write::SimpleFileOptions;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::fast());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// Writes `zip_path` with `activities.csv` and `activities/N.{fit,gpx,tcx}.gz` until the zip
/// holds at least `min_bytes`. Runners follow one another in time (each a few years of history
/// with its own seed) so no two activities overlap. Returns (activity files, zip bytes).
pub fn build(zip_path: &Path, min_bytes: u64) -> (usize, u64) {
    let file = std::fs::File::create(zip_path).expect("creating the zip");
    let mut zip = zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, file));
    // The entries are already gzip: store them, as deflating again gains nothing.
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    let mut csv = String::from(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Activity Gear,Filename\n",
    );
    let (mut written, mut n) = (0u64, 0usize);
    let weeks = 104;
    let mut era = 0u64;
    while written < min_bytes {
        let last_day = NaiveDate::from_ymd_opt(1990, 1, 7).unwrap_or_default()
            + Days::new((era + 1) * u64::from(weeks) * 7);
        let runner = synth::Runner {
            seed: 0xbe9c_0000 + era,
            weeks,
            last_day,
            overload: false,
            ..synth::Runner::sample()
        };
        for a in synth::history(&runner) {
            let (ext, raw) = match n % 10 {
                3 | 7 => ("gpx", write::gpx(&a).into_bytes()),
                5 => ("tcx", write::tcx(&a).into_bytes()),
                _ => ("fit", write::fit(&a)),
            };
            let gz = gzip(&raw);
            let name = format!("activities/{}.{ext}.gz", 20_000_000_000u64 + n as u64);
            zip.start_file(&name, stored).expect("zip entry");
            zip.write_all(&gz).expect("zip entry");
            written += gz.len() as u64;
            csv.push_str(&format!(
                "{},\"{}\",{},{},{:.0},{:.2},,{name}\n",
                10_000_000_000u64 + n as u64,
                a.start.format("%b %-d, %Y, %-I:%M:%S %p"),
                a.name.as_deref().unwrap_or("Run"),
                a.sport.label(),
                a.elapsed_s.unwrap_or(0.0),
                a.distance_m.unwrap_or(0.0) / 1000.0,
            ));
            n += 1;
            if n % 1000 == 0 {
                eprintln!("  {n} activities, {:.0} MB", written as f64 / 1e6);
            }
            if written >= min_bytes {
                break;
            }
        }
        era += 1;
    }
    let deflate = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("activities.csv", deflate)
        .expect("zip entry");
    zip.write_all(csv.as_bytes()).expect("zip entry");
    zip.finish()
        .expect("finishing the zip")
        .flush()
        .expect("flushing the zip");
    let size = std::fs::metadata(zip_path).map_or(0, |m| m.len());
    (n, size)
}
