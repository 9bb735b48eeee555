//! The import use case called directly, as the CLI and a web upload call it: real device files
//! from the shared corpus (`../shared/corpus`, described in its SOURCES.md) and the project's
//! samples, a fresh SQLite file per test. Each expected value says where it comes from.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use soleus_app::App;
use soleus_app::import::{
    Census, FileReport, ImportOptions, ImportProgress, ImportReport, ImportStatus, NoProgress,
    Outcome,
};
use soleus_app::reparse::ReparseOutcome;
use soleus_model::Sport;

/// The Garmin fenix2 run of python-fitparse's test files (SOURCES.md: "Garmin: garmin fenix2",
/// no tags). Its session message, read with an independent FIT reader (the fitparser crate):
/// start 2015-08-15 14:45:08 UTC, sport running, total_distance 9008.22 m,
/// total_elapsed_time 2832 s, total_ascent 64 m.
const FENIX2: &str = "fit/pyfitparse__activity-small-fenix2-run.fit";
/// The Garmin fenix 5 run of python-fitparse's test files. Its session message (fitparser):
/// start 2017-06-11 14:34:09 UTC, running, 157.56 m, 56.887 s, avg_heart_rate 90 bpm,
/// max_heart_rate 112 bpm.
const FENIX5: &str = "fit/pyfitparse__garmin-fenix-5-run.fit";
/// A file of zero bytes (SOURCES.md tags it `empty-file`).
const EMPTY: &str = "fit/sportslib__empty-sessions.fit";

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: corpus not found at {}", dir.display());
        None
    }
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

async fn fresh(dir: &tempfile::TempDir) -> App {
    App::open(&format!("sqlite://{}", dir.path().join("t.db").display()))
        .await
        .unwrap()
}

async fn import(app: &App, paths: &[PathBuf]) -> ImportReport {
    app.import(paths, &ImportOptions::default(), &mut NoProgress)
        .await
        .unwrap()
}

fn close(a: Option<f64>, b: f64, tol: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= tol)
}

#[tokio::test]
async fn a_corpus_run_is_stored_with_its_device_totals_and_a_second_copy_is_a_duplicate() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let app = fresh(&dir).await;
    let file = corpus.join(FENIX2);
    let r = import(&app, std::slice::from_ref(&file)).await;
    assert_eq!((r.imported, r.duplicate, r.skipped, r.failed), (1, 0, 0, 0));
    assert_eq!(r.status(), ImportStatus::Complete);
    let rows = app.store().list_activities().await.unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(r.files[0].activity_ids, vec![row.id]);
    // The session message's own totals (see FENIX2).
    assert_eq!(row.sport, Sport::Run);
    assert_eq!(
        row.start,
        Utc.with_ymd_and_hms(2015, 8, 15, 14, 45, 8).unwrap()
    );
    assert!(close(row.distance_m, 9008.22, 0.01), "{:?}", row.distance_m);
    assert!(close(row.elapsed_s, 2832.0, 0.5), "{:?}", row.elapsed_s);
    assert!(close(row.ascent_m, 64.0, 0.5), "{:?}", row.ascent_m);
    assert_eq!(row.totals_source, "device");

    // The same bytes under another name: known by their hash, nothing stored.
    let copy = dir.path().join("copy-of-the-run.fit");
    std::fs::copy(&file, &copy).unwrap();
    let again = import(&app, std::slice::from_ref(&copy)).await;
    assert_eq!((again.imported, again.duplicate), (0, 1));
    let f = &again.files[0];
    assert_eq!(f.outcome, Outcome::Duplicate);
    assert!(
        f.reason
            .as_deref()
            .unwrap()
            .starts_with(&format!("the same file as {}", file.display())),
        "{f:?}"
    );
    // The same run in other bytes (gzipped): recognised by its time span and distance; the
    // file is kept as the duplicate's, the activity is not stored twice.
    let gz = dir.path().join("the-run.fit.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&std::fs::read(&file).unwrap()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let run = import(&app, std::slice::from_ref(&gz)).await;
    assert_eq!((run.imported, run.duplicate), (0, 1), "{run:?}");
    assert_eq!(run.files[0].activity_id, Some(row.id));
    assert!(
        run.files[0]
            .reason
            .as_deref()
            .unwrap()
            .contains(&format!("the same run as activity {}", row.id)),
        "{run:?}"
    );
    assert_eq!(app.store().list_activities().await.unwrap().len(), 1);
    let files = app.store().files().await.unwrap();
    assert_eq!(files.len(), 2, "the original and the gzipped copy are kept");
    assert_eq!(files[1].duplicate_of, Some(row.id));
}

