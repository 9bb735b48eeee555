//! Decoder errors: each says whose fault it is and where in the file it happened.

use thiserror::Error;

/// Why a file could not be decoded.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Bad input: the file is valid but holds no activity (a settings, monitoring, course or
    /// workout FIT file, a GPX with only waypoints or routes). Reported as `skipped`.
    #[error("not an activity: {reason}")]
    NotAnActivity {
        /// What the file is instead ("a FIT workout file", "GPX with only waypoints").
        reason: String,
    },
    /// Bad input: the bytes are not FIT, GPX, TCX, gzip or zip.
    #[error("not a FIT, GPX or TCX file: {what}")]
    UnknownFormat {
        /// What the bytes look like instead.
        what: String,
    },
    /// Bad input: a FIT file broken before any usable record.
    #[error("FIT file unreadable at byte {offset}: {what}")]
    Fit {
        /// Byte offset of the problem.
        offset: u64,
        /// What is wrong.
        what: String,
    },
    /// Bad input: XML (GPX or TCX) broken before any usable point.
    #[error("{format} file unreadable at line {line}, column {column}: {what}")]
    Xml {
        /// `GPX` or `TCX`.
        format: &'static str,
        /// 1-based line of the problem.
        line: u64,
        /// 1-based column of the problem.
        column: u64,
        /// What is wrong.
        what: String,
    },
    /// Bad input: a GPX or TCX file whose every point is impossible (coordinates off the
    /// globe), so nothing in it can be imported. Reported as `failed`.
    #[error("{format} file has no usable point: {what}")]
    NoValidPoints {
        /// `GPX` or `TCX`.
        format: &'static str,
        /// What is wrong with the points.
        what: String,
    },
    /// Bad input: gzip data is corrupt.
    #[error("corrupt gzip data: {detail}")]
    Compression {
        /// The decompressor's message.
        detail: String,
    },
    /// A limit: the file would need more than [`crate::Limits`] allows.
    #[error("file exceeds the decoder limit of {} (split it, or raise the limit)", describe(*limit, what))]
    TooLarge {
        /// The limit that was hit.
        limit: usize,
        /// What it counts: `bytes`, `samples in one activity`, `laps`, `activities` …
        what: &'static str,
    },
}

/// A limit with its unit: bytes in MiB, everything else as a count.
fn describe(limit: usize, what: &str) -> String {
    if what == "bytes" {
        format!("{:.0} MiB", limit as f64 / (1024.0 * 1024.0))
    } else {
        format!("{limit} {what}")
    }
}

impl DecodeError {
    /// Whether this outcome is a skip (a valid non-activity file) rather than a failure.
    pub fn is_skip(&self) -> bool {
        matches!(self, DecodeError::NotAnActivity { .. })
    }
}
