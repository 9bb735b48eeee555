//! What an operator sees of a serving process: `/healthz`, `/readyz` (the database answers and
//! its schema is this release's) and `/metrics` (counted by route pattern, for this machine or
//! the token holder only, never with athlete data).

mod common;

use std::io::Write;
use std::time::Duration;

use common::*;
use sqlx::Connection;

/// A statement on the test's SQLite file, beside the server.
async fn sql(url: &str, statement: &str) {
    let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
    sqlx::query(statement).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

#[tokio::test]
async fn readyz_says_ready_only_while_the_schema_is_this_releases() {
    let s = spawn_app("km", false).await;
    let ready = s.get("/readyz").await;
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready\n"));
    assert_eq!(s.get("/healthz").await.status, 200);

    // A migration missing (as if a half-applied upgrade): not ready, saying which.
    let newest: i64 = {
        let mut c = sqlx::SqliteConnection::connect(&s.url).await.unwrap();
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
            .fetch_one(&mut c)
            .await
            .unwrap()
    };
    sql(
        &s.url,
        &format!("UPDATE _sqlx_migrations SET success = FALSE WHERE version = {newest}"),
    )
    .await;
    let behind = s.get("/readyz").await;
    assert_eq!(behind.status, 503, "{}", behind.body);
    assert!(
        behind.body.starts_with("not ready:") && behind.body.contains(&format!("[{newest}]")),
        "{}",
        behind.body
    );
    // Alive all the same: the process needs no restart to be probed.
    assert_eq!(s.get("/healthz").await.status, 200);
    sql(
        &s.url,
        &format!("UPDATE _sqlx_migrations SET success = TRUE WHERE version = {newest}"),
    )
    .await;
    assert_eq!(s.get("/readyz").await.status, 200);

    // A newer release migrated the database: this one is not ready to serve it.
    sql(
        &s.url,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99990001, 'from the future', TRUE, x'00', 0)",
    )
    .await;
    let ahead = s.get("/readyz").await;
    assert_eq!(ahead.status, 503);
    assert!(
        ahead.body.contains("99990001") && ahead.body.contains("newer release"),
        "{}",
        ahead.body
    );
}

