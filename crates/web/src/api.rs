//! The JSON API's OpenAPI 3.1 document (`/api/openapi.json`): every route under `/api/v1`
//! with its parameters, its body and the schema of every answer.
//!
//! The schemas are derived from the very types the handlers serialise (the application
//! layer's views, with `soleus-app`'s `openapi` feature), so the document cannot drift from the
//! answers; `tests/openapi.rs` checks that every `/api/v1` route is here and that real answers
//! match their schemas, and CI fuzzes the document with schemathesis.

use std::sync::LazyLock;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use utoipa::ToSchema;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Paths, Ref, RefOr,
    Required, ResponseBuilder, Schema,
};

use crate::Shared;

/// Where a parameter is.
#[derive(Debug, Clone, Copy)]
pub enum In {
    /// In the path: `{id}`.
    Path,
    /// In the query string, optional.
    Query,
}

/// What a parameter holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A day, `YYYY-MM-DD`.
    Date,
    /// A whole number from 0 (empty: the default).
    Count,
    /// An id, a whole number from 1.
    Id,
}

/// One parameter: its name, where, what it holds, and what it means.
pub type Param = (&'static str, In, Kind, &'static str);

fn param_schema(kind: Kind) -> ObjectBuilder {
    match kind {
        // Empty is allowed and means the default (an empty date field in a form).
        Kind::Date => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .pattern(Some(r"^(\d{4}-\d{2}-\d{2})?$")),
        Kind::Count => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .pattern(Some("^[0-9]{0,9}$")),
        Kind::Id => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Integer))
            .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
                utoipa::openapi::schema::KnownFormat::Int64,
            )))
            .minimum(Some(1)),
    }
}

/// The document under construction.
struct Doc {
    paths: Paths,
    schemas: Vec<(String, RefOr<Schema>)>,
}

fn reference<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) -> Ref {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
    Ref::from_schema_name(T::name())
}

fn json_content(r: Ref) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(r)).build()
}

impl Doc {
    fn operation<T: ToSchema>(
        &mut self,
        method: HttpMethod,
        path: &str,
        summary: &str,
        params: &[Param],
        body: Option<utoipa::openapi::request_body::RequestBody>,
        ok: &str,
    ) {
        let answer = reference::<T>(&mut self.schemas);
        let error = reference::<crate::error::JsonBody>(&mut self.schemas);
        let mut op = OperationBuilder::new()
            .summary(Some(summary))
            .operation_id(Some(operation_id(method.clone(), path)))
            .response(
                ok,
                ResponseBuilder::new()
                    .description("The view, as `soleus … --json` prints it.")
                    .content("application/json", json_content(answer)),
            );
        for (status, why) in [
            (
                "404",
                "Nothing at this address (an unknown id is not found, never forbidden).",
            ),
            (
                "422",
                "Input that cannot be used; `error.field` names the field.",
            ),
            (
                "409",
                "The request contradicts what is stored, or a clinician must come first.",
            ),
            ("503", "The database is not answering; try again later."),
            (
                "413",
                "The upload is larger than its limit; the message names it.",
            ),
        ]
        .into_iter()
        .filter(|(status, _)| *status != "413" || ok == "202")
        {
            op = op.response(
                status,
                ResponseBuilder::new()
                    .description(why)
                    .content("application/json", json_content(error.clone())),
            );
        }
        for (name, place, kind, description) in params {
            let (place, required) = match place {
                In::Path => (ParameterIn::Path, Required::True),
                In::Query => (ParameterIn::Query, Required::False),
            };
            op = op.parameter(
                ParameterBuilder::new()
                    .name(*name)
                    .parameter_in(place)
                    .required(required)
                    .description(Some(*description))
                    .schema(Some(param_schema(*kind))),
            );
        }
        if let Some(b) = body {
            op = op.request_body(Some(b));
        }
        self.paths
            .add_path_operation(path, vec![method], op.build());
    }

    /// A GET answering `T`.
    fn get<T: ToSchema>(mut self, path: &str, summary: &str, params: &[Param]) -> Doc {
        self.operation::<T>(HttpMethod::Get, path, summary, params, None, "200");
        self
    }

    /// A POST of `B` (a JSON document) answering `T`.
    fn post<B: ToSchema, T: ToSchema>(
        mut self,
        path: &str,
        summary: &str,
        params: &[Param],
    ) -> Doc {
        let body = RequestBodyBuilder::new()
            .required(Some(Required::True))
            .content(
                "application/json",
                json_content(reference::<B>(&mut self.schemas)),
            )
            .build();
        self.operation::<T>(HttpMethod::Post, path, summary, params, Some(body), "200");
        self
    }

