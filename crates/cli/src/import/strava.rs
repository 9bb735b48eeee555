//! A Strava bulk export's `activities.csv`: names, types and gear for the files under
//! `activities/`.

use std::collections::HashMap;
use std::io::{Read, Seek};
use std::path::Path;

use anyhow::Context;

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
}

fn key(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches("./")
        .to_ascii_lowercase()
}

fn nonempty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl StravaIndex {
    /// Parses an `activities.csv`. Strava repeats some column names (two "Distance" columns);
    /// the first of each name is used.
    pub fn parse(reader: impl Read) -> anyhow::Result<StravaIndex> {
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers = csv.headers().context("reading the header row")?.clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let file_col = col("Filename").context("activities.csv has no Filename column")?;
        let (id, nm, ty, gear) = (
            col("Activity ID"),
            col("Activity Name"),
            col("Activity Type"),
            col("Activity Gear"),
        );
        let mut by_file = HashMap::new();
        for (i, rec) in csv.records().enumerate() {
            let rec = rec.with_context(|| format!("reading row {}", i + 2))?;
            let Some(file) = nonempty(rec.get(file_col)) else {
                continue;
            };
            let get = |c: Option<usize>| nonempty(c.and_then(|c| rec.get(c)));
            by_file.insert(
                key(&file),
                StravaMeta {
                    id: get(id),
                    name: get(nm),
                    activity_type: get(ty),
                    gear: get(gear),
                },
            );
        }
        Ok(StravaIndex {
            by_file,
            ..StravaIndex::default()
        })
    }

    /// Finds `activities.csv` in a folder or one level below it.
    pub fn find_in_dir(dir: &Path) -> anyhow::Result<Option<StravaIndex>> {
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
                let f = std::fs::File::open(&csv)
                    .with_context(|| format!("opening {}", csv.display()))?;
                let mut idx =
                    StravaIndex::parse(f).with_context(|| format!("reading {}", csv.display()))?;
                idx.base = base;
                return Ok(Some(idx));
            }
        }
        Ok(None)
    }

    /// Finds `activities.csv` at the top of a zip archive (or one folder down). An unreadable
    /// CSV is ignored: the activity files still import, only without Strava's names and gear.
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
        let entry = zip.by_name(&name).ok()?;
        let mut idx = StravaIndex::parse(entry).ok()?;
        idx.zip_prefix = key(&name[..name.len() - "activities.csv".len()]);
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
        let idx = StravaIndex::parse(csv.as_bytes()).unwrap();
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
            StravaIndex::parse("a,b\n1,2\n".as_bytes()).is_err(),
            "no Filename column"
        );
    }
}
