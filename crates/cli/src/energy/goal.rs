//! `soleus energy goal`: a weight goal checked for safety, the daily targets it gives on the
//! week's training days, the floors, its warnings and a projection by both models.

use chrono::NaiveDate;
use clap::Args;
use soleus_app::App;
use soleus_app::energy::GoalQuery;
use soleus_model::energy::tables::tables;
use soleus_model::energy::{DayTarget, FloorBasis};

use super::{kcal, print_warnings};
use crate::output::table;

/// `soleus energy goal`
#[derive(Debug, Args)]
pub struct GoalArgs {
    /// maintain, lose-0.5lb, lose-1lb, lose-1.5lb, lose-2lb, gain-0.5lb … gain-2lb, or per week
    /// in kg (lose-0.25kg). Default: your saved goal (maintain when none is saved).
    #[arg(long)]
    goal: Option<String>,
    /// The day to plan (default: today).
    #[arg(long, value_parser = crate::output::parse_date)]
    on: Option<NaiveDate>,
    /// Weeks to project ahead: 26 (6 months) to 52 (12 months).
    #[arg(long, default_value_t = 26)]
    weeks: u32,
    /// Show the goal without making it your active goal.
    #[arg(long)]
    dry_run: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `soleus energy goal`.
pub async fn run(app: &App, args: &GoalArgs) -> anyhow::Result<u8> {
    let view = app
        .energy_goal(&GoalQuery {
            goal: args.goal.clone(),
            on: args.on,
            weeks: args.weeks,
            dry_run: args.dry_run,
        })
        .await?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&soleus_app::to_json(&view)?)?
        );
        return Ok(0);
    }
    let (saved, source, rate, day) = (view.saved, view.goal_source, &view.goal, view.date);
    let ctx = &view.basis;
    let unit = ctx.athlete.weight_unit;
    let p = &ctx.profile;
    let t = tables();
    let (week, today, rest) = (&view.week, &view.today.target, &view.rest_day);
    let start = week.first().map_or(day, |d| d.date);
    let (mean_change, basis_from) = (view.mean_change_kcal, view.basis_from);
    let warnings = &view.warnings;
    let projection = &view.projection;
    let verb = if saved {
        " — saved as your goal"
    } else if source == "saved" {
        " (your saved goal)"
    } else if source == "default" {
        " (no goal saved yet; set one with --goal)"
    } else {
        " (not saved: --dry-run)"
    };
    println!(
        "Goal: {rate}{verb}: {:+.0} kcal a day by the 3500 kcal/lb rule.",
        view.goal_change_kcal_per_day
    );
    println!("Profile: {}.", super::describe(ctx));
    println!(
        "Resting energy (Mifflin–St Jeor) {:.0} kcal/day; daily life without runs {:.0} kcal/day. \
         Fastest safe loss for you: {} a week.",
        p.ree_kcal(),
        p.daily_life_kcal(),
        super::show_weight(unit, view.max_loss_kg_per_week)
    );
    let mut tbl = table(
        &[
            "Day",
            "Running",
            "Walking",
            "Maintenance",
            "Target",
            "Floor",
            "Note",
        ],
        &[1, 2, 3, 4, 5],
    );
    for d in week {
        let t = &d.target;
        tbl.add_row(vec![
            format!(
                "{}{}",
                d.date.format("%a %d %b"),
                if d.date == day { " ◂" } else { "" }
            ),
            kcal(d.running_kcal),
            kcal(d.walking_kcal),
            kcal(t.maintenance_kcal),
            kcal(t.target_kcal),
            kcal(t.floor_kcal),
            floor_note(t),
        ]);
    }
    println!("\nDaily targets, kcal (the week of {start}):\n{tbl}");
    println!(
        "Today {} kcal; a rest day {} kcal. Floors: never below {} kcal, nor below {} kcal per \
         kg fat-free mass plus the day's exercise ({} kcal on a rest day).",
        kcal(today.target_kcal),
        kcal(rest.target_kcal),
        kcal(p.fixed_floor_kcal()),
        kcal(t.ea_low.value),
        kcal(t.ea_low.value * p.fat_free_mass_kg())
    );
    if !warnings.is_empty() {
        println!("\nWarnings:");
        print_warnings(warnings);
    }
    println!(
        "\nProjection over {} weeks at {mean_change:+.0} kcal a day (the mean planned change over \
         {basis_from} to {day}). The dynamic model's eventual change is {}, about half of it \
         within a year:\n",
        view.weeks,
        super::show_signed(unit, projection.eventual_change_kg)
    );
    print!("{}", projection.table(unit, 4));
    println!();
    print!("{}", projection.chart(unit, 12));
    Ok(0)
}

/// Why the target sits where it does, for the table's last column.
fn floor_note(t: &DayTarget) -> String {
    if !t.held_at_floor {
        return String::new();
    }
    match t.floor_basis {
        FloorBasis::Fixed => "held at the fixed floor".into(),
        FloorBasis::EnergyAvailability => "held at 30 kcal/kg FFM + exercise".into(),
    }
}
