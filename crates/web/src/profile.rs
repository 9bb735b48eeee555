//! The profile (`/profile`, `/api/v1/profile`), read-only here: changing it comes with the
//! settings forms.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, Json};
use axum::routing::get;
use soleus_app::profile::ProfileView;
use soleus_app::to_json;

use crate::Shared;
use crate::dashboard::internal;
use crate::error::Error;
use crate::page::{Chrome, or_dash, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/profile", get(page))
        .route("/api/v1/profile", get(api))
}

async fn api(State(app): State<Shared>) -> Result<Json<serde_json::Value>, Error> {
    let view = app.profile().await.map_err(Error::json)?;
    Ok(Json(to_json(&view).map_err(|e| Error::json(internal(e)))?))
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    chrome: Chrome,
    rows: Vec<(&'static str, String)>,
}

/// A wire code (`female`, `ftin`) of a serialisable value, as stored.
fn code<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => "—".into(),
    }
}

fn rows(v: &ProfileView) -> Vec<(&'static str, String)> {
    let p = &v.profile;
    let bpm = |h: u8| format!("{h} bpm");
    vec![
        ("Sex", or_dash(p.sex.as_ref(), code)),
        ("Year of birth", or_dash(p.birth_year, |y| y.to_string())),
        (
            "Weight",
            or_dash(p.weight_kg, |kg| {
                format!("{:.1} {}", p.weight_unit.from_kg(kg), p.weight_unit.label())
            }),
        ),
        (
            "Height",
            or_dash(p.height_cm, |cm| match code(&p.height_unit).as_str() {
                "ftin" => {
                    let inches = (cm / 2.54).round() as i64;
                    format!("{} ft {} in", inches / 12, inches % 12)
                }
                _ => format!("{cm:.0} cm"),
            }),
        ),
        ("Body fat", or_dash(p.body_fat_pct, |f| format!("{f:.1} %"))),
        ("Daily activity", or_dash(p.activity_level.clone(), |s| s)),
        ("Resting heart rate", or_dash(p.hr_rest, bpm)),
        ("Maximum heart rate", or_dash(p.hr_max, bpm)),
        ("Threshold heart rate", or_dash(p.hr_threshold, bpm)),
        ("Time zone", or_dash(p.time_zone.clone(), |s| s)),
        ("Distance unit", p.units.label().to_owned()),
        ("Usual shoe", or_dash(p.usual_shoe.clone(), |s| s)),
        ("Bone-stress injuries", p.bone_stress_injuries.to_string()),
    ]
}

async fn page(State(app): State<Shared>) -> Result<Html<String>, Error> {
    let view = app.profile().await.map_err(Error::page)?;
    render(&ProfilePage {
        chrome: Chrome::new("Profile", Some("/profile")),
        rows: rows(&view),
    })
}