    /// Also the schema of `T`: a generic view's argument (`PlanAnswer<TodayView>`) is not
    /// collected with it.
    fn with<T: ToSchema>(mut self) -> Doc {
        reference::<T>(&mut self.schemas);
        self
    }

    /// An upload of files answering `T` with 202 (a job).
    fn upload<T: ToSchema>(mut self, path: &str, summary: &str) -> Doc {
        let files = ObjectBuilder::new()
            .property(
                "files",
                utoipa::openapi::schema::ArrayBuilder::new()
                    .items(
                        ObjectBuilder::new()
                            .schema_type(SchemaType::Type(Type::String))
                            .content_media_type("application/octet-stream"),
                    )
                    .min_items(Some(1)),
            )
            .required("files");
        let body = RequestBodyBuilder::new()
            .required(Some(Required::True))
            .content(
                "multipart/form-data",
                ContentBuilder::new().schema(Some(files)).build(),
            )
            .build();
        self.operation::<T>(HttpMethod::Post, path, summary, &[], Some(body), "202");
        self
    }
}

/// `get_api_v1_activities_id`.
fn operation_id(method: HttpMethod, path: &str) -> String {
    let verb = match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Delete => "delete",
        HttpMethod::Put => "put",
        _ => "other",
    };
    let rest: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{verb}{}", rest.trim_end_matches('_')).replace("__", "_")
}

const ON: Param = (
    "on",
    In::Query,
    Kind::Date,
    "The day to look at, YYYY-MM-DD (default: today in the athlete's time zone).",
);
const ID: Param = ("id", In::Path, Kind::Id, "The id, a whole number.");

/// Every documented route. A route added under `/api/v1` without an entry here fails
/// `tests/openapi.rs`.
fn paths() -> Doc {
    use soleus_app::activities::{ActivitiesView, ActivityView};
    use soleus_app::dashboard::DashboardView;
    use soleus_app::plan::{PlanAnswer, TodayView};
    use soleus_app::profile::ProfileView;
    use soleus_model::load::RiskReport;

    Doc {
        paths: Paths::new(),
        schemas: Vec::new(),
    }
    .get::<DashboardView>(
        "/api/v1/dashboard",
        "The dashboard: this week, warnings, ratios, the plan's today",
        &[ON],
    )
    .get::<RiskReport>(
        "/api/v1/risk",
        "Every overload check with its numbers, evidence and advice",
        &[ON],
    )
    .get::<PlanAnswer<TodayView>>(
        "/api/v1/today",
        "Today's plan work, or only the way to a clinician",
        &[ON],
    )
    .with::<TodayView>()
    .get::<ActivitiesView>(
        "/api/v1/activities",
        "The activities, newest first",
        &[("limit", In::Query, Kind::Count, "At most this many.")],
    )
    .get::<ActivityView>(
        "/api/v1/activities/{id}",
        "One activity with laps, splits and samples",
        &[ID],
    )
    .get::<ProfileView>(
        "/api/v1/profile",
        "The profile and its heart-rate anchors",
        &[],
    )
    .post::<crate::settings::SettingsForm, ProfileView>(
        "/api/v1/profile",
        "Change the profile; empty fields keep what is stored",
        &[],
    )
    .upload::<crate::import::JobView>(
        "/api/v1/import",
        "Upload files, zips or a Strava or Garmin export to import in the background",
    )
    .get::<crate::import::JobView>(
        "/api/v1/import/jobs/{id}",
        "An upload's import: progress, then every file's outcome",
        &[ID],
    )
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    let Doc { paths, schemas } = paths();
    let doc: OpenApi = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Soleus")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "The documents of Soleus's web app: the same views `soleus … --json` \
                     prints. Soleus never diagnoses; a red flag in force leaves every plan and \
                     exercise answer only the way to a clinician.",
                ))
                .build(),
        )
        .paths(paths)
        .components(Some(
            ComponentsBuilder::new().schemas_from_iter(schemas).build(),
        ))
        .build();
    doc.to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"the document could not be written: {e}\"}}"))
});

/// The document, as served.
pub fn document() -> &'static str {
    &DOCUMENT
}

pub fn router() -> Router<Shared> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async {
            ([(header::CONTENT_TYPE, "application/json")], document()).into_response()
        }),
    )
}
