//! Jobs across real processes: an upload through one `soleus serve` is shown by another
//! (the job lives in the database, not in a process), and a `soleus worker` killed with
//! SIGKILL in the middle of a multi-file import leaves a job that a second worker finishes
//! once the lease has run out, with every activity stored exactly once and a report that
//! says which files the first attempt had stored. On SQLite, and on PostgreSQL when
//! `SOLEUS_TEST_PG_URL` is set.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{FreshPg, Sandbox, corpus};

/// A child process killed when dropped, so a failing test leaves none behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A file in the sandbox for a process's log, shown when a job does not get where it should.
fn log(sb: &Sandbox, name: &str) -> std::fs::File {
    std::fs::create_dir_all(sb.path("logs")).unwrap();
    std::fs::File::create(sb.path("logs").join(format!("{name}.log"))).unwrap()
}

/// Every process log of the sandbox, for a failure's message.
fn logs(sb: &Sandbox) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(sb.path("logs"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        out.push_str(&format!("--- {}\n{text}\n", e.path().display()));
    }
    out
}

/// Starts `soleus serve` on a free loopback port; answers the process and its address.
fn serve(sb: &Sandbox, db: &str, extra: &[&str]) -> (Running, String) {
    let mut args = vec!["serve", "--addr", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut child = sb
        .cmd_on(db, &args)
        .env("SOLEUS_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(log(sb, &format!("serve-{n}")))
        .spawn()
        .expect("start soleus serve");
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let addr = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    // Keep reading, so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Running(child), addr)
}

/// Starts `soleus worker` with a short lease; answers once it said it runs.
fn worker(sb: &Sandbox, db: &str, name: &str) -> Running {
    let mut child = sb
        .cmd_on(db, &["worker", "--name", name, "--lease-secs", "3"])
        .env("SOLEUS_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(log(sb, &format!("worker-{name}")))
        .spawn()
        .expect("start soleus worker");
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let first = lines.next().expect("the worker says it started").unwrap();
    assert!(first.contains("running the jobs"), "{first}");
    assert!(first.contains("no SMTP server is set"), "{first}");
    std::thread::spawn(move || for _ in lines {});
    Running(child)
}

/// One HTTP request; answers the status and the body.
fn http(addr: &str, method: &str, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
    let mut conn = TcpStream::connect(addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        conn,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    conn.write_all(body).unwrap();
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"));
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    (
        status,
        if chunked {
            dechunk(body)
        } else {
            body.to_owned()
        },
    )
}

/// The body of a chunked answer, joined.
fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            return body.to_owned();
        };
        if n == 0 {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

fn get_json(addr: &str, path: &str) -> (u16, serde_json::Value) {
    let (status, body) = http(addr, "GET", path, "text/plain", b"");
    let doc = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
    (status, doc)
}

/// Uploads files through the API; answers the job's id.
fn upload(addr: &str, files: &[PathBuf]) -> i64 {
    let boundary = "soleus-jobs-test-boundary";
    let mut body = Vec::new();
    for f in files {
        let name = f.file_name().unwrap().to_str().unwrap();
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(&std::fs::read(f).unwrap());
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    let (status, text) = http(
        addr,
        "POST",
        "/api/v1/import",
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    );
    assert_eq!(status, 202, "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["id"].as_i64().unwrap_or_else(|| panic!("{doc}"))
}

/// Follows a job's document on `addr` until `until` holds of it (bounded).
fn follow(
    sb: &Sandbox,
    addr: &str,
    job: i64,
    limit: Duration,
    until: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let (status, doc) = get_json(addr, &format!("/api/v1/import/jobs/{job}"));
        assert_eq!(status, 200, "{doc}");
        if until(&doc) {
            return doc;
        }
        assert!(
            start.elapsed() < limit,
            "job {job} never got there: {doc}\n{}",
            logs(sb)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Every FIT file of the corpus: an import long enough (many heartbeats, even on a fast
/// machine) for a worker to be stopped part-way through it.
const ALL: usize = usize::MAX;

/// The largest activity files of the corpus, `n` of them, by name for a stable order.
fn big_files(n: usize) -> Option<Vec<PathBuf>> {
    let dir = corpus()?.join("fit");
    let mut files: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("fit")))
        .map(|p| (std::fs::metadata(&p).unwrap().len(), p))
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<PathBuf> = files.into_iter().take(n).map(|(_, p)| p).collect();
    chosen.sort();
    Some(chosen)
}

/// What `soleus import` makes of the same files on a database of its own: the count the
/// job must reach.
fn reference(sb: &Sandbox, files: &[PathBuf]) -> (u64, usize) {
    let db = format!("sqlite://{}", sb.path("reference.db").display());
    let mut args = vec!["import".to_owned(), "--json".to_owned()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = sb.cmd_on(&db, &args).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        report["imported"].as_u64().unwrap(),
        activities(sb, &db).len(),
    )
}

/// Every FIT file of the corpus that an import of them all stores as an activity of its own
/// (none a duplicate of another, none skipped or failed), so the counts of a job stopped
/// part-way add up file by file; with [`ALL`], many heartbeats of work.
fn importing_files(sb: &Sandbox) -> Option<Vec<PathBuf>> {
    let files = big_files(ALL)?;
    let db = format!("sqlite://{}", sb.path("choosing.db").display());
    let mut args = vec!["import".to_owned(), "--json".to_owned()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = sb.cmd_on(&db, &args).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let imported: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["outcome"] == "imported")
        .filter_map(|f| f["path"].as_str())
        .collect();
    Some(
        files
            .into_iter()
            .filter(|f| imported.iter().any(|p| f.ends_with(p)))
            .collect(),
    )
}

/// Every stored activity's start, as `soleus activities --json` lists them.
fn activities(sb: &Sandbox, db: &str) -> Vec<String> {
    let out = sb.cmd_on(db, &["activities", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["activities"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"))
        .iter()
        .map(|a| a["start"].to_string())
        .collect()
}

fn shown_by_another_server(sb: &Sandbox, db: &str) {
    let Some(files) = big_files(3) else { return };
    let (expected, _) = reference(sb, &files);
    // One server takes uploads but imports nothing itself; the other runs the jobs.
    let (_front, front) = serve(sb, db, &["--no-jobs"]);
    let (_back, back) = serve(sb, db, &[]);
    let job = upload(&front, &files);
    // The server that took the upload shows it, though another process imports it.
    let (status, doc) = get_json(&front, &format!("/api/v1/import/jobs/{job}"));
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["uploaded"].as_array().map(Vec::len), Some(3), "{doc}");
    let done = follow(sb, &front, job, Duration::from_secs(120), |d| {
        d["done"] == true
    });
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(
        done["report"]["imported"].as_u64(),
        Some(expected),
        "{done}"
    );
    // And the other shows the same job, page and document alike.
    let (status, other) = get_json(&back, &format!("/api/v1/import/jobs/{job}"));
    assert_eq!(status, 200);
    assert_eq!(other["report"], done["report"]);
    let (status, page) = http(
        &back,
        "GET",
        &format!("/import/jobs/{job}"),
        "text/plain",
        b"",
    );
    assert_eq!(status, 200);
    assert!(page.contains("Import finished"), "{page}");
    assert_eq!(
        http(
            &back,
            "GET",
            "/api/v1/import/jobs/987654",
            "text/plain",
            b""
        )
        .0,
        404
    );
}

#[test]
fn sqlite_an_upload_through_one_server_is_shown_by_another() {
    let sb = Sandbox::new();
    let db = sb.db();
    shown_by_another_server(&sb, &db);
}

#[test]
fn postgres_an_upload_through_one_server_is_shown_by_another() {
    let Some(pg) = FreshPg::new("jobs_two_servers") else {
        return;
    };
    let sb = Sandbox::new();
    shown_by_another_server(&sb, &pg.url);
}

fn killed_worker_mid_import(sb: &Sandbox, db: &str) {
    let Some(files) = importing_files(sb) else {
        return;
    };
    let (expected_imported, expected_activities) = reference(sb, &files);
    assert!(expected_imported >= 10, "enough files to stop part-way");
    let (_server, addr) = serve(sb, db, &["--no-jobs"]);
    let job = upload(&addr, &files);
    let mut first = worker(sb, db, "first");
    // Killed once it stored some files and before it stored them all.
    let running = follow(sb, &addr, job, Duration::from_secs(120), |d| {
        d["done"] == true || d["files_done"].as_u64().is_some_and(|n| n >= 2)
    });
    assert_eq!(
        running["state"], "running",
        "the import took too little time to stop it: {running}"
    );
    first.0.kill().unwrap();
    first.0.wait().unwrap();
    let stored_before = activities(sb, db).len();
    assert!(stored_before > 0, "the first worker stored something");
    assert!(
        stored_before < expected_activities,
        "and not everything ({stored_before} of {expected_activities})"
    );
    // Nobody holds it now; it waits for its lease to run out.
    let (_, left) = get_json(&addr, &format!("/api/v1/import/jobs/{job}"));
    assert_eq!(
        (left["state"].as_str(), left["attempts"].as_i64()),
        (Some("running"), Some(1)),
        "{left}"
    );

    let _second = worker(sb, db, "second");
    let done = follow(sb, &addr, job, Duration::from_secs(180), |d| {
        d["done"] == true
    });
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["attempts"].as_i64(), Some(2), "{done}");
    // Every activity exactly once, as an import of the same files in one go stores them.
    // (Two of the corpus's activities start at the same instant: compare the starts as a
    // multiset with what the one-go import stored.)
    let mut stored = activities(sb, db);
    stored.sort();
    let mut want = activities(
        sb,
        &format!("sqlite://{}", sb.path("reference.db").display()),
    );
    want.sort();
    assert_eq!(stored.len(), expected_activities, "{done}");
    assert_eq!(stored, want, "every activity once, none twice");
    // The report is honest: what the first attempt stored is said to be so, the rest imported.
    let earlier = done["stored_by_earlier_attempt"].as_u64().unwrap();
    let imported = done["report"]["imported"].as_u64().unwrap();
    assert!(earlier >= 2, "{done}");
    assert_eq!(imported + earlier, expected_imported, "{done}");
    let reasons: Vec<&str> = done["report"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["reason"].as_str())
        .filter(|r| r.starts_with("stored by an earlier attempt of this import"))
        .collect();
    assert_eq!(reasons.len() as u64, earlier, "{done}");
    assert!(
        done["message"]
            .as_str()
            .unwrap()
            .contains("earlier attempt"),
        "{done}"
    );
}

#[test]
fn sqlite_a_worker_killed_mid_import_leaves_a_job_another_finishes_once() {
    let sb = Sandbox::new();
    let db = sb.db();
    killed_worker_mid_import(&sb, &db);
}

#[test]
fn postgres_a_worker_killed_mid_import_leaves_a_job_another_finishes_once() {
    let Some(pg) = FreshPg::new("jobs_killed_worker") else {
        return;
    };
    let sb = Sandbox::new();
    killed_worker_mid_import(&sb, &pg.url);
}

/// A worker asked to stop (SIGTERM, as a service manager does) claims nothing more and gives
/// its job back at once, without waiting for its lease to run out; the next worker finishes
/// it, saying which files the stopped one had stored.
fn stopped_worker_gives_its_job_back(sb: &Sandbox, db: &str) {
    let Some(files) = importing_files(sb) else {
        return;
    };
    let (expected_imported, expected_activities) = reference(sb, &files);
    let (_server, addr) = serve(sb, db, &["--no-jobs"]);
    let job = upload(&addr, &files);
    let mut polite = worker(sb, db, "polite");
    let running = follow(sb, &addr, job, Duration::from_secs(120), |d| {
        d["done"] == true || d["files_done"].as_u64().is_some_and(|n| n >= 2)
    });
    assert_eq!(running["state"], "running", "{running}");
    let term = std::process::Command::new("kill")
        .args(["-TERM", &polite.0.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = polite.0.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the worker did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let (_, back) = get_json(&addr, &format!("/api/v1/import/jobs/{job}"));
    assert_eq!(
        (back["state"].as_str(), back["attempts"].as_i64()),
        (Some("queued"), Some(0)),
        "given back, the attempt not counted: {back}"
    );
    let stored_before = activities(sb, db).len();
    assert!(stored_before > 0 && stored_before < expected_activities);
    let _next = worker(sb, db, "next");
    let done = follow(sb, &addr, job, Duration::from_secs(180), |d| {
        d["done"] == true
    });
    assert_eq!(
        (done["state"].as_str(), done["attempts"].as_i64()),
        (Some("done"), Some(1)),
        "{done}"
    );
    assert_eq!(activities(sb, db).len(), expected_activities);
    let earlier = done["stored_by_earlier_attempt"].as_u64().unwrap();
    assert!(earlier >= 2, "{done}");
    assert_eq!(
        done["report"]["imported"].as_u64().unwrap() + earlier,
        expected_imported,
        "{done}"
    );
}

#[test]
fn sqlite_a_stopped_worker_gives_its_job_back() {
    let sb = Sandbox::new();
    let db = sb.db();
    stopped_worker_gives_its_job_back(&sb, &db);
}

#[test]
fn postgres_a_stopped_worker_gives_its_job_back() {
    let Some(pg) = FreshPg::new("jobs_stopped_worker") else {
        return;
    };
    let sb = Sandbox::new();
    stopped_worker_gives_its_job_back(&sb, &pg.url);
}
