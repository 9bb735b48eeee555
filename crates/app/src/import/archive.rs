//! Reading zip archives entry by entry, trusting nothing their headers say: every read stops
//! at the size the header declares and at the limits below, a zip inside a zip (as Garmin
//! exports have) is spilled to a temporary file rather than read whole, and all the archives of
//! one import share one budget of unpacked bytes.

use std::io::{Read, Seek, Write};

use soleus_formats::export::{StravaIndex, is_candidate_name};

use super::walk::{Item, MAX_ENTRY_BYTES};

/// Deepest nesting of archives inside archives.
pub const MAX_ZIP_DEPTH: usize = 3;
/// Largest zip inside a zip, spilled to a temporary file.
pub const MAX_NESTED_ZIP_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Most bytes one import unpacks from archives, nested archives and their entries together.
pub const MAX_UNPACKED_BYTES: u64 = 16 * 1024 * 1024 * 1024;

/// The bytes one import may still unpack from archives.
#[derive(Debug)]
pub(crate) struct Budget {
    left: u64,
    total: u64,
    /// Problems met in archives that are no one entry's (an unreadable `activities.csv`).
    pub notes: Vec<String>,
}

impl Budget {
    /// The whole budget of one import.
    pub fn new() -> Budget {
        Budget {
            left: MAX_UNPACKED_BYTES,
            total: MAX_UNPACKED_BYTES,
            notes: Vec::new(),
        }
    }
}

/// Copies one archive entry into `out`, trusting nothing its header says: at most `declared`
/// bytes (the header's uncompressed size), at most `limit`, and at most what is left of the
/// import's budget. An entry that holds more fails, naming the limit it crossed.
fn unpack_bounded(
    entry: &mut dyn Read,
    declared: u64,
    limit: u64,
    budget: &mut Budget,
    out: &mut dyn Write,
) -> Result<(), String> {
    let mib = |b: u64| b >> 20;
    if declared > limit {
        return Err(format!(
            "entry is {} MiB, more than the {} MiB limit",
            mib(declared),
            mib(limit)
        ));
    }
    if declared > budget.left {
        return Err(format!(
            "unpacking this entry ({} MiB) would pass the {} MiB one import may unpack from \
             archives; import the rest separately",
            mib(declared),
            mib(budget.total)
        ));
    }
    // One byte more than declared, to tell an honest entry from one whose header lies.
    let n = std::io::copy(&mut entry.take(declared.saturating_add(1)), out)
        .map_err(|e| format!("cannot decompress entry: {e}"))?;
    budget.left -= n.min(declared);
    if n > declared {
        return Err(format!(
            "entry unpacks to more than the {declared} bytes its header declares; stopped \
             reading there (a damaged or hostile archive)"
        ));
    }
    Ok(())
}

/// Visits the entries of a zip archive. `size` is the archive's size, spread over its entries
/// for the progress bar.
pub(crate) fn visit_zip<R: Read + Seek>(
    reader: R,
    name: &str,
    depth: usize,
    size: u64,
    budget: &mut Budget,
    visit: &mut dyn FnMut(Item, u64),
) {
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        Err(e) => {
            let reason = format!("not a readable zip archive: {e}");
            visit(Item::read(name.to_string(), Err(reason), None), size);
            return;
        }
    };
    let strava = StravaIndex::find_in_zip(&mut zip, MAX_ENTRY_BYTES);
    if let Some(problem) = strava.as_ref().and_then(|s| s.problem.as_ref()) {
        budget.notes.push(format!("{name}!/{problem}"));
    }
    let candidates: Vec<usize> = (0..zip.len())
        .filter(|i| {
            zip.by_index_raw(*i)
                .map(|f| (f.is_file() || f.is_symlink()) && is_candidate_name(f.name()))
                .unwrap_or(false)
        })
        .collect();
    let share = size / (candidates.len().max(1) as u64);
    for i in candidates {
        let (entry_name, bytes) = match zip.by_index(i) {
            Ok(f) if f.is_symlink() => {
                let why = "a symbolic link inside the archive; not followed".to_string();
                visit(Item::skip(format!("{name}!/{}", f.name()), why), share);
                continue;
            }
            Ok(f) if f.enclosed_name().is_none() => {
                // Nothing is unpacked to disk by name, but a name like this is how an archive
                // attacks an unpacker (zip slip): refused, whatever it holds.
                let why = "its name reaches outside the archive (`..` or an absolute path); \
                           refused"
                    .to_string();
                (f.name().to_string(), Err(why))
            }
            Ok(mut f) => {
                let entry_name = f.name().to_string();
                let declared = f.size();
                if entry_name.to_ascii_lowercase().ends_with(".zip") {
                    if depth + 1 >= MAX_ZIP_DEPTH {
                        let msg = "archive nested too deeply".to_string();
                        (entry_name, Err(msg))
                    } else {
                        // Spill the inner archive to a temporary file: zip needs to seek.
                        let inner = format!("{name}!/{entry_name}");
                        let spilled = tempfile::tempfile()
                            .map_err(|e| format!("cannot unpack nested archive: {e}"))
                            .and_then(|mut t| {
                                unpack_bounded(
                                    &mut f,
                                    declared,
                                    MAX_NESTED_ZIP_BYTES,
                                    budget,
                                    &mut t,
                                )?;
                                t.rewind()
                                    .map_err(|e| format!("cannot unpack nested archive: {e}"))?;
                                Ok(t)
                            });
                        match spilled {
                            Ok(t) => {
                                drop(f);
                                visit_zip(t, &inner, depth + 1, share, budget, visit);
                                continue;
                            }
                            Err(e) => (entry_name, Err(e)),
                        }
                    }
                } else {
                    let mut buf = Vec::new();
                    match unpack_bounded(&mut f, declared, MAX_ENTRY_BYTES, budget, &mut buf) {
                        Ok(()) => (entry_name, Ok(buf)),
                        Err(e) => (entry_name, Err(e)),
                    }
                }
            }
            Err(e) => (
                format!("entry {i}"),
                Err(format!("cannot read zip entry: {e}")),
            ),
        };
        let meta = strava.as_ref().and_then(|s| s.lookup_entry(&entry_name));
        visit(
            Item::read(format!("{name}!/{entry_name}"), bytes, meta),
            share,
        );
    }
}