#[tokio::test]
async fn one_bad_file_fails_alone_and_the_rest_of_the_batch_is_stored() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let app = fresh(&dir).await;
    let paths = [corpus.join(FENIX2), corpus.join(EMPTY), corpus.join(FENIX5)];
    let r = import(&app, &paths).await;
    assert_eq!((r.imported, r.failed, r.files.len()), (2, 1, 3), "{r:?}");
    assert_eq!(r.status(), ImportStatus::SomeFailed);
    let bad = &r.files[1];
    assert_eq!(bad.outcome, Outcome::Failed);
    assert!(
        bad.reason.as_deref().unwrap().contains("the file is empty"),
        "{bad:?}"
    );
    assert!(bad.activity_ids.is_empty() && bad.activity_id.is_none());
    let rows = app.store().list_activities().await.unwrap();
    assert_eq!(rows.len(), 2);
    // Newest first: the fenix 5 run of 2017 (see FENIX5), then the fenix2 run of 2015.
    let f5 = &rows[0];
    assert_eq!(
        f5.start,
        Utc.with_ymd_and_hms(2017, 6, 11, 14, 34, 9).unwrap()
    );
    assert!(close(f5.distance_m, 157.56, 0.01), "{:?}", f5.distance_m);
    assert!(close(f5.elapsed_s, 56.887, 0.01), "{:?}", f5.elapsed_s);
    assert_eq!((f5.avg_hr, f5.max_hr), (Some(90), Some(112)));
    assert!(close(rows[1].distance_m, 9008.22, 0.01));
    let files = app.store().files().await.unwrap();
    assert_eq!(files.len(), 2, "nothing of the bad file is stored");
}

#[tokio::test]
async fn a_strava_zip_gives_names_and_shoes_and_a_bad_csv_row_is_said_once() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let app = fresh(&dir).await;
    // A Strava export as Strava zips it: a top folder with activities.csv and the files under
    // activities/. Line 3 of the CSV has a byte that is never UTF-8 (0xff, RFC 3629 §1).
    let mut csv = b"Activity ID,Activity Name,Activity Type,Activity Gear,Filename\n\
1,Saturday long run,Run,Pegasus 40,activities/1.fit\n"
        .to_vec();
    csv.extend_from_slice(b"2,Bad \xff,Run,Altra,activities/2.fit\n");
    let zpath = dir.path().join("export.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zpath).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        ("export_7/activities.csv", csv),
        (
            "export_7/activities/1.fit",
            std::fs::read(corpus.join(FENIX2)).unwrap(),
        ),
        (
            "export_7/activities/2.fit",
            std::fs::read(corpus.join(FENIX5)).unwrap(),
        ),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(&bytes).unwrap();
    }
    z.finish().unwrap();
    let r = import(&app, std::slice::from_ref(&zpath)).await;
    assert_eq!((r.imported, r.failed), (2, 0), "{r:?}");
    assert_eq!(
        r.warnings,
        vec![format!(
            "{}!/export_7/activities.csv: line 3: invalid UTF-8; that row's name, type and \
             gear are not used",
            zpath.display()
        )]
    );
    assert_eq!(
        r.files[0].path,
        format!("{}!/export_7/activities/1.fit", zpath.display())
    );
    let rows = app.store().list_activities().await.unwrap();
    // The fenix2 run (started 2015-08-15, see FENIX2) is the CSV's first row.
    let long = rows
        .iter()
        .find(|r| r.start.date_naive().to_string() == "2015-08-15")
        .unwrap();
    assert_eq!(long.name.as_deref(), Some("Saturday long run"));
    assert_eq!(long.shoe.as_deref(), Some("Pegasus 40"));
    let other = rows.iter().find(|r| r.id != long.id).unwrap();
    assert_eq!(other.shoe, None, "its row was the unreadable one");
}

