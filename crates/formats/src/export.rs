//! The layout of the bulk exports Strava and Garmin Connect give a runner.
//!
//! - **Strava** (a zip, often unpacked to a folder): `activities.csv` at the top, or one folder
//!   down (`export_123/activities.csv`), and the original files under `activities/` as
//!   `.fit.gz`, `.gpx.gz` or `.tcx.gz`. The CSV's `Filename` column names each file relative to
//!   the CSV; its `Activity Name`, `Activity Type` and `Activity Gear` columns say what the
//!   runner called the activity on Strava, its corrected type, and the shoe. [`StravaIndex`]
//!   reads it.
//! - **Garmin Connect**: the uploaded originals sit in zips inside the export's zip
//!   (`DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip`), next to JSON
//!   summaries that are not activity files. [`is_candidate_name`] tells the files worth
//!   opening from the rest.
//!
//! Nothing here touches the file system: folders are walked, and archives bounded, by the
//! caller.
//!
//! ```
//! let csv = "Activity ID,Activity Name,Activity Type,Activity Gear,Filename\n\
//!            1,Morning Run,Run,Pegasus 40,activities/1.fit.gz\n";
//! let idx = soleus_formats::export::StravaIndex::parse(csv.as_bytes());
//! let meta = idx.lookup_entry("activities/1.fit.gz").unwrap();
//! assert_eq!(meta.gear.as_deref(), Some("Pegasus 40"));
//! ```

use std::collections::HashMap;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

/// The name of Strava's activity list.
pub const CSV_NAME: &str = "activities.csv";

/// Whether an entry or file name looks like an activity file or a container of them (FIT, GPX,
/// TCX, gzip, zip), whatever its case.
pub fn is_candidate_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".fit", ".gpx", ".tcx", ".gz", ".zip"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

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
    /// The folder the CSV sits in (files on disk are looked up relative to it).
    base: PathBuf,
    /// Prefix of the CSV inside a zip (`""` or `export_123/`), as a key.
    zip_prefix: String,
    by_file: HashMap<String, StravaMeta>,
    /// What could not be read, once, with its line (`activities.csv: line 3: …`); the rows
    /// that could be read are still used.
    pub problem: Option<String>,
}

/// A `Filename` as a key: forward slashes, no leading `./`, lower case (Strava's exports are
/// made on Windows and unpacked anywhere).
fn key(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches("./")
        .to_ascii_lowercase()
}

