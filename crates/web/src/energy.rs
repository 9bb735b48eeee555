//! Energy (`/energy`, `/api/v1/energy/…`): the source page's calorie widget done properly.
//! The nine weekly goals, sex, age, height and weight in the athlete's units (the address may
//! ask for the other units: `?weight_unit=kg&height_unit=cm`); then the targets with their
//! floors, refusals and warnings exactly as [`soleus_app::App::energy_goal`] gives them, the
//! projection chart, the week's balance, and the intake and weight logs. The body figures
//! typed are saved to the profile, which every energy report reads.

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::get;
use serde::Deserialize;
use soleus_app::AppError;
use soleus_app::energy::{GoalQuery, GoalView, WeekView};
use soleus_app::profile::ProfileChange;
use soleus_model::athlete::{HeightUnit, WeightUnit};
use soleus_model::energy::{GoalRate, Projection};

use crate::Shared;
use crate::auth::Me;
use crate::chart::{self, Axis, Line, Lines};
use crate::error::Error;
use crate::form::{Form, JsonBody, Problem, given, saved};
use crate::page::json;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/energy", get(page).post(post_goal))
        .route("/api/v1/energy/goal", get(api_goal).post(api_goal_post))
        .route("/api/v1/energy/week", get(api_week))
        .route("/api/v1/energy/history", get(api_history))
}

/// Weeks the projection covers.
const WEEKS: u32 = Projection::MIN_WEEKS;

/// The goals in kilograms for an athlete who weighs in kg: the widget's nine steps at round
/// kg figures (0.25 kg is about 0.55 lb).
const KG_GOALS: [&str; 9] = [
    "lose-1kg",
    "lose-0.75kg",
    "lose-0.5kg",
    "lose-0.25kg",
    "maintain",
    "gain-0.25kg",
    "gain-0.5kg",
    "gain-0.75kg",
    "gain-1kg",
];

/// The nine goals as (value, words), gains first as on the source page.
pub(crate) fn goals(unit: WeightUnit) -> Vec<(&'static str, String)> {
    let values: [&'static str; 9] = match unit {
        WeightUnit::Lb => GoalRate::WIDGET,
        WeightUnit::Kg => KG_GOALS,
    };
    values
        .iter()
        .rev()
        .map(|v| {
            let words = match v.split_once('-') {
                None => "Maintain weight".to_owned(),
                Some((verb, amount)) => {
                    let (n, unit) = if let Some(n) = amount.strip_suffix("lb") {
                        (n, if n == "1" { "pound" } else { "pounds" })
                    } else {
                        (amount.trim_end_matches("kg"), "kg")
                    };
                    let verb = if verb == "lose" { "Lose" } else { "Gain" };
                    format!("{verb} {n} {unit} per week")
                }
            };
            (*v, words)
        })
        .collect()
}

/// `?weight_unit=&height_unit=` (the form's units for this visit) and `?saved=`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    pub(crate) weight_unit: Option<String>,
    pub(crate) height_unit: Option<String>,
    pub(crate) saved: Option<String>,
}

/// The widget as posted: every field text, as typed.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct GoalForm {
    pub(crate) goal: Option<String>,
    pub(crate) sex: Option<String>,
    pub(crate) birth_year: Option<String>,
    pub(crate) weight: Option<String>,
    /// `lb` or `kg`: the unit `weight` is in.
    pub(crate) weight_unit: Option<String>,
    pub(crate) height_ft: Option<String>,
    pub(crate) height_in: Option<String>,
    pub(crate) height_cm: Option<String>,
    /// Height as one text (`5ft6in`, `168cm`), for programs.
    pub(crate) height: Option<String>,
    /// `ftin` or `cm`: which height fields were used.
    pub(crate) height_unit: Option<String>,
    /// Weeks to project (26–52), for programs.
    pub(crate) weeks: Option<String>,
}

pub(crate) fn weight_unit(s: Option<&str>, or: WeightUnit) -> WeightUnit {
    match s {
        Some("kg") => WeightUnit::Kg,
        Some("lb") => WeightUnit::Lb,
        _ => or,
    }
}

pub(crate) fn height_unit(s: Option<&str>, or: HeightUnit) -> HeightUnit {
    match s {
        Some("cm") => HeightUnit::Cm,
        Some("ftin") => HeightUnit::Ftin,
        _ => or,
    }
}

fn whole(field: &'static str, label: &str, s: &str) -> Result<u32, AppError> {
    s.parse()
        .map_err(|_| AppError::invalid(field, format!("{label} {s:?} is not a whole number")))
}