/// What a front end hears.
#[derive(Debug, Default)]
struct Heard {
    census: Option<Census>,
    read: Vec<String>,
    bytes: u64,
    done: Vec<Outcome>,
}

impl ImportProgress for Heard {
    fn planned(&mut self, census: Census) {
        self.census = Some(census);
    }
    fn reading(&mut self, bytes: u64, name: &str) {
        self.bytes += bytes;
        self.read.push(name.to_string());
    }
    fn done(&mut self, file: &FileReport) {
        self.done.push(file.outcome);
    }
}

/// The import's future may move between threads, as a web server's handlers do.
fn assert_send<F: std::future::Future + Send>(f: F) -> F {
    f
}

#[tokio::test]
async fn progress_hears_every_file_and_reparse_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let app = fresh(&dir).await;
    let mut heard = Heard::default();
    let (paths, options) = ([samples()], ImportOptions::default());
    let r = assert_send(app.import(&paths, &options, &mut heard))
        .await
        .unwrap();
    let census = heard.census.unwrap();
    // Every file the walk counted is heard once, in the report's order, and the bytes heard
    // add up to the census's (no archive here shares its size among entries).
    assert_eq!(census.files, r.files.len() as u64);
    let names: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(heard.read, names);
    assert_eq!(heard.bytes, census.bytes);
    assert_eq!(heard.done.len(), r.files.len());
    assert_eq!(r.status(), ImportStatus::Complete);
    let before = app.store().list_activities().await.unwrap();
    assert_eq!(before.len() as u64, r.imported);

    let re = app.reparse().await.unwrap();
    assert_eq!(re.failed, 0);
    assert!(
        re.files
            .iter()
            .all(|f| f.outcome == ReparseOutcome::Reparsed)
    );
    let after = app.store().list_activities().await.unwrap();
    assert_eq!(before, after, "same decoders, same files: the same rows");
}

