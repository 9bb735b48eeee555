//! A Strava bulk export's `activities.csv`: names, types and gear for the files under
//! `activities/`.

use std::collections::HashMap;
use std::io::{Read, Seek};
use std::path::Path;

/// What `activities.csv` says about one activity file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StravaMeta {
    /// Strava's activity id.
    pub id: Option<String>,
    /// The activity's name ("Morning Run").
    pub name: Option<String>,
    /// Strava's activity type ("Run", "Trail Run", "Ride").
    pub activity_type: Option<String>,
    /// The gear used: for runs, the shoe.
    pub gear: Option<String>,
}

/// The rows of one `activities.csv`, keyed by the `Filename` column.
#[derive(Debug, Default)]
pub struct StravaIndex {
    /// The folder the CSV sits in (files are looked up relative to it).
    base: std::path::PathBuf,
    /// Prefix of the CSV inside a zip (`""` or `export_123/`).
    zip_prefix: String,
    by_file: HashMap<String, StravaMeta>,
    /// What could not be read, once, with its line (`activities.csv: line 3: …`); the rows
    /// that could be read are still used.
    pub problem: Option<String>,
}

fn key(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches("./")
        .to_ascii_lowercase()
}

/// A field's text, trimmed, without control characters (an escape sequence in a gear name
/// would otherwise reach the terminal with every shoe list), or `None` when empty.
/// Texts are cut at [`soleus_formats::MAX_TEXT_CHARS`], as the decoders cut theirs.
fn nonempty(s: Option<&str>) -> Option<String> {
    s.map(|s| {
        s.chars()
            .filter(|c| !crate::output::hostile(*c))
            .take(soleus_formats::MAX_TEXT_CHARS)
            .collect::<String>()
    })
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
}

