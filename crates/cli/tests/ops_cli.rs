//! `soleus serve --log-format json`: one JSON object a line on stderr, each of a request's
//! lines carrying its request id; the default stays text for people.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use common::Sandbox;

/// Starts `soleus serve` on a free port with `extra` arguments; returns it and its address.
fn serve(s: &Sandbox, extra: &[&str]) -> (Child, String) {
    let mut args = vec!["serve", "--addr", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let mut child = s
        .cmd(&args)
        .env_remove("SOLEUS_LOG")
        .env_remove("SOLEUS_LOG_FORMAT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start soleus serve");
    let out = child.stdout.take().unwrap();
    let addr = BufReader::new(out)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| Some(line.split("http://").nth(1)?.split('/').next()?.to_owned()));
    match addr {
        Some(addr) => (child, addr),
        None => {
            let _ = child.wait();
            panic!("soleus serve ended without serving");
        }
    }
}

/// A post from another site, which the server refuses with a warning in its log.
fn cross_site_post(addr: &str, request_id: &str) -> String {
    let mut conn = TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "POST /settings HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://elsewhere.example\r\n\
         Sec-Fetch-Site: cross-site\r\nX-Request-Id: {request_id}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\
         Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    answer
}

/// Stops the server and returns what it wrote on stderr.
fn stop(mut child: Child) -> String {
    child.kill().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    err
}

#[test]
fn json_logs_carry_the_request_id_on_each_line_of_the_request() {
    let s = Sandbox::new();
    let (child, addr) = serve(&s, &["--log-format", "json"]);
    let answer = cross_site_post(&addr, "ops-req-4711");
    let err = stop(child);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.contains("x-request-id: ops-req-4711"), "{answer}");
    let lines: Vec<serde_json::Value> = err
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: not JSON: {l}")))
        .collect();
    let refused = lines
        .iter()
        .find(|l| l["fields"]["message"] == "cross-site request refused")
        .unwrap_or_else(|| panic!("no refusal logged in {err}"));
    assert_eq!(refused["level"], "WARN");
    assert_eq!(refused["span"]["id"], "ops-req-4711", "{refused}");
    assert_eq!(refused["span"]["route"], "/settings", "{refused}");
    assert_eq!(refused["spans"][0]["id"], "ops-req-4711", "{refused}");
}

#[test]
fn text_logs_are_the_default() {
    let s = Sandbox::new();
    let (child, addr) = serve(&s, &[]);
    cross_site_post(&addr, "ops-req-4712");
    let err = stop(child);
    let line = err
        .lines()
        .find(|l| l.contains("cross-site request refused"))
        .unwrap_or_else(|| panic!("no refusal logged in {err}"));
    assert!(line.contains(r#"request{id="ops-req-4712""#), "{line}");
    assert!(serde_json::from_str::<serde_json::Value>(line).is_err());
}

/// A service manager stops a worker with SIGTERM: it ends its round and exits cleanly, the
/// database closed (an SQLite file then has no write-ahead log left beside it).
#[cfg(unix)]
#[test]
fn a_worker_stops_cleanly_on_sigterm() {
    let s = Sandbox::new();
    s.ok(&["profile", "set", "--email", "ana@example.org"]);
    let mut child = s
        .cmd(&["worker", "--name", "w1"])
        // No server listens there: the worker starts, finds nothing due, and waits.
        .env("SOLEUS_SMTP_HOST", "127.0.0.1")
        .env("SOLEUS_SMTP_PORT", "9")
        .env("SOLEUS_SMTP_TLS", "none")
        .env("SOLEUS_SMTP_FROM", "Soleus <digest@soleus.example>")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let started = BufReader::new(out)
        .lines()
        .map_while(Result::ok)
        .any(|l| l.contains("Soleus worker w1"));
    assert!(started, "the worker said it started");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // Bounded, so a worker that ignores SIGTERM fails the test instead of hanging it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the worker did not stop on SIGTERM");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "a clean exit, not a signal's death");
    let wal = s.path("t.db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the database was closed"
    );
}
