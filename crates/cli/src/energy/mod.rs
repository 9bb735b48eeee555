//! `soleus energy`: calorie goals with safety floors, intake and weight logs, and the week's
//! energy balance (clinical.md §5). The use cases are `soleus_app::energy`; this module
//! prints them.

mod goal;
mod log;
mod week;

use clap::{Args, Subcommand};
use soleus_app::App;
use soleus_app::energy::EnergyBasis;
use soleus_model::athlete::{HeightUnit, WeightUnit};
use soleus_model::energy::{self, KG_PER_LB};

/// `soleus energy`
#[derive(Debug, Args)]
pub struct EnergyArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Daily calorie targets for a weight goal, its safety floors and warnings, and a projection.
    Goal(goal::GoalArgs),
    /// Log food eaten: `soleus energy log 2350` or per meal with `--meal lunch`.
    Log(log::LogArgs),
    /// Log a weighing: `61.5kg`, `135lb`, or a number in your weight unit.
    LogWeight(log::LogWeightArgs),
    /// The week's intake, running and other energy, balance, energy availability and weight.
    Week(week::WeekArgs),
    /// Every intake and weight entry, with ids.
    History(log::HistoryArgs),
    /// Delete a logged entry: `soleus energy delete intake 12`.
    Delete(log::DeleteArgs),
}

/// Runs `soleus energy`.
pub async fn run(app: &App, args: &EnergyArgs) -> anyhow::Result<u8> {
    match &args.action {
        Action::Goal(a) => goal::run(app, a).await,
        Action::Log(a) => log::run_log(app, a).await,
        Action::LogWeight(a) => log::run_log_weight(app, a).await,
        Action::Week(a) => week::run(app, a).await,
        Action::History(a) => log::run_history(app, a).await,
        Action::Delete(a) => log::run_delete(app, a).await,
    }
}

/// One line describing the profile the numbers rest on.
fn describe(b: &EnergyBasis) -> String {
    let p = &b.profile;
    let height = match b.athlete.height_unit {
        HeightUnit::Cm => format!("{:.0} cm", p.height.cm()),
        HeightUnit::Ftin => {
            let inches = (p.height.cm() / energy::CM_PER_INCH).round() as i64;
            format!("{} ft {} in", inches / 12, inches % 12)
        }
    };
    let weight_from = match b.weighed_on {
        Some(d) => format!("weighed {d}"),
        None => "from your profile".to_string(),
    };
    format!(
        "{}, {} years, {height}, {} ({weight_from}); daily life ×{}; fat-free mass {:.1} kg ({})",
        format!("{:?}", p.sex).to_lowercase(),
        p.age.years(),
        show_weight(b.athlete.weight_unit, p.weight.kg()),
        p.activity.factor(),
        p.fat_free_mass_kg(),
        if p.body_fat_assumed() {
            format!(
                "assuming {:.0} % body fat; set --body-fat for your own",
                p.body_fat_used().pct()
            )
        } else {
            format!("{:.0} % body fat measured", p.body_fat_used().pct())
        }
    )
}

/// A weight in `unit` with one decimal.
fn show_weight(unit: WeightUnit, kg: f64) -> String {
    match unit {
        WeightUnit::Kg => format!("{kg:.1} kg"),
        WeightUnit::Lb => format!("{:.1} lb", kg / KG_PER_LB),
    }
}

/// Whole kcal, with no "-0" for a tiny negative or a negative zero (an empty sum of floats is
/// −0.0).
fn kcal(v: f64) -> String {
    let r = v.round();
    if r == 0.0 {
        "0".to_string()
    } else {
        format!("{r:.0}")
    }
}

/// A weight change in `unit` with its sign.
fn show_signed(unit: WeightUnit, kg: f64) -> String {
    match unit {
        WeightUnit::Kg => format!("{kg:+.2} kg"),
        WeightUnit::Lb => format!("{:+.2} lb", kg / KG_PER_LB),
    }
}

/// Prints warnings with their referral and references.
fn print_warnings(warnings: &[energy::Warning]) {
    for w in warnings {
        let referral = match w.referral {
            Some(energy::Referral::Soon) => " — referral: SOON",
            _ => "",
        };
        let refs = if w.refs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", w.refs.join("; "))
        };
        println!("  ! {}{referral}: {}{refs}", w.code, w.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_negative_zeros_in_output() {
        assert_eq!(
            (kcal(-0.0), kcal(-0.4), kcal(-0.6), kcal(1234.5)),
            ("0".into(), "0".into(), "-1".into(), "1235".into())
        );
    }
}
