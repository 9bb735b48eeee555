//! The pages in a real browser: Debian's chromium driven by `playwright-core`, with axe on every
//! page a flow opens (`e2e/run.mjs`, the flows in `e2e/flows/`). No serious or critical
//! accessibility violation, no script error, nothing wider than a 375 px phone; screenshots at
//! 1280 and 375 px are written under the target directory for review.
//!
//! It needs `/usr/bin/chromium` (Debian's `chromium`) and `npm ci` in `crates/web/e2e`, which
//! `.ci/run` installs. Without them the test says so and passes, except under `CI=true`, where
//! a missing browser is a failure.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;

/// Longer than every flow together takes; a hung browser fails rather than stalls CI.
const LIMIT: Duration = Duration::from_secs(600);

fn chromium() -> PathBuf {
    std::env::var_os("SOLEUS_CHROMIUM").map_or_else(|| "/usr/bin/chromium".into(), PathBuf::from)
}

/// What is missing to run the browser, if anything.
fn missing(e2e: &Path) -> Option<String> {
    if !chromium().exists() {
        return Some(format!(
            "no browser at {} (apt-get install chromium)",
            chromium().display()
        ));
    }
    if !e2e.join("node_modules/playwright-core").exists() {
        return Some("no playwright-core (npm ci in crates/web/e2e)".into());
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_flow_passes_in_a_real_browser_without_serious_accessibility_violations() {
    let e2e = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e");
    if let Some(why) = missing(&e2e) {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "the browser tests must run in CI: {why}"
        );
        eprintln!("skipping the browser tests: {why}");
        return;
    }
    let s = spawn_app("km", true).await;
    // The sharing flow makes accounts, after which every page asks for a sign-in: it gets a
    // Soleus of its own.
    let accounts = spawn_app("km", true).await;
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    let _ = std::fs::remove_dir_all(&out);
    // A zip of two corpus files for the import flow to upload (the flows make no files).
    std::fs::create_dir_all(&out).unwrap();
    let zip = out.join("upload.zip");
    {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
        for name in [
            "tcx/trackeR__2013-06-14-105252.TCX.gz",
            "gpx/fittrackee__test.gpx",
        ] {
            let file = name.rsplit('/').next().unwrap();
            w.start_file(
                format!("activities/{file}"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            w.write_all(&std::fs::read(corpus(name)).unwrap()).unwrap();
        }
        w.finish().unwrap();
    }
    // The weekly digest of the week of the latest run, rendered with links to this server,
    // for the digest flow to open as a mail client would.
    let latest: chrono::NaiveDate = s.app.activities(None, None).await.unwrap().activities[0]
        .local_date
        .parse()
        .unwrap();
    let me = soleus_app::digest::delivery::Recipient {
        key: "athlete:1".into(),
        kind: soleus_app::digest::delivery::DigestKind::Athlete,
        email: "runner@example.org".into(),
        name: Some("Ana".into()),
        athlete: Some(s.app.athlete_id()),
        user: None,
        time_zone: None,
        enabled: true,
    };
    let (mail, _) =
        soleus_mail::render_for(&s.app, &me, soleus_app::digest::Week::of(latest), &s.base)
            .await
            .unwrap();
    let digest = out.join("digest.html");
    std::fs::write(&digest, &mail.html).unwrap();
    let mut cmd = tokio::process::Command::new("node");
    cmd.env("SOLEUS_E2E_ZIP", &zip)
        .env("SOLEUS_E2E_DIGEST", &digest)
        .env("SOLEUS_E2E_ACCOUNTS", &accounts.base);
    cmd.arg(e2e.join("run.mjs"))
        .arg(&s.base)
        .arg(&out)
        .arg(corpus(""))
        .current_dir(&e2e)
        .kill_on_drop(true);
    let run = tokio::time::timeout(LIMIT, cmd.output())
        .await
        .expect("the browser tests finish in time")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("{\"results\""))
        .unwrap_or_else(|| panic!("no results from the browser run:\n{stdout}\n{stderr}"));
    let doc: serde_json::Value = serde_json::from_str(line).unwrap();
    let results = doc["results"].as_array().unwrap();
    assert!(!results.is_empty(), "at least one flow ran");
    let failed: Vec<String> = results
        .iter()
        .filter(|r| r["ok"] != true)
        .map(|r| serde_json::to_string_pretty(r).unwrap())
        .collect();
    assert!(
        failed.is_empty(),
        "failed flows (screenshots in {}):\n{}",
        out.display(),
        failed.join("\n")
    );
    assert!(run.status.success(), "{stderr}");
    let checked: usize = results
        .iter()
        .map(|r| r["pages"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(checked >= 3, "axe looked at {checked} pages");
    eprintln!(
        "{} flows, {checked} pages checked; screenshots in {}",
        results.len(),
        out.display()
    );
}
