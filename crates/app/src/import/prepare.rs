//! The CPU work of an import, done on the reader's thread so the importer only stores: each
//! file is hashed first, and only a file whose hash is not stored yet is decoded, given what
//! Strava's CSV says, summarised for the load engine, and packed and encoded for the store.

use std::collections::HashSet;

use sha2::{Digest, Sha256};
use soleus_formats::export::StravaMeta;
use soleus_formats::{DecodeError, Decoded, Format, Limits};
use soleus_model::load::{HrProfile, RunSummary};
use soleus_model::{Activity, Sport};
use soleus_store::NewFile;

use super::walk;

/// A file's SHA-256.
pub(crate) type Digest32 = [u8; 32];

/// A file read and decoded by the worker thread.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub name: String,
    pub size: u64,
    pub bytes: Result<Vec<u8>, String>,
    pub sha256: String,
    pub format: Format,
    pub decoded: Option<Result<Decoded, DecodeError>>,
    /// One load summary per decoded activity, computed here on the worker thread.
    pub summaries: Vec<RunSummary>,
    /// The original packed for storage, and each activity's samples encoded (worker thread).
    pub packed: Option<soleus_store::Packed>,
    pub encoded: Vec<Vec<u8>>,
    pub strava: Option<StravaMeta>,
    /// Why the walk did not read it (a FIFO, a link not followed).
    pub skipped: Option<String>,
    /// Its hash was stored already (or came earlier in this batch): not decoded, because it
    /// is most likely a duplicate; the importer decodes it after all if the store disagrees.
    pub known: bool,
}

/// Reads and hashes one file and, unless its hash is in `known`, decodes it, applies what
/// Strava's CSV says, and computes the load summaries: all the CPU work, done on the worker
/// thread so the importer only stores. Adds the hash to `known`. (The import itself calls
/// [`hashed`] and decodes on the pool's threads.)
#[cfg(test)]
pub(crate) fn prepare(
    item: walk::Item,
    size: u64,
    hr: Option<&HrProfile>,
    known: &mut HashSet<Digest32>,
) -> Prepared {
    let mut p = hashed(item, size, known);
    if p.needs_decoding() {
        p.decode(hr);
    }
    p
}

/// Reads and hashes one file, and tells from `known` whether it was seen before (adding its
/// hash): the part of [`prepare`] that must run in the files' order. Decoding is left to
/// the caller, which may do it on another thread.
pub(crate) fn hashed(item: walk::Item, size: u64, known: &mut HashSet<Digest32>) -> Prepared {
    let walk::Item {
        name,
        bytes,
        strava,
        skipped,
    } = item;
    let mut p = Prepared {
        name,
        size,
        bytes,
        sha256: String::new(),
        format: Format::Unknown,
        decoded: None,
        summaries: Vec::new(),
        packed: None,
        encoded: Vec::new(),
        strava,
        skipped,
        known: false,
    };
    let Ok(raw) = &p.bytes else {
        return p;
    };
    let digest: Digest32 = Sha256::digest(raw).into();
    p.sha256 = hex(&digest);
    p.known = !known.insert(digest);
    p
}

impl Prepared {
    /// Whether the file was read and its hash is new, so it is worth decoding.
    pub fn needs_decoding(&self) -> bool {
        self.bytes.is_ok() && !self.known && self.decoded.is_none()
    }

    /// Decodes the file and does what the store would otherwise do on the importer's task:
    /// the load summaries, the samples' encoding and the original's packing.
    pub fn decode(&mut self, hr: Option<&HrProfile>) {
        let Ok(raw) = &self.bytes else {
            return;
        };
        let name = &self.name;
        let mut format = soleus_formats::sniff(raw);
        if format == Format::Gzip {
            // Name the format inside, for the store.
            let lower = name.to_ascii_lowercase();
            format = [
                (".fit.gz", Format::Fit),
                (".gpx.gz", Format::Gpx),
                (".tcx.gz", Format::Tcx),
            ]
            .iter()
            .find(|(ext, _)| lower.ends_with(ext))
            .map_or(Format::Gzip, |(_, f)| *f);
        }
        self.format = format;
        let mut decoded = soleus_formats::decode(raw, &Limits::default());
        if let Ok(d) = &mut decoded {
            for a in &mut d.activities {
                apply_strava(a, self.strava.as_ref());
                sanitise(a);
                self.summaries.push(RunSummary::from_activity(a, hr));
            }
            // An error here is left for the save to report.
            self.encoded = d
                .activities
                .iter()
                .map(|a| soleus_store::codec::encode(&a.samples))
                .collect::<Result<_, _>>()
                .unwrap_or_default();
            let file = NewFile {
                name,
                sha256: &self.sha256,
                format: "",
                bytes: raw,
                packed: None,
            };
            self.packed = soleus_store::pack(&file).ok();
        }
        self.decoded = Some(decoded);
    }

