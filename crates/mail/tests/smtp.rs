//! The digest through a real SMTP server (aiosmtpd, started by the test): what arrives, for
//! whom, with which headers and parts; that a week is never sent twice, by one process or two
//! at once; that a refused delivery is reported and retried; and that a coach without the
//! medical scope receives nothing from check-ins. The messages are decoded by Python's email
//! package, independently of lettre that wrote them.

mod sink;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use sink::Sink;
use soleus_app::App;
use soleus_app::accounts::{Level, NewInvitation, Role, SignUp};
use soleus_app::checkin::PainLog;
use soleus_app::digest::Week;
use soleus_app::import::{ImportOptions, NoProgress};
use soleus_mail::{DigestOutcome, Mailer, SmtpConfig, TlsMode, send_digests};

fn mailer(port: u16) -> Mailer {
    Mailer::new(&SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        from: "Soleus <digest@soleus.example>".into(),
        user: None,
        password: None,
        public_url: "http://soleus.example".into(),
    })
    .unwrap()
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn sign_up(email: &str, name: &str, role: Role) -> SignUp {
    SignUp {
        email: email.into(),
        password: "a long enough passphrase".into(),
        display_name: name.into(),
        role,
        org: None,
    }
}

/// A runner with the sample history (last run Sunday 15 November 2026, ISO week 2026-W46),
/// quick pain logs in that week, a coach without the medical scope and a clinician with it.
async fn club(url: &str) -> App {
    let app = App::open(url).await.unwrap();
    let ana = app
        .sign_up(
            &sign_up("ana@example.org", "Ana <b>Runner</b>", Role::Athlete),
            None,
        )
        .await
        .unwrap();
    let me = app.caller(&ana.token).await.unwrap().unwrap();
    let athlete = me.user.athlete.unwrap();
    let runner = app.as_athlete(athlete);
    runner
        .import(&[samples()], &ImportOptions::default(), &mut NoProgress)
        .await
        .unwrap();
    // A full check-in (the demo's) on Tuesday, worst pain 4/10, then a quick log on Thursday,
    // worst 3/10: a mean of 3.5.
    let checkin = soleus_model::assess::CheckIn::from_json(
        r#"{"date":"2026-11-10","side":"left","regions":["CALF_MID"],"onset":"gradual",
            "days_since_onset":4,"trend":"same","pain":{"now":2,"during_run":4,"after_run":4,
            "next_morning":3,"walking":1,"at_rest":false,"at_night":false},
            "character":["dull_ache"],"can_bear_weight":true,"can_heel_raise_single_leg":true,
            "tests":{"SLHR_STRAIGHT":{"reps":24,"pain":2},"SLHR_BENT":{"reps":14,"pain":5}}}"#,
    )
    .unwrap();
    runner.store_checkin(&checkin).await.unwrap();
    runner
        .log_pain(&PainLog {
            date: Some("2026-11-12".parse::<NaiveDate>().unwrap()),
            during: Some(3),
            after: Some(3),
            next_morning: Some(2),
        })
        .await
        .unwrap();
    for (email, name, role) in [
        ("coach@example.org", "Cora Coach", Role::Coach),
        ("physio@example.org", "Phil Physio", Role::Clinician),
    ] {
        let inv = runner
            .invite(
                &me,
                &NewInvitation {
                    email: email.into(),
                    role,
                    level: Level::View,
                    medical: None,
                },
            )
            .await
            .unwrap();
        let token = inv.link.unwrap().rsplit('/').next().unwrap().to_owned();
        let them = app
            .sign_up(&sign_up(email, name, role), None)
            .await
            .unwrap();
        let caller = app.caller(&them.token).await.unwrap().unwrap();
        app.accept_invitation(&caller, &token).await.unwrap();
    }
    comments(url, &app, &runner).await;
    app
}

