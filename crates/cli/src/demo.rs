//! `soleus demo`: the bundled sample history imported into a fresh database, then listed —
//! the quickest way to see what Soleus does.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::config::Settings;
use crate::import::{self, ImportArgs};

/// `soleus demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The sample folder (default: `samples` here, else the one shipped with Soleus).
    #[arg(long)]
    pub samples: Option<PathBuf>,
    /// The demo database file, recreated each time (default: demo.db in your data directory).
    /// An existing file is replaced only when an earlier demo made it.
    #[arg(long)]
    pub demo_db: Option<PathBuf>,
    /// Then serve the web app over the demo database (until Ctrl-C) instead of listing what
    /// to try next.
    #[arg(long)]
    pub serve: bool,
    /// With `--serve`: the address to listen on (loopback only).
    #[arg(long, default_value = "127.0.0.1:8080", requires = "serve")]
    pub addr: std::net::SocketAddr,
}

fn samples_dir(arg: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(p) = arg {
        return Ok(p);
    }
    let here = PathBuf::from("samples");
    if here.join("README.md").is_file() {
        return Ok(here);
    }
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    if shipped.is_dir() {
        return Ok(shipped);
    }
    anyhow::bail!("no sample folder found: pass --samples DIR")
}

/// Runs the demo. With `--db` given, the demo uses that database as it is (it must be one
/// you can spare); otherwise a fresh demo file.
pub async fn run(settings: &Settings, args: DemoArgs, explicit_db: bool) -> anyhow::Result<u8> {
    let samples = samples_dir(args.samples)?;
    if explicit_db {
        let store = settings.open().await?;
        let code = import::run(
            &store,
            &ImportArgs {
                paths: vec![samples],
                json: false,
                verbose: false,
                follow_links: false,
                watch: false,
                interval: 5,
            },
        )
        .await?;
        let view = store.activities(None, settings.units_override).await?;
        crate::activities::print_table(&view.activities, view.units);
        if args.serve {
            return serve(store, settings, args.addr, code).await;
        }
        store.close().await;
        return Ok(code);
    }
    let db_path = match args.demo_db {
        Some(p) => p,
        None => directories::ProjectDirs::from("", "", "soleus")
            .map(|d| d.data_dir().join("demo.db"))
            .context("no home directory for the demo database: pass --demo-db PATH")?,
    };
    // Only a database an earlier demo made is recreated: whatever else is at the path (a
    // runner's own database, any file or folder) is left alone and the demo refuses.
    let companions = ["-wal", "-shm"].map(|s| PathBuf::from(format!("{}{s}", db_path.display())));
    if db_path.symlink_metadata().is_ok() {
        if !soleus_app::is_demo_database(&db_path).await {
            anyhow::bail!(
                "{} exists and is not a demo database made by soleus demo; not touching it: \
                 choose another --demo-db path",
                db_path.display()
            );
        }
        for p in std::iter::once(&db_path).chain(&companions) {
            if p.exists() {
                std::fs::remove_file(p)
                    .with_context(|| format!("removing the old demo database {}", p.display()))?;
            }
        }
    } else if let Some(p) = companions.iter().find(|p| p.symlink_metadata().is_ok()) {
        anyhow::bail!(
            "{} exists without its database; not touching it: choose another --demo-db path",
            p.display()
        );
    }
    let url = format!("sqlite://{}", db_path.display());
    let demo = Settings {
        db_url: url.clone(),
        units_override: settings.units_override,
        smtp_file: settings.smtp_file.clone(),
    };
    let store = demo.open().await?;
    store
        .mark_demo()
        .await
        .context("marking the demo database")?;
    println!(
        "Importing the sample history from {} into a fresh database …\n",
        samples.display()
    );
    let code = import::run(
        &store,
        &ImportArgs {
            paths: vec![samples],
            json: false,
            verbose: false,
            follow_links: false,
            watch: false,
            interval: 5,
        },
    )
    .await?;
    println!();
    // The sample runner trains around Munich: a profile in that time zone, so days fall where
    // the runner lived them, and one check-in after the last run, so the injury side shows too.
    store.set_demo_profile().await?;
    let view = store.activities(None, demo.units_override).await?;
    crate::activities::print_table(&view.activities, view.units);
    if let Some(last) = view.activities.iter().map(|a| a.local_start.date()).max() {
        let c = soleus_model::assess::CheckIn::from_json(&format!(
            r#"{{"date":"{last}","side":"left","regions":["CALF_MID"],"onset":"gradual","days_since_onset":4,
                "trend":"same","pain":{{"now":2,"during_run":4,"after_run":4,"next_morning":3,"walking":1,
                "at_rest":false,"at_night":false}},"character":["dull_ache"],"can_bear_weight":true,
                "can_heel_raise_single_leg":true,"tests":{{"SLHR_STRAIGHT":{{"reps":24,"pain":2}},
                "SLHR_BENT":{{"reps":14,"pain":5}}}}}}"#
        ))
        .context("the demo check-in")?;
        let saved = store.store_checkin(&c).await?;
        println!(
            "\nA sample check-in on {last} (a dull mid-calf ache on the left, worse on bent-knee heel raises) was triaged {}.",
            saved.triage.code()
        );
    }
    if args.serve {
        println!("\nThe demo database is {}.", db_path.display());
        return serve(store, settings, args.addr, code).await;
    }
    println!(
        "\nThe demo database is {}. Try next:\n  soleus --db {url} load      # weekly load, distance bars and the three ratios\n  soleus --db {url} risk      # every overload check with its numbers and evidence\n  soleus --db {url} assess    # the sample check-in: triage first, then what it is consistent with\n  soleus --db {url} checkin   # your own check-in\nLook at one run with: soleus --db {url} show {}",
        db_path.display(),
        view.activities.first().map_or(1, |a| a.id.0)
    );
    store.close().await;
    Ok(code)
}

/// Serves the demo until Ctrl-C; the import's exit code stands unless serving fails.
async fn serve(
    app: soleus_app::App,
    settings: &Settings,
    addr: std::net::SocketAddr,
    code: u8,
) -> anyhow::Result<u8> {
    crate::serve::run(
        app,
        settings,
        &crate::serve::ServeArgs {
            addr,
            metrics_token: None,
            no_jobs: false,
        },
    )
    .await
    .map(|served| served.max(code))
}
