//! `soleus import`: the arguments, the progress bar, and the report as lines or as JSON. The
//! import itself is [`soleus_app::App::import`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use soleus_app::App;
use soleus_app::import::{
    Census, FileReport, ImportOptions, ImportProgress, ImportReport, ImportStatus, Outcome,
};

use crate::output::printable;

/// `soleus import PATH...`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files, folders (searched recursively), .gz files, .zip archives, Strava or Garmin
    /// bulk exports (folder or zip).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print one JSON document with every file's outcome, and nothing else.
    #[arg(long)]
    pub json: bool,
    /// List every file, not only the ones that were not imported or had warnings.
    #[arg(long, short)]
    pub verbose: bool,
    /// Follow links to folders inside the folders given (by default they are skipped); a
    /// folder already visited is never visited again.
    #[arg(long)]
    pub follow_links: bool,
    /// After importing, keep watching the folders given and import each new file as it
    /// appears (a watch mounted over USB, a synced folder); duplicates pass quietly. Ctrl-C
    /// stops.
    #[arg(long)]
    pub watch: bool,
    /// How often --watch looks, in seconds.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub interval: u64,
}

/// Runs an import and prints its report. Returns the exit code.
pub async fn run(app: &App, args: &ImportArgs) -> anyhow::Result<u8> {
    let options = ImportOptions {
        follow_links: args.follow_links,
        ..ImportOptions::default()
    };
    let mut bar = Bar::new(args.json);
    let report = app.import(&args.paths, &options, &mut bar).await;
    bar.finish();
    let report = report?;
    print(&report, args.json, args.verbose)?;
    if args.watch {
        return watch(app, args, &options).await;
    }
    Ok(match report.status() {
        ImportStatus::Stopped => crate::EXIT_ERROR,
        ImportStatus::SomeFailed => crate::EXIT_SOME_FAILED,
        _ => 0,
    })
}

/// Every file under `paths` (folders searched recursively, links to folders followed only
/// with `follow`) with its size and modification time.
fn listing(paths: &[PathBuf], follow: bool) -> BTreeMap<PathBuf, (u64, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut todo: Vec<PathBuf> = paths.to_vec();
    let mut seen_dirs = std::collections::BTreeSet::new();
    while let Some(p) = todo.pop() {
        let Ok(meta) = (if follow {
            std::fs::metadata(&p)
        } else {
            std::fs::symlink_metadata(&p)
        }) else {
            continue;
        };
        if meta.is_dir() {
            let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
            if !seen_dirs.insert(key) {
                continue;
            }
            if let Ok(entries) = std::fs::read_dir(&p) {
                todo.extend(entries.flatten().map(|e| e.path()));
            }
        } else if meta.is_file() {
            out.insert(p, (meta.len(), meta.modified().ok()));
        }
    }
    out
}

/// `--watch`: every `interval` seconds, the files that are new or changed since the last look
/// and whose size held still for one interval (a copy in progress is waited for) are imported;
/// what is not a duplicate is reported. Ctrl-C ends it with exit code 0.
async fn watch(app: &App, args: &ImportArgs, options: &ImportOptions) -> anyhow::Result<u8> {
    let mut known = listing(&args.paths, args.follow_links);
    let mut pending: BTreeMap<PathBuf, (u64, Option<SystemTime>)> = BTreeMap::new();
    if !args.json {
        println!(
            "Watching {} for new files every {} s (Ctrl-C stops).",
            args.paths
                .iter()
                .map(|p| printable(&p.display().to_string()).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            args.interval
        );
    }
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            () = tokio::time::sleep(std::time::Duration::from_secs(args.interval)) => {}
        }
        let now = listing(&args.paths, args.follow_links);
        let mut ready = Vec::new();
        for (path, stamp) in &now {
            if known.get(path) == Some(stamp) {
                continue;
            }
            if pending.get(path) == Some(stamp) {
                ready.push(path.clone());
            } else {
                pending.insert(path.clone(), *stamp);
            }
        }
        pending.retain(|p, _| now.contains_key(p) && !ready.contains(p));
        for p in &ready {
            known.insert(p.clone(), now[p]);
        }
        known.retain(|p, _| now.contains_key(p));
        if ready.is_empty() {
            continue;
        }
        let report = app.import(&ready, options, &mut Bar::new(true)).await?;
        let news: Vec<&FileReport> = report
            .files
            .iter()
            .filter(|f| f.outcome != Outcome::Duplicate)
            .collect();
        if args.json {
            for f in news {
                println!("{}", serde_json::to_string(f)?);
            }
        } else {
            for f in news {
                let ids: Vec<String> = f.activity_ids.iter().map(ToString::to_string).collect();
                println!(
                    "{:<9} {}{}",
                    f.outcome.word(),
                    printable(&f.path),
                    if ids.is_empty() {
                        String::new()
                    } else {
                        format!(" → activity {}", ids.join(", "))
                    }
                );
                if let Some(r) = &f.reason {
                    println!("          {}", printable(r));
                }
            }
        }
    }
    if !args.json {
        println!("Stopped watching.");
    }
    Ok(0)
}

/// Prints the report: JSON alone on stdout, or readable lines.
fn print(report: &ImportReport, json: bool, verbose: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    for f in &report.files {
        if !(verbose || ImportReport::noteworthy(f)) {
            continue;
        }
        let label = format!("{:<9}", f.outcome.word());
        let ids = if f.activity_ids.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = f.activity_ids.iter().map(ToString::to_string).collect();
            format!(" → activity {}", list.join(", "))
        };
        // Names and reasons carry text from the files (zip entry names): escaped.
        println!("{label} {}{ids}", printable(&f.path));
        if let Some(r) = &f.reason {
            println!("          {}", printable(r));
        }
        for w in &f.warnings {
            println!("          warning: {}", printable(w));
        }
    }
    for w in &report.warnings {
        println!("warning: {}", printable(w));
    }
    println!("{}", report.summary());
    Ok(())
}

/// The progress bar, drawn on stderr only when it is a terminal and JSON was not asked for.
#[derive(Debug)]
struct Bar {
    bar: ProgressBar,
    files: u64,
    done: u64,
}

impl Bar {
    fn new(json: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(
            None,
            if json {
                ProgressDrawTarget::hidden()
            } else {
                ProgressDrawTarget::stderr()
            },
        );
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{wide_bar}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Bar {
            bar,
            files: 0,
            done: 0,
        }
    }

    /// Removes the bar.
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl ImportProgress for Bar {
    fn planned(&mut self, census: Census) {
        self.files = census.files;
        self.bar.set_length(census.bytes);
    }

    fn reading(&mut self, bytes: u64, _name: &str) {
        self.done += 1;
        let total = self.files.max(self.done);
        self.bar
            .set_message(format!("{}/{} files", self.done, total));
        self.bar.inc(bytes);
    }

    /// Prints failures above the bar as they happen.
    fn done(&mut self, f: &FileReport) {
        if f.outcome == Outcome::Failed && !self.bar.is_hidden() {
            self.bar.println(format!("failed: {}", printable(&f.path)));
        }
    }
}
