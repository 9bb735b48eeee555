//! Writes the project's bundled sample data: twelve weeks of a runner's history as a watch
//! archive of mixed formats, plus a Strava bulk export.
//!
//! ```text
//! cargo run -p soleus-formats --example make_samples [OUT_DIR]
//! ```
//!
//! `OUT_DIR` defaults to `samples/` at the repository root. The output is deterministic: the
//! same bytes every run. The folder is replaced as a whole, so stale files cannot linger; it is
//! only removed when it looks like an earlier output (it has this generator's README).

use chrono::{DateTime, Utc};
use soleus_formats::write::{self, fit::WorkoutStep, synth};
use soleus_model::{Activity, Sport};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// First line of the generated README, used to recognise an earlier output folder.
const MARKER: &str = "# Sample data";

fn main() -> std::io::Result<()> {
    let out = std::env::args_os().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples"),
        PathBuf::from,
    );
    if out.exists() {
        let readme = std::fs::read_to_string(out.join("README.md")).unwrap_or_default();
        if !readme.starts_with(MARKER) {
            eprintln!(
                "{} exists and is not an earlier sample folder; not touching it",
                out.display()
            );
            std::process::exit(2);
        }
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(out.join("strava-export/activities"))?;

    let runner = synth::Runner::sample();
    let plan = synth::plan(&runner);
    let history = synth::history(&runner);
    let spike = runner.overload_week().unwrap_or(u32::MAX);
    let mut listing = Vec::new();
    let mut strava = Vec::new();
    let mut run_no = 0usize;
    let mut duplicate_done = false;
    let mut truncated_done = false;
    for (p, a) in plan.iter().zip(&history) {
        // The spike week and the week before came from the Strava export, not the watch.
        if p.week + 1 == spike || p.week == spike {
            strava.push((p, a));
            continue;
        }
        let stem = file_stem(a);
        let running = a.sport.is_running();
        if running {
            run_no += 1;
        }
        let (name, bytes, note): (String, Vec<u8>, &str) = match a.sport {
            Sport::Walk => (
                format!("{stem}.gpx.gz"),
                gzip(write::gpx(a).as_bytes()),
                "phone recording, gzipped GPX",
            ),
            Sport::Ride if p.week % 2 == 0 => (
                format!("{stem}.tcx.gz"),
                gzip(write::tcx(a).as_bytes()),
                "bike computer, gzipped TCX",
            ),
            _ if running && !duplicate_done && p.kind == synth::Kind::Easy && small(a) => {
                duplicate_done = true;
                let gpx_name = format!("{stem}-strava.gpx");
                std::fs::write(out.join(&gpx_name), write::gpx(a))?;
                listing.push((
                    gpx_name,
                    a,
                    "the same run as the .fit beside it: a duplicate",
                ));
                (
                    format!("{stem}.fit"),
                    write::fit(a),
                    "also exported as GPX (duplicate)",
                )
            }
            _ if running && !truncated_done && p.week == 6 && p.kind == synth::Kind::Long => {
                truncated_done = true;
                let full = write::fit(a);
                // Cut at 60 %: the watch's battery died before the file was closed, so the
                // laps, session and CRC are missing and part of the records is lost.
                let cut = full.len() * 6 / 10;
                (
                    format!("{stem}.fit"),
                    full[..cut].to_vec(),
                    "TRUNCATED at 60 %: partly importable",
                )
            }
            _ if running && run_no % 9 == 4 && small(a) => {
                (format!("{stem}.tcx"), write::tcx(a).into_bytes(), "TCX")
            }
            _ if running && run_no % 7 == 3 => (
                format!("{stem}.fit.gz"),
                gzip(&write::fit(a)),
                "gzipped FIT",
            ),
            _ if running && run_no % 13 == 6 => (
                format!("{stem}.gpx.gz"),
                gzip(write::gpx(a).as_bytes()),
                "gzipped GPX",
            ),
            _ => (format!("{stem}.fit"), write::fit(a), "FIT"),
        };
        std::fs::write(out.join(&name), bytes)?;
        listing.push((name, a, note));
    }

    // A planned workout synced to the watch: a FIT file that is not an activity.
    let created = runner
        .monday(5)
        .and_hms_opt(19, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let workout = write::fit::workout("Tempo 3x10", created, Sport::Run, &tempo_steps());
    std::fs::write(out.join("workout-tempo-3x10.fit"), workout)?;

    write_strava(&out.join("strava-export"), &strava, spike)?;
    write_readme(&out, &runner, &listing, &strava)?;
    let total: u64 = walk(&out)
        .iter()
        .map(|f| f.metadata().map_or(0, |m| m.len()))
        .sum();
    println!("wrote {} ({} bytes)", out.display(), total);
    Ok(())
}

/// Whether an activity is small enough to ship as plain XML (smart recording, a short run).
fn small(a: &Activity) -> bool {
    a.samples.len() < 700
}

fn tempo_steps() -> Vec<WorkoutStep> {
    let step = |name: &str, minutes: u32, hr_zone: Option<u8>| WorkoutStep {
        name: name.into(),
        seconds: minutes * 60,
        hr_zone,
    };
    vec![
        step("Warm up", 15, Some(2)),
        step("Tempo", 10, Some(4)),
        step("Jog", 3, None),
        step("Tempo", 10, Some(4)),
        step("Jog", 3, None),
        step("Tempo", 10, Some(4)),
        step("Cool down", 10, Some(1)),
    ]
}

/// `2026-09-01-0651-morning-run`: local date and time, then the name.
fn file_stem(a: &Activity) -> String {
    let local = a
        .local_start()
        .map_or_else(|| a.start.naive_utc(), |t| t.naive_local());
    let name = a
        .name
        .as_deref()
        .unwrap_or("activity")
        .to_lowercase()
        .replace(' ', "-");
    format!("{}-{name}", local.format("%Y-%m-%d-%H%M"))
}

/// gzip with a fixed header (no name, mtime 0), so the bytes do not depend on when they were made.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// Strava's bulk-export header for `activities.csv` (English account), as Strava writes it:
/// several names repeat, the first being display units (km) and the later ones base units (m).
const STRAVA_HEADER: &str = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,From Upload,Grade Adjusted Distance,Weather Observation Time,Weather Condition,Weather Temperature,Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,Wind Bearing,Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,UV Index,Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,Dirt Distance,Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,Total Steps,Carbon Saved,Pool Length,Training Load,Intensity,Average Grade Adjusted Pace,Timer Time,Total Cycles,Media";

fn write_strava(
    dir: &Path,
    acts: &[(&synth::Planned, &Activity)],
    spike: u32,
) -> std::io::Result<()> {
    let header: Vec<&str> = STRAVA_HEADER.split(',').collect();
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(&header)?;
    for (i, (p, a)) in acts.iter().enumerate() {
        let id = 16_204_000_000u64 + 86_431 * i as u64;
        let upload = 17_311_000_000u64 + 92_717 * i as u64;
        let gz_gpx = i % 4 == 2;
        let file = format!(
            "activities/{upload}.{}",
            if gz_gpx { "gpx.gz" } else { "fit.gz" }
        );
        let bytes = if gz_gpx {
            gzip(write::gpx(a).as_bytes())
        } else {
            gzip(&write::fit(a))
        };
        std::fs::write(dir.join(&file), bytes)?;
        // The runner tried zero-drop shoes for the easy runs of the overload week.
        let gear = match (
            a.sport.is_running(),
            p.week == spike && p.kind == synth::Kind::Easy,
        ) {
            (true, true) => "Altra Escalante 3",
            (true, false) => "Pegasus 40",
            _ => "",
        };
        csv.write_record(strava_row(&header, id, a, gear, &file))?;
    }
    // A manual entry, as Strava exports have: no file, only the row.
    let manual_date =
        acts.last().map_or_else(Utc::now, |(_, a)| a.start) + chrono::Duration::hours(10);
    let mut row = vec![String::new(); header.len()];
    row[0] = "16205999999".into();
    row[1] = strava_date(manual_date);
    row[2] = "Strength & mobility".into();
    row[3] = "Workout".into();
    row[5] = "1800".into();
    row[6] = "0.00".into();
    row[9] = "false".into();
    row[15] = "1800.0".into();
    row[16] = "1800.0".into();
    csv.write_record(row)?;
    let bytes = csv.into_inner().map_err(|e| e.into_error())?;
    std::fs::write(dir.join("activities.csv"), bytes)
}

/// "Nov 1, 2026, 8:22:00 AM": Strava's export date, in UTC.
fn strava_date(t: DateTime<Utc>) -> String {
    t.format("%b %-d, %Y, %-I:%M:%S %p").to_string()
}

fn strava_row(header: &[&str], id: u64, a: &Activity, gear: &str, file: &str) -> Vec<String> {
    let mut row = vec![String::new(); header.len()];
    // Cells are set by column name; `nth` picks the occurrence of a repeated name.
    let mut put = |name: &str, nth: usize, value: String| {
        if let Some(i) = header
            .iter()
            .enumerate()
            .filter(|(_, h)| **h == name)
            .map(|(i, _)| i)
            .nth(nth)
        {
            row[i] = value;
        }
    };
    let f1 = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.1}"));
    let dist = a.distance_m.unwrap_or(0.0);
    let moving = a.moving_s.unwrap_or(0.0);
    put("Activity ID", 0, id.to_string());
    put("Activity Date", 0, strava_date(a.start));
    put("Activity Name", 0, a.name.clone().unwrap_or_default());
    let kind = match a.sport {
        Sport::Ride => "Ride",
        Sport::Walk => "Walk",
        _ => "Run",
    };
    put("Activity Type", 0, kind.into());
    put(
        "Elapsed Time",
        0,
        format!("{:.0}", a.elapsed_s.unwrap_or(0.0)),
    );
    put("Distance", 0, format!("{:.2}", dist / 1000.0));
    put("Max Heart Rate", 0, f1(a.max_hr.map(f64::from)));
    put("Commute", 0, "false".into());
    put("Activity Gear", 0, gear.into());
    put("Filename", 0, file.into());
    put("Athlete Weight", 0, "68.0".into());
    put("Elapsed Time", 1, f1(a.elapsed_s));
    put("Moving Time", 0, f1(a.moving_s));
    put("Distance", 1, format!("{dist:.1}"));
    let vmax = a.samples.iter().filter_map(|s| s.speed).fold(0.0, f64::max);
    put("Max Speed", 0, format!("{vmax:.3}"));
    put(
        "Average Speed",
        0,
        format!("{:.3}", if moving > 0.0 { dist / moving } else { 0.0 }),
    );
    put("Elevation Gain", 0, f1(a.ascent_m));
    put("Elevation Loss", 0, f1(a.descent_m));
    // Strava reports running cadence per leg, like the files.
    let cad = a
        .avg_cadence
        .map(|c| if a.sport.is_on_foot() { c / 2.0 } else { c });
    put("Average Cadence", 0, f1(cad));
    put("Max Heart Rate", 1, f1(a.max_hr.map(f64::from)));
    put("Average Heart Rate", 0, f1(a.avg_hr.map(f64::from)));
    put("Commute", 1, "0.0".into());
    put("From Upload", 0, "1.0".into());
    put("Timer Time", 0, f1(a.moving_s));
    row
}

