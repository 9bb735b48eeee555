//! `soleus activities` and `soleus show`.

use anyhow::Context;
use clap::Args;
use serde::Serialize;
use soleus_model::units::duration;
use soleus_model::{Activity, Units};
use soleus_store::{ActivityRow, Store};

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
    pub id: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// An activity as listed in JSON: distances in km, durations in seconds.
#[derive(Debug, Serialize)]
struct ListedActivity<'a> {
    id: i64,
    name: Option<&'a str>,
    sport: &'static str,
    sport_detail: Option<&'a str>,
    start: String,
    local_date: String,
    utc_offset_s: Option<i32>,
    distance_km: Option<f64>,
    elapsed_s: Option<f64>,
    moving_s: Option<f64>,
    pace_s_per_km: Option<f64>,
    ascent_m: Option<f64>,
    descent_m: Option<f64>,
    avg_hr: Option<u8>,
    max_hr: Option<u8>,
    avg_cadence: Option<f64>,
    device: Option<&'a str>,
    shoe: Option<&'a str>,
    totals_source: &'a str,
}

fn pace(row: &ActivityRow) -> Option<f64> {
    let d = row.distance_m.filter(|d| *d > 0.0)?;
    Some(row.moving_s.or(row.elapsed_s)? / (d / 1000.0))
}

/// The athlete's offset at an instant (their time zone, else this computer's).
pub type Tz = dyn Fn(chrono::DateTime<chrono::Utc>) -> chrono::FixedOffset;

/// Local start time: the file's own offset, else the athlete's time zone.
pub(crate) fn local(row: &ActivityRow, tz: &Tz) -> chrono::NaiveDateTime {
    let off = row
        .utc_offset_s
        .unwrap_or_else(|| tz(row.start).local_minus_utc());
    row.start.naive_utc() + chrono::Duration::seconds(i64::from(off))
}

fn listed<'a>(row: &'a ActivityRow, tz: &Tz) -> ListedActivity<'a> {
    ListedActivity {
        id: row.id,
        name: row.name.as_deref(),
        sport: row.sport.as_str(),
        sport_detail: row.sport_detail.as_deref(),
        start: row.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        local_date: local(row, tz).date().to_string(),
        utc_offset_s: row.utc_offset_s,
        distance_km: row.distance_m.map(|m| m / 1000.0),
        elapsed_s: row.elapsed_s,
        moving_s: row.moving_s,
        pace_s_per_km: pace(row),
        ascent_m: row.ascent_m,
        descent_m: row.descent_m,
        avg_hr: row.avg_hr,
        max_hr: row.max_hr,
        avg_cadence: row.avg_cadence,
        device: row.device.as_deref(),
        shoe: row.shoe.as_deref(),
        totals_source: &row.totals_source,
    }
}

/// Runs `soleus activities`.
pub async fn list(store: &dyn Store, settings: &Settings, args: &ListArgs) -> anyhow::Result<u8> {
    let tz = crate::profile::tz_fn(&crate::profile::load(store).await?)?;
    let mut rows = store.list_activities().await?;
    if let Some(n) = args.limit {
        rows.truncate(n);
    }
    if args.json {
        let doc: Vec<_> = rows.iter().map(|r| listed(r, tz.as_ref())).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "activities": doc }))?
        );
        return Ok(0);
    }
    let units = settings.units(store).await?;
    print_table(&rows, units, tz.as_ref());
    Ok(0)
}

/// Prints the activities table.
pub fn print_table(rows: &[ActivityRow], units: Units, tz: &Tz) {
    if rows.is_empty() {
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
    for r in rows {
        let time = r.moving_s.or(r.elapsed_s);
        t.add_row(vec![
            r.id.to_string(),
            local(r, tz).format("%Y-%m-%d %H:%M").to_string(),
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
    let total_m: f64 = rows
        .iter()
        .filter(|r| r.sport.is_running())
        .filter_map(|r| r.distance_m)
        .sum();
    let runs = rows.iter().filter(|r| r.sport.is_running()).count();
    println!(
        "{} activities; {runs} runs totalling {}",
        rows.len(),
        units.distance(total_m)
    );
}

/// Runs `soleus show ID`.
pub async fn show(store: &dyn Store, settings: &Settings, args: &ShowArgs) -> anyhow::Result<u8> {
    let tz = crate::profile::tz_fn(&crate::profile::load(store).await?)?;
    let stored = store.activity(args.id).await?.with_context(|| {
        format!(
            "no activity {}; list them with `soleus activities`",
            args.id
        )
    })?;
    let units = settings.units(store).await?;
    let a = &stored.activity;
    let splits = soleus_model::splits::splits(&a.samples, units.distance.metres());
    if args.json {
        let doc = serde_json::json!({
            "activity": listed(&stored.row, tz.as_ref()),
            "laps": a.laps.iter().map(|l| serde_json::json!({
                "start": l.start.map(|s| s.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                "distance_km": l.distance_m.map(|m| m / 1000.0),
                "elapsed_s": l.elapsed_s, "moving_s": l.moving_s,
                "ascent_m": l.ascent_m, "descent_m": l.descent_m,
                "avg_hr": l.avg_hr, "max_hr": l.max_hr, "avg_cadence": l.avg_cadence,
            })).collect::<Vec<_>>(),
            "splits_unit": units.distance.label(),
            "splits": splits,
            "sample_count": a.samples.len(),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    print_header(&stored.row, a, units, tz.as_ref());
    if !a.laps.is_empty() {
        let mut t = table(
            &[
                "Lap", "Distance", "Time", "Pace", "Ascent", "Avg HR", "Cadence",
            ],
            &[0, 1, 2, 3, 4, 5, 6],
        );
        for (i, l) in a.laps.iter().enumerate() {
            let time = l.moving_s.or(l.elapsed_s);
            let p = match (l.distance_m, time) {
                (Some(d), Some(t)) if d > 0.0 => Some(t / (d / 1000.0)),
                _ => None,
            };
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
        for s in &splits {
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

fn print_header(row: &ActivityRow, a: &Activity, units: Units, tz: &Tz) {
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
        local(row, tz).format("%A %Y-%m-%d %H:%M")
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
