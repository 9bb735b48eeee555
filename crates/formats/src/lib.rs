//! Decoders for the files runners' watches and phones write.
//!
//! [`decode`] recognises the format from the bytes (not the file name), undoes gzip, and
//! returns the activities in the file with any warnings about parts it could not read.
//! Decoders stream: they read only the messages and elements Soleus uses, and they never panic
//! on untrusted bytes; [`Limits`] bounds what one file may make them allocate.
//!
//! [`export`] knows the layout of Strava's and Garmin's bulk exports (Strava's
//! `activities.csv` and its names, types and gear), and [`text`] the characters in a file's
//! text that must not reach a terminal.
//!
//! ```
//! let gpx = br#"<?xml version="1.0"?><gpx version="1.1" creator="x"><trk><type>running</type><trkseg>
//!   <trkpt lat="50.0" lon="8.0"><ele>100</ele><time>2026-05-01T07:00:00Z</time></trkpt>
//!   <trkpt lat="50.001" lon="8.0"><ele>101</ele><time>2026-05-01T07:00:30Z</time></trkpt>
//! </trkseg></trk></gpx>"#;
//! let out = soleus_formats::decode(gpx, &soleus_formats::Limits::default()).unwrap();
//! assert_eq!(out.activities.len(), 1);
//! assert_eq!(out.activities[0].sport, soleus_model::Sport::Run);
//! ```

pub mod crc;
pub mod error;
pub mod export;
pub mod fit;
pub mod gpx;
pub mod sniff;
pub mod tcx;
pub mod text;
pub mod write;
mod xml;

pub use error::DecodeError;
pub use sniff::{Format, sniff};

use soleus_model::Activity;

/// Longest text kept from a file (a name, a device's name), in characters; longer ones are cut
/// with a warning.
pub const MAX_TEXT_CHARS: usize = 256;

/// What one file may make a decoder do, so a hostile or broken file cannot exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest decompressed file, bytes.
    pub max_bytes: usize,
    /// Most samples in one activity.
    pub max_samples: usize,
    /// Most laps in one activity.
    pub max_laps: usize,
    /// Most activities (sessions) in one file.
    pub max_activities: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 512 * 1024 * 1024,
            max_samples: 1 << 21,
            max_laps: 100_000,
            max_activities: 1_000,
        }
    }
}

/// The result of decoding one file: its activities, and what could not be read.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    /// The activities in the file (a multisport file has one per session).
    pub activities: Vec<Activity>,
    /// Parts of the file that were skipped, for the person importing it
    /// ("truncated at byte 40 112; imported the first 3 812 records").
    pub warnings: Vec<String>,
    /// The file broke off before its end (truncated, or damaged part-way): its samples may
    /// stop early, so they do not overrule the totals the device wrote.
    pub cut_short: bool,
}

/// Decodes a file whose format is recognised from its content; gzip is undone first.
///
/// Errors: [`DecodeError::NotAnActivity`] for valid files that hold no activity (settings,
/// courses, routes, waypoints), [`DecodeError::UnknownFormat`] for bytes that are none of FIT,
/// GPX or TCX, and the format's own errors for broken files with nothing usable.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    let mut out = decode_format(bytes, limits)?;
    for a in &mut out.activities {
        if let Some((sport, why)) = a.infer_sport() {
            out.warnings.push(format!(
                "the file does not say which sport this is; from its {why} it looks like a {}",
                sport.label().to_lowercase()
            ));
            a.sport = sport;
            a.sport_detail = Some("inferred".into());
            soleus_model::geo::normalise_cadence(&mut a.samples, sport);
            if let Some(c) = a.avg_cadence.filter(|c| sport.is_on_foot() && *c < 120.0) {
                a.avg_cadence = Some(c * 2.0);
            }
        }
        out.warnings.extend(a.make_plausible(!out.cut_short));
        for (what, text) in [
            ("name", &mut a.name),
            ("device name", &mut a.device),
            ("sport name", &mut a.sport_detail),
        ] {
            if let Some(t) = text
                && let Some((cut, _)) = t.char_indices().nth(MAX_TEXT_CHARS)
            {
                t.truncate(cut);
                t.push('…');
                out.warnings.push(format!(
                    "the activity's {what} was cut after {MAX_TEXT_CHARS} characters"
                ));
            }
        }
    }
    Ok(out)
}

fn decode_format(bytes: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    match sniff(bytes) {
        Format::Gzip => {
            let raw = gunzip(bytes, limits.max_bytes)?;
            if sniff(&raw) == Format::Gzip {
                return Err(DecodeError::UnknownFormat {
                    what: "gzip inside gzip".into(),
                });
            }
            decode_format(&raw, limits)
        }
        Format::Fit => fit::decode(bytes, limits),
        Format::Gpx => gpx::decode(bytes, limits),
        Format::Tcx => tcx::decode(bytes, limits),
        Format::Zip => Err(DecodeError::UnknownFormat {
            what: "a zip archive (import it as an archive, not as one activity)".into(),
        }),
        Format::Unknown => Err(DecodeError::UnknownFormat {
            what: sniff::describe(bytes),
        }),
    }
}

/// Decompresses gzip, refusing output larger than `max` bytes.
pub fn gunzip(bytes: &[u8], max: usize) -> Result<Vec<u8>, DecodeError> {
    use std::io::Read;
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(max));
    let mut dec = flate2::read::MultiGzDecoder::new(bytes).take((max as u64).saturating_add(1));
    dec.read_to_end(&mut out)
        .map_err(|e| DecodeError::Compression {
            detail: e.to_string(),
        })?;
    if out.len() > max {
        return Err(DecodeError::TooLarge {
            limit: max,
            what: "bytes",
        });
    }
    Ok(out)
}
