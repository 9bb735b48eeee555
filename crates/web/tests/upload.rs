//! Importing through the browser's form and the API: real device files uploaded over HTTP,
//! imported in the background with the same outcomes `soleus import` gives, followed by their
//! job; limits answered 413 with the limit; nothing outside the upload ever written.

mod common;

use std::io::Write;
use std::time::Duration;

use axum::body::Body;
use common::*;

/// A FIT run from a Garmin Forerunner 935, read in place.
const FIT: &str = "fit/fitdecode__garmin-fr935-cr.fit";

/// A multipart/form-data body with each (file name, bytes) as a `files` part.
fn multipart(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "soleus-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, bytes) in files {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn browser(s: &Spawned) -> Vec<(&'static str, String)> {
    vec![
        ("origin", s.base.clone()),
        ("sec-fetch-site", "same-origin".into()),
    ]
}

async fn upload(s: &Spawned, files: &[(&str, &[u8])]) -> Answer {
    let (ct, body) = multipart(files);
    let h = browser(s);
    let headers: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
    s.post("/import", &ct, body, &headers).await
}

/// Follows a job's document until it is done (bounded: a stuck job fails the test).
async fn finished(s: &Spawned, job: &str) -> serde_json::Value {
    for _ in 0..600 {
        let doc = s.get(&format!("/api/v1/import/jobs/{job}")).await.json();
        if doc["done"] == true {
            return doc;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {job} did not finish");
}

fn job_id(a: &Answer) -> String {
    assert_eq!(a.status, 303, "{}", a.body);
    let loc = a.header("location");
    loc.strip_prefix("/import/jobs/")
        .unwrap_or_else(|| panic!("a job page: {loc}"))
        .to_owned()
}

#[tokio::test]
async fn files_and_a_zip_upload_import_and_report_every_file() {
    let s = spawn_app("km", false).await;
    let form = s.get("/import").await;
    assert_page(&form, "/import");
    assert!(form.body.contains(r#"enctype="multipart/form-data""#));
    assert!(form.body.contains("at most 2 GiB"), "the limit is stated");

    let fit = std::fs::read(corpus(FIT)).unwrap();
    let gpx = std::fs::read(corpus("gpx/fittrackee__test.gpx")).unwrap();
    let zipped = zip_of(&[
        ("export/activities/run.fit", &fit),
        ("export/notes.txt", b"hello"),
    ]);
    let files: Vec<(&str, &[u8])> = vec![
        ("run.fit", &fit),
        ("export.zip", &zipped),
        ("route.gpx", &gpx),
    ];
    let job = job_id(&upload(&s, &files).await);
    let doc = finished(&s, &job).await;
    assert_eq!(doc["state"], "done", "{doc}");
    let report = &doc["report"];
    // The same FIT twice: the first is imported, the copy in the zip is its duplicate.
    assert!(report["imported"].as_u64().unwrap() >= 1, "{report}");
    assert_eq!(report["duplicate"], 1, "{report}");
    assert_eq!(report["failed"], 0, "{report}");
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths[0], "run.fit",
        "shown as uploaded, not as stored on the server"
    );
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("export.zip") && p.ends_with("run.fit")),
        "{paths:?}"
    );
    assert!(
        !report.to_string().contains("soleus-upload-"),
        "no server path in the report: {report}"
    );
    // The report is the app's: the activity is stored, with its original bytes.
    let listed = s.app.activities(None, None).await.unwrap();
    assert_eq!(
        listed.activities.len() as u64,
        report["imported"].as_u64().unwrap()
    );

    let page = s.get(&format!("/import/jobs/{job}")).await;
    assert_page(&page, "the job's page");
    assert!(page.body.contains("Every file and what became of it"));
    assert!(page.body.contains("duplicate"));
    assert!(
        page.body
            .contains(&askama_escape(report["files"][0]["path"].as_str().unwrap()))
    );
    let summary = format!(
        "{} imported, 1 duplicate",
        report["imported"].as_u64().unwrap()
    );
    assert!(
        page.body.contains(&summary),
        "the CLI's summary line: {summary}"
    );

    // Again: every file is a duplicate now.
    let again = finished(&s, &job_id(&upload(&s, &files[..1]).await)).await;
    assert_eq!(again["report"]["duplicate"], 1, "{again}");
    assert_eq!(again["report"]["imported"], 0);
    let recent = s.get("/import").await;
    assert!(recent.body.contains("Recent imports"));
}

#[tokio::test]
async fn a_zip_with_names_outside_the_export_writes_nothing_outside() {
    let s = spawn_app("km", false).await;
    let fit = std::fs::read(corpus(FIT)).unwrap();
    let evil = zip_of(&[("../../escaped.fit", &fit), ("/abs/escaped2.fit", &fit)]);
    let doc = finished(&s, &job_id(&upload(&s, &[("evil.zip", &evil)]).await)).await;
    assert_eq!(doc["state"], "done", "{doc}");
    let tmp = std::env::temp_dir();
    assert!(!tmp.join("escaped.fit").exists());
    assert!(!std::path::Path::new("/abs/escaped2.fit").exists());
    let report = &doc["report"];
    // Both entries are refused by name, whatever they hold (a valid run here).
    assert_eq!(report["failed"], 2, "{report}");
    assert_eq!(report["imported"], 0, "{report}");
    for f in report["files"].as_array().unwrap() {
        assert!(
            f["reason"]
                .as_str()
                .unwrap()
                .contains("reaches outside the archive"),
            "{f}"
        );
    }
}

#[tokio::test]
async fn limits_and_mistakes_are_answered_plainly() {
    let s = spawn_app("km", false).await;
    // Nothing chosen: the form's empty file input.
    let (ct, body) = multipart(&[("", b"")]);
    let h = browser(&s);
    let headers: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = s.post("/import", &ct, body, &headers).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("choose at least one file"));

    // A body that claims more than the limit is refused before it is read.
    let req = axum::http::Request::post(format!("{}/api/v1/import", s.base))
        .header("content-type", ct.clone())
        .header("content-length", (3u64 << 30).to_string())
        .body(Body::from(vec![0u8; 16]))
        .unwrap();
    let big = s.send(req).await;
    assert_eq!(big.status, 413, "{}", big.body);
    assert!(
        big.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2 GiB")
    );

    // From another site: refused before anything is read or stored.
    let fit = std::fs::read(corpus(FIT)).unwrap();
    let (ct, body) = multipart(&[("run.fit", &fit)]);
    let cross = s
        .post(
            "/import",
            &ct,
            body,
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(cross.status, 403);
    assert!(
        s.app
            .activities(None, None)
            .await
            .unwrap()
            .activities
            .is_empty()
    );

    // Not a job.
    assert_eq!(s.get("/import/jobs/999").await.status, 404);
    assert_eq!(s.get("/api/v1/import/jobs/x").await.status, 404);

    // The API: 202 with the job's address, and the same report when done.
    let (ct, body) = multipart(&[("run.fit", &fit)]);
    let a = s.post("/api/v1/import", &ct, body, &[]).await;
    assert_eq!(a.status, 202, "{}", a.body);
    let loc = a.header("location").to_owned();
    let job = loc.rsplit('/').next().unwrap().to_owned();
    let doc = finished(&s, &job).await;
    assert_eq!(doc["report"]["imported"], 1, "{doc}");
}
