//! The reporting shoe commands: `shoes list`, `shoes drops` and `shoes transition`.

use chrono::Duration;
use soleus_app::App;
use soleus_app::shoes::TransitionView;

use crate::output::{opt, table};

/// `soleus shoes list`: distances by the model's rule (assigned, or the default shoe worn that
/// day), with its retirement reminder.
pub async fn list(app: &App, json: bool) -> anyhow::Result<u8> {
    let rows = app.shoes().await?;
    let athlete = app.athlete().await?;
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
        let bm = [r.brand.as_deref(), r.model.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        let status = match (r.retired, r.default) {
            (true, _) => "retired",
            (false, true) => "default",
            _ => "",
        };
        t.add_row(vec![
            r.id.to_string(),
            r.name.clone(),
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
pub async fn drops(app: &App, weeks: u32, json: bool) -> anyhow::Result<u8> {
    let shares = app.drop_shares(weeks).await?;
    let athlete = app.athlete().await?;
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
pub async fn transition(app: &App, json: bool) -> anyhow::Result<u8> {
    let view = app.shoe_transition(None).await?;
    let athlete = app.athlete().await?;
    let today = soleus_app::profile::Clock::of(&athlete)?.today();
    let TransitionView::Plan {
        plan,
        this_week: check,
    } = &view
    else {
        return print_transition(&view, json);
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&view)?);
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

/// The no-plan answer, or the plan as JSON.
fn print_transition(view: &TransitionView, json: bool) -> anyhow::Result<u8> {
    match view {
        TransitionView::None { why, .. } if !json => println!("No transition plan: {why}"),
        TransitionView::None { .. } => println!("{}", serde_json::to_string(view)?),
        TransitionView::Plan { .. } => println!("{}", serde_json::to_string_pretty(view)?),
    }
    Ok(0)
}
