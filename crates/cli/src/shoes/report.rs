//! The reporting shoe commands: `shoes list`, `shoes drops` and `shoes transition`.

use chrono::{Datelike, Duration};
use serde::Serialize;
use soleus_model::athlete::Athlete;
use soleus_model::plan::PlanHistory;
use soleus_model::shoes::{self, DropClass, DropShare};
use soleus_store::Store;

use super::{ShoeData, achilles_history, class_words, load, transition as plan_for};
use crate::output::{opt, table};
use crate::profile;

/// One row of `shoes list --json`.
#[derive(Debug, Serialize)]
struct Listed<'a> {
    id: i64,
    name: &'a str,
    brand: Option<&'a str>,
    model: Option<&'a str>,
    drop_mm: Option<f64>,
    stack_mm: Option<f64>,
    drop_class: Option<DropClass>,
    started_on: chrono::NaiveDate,
    retire_km: f64,
    retired: bool,
    default: bool,
    km: f64,
    activities: usize,
    reminder: Option<String>,
}

/// `soleus shoes list`: distances by the model's rule (assigned, or the default shoe worn that
/// day), with its retirement reminder.
pub async fn list(store: &dyn Store, athlete: &Athlete, json: bool) -> anyhow::Result<u8> {
    let data = load(store, athlete).await?;
    let dist = shoes::distances(&data.all, &data.runs);
    let rows: Vec<Listed> = data
        .rows
        .iter()
        .zip(&data.all)
        .zip(&dist)
        .map(|((r, s), d)| Listed {
            id: r.id,
            name: &r.spec.name,
            brand: r.spec.brand.as_deref(),
            model: r.spec.model.as_deref(),
            drop_mm: r.spec.drop_mm,
            stack_mm: r.spec.stack_mm,
            drop_class: r.spec.drop_mm.map(DropClass::of),
            started_on: s.started_on,
            retire_km: s.retire_km,
            retired: r.retired,
            default: r.is_default,
            km: d.km,
            activities: d.runs,
            reminder: d.reminder.clone(),
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(0);
    }
    if rows.is_empty() {
        println!("No shoes yet: `soleus shoes add NAME --drop MM` adds one.");
        return Ok(0);
    }
    let u = athlete.units;
    let per = u.metres() / 1000.0;
    let mut t = table(
        &[
            "Id",
            "Name",
            "Brand/model",
            "Drop",
            "Stack",
            "Since",
            "Distance",
            "Runs",
            "Retire at",
            "Status",
        ],
        &[0, 3, 4, 6, 7, 8],
    );
    for r in &rows {
        let bm = [r.brand, r.model].into_iter().flatten().collect::<Vec<_>>();
        let status = match (r.retired, r.default) {
            (true, _) => "retired",
            (false, true) => "default",
            _ => "",
        };
        t.add_row(vec![
            r.id.to_string(),
            r.name.to_owned(),
            bm.join(" "),
            opt(r.drop_mm, |d| format!("{d:.0} mm")),
            opt(r.stack_mm, |d| format!("{d:.0} mm")),
            r.started_on.to_string(),
            format!("{:.1} {}", r.km / per, u.label()),
            r.activities.to_string(),
            format!("{:.0} {}", r.retire_km / per, u.label()),
            status.into(),
        ]);
    }
    println!("{t}");
    for r in rows.iter().filter_map(|r| r.reminder.as_deref()) {
        println!("Reminder: {r}");
    }
    println!(
        "Distances count the activities assigned to each shoe, and on-foot activities without a shoe on the default shoe worn that day."
    );
    Ok(0)
}

/// `soleus shoes drops`: share of weekly distance per drop class, oldest week first.
pub async fn drops(
    store: &dyn Store,
    athlete: &Athlete,
    weeks: u32,
    json: bool,
) -> anyhow::Result<u8> {
    let data = load(store, athlete).await?;
    let today = profile::today(athlete)?;
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let known = data.with_drop();
    let runs = data.resolved();
    let shares: Vec<DropShare> = (0..weeks.clamp(1, 520))
        .rev()
        .map(|w| shoes::weekly_drop_shares(&known, &runs, monday - Duration::weeks(i64::from(w))))
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&shares)?);
        return Ok(0);
    }
    let per = athlete.units.metres() / 1000.0;
    let label = athlete.units.label();
    let mut t = table(
        &[
            "Week of", "Total", "Zero", "Low 1-4", "Mid 5-8", "High 9+", "Unknown",
        ],
        &[1, 2, 3, 4, 5, 6],
    );
    for s in &shares {
        let mut row = vec![
            s.week_start.to_string(),
            format!("{:.1} {label}", s.total_km / per),
        ];
        row.extend(s.by_class.iter().map(|(_, km, pct)| {
            if *km > 0.0 {
                format!("{:.1} ({pct:.0} %)", km / per)
            } else {
                "—".into()
            }
        }));
        row.push(format!("{:.1}", s.unknown_km / per));
        t.add_row(row);
    }
    println!(
        "Share of weekly distance by heel drop ({label}; the class bands are a Soleus convention)\n{t}"
    );
    println!(
        "Unknown: runs with no shoe, or on a shoe with no drop recorded (`soleus shoes add NAME --drop MM`)."
    );
    Ok(0)
}