/// A field's text, trimmed, without control characters (an escape sequence in a gear name
/// would otherwise reach the terminal with every shoe list), or `None` when empty.
/// Texts are cut at [`crate::MAX_TEXT_CHARS`], as the decoders cut theirs.
fn nonempty(s: &str) -> Option<String> {
    let s: String = s
        .chars()
        .filter(|c| !crate::text::hostile(*c))
        .take(crate::MAX_TEXT_CHARS)
        .collect();
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
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
                    "{CSV_NAME}: line 1: cannot read the header row ({}); names, types and \
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
            idx.problem = Some(format!(
                "{CSV_NAME}: line 1: no Filename column; names, types and gear from it are \
                 not used"
            ));
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
                    Some(b) => std::str::from_utf8(b).map(nonempty).map_err(|_| ()),
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
                "{CSV_NAME}: {first}{more}; that row's name, type and gear are not used"
            ));
        }
        idx
    }

    /// An index with no rows, only the reason the CSV could not be read at all
    /// (`"cannot open: …"`).
    pub fn unreadable(why: &str) -> StravaIndex {
        StravaIndex {
            problem: Some(format!("{CSV_NAME}: {why}")),
            ..StravaIndex::default()
        }
    }

    /// The index of the CSV found in the folder `base`: files below it are looked up relative
    /// to it, and its problem names the folder.
    pub fn in_folder(mut self, base: &Path) -> StravaIndex {
        if let Some(p) = self.problem.take() {
            let dir = base.display().to_string();
            self.problem = Some(format!("{}/{p}", dir.trim_end_matches('/')));
        }
        self.base = base.to_path_buf();
        self
    }

    /// Finds `activities.csv` at the top of a zip archive (or one folder down) and reads at
    /// most `max_bytes` of it. An unreadable CSV does not stop the import: the activity files
    /// still import, only without Strava's names and gear, and the index's `problem` says what
    /// was wrong.
    pub fn find_in_zip<R: Read + Seek>(
        zip: &mut zip::ZipArchive<R>,
        max_bytes: u64,
    ) -> Option<StravaIndex> {
        let name = zip
            .file_names()
            .filter(|n| {
                let k = key(n);
                k == CSV_NAME || (k.ends_with("/activities.csv") && k.matches('/').count() == 1)
            })
            .min_by_key(|n| n.len())?
            .to_string();
        let prefix = &name[..name.len() - CSV_NAME.len()];
        let mut idx = match zip.by_name(&name) {
            // The CSV is read through a bound like every other entry.
            Ok(entry) => StravaIndex::parse(entry.take(max_bytes)),
            Err(e) => StravaIndex::unreadable(&format!("cannot read the entry: {e}")),
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

    /// How many activity files the CSV describes.
    pub fn len(&self) -> usize {
        self.by_file.len()
    }

    /// Whether the CSV describes no activity file.
    pub fn is_empty(&self) -> bool {
        self.by_file.is_empty()
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
    use std::io::Write;

    /// The first columns of a real Strava `activities.csv` header, in Strava's order: the
    /// repeated "Elapsed Time" and "Distance" are Strava's own.
    const HEADER: &str = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,\
Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,\
Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance\n";

    fn zip_of(entries: &[(&str, &[u8])]) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            z.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(bytes).unwrap();
        }
        zip::ZipArchive::new(z.finish().unwrap()).unwrap()
    }

    #[test]
    fn reads_strava_columns_including_repeated_names() {
        let csv = format!(
            "{HEADER}\
123,\"Nov 1, 2026, 7:00:00 AM\",Morning Run,Run,,3000,10.0,170,40,false,,Pegasus 40,\
activities/123.fit.gz,70,,3000,2950,10000.0\n\
124,\"Nov 2, 2026, 7:00:00 AM\",Spin,Ride,,3600,30.0,,,false,,,activities/124.gpx.gz,,,,,\n\
125,\"Nov 3, 2026, 7:00:00 AM\",Manual entry,Run,,1800,5.0,,,false,,,,,,,,\n"
        );
        let idx = StravaIndex::parse(csv.as_bytes());
        assert_eq!(idx.problem, None);
        // The manual entry has no file, so it is not indexed.
        assert_eq!(idx.len(), 2);
        let m = idx.lookup_entry("activities/123.fit.gz").unwrap();
        assert_eq!(m.id.as_deref(), Some("123"));
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

    #[test]
    fn a_bad_row_is_reported_once_with_its_line_and_the_rest_are_kept() {
        // Line 1 the header, line 2 good, lines 3 and 4 carry bytes that are not UTF-8 (0xff
        // never occurs in UTF-8, RFC 3629 §1), line 5 good.
        let mut csv =
            b"Activity Name,Activity Gear,Filename\nEasy,Pegasus 40,activities/1.fit\n".to_vec();
        csv.extend_from_slice(b"Bad \xff,Gear,activities/2.fit\nAlso bad,\xff,activities/3.fit\n");
        csv.extend_from_slice(b"Long,Altra,activities/4.fit\n");
        let idx = StravaIndex::parse(csv.as_slice());
        assert_eq!(
            idx.problem.as_deref(),
            Some(
                "activities.csv: line 3: invalid UTF-8 (1 more rows like it); that row's name, \
                 type and gear are not used"
            )
        );
        assert_eq!(idx.len(), 2);
        assert_eq!(
            idx.lookup_entry("activities/4.fit")
                .unwrap()
                .gear
                .as_deref(),
            Some("Altra")
        );
    }

    #[test]
    fn gear_names_lose_terminal_escapes_and_are_cut_like_decoded_names() {
        let long = "x".repeat(crate::MAX_TEXT_CHARS + 10);
        let csv = format!(
            "Activity Gear,Activity Name,Filename\n\"  Peg\u{1b}[31masus\u{202e} \",{long},a.fit\n"
        );
        let m = StravaIndex::parse(csv.as_bytes())
            .lookup_entry("a.fit")
            .unwrap();
        assert_eq!(m.gear.as_deref(), Some("Peg[31masus"));
        assert_eq!(
            m.name.map(|n| n.chars().count()),
            Some(crate::MAX_TEXT_CHARS)
        );
    }

    #[test]
    fn the_csv_is_found_one_folder_down_in_a_zip_and_entries_are_relative_to_it() {
        let csv = "Activity Name,Filename\nHills,activities/7.fit.gz\n";
        let mut z = zip_of(&[
            ("export_99/activities/7.fit.gz", b"not read here"),
            ("export_99/activities.csv", csv.as_bytes()),
            (
                "export_99/deeper/x/activities.csv",
                b"Filename\nwrong.fit\n",
            ),
        ]);
        let idx = StravaIndex::find_in_zip(&mut z, 1 << 20).unwrap();
        assert_eq!(idx.len(), 1);
        let m = idx.lookup_entry("export_99/activities/7.fit.gz").unwrap();
        assert_eq!(m.name.as_deref(), Some("Hills"));
        // An entry outside the CSV's folder is not described by it.
        assert_eq!(idx.lookup_entry("activities/7.fit.gz"), None);
        // A zip without the CSV (a Garmin export) has no index.
        let mut garmin = zip_of(&[("DI_CONNECT/x.json", b"[]")]);
        assert!(StravaIndex::find_in_zip(&mut garmin, 1 << 20).is_none());
    }

    #[test]
    fn a_csv_read_past_its_bound_is_cut_and_a_folder_names_its_problem() {
        // The header is 14 bytes and the first row 8: a bound of 22 bytes stops before the
        // second row, which is not read.
        let csv = "Name,Filename\nA,a.fit\nB,b.fit\n";
        let mut z = zip_of(&[("activities.csv", csv.as_bytes())]);
        let idx = StravaIndex::find_in_zip(&mut z, 22).unwrap();
        assert!(idx.lookup_entry("a.fit").is_some());
        assert!(idx.lookup_entry("b.fit").is_none());
        let idx = StravaIndex::unreadable("cannot open: denied").in_folder(Path::new("/e/"));
        assert_eq!(
            idx.problem.as_deref(),
            Some("/e/activities.csv: cannot open: denied")
        );
        let idx = StravaIndex::parse("Filename\nactivities/1.fit\n".as_bytes())
            .in_folder(Path::new("/e"));
        assert!(idx.lookup_path(Path::new("/e/activities/1.fit")).is_some());
        assert!(idx.lookup_path(Path::new("/f/activities/1.fit")).is_none());
    }

    #[test]
    fn names_that_are_candidates() {
        assert!(is_candidate_name("a/B.FIT"));
        assert!(is_candidate_name("x.gpx.gz"));
        assert!(is_candidate_name("export.zip"));
        assert!(!is_candidate_name("activities.csv"));
        assert!(!is_candidate_name("photo.jpg"));
    }
}