impl GoalForm {
    /// The profile change the body fields ask for, in the units they were typed in.
    fn change(&self, wu: WeightUnit, hu: HeightUnit) -> Result<ProfileChange, AppError> {
        let weight = given(&self.weight).map(|w| {
            if w.chars().all(|c| c.is_ascii_digit() || c == '.') {
                format!("{w}{}", wu.label())
            } else {
                w.to_owned()
            }
        });
        let height = match (given(&self.height), hu) {
            (Some(h), _) => Some(h.to_owned()),
            (None, HeightUnit::Ftin) => match (given(&self.height_ft), given(&self.height_in)) {
                (None, None) => None,
                (ft, inches) => {
                    let ft = whole("height_ft", "Feet", ft.unwrap_or("0"))?;
                    let inches: f64 = inches.unwrap_or("0").parse().map_err(|_| {
                        AppError::invalid(
                            "height_in",
                            format!("Inches {:?} is not a number", inches.unwrap_or("")),
                        )
                    })?;
                    if !(0.0..12.0).contains(&inches) {
                        return Err(AppError::invalid(
                            "height_in",
                            "Inches are from 0 to 11 (12 inches make a foot)",
                        ));
                    }
                    Some(format!("{ft}ft{inches}in"))
                }
            },
            (None, HeightUnit::Cm) => given(&self.height_cm).map(|c| {
                if c.ends_with("cm") {
                    c.to_owned()
                } else {
                    format!("{c}cm")
                }
            }),
        };
        let birth_year = given(&self.birth_year)
            .map(|y| {
                y.parse::<i32>().map_err(|_| {
                    AppError::invalid("birth_year", format!("Year of birth {y:?} is not a year"))
                })
            })
            .transpose()?;
        Ok(ProfileChange {
            sex: given(&self.sex).map(str::to_owned),
            birth_year,
            weight,
            height,
            ..ProfileChange::default()
        })
    }

    fn weeks(&self) -> Result<u32, AppError> {
        given(&self.weeks).map_or(Ok(WEEKS), |w| whole("weeks", "Weeks", w))
    }

    pub(crate) fn value(&self, name: &str) -> &str {
        let v = match name {
            "goal" => &self.goal,
            "sex" => &self.sex,
            "birth_year" => &self.birth_year,
            "weight" => &self.weight,
            "height_ft" => &self.height_ft,
            "height_in" => &self.height_in,
            "height_cm" => &self.height_cm,
            _ => &None,
        };
        v.as_deref().unwrap_or("")
    }
}

/// Saves the body figures, then plans and saves the goal.
async fn set_goal(app: &Me, form: &GoalForm) -> Result<GoalView, AppError> {
    let p = app.profile().await?.profile;
    let wu = weight_unit(given(&form.weight_unit), p.weight_unit);
    let hu = height_unit(given(&form.height_unit), p.height_unit);
    let mut change = form.change(wu, hu)?;
    // The units the figures were typed in are the person's choice: saved with them, so the
    // page they come back to, the refusals and the warnings stay in those units.
    if given(&form.weight_unit).is_some() {
        change.weight_unit = Some(wu.label().to_owned());
    }
    if given(&form.height_unit).is_some() {
        change.height_unit = Some(
            match hu {
                HeightUnit::Cm => "cm",
                HeightUnit::Ftin => "ftin",
            }
            .to_owned(),
        );
    }
    let weeks = form.weeks()?;
    let goal = given(&form.goal)
        .ok_or_else(|| AppError::invalid("goal", "choose a goal"))?
        .to_owned();
    // The figures are the person's own and stay saved even when the goal they lead to is
    // refused: the refusal is about the goal, and the page says why beside it.
    app.set_profile(&change).await?;
    app.energy_goal(&GoalQuery {
        goal: Some(goal),
        on: None,
        weeks,
        dry_run: false,
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GoalQueryParams {
    goal: Option<String>,
    weeks: Option<String>,
    on: Option<String>,
}

async fn api_goal(
    app: Me,
    Query(q): Query<GoalQueryParams>,
) -> Result<Json<serde_json::Value>, Error> {
    let weeks = given(&q.weeks)
        .map_or(Ok(WEEKS), |w| whole("weeks", "Weeks", w))
        .map_err(Error::json)?;
    let on = given(&q.on)
        .map(|d| {
            d.parse().map_err(|_| {
                AppError::invalid("on", format!("{d:?} is not a date: write it as YYYY-MM-DD"))
            })
        })
        .transpose()
        .map_err(Error::json)?;
    // A GET never saves: the goal given is planned as a dry run.
    let view = app
        .energy_goal(&GoalQuery {
            goal: given(&q.goal).map(str::to_owned),
            on,
            weeks,
            dry_run: true,
        })
        .await
        .map_err(Error::json)?;
    json(&view)
}

async fn api_goal_post(
    app: Me,
    JsonBody(form): JsonBody<GoalForm>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&set_goal(&app, &form).await.map_err(Error::json)?)
}

async fn api_week(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.energy_week(None).await.map_err(Error::json)?)
}

async fn api_history(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.energy_history().await.map_err(Error::json)?)
}

