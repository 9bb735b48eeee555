//! `soleus digest` through the real binary: a single runner previews their week without any
//! mail set up; sending without an SMTP server says what to set; the address is kept with
//! `profile set --email`; the outbox is reported. (Delivery through a real SMTP server is
//! tested in `soleus-mail`.)

mod common;
#[path = "../../mail/tests/sink/mod.rs"]
mod sink;

use common::{Sandbox, samples};
use sink::Sink;

#[test]
fn a_runner_previews_the_week_and_sending_says_what_to_set() {
    let env = Sandbox::new();
    env.ok(&["profile", "set", "--time-zone", "UTC"]);
    let out = env.run(&["import", samples().to_str().unwrap()]);
    assert!(matches!(out.status.code(), Some(0 | 1)));

    // The samples' last week, 9–15 November 2026 (ISO 2026-W46): three runs.
    let html = env.path("week.html");
    let doc = env.value(&[
        "digest",
        "--preview",
        html.to_str().unwrap(),
        "--week",
        "2026-W46",
        "--json",
    ]);
    assert_eq!(doc[0]["week"], "2026-W46");
    assert_eq!(doc[0]["recipient"], "athlete:1");
    let page = std::fs::read_to_string(&html).unwrap();
    let text = std::fs::read_to_string(env.path("week.txt")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("9–15 November 2026"));
    assert!(text.contains("9–15 November 2026") && text.contains("Unsubscribe from this digest"));
    assert!(!page.contains("<svg") && !page.contains("<script"));

    // A week that is not one is refused, naming the field.
    let e = env.fails(&[
        "digest",
        "--preview",
        html.to_str().unwrap(),
        "--week",
        "2026-48",
    ]);
    assert!(e.contains("2026-W48"), "{e}");

    // No SMTP server: say which settings to give, send nothing.
    let e = env.fails(&["digest", "--send"]);
    assert!(
        e.contains("SOLEUS_SMTP_HOST") && e.contains("SOLEUS_SMTP_FROM"),
        "{e}"
    );

    // The address, and a bad one refused.
    let e = env.fails(&["profile", "set", "--email", "nobody"]);
    assert!(e.contains("not an email address"), "{e}");
    let out = env.run(&["profile", "set", "--email", "ana@example.org"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ana@example.org"));

    // Nothing sent yet.
    let status = env.value(&["digest", "--status", "--json"]);
    assert_eq!(status, serde_json::json!([]));
    // One of --preview, --send or --status is needed.
    assert!(env.fails(&["digest"]).contains("--preview"));
}

/// Four weeks, each sent by two `soleus digest --send` processes started at the same moment,
/// all eight at once: every week arrives exactly once.
fn a_month_through_two_processes(db: &str, sink: &Sink) {
    let dir = tempfile::tempdir().unwrap();
    let soleus = |args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_soleus"));
        c.arg("--db")
            .arg(db)
            .args(args)
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("SOLEUS_SMTP_HOST", "127.0.0.1")
            .env("SOLEUS_SMTP_PORT", sink.port.to_string())
            .env("SOLEUS_SMTP_TLS", "none")
            .env("SOLEUS_SMTP_FROM", "Soleus <digest@soleus.example>")
            .env("SOLEUS_PUBLIC_URL", "http://soleus.example")
            .env_remove("SOLEUS_DB");
        c
    };
    let ok = |args: &[&str]| {
        let out = soleus(args).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ok(&[
        "profile",
        "set",
        "--time-zone",
        "UTC",
        "--email",
        "ana@example.org",
    ]);
    ok(&["import", samples().to_str().unwrap()]);
    let weeks = ["2026-W43", "2026-W44", "2026-W45", "2026-W46"];
    let children: Vec<_> = weeks
        .iter()
        .flat_map(|w| [w, w])
        .map(|w| {
            soleus(&["digest", "--send", "--week", w, "--json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut sent = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        sent += r["digests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["outcome"] == "sent")
            .count();
    }
    assert_eq!(sent, 4, "each week sent by one process of its two");
    sink.wait_for(4);
    let ids = sink.message_ids();
    assert_eq!(ids.len(), 4, "{ids:?}");
    for (id, w) in ids.iter().zip(weeks) {
        assert!(id.contains(w), "{id} is the digest of {w}");
    }
}

#[test]
fn a_month_of_weeks_through_two_processes_at_once_arrives_once_on_sqlite() {
    let Some(sink) = Sink::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    a_month_through_two_processes(
        &format!("sqlite://{}", dir.path().join("m.db").display()),
        &sink,
    );
}

#[test]
fn a_month_of_weeks_through_two_processes_at_once_arrives_once_on_postgres() {
    let Some(pg) = common::FreshPg::new("digest") else {
        return;
    };
    let Some(sink) = Sink::start() else { return };
    a_month_through_two_processes(&pg.url, &sink);
}

#[test]
fn two_workers_send_the_due_digest_on_schedule_once() {
    let Some(sink) = Sink::start() else { return };
    let env = Sandbox::new();
    env.ok(&[
        "profile",
        "set",
        "--time-zone",
        "UTC",
        "--email",
        "ana@example.org",
    ]);
    let worker = || {
        env.cmd(&["worker"])
            .env("SOLEUS_SMTP_HOST", "127.0.0.1")
            .env("SOLEUS_SMTP_PORT", sink.port.to_string())
            .env("SOLEUS_SMTP_TLS", "none")
            .env("SOLEUS_SMTP_FROM", "Soleus <digest@soleus.example>")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (worker(), worker());
    let got = sink.wait_for(1);
    // Let both workers finish their first round before counting.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let _ = (a.kill(), b.kill());
    let _ = (a.wait(), b.wait());
    assert_eq!(got.len(), 1);
    assert_eq!(sink.messages().len(), 1, "two workers, one digest");
    // The due week: the last whole ISO week before today (UTC) once Monday 07:00 has passed,
    // else the one before it.
    let now = chrono::Utc::now();
    let monday = now.date_naive()
        - chrono::Duration::days(i64::from(
            chrono::Datelike::weekday(&now.date_naive()).num_days_from_monday(),
        ));
    let due = if now.naive_utc() >= monday.and_hms_opt(7, 0, 0).unwrap() {
        monday - chrono::Duration::days(7)
    } else {
        monday - chrono::Duration::days(14)
    };
    let week = chrono::Datelike::iso_week(&due);
    let id = sink.message_ids().remove(0);
    assert!(
        id.contains(&format!("{}-W{:02}", week.year(), week.week())),
        "{id}"
    );
    let status = env.value(&["digest", "--status", "--json"]);
    assert_eq!(status[0]["state"], "sent");
}
