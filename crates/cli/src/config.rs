//! Where settings come from: defaults → config file → `SOLEUS_*` environment → flags.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde::Deserialize;
use soleus_app::App;
use soleus_model::DistanceUnit;

use crate::Cli;

/// The config file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    /// Database URL.
    db: Option<String>,
    /// `km` or `miles`.
    units: Option<String>,
    /// SMTP server (`SOLEUS_SMTP_HOST`).
    smtp_host: Option<String>,
    /// SMTP port (`SOLEUS_SMTP_PORT`).
    smtp_port: Option<u16>,
    /// `none`, `starttls` or `tls` (`SOLEUS_SMTP_TLS`).
    smtp_tls: Option<String>,
    /// The sender (`SOLEUS_SMTP_FROM`).
    smtp_from: Option<String>,
    /// SMTP user (`SOLEUS_SMTP_USER`).
    smtp_user: Option<String>,
    /// SMTP password (`SOLEUS_SMTP_PASSWORD`).
    smtp_password: Option<String>,
    /// The web app's address for links in mail (`SOLEUS_PUBLIC_URL`).
    public_url: Option<String>,
}

/// Settings resolved from every source, before the database is opened.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The database URL.
    pub db_url: String,
    /// Units forced by flag, environment or config file (the stored setting applies otherwise).
    pub units_override: Option<DistanceUnit>,
    /// The config file's mail keys (the environment's `SOLEUS_SMTP_*` win over them).
    pub smtp_file: soleus_mail::SmtpFile,
}

impl Settings {
    /// Resolves the settings for a command line.
    pub fn resolve(cli: &Cli) -> anyhow::Result<Settings> {
        let dirs = directories::ProjectDirs::from("", "", "soleus");
        let config_path = cli
            .config
            .clone()
            .or_else(|| dirs.as_ref().map(|d| d.config_dir().join("config.toml")));
        let file = match &config_path {
            Some(p) if p.exists() => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading config file {}", p.display()))?;
                // Not the parser's own message: it quotes the line, which may hold the
                // database password.
                toml::from_str::<FileConfig>(&text).map_err(|e| {
                    let line = e
                        .span()
                        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
                    let at = line.map_or_else(String::new, |l| format!(" at line {l}"));
                    let msg = e.message().lines().next().unwrap_or("").to_string();
                    anyhow::anyhow!("parsing config file {}{at}: {msg}", p.display())
                })?
            }
            Some(p) if cli.config.is_some() => {
                bail!("config file {} does not exist", p.display())
            }
            _ => FileConfig::default(),
        };
        let db_url = match cli.db.clone().or(file.db) {
            Some(url) => url,
            None => {
                let dir: PathBuf = dirs
                    .as_ref()
                    .map(|d| d.data_dir().to_path_buf())
                    .context("no home directory to keep the database in: pass --db sqlite:PATH")?;
                format!("sqlite://{}", dir.join("soleus.db").display())
            }
        };
        let units_text = cli.units.clone().or(file.units);
        let units_override = match units_text {
            Some(u) => Some(parse_units(&u)?),
            None => None,
        };
        let smtp_file = soleus_mail::SmtpFile {
            smtp_host: file.smtp_host,
            smtp_port: file.smtp_port,
            smtp_tls: file.smtp_tls,
            smtp_from: file.smtp_from,
            smtp_user: file.smtp_user,
            smtp_password: file.smtp_password,
            public_url: file.public_url,
        };
        Ok(Settings {
            db_url,
            units_override,
            smtp_file,
        })
    }

    /// Where mail goes, from the environment over the config file; `None`: mail is off.
    pub fn smtp(&self) -> anyhow::Result<Option<soleus_mail::SmtpConfig>> {
        Ok(soleus_mail::SmtpConfig::resolve(&self.smtp_file, |k| {
            std::env::var(k).ok()
        })?)
    }

    /// Opens (creating and migrating) the database.
    pub async fn open(&self) -> anyhow::Result<App> {
        Ok(App::open(&self.db_url).await?)
    }

    /// Opens the database for a command that only reads: a missing SQLite file is an error
    /// saying so, not a new empty database.
    pub async fn open_existing(&self) -> anyhow::Result<App> {
        Ok(App::open_existing(&self.db_url).await?)
    }
}

fn parse_units(s: &str) -> anyhow::Result<DistanceUnit> {
    Ok(soleus_app::profile::parse_units(s)?)
}

/// `soleus config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    action: Option<ConfigAction>,
}

#[derive(Debug, Subcommand)]
enum ConfigAction {
    /// Show every setting.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set a setting: `units km|miles`.
    Set {
        /// The setting's name.
        key: String,
        /// Its new value.
        value: String,
    },
}

/// Runs `soleus config`.
pub async fn run(app: &App, settings: &Settings, args: &ConfigArgs) -> anyhow::Result<u8> {
    match &args.action {
        Some(ConfigAction::Set { key, value }) => {
            match key.as_str() {
                "units" => {
                    app.set_units(soleus_app::profile::parse_units(value)?)
                        .await?
                }
                other => bail!("unknown setting {other:?}: the settings are: units"),
            }
            println!("{key} = {value}");
        }
        Some(ConfigAction::Show { json }) => show(app, settings, *json).await?,
        None => show(app, settings, false).await?,
    }
    Ok(0)
}

async fn show(app: &App, settings: &Settings, json: bool) -> anyhow::Result<()> {
    let units = app.units(settings.units_override).await?;
    let db = soleus_app::redact(&settings.db_url);
    if json {
        let doc = ConfigView {
            db: &db,
            units: units.distance.label_long(),
        };
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        println!("db    = {db}\nunits = {}", units.distance.label_long());
    }
    Ok(())
}

/// `config show --json`.
#[derive(Debug, serde::Serialize)]
struct ConfigView<'a> {
    /// The database URL, password hidden.
    db: &'a str,
    /// `km` or `miles`.
    units: &'static str,
}

/// The long name of a unit, as stored.
trait LongLabel {
    fn label_long(self) -> &'static str;
}

impl LongLabel for DistanceUnit {
    fn label_long(self) -> &'static str {
        match self {
            DistanceUnit::Km => "km",
            DistanceUnit::Miles => "miles",
        }
    }
}
