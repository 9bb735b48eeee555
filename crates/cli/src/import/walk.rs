//! Turning the paths a person gives into a stream of candidate files: folders are walked,
//! zip archives (and zips inside zips, as Garmin exports have) are read entry by entry, and a
//! Strava export's `activities.csv` is attached to the files it describes.
//!
//! Memory stays bounded: one entry is in memory at a time, and a zip inside a zip is spilled to
//! a temporary file rather than read whole.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::strava::{StravaIndex, StravaMeta};

/// Deepest nesting of archives inside archives.
const MAX_ZIP_DEPTH: usize = 3;
/// Largest single file or archive entry read into memory.
pub const MAX_ENTRY_BYTES: u64 = 512 * 1024 * 1024;

/// One candidate file.
#[derive(Debug)]
pub struct Item {
    /// How to name it to a person: a path, or `archive.zip!/inner/path`.
    pub name: String,
    /// Its bytes, or why they could not be read.
    pub bytes: Result<Vec<u8>, String>,
    /// What a Strava export's `activities.csv` says about it.
    pub strava: Option<StravaMeta>,
}

/// What a walk found before reading: for the progress bar.
#[derive(Debug, Default, Clone, Copy)]
pub struct Census {
    /// Candidate files.
    pub files: u64,
    /// Their total (compressed, as stored) size.
    pub bytes: u64,
}

/// Whether a name looks like an activity file or a container of them.
fn is_candidate_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".fit", ".gpx", ".tcx", ".gz", ".zip"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Whether the first bytes are a format Soleus reads (for files with odd names).
fn sniffs_as_candidate(path: &Path) -> bool {
    let mut head = [0u8; 512];
    let Ok(mut f) = File::open(path) else {
        return false;
    };
    let n = f.read(&mut head).unwrap_or(0);
    !matches!(
        soleus_formats::sniff(&head[..n]),
        soleus_formats::Format::Unknown
    )
}

