//! `soleus backup`, `restore`, `export` and `delete-athlete` on the real binary: a backup
//! restores to the same answers on either backend, a damaged one restores nothing, an export
//! holds every original byte for byte, and an erased athlete leaves nothing behind.

mod common;

use std::io::{Read, Write};
use std::process::Stdio;

use common::{FreshPg, Sandbox, samples};

/// What the runner reads: every reporting command's JSON. A restore must give the same.
const VIEWS: &[&[&str]] = &[
    &["activities", "--json"],
    &["load", "--json"],
    &["checkins", "--json"],
    &["scores", "--json"],
    &["plan", "--json"],
    &["today", "--json"],
    &["shoes", "list", "--json"],
    &["profile", "--json"],
    &["energy", "history", "--json"],
    &["user", "list", "--json"],
];

/// Runs `args` on the database `db`.
fn on(sb: &Sandbox, db: &str, args: &[&str]) -> std::process::Output {
    sb.cmd_on(db, args).output().unwrap()
}

fn ok(sb: &Sandbox, db: &str, args: &[&str]) -> String {
    let out = on(sb, db, args);
    assert!(
        out.status.success(),
        "{args:?} on {db} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn views(sb: &Sandbox, db: &str) -> Vec<serde_json::Value> {
    VIEWS
        .iter()
        .map(|args| {
            let text = ok(sb, db, args);
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}: {text}"))
        })
        .collect()
}

/// A database with a history: the demo's runs, check-ins, scores and plan, plus an
/// organisation and an account.
fn history(sb: &Sandbox, db: &str) {
    ok(sb, db, &["demo", "--samples", samples().to_str().unwrap()]);
    ok(sb, db, &["org", "add", "Harbour Runners"]);
    let mut c = sb.cmd_on(
        db,
        &[
            "user",
            "add",
            "--email",
            "coach@example.org",
            "--name",
            "Coach Ria",
            "--role",
            "coach",
            "--org",
            "1",
        ],
    );
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
}

fn sqlite(sb: &Sandbox, name: &str) -> String {
    format!("sqlite://{}", sb.path(name).display())
}

fn assert_same_views(sb: &Sandbox, a: &[serde_json::Value], db: &str, what: &str) {
    let b = views(sb, db);
    for ((args, x), y) in VIEWS.iter().zip(a).zip(&b) {
        assert_eq!(x, y, "{what}: {args:?} differs after the restore");
    }
}