    /// About how much memory the prepared file holds: its bytes, their packed copy, and the
    /// decoded samples with their encoding.
    pub fn weight(&self) -> u64 {
        let raw = self.bytes.as_ref().map_or(0, Vec::len);
        let packed = self.packed.as_ref().map_or(0, |_| raw);
        let encoded: usize = self.encoded.iter().map(Vec::len).sum();
        let samples: usize = match &self.decoded {
            Some(Ok(d)) => d.activities.iter().map(|a| a.samples.len()).sum(),
            _ => 0,
        };
        (raw + packed + encoded + samples * std::mem::size_of::<soleus_model::Sample>()) as u64
    }
}

/// Lower-case hex, as the store keeps hashes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored hash back to its bytes; `None` for anything that is not 64 hex digits.
pub(crate) fn unhex(s: &str) -> Option<Digest32> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *o = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// The store's name for a file's format.
pub(crate) fn format_name(f: Format) -> &'static str {
    match f {
        Format::Fit => "fit",
        Format::Gpx => "gpx",
        Format::Tcx => "tcx",
        _ => "unknown",
    }
}

/// Strava's own name, type and gear win over what the file says: the runner may have renamed
/// the activity or corrected its type on Strava.
fn apply_strava(a: &mut Activity, meta: Option<&StravaMeta>) {
    let Some(m) = meta else { return };
    if let Some(name) = &m.name {
        a.name = Some(name.clone());
    }
    if let Some(t) = &m.activity_type {
        let sport = Sport::from_name(t);
        if sport != Sport::Other || a.sport == Sport::Other {
            a.sport = sport;
        }
    }
}

/// Control characters (a NUL in a device name) are refused by PostgreSQL text columns, and
/// they and bidirectional overrides would reach the terminal with every table.
fn sanitise(a: &mut Activity) {
    for s in [&mut a.name, &mut a.device, &mut a.sport_detail]
        .into_iter()
        .flatten()
    {
        if let std::borrow::Cow::Owned(clean) = soleus_formats::text::without_hostile(s) {
            *s = clean;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A file as the walk gives it.
    pub(crate) fn item(bytes: &[u8]) -> walk::Item {
        walk::Item {
            name: "tempo.fit".into(),
            bytes: Ok(bytes.to_vec()),
            strava: None,
            skipped: None,
        }
    }

    /// A tempo run from the samples.
    pub(crate) fn sample() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/2026-08-27-1830-tempo-run.fit"
        );
        std::fs::read(path).unwrap()
    }

    #[test]
    fn a_file_seen_before_is_hashed_but_not_decoded() {
        let bytes = sample();
        let mut known = HashSet::new();
        let first = prepare(item(&bytes), 0, None, &mut known);
        assert!(!first.known);
        assert!(matches!(first.decoded, Some(Ok(_))) && first.packed.is_some());
        let again = prepare(item(&bytes), 0, None, &mut known);
        assert!(again.known && again.decoded.is_none() && again.packed.is_none());
        assert!(again.encoded.is_empty() && again.summaries.is_empty());
        assert_eq!(again.sha256, first.sha256);
        assert_eq!(unhex(&first.sha256).map(|d| hex(&d)), Some(first.sha256));
        assert_eq!(unhex("abc"), None);
    }

    #[test]
    fn strava_names_and_types_win_and_hostile_characters_go() {
        let mut a = soleus_formats::decode(&sample(), &Limits::default())
            .unwrap()
            .activities
            .remove(0);
        let meta = StravaMeta {
            name: Some("Tempo \u{1b}[2Jon the track".into()),
            activity_type: Some("Trail Run".into()),
            ..StravaMeta::default()
        };
        apply_strava(&mut a, Some(&meta));
        sanitise(&mut a);
        assert_eq!(a.name.as_deref(), Some("Tempo [2Jon the track"));
        assert_eq!(a.sport, Sport::TrailRun);
        // A type Soleus does not know keeps the file's own sport.
        let before = a.sport;
        apply_strava(
            &mut a,
            Some(&StravaMeta {
                activity_type: Some("Kitesurf".into()),
                ..StravaMeta::default()
            }),
        );
        assert_eq!(a.sport, before);
    }
}
