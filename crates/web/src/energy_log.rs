//! The energy journal's forms (`/energy/intake`, `/energy/weight`, delete by POST) and their
//! JSON (`/api/v1/energy/intake`, `/api/v1/energy/weight`, `DELETE /api/v1/energy/{log}/{id}`):
//! what was eaten and weighed, as the page shows it under the targets.

use axum::Router;
use axum::extract::Path;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::post;
use serde::Deserialize;
use soleus_app::energy::EnergyLog;
use soleus_app::{AppError, EntryId};

use crate::Shared;
use crate::activity::Field;
use crate::auth::Me;
use crate::energy::fail;
use crate::error::{Error, Shape};
use crate::form::{Form, JsonBody, given, saved};
use crate::page::json;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/energy/intake", post(post_intake))
        .route("/energy/weight", post(post_weight))
        .route("/energy/{log}/{id}/delete", post(post_delete))
        .route("/api/v1/energy/intake", post(api_intake))
        .route("/api/v1/energy/weight", post(api_weight))
        .route(
            "/api/v1/energy/{log}/{id}",
            axum::routing::delete(api_delete),
        )
}

/// An intake or weight entry as posted.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LogForm {
    pub(crate) kcal: Option<Field>,
    pub(crate) meal: Option<String>,
    pub(crate) weight: Option<Field>,
    pub(crate) date: Option<String>,
}

impl LogForm {
    fn date(&self) -> Result<Option<chrono::NaiveDate>, AppError> {
        given(&self.date)
            .map(|d| {
                d.parse().map_err(|_| {
                    AppError::invalid(
                        "date",
                        format!("{d:?} is not a date: write it as YYYY-MM-DD"),
                    )
                })
            })
            .transpose()
    }

    pub(crate) fn text(f: &Option<Field>) -> Option<String> {
        match f {
            Some(Field::Number(n)) => Some(n.to_string()),
            Some(Field::Text(t)) => given(&Some(t.clone())).map(str::to_owned),
            None => None,
        }
    }

    async fn intake(&self, app: &Me) -> Result<soleus_app::energy::IntakeSaved, AppError> {
        let k = Self::text(&self.kcal)
            .ok_or_else(|| AppError::invalid("kcal", "how many kcal? (a number)"))?;
        let kcal: f64 = k
            .parse()
            .map_err(|_| AppError::invalid("kcal", format!("{k:?} is not a number of kcal")))?;
        let date = self.date()?;
        app.log_intake(kcal, given(&self.meal), date).await
    }

    async fn weight(&self, app: &Me) -> Result<soleus_app::energy::WeightSaved, AppError> {
        let w = Self::text(&self.weight).ok_or_else(|| {
            AppError::invalid("weight", "what did you weigh? (such as 150lb or 68kg)")
        })?;
        // The weight form's day field is `wdate` on the page, apart from the intake form's.
        let on_day = |e: AppError| match e {
            AppError::Invalid {
                field: "date",
                message,
            } => AppError::invalid("wdate", message),
            other => other,
        };
        let date = self.date().map_err(on_day)?;
        app.log_weight(&w, date)
            .await
            .map_err(on_day)
            .map_err(|e| match e {
                AppError::Invalid { field: "", message }
                | AppError::Invalid {
                    field: "weight",
                    message,
                } => AppError::invalid("log_weight", message),
                other => other,
            })
    }
}

impl LogForm {
    /// A field's value for the form.
    pub(crate) fn field(&self, name: &str) -> String {
        match name {
            "kcal" => Self::text(&self.kcal).unwrap_or_default(),
            "meal" => self.meal.clone().unwrap_or_default(),
            "weight" => Self::text(&self.weight).unwrap_or_default(),
            "date" => self.date.clone().unwrap_or_default(),
            _ => String::new(),
        }
    }
}

async fn api_intake(
    app: Me,
    JsonBody(form): JsonBody<LogForm>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&form.intake(&app).await.map_err(Error::json)?)
}

async fn api_weight(
    app: Me,
    JsonBody(form): JsonBody<LogForm>,
) -> Result<Json<serde_json::Value>, Error> {
    json(&form.weight(&app).await.map_err(Error::json)?)
}

/// `intake` or `weight` and an entry id from a path; anything else names nothing.
fn entry(log: &str, id: &str, shape: Shape) -> Result<(EnergyLog, EntryId), Error> {
    let log = match log {
        "intake" => EnergyLog::Intake,
        "weight" => EnergyLog::Weight,
        _ => return Err(Error::no_route(shape)),
    };
    Ok((log, id.parse().map_err(|_| Error::no_route(shape))?))
}

async fn api_delete(
    app: Me,
    Path((log, id)): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, Error> {
    let (log, id) = entry(&log, &id, Shape::Json)?;
    app.delete_energy_log(log, id).await.map_err(Error::json)?;
    json(&crate::page::Deleted { deleted: id })
}

async fn post_delete(app: Me, Path((log, id)): Path<(String, String)>) -> Result<Response, Error> {
    let (log, id) = entry(&log, &id, Shape::Page)?;
    app.delete_energy_log(log, id).await.map_err(Error::page)?;
    Ok(saved("/energy", "deleted").into_response())
}

async fn post_intake(app: Me, Form(form): Form<LogForm>) -> Result<Response, Error> {
    match form.intake(&app).await {
        Ok(_) => Ok(saved("/energy", "intake").into_response()),
        Err(e) => fail(&app, e, None, Some(form)).await,
    }
}

async fn post_weight(app: Me, Form(form): Form<LogForm>) -> Result<Response, Error> {
    match form.weight(&app).await {
        Ok(_) => Ok(saved("/energy", "weight").into_response()),
        Err(e) => fail(&app, e, None, Some(form)).await,
    }
}
