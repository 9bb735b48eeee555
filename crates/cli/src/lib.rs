//! The `soleus` command line: import a runner's files, list and show activities, and (as the
//! product grows) load, risk, assessment and plans.
//!
//! Exit codes: 0 when everything worked (duplicates and skipped non-activity files are fine),
//! 1 when some files failed to import and the rest were imported, 2 for a usage or database
//! error.

mod activities;
mod chart;
mod checkin;
mod config;
mod corrections;
mod data;
mod demo;
mod digest;
mod energy;
mod import;
mod load;
mod output;
mod plan;
mod profile;
mod reparse;
mod report;
mod scores;
mod serve;
mod shoes;
mod users;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code when some files failed and the rest were imported.
pub const EXIT_SOME_FAILED: u8 = 1;
/// Exit code for a usage, configuration or database error.
pub const EXIT_ERROR: u8 = 2;

/// Soleus: assess, treat and prevent lower-leg running injuries from your own training data.
#[derive(Debug, Parser)]
#[command(name = "soleus", version, about, long_about = None, after_help = EXIT_HELP)]
pub struct Cli {
    /// Database URL: sqlite:PATH or postgres://USER@HOST/DB. Default: an SQLite file in your
    /// data directory (or SOLEUS_DB, or `db` in the config file).
    #[arg(long, global = true, env = "SOLEUS_DB")]
    pub db: Option<String>,
    /// Distance units for tables: km or miles (default: the saved setting, else km).
    #[arg(long, global = true, env = "SOLEUS_UNITS")]
    pub units: Option<String>,
    /// Config file (default: config.toml in your config directory).
    #[arg(long, global = true, env = "SOLEUS_CONFIG")]
    pub config: Option<std::path::PathBuf>,
    /// How log lines (on stderr) are written: `text` for people, `json` for a log collector
    /// (one JSON object a line, with the request id of the request it belongs to). Which
    /// lines are written is set by SOLEUS_LOG (default `warn`).
    #[arg(
        long,
        global = true,
        env = "SOLEUS_LOG_FORMAT",
        value_enum,
        default_value_t = LogFormat::Text
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for people.
    Text,
    /// One JSON object a line, the fields of the request's span included.
    Json,
}

const EXIT_HELP: &str = "Exit codes: 0 success; 1 some files failed to import (the rest were \
imported); 2 usage, configuration or database error.";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import activity files, folders, .gz, .zip, Strava or Garmin bulk exports.
    Import(import::ImportArgs),
    /// List activities.
    Activities(activities::ListArgs),
    /// Show one activity with laps and splits.
    Show(activities::ShowArgs),
    /// Re-read every stored original file with the current decoders.
    Reparse(reparse::ReparseArgs),
    /// Correct an activity's name, sport or shoe (the file's own values are kept beside the
    /// edit, and a reparse keeps it).
    Edit(corrections::EditArgs),
    /// Delete an activity (its original file is kept), or bring it back with --undo.
    Delete(corrections::DeleteArgs),
    /// Merge one run recorded by two devices into one activity (the richer recording is
    /// kept; the other's file stays, linked to it); undo with --undo ID.
    Merge(corrections::MergeArgs),
    /// Import the bundled sample history into a fresh database and list it.
    Demo(demo::DemoArgs),
    /// Show or change a setting (`units`).
    Config(config::ConfigArgs),
    /// Show or set your profile: sex, age, weight, height, heart rates, time zone, units.
    Profile(profile::ProfileArgs),
    /// Daily training load, acute:chronic ratios, monotony, strain and fitness/fatigue.
    Load(load::LoadArgs),
    /// Overload checks with their numbers, evidence and what to do.
    Risk(load::RiskArgs),
    /// Record how hard a session felt (CR-10 RPE), for session-RPE load.
    Rpe(load::RpeArgs),
    /// Shoes: drop, distance, retirement, drop classes and the lower-drop transition.
    Shoes(shoes::ShoesArgs),
    /// The rehab and return-to-run plan, its stages, decisions and passive treatments.
    Plan(plan::PlanArgs),
    /// What to do today: exercises, the run or no run, and what to log afterwards.
    Today(plan::TodayArgs),
    /// Record a symptom check-in: where and how it hurts, home tests (asked on a terminal,
    /// or --json FILE).
    Checkin(checkin::CheckinArgs),
    /// List the stored check-ins.
    Checkins(checkin::ListArgs),
    /// Triage the latest check-in (red flags first), then what the picture is consistent with.
    Assess(checkin::AssessArgs),
    /// Fill in a questionnaire: OSTRC-O2, VISA-A, LEFS or the MTSS score.
    Score(scores::ScoreArgs),
    /// Questionnaire results over time, against the smallest meaningful change.
    Scores(scores::ScoresArgs),
    /// A printable HTML summary for a clinic: load, warnings, check-ins, scores, the plan.
    Report(report::ReportArgs),
    /// Calorie goals with safety floors, intake and weight logs, and the week's energy balance.
    Energy(energy::EnergyArgs),
    /// The weekly digest: preview it as HTML, send it by mail, or see where it stands.
    Digest(digest::DigestArgs),
    /// Serve the web app (on this computer only, unless the database has accounts); it also
    /// imports uploads itself, unless `--no-jobs`.
    Serve(serve::ServeArgs),
    /// Run the background jobs from the database (uploads' imports, reparses) and, when an
    /// SMTP server is set, send the weekly digests on schedule (Monday 07:00 in each
    /// recipient's time zone), without serving pages; any number may run beside `soleus
    /// serve`.
    Worker(serve::WorkerArgs),
    /// Accounts: add, list, disable or enable.
    User(users::UserArgs),
    /// Organisations (a club, a clinic): add or list.
    Org(users::OrgArgs),
    /// Back the whole database up to a new file (SQLite: a copy of the file; PostgreSQL:
    /// Soleus's portable format, which restores into either).
    Backup(data::BackupArgs),
    /// Restore a backup into a new, empty database (name it with --db).
    Restore(data::RestoreArgs),
    /// One athlete's data as a zip: every JSON document and every original file.
    Export(data::ExportArgs),
    /// Erase an athlete and everything of theirs (the right to erasure).
    DeleteAthlete(data::DeleteAthleteArgs),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {}", output::error_text(&e));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Log lines to stderr, in `format`, filtered by SOLEUS_LOG.
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SOLEUS_LOG")
        // sqlx warns about an unknown URL parameter quoting its value, which may be a
        // password: its warnings are not shown unless asked for with SOLEUS_LOG.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx=error"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Colours for a person at a terminal, none in a file or a collector.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        // Each line carries the current span's fields (the request id, method and route)
        // and the list of spans it is in.
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .init(),
    }
}