async fn post_goal(app: Me, Form(form): Form<GoalForm>) -> Result<Response, Error> {
    match set_goal(&app, &form).await {
        Ok(_) => Ok(saved("/energy", "goal").into_response()),
        Err(e) => fail(&app, e, Some(form), None).await,
    }
}

/// A form's mistake: the energy page again, 422, with what was typed.
pub(crate) async fn fail(
    app: &Me,
    e: AppError,
    goal: Option<GoalForm>,
    log: Option<crate::energy_log::LogForm>,
) -> Result<Response, Error> {
    let problem = Problem::of(e)?;
    let q = PageQuery {
        weight_unit: goal.as_ref().and_then(|g| g.weight_unit.clone()),
        height_unit: goal.as_ref().and_then(|g| g.height_unit.clone()),
        saved: None,
    };
    let page = crate::energy_page::show(app, &q, goal, log.unwrap_or_default(), problem).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn page(app: Me, Query(q): Query<PageQuery>) -> Result<Html<String>, Error> {
    crate::energy_page::show(
        &app,
        &q,
        None,
        crate::energy_log::LogForm::default(),
        Problem::default(),
    )
    .await
}

impl GoalForm {
    /// The form filled from the stored profile and `goal`, in `wu` and `hu`.
    pub(crate) fn of(
        a: &soleus_model::athlete::Athlete,
        goal: Option<&str>,
        wu: WeightUnit,
        hu: HeightUnit,
    ) -> GoalForm {
        let inches = a.height_cm.map(|cm| (cm / 2.54).round() as i64);
        GoalForm {
            goal: goal.map(str::to_owned),
            sex: a.sex.map(|s| match s {
                soleus_model::energy::Sex::Female => "female".to_owned(),
                soleus_model::energy::Sex::Male => "male".to_owned(),
            }),
            birth_year: a.birth_year.map(|y| y.to_string()),
            weight: a.weight_kg.map(|kg| format!("{:.1}", wu.from_kg(kg))),
            weight_unit: Some(wu.label().to_owned()),
            height_ft: inches.map(|i| (i / 12).to_string()),
            height_in: inches.map(|i| (i % 12).to_string()),
            height_cm: a.height_cm.map(|cm| format!("{cm:.0}")),
            height: None,
            height_unit: Some(
                match hu {
                    HeightUnit::Cm => "cm",
                    HeightUnit::Ftin => "ftin",
                }
                .to_owned(),
            ),
            weeks: None,
        }
    }
}

/// The projection chart: the weight the goal leads to, in the athlete's unit.
pub(crate) fn projection_chart(p: &Projection, unit: WeightUnit) -> Option<String> {
    let u = unit.label();
    let pts =
        |f: &dyn Fn(&soleus_model::energy::ProjectionPoint) -> f64| -> Vec<(f64, Option<f64>)> {
            p.points
                .iter()
                .map(|pt| (f64::from(pt.week), Some(unit.from_kg(f(pt)))))
                .collect()
        };
    let last = p.points.last()?;
    chart::lines(&Lines {
        id: "projection-chart".into(),
        title: format!("Projected weight over {} weeks, in {u}", last.week),
        desc: format!(
            "From {:.1} {u}: {:.1} {u} after {} weeks by the adaptive model, {:.1} {u} by the static rule ({}); the numbers are in the table after the chart.",
            unit.from_kg(p.start_kg),
            unit.from_kg(last.dynamic_kg),
            last.week,
            unit.from_kg(last.static_kg),
            p.static_label
        ),
        x_ticks: p
            .points
            .iter()
            .filter(|pt| pt.week % 4 == 0)
            .map(|pt| (f64::from(pt.week), format!("wk {}", pt.week)))
            .collect(),
        left: Axis::new(u, chart::tenths),
        right: None,
        lines: vec![
            Line {
                label: "Adaptive model".into(),
                class: "s1",
                points: pts(&|pt| pt.dynamic_kg),
                right: false,
                markers: false,
            },
            Line {
                label: "Static 3500 kcal rule".into(),
                class: "s2",
                points: pts(&|pt| pt.static_kg),
                right: false,
                markers: false,
            },
        ],
        shades: vec![],
        columns: vec![],
        columns_label: String::new(),
    })
}

/// The week's view when it can be made; the reason otherwise.
pub(crate) async fn week(app: &Me) -> Result<Result<WeekView, String>, Error> {
    match app.energy_week(None).await {
        Ok(w) => Ok(Ok(w)),
        Err(AppError::Invalid { message, .. }) => Ok(Err(message)),
        Err(e) => Err(Error::page(e)),
    }
}
