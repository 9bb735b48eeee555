//! The FIT decoder: Garmin's binary activity format, written by most watches, bike computers
//! and apps.
//!
//! [`decode`] streams through the file once, reading only the messages Soleus uses
//! (`file_id`, `device_info`, `sport`, `session`, `lap`, `record`, `activity`) and skipping the
//! rest by length. Broken files keep what is valid, as Garmin Connect does: a truncated file, a
//! CRC mismatch, a wrong data size or an undefined local message imports what was read before
//! the problem, with a warning that says where.

mod assemble;
mod collect;
mod fields;
mod names;
mod reader;
#[cfg(test)]
mod tests;

use crate::{DecodeError, Decoded, Limits};

/// Decodes a FIT file (one or more chained FIT sections) into one activity per session.
///
/// Errors: [`DecodeError::NotAnActivity`] for settings, workout, course, monitoring and other
/// non-activity files; [`DecodeError::Fit`] when nothing usable comes before the file breaks;
/// [`DecodeError::TooLarge`] when the file holds more records, laps or sessions than `limits`
/// allow. Records count per activity (from the section's start or the previous session
/// message); the whole file may hold [`collect::FILE_SAMPLES_FACTOR`] times `max_samples`.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    if bytes.len() > limits.max_bytes {
        return Err(DecodeError::TooLarge {
            limit: limits.max_bytes,
            what: "bytes",
        });
    }
    if bytes.is_empty() {
        return Err(DecodeError::Fit {
            offset: 0,
            what: "the file is empty (0 bytes); copy it from the device again".into(),
        });
    }
    let mut c = collect::Collector::new(limits);
    // A record with a few fields takes some 20–40 bytes; reserving for half the file's worth
    // saves most of the vector's regrowth copies without over-reserving much.
    c.records.reserve(
        (bytes.len() / 48).min(
            limits
                .max_samples
                .saturating_mul(collect::FILE_SAMPLES_FACTOR),
        ),
    );
    reader::read(bytes, &mut c)?;
    assemble::build(c)
}
