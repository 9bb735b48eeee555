//! Hostile and broken input given to `soleus import`: archives that lie about their sizes,
//! FIFOs, link loops, broken CSVs and names carrying terminal escapes. Each test says where its
//! expected value comes from.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Sandbox, files_below, samples};

/// Runs a command, killing it and failing the test when it takes longer than `secs`: a hang
/// is the bug some of these tests look for.
fn run_within(mut cmd: Command, secs: u64) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run soleus");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soleus did not finish within {secs} s: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn json_of(out: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not one JSON document ({e}): {text}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn file_named<'a>(doc: &'a serde_json::Value, suffix: &str) -> &'a serde_json::Value {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no file ending {suffix:?} in {doc}"))
}

/// A deflated zip of `entries`; each entry whose third element is `Some(n)` has its header's
/// uncompressed size rewritten to `n` (in the local header and the central directory), as a
/// hostile archive would.
fn zip_with_sizes(entries: &[(&str, Vec<u8>, Option<u32>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes, _) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    let mut out = z.finish().unwrap().into_inner();
    // The central directory: signature PK\1\2, name length at +28, local header offset at
    // +42, name at +46, uncompressed size at +24 (local header: +22). APPNOTE 4.3.7, 4.3.12.
    let mut i = 0;
    while let Some(pos) = out[i..].windows(4).position(|w| w == b"PK\x01\x02") {
        let c = i + pos;
        let u16_at = |o: usize| u16::from_le_bytes([out[o], out[o + 1]]) as usize;
        let name_len = u16_at(c + 28);
        let name = String::from_utf8(out[c + 46..c + 46 + name_len].to_vec()).unwrap();
        let local =
            u32::from_le_bytes([out[c + 42], out[c + 43], out[c + 44], out[c + 45]]) as usize;
        if let Some((_, _, Some(lie))) = entries.iter().find(|(n, _, _)| *n == name) {
            out[c + 24..c + 28].copy_from_slice(&lie.to_le_bytes());
            out[local + 22..local + 26].copy_from_slice(&lie.to_le_bytes());
        }
        i = c + 46 + name_len;
    }
    out
}

fn good_fit() -> Vec<u8> {
    std::fs::read(samples().join("2026-09-05-0914-morning-run.fit")).unwrap()
}

#[test]
fn a_zip_entry_that_holds_more_than_its_header_declares_fails_naming_the_size() {
    let sb = Sandbox::new();
    // 32 MiB of zeros declared as 1,000 bytes: the header's claim is the bound, so reading
    // stops at byte 1,001 and the entry fails; the honest entry beside it still imports.
    let zeros = vec![0u8; 32 << 20];
    let bytes = zip_with_sizes(&[
        ("bomb.fit", zeros, Some(1000)),
        ("run.fit", good_fit(), None),
    ]);
    let path = sb.path("bomb.zip");
    std::fs::write(&path, bytes).unwrap();
    let out = run_within(sb.cmd(&["import", path.to_str().unwrap(), "--json"]), 60);
    let doc = json_of(&out);
    assert_eq!(out.status.code(), Some(1), "{doc}");
    assert_eq!(doc["imported"], 1, "{doc}");
    let bomb = file_named(&doc, "bomb.fit");
    assert_eq!(bomb["outcome"], "failed");
    let reason = bomb["reason"].as_str().unwrap();
    assert!(
        reason.contains("more than the 1000 bytes its header declares"),
        "{reason}"
    );
}

#[test]
fn a_nested_zip_that_lies_about_its_size_is_not_spilled_past_its_header() {
    let sb = Sandbox::new();
    // The inner archive's header declares 1,000 bytes and holds 32 MiB: the spill to the
    // temporary file must stop at the declared size, so the entry fails with that reason
    // (before, the whole of it was spilled and then refused as "not a readable zip").
    let inner = vec![0u8; 32 << 20];
    let bytes = zip_with_sizes(&[
        ("inner.zip", inner, Some(1000)),
        ("run.fit", good_fit(), None),
    ]);
    let path = sb.path("outer.zip");
    std::fs::write(&path, bytes).unwrap();
    let out = run_within(sb.cmd(&["import", path.to_str().unwrap(), "--json"]), 60);
    let doc = json_of(&out);
    let nested = file_named(&doc, "inner.zip");
    assert_eq!(nested["outcome"], "failed", "{doc}");
    let reason = nested["reason"].as_str().unwrap();
    assert!(reason.contains("its header declares"), "{reason}");
    assert_eq!(doc["imported"], 1, "{doc}");
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let st = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(st.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_or_given_directly_is_skipped_without_waiting() {
    let sb = Sandbox::new();
    let dir = sb.path("in");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("run.fit"), good_fit()).unwrap();
    mkfifo(&dir.join("pipe.gpx"));
    // A FIFO with no activity-file name: sniffing its content would block just the same.
    mkfifo(&dir.join("pipe"));
    let direct = sb.path("direct.fit");
    mkfifo(&direct);
    // Opening a FIFO waits for a writer for ever; the import must end (well within 60 s).
    let out = run_within(
        sb.cmd(&[
            "import",
            dir.to_str().unwrap(),
            direct.to_str().unwrap(),
            "--json",
        ]),
        60,
    );
    let doc = json_of(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "skipped files are not failures: {doc}"
    );
    assert_eq!(doc["imported"], 1, "{doc}");
    assert_eq!(doc["skipped"], 3, "{doc}");
    for name in ["pipe.gpx", "/pipe", "direct.fit"] {
        let f = file_named(&doc, name);
        assert_eq!(f["outcome"], "skipped", "{f}");
        assert!(f["reason"].as_str().unwrap().contains("FIFO"), "{f}");
    }
}

#[cfg(unix)]
#[test]
fn links_to_folders_are_not_followed_unless_asked_and_loops_end() {
    let sb = Sandbox::new();
    let dir = sb.path("in");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/run.fit"), good_fit()).unwrap();
    // Two links back up the tree: followed naively they make an endless walk.
    std::os::unix::fs::symlink(".", dir.join("self")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
    let out = run_within(sb.cmd(&["import", dir.to_str().unwrap(), "--json"]), 60);
    let doc = json_of(&out);
    // The one real file once; each link reported as skipped, not followed.
    assert_eq!(doc["files"].as_array().unwrap().len(), 3, "{doc}");
    assert_eq!(doc["imported"], 1, "{doc}");
    for name in ["/self", "/up"] {
        let f = file_named(&doc, name);
        assert_eq!(f["outcome"], "skipped", "{f}");
        assert!(
            f["reason"].as_str().unwrap().contains("--follow-links"),
            "{f}"
        );
    }
    // With --follow-links a link to a folder outside is read, and the loops are still
    // visited once: the file in `other` once, and nothing twice.
    let other = sb.path("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(
        other.join("ride.tcx.gz"),
        std::fs::read(samples().join("2026-08-26-0654-morning-ride.tcx.gz")).unwrap(),
    )
    .unwrap();
    std::os::unix::fs::symlink(&other, dir.join("elsewhere")).unwrap();
    let sb2 = Sandbox::new();
    let out = run_within(
        sb2.cmd(&["import", dir.to_str().unwrap(), "--follow-links", "--json"]),
        60,
    );
    let doc = json_of(&out);
    assert_eq!(doc["imported"], 2, "{doc}");
    let loops = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["reason"].as_str().is_some_and(|r| r.contains("loop")))
        .count();
    assert_eq!(
        loops, 2,
        "self and up each lead back to a folder visited: {doc}"
    );
}

/// The bundled Strava export with its `activities.csv` replaced.
fn strava_copy(dir: &Path, csv: &[u8]) -> usize {
    let root = samples().join("strava-export");
    let mut n = 0;
    for f in files_below(&root) {
        let rel = f.strip_prefix(&root).unwrap();
        let to = dir.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        if rel.ends_with("activities.csv") {
            std::fs::write(&to, csv).unwrap();
        } else {
            std::fs::copy(&f, &to).unwrap();
            n += 1;
        }
    }
    n
}

fn zip_folder(dir: &Path, to: &Path) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for f in files_below(dir) {
        let rel = f
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        z.start_file(rel, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(&std::fs::read(&f).unwrap()).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn a_broken_activities_csv_is_reported_once_with_its_line_and_the_files_still_import() {
    let original = std::fs::read(samples().join("strava-export/activities.csv")).unwrap();
    // One invalid UTF-8 byte in the third line (the second activity row), and a CSV without
    // a Filename column: the two problems the issue found.
    let mut bad_byte = original.clone();
    let third_line = bad_byte
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 1;
    bad_byte.insert(third_line + 3, 0xff);
    let no_filename = b"Activity ID,Activity Name\n1,Run\n".to_vec();
    for (csv, expect) in [
        (bad_byte, "activities.csv: line 3: invalid UTF-8"),
        (no_filename, "activities.csv: line 1: no Filename column"),
    ] {
        let sb = Sandbox::new();
        let dir = sb.path("export");
        let n = strava_copy(&dir, &csv);
        let zipped = sb.path("export.zip");
        zip_folder(&dir, &zipped);
        for (what, path) in [("folder", &dir), ("zip", &zipped)] {
            let sb = Sandbox::new();
            let out = run_within(sb.cmd(&["import", path.to_str().unwrap(), "--json"]), 120);
            let doc = json_of(&out);
            assert_eq!(out.status.code(), Some(0), "{what}: {doc}");
            assert_eq!(doc["imported"].as_u64(), Some(n as u64), "{what}: {doc}");
            let warnings = doc["warnings"].as_array().unwrap();
            assert_eq!(warnings.len(), 1, "{what}: reported once: {doc}");
            let w = warnings[0].as_str().unwrap();
            assert!(w.contains(expect), "{what}: {w}");
            // And in the readable report, once.
            let sb = Sandbox::new();
            let text = sb.ok(&["import", path.to_str().unwrap()]);
            assert_eq!(text.matches(expect).count(), 1, "{what}: {text}");
        }
    }
}

#[test]
fn names_from_files_are_printed_with_control_characters_escaped() {
    let sb = Sandbox::new();
    // An ESC sequence (clear screen) in a zip entry name and in a Strava gear value.
    let evil_name = "evil\u{1b}[2J\u{1b}]0;owned\u{7}.gpx";
    let bytes = zip_with_sizes(&[(evil_name, b"not xml at all".to_vec(), None)]);
    let path = sb.path("evil.zip");
    std::fs::write(&path, bytes).unwrap();
    let out = run_within(sb.cmd(&["import", path.to_str().unwrap()]), 60);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("evil\\u{1b}[2J"), "escaped, shown: {text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );

    let original = std::fs::read_to_string(samples().join("strava-export/activities.csv")).unwrap();
    // U+202E (right-to-left override) reorders what follows it on screen.
    let csv = original
        .replace("Pegasus 40", "Peg\u{1b}[31masus\u{9b}2J")
        .replace("Morning Run", "Morning \u{202e}nuR");
    let dir = sb.path("export");
    strava_copy(&dir, csv.as_bytes());
    sb.ok(&["import", dir.to_str().unwrap()]);
    for args in [&["shoes", "list"][..], &["activities"][..]] {
        let text = sb.ok(args);
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{args:?}: {text:?}"
        );
        assert!(text.contains("Peg"), "{args:?}: {text}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_inside_a_zip_are_reported_as_skipped() {
    let sb = Sandbox::new();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    z.add_symlink("link.fit", "/etc/passwd", opts).unwrap();
    z.start_file("run.fit", opts).unwrap();
    z.write_all(&good_fit()).unwrap();
    let path = sb.path("links.zip");
    std::fs::write(&path, z.finish().unwrap().into_inner()).unwrap();
    let (code, doc) = sb.json(&["import", path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{doc}");
    let link = file_named(&doc, "link.fit");
    assert_eq!(link["outcome"], "skipped", "{doc}");
    assert!(link["reason"].as_str().unwrap().contains("link"), "{link}");
}

/// `soleus demo ARGS` without `--db` (with it the demo uses that database as it is).
fn demo_cmd(sb: &Sandbox, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_soleus"));
    c.arg("demo")
        .args(args)
        .current_dir(sb.dir.path())
        .env("HOME", sb.dir.path())
        .env("XDG_DATA_HOME", sb.path("data"))
        .env("XDG_CONFIG_HOME", sb.path("config"))
        .env_remove("SOLEUS_DB")
        .env_remove("SOLEUS_CONFIG");
    c
}

#[test]
fn demo_never_deletes_a_file_it_did_not_make() {
    let sb = Sandbox::new();
    let sample_dir = samples();
    let samples = sample_dir.to_str().unwrap();
    // A person's document, and a person's own Soleus database with an activity in it.
    let doc = sb.path("thesis.docx");
    std::fs::write(&doc, b"four years of work").unwrap();
    let run = sample_dir.join("2026-09-05-0914-morning-run.fit");
    sb.ok(&["import", run.to_str().unwrap()]);
    let own = sb.path("t.db");
    for target in [&doc, &own] {
        let before = std::fs::read(target).unwrap();
        let out = demo_cmd(
            &sb,
            &["--samples", samples, "--demo-db", target.to_str().unwrap()],
        )
        .output()
        .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("not a demo database"), "{err}");
        assert_eq!(std::fs::read(target).unwrap(), before, "left as it was");
    }
    let (_, list) = sb.json(&["activities", "--json"]);
    assert_eq!(list["activities"].as_array().unwrap().len(), 1);
    // A demo database is recreated: the second run finds the mark the first one left.
    let demo = sb.path("demo.db");
    for _ in 0..2 {
        let out = demo_cmd(
            &sb,
            &["--samples", samples, "--demo-db", demo.to_str().unwrap()],
        )
        .output()
        .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{text}");
        assert!(text.contains("The demo database is"), "{text}");
    }
}

#[test]
fn processes_opening_a_new_sqlite_file_at_once_all_succeed() {
    // Four imports of four different runs into one new file, started together, four times:
    // every one must succeed and every run must be stored (the issue saw migrations fail with
    // "table athletes already exists" and imports lost).
    let runs = [
        "2026-09-05-0914-morning-run.fit",
        "2026-09-06-0905-long-run.fit",
        "2026-09-08-0647-morning-run.fit",
        "2026-09-12-0927-morning-run.fit",
    ];
    for round in 0..4 {
        let sb = Sandbox::new();
        let children: Vec<_> = runs
            .iter()
            .map(|r| {
                let path = samples().join(r);
                sb.cmd(&["import", path.to_str().unwrap(), "--json"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let (_, list) = sb.json(&["activities", "--json"]);
        assert_eq!(
            list["activities"].as_array().unwrap().len(),
            runs.len(),
            "round {round}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_stops_the_import_with_one_message_and_poisons_nothing() {
    let sb = Sandbox::new();
    // The database exists (schema applied) before the disk "fills".
    sb.ok(&["config", "set", "units", "km"]);
    let db_size = std::fs::metadata(sb.path("t.db")).unwrap().len()
        + std::fs::metadata(sb.path("t.db-wal")).map_or(0, |m| m.len());
    // A file-size limit (RLIMIT_FSIZE) a little above what is there makes writes past it fail
    // as a full disk does; SIGXFSZ is ignored so the write fails instead of the process. The
    // samples are 1.9 MB, so the import cannot fit.
    let limit_kib = db_size / 1024 + 300;
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {limit_kib}; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_soleus"))
        .args([
            "--db",
            &sb.db(),
            "import",
            samples().to_str().unwrap(),
            "--json",
        ])
        .current_dir(sb.dir.path())
        .env("HOME", sb.dir.path())
        .env("XDG_DATA_HOME", sb.path("data"))
        .env("XDG_CONFIG_HOME", sb.path("config"));
    let out = run_within(cmd, 120);
    let doc = json_of(&out);
    let files = doc["files"].as_array().unwrap();
    for f in files {
        let r = f["reason"].as_str().unwrap_or("");
        assert!(
            !r.contains("transaction depth"),
            "a poisoned connection: {f}"
        );
    }
    assert_eq!(
        doc["failed"], 1,
        "the one file that met the full disk: {doc}"
    );
    let warnings = doc["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{doc}");
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .contains("disk holding the database"),
        "{doc}"
    );
    assert_eq!(out.status.code(), Some(2), "{doc}");
    // The database error is said once, not once per layer of the error chain.
    let failed = files.iter().find(|f| f["outcome"] == "failed").unwrap();
    let reason = failed["reason"].as_str().unwrap();
    assert_eq!(reason.matches("(code: ").count(), 1, "{reason}");
    // What was imported is readable and complete.
    let (_, list) = sb.json(&["activities", "--json"]);
    assert_eq!(
        list["activities"].as_array().unwrap().len() as u64,
        doc["imported"].as_u64().unwrap()
    );
}

#[test]
fn no_error_path_prints_a_planted_password() {
    let sb = Sandbox::new();
    // Port 1 on the loopback refuses connections: every case fails before any database.
    let urls = [
        "postgres://u:topsecret1@127.0.0.1:1/x",
        "postgres://u@127.0.0.1:1/x?password=topsecret2",
        "postgres://u@127.0.0.1:1/x?sslmode=disable&pasword=topsecret3",
        "postgres://u@127.0.0.1:1/x?password=topsecret4&application_name=soleus",
        "mysql://root@localhost/x?password=topsecret5",
        "postgres://u:topsecret6@127.0.0.1:1/x?bogus=1",
    ];
    let mut outputs = Vec::new();
    for url in urls {
        // From the flag, from the environment and from a valid config file.
        let mut c = sb.cmd(&["activities"]);
        c.args(["--db", url]);
        outputs.push((url.to_string(), run_within(c, 30)));
        let mut c = Command::new(env!("CARGO_BIN_EXE_soleus"));
        c.arg("activities")
            .env("SOLEUS_DB", url)
            .env("HOME", sb.dir.path())
            .env("XDG_DATA_HOME", sb.path("data"))
            .env("XDG_CONFIG_HOME", sb.path("config"));
        outputs.push((format!("SOLEUS_DB={url}"), run_within(c, 30)));
        let cfg = sb.path("ok.toml");
        std::fs::write(&cfg, format!("db = \"{url}\"\n")).unwrap();
        let mut c = Command::new(env!("CARGO_BIN_EXE_soleus"));
        c.args(["--config", cfg.to_str().unwrap(), "import", "nothing.fit"])
            .env("HOME", sb.dir.path())
            .env_remove("SOLEUS_DB");
        outputs.push((format!("config {url}"), run_within(c, 30)));
    }
    // A config file with a syntax error on the line after the password.
    let cfg = sb.path("bad.toml");
    std::fs::write(
        &cfg,
        "db = \"postgres://u:topsecret7@127.0.0.1:1/x\"\nunits = \"km\n",
    )
    .unwrap();
    let cfg2 = sb.path("bad2.toml");
    std::fs::write(&cfg2, "db = \"postgres://u:topsecret8@h/x\" oops\n").unwrap();
    for c in [&cfg, &cfg2] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_soleus"));
        cmd.args(["--config", c.to_str().unwrap(), "activities"])
            .env("HOME", sb.dir.path())
            .env_remove("SOLEUS_DB");
        outputs.push((format!("config file {}", c.display()), run_within(cmd, 30)));
    }
    for (what, out) in &outputs {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(2), "{what}: {text}");
        assert!(
            !text.contains("topsecret"),
            "{what} printed the secret: {text}"
        );
        assert!(!text.trim().is_empty(), "{what}: says why it failed");
    }
    // The syntax error still says where it is.
    let text = String::from_utf8_lossy(&outputs[outputs.len() - 1].1.stderr).into_owned();
    assert!(text.contains("line 1"), "{text}");
}

#[test]
fn a_refused_postgres_connection_fails_at_once_naming_host_and_port() {
    let sb = Sandbox::new();
    let start = Instant::now();
    let mut c = sb.cmd(&["activities"]);
    c.args(["--db", "postgres://u@127.0.0.1:1/x"]);
    let out = run_within(c, 60);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    // Nothing listens on port 1: the refusal comes back at once (the pool's retries used to
    // take 30 s and end in "pool timed out").
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(err.contains("connection refused at 127.0.0.1:1"), "{err}");
}

/// xorshift64* (Vigna), for the seeded archive mutations below.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn the_archive_walker_survives_mutated_zips() {
    // A Strava-like export: activities.csv, activity files and a nested zip, deflated. Its
    // bytes are then mutated (flips, boundary values, size fields, cuts) for a bounded time
    // (SOLEUS_FUZZ_SECS, default 4 s; seed SOLEUS_FUZZ_SEED) and each copy imported: every
    // import must end, with exit code 0 or 1 and one JSON document, never a panic.
    let csv = std::fs::read(samples().join("strava-export/activities.csv")).unwrap();
    let inner = zip_with_sizes(&[("inner/run.fit", good_fit(), None)]);
    let tcx = std::fs::read(samples().join("2026-08-26-0654-morning-ride.tcx.gz")).unwrap();
    let base = zip_with_sizes(&[
        ("export/activities.csv", csv, None),
        ("export/activities/1.fit", good_fit(), None),
        ("export/activities/2.tcx.gz", tcx, None),
        ("export/inner.zip", inner, None),
    ]);
    let secs: u64 = std::env::var("SOLEUS_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let seed: u64 = std::env::var("SOLEUS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x0050_1e05);
    println!("archive walker: {secs} s, SOLEUS_FUZZ_SEED={seed}");
    let mut rng = Rng(seed | 1);
    let start = Instant::now();
    let mut runs = 0;
    while start.elapsed() < Duration::from_secs(secs) || runs == 0 {
        let mut b = base.clone();
        for _ in 0..1 + rng.below(6) {
            let i = rng.below(b.len());
            match rng.below(5) {
                0 => b[i] ^= 1 << rng.below(8),
                1 => b[i] = [0x00, 0xff, 0x7f, 0x80][rng.below(4)],
                2 => {
                    // A 4-byte size or offset field set to a boundary value.
                    let v: u32 = [0, 1, u32::MAX, 0x7fff_ffff, 1000][rng.below(5)];
                    let end = (i + 4).min(b.len());
                    b[i..end].copy_from_slice(&v.to_le_bytes()[..end - i]);
                }
                3 => b.truncate(i.max(1)),
                _ => {
                    let n = rng.below(64).min(b.len() - i);
                    b.drain(i..i + n);
                }
            }
        }
        let sb = Sandbox::new();
        let path = sb.path("m.zip");
        std::fs::write(&path, &b).unwrap();
        let out = run_within(sb.cmd(&["import", path.to_str().unwrap(), "--json"]), 60);
        let err = String::from_utf8_lossy(&out.stderr);
        if !matches!(out.status.code(), Some(0 | 1)) || err.contains("panicked") {
            let keep = std::env::temp_dir().join(format!("soleus-walker-fuzz-{runs}.zip"));
            let _ = std::fs::write(&keep, &b);
            panic!(
                "run {runs}: exit {:?}, {err}; input kept at {}",
                out.status,
                keep.display()
            );
        }
        json_of(&out);
        runs += 1;
    }
    println!("archive walker: {runs} mutated archives imported without a panic");
}

#[test]
fn absurd_dates_and_ranges_are_refused_with_the_limit() {
    let sb = Sandbox::new();
    // A database to read (commands that only read create none).
    sb.ok(&["config", "set", "units", "km"]);
    // Year 1 and 9999 are outside 1900–2200; the range check names its 7,320-day limit
    // (20 years of 366 days), which the 0001–9999 range (2 GB of JSON) far exceeds.
    let err = sb.fails(&[
        "load",
        "--from",
        "0001-01-01",
        "--to",
        "9999-12-31",
        "--json",
    ]);
    assert!(err.contains("outside the years 1900 to 2200"), "{err}");
    let err = sb.fails(&[
        "load",
        "--from",
        "1900-01-01",
        "--to",
        "2200-12-31",
        "--json",
    ]);
    assert!(err.contains("7320 days"), "{err}");
    let err = sb.fails(&["risk", "--on", "0001-01-01"]);
    assert!(err.contains("outside the years"), "{err}");
    // An ordinary range still works.
    let (code, _) = sb.json(&[
        "load",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-01",
        "--json",
    ]);
    assert_eq!(code, 0);
}

/// Runs a command to its end and returns its output and its peak resident memory in bytes,
/// read from /proc/PID/status (VmHWM, the high-water mark) while it runs.
#[cfg(target_os = "linux")]
fn peak_memory(mut cmd: Command) -> (Output, u64) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run soleus");
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let start = Instant::now();
    // Read stdout on a thread so a large report cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut v).ok();
        v
    });
    loop {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(line) = text.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            peak = peak.max(kib * 1024);
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "hangs");
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().expect("output");
    let stdout = reader.join().unwrap();
    (Output { stdout, ..out }, peak)
}

#[cfg(target_os = "linux")]
#[test]
fn an_archive_that_lies_about_a_huge_entry_costs_no_memory() {
    // 512 MiB of zeros deflate to about half a megabyte; the header says 1,000 bytes. The
    // import must fail the entry without holding it: its peak memory stays below 150 MB
    // (the bound is the README's promise that headers are never trusted; holding the entry
    // would take at least 512 MiB).
    let sb = Sandbox::new();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("bomb.fit", opts).unwrap();
    let mib = vec![0u8; 1 << 20];
    for _ in 0..512 {
        z.write_all(&mib).unwrap();
    }
    let mut bytes = z.finish().unwrap().into_inner();
    // Rewrite the declared size: with large_file the sizes are in the zip64 extra fields
    // (tag 0x0001: uncompressed size first, APPNOTE 4.5.3), in both headers.
    let declared = (512u64 << 20).to_le_bytes();
    let mut i = 0;
    let mut patched = 0;
    while let Some(pos) = bytes[i..].windows(8).position(|w| w == declared) {
        let at = i + pos;
        bytes[at..at + 8].copy_from_slice(&1000u64.to_le_bytes());
        patched += 1;
        i = at + 8;
    }
    assert!(patched >= 2, "found the size fields: {patched}");
    let path = sb.path("bomb.zip");
    std::fs::write(&path, &bytes).unwrap();
    let (out, peak) = peak_memory(sb.cmd(&["import", path.to_str().unwrap(), "--json"]));
    let doc = json_of(&out);
    let bomb = file_named(&doc, "bomb.fit");
    assert_eq!(bomb["outcome"], "failed", "{doc}");
    assert!(
        bomb["reason"]
            .as_str()
            .unwrap()
            .contains("its header declares"),
        "{doc}"
    );
    assert!(peak < 150 << 20, "peak memory {} MB", peak >> 20);
}

#[test]
fn a_read_on_a_missing_database_creates_nothing_and_says_so() {
    let sb = Sandbox::new();
    let dir = sb.path("no/such/dir");
    let url = format!("sqlite://{}/x.db", dir.display());
    for args in [
        &["activities"][..],
        &["load", "--json"][..],
        &["checkins"][..],
    ] {
        let mut c = sb.cmd(args);
        c.args(["--db", &url]);
        let out = run_within(c, 30);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("there is no database at"), "{args:?}: {err}");
        // Before, the folders and an empty database were made by a command that only reads.
        assert!(!sb.path("no").exists(), "{args:?} created folders");
    }
}
