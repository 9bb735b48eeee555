//! Turning the paths a person gives into a stream of candidate files: folders are walked,
//! zip archives (and zips inside zips, as Garmin exports have) are read entry by entry, and a
//! Strava export's `activities.csv` is attached to the files it describes.
//!
//! Memory stays bounded: one entry is in memory at a time, and a zip inside a zip is spilled to
//! a temporary file rather than read whole. What an archive's headers claim is never trusted:
//! every read stops at the size the header declares (and at the limits below), so an entry
//! that lies about its size fails instead of filling memory or the disk.
//!
//! Only regular files are read: a FIFO, socket or device is skipped without being opened (it
//! could block the import for ever), and links to folders are not followed unless asked, and
//! then never into a folder already visited.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use soleus_formats::export::{self, StravaIndex, StravaMeta, is_candidate_name};

use super::archive::{Budget, visit_zip};
use crate::Result;

/// Largest single file or archive entry read into memory.
pub const MAX_ENTRY_BYTES: u64 = 512 * 1024 * 1024;

/// One candidate file.
#[derive(Debug)]
pub(crate) struct Item {
    /// How to name it to a person: a path, or `archive.zip!/inner/path`.
    pub name: String,
    /// Its bytes, or why they could not be read.
    pub bytes: Result<Vec<u8>, String>,
    /// What a Strava export's `activities.csv` says about it.
    pub strava: Option<StravaMeta>,
    /// Why it was not read at all (a FIFO, a link not followed): reported as `skipped`.
    pub skipped: Option<String>,
}

impl Item {
    pub(crate) fn read(
        name: String,
        bytes: Result<Vec<u8>, String>,
        strava: Option<StravaMeta>,
    ) -> Item {
        Item {
            name,
            bytes,
            strava,
            skipped: None,
        }
    }

    pub(crate) fn skip(name: String, why: String) -> Item {
        Item {
            name,
            bytes: Err(why.clone()),
            strava: None,
            skipped: Some(why),
        }
    }
}

/// What a walk found before reading: for the progress bar.
#[derive(Debug, Default, Clone, Copy)]
pub struct Census {
    /// Candidate files.
    pub files: u64,
    /// Their total (compressed, as stored) size.
    pub bytes: u64,
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

/// What a path on disk is, without opening it.
enum Kind {
    File,
    Dir,
    /// Not read, with the reason.
    Skip(String),
}

/// Why a file of this type is not read.
fn not_regular(ft: std::fs::FileType) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe), not a regular file; not read".into();
        }
        if ft.is_socket() {
            return "a socket, not a regular file; not read".into();
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device, not a regular file; not read".into();
        }
    }
    let _ = ft;
    "not a regular file; not read".into()
}

/// Classifies a folder entry. Links to files are read as the file; links to folders are
/// followed only with `follow`, and never into a folder already in `seen`.
fn classify(path: &Path, ft: std::fs::FileType, follow: bool, seen: &HashSet<PathBuf>) -> Kind {
    if ft.is_symlink() {
        let Ok(target) = std::fs::metadata(path) else {
            return Kind::Skip("a link to something that does not exist; not read".into());
        };
        if target.is_dir() {
            if !follow {
                return Kind::Skip(
                    "a link to a folder, not followed (import --follow-links follows them)".into(),
                );
            }
            let already = std::fs::canonicalize(path).is_ok_and(|c| seen.contains(&c));
            if already {
                return Kind::Skip(
                    "a link to a folder already visited (a loop); not followed again".into(),
                );
            }
            return Kind::Dir;
        }
        return classify(path, target.file_type(), follow, seen);
    }
    if ft.is_dir() {
        Kind::Dir
    } else if ft.is_file() {
        Kind::File
    } else {
        Kind::Skip(not_regular(ft))
    }
}

/// A file found by the walk, one skipped without reading, or a folder that could not be
/// listed.
struct Found {
    path: PathBuf,
    skip: Option<String>,
    /// Why the folder at `path` could not be listed: reported as that folder's failure.
    fail: Option<String>,
}

/// Lists every file below a folder, sorted for a stable order. `seen` holds the folders
/// visited so far (canonical paths), so no folder is walked twice. A folder that cannot be
/// listed (no permission, a path too long to name) is one failed entry, and the walk goes on
/// with its siblings.
fn walk_dir(dir: &Path, follow: bool, seen: &mut HashSet<PathBuf>, out: &mut Vec<Found>) {
    if let Ok(c) = std::fs::canonicalize(dir)
        && !seen.insert(c)
    {
        return;
    }
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) => {
            out.push(Found {
                path: dir.to_path_buf(),
                skip: None,
                fail: Some(format!("a folder that cannot be read: {e}")),
            });
            return;
        }
    };
    let mut entries: Vec<_> = listing
        .filter_map(std::result::Result::ok)
        .filter_map(|e| Some((e.path(), e.file_type().ok()?)))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (p, ft) in entries {
        match classify(&p, ft, follow, seen) {
            Kind::Dir => walk_dir(&p, follow, seen, out),
            Kind::File => out.push(Found {
                path: p,
                skip: None,
                fail: None,
            }),
            Kind::Skip(why) => out.push(Found {
                path: p,
                skip: Some(why),
                fail: None,
            }),
        }
    }
}

