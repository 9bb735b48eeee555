//! The house's arrows: which Soleus crate may depend on which. A dependency that points the
//! wrong way (the CLI or the web reaching past the application layer into the store, the
//! store reaching up into the use cases, the model growing any dependency on the others)
//! fails here, read from `cargo metadata`.

use std::collections::BTreeMap;
use std::process::Command;

/// Each crate's allowed Soleus dependencies (normal and build; dev-dependencies are free).
/// The expected values are the architecture of DESIGN.md ("The house"), not read from the
/// manifests they check.
const ALLOWED: &[(&str, &[&str])] = &[
    ("soleus-model", &[]),
    ("soleus-formats", &["soleus-model"]),
    ("soleus-store", &["soleus-model"]),
    (
        "soleus-app",
        &["soleus-store", "soleus-formats", "soleus-model"],
    ),
    (
        "soleus-cli",
        &["soleus-app", "soleus-model", "soleus-web", "soleus-mail"],
    ),
    ("soleus-web", &["soleus-app", "soleus-model"]),
    // Mail is a front end of its own: it renders the app's digest views and delivers them.
    ("soleus-mail", &["soleus-app", "soleus-model"]),
];

/// Optional dependencies that only benchmarks switch on (the store's corpus timing example
/// decodes real files).
const BENCH_ONLY: &[(&str, &str)] = &[("soleus-store", "soleus-formats")];

#[test]
fn every_soleus_dependency_points_the_right_way() {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut seen = Vec::new();
    let mut wrong = Vec::new();
    for pkg in meta["packages"].as_array().expect("packages") {
        let name = pkg["name"].as_str().expect("name");
        if !name.starts_with("soleus-") {
            continue;
        }
        seen.push(name.to_string());
        let Some(ok) = allowed.get(name) else {
            wrong.push(format!("{name} is a new crate: add its arrows to ALLOWED"));
            continue;
        };
        for dep in pkg["dependencies"].as_array().expect("dependencies") {
            let dep_name = dep["name"].as_str().expect("dependency name");
            if !dep_name.starts_with("soleus-") || dep["kind"].as_str() == Some("dev") {
                continue;
            }
            let bench =
                dep["optional"].as_bool() == Some(true) && BENCH_ONLY.contains(&(name, dep_name));
            if !ok.contains(&dep_name) && !bench {
                wrong.push(format!("{name} → {dep_name}"));
            }
        }
    }
    for core in [
        "soleus-model",
        "soleus-formats",
        "soleus-store",
        "soleus-app",
        "soleus-cli",
    ] {
        assert!(
            seen.iter().any(|s| s == core),
            "{core} not found in {seen:?}"
        );
    }
    assert!(wrong.is_empty(), "arrows the house forbids: {wrong:?}");
}
