//! A database on a read-only medium (a mounted backup, a write-protected card) is read as it
//! is: every report works, and a change fails saying why. Needs a real read-only mount, so it
//! runs where the test may mount a tmpfs (as root in a container or CI); elsewhere it says it
//! was skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs() -> Option<Mount> {
        let dir = tempfile::tempdir().ok()?.keep();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64m", "tmpfs"])
            .arg(&dir)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then_some(Mount(dir))
    }

    fn read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .output()
            .is_ok_and(|o| o.status.success())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).output();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Runs soleus on `db`, with a home folder of its own (no config file of the machine's).
fn soleus(home: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_soleus"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("SOLEUS_DB")
        .env_remove("SOLEUS_UNITS")
        .env_remove("SOLEUS_CONFIG")
        .output()
        .unwrap()
}

#[test]
fn a_database_on_a_read_only_mount_reads_and_refuses_changes() {
    let Some(mount) = Mount::tmpfs() else {
        eprintln!("skipped: this test may not mount a tmpfs here (needs root)");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let soleus = |db: &Path, args: &[&str]| soleus(home.path(), db, args);
    let db = mount.0.join("soleus.db");
    let samples = common::samples();
    let out = soleus(&db, &["import", samples.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = soleus(&db, &["activities", "--json"]);
    assert!(before.status.success());
    // The import closed the database cleanly: the file alone holds everything.
    let wal = mount.0.join("soleus.db-wal");
    assert!(std::fs::metadata(&wal).map_or(true, |m| m.len() == 0));
    assert!(mount.read_only(), "remounting read-only");

    // Reports read the same rows as before the mount became read-only.
    let after = soleus(&db, &["activities", "--json"]);
    assert!(
        after.status.success(),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    let (b, a): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(&before.stdout).unwrap(),
        serde_json::from_slice(&after.stdout).unwrap(),
    );
    assert!(!a["activities"].as_array().unwrap().is_empty());
    assert_eq!(a, b);
    for args in [
        &["load", "--json"][..],
        &["risk", "--json"],
        &["today", "--json"],
    ] {
        let out = soleus(&db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // A change fails with the reason, and exit code 2.
    let out = soleus(&db, &["rpe", "1", "5"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("read-only"), "{err}");
}
