//! The energy page as shown: the goal form, the targets or the reason there are none, the
//! projection, the week, and the logs (the routes and forms are [`crate::energy`]).

use askama::Template;
use axum::response::Html;
use soleus_app::AppError;
use soleus_app::energy::{EnergyHistory, GoalQuery, GoalView, WeekView};
use soleus_model::athlete::{HeightUnit, WeightUnit};

use crate::auth::Me;
use crate::energy::{GoalForm, PageQuery, goals, height_unit, projection_chart, week, weight_unit};
use crate::energy_log::LogForm;
use crate::error::Error;
use crate::form::Problem;
use crate::page::{Chrome, render};

/// A warning as shown: its code, whether it asks for a clinician, its words and references.
struct Warn {
    code: &'static str,
    referral: bool,
    message: String,
    refs: String,
}

struct DayRow {
    date: String,
    exercise: String,
    maintenance: String,
    target: String,
    floor: String,
    held: bool,
}

struct Targets {
    goal: String,
    source: &'static str,
    today: DayRow,
    rest_day: String,
    rest_floor: String,
    floor_words: String,
    change: String,
    max_loss: String,
    body: Vec<(&'static str, String)>,
    week: Vec<DayRow>,
    projection: Option<String>,
    projection_basis: String,
    points: Vec<(u32, String, String)>,
}

struct WeekDay {
    date: String,
    intake: String,
    expenditure: String,
    target: String,
    balance: String,
    ea: String,
}

struct Week {
    span: String,
    goal: String,
    days: Vec<WeekDay>,
    summary: Vec<(&'static str, String)>,
    warnings: Vec<Warn>,
}

#[derive(Template)]
#[template(path = "energy.html")]
struct EnergyPage {
    chrome: Chrome,
    form: GoalForm,
    log: LogForm,
    problem: Problem,
    goals: Vec<(&'static str, String)>,
    wu: &'static str,
    weight_label: String,
    ftin: bool,
    other_units: String,
    other_units_words: &'static str,
    targets: Option<Targets>,
    warnings: Vec<Warn>,
    no_targets: Option<String>,
    week: Result<Week, String>,
    intake: Vec<(String, String, String, String)>,
    weights: Vec<(String, String, String)>,
}

fn kcal(v: f64) -> String {
    // Never "-0 kcal": a sum of nothing can come out as minus zero.
    let v = if v.round() == 0.0 { 0.0 } else { v };
    format!("{v:.0} kcal")
}

fn warn(w: &soleus_model::energy::Warning) -> Warn {
    Warn {
        code: w.code,
        referral: w.referral.is_some(),
        message: w.message.clone(),
        refs: w.refs.join(", "),
    }
}

fn day_row(d: &soleus_app::energy::DayPlan) -> DayRow {
    DayRow {
        date: d.date.format("%a %-d %b").to_string(),
        exercise: kcal(d.running_kcal + d.walking_kcal),
        maintenance: kcal(d.target.maintenance_kcal),
        target: kcal(d.target.target_kcal),
        floor: kcal(d.target.floor_kcal),
        held: d.target.held_at_floor,
    }
}

fn targets(v: &GoalView, wu: WeightUnit, words: &[(&'static str, String)]) -> Targets {
    let w = |kg: f64| format!("{:.1} {}", wu.from_kg(kg), wu.label());
    let p = &v.profile;
    Targets {
        goal: words
            .iter()
            .find(|(k, _)| *k == v.goal)
            .map_or_else(|| v.goal.clone(), |(_, l)| l.clone()),
        source: match v.goal_source {
            "saved" => "your saved goal",
            "given" => "the goal asked for",
            _ => "no goal saved yet, so maintenance",
        },
        today: day_row(&v.today),
        rest_day: kcal(v.rest_day.target_kcal),
        rest_floor: kcal(v.rest_day.floor_kcal),
        floor_words: format!(
            "No day's target goes below the higher of two floors: {} a day (the least without a clinician's supervision), and {:.0} kcal per kg of fat-free mass plus the day's exercise ({} on a rest day), below which energy availability is low.",
            kcal(v.floors.fixed_kcal),
            v.floors.ea_kcal_per_kg_ffm,
            kcal(v.floors.rest_day_ea_kcal)
        ),
        change: format!("{:+.0} kcal a day", v.goal_change_kcal_per_day),
        max_loss: format!("{} a week", w(v.max_loss_kg_per_week)),
        body: vec![
            (
                "Weight used",
                match p.weighed_on {
                    Some(d) => format!("{} (weighed {d})", w(p.weight_kg)),
                    None => w(p.weight_kg),
                },
            ),
            ("Age", format!("{} years", p.age)),
            ("Resting energy (Mifflin–St Jeor)", kcal(p.ree_kcal)),
            ("Daily life outside runs", kcal(p.daily_life_kcal)),
            (
                "Body fat",
                format!(
                    "{:.0} %{}",
                    p.body_fat_pct,
                    if p.body_fat_assumed {
                        " (assumed; set a measured value in settings)"
                    } else {
                        ""
                    }
                ),
            ),
            ("Fat-free mass", w(p.fat_free_mass_kg)),
        ],
        week: v.week.iter().map(day_row).collect(),
        projection: projection_chart(&v.projection, wu),
        projection_basis: v.projection_basis.clone(),
        points: v
            .projection
            .points
            .iter()
            .filter(|pt| pt.week % 2 == 0)
            .map(|pt| (pt.week, w(pt.dynamic_kg), w(pt.static_kg)))
            .collect(),
    }
}

fn week_of(v: &WeekView, wu: WeightUnit) -> Week {
    let k = |o: Option<f64>| o.map_or_else(|| "—".to_owned(), kcal);
    let wk = &v.week;
    Week {
        span: format!("{} to {}", wk.start, wk.end),
        goal: wk.goal.clone(),
        days: wk
            .days
            .iter()
            .map(|d| WeekDay {
                date: d.date.format("%a %-d %b").to_string(),
                intake: k(d.intake_kcal),
                expenditure: kcal(d.expenditure_kcal),
                target: format!(
                    "{}{}",
                    kcal(d.target_kcal),
                    if d.held_at_floor {
                        " (held at the floor)"
                    } else {
                        ""
                    }
                ),
                balance: d
                    .balance_kcal
                    .map_or_else(|| "—".into(), |b| format!("{b:+.0} kcal")),
                ea: d
                    .energy_availability
                    .map_or_else(|| "—".into(), |e| format!("{e:.0} kcal/kg FFM")),
            })
            .collect(),
        summary: vec![
            ("Days with intake logged", wk.days_logged.to_string()),
            ("Intake logged", kcal(wk.intake_kcal)),
            (
                "Running and walking",
                kcal(wk.running_kcal + wk.walking_kcal),
            ),
            ("Balance of the logged days", k(wk.balance_kcal)),
            (
                "Mean energy availability",
                wk.mean_energy_availability
                    .map_or_else(|| "—".into(), |e| format!("{e:.0} kcal/kg FFM")),
            ),
            (
                "Weight trend",
                wk.weight_trend_kg_per_week.map_or_else(
                    || "—".into(),
                    |t| format!("{:+.2} {} a week", wu.from_kg(t), wu.label()),
                ),
            ),
        ],
        warnings: wk.warnings.iter().map(warn).collect(),
    }
}

/// The page, with `goal` and `log` as typed when a form came back with `problem`.
pub(crate) async fn show(
    app: &Me,
    q: &PageQuery,
    goal: Option<GoalForm>,
    log: LogForm,
    problem: Problem,
) -> Result<Html<String>, Error> {
    let chrome = Chrome::load(app, "Energy", Some("/energy"))
        .await?
        .saved(q.saved.as_deref());
    let profile = app.profile().await.map_err(Error::page)?.profile;
    let wu = weight_unit(q.weight_unit.as_deref(), profile.weight_unit);
    let hu = height_unit(q.height_unit.as_deref(), profile.height_unit);
    let words = goals(wu);
    let planned = app
        .energy_goal(&GoalQuery {
            goal: None,
            on: None,
            weeks: soleus_model::energy::Projection::MIN_WEEKS,
            dry_run: true,
        })
        .await;
    let (view, no_targets) = match planned {
        Ok(v) => (Some(v), None),
        Err(AppError::Invalid { message, .. }) => (None, Some(message)),
        Err(e) => return Err(Error::page(e)),
    };
    let saved_goal = view
        .as_ref()
        .filter(|v| v.goal_source == "saved")
        .map(|v| v.goal.as_str());
    let form =
        goal.unwrap_or_else(|| GoalForm::of(&profile, saved_goal.or(Some("maintain")), wu, hu));
    let history: EnergyHistory = app.energy_history().await.map_err(Error::page)?;
    let (other_units, other_units_words) = match (wu, hu) {
        (WeightUnit::Lb, _) | (_, HeightUnit::Ftin) => (
            "/energy?weight_unit=kg&height_unit=cm".to_owned(),
            "Type in kilograms and centimetres instead",
        ),
        _ => (
            "/energy?weight_unit=lb&height_unit=ftin".to_owned(),
            "Type in pounds and feet and inches instead",
        ),
    };
    let w = |kg: f64| format!("{:.1} {}", wu.from_kg(kg), wu.label());
    render(&EnergyPage {
        chrome,
        problem,
        goals: words.clone(),
        wu: wu.label(),
        weight_label: format!("Weight, {}", wu.label()),
        ftin: hu == HeightUnit::Ftin,
        other_units,
        other_units_words,
        warnings: view
            .as_ref()
            .map(|v| v.warnings.iter().map(warn).collect())
            .unwrap_or_default(),
        targets: view.as_ref().map(|v| targets(v, wu, &words)),
        no_targets,
        week: week(app).await?.map(|v| {
            let mut w = week_of(&v, wu);
            // A warning the goal's section already shows is not repeated under the week.
            if let Some(g) = &view {
                w.warnings
                    .retain(|x| g.warnings.iter().all(|y| y.code != x.code));
            }
            w
        }),
        intake: history
            .intake
            .iter()
            .rev()
            .map(|e| {
                (
                    e.id.to_string(),
                    e.date.to_string(),
                    e.kcal.map_or_else(|| "—".into(), kcal),
                    e.meal.clone().unwrap_or_default(),
                )
            })
            .collect(),
        weights: history
            .weight
            .iter()
            .rev()
            .map(|e| {
                (
                    e.id.to_string(),
                    e.date.to_string(),
                    e.kg.map_or_else(|| "—".into(), w),
                )
            })
            .collect(),
        form,
        log,
    })
}
