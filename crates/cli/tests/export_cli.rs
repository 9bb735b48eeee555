//! Garmin exports (zips inside a zip), `soleus reparse`, `soleus show` in miles, and where the
//! database comes from.

mod common;

use std::io::Write;

use common::{Sandbox, samples};

/// A zip with the given entries.
fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    for (name, bytes) in entries {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

#[test]
fn a_garmin_export_with_zips_inside_is_imported() {
    let sb = Sandbox::new();
    // Garmin Connect's export keeps uploaded files in zips inside its zip, next to JSON.
    let fits: Vec<(String, Vec<u8>)> = [
        "2026-08-27-1830-tempo-run.fit",
        "2026-08-30-0837-long-run.fit",
    ]
    .iter()
    .map(|n| (n.to_string(), std::fs::read(samples().join(n)).unwrap()))
    .collect();
    let inner = zip_of(&fits);
    let outer = zip_of(&[
        (
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip".into(),
            inner,
        ),
        (
            "DI_CONNECT/DI-Connect-Fitness/user_summarizedActivities.json".into(),
            b"[]".to_vec(),
        ),
    ]);
    let path = sb.path("garmin.zip");
    std::fs::write(&path, outer).unwrap();
    let (code, doc) = sb.json(&["import", path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["imported"], 2);
    let p = doc["files"][0]["path"].as_str().unwrap();
    assert!(
        p.contains("garmin.zip!/DI_CONNECT/") && p.contains(".zip!/2026-08-27"),
        "{p}"
    );
}

#[test]
fn reparse_rereads_every_original_and_keeps_ids() {
    let sb = Sandbox::new();
    sb.run(&["import", samples().to_str().unwrap()]);
    let before = sb.json(&["activities", "--json"]).1;
    let (code, doc) = sb.json(&["reparse", "--json"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["failed"], 0);
    let after = sb.json(&["activities", "--json"]).1;
    // Same decoders, same files: the same activities under the same ids, names and shoes kept.
    assert_eq!(before, after);
    // Every file that owns activities was re-read (the one duplicate file owns none).
    let owners: std::collections::HashSet<i64> = after["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert!(doc["reparsed"].as_u64().unwrap() as usize >= owners.len() - 1);
}

#[test]
fn show_gives_laps_and_splits_in_the_chosen_unit() {
    let sb = Sandbox::new();
    sb.run(&[
        "import",
        samples()
            .join("2026-08-30-0837-long-run.fit")
            .to_str()
            .unwrap(),
    ]);
    let (_, km) = sb.json(&["show", "1", "--json"]);
    assert_eq!(km["splits_unit"], "km");
    let d_km = km["activity"]["distance_km"].as_f64().unwrap();
    // One split per whole km plus the remainder.
    assert_eq!(km["splits"].as_array().unwrap().len(), d_km.ceil() as usize);
    assert!(!km["laps"].as_array().unwrap().is_empty());
    assert_eq!(
        sb.run(&["config", "set", "units", "miles"]).status.code(),
        Some(0)
    );
    let (_, mi) = sb.json(&["show", "1", "--json"]);
    assert_eq!(mi["splits_unit"], "mi");
    // 1 mile = 1.609344 km, so the number of splits follows the distance in miles.
    assert_eq!(
        mi["splits"].as_array().unwrap().len(),
        (d_km / 1.609_344).ceil() as usize
    );
    let table = String::from_utf8_lossy(&sb.run(&["activities"]).stdout).to_string();
    assert!(table.contains(" mi") && table.contains("/mi"), "{table}");
}

#[test]
fn the_database_comes_from_flag_environment_or_config_file() {
    let sb = Sandbox::new();
    let from_file = sb.path("from-config.db");
    let cfg = sb.path("soleus.toml");
    std::fs::write(
        &cfg,
        format!(
            "db = \"sqlite://{}\"\nunits = \"miles\"\n",
            from_file.display()
        ),
    )
    .unwrap();
    let run = |extra: &[(&str, String)]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_soleus"));
        c.args(["config", "show", "--json"])
            .current_dir(sb.dir.path())
            .env("HOME", sb.dir.path());
        c.env_remove("SOLEUS_DB")
            .env_remove("SOLEUS_UNITS")
            .env_remove("SOLEUS_CONFIG");
        for (k, v) in extra {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let doc = run(&[("SOLEUS_CONFIG", cfg.display().to_string())]);
    assert!(doc["db"].as_str().unwrap().ends_with("from-config.db"));
    assert_eq!(doc["units"], "miles");
    assert!(from_file.exists(), "the config file's database was created");
    let env_db = sb.path("from-env.db");
    let doc = run(&[
        ("SOLEUS_CONFIG", cfg.display().to_string()),
        ("SOLEUS_DB", format!("sqlite://{}", env_db.display())),
    ]);
    assert!(
        doc["db"].as_str().unwrap().ends_with("from-env.db"),
        "the environment beats the file"
    );
    // With nothing given, an SQLite file in the data directory.
    let doc = run(&[("XDG_DATA_HOME", sb.path("data").display().to_string())]);
    assert!(
        doc["db"].as_str().unwrap().starts_with("sqlite://")
            && doc["db"].as_str().unwrap().ends_with("soleus.db")
    );
}
