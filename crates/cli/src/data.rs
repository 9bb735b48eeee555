//! `soleus backup`, `soleus restore`, `soleus export` and `soleus delete-athlete`: the
//! database as a whole, and one athlete's data as theirs to take or erase. The use cases are
//! [`soleus_app::App::backup`], [`soleus_app::App::restore`],
//! [`soleus_app::App::export_athlete`] and [`soleus_app::App::delete_athlete`].

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;
use soleus_app::{App, AthleteId};

use crate::output::print_json;

/// `soleus backup FILE`
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new backup file (never overwritten): an SQLite file when the database is SQLite,
    /// Soleus's portable format (gzip) when it is PostgreSQL.
    pub file: PathBuf,
    /// Write Soleus's portable format on SQLite too (it restores into PostgreSQL as well as
    /// SQLite; an SQLite backup does too, so this is rarely needed).
    #[arg(long)]
    pub portable: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `soleus restore FILE`
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file `soleus backup` made, from either backend.
    pub file: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `soleus export --athlete ID --out FILE.zip`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The athlete (`soleus` on a database of one runner: leave it out).
    #[arg(long)]
    pub athlete: Option<i64>,
    /// The new zip file (never overwritten).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `soleus delete-athlete ID --yes`
#[derive(Debug, Args)]
pub struct DeleteAthleteArgs {
    /// The athlete's id.
    pub id: i64,
    /// Confirm: everything of theirs is erased, and cannot be brought back but from a backup.
    #[arg(long)]
    pub yes: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    } else {
        format!("{:.1} kB", bytes as f64 / 1024.0)
    }
}

/// Runs `soleus backup`.
pub async fn backup(app: &App, args: &BackupArgs) -> anyhow::Result<u8> {
    let done = app.backup(&args.file, args.portable).await?;
    if args.json {
        print_json(&done)?;
    } else {
        let what = match done.format {
            soleus_app::data::BackupFormat::Sqlite => "an SQLite file".to_string(),
            _ => format!(
                "Soleus's portable format, {} rows",
                done.rows.unwrap_or_default()
            ),
        };
        println!(
            "backed up {} to {} ({what}, {}); restore it into a new database with \
             `soleus --db NEW restore {}`",
            app.database(),
            args.file.display(),
            size(done.bytes),
            args.file.display()
        );
    }
    Ok(0)
}

/// Runs `soleus restore`.
pub async fn restore(app: &App, args: &RestoreArgs) -> anyhow::Result<u8> {
    let done = app.restore(&args.file).await?;
    if args.json {
        print_json(&done)?;
    } else {
        println!(
            "restored {} into {}: {} rows in {} tables",
            args.file.display(),
            app.database(),
            done.rows.unwrap_or_default(),
            done.tables
        );
    }
    Ok(0)
}

/// Runs `soleus export`.
pub async fn export(app: &App, args: &ExportArgs) -> anyhow::Result<u8> {
    let id = args.athlete.map(AthleteId).unwrap_or(app.athlete_id());
    let done = app.export_athlete(id, &args.out).await?;
    if args.json {
        print_json(&done)?;
    } else {
        println!(
            "exported athlete {}: {} activities and {} original files to {} ({})",
            id.0,
            done.activities,
            done.originals,
            done.file,
            size(done.bytes)
        );
    }
    Ok(0)
}

/// Runs `soleus delete-athlete`.
pub async fn delete_athlete(app: &App, args: &DeleteAthleteArgs) -> anyhow::Result<u8> {
    if !args.yes {
        bail!(
            "this erases athlete {id} and everything of theirs (activities, original files, \
             check-ins, plans, comments, shares, their own sign-in account); keep a copy first \
             with `soleus export --athlete {id} --out athlete-{id}.zip`, then run \
             `soleus delete-athlete {id} --yes`",
            id = args.id
        );
    }
    let done = app.delete_athlete(AthleteId(args.id)).await?;
    if args.json {
        print_json(&done)?;
    } else {
        let account = if done.account_erased {
            "; their sign-in account is erased too"
        } else if done.account_kept {
            "; their sign-in account is kept, since it is also a coach's, clinician's or \
             admin's (disable it with `soleus user disable`)"
        } else {
            ""
        };
        println!("erased athlete {} ({} rows){account}", args.id, done.rows);
    }
    Ok(0)
}