impl StravaIndex {
    /// Parses an `activities.csv`. Strava repeats some column names (two "Distance" columns);
    /// the first of each name is used. Nothing in the CSV stops an import: a row that cannot
    /// be read (invalid UTF-8, a broken quote) is left out, a CSV without a `Filename` column
    /// gives no metadata, and the first such problem is kept in `problem` with its line.
    pub fn parse(reader: impl Read) -> StravaIndex {
        let mut idx = StravaIndex::default();
        let mut bad_rows = 0u64;
        let mut first_bad: Option<String> = None;
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers = match csv.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                idx.problem = Some(format!(
                    "activities.csv: line 1: cannot read the header row ({}); names, types and \
                     gear from it are not used",
                    csv_reason(&e)
                ));
                return idx;
            }
        };
        let col = |name: &str| {
            headers.iter().position(|h| {
                std::str::from_utf8(h).is_ok_and(|h| h.trim().eq_ignore_ascii_case(name))
            })
        };
        let Some(file_col) = col("Filename") else {
            idx.problem = Some(
                "activities.csv: line 1: no Filename column; names, types and gear from it \
                 are not used"
                    .into(),
            );
            return idx;
        };
        let (id, nm, ty, gear) = (
            col("Activity ID"),
            col("Activity Name"),
            col("Activity Type"),
            col("Activity Gear"),
        );
        let mut rec = csv::ByteRecord::new();
        loop {
            let line = csv.position().line() + 1;
            match csv.read_byte_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                    bad_rows += 1;
                    first_bad.get_or_insert_with(|| format!("line {line}: {}", csv_reason(&e)));
                    if io {
                        break;
                    }
                    continue;
                }
            }
            let line = rec.position().map_or(line, csv::Position::line);
            let text = |c: Option<usize>| -> Result<Option<String>, ()> {
                match c.and_then(|c| rec.get(c)) {
                    None => Ok(None),
                    Some(b) => std::str::from_utf8(b)
                        .map(|s| nonempty(Some(s)))
                        .map_err(|_| ()),
                }
            };
            let fields = (
                text(Some(file_col)),
                text(id),
                text(nm),
                text(ty),
                text(gear),
            );
            let (Ok(file), Ok(id), Ok(name), Ok(ty), Ok(gear)) = fields else {
                bad_rows += 1;
                first_bad.get_or_insert_with(|| format!("line {line}: invalid UTF-8"));
                continue;
            };
            let Some(file) = file else { continue };
            idx.by_file.insert(
                key(&file),
                StravaMeta {
                    id,
                    name,
                    activity_type: ty,
                    gear,
                },
            );
        }
        if let Some(first) = first_bad {
            let more = match bad_rows {
                1 => String::new(),
                n => format!(" ({} more rows like it)", n - 1),
            };
            idx.problem = Some(format!(
                "activities.csv: {first}{more}; that row's name, type and gear are not used"
            ));
        }
        idx
    }

    /// Finds `activities.csv` in a folder or one level below it. A CSV that cannot be opened
    /// gives an index with only its `problem`.
    pub fn find_in_dir(dir: &Path) -> Option<StravaIndex> {
        let mut candidates = vec![dir.to_path_buf()];
        if let Ok(rd) = std::fs::read_dir(dir) {
            let mut subs: Vec<_> = rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            subs.sort();
            candidates.extend(subs);
        }
        for base in candidates {
            let csv = base.join("activities.csv");
            if csv.is_file() {
                let mut idx = match std::fs::File::open(&csv) {
                    Ok(f) => StravaIndex::parse(f),
                    Err(e) => StravaIndex {
                        problem: Some(format!("activities.csv: cannot open: {e}")),
                        ..StravaIndex::default()
                    },
                };
                if let Some(p) = idx.problem.take() {
                    let dir = base.display().to_string();
                    idx.problem = Some(format!("{}/{p}", dir.trim_end_matches('/')));
                }
                idx.base = base;
                return Some(idx);
            }
        }
        None
    }

    /// Finds `activities.csv` at the top of a zip archive (or one folder down). An unreadable
    /// CSV does not stop the import: the activity files still import, only without Strava's
    /// names and gear, and the index's `problem` says what was wrong.
    pub fn find_in_zip<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Option<StravaIndex> {
        let name = zip
            .file_names()
            .filter(|n| {
                let k = key(n);
                k == "activities.csv"
                    || (k.ends_with("/activities.csv") && k.matches('/').count() == 1)
            })
            .min_by_key(|n| n.len())?
            .to_string();
        let prefix = &name[..name.len() - "activities.csv".len()];
        let mut idx = match zip.by_name(&name) {
            // The CSV is read through a bound like every other entry.
            Ok(entry) => StravaIndex::parse(entry.take(super::walk::MAX_ENTRY_BYTES)),
            Err(e) => StravaIndex {
                problem: Some(format!("activities.csv: cannot read the entry: {e}")),
                ..StravaIndex::default()
            },
        };
        if let Some(p) = idx.problem.take() {
            idx.problem = Some(format!("{prefix}{p}"));
        }
        idx.zip_prefix = key(prefix);
        Some(idx)
    }

    /// The metadata for a file found on disk below the export folder.
    pub fn lookup_path(&self, path: &Path) -> Option<StravaMeta> {
        let rel = path.strip_prefix(&self.base).ok()?;
        self.by_file.get(&key(&rel.to_string_lossy())).cloned()
    }

    /// The metadata for a zip entry.
    pub fn lookup_entry(&self, entry: &str) -> Option<StravaMeta> {
        let k = key(entry);
        let rel = k.strip_prefix(&self.zip_prefix)?;
        self.by_file.get(rel).cloned()
    }

    /// How many activities the CSV lists.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.by_file.len()
    }
}

/// A CSV error's reason without the position (the caller names the line).
fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        csv::ErrorKind::UnequalLengths { .. } => "a row with a different number of fields".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_strava_columns_including_repeated_names() {
        let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,\
Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,\
Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance\n\
123,\"Nov 1, 2026, 7:00:00 AM\",Morning Run,Run,,3000,10.0,170,40,false,,Pegasus 40,\
activities/123.fit.gz,70,,3000,2950,10000.0\n\
124,\"Nov 2, 2026, 7:00:00 AM\",Spin,Ride,,3600,30.0,,,false,,,activities/124.gpx.gz,,,,,\n\
125,\"Nov 3, 2026, 7:00:00 AM\",Manual entry,Run,,1800,5.0,,,false,,,,,,,,\n";
        let idx = StravaIndex::parse(csv.as_bytes());
        assert_eq!(idx.problem, None);
        // The manual entry has no file, so it is not indexed.
        assert_eq!(idx.len(), 2);
        let m = idx.lookup_entry("activities/123.fit.gz").unwrap();
        assert_eq!(m.name.as_deref(), Some("Morning Run"));
        assert_eq!(m.gear.as_deref(), Some("Pegasus 40"));
        assert_eq!(m.activity_type.as_deref(), Some("Run"));
        assert_eq!(
            idx.lookup_entry("ACTIVITIES/124.GPX.GZ").unwrap().gear,
            None
        );
        assert!(
            StravaIndex::parse("a,b\n1,2\n".as_bytes())
                .problem
                .is_some_and(|p| p.contains("no Filename column")),
            "no Filename column"
        );
    }
}
