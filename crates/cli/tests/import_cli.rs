//! `soleus import` end to end: the real binary, a real SQLite file, real device files.

mod common;

use std::collections::HashMap;
use std::io::Write;

use common::{Sandbox, corpus, files_below, samples};

fn outcomes(doc: &serde_json::Value) -> HashMap<String, String> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_corpus_file_gets_exactly_one_outcome_and_nothing_panics() {
    let Some(corpus) = corpus() else { return };
    let sb = Sandbox::new();
    let (code, doc) = sb.json(&["import", corpus.to_str().unwrap(), "--json"]);
    // Activity files are those with a FIT/GPX/TCX(.gz) name; SOURCES.md is ignored.
    let activity_files: Vec<_> = files_below(&corpus)
        .into_iter()
        .filter(|p| {
            let n = p.to_string_lossy().to_ascii_lowercase();
            [".fit", ".gpx", ".tcx", ".gz"]
                .iter()
                .any(|e| n.ends_with(e))
        })
        .collect();
    let got = outcomes(&doc);
    assert_eq!(got.len(), activity_files.len(), "one outcome per file");
    for f in &activity_files {
        assert!(
            got.contains_key(&f.display().to_string()),
            "no outcome for {}",
            f.display()
        );
    }
    let n = |k: &str| doc[k].as_u64().unwrap();
    assert_eq!(
        n("imported") + n("duplicate") + n("skipped") + n("failed"),
        activity_files.len() as u64
    );
    assert_eq!(n("ignored"), 1, "SOURCES.md");
    // Only files that are really broken beyond use may fail, and each says why.
    let failed: Vec<&serde_json::Value> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["outcome"] == "failed")
        .collect();
    for f in &failed {
        let reason = f["reason"].as_str().unwrap();
        assert!(!reason.is_empty());
        let name = f["path"].as_str().unwrap();
        assert!(
            name.ends_with("empty-sessions.fit") || name.ends_with("trackfilter_discard_err.gpx"),
            "unexpected failure: {name}: {reason}"
        );
    }
    // Some files failed and the rest were imported: exit code 1.
    assert_eq!(code, if failed.is_empty() { 0 } else { 1 });
    // Non-activity files are skipped with a reason: the FIT settings and workout files and the
    // waypoint-only GPX files that SOURCES.md tags as such.
    for (name, why) in [
        ("pyfitparse__Settings.fit", "settings"),
        ("pyfitparse__WorkoutIndividualSteps.fit", "workout"),
        ("gpsbabel__garmin_symbols.gpx", "waypoint"),
    ] {
        let f = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap();
        assert_eq!(f["outcome"], "skipped", "{name}");
        assert!(
            f["reason"].as_str().unwrap().to_lowercase().contains(why),
            "{name}: {}",
            f["reason"]
        );
    }
    // A truncated file is imported with a warning naming the byte offset.
    let nick = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .ends_with("pyfitparse__nick.fit")
        })
        .unwrap();
    assert_eq!(nick["outcome"], "imported");
    assert!(
        nick["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("byte")),
        "{nick}"
    );

    // Importing again: every file is now a duplicate or skipped, nothing new is stored.
    let before = sb.json(&["activities", "--json"]).1["activities"]
        .as_array()
        .unwrap()
        .len();
    let (_, again) = sb.json(&["import", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(again["imported"], 0);
    assert_eq!(
        again["duplicate"].as_u64().unwrap(),
        n("imported") + n("duplicate")
    );
    let after = sb.json(&["activities", "--json"]).1["activities"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after);
}

#[test]
fn samples_import_with_duplicate_skip_strava_names_and_shoes() {
    let sb = Sandbox::new();
    let (code, doc) = sb.json(&["import", samples().to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{doc}");
    // The same run as FIT and as a Strava GPX: the FIT (with device totals) is kept whatever
    // order the files came in, and the GPX is the duplicate.
    let files = doc["files"].as_array().unwrap();
    let by_suffix = |s: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(s))
            .unwrap()
            .clone()
    };
    assert_eq!(by_suffix("evening-run-strava.gpx")["outcome"], "duplicate");
    assert_eq!(
        by_suffix("2026-08-25-1841-evening-run.fit")["outcome"],
        "imported"
    );
    assert_eq!(by_suffix("workout-tempo-3x10.fit")["outcome"], "skipped");
    assert_eq!(doc["duplicate"], 1);
    assert_eq!(doc["skipped"], 1);
    assert_eq!(doc["failed"], 0);
    // activities.csv names the Strava activities and their shoes.
    let (_, list) = sb.json(&["activities", "--json"]);
    let acts = list["activities"].as_array().unwrap();
    assert_eq!(acts.len() as u64, doc["imported"].as_u64().unwrap());
    let csv = std::fs::read_to_string(samples().join("strava-export/activities.csv")).unwrap();
    let gear_rows = csv
        .lines()
        .filter(|l| l.contains("Altra Escalante 3"))
        .count();
    let altra = acts
        .iter()
        .filter(|a| a["shoe"] == "Altra Escalante 3")
        .count();
    assert_eq!(
        altra, gear_rows,
        "every activities.csv row with that gear has a file and a run"
    );
    assert!(
        acts.iter()
            .any(|a| a["name"] == "Long Run" && a["shoe"] == "Pegasus 40")
    );
}

#[test]
fn bad_files_fail_alone_with_a_reason_and_exit_code_1() {
    let sb = Sandbox::new();
    let good = samples().join("2026-09-05-0914-morning-run.fit");
    let bad = sb.path("notes.gpx");
    std::fs::write(&bad, "this is not XML at all").unwrap();
    let cut = sb.path("cut.tcx");
    std::fs::write(&cut, "<?xml version=\"1.0\"?><TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Id>2026-05-01T07:00:00Z</Id><Lap StartTime=").unwrap();
    let (code, doc) = sb.json(&[
        "import",
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
        cut.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(doc["imported"], 1);
    assert_eq!(doc["failed"], 2);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files[0]["outcome"], "failed");
    assert!(
        files[0]["reason"]
            .as_str()
            .unwrap()
            .contains("not a FIT, GPX or TCX"),
        "{}",
        files[0]
    );
    assert!(
        files[2]["reason"].as_str().unwrap().contains("line"),
        "an XML error names its line: {}",
        files[2]
    );
}

#[test]
fn usage_and_database_errors_exit_2() {
    let sb = Sandbox::new();
    let out = sb.run(&["import"]);
    assert_eq!(out.status.code(), Some(2), "no path");
    // A path that does not exist fails alone, naming itself; the other files still import.
    let good = samples().join("2026-09-05-0914-morning-run.fit");
    let (code, doc) = sb.json(&[
        "import",
        "/no/such/folder",
        good.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        (doc["imported"].as_u64(), doc["failed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(doc["files"][0]["path"], "/no/such/folder");
    assert!(
        doc["files"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("No such file"),
        "{doc}"
    );
    let mut c = sb.cmd(&["activities"]);
    c.args(["--db", "mysql://root:secret@localhost/x"]);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown database URL scheme") && !err.contains("secret"),
        "{err}"
    );
}

#[test]
fn zip_archives_and_gzip_are_read_from_their_content() {
    let sb = Sandbox::new();
    // The bundled Strava export, zipped inside a top folder as Strava's own zips are; its
    // activity files are .fit.gz and .gpx.gz, undone by content.
    let zpath = sb.path("export.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zpath).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    let root = samples().join("strava-export");
    let mut n_files = 0;
    for f in files_below(&root) {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        z.start_file(format!("export_1234/{rel}"), opts).unwrap();
        z.write_all(&std::fs::read(&f).unwrap()).unwrap();
        if rel.starts_with("activities/") {
            n_files += 1;
        }
    }
    z.finish().unwrap();
    let (code, doc) = sb.json(&["import", zpath.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["files"].as_array().unwrap().len(), n_files);
    assert!(
        doc["files"][0]["path"]
            .as_str()
            .unwrap()
            .contains("export.zip!/export_1234/activities/")
    );
    let (_, list) = sb.json(&["activities", "--json"]);
    let named = list["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["shoe"].is_string() && a["name"].is_string())
        .count();
    assert!(
        named > 0,
        "names and shoes come from activities.csv inside the zip"
    );
}

#[test]
fn a_killed_import_leaves_no_partial_activity_and_rerunning_completes_it() {
    let Some(corpus) = corpus() else { return };
    // Reference: the full import in one go.
    let full = Sandbox::new();
    let (_, whole) = full.json(&["import", corpus.to_str().unwrap(), "--json"]);
    let want = full.json(&["activities", "--json"]).1["activities"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(whole["failed"], 2);

    let sb = Sandbox::new();
    // Create the database first so the kill lands in the import, not in migrations.
    assert_eq!(
        sb.run(&["config", "set", "units", "km"]).status.code(),
        Some(0)
    );
    let mut child = sb
        .cmd(&["import", corpus.to_str().unwrap(), "--json"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    child.kill().unwrap();
    child.wait().unwrap();
    // Whatever landed is whole: every listed activity opens with its samples and laps.
    let (_, part) = sb.json(&["activities", "--json"]);
    let part = part["activities"].as_array().unwrap().clone();
    for a in part.iter().take(40) {
        let id = a["id"].as_i64().unwrap().to_string();
        let (code, shown) = sb.json(&["show", &id, "--json"]);
        assert_eq!(code, 0);
        assert_eq!(shown["activity"]["id"], a["id"]);
    }
    // Running the same import again completes it: the same activities as the one-go import.
    let (code, _) = sb.json(&["import", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1, "the two broken files still fail");
    let got = sb.json(&["activities", "--json"]).1["activities"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        got,
        want,
        "killed after {} of {want} activities",
        part.len()
    );
}

/// `import --watch`: a file copied into the watched folder is imported once it has stopped
/// growing, the same run copied again under another name passes quietly as a duplicate, and
/// Ctrl-C (SIGINT) ends the watch with exit code 0.
#[test]
fn watch_imports_new_files_as_they_appear_and_stops_on_ctrl_c() {
    let env = Sandbox::new();
    let inbox = env.path("GARMIN/Activity");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut child = env
        .cmd(&[
            "import",
            "--watch",
            "--interval",
            "1",
            env.path("GARMIN").to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Its lines, as they come: the file is copied only once it watches.
    let (tx, lines) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        for l in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(l);
        }
    });
    let mut seen = Vec::new();
    while !seen.iter().any(|l: &String| l.starts_with("Watching")) {
        seen.push(
            lines
                .recv_timeout(std::time::Duration::from_secs(30))
                .unwrap(),
        );
    }
    let run = samples().join("2026-08-27-1830-tempo-run.fit");
    std::fs::copy(&run, inbox.join("A1.FIT")).unwrap();
    // The watcher makes the database; until it has, there is nothing to count.
    let count = || {
        let out = env.run(&["activities", "--json"]);
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .ok()
            .and_then(|d| d["activities"].as_array().map(Vec::len))
            .unwrap_or(0)
    };
    let start = std::time::Instant::now();
    while count() < 1 && start.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(count(), 1, "the new file was imported");
    std::fs::copy(&run, inbox.join("A1-copy.FIT")).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(4));
    assert_eq!(count(), 1, "the copy is a duplicate");
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    reader.join().unwrap();
    seen.extend(lines.try_iter());
    let stdout = seen.join("\n");
    assert_eq!(status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Watching"), "{stdout}");
    assert!(
        stdout.contains("imported") && stdout.contains("A1.FIT"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("A1-copy.FIT"),
        "duplicates pass quietly: {stdout}"
    );
    assert!(stdout.contains("Stopped watching."), "{stdout}");
}
