//! `soleus serve`: the real binary serves the database it was given, on loopback only.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

use common::Sandbox;

#[test]
fn serve_refuses_an_address_other_computers_can_reach() {
    let s = Sandbox::new();
    let out = s.run(&["serve", "--addr", "0.0.0.0:8080"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("0.0.0.0:8080 is not a loopback address"),
        "{err}"
    );
}

#[test]
fn serve_prints_its_address_and_answers_there() {
    let s = Sandbox::new();
    let mut child = s
        .cmd(&["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start soleus serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    let mut conn = TcpStream::connect(&addr).unwrap();
    write!(
        conn,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok\n"), "{answer}");
}

/// Reads the child's output until the line with the address it serves.
fn served_address(out: impl Read) -> String {
    for line in BufReader::new(out).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            return rest.split('/').next().unwrap().to_owned();
        }
    }
    panic!("the command ended without serving");
}

fn get(addr: &str, path: &str) -> String {
    let mut conn = TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn demo_serve_imports_the_samples_serves_them_and_closes_the_database_on_sigterm() {
    let s = Sandbox::new();
    let db = s.path("demo.db");
    // Without --db: the demo's own fresh database, as README command 1 runs it.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_soleus"))
        .args([
            "demo",
            "--demo-db",
            db.to_str().unwrap(),
            "--serve",
            "--addr",
            "127.0.0.1:0",
        ])
        .current_dir(s.dir.path())
        .env("HOME", s.dir.path())
        .env("XDG_DATA_HOME", s.path("data"))
        .env("XDG_CONFIG_HOME", s.path("config"))
        .env_remove("SOLEUS_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start soleus demo --serve");
    let addr = served_address(child.stdout.take().unwrap());
    let list = get(&addr, "/activities");
    assert!(list.starts_with("HTTP/1.1 200"), "{list}");
    // The samples are twelve weeks of runs: the list has rows linking to activities.
    assert!(list.matches("href=\"/activities/").count() >= 10, "{list}");
    let dash = get(&addr, "/");
    assert!(dash.contains("Overload warnings"), "{dash}");

    // A service manager's stop: the server finishes and closes the database.
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(
        status.code().is_some(),
        "it exits on its own, not by the signal: {status:?}"
    );
    let wal = s.path("demo.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "the write-ahead log is checkpointed into the file"
    );
    // The file alone holds the demo: read it back without the server.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_soleus"))
        .args([
            "--db",
            &format!("sqlite://{}", db.display()),
            "activities",
            "--json",
        ])
        .current_dir(s.dir.path())
        .env("HOME", s.dir.path())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["activities"].as_array().unwrap().len() >= 10, "{doc}");
}