/// Lists every file below a folder, sorted for a stable order.
fn walk_dir(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading folder {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk_dir(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// The files a walk will visit, in order, with the Strava export each was found in.
#[derive(Debug)]
pub struct Plan {
    entries: Vec<PlanEntry>,
    /// Counts for the progress bar.
    pub census: Census,
    /// Files in folders that were not activity files (photos, CSV, JSON): not imported.
    pub ignored: u64,
}

#[derive(Debug)]
struct PlanEntry {
    path: PathBuf,
    strava: Option<std::sync::Arc<StravaIndex>>,
}

/// Expands paths into a plan. A folder that cannot be listed is an error naming it.
pub fn plan(paths: &[PathBuf]) -> anyhow::Result<Plan> {
    let mut plan = Plan {
        entries: Vec::new(),
        census: Census::default(),
        ignored: 0,
    };
    for p in paths {
        // A path that cannot be read is that path's failure, not the whole batch's: the
        // visit reports it with the system's reason.
        let Ok(meta) = std::fs::metadata(p) else {
            plan.census.files += 1;
            plan.entries.push(PlanEntry {
                path: p.clone(),
                strava: None,
            });
            continue;
        };
        if meta.is_dir() {
            let strava = StravaIndex::find_in_dir(p)?.map(std::sync::Arc::new);
            let mut files = Vec::new();
            walk_dir(p, &mut files)?;
            for f in files {
                if is_candidate_name(&f.to_string_lossy()) || sniffs_as_candidate(&f) {
                    plan.census.files += 1;
                    plan.census.bytes += std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
                    plan.entries.push(PlanEntry {
                        path: f,
                        strava: strava.clone(),
                    });
                } else {
                    plan.ignored += 1;
                }
            }
        } else {
            plan.census.files += 1;
            plan.census.bytes += meta.len();
            plan.entries.push(PlanEntry {
                path: p.clone(),
                strava: None,
            });
        }
    }
    Ok(plan)
}

impl Plan {
    /// Visits every candidate, calling `visit` with each item in order. Archives are opened
    /// here and their entries visited one at a time.
    pub fn visit(&self, visit: &mut dyn FnMut(Item, u64)) {
        for e in &self.entries {
            let name = e.path.display().to_string();
            let size = std::fs::metadata(&e.path).map(|m| m.len()).unwrap_or(0);
            let strava = e.strava.as_ref().and_then(|idx| idx.lookup_path(&e.path));
            let mut head = [0u8; 4];
            let is_zip = File::open(&e.path)
                .and_then(|mut f| f.read_exact(&mut head))
                .map(|()| &head == b"PK\x03\x04" || &head == b"PK\x05\x06")
                .unwrap_or(false);
            if is_zip {
                match File::open(&e.path) {
                    Ok(f) => visit_zip(f, &name, 0, size, visit),
                    Err(err) => visit(
                        Item {
                            name,
                            bytes: Err(err.to_string()),
                            strava: None,
                        },
                        size,
                    ),
                }
                continue;
            }
            let bytes = read_bounded(&e.path);
            visit(
                Item {
                    name,
                    bytes,
                    strava,
                },
                size,
            );
        }
    }
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let f = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut buf = Vec::new();
    f.take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > MAX_ENTRY_BYTES {
        return Err(format!(
            "larger than {} MB, the most one file may be",
            MAX_ENTRY_BYTES >> 20
        ));
    }
    Ok(buf)
}

/// Visits the entries of a zip archive. `size` is the archive's size, spread over its entries
/// for the progress bar.
fn visit_zip<R: Read + Seek>(
    reader: R,
    name: &str,
    depth: usize,
    size: u64,
    visit: &mut dyn FnMut(Item, u64),
) {
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        Err(e) => {
            let reason = format!("not a readable zip archive: {e}");
            visit(
                Item {
                    name: name.to_string(),
                    bytes: Err(reason),
                    strava: None,
                },
                size,
            );
            return;
        }
    };
    let strava = StravaIndex::find_in_zip(&mut zip);
    let candidates: Vec<usize> = (0..zip.len())
        .filter(|i| {
            zip.by_index_raw(*i)
                .map(|f| f.is_file() && is_candidate_name(f.name()))
                .unwrap_or(false)
        })
        .collect();
    let share = size / (candidates.len().max(1) as u64);
    for i in candidates {
        let (entry_name, bytes) = match zip.by_index(i) {
            Ok(mut f) => {
                let entry_name = f.name().to_string();
                if f.size() > MAX_ENTRY_BYTES {
                    let msg = format!(
                        "entry is {} MB, more than the {} MB limit",
                        f.size() >> 20,
                        MAX_ENTRY_BYTES >> 20
                    );
                    (entry_name, Err(msg))
                } else if entry_name.to_ascii_lowercase().ends_with(".zip") {
                    if depth + 1 >= MAX_ZIP_DEPTH {
                        let msg = "archive nested too deeply".to_string();
                        (entry_name, Err(msg))
                    } else {
                        // Spill the inner archive to a temporary file: zip needs to seek.
                        let inner = format!("{name}!/{entry_name}");
                        match tempfile::tempfile().and_then(|mut t| {
                            std::io::copy(&mut f, &mut t)?;
                            t.rewind()?;
                            Ok(t)
                        }) {
                            Ok(t) => {
                                drop(f);
                                visit_zip(t, &inner, depth + 1, share, visit);
                                continue;
                            }
                            Err(e) => (
                                entry_name,
                                Err(format!("cannot unpack nested archive: {e}")),
                            ),
                        }
                    }
                } else {
                    let mut buf = Vec::with_capacity(f.size() as usize);
                    match f.read_to_end(&mut buf) {
                        Ok(_) => (entry_name, Ok(buf)),
                        Err(e) => (entry_name, Err(format!("cannot decompress entry: {e}"))),
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
            Item {
                name: format!("{name}!/{entry_name}"),
                bytes,
                strava: meta,
            },
            share,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_candidates() {
        assert!(is_candidate_name("a/B.FIT"));
        assert!(is_candidate_name("x.gpx.gz"));
        assert!(is_candidate_name("export.zip"));
        assert!(!is_candidate_name("activities.csv"));
        assert!(!is_candidate_name("photo.jpg"));
    }
}
