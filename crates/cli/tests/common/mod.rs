//! Running the real `soleus` binary in a temporary directory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary home for one test: its own database and files.
#[derive(Debug)]
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Sandbox {
        Sandbox::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db(&self) -> String {
        format!("sqlite://{}", self.path("t.db").display())
    }

    /// The command with this sandbox's database, config and data directories.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_on(&self.db(), args)
    }

    /// The command on the database `db`, with this sandbox's config and data directories.
    pub fn cmd_on(&self, db: &str, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_soleus"));
        c.arg("--db")
            .arg(db)
            .args(args)
            .current_dir(self.dir.path());
        c.env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CONFIG_HOME", self.path("config"));
        c.env_remove("SOLEUS_DB")
            .env_remove("SOLEUS_UNITS")
            .env_remove("SOLEUS_CONFIG")
            .env_remove("SOLEUS_SMTP_HOST")
            .env_remove("SOLEUS_PUBLIC_URL");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run soleus")
    }

    /// Runs a command that must succeed, and returns what it printed.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs a command that must succeed and print one JSON document, and parses it.
    pub fn value(&self, args: &[&str]) -> serde_json::Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {text}"))
    }

    /// Runs a command that must fail with exit code 2 (usage or input error), and returns what
    /// it said on stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} should exit 2; stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Runs a command that must print one JSON document, and parses it.
    pub fn json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let out = self.run(args);
        let text = String::from_utf8_lossy(&out.stdout);
        let doc = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{args:?} printed no single JSON document ({e}):\n{text}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), doc)
    }
}

/// The repository's bundled samples.
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// The shared corpus of real device files, or `None` (and a note) when it is absent.
pub fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: corpus not found at {}", p.display());
        None
    }
}

/// Every regular file below a folder.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_below(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A fresh PostgreSQL database for one test, dropped with it; `None` (and a note) when
/// `SOLEUS_TEST_PG_URL` names no server.
#[derive(Debug)]
pub struct FreshPg {
    server: String,
    name: String,
    /// The database's URL.
    pub url: String,
}

impl FreshPg {
    pub fn new(what: &str) -> Option<FreshPg> {
        let Ok(server) = std::env::var("SOLEUS_TEST_PG_URL") else {
            eprintln!("skipped: SOLEUS_TEST_PG_URL not set");
            return None;
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!("soleus_{what}_{}_{nanos}", std::process::id());
        pg_admin(&server, &format!("CREATE DATABASE {name}"));
        let (base, query) = server.split_once('?').unwrap_or((server.as_str(), ""));
        let start = base.find("://").map_or(0, |i| i + 3);
        let host_end = base[start..].find('/').map_or(base.len(), |i| start + i);
        let q = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        let url = format!("{}/{name}{q}", &base[..host_end]);
        Some(FreshPg { server, name, url })
    }
}

impl Drop for FreshPg {
    fn drop(&mut self) {
        pg_admin(
            &self.server,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Runs one statement on the server's maintenance database.
fn pg_admin(server: &str, sql: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(server).await.unwrap();
        sqlx::query(sql).execute(&mut c).await.unwrap();
    });
}