/// `soleus activities | head` closes the pipe early: that is the reader's choice, not an
/// error, so the process ends quietly instead of reporting a panic.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

async fn run(cli: Cli) -> anyhow::Result<u8> {
    let settings = config::Settings::resolve(&cli)?;
    let explicit_db = cli.db.is_some();
    // Opens the database (`open` creates and migrates it; `open_existing` only reads one that
    // exists), runs the command, and closes the database cleanly whatever the command's
    // outcome, so an SQLite file holds every change on its own when the process ends.
    macro_rules! with_app {
        ($open:ident, |$app:ident| $body:expr) => {{
            let $app = settings.$open().await?;
            let out = $body.await;
            $app.close().await;
            out
        }};
    }
    match cli.command {
        Command::Demo(args) => demo::run(&settings, args, explicit_db).await,
        Command::Import(args) => with_app!(open, |app| import::run(&app, &args)),
        Command::Activities(args) => {
            with_app!(open_existing, |app| activities::list(
                &app, &settings, &args
            ))
        }
        Command::Show(args) => {
            with_app!(open_existing, |app| activities::show(
                &app, &settings, &args
            ))
        }
        Command::Reparse(args) => with_app!(open, |app| reparse::run(&app, &args)),
        Command::Edit(args) => with_app!(open, |app| corrections::edit(&app, &args)),
        Command::Delete(args) => with_app!(open, |app| corrections::delete(&app, &args)),
        Command::Merge(args) => with_app!(open, |app| corrections::merge(&app, &args)),
        Command::Config(args) => with_app!(open, |app| config::run(&app, &settings, &args)),
        Command::Profile(args) => with_app!(open, |app| profile::run(&app, &args)),
        Command::Load(args) => with_app!(open_existing, |app| load::run_load(&app, &args)),
        Command::Risk(args) => with_app!(open_existing, |app| load::run_risk(&app, &args)),
        Command::Rpe(args) => with_app!(open, |app| load::run_rpe(&app, &args)),
        Command::Shoes(args) => with_app!(open, |app| shoes::run(&app, &args)),
        Command::Plan(args) => with_app!(open, |app| plan::run(&app, &args)),
        Command::Today(args) => with_app!(open, |app| plan::run_today(&app, &args)),
        Command::Checkin(args) => with_app!(open, |app| checkin::run_checkin(&app, &args)),
        Command::Checkins(args) => {
            with_app!(open_existing, |app| checkin::run_list(&app, &args))
        }
        Command::Assess(args) => with_app!(open, |app| checkin::run_assess(&app, &args)),
        Command::Score(args) => with_app!(open, |app| scores::run_score(&app, &args)),
        Command::Scores(args) => with_app!(open_existing, |app| scores::run_scores(&app, &args)),
        Command::Energy(args) => with_app!(open, |app| energy::run(&app, &args)),
        Command::Report(args) => with_app!(open, |app| report::run(&app, &args)),
        Command::Digest(args) => with_app!(open, |app| digest::run(&app, &settings, &args)),
        Command::Serve(args) => serve::run(settings.open().await?, &settings, &args).await,
        Command::Worker(args) => serve::worker(settings.open().await?, &settings, &args).await,
        Command::User(args) => with_app!(open, |app| users::run_user(&app, &args)),
        Command::Org(args) => with_app!(open, |app| users::run_org(&app, &settings, &args)),
        Command::Backup(args) => with_app!(open_existing, |app| data::backup(&app, &args)),
        Command::Restore(args) => with_app!(open, |app| data::restore(&app, &args)),
        Command::Export(args) => with_app!(open_existing, |app| data::export(&app, &args)),
        Command::DeleteAthlete(args) => {
            with_app!(open_existing, |app| data::delete_athlete(&app, &args))
        }
    }
}
