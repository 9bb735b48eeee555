//! `soleus activities` and `soleus show`.

use anyhow::bail;
use clap::Args;
use soleus_app::activities::{ActivityListed, pace};
use soleus_app::{App, AppError};
use soleus_model::units::duration;
use soleus_model::{Activity, Units};

use crate::config::Settings;
use crate::output::{opt, table};

/// `soleus activities`
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Show at most this many (newest first).
    #[arg(long)]
    pub limit: Option<usize>,
}

/// `soleus show ID`
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The activity's id (from `soleus activities`).
    pub id: soleus_app::ActivityId,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `soleus activities`.
pub async fn list(app: &App, settings: &Settings, args: &ListArgs) -> anyhow::Result<u8> {
    let view = app.activities(args.limit, settings.units_override).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&view)?);
        return Ok(0);
    }
    print_table(&view.activities, view.units);
    Ok(0)
}

/// Prints the activities table.
pub fn print_table(listed: &[ActivityListed], units: Units) {
    if listed.is_empty() {
        println!("No activities yet. Import some with: soleus import PATH");
        return;
    }
    let mut t = table(
        &[
            "ID", "Date", "Sport", "Distance", "Time", "Pace", "Ascent", "HR", "Device", "Shoe",
            "Name",
        ],
        &[0, 3, 4, 5, 6, 7],
    );
    for l in listed {
        let r = &l.row;
        let time = r.moving_s.or(r.elapsed_s);
        t.add_row(vec![
            r.id.to_string(),
            l.local_start.format("%Y-%m-%d %H:%M").to_string(),
            r.sport.label().to_string(),
            opt(r.distance_m, |d| units.distance(d)),
            opt(time, duration),
            if r.sport.is_on_foot() {
                opt(pace(r), |p| units.pace(p))
            } else {
                "—".into()
            },
            opt(r.ascent_m, |a| units.elevation(a)),
            opt(r.avg_hr, |h| h.to_string()),
            opt(r.device.as_deref(), str::to_string),
            opt(r.shoe.as_deref(), str::to_string),
            opt(r.name.as_deref(), str::to_string),
        ]);
    }
    println!("{t}");
    let rows = || listed.iter().map(|l| &l.row);
    let total_m: f64 = rows()
        .filter(|r| r.sport.is_running())
        .filter_map(|r| r.distance_m)
        .sum();
    let runs = rows().filter(|r| r.sport.is_running()).count();
    println!(
        "{} activities; {runs} runs totalling {}",
        listed.len(),
        units.distance(total_m)
    );
}

/// Runs `soleus show ID`.
pub async fn show(app: &App, settings: &Settings, args: &ShowArgs) -> anyhow::Result<u8> {
    let view = match app.activity(args.id, settings.units_override).await {
        Ok(v) => v,
        Err(AppError::NotFound { .. }) => match app.deleted_note(args.id).await? {
            Some(note) => bail!("{note}"),
            None => bail!(
                "no activity {}; list them with `soleus activities`",
                args.id
            ),
        },
        Err(e) => return Err(e.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&view)?);
        return Ok(0);
    }
    let (a, units, splits) = (&view.full, view.units, &view.splits);
    print_header(&view.activity, a, units);
    for e in &view.edits {
        println!(
            "  edited {}: {} → {} (the file said: {}; {})",
            e.field,
            e.before.as_deref().unwrap_or("none"),
            e.after.as_deref().unwrap_or("none"),
            e.device.as_deref().unwrap_or("—"),
            e.edited_at.format("%Y-%m-%d")
        );
    }
    if !a.laps.is_empty() {
        let mut t = table(
            &[
                "Lap", "Distance", "Time", "Pace", "Ascent", "Avg HR", "Cadence",
            ],
            &[0, 1, 2, 3, 4, 5, 6],
        );
        for (i, l) in a.laps.iter().enumerate() {
            let time = l.moving_s.or(l.elapsed_s);
            let p = l.pace_s_per_km();
            t.add_row(vec![
                (i + 1).to_string(),
                opt(l.distance_m, |d| units.distance(d)),
                opt(time, duration),
                opt(p, |p| units.pace(p)),
                opt(l.ascent_m, |x| units.elevation(x)),
                opt(l.avg_hr, |h| h.to_string()),
                opt(l.avg_cadence, |c| format!("{c:.0}")),
            ]);
        }
        println!("\nLaps\n{t}");
    }
    if !splits.is_empty() {
        let mut t = table(
            &["Split", "Distance", "Time", "Pace", "Elev.", "Avg HR"],
            &[0, 1, 2, 3, 4, 5],
        );
        for s in splits {
            t.add_row(vec![
                s.index.to_string(),
                units.distance(s.distance_m),
                duration(s.duration_s),
                opt(s.pace_s_per_km, |p| units.pace(p)),
                opt(s.elevation_change_m, |e| {
                    format!("{:+}", units.elevation(e))
                }),
                opt(s.avg_hr, |h| format!("{h:.0}")),
            ]);
        }
        println!("\nSplits per {}\n{t}", units.distance.label());
    }
    Ok(0)
}

fn print_header(listed: &ActivityListed, a: &Activity, units: Units) {
    let row = &listed.row;
    let title = row
        .name
        .clone()
        .unwrap_or_else(|| format!("{} activity", row.sport.label()));
    println!("#{} {title}", row.id);
    let offset = row.utc_offset_s.map_or_else(
        || " (your time zone; the file gives no local offset)".to_string(),
        |o| format!(" (UTC{:+03}:{:02})", o / 3600, (o.abs() / 60) % 60),
    );
    println!(
        "  {} {}{offset}",
        row.sport.label(),
        listed.local_start.format("%A %Y-%m-%d %H:%M")
    );
    let mut facts = Vec::new();
    if let Some(d) = row.distance_m {
        facts.push(units.distance(d));
    }
    if let Some(t) = row.moving_s {
        facts.push(format!("moving {}", duration(t)));
    }
    if let Some(t) = row.elapsed_s {
        facts.push(format!("elapsed {}", duration(t)));
    }
    if let (Some(p), true) = (pace(row), row.sport.is_on_foot()) {
        facts.push(units.pace(p));
    }
    println!("  {}", facts.join(" · "));
    let mut more = Vec::new();
    if let (Some(up), Some(down)) = (row.ascent_m, row.descent_m) {
        more.push(format!(
            "↑{} ↓{}",
            units.elevation(up),
            units.elevation(down)
        ));
    }
    if let Some(hr) = row.avg_hr {
        more.push(format!(
            "HR avg {hr}{}",
            opt(row.max_hr, |m| format!(", max {m}"))
        ));
    }
    if let Some(c) = row.avg_cadence {
        let unit = if row.sport.is_on_foot() { "spm" } else { "rpm" };
        more.push(format!("cadence {c:.0} {unit}"));
    }
    if !more.is_empty() {
        println!("  {}", more.join(" · "));
    }
    println!(
        "  device: {} · shoe: {} · totals from the {} · {} samples",
        opt(row.device.as_deref(), str::to_string),
        opt(row.shoe.as_deref(), str::to_string),
        if row.totals_source == "device" {
            "device"
        } else {
            "samples (recomputed)"
        },
        a.samples.len()
    );
}