/// A multipart/form-data body with one `files` part.
fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "soleus-ops-boundary-51c2";
    let mut body = Vec::new();
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(bytes);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The value of the sample line that starts with `series` (name and labels), if any.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_count_route_patterns_queues_and_imports_and_hold_no_athlete_data() {
    let s = spawn_app("km", true).await;
    let id = s.first_id().await;
    const MARKER: &str = "Zq7PlantedMarker";
    for path in [
        format!("/activities/{id}"),
        format!("/activities/{id}"),
        format!("/api/v1/activities/{id}"),
        "/activities/987654321".to_owned(),
        format!("/activities?note={MARKER}"),
        format!("/{MARKER}/nowhere"),
    ] {
        s.get(&path).await;
    }
    // An upload, under a name carrying the marker.
    let run = std::fs::read(corpus(RUNS[0])).unwrap();
    let (ct, body) = multipart(&format!("{MARKER}.tcx.gz"), &run);
    let origin = s.base.clone();
    let up = s
        .post(
            "/import",
            &ct,
            body,
            &[("origin", &origin), ("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(up.status, 303, "{}", up.body);
    let job = up.header("location").rsplit('/').next().unwrap().to_owned();
    let mut done = false;
    for _ in 0..600 {
        let doc = s.get(&format!("/api/v1/import/jobs/{job}")).await.json();
        if doc["done"] == true {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(done, "the upload's import finished");
    // Work waiting in the queue (due far ahead, so the server's own worker leaves it), and
    // one job another worker holds under a lease that has not run out.
    sql(
        &s.url,
        "INSERT INTO jobs (kind, payload, state, max_attempts, run_after_ms, created_ms, \
         updated_ms) VALUES ('reparse', '{}', 'queued', 3, 9000000000000000, 0, 0), \
         ('reparse', '{}', 'queued', 3, 9000000000000000, 0, 0), \
         ('reparse', '{}', 'running', 3, 0, 0, 0)",
    )
    .await;
    sql(
        &s.url,
        "UPDATE jobs SET lease_until_ms = 9000000000000000, claimed_by = 'elsewhere', \
         attempts = 1 WHERE state = 'running'",
    )
    .await;

    let m = s.get("/metrics").await;
    assert_eq!(m.status, 200, "{}", m.body);
    assert!(
        m.header("content-type")
            .starts_with("application/openmetrics-text"),
        "{}",
        m.header("content-type")
    );
    let body = &m.body;
    assert_eq!(
        sample(
            body,
            r#"soleus_http_requests_total{route="/activities/{id}",method="GET",status="200"}"#
        ),
        Some(2.0),
        "{body}"
    );
    assert_eq!(
        sample(
            body,
            r#"soleus_http_requests_total{route="/activities/{id}",method="GET",status="404"}"#
        ),
        Some(1.0),
        "{body}"
    );
    assert!(
        sample(
            body,
            r#"soleus_http_request_duration_seconds_count{route="/api/v1/activities/{id}",method="GET"}"#
        ) == Some(1.0),
        "{body}"
    );
    assert!(
        body.contains(r#"route="unmatched",method="GET",status="404""#),
        "{body}"
    );
    assert_eq!(
        sample(body, r#"soleus_import_files_total{outcome="duplicate"}"#),
        Some(1.0),
        "the run was imported already: {body}"
    );
    assert!(sample(body, "soleus_import_bytes_total").unwrap_or(0.0) > 0.0);
    assert_eq!(
        sample(body, r#"soleus_queue_depth{queue="jobs_running"}"#),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        sample(body, r#"soleus_queue_depth{queue="jobs_queued"}"#),
        Some(2.0),
        "{body}"
    );
    assert_eq!(
        sample(body, r#"soleus_queue_depth{queue="mail_outbox"}"#),
        Some(0.0)
    );
    assert_eq!(sample(body, "soleus_database_up"), Some(1.0));
    // No path, id, query or file name asked for; no athlete's data.
    for absent in [MARKER, "987654321", "trackeR", "note="] {
        assert!(!body.contains(absent), "{absent} in {body}");
    }
    assert!(body.ends_with("# EOF\n"));
}

#[tokio::test]
async fn metrics_refuse_what_a_proxy_passed_on_unless_the_token_is_given() {
    let s = spawn_app("km", false).await;
    assert_eq!(s.get("/metrics").await.status, 200);
    // Behind a reverse proxy on this machine, a visitor's request arrives from loopback too.
    for h in ["x-forwarded-for", "forwarded", "x-real-ip"] {
        let a = s.get_with("/metrics", &[(h, "192.0.2.9")]).await;
        assert_eq!(a.status, 403, "{h}");
        assert!(!a.body.contains("soleus_"), "{h}: {}", a.body);
    }

    // With a token set: the token is needed, from anywhere.
    let app = soleus_app::App::open(&s.url).await.unwrap();
    let listener = soleus_web::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let options = soleus_web::Options {
        metrics_token: Some("tok-8c1d".into()),
        ..soleus_web::Options::default()
    };
    let server = tokio::spawn(soleus_web::serve_with(
        app,
        listener,
        async {
            let _ = stopped.await;
        },
        options,
    ));
    let mut t = s;
    t.base = base;
    assert_eq!(t.get("/metrics").await.status, 403);
    assert_eq!(
        t.get_with("/metrics", &[("authorization", "Bearer tok-8c1")])
            .await
            .status,
        403
    );
    let ok = t
        .get_with(
            "/metrics",
            &[
                ("authorization", "Bearer tok-8c1d"),
                ("x-forwarded-for", "192.0.2.9"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("soleus_http_requests_total"));
    drop(stop);
    server.await.unwrap().unwrap();
}
