//! Loading the corpus into memory, gzip undone, so the timed loops read only memory.

use std::path::{Path, PathBuf};

/// One corpus file, decompressed.
#[derive(Debug)]
pub struct File {
    /// Path relative to the corpus folder (`fit/x.fit.gz`).
    pub name: String,
    /// The decompressed bytes.
    pub bytes: Vec<u8>,
}

/// Every file of `dir/sub` (not recursive), sorted by name, gzip undone. Files that fail to
/// gunzip are kept as they are: the readers then fail on them, which the tables count.
pub fn load(dir: &Path, sub: &str) -> Vec<File> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let raw = std::fs::read(&p).ok()?;
            let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
                soleus_formats::gunzip(&raw, 1 << 30).unwrap_or(raw)
            } else {
                raw
            };
            let name = format!("{sub}/{}", p.file_name()?.to_string_lossy());
            Some(File { name, bytes })
        })
        .collect()
}

/// Every regular file below `dir`, recursively, with its size (for the import comparison).
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
