//! `soleus energy week`: one week's logged intake against running, walking and daily-life
//! energy, the balance, estimated energy availability and the weight trend.

use chrono::NaiveDate;
use clap::Args;
use soleus_app::App;

use super::print_warnings;
use crate::output::{opt, table};

/// `soleus energy week`
#[derive(Debug, Args)]
pub struct WeekArgs {
    /// A day in the week to show (weeks run Monday to Sunday; default: this week).
    #[arg(long, value_parser = crate::output::parse_date)]
    of: Option<NaiveDate>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `soleus energy week`.
pub async fn run(app: &App, args: &WeekArgs) -> anyhow::Result<u8> {
    let view = app.energy_week(args.of).await?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&soleus_app::to_json(&view)?)?
        );
        return Ok(0);
    }
    let week = &view.week;
    let (start, end) = (week.start, week.end);
    let goal_saved = view.goal_saved;
    println!(
        "Energy, week of {start} to {end}; goal {}{}.",
        week.goal,
        if goal_saved {
            ""
        } else {
            " (none saved: `soleus energy goal --goal …`)"
        }
    );
    println!("Profile: {}.", super::describe(&view.basis));
    let mut t = table(
        &[
            "Day",
            "Intake",
            "Running",
            "Walking",
            "Daily life",
            "Spent",
            "Target",
            "Balance",
            "EA",
        ],
        &[1, 2, 3, 4, 5, 6, 7, 8],
    );
    let k = super::kcal;
    for d in &week.days {
        t.add_row(vec![
            d.date.format("%a %d %b").to_string(),
            opt(d.intake_kcal, k),
            k(d.running_kcal),
            k(d.walking_kcal),
            k(d.daily_life_kcal),
            k(d.expenditure_kcal),
            format!(
                "{}{}",
                k(d.target_kcal),
                if d.held_at_floor { "*" } else { "" }
            ),
            opt(d.balance_kcal, |b| format!("{b:+.0}")),
            opt(d.energy_availability, |e| format!("{e:.1}")),
        ]);
    }
    println!("{t}");
    println!(
        "kcal; EA = (intake − exercise) / fat-free mass, kcal per kg FFM a day (about 45 adequate, \
         below 30 low); * target held at the floor."
    );
    println!(
        "Intake {} kcal on {} logged day{} · running {} · walking {} · daily life {} \
         · balance over logged days {} · mean EA {}.",
        k(week.intake_kcal),
        week.days_logged,
        if week.days_logged == 1 { "" } else { "s" },
        k(week.running_kcal),
        k(week.walking_kcal),
        k(week.daily_life_kcal),
        opt(week.balance_kcal, |b| format!("{b:+.0} kcal")),
        opt(week.mean_energy_availability, |e| format!("{e:.1}"))
    );
    let unit = view.weight_unit;
    println!(
        "Weight: {}; trend over 4 weeks: {}.",
        opt(week.weight_kg, |kg| super::show_weight(unit, kg)),
        opt(week.weight_trend_kg_per_week, |kg| format!(
            "{} a week",
            super::show_signed(unit, kg)
        ))
    );
    if !week.warnings.is_empty() {
        println!("\nWarnings:");
        print_warnings(&week.warnings);
    }
    if week.days_logged == 0 {
        println!("\nLog what you eat with `soleus energy log 2350` (or per meal with --meal).");
    }
    Ok(0)
}
