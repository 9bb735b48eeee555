//! `soleus digest` through the real binary: a single runner previews their week without any
//! mail set up; sending without an SMTP server says what to set; the address is kept with
//! `profile set --email`; the outbox is reported. (Delivery through a real SMTP server is
//! tested in `soleus-mail`.)

mod common;

use common::{Sandbox, samples};

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
