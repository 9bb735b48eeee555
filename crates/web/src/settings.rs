//! Settings: the profile, units and time zone (`/settings`, `GET|POST /api/v1/profile`).
//!
//! The form shows every field as stored, in the units the athlete chose; an empty field keeps
//! what is stored. Weight and height are typed as a person writes them (`135lb`, `5ft6in`),
//! and the application layer reads them, so the page and the CLI accept the same words.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::{Html, IntoResponse, Json, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use soleus_app::AppError;
use soleus_app::profile::{ProfileChange, ProfileView};

use crate::Shared;
use crate::auth::Me;
use crate::error::Error;
use crate::form::{Form, JsonBody, Problem, given, saved};
use crate::page::{Chrome, json, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/settings", get(page).post(post))
        .route(
            "/profile",
            get(|| async { Redirect::permanent("/settings") }),
        )
        .route("/api/v1/profile", get(api).post(api_post))
}

async fn api(app: Me) -> Result<Json<serde_json::Value>, Error> {
    json(&app.profile().await.map_err(Error::json)?)
}

/// The settings as posted: every field text, as typed; empty keeps the stored value.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SettingsForm {
    sex: Option<String>,
    birth_year: Option<String>,
    weight: Option<String>,
    height: Option<String>,
    body_fat: Option<String>,
    activity_level: Option<String>,
    hr_rest: Option<String>,
    hr_max: Option<String>,
    hr_threshold: Option<String>,
    time_zone: Option<String>,
    units: Option<String>,
    weight_unit: Option<String>,
    height_unit: Option<String>,
    usual_shoe: Option<String>,
    bone_stress_injuries: Option<String>,
    missed_periods: Option<String>,
}

/// A number typed in `field`, or `None` when it is empty.
fn number<T: std::str::FromStr>(
    field: &'static str,
    label: &str,
    s: &Option<String>,
) -> Result<Option<T>, AppError> {
    given(s)
        .map(|v| {
            v.parse().map_err(|_| {
                AppError::invalid(
                    field,
                    format!("{label} {v:?} is not a number Soleus can use"),
                )
            })
        })
        .transpose()
}

impl SettingsForm {
    fn change(&self) -> Result<ProfileChange, AppError> {
        let text = |s: &Option<String>| given(s).map(str::to_owned);
        Ok(ProfileChange {
            sex: text(&self.sex),
            birth_year: number("birth_year", "Year of birth", &self.birth_year)?,
            weight: text(&self.weight),
            height: text(&self.height),
            body_fat: number("body_fat", "Body fat", &self.body_fat)?,
            activity_level: text(&self.activity_level),
            hr_rest: number("hr_rest", "Resting heart rate", &self.hr_rest)?,
            hr_max: number("hr_max", "Maximum heart rate", &self.hr_max)?,
            hr_threshold: number("hr_threshold", "Threshold heart rate", &self.hr_threshold)?,
            time_zone: text(&self.time_zone),
            units: text(&self.units),
            weight_unit: text(&self.weight_unit),
            height_unit: text(&self.height_unit),
            usual_shoe: text(&self.usual_shoe),
            bone_stress_injuries: number(
                "bone_stress_injuries",
                "Bone-stress injuries",
                &self.bone_stress_injuries,
            )?,
            missed_periods: text(&self.missed_periods),
        })
    }

    /// The form filled in from the stored profile, in the athlete's units.
    fn of(v: &ProfileView) -> SettingsForm {
        let p = &v.profile;
        SettingsForm {
            sex: p.sex.as_ref().map(wire),
            birth_year: p.birth_year.map(|y| y.to_string()),
            // With its unit, so switching the weight unit in the same form converts rather
            // than reading the number in the new unit.
            weight: p
                .weight_kg
                .map(|kg| format!("{:.1}{}", p.weight_unit.from_kg(kg), p.weight_unit.label())),
            height: p.height_cm.map(|cm| match wire(&p.height_unit).as_str() {
                "ftin" => {
                    let inches = (cm / 2.54).round() as i64;
                    format!("{}ft{}in", inches / 12, inches % 12)
                }
                _ => format!("{cm:.0}cm"),
            }),
            body_fat: p.body_fat_pct.map(|f| format!("{f:.1}")),
            activity_level: p.activity_level.clone(),
            hr_rest: p.hr_rest.map(|h| h.to_string()),
            hr_max: p.hr_max.map(|h| h.to_string()),
            hr_threshold: p.hr_threshold.map(|h| h.to_string()),
            time_zone: p.time_zone.clone(),
            units: Some(wire(&p.units)),
            weight_unit: Some(wire(&p.weight_unit)),
            height_unit: Some(wire(&p.height_unit)),
            usual_shoe: p.usual_shoe.clone(),
            bone_stress_injuries: Some(p.bone_stress_injuries.to_string()),
            missed_periods: Some(
                if p.missed_periods_3_months {
                    "yes"
                } else {
                    "no"
                }
                .into(),
            ),
        }
    }