/// Comments on the runner's data, written as rows: the coach on an activity on Thursday
/// 12 November (with markup that must come out escaped), the clinician's reply, the runner's
/// own note and a comment of the week before (neither of which is "received this week").
async fn comments(url: &str, app: &App, runner: &App) {
    use sqlx::Connection;
    let users = app.users().await.unwrap();
    let id = |email: &str| users.iter().find(|u| u.email == email).unwrap().id.0;
    let activity = runner.activities(None, None).await.unwrap().activities[0]
        .id
        .0;
    let at = |s: &str| {
        s.parse::<chrono::DateTime<Utc>>()
            .unwrap()
            .timestamp_millis()
    };
    let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
    for (cid, author, parent, body, when) in [
        (
            1,
            id("coach@example.org"),
            None,
            "Great <em>tempo</em> run!",
            "2026-11-12T10:00:00Z",
        ),
        (
            2,
            id("physio@example.org"),
            Some(1),
            "Ease off if the calf is sore.",
            "2026-11-13T09:00:00Z",
        ),
        (
            3,
            id("ana@example.org"),
            None,
            "my own note",
            "2026-11-12T11:00:00Z",
        ),
        (
            4,
            id("coach@example.org"),
            None,
            "last week's word",
            "2026-11-01T10:00:00Z",
        ),
    ] {
        sqlx::query(
            "INSERT INTO comments (id, athlete_id, author_id, target_kind, target_id, \
             parent_id, body, created_ms) VALUES ($1, $2, $3, 'activity', $4, $5, $6, $7)",
        )
        .bind(cid)
        .bind(runner.athlete_id().0)
        .bind(author)
        .bind(activity)
        .bind(parent)
        .bind(body)
        .bind(at(when))
        .execute(&mut db)
        .await
        .unwrap();
    }
}

fn to(m: &serde_json::Value) -> String {
    m["rcpt_tos"][0].as_str().unwrap().to_owned()
}

