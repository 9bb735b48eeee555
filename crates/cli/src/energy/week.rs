//! `soleus energy week`: one week's logged intake against running, walking and daily-life
//! energy, the balance, estimated energy availability and the weight trend.

use chrono::{Duration, NaiveDate};
use clap::Args;
use serde_json::json;
use soleus_model::energy::{EnergyWeek, GoalPlan, GoalRate, Warning};
use soleus_store::Store;

use super::{Basis, activities, day_or_today, intake, monday, print_warnings, saved_goal, weights};
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
pub async fn run(store: &dyn Store, args: &WeekArgs) -> anyhow::Result<u8> {
    let start = monday(day_or_today(store, args.of).await?);
    let end = start + Duration::days(6);
    let ctx = Basis::load(store, end).await?;
    let (goal, goal_saved) = saved_goal(store).await?;
    // A goal saved at a heavier weight can be too fast now: the week still shows, with
    // maintenance targets and the reason, rather than failing.
    let (plan, refused) = match GoalPlan::new(&ctx.profile, goal) {
        Ok(p) => (p, None),
        Err(e) => (
            GoalPlan::new(&ctx.profile, GoalRate::MAINTAIN)?,
            Some(Warning {
                code: "GOAL_REFUSED",
                referral: None,
                message: format!(
                    "Your saved goal {goal} is no longer accepted ({e}); targets show maintenance. \
                     Choose a new one with `soleus energy goal --goal …`."
                ),
                refs: vec![],
            }),
        ),
    };
    let acts = activities(store, &ctx.athlete).await?;
    let mut week = EnergyWeek::build(
        &plan,
        start,
        &intake(store).await?,
        &weights(store).await?,
        &acts,
    );
    week.warnings.extend(refused);

    if args.json {
        let mut doc = serde_json::to_value(&week)?;
        super::positive_zeros(&mut doc);
        doc["goal_saved"] = json!(goal_saved);
        doc["weight_unit"] = json!(ctx.unit());
        doc["weighed_on"] = json!(ctx.weighed_on);
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }

    println!(
        "Energy, week of {start} to {end}; goal {}{}.",
        week.goal,
        if goal_saved {
            ""
        } else {
            " (none saved: `soleus energy goal --goal …`)"
        }
    );
    println!("Profile: {}.", ctx.describe());
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
    let unit = ctx.unit();
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