    /// A field's value for the form, or empty.
    fn value(&self, name: &str) -> &str {
        let v = match name {
            "sex" => &self.sex,
            "birth_year" => &self.birth_year,
            "weight" => &self.weight,
            "height" => &self.height,
            "body_fat" => &self.body_fat,
            "activity_level" => &self.activity_level,
            "hr_rest" => &self.hr_rest,
            "hr_max" => &self.hr_max,
            "hr_threshold" => &self.hr_threshold,
            "time_zone" => &self.time_zone,
            "units" => &self.units,
            "weight_unit" => &self.weight_unit,
            "height_unit" => &self.height_unit,
            "usual_shoe" => &self.usual_shoe,
            "bone_stress_injuries" => &self.bone_stress_injuries,
            "missed_periods" => &self.missed_periods,
            _ => &None,
        };
        v.as_deref().unwrap_or("")
    }
}

/// An enum's wire code as stored and as the form posts it (`miles`, `lb`, `ftin`).
fn wire<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// One choice of a select: (value, label).
type Choice = (&'static str, &'static str);

const SEXES: &[Choice] = &[("", "Not given"), ("female", "Female"), ("male", "Male")];
const UNITS: &[Choice] = &[("km", "Kilometres"), ("miles", "Miles")];
const WEIGHT_UNITS: &[Choice] = &[("kg", "Kilograms"), ("lb", "Pounds")];
const HEIGHT_UNITS: &[Choice] = &[("cm", "Centimetres"), ("ftin", "Feet and inches")];
const YES_NO: &[Choice] = &[("no", "No"), ("yes", "Yes")];

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    form: SettingsForm,
    problem: Problem,
    heart_rate: Option<String>,
    sexes: &'static [Choice],
    units: &'static [Choice],
    weight_units: &'static [Choice],
    height_units: &'static [Choice],
    yes_no: &'static [Choice],
    /// The single runner of a database without accounts (who sets the digest's address here).
    local: bool,
    /// Where their digest goes.
    digest_email: String,
    /// Whether it is sent.
    digest_on: bool,
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn heart_rate(v: &ProfileView) -> Option<String> {
    v.heart_rate.as_ref().map(|h| {
        format!(
            "Heart-rate load uses HRmax {} bpm and HRrest {} bpm.",
            h.profile.max, h.profile.rest
        )
    })
}

async fn show(
    app: &Me,
    form: Option<SettingsForm>,
    problem: Problem,
    saved: Option<&str>,
) -> Result<Html<String>, Error> {
    let view = app.profile().await.map_err(Error::page)?;
    let local = app.caller.is_none();
    let (digest_email, digest_on) = if local {
        let key = format!("athlete:{}", app.athlete_id().0);
        (
            app.digest_email()
                .await
                .map_err(Error::page)?
                .unwrap_or_default(),
            app.digest_enabled(&key, soleus_app::digest::delivery::DigestKind::Athlete)
                .await
                .map_err(Error::page)?,
        )
    } else {
        (String::new(), false)
    };
    render(&SettingsPage {
        local,
        digest_email,
        digest_on,
        chrome: Chrome::load(app, "Settings", Some("/settings"))
            .await?
            .saved(saved),
        form: form.unwrap_or_else(|| SettingsForm::of(&view)),
        problem,
        heart_rate: heart_rate(&view),
        sexes: SEXES,
        units: UNITS,
        weight_units: WEIGHT_UNITS,
        height_units: HEIGHT_UNITS,
        yes_no: YES_NO,
    })
}

/// The settings page with a mistake in the mail form.
pub(crate) async fn page_with(app: &Me, problem: Problem) -> Result<Html<String>, Error> {
    show(app, None, problem, None).await
}

async fn page(app: Me, Query(q): Query<SavedQuery>) -> Result<Html<String>, Error> {
    show(&app, None, Problem::default(), q.saved.as_deref()).await
}

async fn post(app: Me, Form(form): Form<SettingsForm>) -> Result<Response, Error> {
    let result = match form.change() {
        Ok(change) => app.set_profile(&change).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(saved("/settings", "profile").into_response()),
        Err(e) => {
            let problem = Problem::of(e)?;
            let page = show(&app, Some(form), problem, None).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn api_post(
    app: Me,
    JsonBody(form): JsonBody<SettingsForm>,
) -> Result<Json<serde_json::Value>, Error> {
    let change = form.change().map_err(Error::json)?;
    let saved = app.set_profile(&change).await.map_err(Error::json)?;
    match saved.view {
        Some(v) => json(&v),
        None => json(&app.profile().await.map_err(Error::json)?),
    }
}