/// `soleus shoes transition`: the schedule, its cautions, and this week against it.
pub async fn transition(store: &dyn Store, athlete: &Athlete, json: bool) -> anyhow::Result<u8> {
    // A red flag stops every plan, this one too: no change of shoes before a clinician.
    if let Some(r) = crate::triage::red_flag_in_force(store).await? {
        let why = format!(
            "a red flag from the check-in of {} is in force: see a clinician first; the transition waits until a clinician's clearance or a check-in without it.",
            r.date
        );
        if json {
            println!("{}", serde_json::json!({ "plan": null, "why": why }));
        } else {
            println!("No transition plan: {why}");
        }
        return Ok(0);
    }
    let data = load(store, athlete).await?;
    let today = profile::today(athlete)?;
    let history = PlanHistory {
        achilles: achilles_history(store).await?,
        ..PlanHistory::default()
    };
    let Some((plan, check)) = plan_for(&data, athlete, history, today) else {
        let why = missing(&data, athlete);
        if json {
            println!("{}", serde_json::json!({ "plan": null, "why": why }));
        } else {
            println!("No transition plan: {why}");
        }
        return Ok(0);
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "plan": plan, "this_week": check }))?
        );
        return Ok(0);
    }
    println!(
        "Lower-drop transition: from {:.0} mm to {:.0} mm, started {}.\n{}",
        plan.input.usual_drop_mm, plan.input.target_drop_mm, plan.input.start, plan.advice
    );
    for c in &plan.cautions {
        println!("Caution: {c}");
    }
    let per = athlete.units.metres() / 1000.0;
    let label = athlete.units.label();
    let mut t = table(&["Week", "Starts", "Allowed share"], &[0, 2]);
    // The weeks up to a month ahead; the JSON has the whole schedule.
    for w in plan
        .weeks
        .iter()
        .filter(|w| w.starts_on <= today + Duration::weeks(4))
    {
        let here = today >= w.starts_on && today < w.starts_on + Duration::days(7);
        t.add_row(vec![
            format!("{}{}", w.week, if here { " (now)" } else { "" }),
            w.starts_on.to_string(),
            format!("{:.0} %", w.allowed_pct),
        ]);
    }
    println!("{t}");
    if let Some(last) = plan.weeks.last() {
        println!(
            "All of your running may be in the lower-drop shoes from week {} ({}), if the calf and Achilles stay quiet.",
            last.week, last.starts_on
        );
    }
    println!(
        "Last 7 days ({} to {}): {:.1} of {:.1} {label} in lower-drop shoes ({:.0} %), the plan allows {:.0} %.{}",
        check.from,
        check.to,
        check.lower_drop_km / per,
        check.week_km / per,
        check.share_pct,
        check.allowed_pct,
        if check.outran {
            " Ahead of the plan: FOOTWEAR_TRANSITION_FAST (see `soleus risk`)."
        } else {
            ""
        }
    );
    println!(
        "Shoe drop is CONTESTED: 0, 6 and 10 mm showed no overall difference; low drop helped occasional runners and harmed regular ones. {}",
        crate::output::cite(&plan.references)
    );
    Ok(0)
}

/// Why no transition plan could be built, in words a runner can act on.
fn missing(data: &ShoeData, athlete: &Athlete) -> String {
    let usual = athlete
        .usual_shoe
        .as_deref()
        .and_then(|n| data.rows.iter().find(|r| r.spec.name == n));
    match (athlete.usual_shoe.as_deref(), usual) {
        (None, _) => {
            "no usual shoe in your profile (`soleus profile set --usual-shoe NAME`).".into()
        }
        (Some(n), None) => format!("your usual shoe {n:?} is not in `soleus shoes list`."),
        (Some(n), Some(r)) if r.spec.drop_mm.is_none() => {
            format!("your usual shoe {n:?} has no drop (`soleus shoes add {n:?} --drop MM`).")
        }
        (Some(_), Some(r)) => format!(
            "no run yet in a shoe at least {:.0} mm below your usual {:.0} mm ({}).",
            shoes::LOWER_DROP_MM,
            r.spec.drop_mm.unwrap_or(0.0),
            class_words(DropClass::of(r.spec.drop_mm.unwrap_or(0.0)))
        ),
    }
}