fn walk(dir: &Path) -> Vec<std::fs::DirEntry> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e);
        }
    }
    out
}

fn write_readme(
    out: &Path,
    r: &synth::Runner,
    listing: &[(String, &Activity, &str)],
    strava: &[(&synth::Planned, &Activity)],
) -> std::io::Result<()> {
    let mut s = String::new();
    let _ = writeln!(s, "{MARKER}\n");
    let _ = writeln!(
        s,
        "Generated — do not edit by hand. Made by `cargo run -p soleus-formats --example make_samples` \
         from a fixed seed; running it again writes the same bytes.\n\n\
         A recreational runner's {} weeks ending on {}: easy runs, a tempo run each Thursday, a \
         growing Sunday long run, hill repeats every third week, a recovery week every fourth, \
         one walk or ride a week, and an **overload** in week {} (two weeks before the last): \
         extra runs, longer runs and a half-marathon long run, a jump of over 30 % in weekly \
         volume. Heart rate follows effort and drifts; cadence is 165–180 steps/min; routes loop \
         around a park in Munich, so local time is +02:00 until 2026-10-25 and +01:00 after.\n\n\
         All data is synthetic: no real person's activities are here.\n",
        r.weeks,
        r.last_day,
        r.overload_week().map_or(0, |w| w + 1)
    );
    s.push_str(
        "## The watch archive (this folder)\n\n| file | sport | km | note |\n|---|---|---|---|\n",
    );
    for (name, a, note) in listing {
        let _ = writeln!(
            s,
            "| `{name}` | {} | {:.1} | {note} |",
            a.sport,
            a.distance_m.unwrap_or(0.0) / 1000.0
        );
    }
    s.push_str(
        "| `workout-tempo-3x10.fit` | — | — | a FIT **workout** file (file type 5), not an activity: import reports it `skipped` |\n\n",
    );
    s.push_str(
        "What import should report: every file `imported`, except the `-strava.gpx` copy \
         (`duplicate` of the `.fit` of the same run), the workout (`skipped`) and the truncated \
         FIT, which is imported from the records before the cut, with a warning.\n\n",
    );
    s.push_str(
        "## `strava-export/`\n\nLaid out as a Strava bulk export: `activities.csv` with Strava's \
         own header (names repeat: the first `Distance` is km, the second metres) and the \
         original files gzipped under `activities/`, named by upload id as Strava does. It holds \
         the two weeks up to and including the overload, which are not in the watch archive. \
         Runs carry gear — `Pegasus 40`, and `Altra Escalante 3` (a zero-drop shoe) for the \
         overload week's easy runs — so importing the export creates two shoes. The last row is \
         a manual entry with no file, as real exports have.\n\n",
    );
    let _ = writeln!(s, "{} activities with files.", strava.len());
    std::fs::write(out.join("README.md"), s)
}
