//! `soleus energy goal`: a weight goal checked for safety, the daily targets it gives on the
//! week's training days, the floors, its warnings and a projection by both models.

use std::collections::BTreeMap;

use anyhow::Context as _;
use chrono::{Duration, NaiveDate};
use clap::Args;
use serde_json::{Value, json};
use soleus_model::activity::Activity;
use soleus_model::energy::tables::tables;
use soleus_model::energy::{
    DayTarget, EnergyError, FloorBasis, GoalPlan, GoalRate, Projection, Warning, activity_energy,
};
use soleus_store::Store;

use super::{Basis, GOAL_KEY, activities, day_or_today, kcal, monday, print_warnings, saved_goal};
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

/// Days the projection's mean planned change is taken over: four weeks of training.
const BASIS_DAYS: i64 = 28;

/// Running and walking energy of one day, kcal.
#[derive(Debug, Clone, Copy, Default)]
struct DayExercise {
    running: f64,
    walking: f64,
}

impl DayExercise {
    fn total(self) -> f64 {
        self.running + self.walking
    }
}

/// Exercise energy per local day, from the stored runs and walks.
fn exercise_by_day(acts: &[Activity], ctx: &Basis) -> BTreeMap<NaiveDate, DayExercise> {
    let mut by_day: BTreeMap<NaiveDate, DayExercise> = BTreeMap::new();
    for e in acts
        .iter()
        .filter_map(|a| activity_energy(a, ctx.profile.weight))
    {
        let d = by_day.entry(e.date).or_default();
        if e.sport.is_running() {
            d.running += e.kcal;
        } else {
            d.walking += e.kcal;
        }
    }
    by_day
}

/// A day's target as JSON, with its date and the split of its exercise energy.
fn day_json(date: NaiveDate, ex: DayExercise, t: &DayTarget) -> anyhow::Result<Value> {
    let mut v = serde_json::to_value(t)?;
    v["date"] = json!(date);
    v["running_kcal"] = json!(ex.running);
    v["walking_kcal"] = json!(ex.walking);
    Ok(v)
}

/// Runs `soleus energy goal`.
pub async fn run(store: &dyn Store, args: &GoalArgs) -> anyhow::Result<u8> {
    let day = day_or_today(store, args.on).await?;
    let ctx = Basis::load(store, day).await?;
    let (rate, source) = match &args.goal {
        Some(g) => (GoalRate::parse(g)?, "given"),
        None => match saved_goal(store).await? {
            (g, true) => (g, "saved"),
            (g, false) => (g, "default"),
        },
    };
    let plan = GoalPlan::new(&ctx.profile, rate).map_err(|e| match e {
        EnergyError::LossTooFast { .. } => anyhow::anyhow!("the goal {rate} is refused: {e}"),
        other => anyhow::Error::new(other),
    })?;
    let by_day = exercise_by_day(&activities(store, &ctx.athlete).await?, &ctx);
    let ex = |d: NaiveDate| by_day.get(&d).copied().unwrap_or_default();
    let target = |d: NaiveDate| plan.daily_target_for(ex(d).total());

    let start = monday(day);
    let week: Vec<(NaiveDate, DayTarget)> = (0..7)
        .map(|i| start + Duration::days(i))
        .map(|d| (d, target(d)))
        .collect();
    let today = target(day);
    let rest = plan.daily_target_for(0.0);
    // The projection follows the change actually planned over the last four weeks of training,
    // which the floors may have made smaller than the goal's.
    let basis_from = day - Duration::days(BASIS_DAYS - 1);
    let mean_change = (0..BASIS_DAYS)
        .map(|i| target(basis_from + Duration::days(i)).planned_change_kcal())
        .sum::<f64>()
        / BASIS_DAYS as f64;
    let projection = Projection::new(ctx.profile.weight, mean_change, args.weeks)?;

    let mut warnings = plan.warnings.clone();
    let held = week.iter().filter(|(_, t)| t.held_at_floor).count();
    if held > 0 {
        warnings.push(Warning::held_at_floor(held));
    }
    let saved = args.goal.is_some() && !args.dry_run;
    if saved {
        store
            .set_setting(GOAL_KEY, &rate.to_string())
            .await
            .context("saving the goal")?;
    }

    let t = tables();
    let p = &ctx.profile;
    if args.json {
        let doc = json!({
            "date": day,
            "goal": rate.to_string(),
            "goal_kg_per_week": rate.kg_per_week,
            "goal_source": source,
            "saved": saved,
            "weight_unit": ctx.unit(),
            "profile": {
                "sex": p.sex,
                "age": p.age.years(),
                "height_cm": p.height.cm(),
                "weight_kg": p.weight.kg(),
                "weighed_on": ctx.weighed_on,
                "body_fat_pct": p.body_fat_used().pct(),
                "body_fat_assumed": p.body_fat_assumed(),
                "activity_factor": p.activity.factor(),
                "fat_free_mass_kg": p.fat_free_mass_kg(),
                "ree_kcal": p.ree_kcal(),
                "daily_life_kcal": p.daily_life_kcal(),
            },
            "max_loss_kg_per_week": plan.max_loss_kg_per_week,
            "goal_change_kcal_per_day": rate.daily_change_kcal(),
            "floors": {
                "fixed_kcal": p.fixed_floor_kcal(),
                "ea_kcal_per_kg_ffm": t.ea_low.value,
                "rest_day_ea_kcal": t.ea_low.value * p.fat_free_mass_kg(),
            },
            "today": day_json(day, ex(day), &today)?,
            "rest_day": rest,
            "week": week.iter().map(|(d, t)| day_json(*d, ex(*d), t)).collect::<anyhow::Result<Vec<_>>>()?,
            "warnings": warnings,
            "projection_basis": format!(
                "mean planned intake change over the {BASIS_DAYS} days {basis_from} to {day}"
            ),
            "projection": projection,
        });
        let mut doc = doc;
        super::positive_zeros(&mut doc);
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }

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
        rate.daily_change_kcal()
    );
    println!("Profile: {}.", ctx.describe());
    println!(
        "Resting energy (Mifflin–St Jeor) {:.0} kcal/day; daily life without runs {:.0} kcal/day. \
         Fastest safe loss for you: {} a week.",
        p.ree_kcal(),
        p.daily_life_kcal(),
        ctx.show_kg(plan.max_loss_kg_per_week)
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
    for (d, t) in &week {
        let e = ex(*d);
        tbl.add_row(vec![
            format!(
                "{}{}",
                d.format("%a %d %b"),
                if *d == day { " ◂" } else { "" }
            ),
            kcal(e.running),
            kcal(e.walking),
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
        print_warnings(&warnings);
    }
    println!(
        "\nProjection over {} weeks at {mean_change:+.0} kcal a day (the mean planned change over \
         {basis_from} to {day}). The dynamic model's eventual change is {}, about half of it \
         within a year:\n",
        args.weeks,
        super::show_signed(ctx.unit(), projection.eventual_change_kg)
    );
    print!("{}", projection.table(ctx.render_unit(), 4));
    println!();
    print!("{}", projection.chart(ctx.render_unit(), 12));
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