/// Finds a Strava export's `activities.csv` in a folder or one folder below it (where an
/// unpacked export keeps it). A CSV that cannot be opened gives an index with only its
/// `problem`.
fn find_csv_in_dir(dir: &Path) -> Option<StravaIndex> {
    let mut candidates = vec![dir.to_path_buf()];
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut subs: Vec<_> = rd
            .filter_map(std::result::Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        subs.sort();
        candidates.extend(subs);
    }
    let base = candidates
        .into_iter()
        .find(|base| base.join(export::CSV_NAME).is_file())?;
    let idx = match File::open(base.join(export::CSV_NAME)) {
        Ok(f) => StravaIndex::parse(f),
        Err(e) => StravaIndex::unreadable(&format!("cannot open: {e}")),
    };
    Some(idx.in_folder(&base))
}

/// The files a walk will visit, in order, with the Strava export each was found in.
#[derive(Debug)]
pub(crate) struct Plan {
    entries: Vec<PlanEntry>,
    /// Counts for the progress bar.
    pub census: Census,
    /// Files in folders that were not activity files (photos, CSV, JSON): not imported.
    pub ignored: u64,
    /// Problems that are not one file's: an `activities.csv` that could not be read in part.
    pub notes: Vec<String>,
}

#[derive(Debug)]
struct PlanEntry {
    path: PathBuf,
    strava: Option<std::sync::Arc<StravaIndex>>,
    /// Why the entry is reported as skipped without being read.
    skip: Option<String>,
    /// Why the entry (a folder that could not be listed) is reported as failed.
    fail: Option<String>,
}

/// Expands paths into a plan. A path or folder that cannot be read is that entry's failure,
/// not the batch's. Links to folders inside the folders given are followed only with
/// `follow_links`.
pub(crate) fn plan(paths: &[PathBuf], follow_links: bool) -> Plan {
    let mut plan = Plan {
        entries: Vec::new(),
        census: Census::default(),
        ignored: 0,
        notes: Vec::new(),
    };
    let mut seen = HashSet::new();
    for p in paths {
        // A path that cannot be read is that path's failure, not the whole batch's: the
        // visit reports it with the system's reason.
        let Ok(meta) = std::fs::metadata(p) else {
            plan.census.files += 1;
            plan.entries.push(PlanEntry {
                path: p.clone(),
                strava: None,
                skip: None,
                fail: None,
            });
            continue;
        };
        if meta.is_dir() {
            let strava = find_csv_in_dir(p).map(std::sync::Arc::new);
            plan.notes
                .extend(strava.iter().flat_map(|s| s.problem.clone()));
            let mut files = Vec::new();
            walk_dir(p, follow_links, &mut seen, &mut files);
            for f in files {
                if f.skip.is_some() || f.fail.is_some() {
                    plan.census.files += 1;
                    plan.entries.push(PlanEntry {
                        path: f.path,
                        strava: None,
                        skip: f.skip,
                        fail: f.fail,
                    });
                } else if is_candidate_name(&f.path.to_string_lossy())
                    || sniffs_as_candidate(&f.path)
                {
                    plan.census.files += 1;
                    plan.census.bytes += std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0);
                    plan.entries.push(PlanEntry {
                        path: f.path,
                        strava: strava.clone(),
                        skip: None,
                        fail: None,
                    });
                } else {
                    plan.ignored += 1;
                }
            }
        } else {
            plan.census.files += 1;
            let skip = (!meta.is_file()).then(|| not_regular(meta.file_type()));
            if skip.is_none() {
                plan.census.bytes += meta.len();
            }
            plan.entries.push(PlanEntry {
                path: p.clone(),
                strava: None,
                skip,
                fail: None,
            });
        }
    }
    plan
}

impl Plan {
    /// Visits every candidate, calling `visit` with each item in order. Archives are opened
    /// here and their entries visited one at a time, all of them together unpacking at most
    /// [`MAX_UNPACKED_BYTES`](super::limits::MAX_UNPACKED_BYTES). Returns the problems met on the way that are no one file's.
    pub(crate) fn visit(&self, visit: &mut dyn FnMut(Item, u64)) -> Vec<String> {
        let mut budget = Budget::new();
        self.visit_with(&mut budget, visit);
        budget.notes
    }

    fn visit_with(&self, budget: &mut Budget, visit: &mut dyn FnMut(Item, u64)) {
        for e in &self.entries {
            let name = e.path.display().to_string();
            if let Some(why) = &e.skip {
                visit(Item::skip(name, why.clone()), 0);
                continue;
            }
            if let Some(why) = &e.fail {
                visit(Item::read(name, Err(why.clone()), None), 0);
                continue;
            }
            // Checked again: the file may have been replaced by a FIFO since the plan, and
            // opening one would wait for a writer for ever.
            match std::fs::metadata(&e.path) {
                Ok(m) if !m.is_file() => {
                    visit(Item::skip(name, not_regular(m.file_type())), 0);
                    continue;
                }
                _ => {}
            }
            let size = std::fs::metadata(&e.path).map(|m| m.len()).unwrap_or(0);
            let strava = e.strava.as_ref().and_then(|idx| idx.lookup_path(&e.path));
            let mut head = [0u8; 4];
            let is_zip = File::open(&e.path)
                .and_then(|mut f| f.read_exact(&mut head))
                .map(|()| &head == b"PK\x03\x04" || &head == b"PK\x05\x06")
                .unwrap_or(false);
            if is_zip {
                match File::open(&e.path) {
                    Ok(f) => visit_zip(f, &name, 0, size, budget, visit),
                    Err(err) => visit(Item::read(name, Err(err.to_string()), None), size),
                }
                continue;
            }
            let bytes = read_bounded(&e.path);
            visit(Item::read(name, bytes, strava), size);
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