fn part<'a>(m: &'a serde_json::Value, ct: &str) -> &'a str {
    m["parts"][ct].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_recipient_gets_one_digest_a_week_with_both_parts_and_only_their_scope() {
    let Some(sink) = Sink::start() else { return };
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", db.path().join("club.db").display());
    let app = club(&url).await;
    let mail = mailer(sink.port);
    let w46 = Week::parse("2026-W46").unwrap();

    let report = send_digests(&app, &mail, Some(w46), None, "test-a", Utc::now())
        .await
        .unwrap();
    assert_eq!(report.sent(), 3, "{report:#?}");
    let msgs = sink.wait_for(3);
    assert_eq!(msgs.len(), 3);
    let by = |addr: &str| msgs.iter().find(|m| to(m) == addr).unwrap().clone();
    let (ana, coach, physio) = (
        by("ana@example.org"),
        by("coach@example.org"),
        by("physio@example.org"),
    );
    for m in [&ana, &coach, &physio] {
        assert_eq!(m["mail_from"], "digest@soleus.example");
        assert_eq!(m["content_type"], "multipart/alternative");
        assert!(!part(m, "text/plain").is_empty() && !part(m, "text/html").is_empty());
        let h = &m["headers"];
        // RFC 8058: an HTTPS (here http) URI in List-Unsubscribe, and the one-click POST.
        let unsub = h["list-unsubscribe"].as_str().unwrap();
        assert!(
            unsub.starts_with("<http://soleus.example/unsubscribe/"),
            "{unsub}"
        );
        assert_eq!(h["list-unsubscribe-post"], "List-Unsubscribe=One-Click");
        assert!(h["message-id"].as_str().unwrap().contains("2026-W46"));
        let html = part(m, "text/html");
        assert!(!html.contains("<script") && !html.contains("<svg") && !html.contains("<img"));
        assert!(
            html.contains(unsub.trim_matches(['<', '>'])),
            "the link is in the body too"
        );
        assert!(part(m, "text/plain").contains(unsub.trim_matches(['<', '>'])));
    }
    // The athlete's own week: 9–15 November, the runs of the samples (3 runs, 23.9 km, as
    // `soleus activities` lists them for those days), the pain logs, the hill warning.
    assert_eq!(
        ana["headers"]["subject"],
        "Your week in Soleus (9 Nov–15 Nov): 23.9 km, 3 run(s)"
    );
    let text = part(&ana, "text/plain");
    assert!(text.contains("9–15 November 2026"), "{text}");
    assert!(
        text.contains("Pain this week: 3.5/10 on average over 2 day(s)"),
        "{text}"
    );
    assert!(text.contains("hill load jump"), "{text}");
    // Comments and replies others left this week, with a link to the activity; not the
    // runner's own, not last week's.
    assert!(
        text.contains("Cora Coach commented on your activity, 12 Nov"),
        "{text}"
    );
    assert!(
        text.contains("Phil Physio replied on your activity, 13 Nov"),
        "{text}"
    );
    assert!(!text.contains("my own note") && !text.contains("last week's word"));
    assert!(text.contains("http://soleus.example/activities/"));
    // A name from the account and a comment's markup are escaped in HTML, as every page
    // escapes them.
    let html = part(&ana, "text/html");
    assert!(!html.contains("<em>tempo"));
    assert!(
        html.contains("&#60;em&#62;tempo") || html.contains("&lt;em&gt;tempo"),
        "{html}"
    );
    let html = part(&ana, "text/html");
    assert!(html.contains("Ana &#60;b&#62;Runner") || html.contains("Ana &lt;b&gt;Runner"));
    assert!(!html.contains("<b>Runner</b>"));

    // The coach has no medical scope: no pain, no check-in, nothing from them.
    let coach_all = format!(
        "{}{}",
        part(&coach, "text/plain"),
        part(&coach, "text/html")
    );
    assert!(coach_all.contains("Ana"), "the coach sees the athlete");
    for marker in ["Pain", "pain", "check-in", "Check-in", "3.5/10"] {
        assert!(!coach_all.contains(marker), "{marker:?} reached the coach");
    }
    assert!(coach_all.contains("http://soleus.example/athletes/"));
    // The clinician has it.
    assert!(part(&physio, "text/plain").contains("2 check-in(s); pain"));

    // A second run of the week sends nothing.
    let again = send_digests(&app, &mail, Some(w46), None, "test-b", Utc::now())
        .await
        .unwrap();
    assert_eq!(again.sent(), 0);
    assert!(
        again
            .digests
            .iter()
            .all(|d| d.outcome == DigestOutcome::AlreadyDone)
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sink.messages().len(), 3);

    // Each recipient is told in the app that their digest went out, once for the week.
    for email in ["ana@example.org", "coach@example.org", "physio@example.org"] {
        let signed = app
            .sign_in(email, "a long enough passphrase", None)
            .await
            .unwrap();
        let me = app.caller(&signed.token).await.unwrap().unwrap();
        let inbox = app.inbox(&me).await.unwrap();
        let told: Vec<_> = inbox
            .notifications
            .iter()
            .filter(|n| n.kind == "digest")
            .collect();
        assert_eq!(told.len(), 1, "{email}: {inbox:?}");
        assert_eq!(
            (told[0].text.as_str(), told[0].count),
            ("Your weekly digest of 2026-W46 was sent to you by mail", 1)
        );
    }

    // Two processes (two databases handles, two connection pools) send four weeks at once:
    // each recipient gets each new week exactly once.
    let other = App::open(&url).await.unwrap();
    let mut week = Week::parse("2026-W42").unwrap();
    let weeks: Vec<Week> = (0..4)
        .map(|_| {
            let w = week;
            week = week.next();
            w
        })
        .collect();
    async fn run(app: &App, mail: &Mailer, weeks: &[Week], name: &str) -> usize {
        let mut sent = 0;
        for w in weeks {
            sent += send_digests(app, mail, Some(*w), None, name, Utc::now())
                .await
                .unwrap()
                .sent();
        }
        sent
    }
    let (a, b) = tokio::join!(
        run(&app, &mail, &weeks, "proc-1"),
        run(&other, &mail, &weeks, "proc-2")
    );
    // W42–W45 are new: 3 recipients × 4 weeks, each sent by one process or the other.
    assert_eq!(a + b, 12, "sent by one or the other, never both");
    let msgs = sink.wait_for(3 + 12);
    let mut ids: Vec<String> = msgs
        .iter()
        .map(|m| m["headers"]["message-id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!((n, ids.len()), (15, 15), "every message once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_delivery_is_reported_and_retried_later_not_at_once() {
    let Some(sink) = Sink::start() else { return };
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", db.path().join("one.db").display());
    let app = App::open(&url).await.unwrap();
    app.set_digest_email("refused@example.org").await.unwrap();
    let mail = mailer(sink.port);
    let w = Week::parse("2026-W46").unwrap();
    let r = send_digests(&app, &mail, Some(w), None, "t", Utc::now())
        .await
        .unwrap();
    let DigestOutcome::Failed { error, retry_at } = &r.digests[0].outcome else {
        panic!("{r:#?}")
    };
    assert!(error.contains("550"), "{error}");
    let retry_at = retry_at.expect("a first failure is retried");
    assert!(retry_at > Utc::now() + chrono::Duration::seconds(50));
    // Not due again yet: a run now does nothing.
    let again = send_digests(&app, &mail, Some(w), None, "t", Utc::now())
        .await
        .unwrap();
    assert_eq!(again.digests[0].outcome, DigestOutcome::AlreadyDone);
    // Once due, it is tried again (and refused again: the attempts count).
    let later = send_digests(&app, &mail, Some(w), None, "t", retry_at)
        .await
        .unwrap();
    assert!(matches!(
        later.digests[0].outcome,
        DigestOutcome::Failed { .. }
    ));
    let status = app.outbox("t").status(Some(w)).await.unwrap();
    assert_eq!(
        (status[0].state.as_str(), status[0].attempts),
        ("failed", 2)
    );
    assert!(sink.messages().is_empty());
}