#[test]
fn a_backup_restores_to_the_same_answers_on_sqlite_and_postgres() {
    let sb = Sandbox::new();
    let src = sqlite(&sb, "src.db");
    history(&sb, &src);
    let before = views(&sb, &src);
    assert!(
        !before[0]["activities"].as_array().unwrap().is_empty(),
        "the history has runs"
    );

    // SQLite backs up as an SQLite file, which restores into a new file.
    let file = sb.path("backup.db");
    let out = ok(&sb, &src, &["backup", file.to_str().unwrap(), "--json"]);
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["format"], "sqlite");
    let mut head = [0u8; 16];
    std::fs::File::open(&file)
        .unwrap()
        .read_exact(&mut head)
        .unwrap();
    assert_eq!(&head, b"SQLite format 3\0");
    // A backup never overwrites a file.
    let again = on(&sb, &src, &["backup", file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let restored = sqlite(&sb, "restored.db");
    ok(&sb, &restored, &["restore", file.to_str().unwrap()]);
    assert_same_views(&sb, &before, &restored, "SQLite file into SQLite");

    // A database that holds data is never restored into: it keeps what it had.
    let refused = on(&sb, &restored, &["restore", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("already holds data"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_same_views(&sb, &before, &restored, "after a refused restore");

    // The portable format, from SQLite, restores into SQLite too.
    let portable = sb.path("backup.soleus.gz");
    ok(
        &sb,
        &src,
        &["backup", "--portable", portable.to_str().unwrap()],
    );
    let from_portable = sqlite(&sb, "from-portable.db");
    ok(
        &sb,
        &from_portable,
        &["restore", portable.to_str().unwrap()],
    );
    assert_same_views(&sb, &before, &from_portable, "portable into SQLite");

    // PostgreSQL: the SQLite file restores into it, its own backup is the portable format,
    // and that restores back into SQLite.
    let Some(pg) = FreshPg::new("restore") else {
        return;
    };
    ok(&sb, &pg.url, &["restore", file.to_str().unwrap()]);
    assert_same_views(&sb, &before, &pg.url, "SQLite file into PostgreSQL");
    let pg_file = sb.path("pg-backup.soleus.gz");
    let out = ok(
        &sb,
        &pg.url,
        &["backup", pg_file.to_str().unwrap(), "--json"],
    );
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["format"], "portable");
    let back = sqlite(&sb, "back-from-pg.db");
    ok(&sb, &back, &["restore", pg_file.to_str().unwrap()]);
    assert_same_views(&sb, &before, &back, "PostgreSQL backup into SQLite");
    // New rows after a restore take new ids (PostgreSQL's sequences continue after the
    // restored ones).
    ok(&sb, &pg.url, &["shoes", "add", "Fresh Pair"]);
    let shoes = ok(&sb, &pg.url, &["shoes", "list", "--json"]);
    assert!(shoes.contains("Fresh Pair"), "{shoes}");
}

#[test]
fn a_cut_off_backup_restores_nothing_and_says_so() {
    let sb = Sandbox::new();
    let src = sqlite(&sb, "src.db");
    history(&sb, &src);
    let portable = sb.path("full.soleus.gz");
    ok(
        &sb,
        &src,
        &["backup", "--portable", portable.to_str().unwrap()],
    );
    // Its decompressed lines, all but the last few: a file cut short and compressed again
    // (so the gzip itself is sound and only the content is incomplete).
    let mut text = String::new();
    flate_read(&portable, &mut text);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 10);
    let cut = sb.path("cut.soleus.gz");
    flate_write(&cut, &lines[..lines.len() - 3].join("\n"));
    let target = sqlite(&sb, "target.db");
    let out = on(&sb, &target, &["restore", cut.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cut short") && err.contains("nothing was restored"),
        "{err}"
    );
    let list = ok(&sb, &target, &["activities", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["activities"].as_array().unwrap().len(), 0);
    // A file that is no backup at all is named as such.
    let junk = sb.path("notes.txt");
    std::fs::write(&junk, "shopping list").unwrap();
    let out = on(&sb, &target, &["restore", junk.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("neither an SQLite database nor a Soleus backup"),
        "{err}"
    );
}

fn flate_read(path: &std::path::Path, into: &mut String) {
    let gz = std::fs::read(path).unwrap();
    let mut z = flate2::read::MultiGzDecoder::new(gz.as_slice());
    z.read_to_string(into).unwrap();
}

fn flate_write(path: &std::path::Path, text: &str) {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(text.as_bytes()).unwrap();
    z.write_all(b"\n").unwrap();
    std::fs::write(path, z.finish().unwrap()).unwrap();
}

#[test]
fn an_export_holds_every_original_byte_for_byte_and_every_view() {
    let sb = Sandbox::new();
    let db = sb.db();
    history(&sb, &db);
    let zip_path = sb.path("mine.zip");
    let out = ok(
        &sb,
        &db,
        &["export", "--out", zip_path.to_str().unwrap(), "--json"],
    );
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut f = zip
            .by_name(name)
            .unwrap_or_else(|_| panic!("{name} missing"));
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        v
    };
    // The activities document is the one `soleus activities --json` prints.
    let listed: serde_json::Value = serde_json::from_slice(&read("activities.json")).unwrap();
    let cli: serde_json::Value =
        serde_json::from_str(&ok(&sb, &db, &["activities", "--json"])).unwrap();
    assert_eq!(listed, cli);
    // Every original is there, byte for byte the sample file it was imported from.
    let originals: Vec<serde_json::Value> =
        serde_json::from_slice(&read("originals.json")).unwrap();
    assert_eq!(
        originals.len() as u64,
        summary["originals"].as_u64().unwrap()
    );
    assert!(!originals.is_empty());
    let mut matched = 0;
    for o in &originals {
        let bytes = read(o["path"].as_str().unwrap());
        assert_eq!(bytes.len() as u64, o["size"].as_u64().unwrap());
        let name = o["name"].as_str().unwrap();
        let base = name.rsplit('/').next().unwrap();
        if let Ok(sample) = std::fs::read(samples().join(base)) {
            assert_eq!(bytes, sample, "{name} differs from the sample");
            matched += 1;
        }
    }
    assert!(matched > 0, "no original matched a sample by name");
    assert!(
        String::from_utf8(read("README.txt"))
            .unwrap()
            .contains("byte for byte")
    );
    // An export never overwrites, and an unknown athlete is named.
    assert!(
        !on(&sb, &db, &["export", "--out", zip_path.to_str().unwrap()])
            .status
            .success()
    );
    let out = on(&sb, &db, &["export", "--athlete", "99", "--out", "x.zip"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no athlete 99"));
}

#[test]
fn an_erased_athlete_leaves_nothing_in_the_database_file() {
    let sb = Sandbox::new();
    let db = sb.db();
    history(&sb, &db);
    let list: serde_json::Value =
        serde_json::from_str(&ok(&sb, &db, &["activities", "--json"])).unwrap();
    assert!(!list["activities"].as_array().unwrap().is_empty());
    // The imported files' names are in the database file before: the marker to look for.
    let marker = b"morning-run.fit";
    let file = sb.path("t.db");
    let holds = |bytes: &[u8]| bytes.windows(marker.len()).any(|w| w == marker);
    assert!(holds(&std::fs::read(&file).unwrap()));

    // Without --yes nothing happens, and the message says how to keep a copy.
    let out = on(&sb, &db, &["delete-athlete", "1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("soleus export --athlete 1"));
    let out = ok(&sb, &db, &["delete-athlete", "1", "--yes", "--json"]);
    let erased: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(erased["rows"].as_u64().unwrap() > 10, "{erased}");

    for args in [&["activities", "--json"][..], &["checkins", "--json"]] {
        let v: serde_json::Value = serde_json::from_str(&ok(&sb, &db, args)).unwrap();
        let key = args[0];
        assert_eq!(v[key].as_array().unwrap().len(), 0, "{args:?}: {v}");
    }
    // Overwritten, not merely unlinked: the names are nowhere in the file or its log.
    assert!(
        !holds(&std::fs::read(&file).unwrap()),
        "the file still holds a name"
    );
    let wal = sb.path("t.db-wal");
    assert!(!wal.exists() || !holds(&std::fs::read(&wal).unwrap()));
    // The coach's account (not the athlete's) is untouched.
    assert!(ok(&sb, &db, &["user", "list", "--json"]).contains("coach@example.org"));
    let out = on(&sb, &db, &["delete-athlete", "42", "--yes"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no athlete 42"));
}
