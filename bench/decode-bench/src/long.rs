//! The long inputs: a chained FIT stream and one GPX track, each at least `min` bytes, built
//! from corpus files every reader can read.

use chrono::{DateTime, Duration, SecondsFormat};

use crate::corpus::File;
use crate::readers::Reader;

/// Corpus FIT files every reader reads, concatenated (a chain of valid FIT files is itself a
/// valid chained FIT file) and repeated until the stream has at least `min` bytes.
pub fn fit_stream(files: &[File], readers: &[Reader], min: usize) -> Vec<u8> {
    let good: Vec<&File> = files
        .iter()
        .filter(|f| readers.iter().all(|r| r(&f.bytes).is_some_and(|n| n > 0)))
        .collect();
    let mut out = Vec::with_capacity(min + (4 << 20));
    while out.len() < min && !good.is_empty() {
        for f in &good {
            out.extend_from_slice(&f.bytes);
        }
    }
    out
}

/// One GPX track of at least `min` bytes: the track points of the largest corpus GPX that every
/// reader reads (and that has times), repeated with each copy's times moved on past the end of
/// the one before, so the track stays in time order.
pub fn gpx_track(files: &[File], readers: &[Reader], min: usize) -> Option<(String, Vec<u8>)> {
    let mut cands: Vec<&File> = files
        .iter()
        .filter(|f| f.bytes.windows(6).any(|w| w == b"<time>"))
        .collect();
    cands.sort_by_key(|f| std::cmp::Reverse(f.bytes.len()));
    let src = cands
        .into_iter()
        .find(|f| readers.iter().all(|r| r(&f.bytes).is_some_and(|n| n > 0)))?;
    let text = std::str::from_utf8(&src.bytes).ok()?;
    let first = text.find("<trkpt")?;
    let last = text.rfind("</trkpt>")? + "</trkpt>".len();
    let (head, block, tail) = (&text[..first], &text[first..last], &text[last..]);
    let times = times_in(block);
    let (t0, t1) = (times.first()?.1, times.last()?.1);
    let span = t1 - t0 + Duration::seconds(1);
    let mut out = String::with_capacity(min + block.len() * 2);
    out.push_str(head);
    let mut k = 0;
    while out.len() < min {
        shifted(block, &times, span * k, &mut out);
        k += 1;
    }
    out.push_str(tail);
    Some((src.name.clone(), out.into_bytes()))
}

/// Each `<time>` value in `block`: its byte range and the instant.
fn times_in(block: &str) -> Vec<(std::ops::Range<usize>, DateTime<chrono::FixedOffset>)> {
    let mut v = Vec::new();
    let mut at = 0;
    while let Some(i) = block[at..].find("<time>") {
        let s = at + i + "<time>".len();
        let Some(j) = block[s..].find("</time>") else {
            break;
        };
        let e = s + j;
        if let Ok(t) = DateTime::parse_from_rfc3339(block[s..e].trim()) {
            v.push((s..e, t));
        }
        at = e;
    }
    v
}

/// `block` with every time moved on by `by`, appended to `out`.
fn shifted(
    block: &str,
    times: &[(std::ops::Range<usize>, DateTime<chrono::FixedOffset>)],
    by: Duration,
    out: &mut String,
) {
    let mut at = 0;
    for (r, t) in times {
        out.push_str(&block[at..r.start]);
        out.push_str(&(*t + by).to_rfc3339_opts(SecondsFormat::AutoSi, true));
        at = r.end;
    }
    out.push_str(&block[at..]);
}
