//! `soleus org invite` (issue 12): the first admin of a fresh server invites members; the
//! link is on the public URL and opens `/join/{token}`; a bad organisation or role is a
//! clear error. On SQLite, and on PostgreSQL when `SOLEUS_TEST_PG_URL` is set.

mod common;

use common::{FreshPg, Sandbox};

fn invite_story(sb: &Sandbox, db: &str) {
    let ok = |args: &[&str]| {
        let out = sb.cmd_on(db, args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let added = ok(&["org", "add", "Harbour Striders"]);
    let id = added
        .trim()
        .strip_prefix("added organisation ")
        .and_then(|r| r.split(':').next())
        .unwrap_or_else(|| panic!("{added}"))
        .to_owned();

    let text = ok(&[
        "org",
        "invite",
        &id,
        "lee@example.org",
        "--role",
        "clinician",
    ]);
    assert!(
        text.starts_with("invited lee@example.org to Harbour Striders as clinician"),
        "{text}"
    );
    // Without SMTP or a public URL, the server this computer runs by default.
    let link = text.lines().last().unwrap();
    assert!(link.starts_with("http://127.0.0.1:8080/join/"), "{text}");
    let token = link.rsplit('/').next().unwrap();
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!text.contains("mailed"), "{text}");

    let out = sb
        .cmd_on(
            db,
            &[
                "org",
                "invite",
                &id,
                "kim@example.org",
                "--role",
                "admin",
                "--json",
            ],
        )
        .env("SOLEUS_PUBLIC_URL", "https://club.example/")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["email"], "kim@example.org");
    assert_eq!(v["role"], "admin");
    assert_eq!(v["state"], "open");
    assert_eq!(v["org_name"], "Harbour Striders");
    assert!(
        v["link"]
            .as_str()
            .unwrap()
            .starts_with("https://club.example/join/"),
        "{v}"
    );
    // 7 days, from the brief: the expiry is within a minute of now + 7 days.
    let expires = chrono::DateTime::parse_from_rfc3339(v["expires"].as_str().unwrap()).unwrap();
    let left = expires.signed_duration_since(chrono::Utc::now());
    assert!(
        (left - chrono::Duration::days(7)).num_seconds().abs() < 60,
        "{left}"
    );

    // Bad input: clear errors, nothing made.
    for (args, words) in [
        (
            vec![
                "org",
                "invite",
                "424242",
                "x@example.org",
                "--role",
                "coach",
            ],
            "organisation",
        ),
        (
            vec!["org", "invite", &id, "not-an-address", "--role", "coach"],
            "not an email address",
        ),
        (
            vec!["org", "invite", &id, "x@example.org", "--role", "boss"],
            "is not a role",
        ),
    ] {
        let out = sb.cmd_on(db, &args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{args:?}: {err}");
    }
}

#[test]
fn org_invite_prints_the_link_on_sqlite() {
    let sb = Sandbox::new();
    invite_story(&sb, &sb.db());
}

#[test]
fn org_invite_prints_the_link_on_postgres() {
    let Some(pg) = FreshPg::new("people_cli") else {
        return;
    };
    let sb = Sandbox::new();
    invite_story(&sb, &pg.url);
}