#[tokio::test]
async fn nothing_that_exists_is_bad_input_naming_the_paths() {
    let dir = tempfile::tempdir().unwrap();
    let app = fresh(&dir).await;
    let err = app
        .import(
            &[PathBuf::from("/no/such/run.fit")],
            &ImportOptions::default(),
            &mut NoProgress,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, soleus_app::AppError::Invalid { field: "paths", .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "nothing was imported: /no/such/run.fit does not exist; check the path"
    );
}

/// A 30-min run north at 3 m/s from (50, 8), one sample a second with heart rate, written with
/// the project's FIT writer; `every` keeps one sample in that many and `hr` keeps the heart
/// rate, to make a poorer copy of the same run.
fn run_fit(every: usize, hr: bool) -> Vec<u8> {
    let start = Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap();
    let mut a = soleus_model::Activity::new(Sport::Run, start);
    a.samples = (0..=1800u32)
        .step_by(every)
        .map(|i| soleus_model::Sample {
            t: f64::from(i),
            lat: Some(50.0 + 3.0 * f64::from(i) / 111_229.0),
            lon: Some(8.0),
            dist: Some(3.0 * f64::from(i)),
            speed: Some(3.0),
            hr: hr.then_some(140),
            ..soleus_model::Sample::default()
        })
        .collect();
    a.distance_m = Some(5400.0);
    a.elapsed_s = Some(1800.0);
    a.moving_s = Some(1800.0);
    soleus_formats::write::fit(&a)
}

/// The run of [`run_fit`] chained to a copy of itself whose CRC is wrong.
fn chained_copies() -> Vec<u8> {
    let mut bytes = run_fit(1, true);
    let mut copy = bytes.clone();
    let n = copy.len();
    copy[n - 1] ^= 0xff;
    bytes.extend(copy);
    bytes
}

#[tokio::test]
async fn two_chained_copies_of_one_run_are_one_activity_whatever_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (chained, short) = (dir.path().join("chained.fit"), dir.path().join("short.fit"));
    std::fs::write(&chained, chained_copies()).unwrap();
    // Every 10th sample and no heart rate: a poorer copy of the same run.
    std::fs::write(&short, run_fit(10, false)).unwrap();

    // Alone: one activity (before, the two copies were stored as two), with the CRC warning.
    let db = tempfile::tempdir().unwrap();
    let app = fresh(&db).await;
    let r = import(&app, std::slice::from_ref(&chained)).await;
    assert_eq!((r.imported, r.failed), (1, 0), "{r:?}");
    assert_eq!(r.files[0].activity_ids.len(), 1, "{r:?}");
    assert!(
        r.files[0].warnings.iter().any(|w| w.contains("CRC")),
        "{r:?}"
    );
    assert_eq!(app.store().list_activities().await.unwrap().len(), 1);

    // After the poorer copy was stored: it is replaced once. Before, both copies tried to
    // replace it and the file failed with "activity N does not exist".
    let db = tempfile::tempdir().unwrap();
    let app = fresh(&db).await;
    let first = import(&app, std::slice::from_ref(&short)).await;
    let short_id = first.files[0].activity_id.unwrap();
    let r = import(&app, std::slice::from_ref(&chained)).await;
    assert_eq!((r.imported, r.failed), (1, 0), "{r:?}");
    let rows = app.store().list_activities().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].id, short_id, "the richer copy is kept");

    // Both in one batch: the poorer copy's report names the activity kept (it said
    // "activity 0").
    let db = tempfile::tempdir().unwrap();
    let app = fresh(&db).await;
    let r = import(&app, &[short.clone(), chained.clone()]).await;
    assert_eq!((r.imported, r.duplicate, r.failed), (1, 1, 0), "{r:?}");
    let kept = r.files[1].activity_id.unwrap();
    assert_eq!(r.files[0].activity_id, Some(kept));
    let reason = r.files[0].reason.as_deref().unwrap();
    assert!(reason.contains(&format!("(activity {kept})")), "{reason}");
}

/// Builds `base/a/<17 folders of 240 characters>`, a folder whose full name is longer than
/// Linux's PATH_MAX (4,096 bytes, `limits.h`): listing it fails with "File name too long"
/// whoever runs the test (root reads a folder of mode 000, so permissions cannot show this).
/// Each folder is made at a short path and moved into the next, so no call names a long path.
#[cfg(target_os = "linux")]
fn too_deep_to_list(base: &Path) {
    let mut inner: Option<PathBuf> = None;
    for level in 0..17 {
        let name = format!("{level:02}{}", "x".repeat(238));
        let here = base.join(&name);
        std::fs::create_dir(&here).unwrap();
        if let Some(prev) = inner.take() {
            std::fs::rename(&prev, here.join(prev.file_name().unwrap())).unwrap();
        }
        inner = Some(here);
    }
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_folder_that_cannot_be_listed_is_one_failure_and_the_rest_is_imported() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let app = fresh(&dir).await;
    let top = dir.path().join("watch");
    std::fs::create_dir(&top).unwrap();
    std::fs::copy(corpus.join(FENIX2), top.join("run.fit")).unwrap();
    too_deep_to_list(&top);
    let r = import(&app, std::slice::from_ref(&top)).await;
    // Before, the walk stopped at the folder and the whole import was an error.
    assert_eq!((r.imported, r.failed), (1, 1), "{r:?}");
    assert_eq!(r.status(), ImportStatus::SomeFailed);
    let bad = r
        .files
        .iter()
        .find(|f| f.outcome == Outcome::Failed)
        .unwrap();
    let reason = bad.reason.as_deref().unwrap();
    assert!(
        reason.starts_with("a folder that cannot be read") && reason.contains("too long"),
        "{bad:?}"
    );
    // The fenix2 run (see FENIX2) is stored all the same.
    let rows = app.store().list_activities().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(close(rows[0].distance_m, 9008.22, 0.01));
}
