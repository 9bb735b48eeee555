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
    /// Words: a name, a code (the description says which).
    Text,
}

/// One parameter: its name, where, what it holds, and what it means.
pub type Param = (&'static str, In, Kind, &'static str);

fn param_schema(kind: Kind) -> ObjectBuilder {
    match kind {
        // Empty is allowed and means the default (an empty date field in a form).
        Kind::Date => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .pattern(Some(r"^\s*(\d{4}-\d{2}-\d{2})?\s*$")),
        Kind::Count => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .pattern(Some(r"^\s*[0-9]{0,9}\s*$")),
        Kind::Text => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .max_length(Some(200)),
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

/// The component name of `T`: its schema name, or for an instance of a generic view
/// (`PlanAnswer<TodayView>`) one name per instance (`PlanAnswer_TodayView`), since the schema
/// name alone is the same for every instance.
fn schema_name<T: ToSchema>() -> String {
    let full = std::any::type_name::<T>();
    match full.split_once('<') {
        None => T::name().into_owned(),
        Some((_, args)) => {
            let args: Vec<&str> = args
                .trim_end_matches('>')
                .split(',')
                .map(|a| {
                    a.trim()
                        .rsplit("::")
                        .next()
                        .unwrap_or(a)
                        .trim_end_matches('>')
                })
                .collect();
            format!("{}_{}", T::name(), args.join("_"))
        }
    }
}

fn reference<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) -> Ref {
    let name = schema_name::<T>();
    schemas.push((name.clone(), T::schema()));
    T::schemas(schemas);
    Ref::from_schema_name(name)
}

/// Tuples come out of the derive as JSON Schema 2020-12 says them (`prefixItems: [a, b, c],
/// items: false`), which API tools such as schemathesis still turn into a schema OpenAPI 3.1
/// refuses; so a tuple is written as an array of exactly its length whose items are any of
/// its parts' schemas (looser, and read the same by every tool).
fn tuples_as_fixed_arrays(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::Array(parts)) = m.remove("prefixItems") {
                let n = parts.len();
                let mut distinct: Vec<serde_json::Value> = Vec::new();
                for p in parts {
                    if !distinct.contains(&p) {
                        distinct.push(p);
                    }
                }
                let items = if distinct.len() == 1 {
                    distinct.remove(0)
                } else {
                    serde_json::json!({ "anyOf": distinct })
                };
                m.insert("items".into(), items);
                m.insert("minItems".into(), n.into());
                m.insert("maxItems".into(), n.into());
            }
            m.values_mut().for_each(tuples_as_fixed_arrays);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(tuples_as_fixed_arrays),
        _ => {}
    }
}

fn json_content(r: Ref) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(r)).build()
}

/// Two more places where the derive's schemas need a word: an untagged enum (`PlanAnswer`)
/// is `oneOf` its variants, though a view may fit more than one of them, so it is `anyOf`;
/// and a `()` field, always `null`, comes out with no type at all.
fn untagged_as_any_of(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(variants) = m.remove("oneOf") {
                m.insert("anyOf".into(), variants);
            }
            if m.len() == 1 && m.get("default") == Some(&serde_json::Value::Null) {
                m.insert("type".into(), "null".into());
            }
            m.values_mut().for_each(untagged_as_any_of);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(untagged_as_any_of),
        _ => {}
    }
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
            (
                "401",
                "Nobody is signed in, where this needs an account (a database with accounts, \
                 or a person's own inbox); sign in.",
            ),
            (
                "403",
                "The signed-in person may not do this (a share to view only, another's comment).",
            ),
            ("503", "The database is not answering; try again later."),
            (
                "429",
                "Too many failed sign-ins; `Retry-After` says how many seconds to wait.",
            ),
            (
                "413",
                "The upload is larger than its limit; the message names it.",
            ),
        ]
        .into_iter()
        .filter(|(status, _)| *status != "413" || ok == "202")
        .filter(|(status, _)| *status != "429" || path == "/api/v1/login")
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

    /// A POST with no body answering `T`.
    fn post_empty<T: ToSchema>(mut self, path: &str, summary: &str, params: &[Param]) -> Doc {
        self.operation::<T>(HttpMethod::Post, path, summary, params, None, "200");
        self
    }

    /// A DELETE answering `T`.
    fn delete<T: ToSchema>(mut self, path: &str, summary: &str, params: &[Param]) -> Doc {
        self.operation::<T>(HttpMethod::Delete, path, summary, params, None, "200");
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
    use soleus_app::checkin::{AssessView, CheckinSaved, CheckinsView};
    use soleus_app::dashboard::DashboardView;
    use soleus_app::energy::{EnergyHistory, GoalView, IntakeSaved, WeekView, WeightSaved};
    use soleus_app::load::RpeSaved;
    use soleus_app::plan::{HistoryView, PlanAnswer, PlanView, TodayView};
    use soleus_app::profile::ProfileView;
    use soleus_app::scores::{InstrumentsView, ScoreRow, ScoresView};
    use soleus_app::shoes::{ShoeListed, ShoeRow, ShoeSaved, TransitionView};
    use soleus_model::assess::CheckIn;
    use soleus_model::load::RiskReport;
    use soleus_model::plan::{Clearance, MuscleChecklist, PlanInput};
    use soleus_model::questionnaires::Responses;
    use soleus_model::shoes::DropShare;

    use soleus_app::notifications::{DeliveryView, InboxView};
    use soleus_app::threads::{CommentView, ThreadView};

    use soleus_app::accounts::{CredentialsView, OrgInvitationView, OrgView, PersonView, UserView};
    const MEMBER: Param = ("id", In::Path, Kind::Id, "The member's user id.");

    const WEEKS: Param = ("weeks", In::Query, Kind::Count, "How many weeks.");
    const ATHLETE: Param = ("id", In::Path, Kind::Id, "The athlete's id.");
    const THREAD: &[Param] = &[
        ATHLETE,
        (
            "kind",
            In::Path,
            Kind::Text,
            "activity, checkin, assessment or plan.",
        ),
        (
            "target",
            In::Path,
            Kind::Id,
            "The activity's, check-in's, assessment's or plan's id.",
        ),
    ];
    const COMMENT: &[Param] = &[
        ATHLETE,
        ("comment", In::Path, Kind::Id, "The comment's id."),
    ];
    const SHOE: Param = ("id", In::Path, Kind::Text, "The shoe's id or name.");
    const TOKEN: Param = (
        "token",
        In::Path,
        Kind::Text,
        "The token in the invitation's link.",
    );
    use soleus_app::accounts::{GrantView, InvitationView, RosterView, SharingView};

    Doc {
        paths: Paths::new(),
        schemas: Vec::new(),
    }
    .get::<DashboardView>(
        "/api/v1/dashboard",
        "The dashboard: this week, warnings, ratios, fitness and fatigue, pain, today",
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
        "The activities, sorted and filtered",
        &[
            ("limit", In::Query, Kind::Count, "At most this many."),
            (
                "page",
                In::Query,
                Kind::Count,
                "The page, from 1 (25 a page).",
            ),
            (
                "sort",
                In::Query,
                Kind::Text,
                "date, distance, time or pace.",
            ),
            ("order", In::Query, Kind::Text, "asc or desc."),
            (
                "sport",
                In::Query,
                Kind::Text,
                "Only this sport (run, trail_run, …).",
            ),
            ("from", In::Query, Kind::Date, "From this day."),
            ("to", In::Query, Kind::Date, "Up to this day."),
        ],
    )
    .get::<ActivityView>(
        "/api/v1/activities/{id}",
        "One activity with laps, splits and samples",
        &[ID],
    )
    .post::<crate::activity::RpeForm, RpeSaved>(
        "/api/v1/activities/{id}/rpe",
        "Rate how hard a session felt (CR-10)",
        &[ID],
    )
    .post::<crate::activity::ShoeForm, ActivityView>(
        "/api/v1/activities/{id}/shoe",
        "Set the shoe an activity was run in",
        &[ID],
    )
    .get::<Vec<ShoeListed>>("/api/v1/shoes", "Every shoe with its distance", &[])
    .post::<crate::shoes::ShoeAddForm, ShoeSaved>("/api/v1/shoes", "Add a shoe", &[])
    .post_empty::<ShoeRow>("/api/v1/shoes/{id}/retire", "Retire a shoe", &[SHOE])
    .post_empty::<ShoeRow>(
        "/api/v1/shoes/{id}/default",
        "Count new runs on this shoe",
        &[SHOE],
    )
    .get::<TransitionView>(
        "/api/v1/shoes/transition",
        "The lower-drop transition plan against what was run",
        &[],
    )
    .get::<Vec<DropShare>>(
        "/api/v1/shoes/drops",
        "Each week's share of running by shoe drop",
        &[WEEKS],
    )
    .get::<GoalView>(
        "/api/v1/energy/goal",
        "Plan an energy goal without saving it: targets, floors, warnings, projection",
        &[
            ("goal", In::Query, Kind::Text, "The goal, e.g. lose_0_5_lb."),
            WEEKS,
            ON,
        ],
    )
    .post::<crate::energy::GoalForm, GoalView>(
        "/api/v1/energy/goal",
        "Set the energy goal and the body figures it needs",
        &[],
    )
    .get::<WeekView>("/api/v1/energy/week", "This week's energy balance", &[])
    .get::<EnergyHistory>("/api/v1/energy/history", "The intake and weight logs", &[])
    .post::<crate::energy_log::LogForm, IntakeSaved>("/api/v1/energy/intake", "Log food eaten", &[])
    .post::<crate::energy_log::LogForm, WeightSaved>("/api/v1/energy/weight", "Log a weight", &[])
    .delete::<crate::page::Deleted>(
        "/api/v1/energy/{log}/{id}",
        "Delete an intake or weight entry",
        &[("log", In::Path, Kind::Text, "intake or weight."), ID],
    )
    .get::<CheckinsView>("/api/v1/checkins", "Every check-in with its triage", &[])
    .post::<CheckIn, CheckinSaved>(
        "/api/v1/checkins",
        "Record a check-in; its triage comes first in the answer",
        &[],
    )
    .post::<crate::checkin::PainDoc, CheckinSaved>("/api/v1/pain", "The quick daily pain log", &[])
    .get::<AssessView>(
        "/api/v1/assessment",
        "Assess a check-in without saving: triage first, then what it is consistent with",
        &[(
            "checkin",
            In::Query,
            Kind::Count,
            "The check-in's id (default: the latest).",
        )],
    )
    .post::<crate::checkin::SaveDoc, AssessView>(
        "/api/v1/assessment",
        "Save an assessment; the plan follows it",
        &[],
    )
    .get::<PlanAnswer<PlanView>>(
        "/api/v1/plan",
        "The plan: stages, where you are, treatments; or only the way to a clinician",
        &[],
    )
    .with::<PlanView>()
    .post::<crate::plan::StartDoc, PlanInput>("/api/v1/plan", "Start a plan", &[])
    .get::<PlanAnswer<HistoryView>>(
        "/api/v1/plan/history",
        "The plan's decisions with their rules and references",
        &[],
    )
    .with::<HistoryView>()
    .post::<crate::plan::ClearanceDoc, Clearance>(
        "/api/v1/plan/clearance",
        "Record a clinician's clearance: who, and what they found",
        &[],
    )
    .post::<crate::plan::ChecklistDoc, MuscleChecklist>(
        "/api/v1/plan/checklist",
        "Record the return-to-running checklist",
        &[],
    )
    .get::<InstrumentsView>(
        "/api/v1/instruments",
        "The questionnaires and their items",
        &[],
    )
    .get::<ScoresView>(
        "/api/v1/scores",
        "Every questionnaire result with its trend",
        &[],
    )
    .post::<Responses, ScoreRow>("/api/v1/scores", "Score and save a questionnaire", &[])
    .delete::<crate::page::Deleted>("/api/v1/scores/{id}", "Delete a result", &[ID])
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
    .get::<ThreadView>(
        "/api/v1/athletes/{id}/threads/{kind}/{target}",
        "A thread on an athlete's activity, check-in, assessment or plan",
        THREAD,
    )
    .post::<crate::comments::CommentDoc, CommentView>(
        "/api/v1/athletes/{id}/threads/{kind}/{target}",
        "Comment in a thread, or reply to one of its comments (level comment or above)",
        THREAD,
    )
    .post::<crate::comments::EditDoc, CommentView>(
        "/api/v1/athletes/{id}/comments/{comment}",
        "Edit a comment of yours",
        COMMENT,
    )
    .delete::<crate::comments::CommentDeleted>(
        "/api/v1/athletes/{id}/comments/{comment}",
        "Delete a comment of yours; with replies it stays as deleted",
        COMMENT,
    )
    .post::<crate::accounts_api::SignupDoc, crate::accounts_api::SessionView>(
        "/api/v1/signup",
        "Create an account and sign in: the session cookie is set",
        &[],
    )
    .post::<crate::accounts_api::LoginDoc, crate::accounts_api::SessionView>(
        "/api/v1/login",
        "Sign in: the session cookie is set",
        &[],
    )
    .post_empty::<crate::accounts_api::SignedOut>(
        "/api/v1/logout",
        "Sign out: this session ends and its cookie is cleared",
        &[],
    )
    .get::<crate::accounts_api::AccountView>("/api/v1/account", "Who is signed in", &[])
    .post::<crate::accounts_api::PasswordDoc, crate::accounts_api::AccountView>(
        "/api/v1/account/password",
        "Change the password; every other session ends",
        &[],
    )
    .post_empty::<crate::accounts_api::SignedOut>(
        "/api/v1/account/sign-out-everywhere",
        "End every session of the signed-in person, this one too",
        &[],
    )
    .get::<SharingView>(
        "/api/v1/sharing",
        "Who can see my data: grants in force and open invitations",
        &[],
    )
    .post::<crate::accounts_api::InviteDoc, InvitationView>(
        "/api/v1/sharing/invitations",
        "Invite a coach or clinician; the answer carries the link, once",
        &[],
    )
    .delete::<crate::accounts_api::Ended>(
        "/api/v1/sharing/grants/{id}",
        "Revoke a grant of mine",
        &[ID],
    )
    .delete::<crate::accounts_api::Ended>(
        "/api/v1/sharing/invitations/{id}",
        "Withdraw an open invitation of mine",
        &[ID],
    )
    .get::<InvitationView>(
        "/api/v1/invitations/{token}",
        "The invitation a link's token names",
        &[TOKEN],
    )
    .post_empty::<GrantView>(
        "/api/v1/invitations/{token}/accept",
        "Accept an invitation to one's own address",
        &[TOKEN],
    )
    .get::<RosterView>(
        "/api/v1/roster",
        "The athletes shared with me",
        &[
            (
                "sort",
                In::Query,
                Kind::Text,
                "attention, name, week, change, checkin, pain, adherence or upload.",
            ),
            (
                "order",
                In::Query,
                Kind::Text,
                "asc or desc (default: what needs acting on first).",
            ),
        ],
    )
    .get::<crate::sharing::SharedAthleteView>(
        "/api/v1/athletes/{id}",
        "A shared athlete as my grant lets me see them",
        &[ATHLETE],
    )
    .post::<crate::sharing::SharedClearance, Clearance>(
        "/api/v1/athletes/{id}/clearance",
        "As their clinician, clear a shared athlete to go on",
        &[ATHLETE],
    )
    .post_empty::<AssessView>(
        "/api/v1/athletes/{id}/assessment",
        "As their clinician, record the assessment of a shared athlete's latest check-in",
        &[ATHLETE],
    )
    .get::<InboxView>(
        "/api/v1/notifications",
        "Your notifications, latest first, with the unread count",
        &[],
    )
    .post_empty::<InboxView>(
        "/api/v1/notifications/{id}/read",
        "Mark one notification read",
        &[ID],
    )
    .post_empty::<InboxView>(
        "/api/v1/notifications/read",
        "Mark every notification read",
        &[],
    )
    .get::<Vec<DeliveryView>>(
        "/api/v1/notifications/settings",
        "How you hear of each kind of notification",
        &[],
    )
    .post::<crate::notifications::DeliveryDoc, Vec<DeliveryView>>(
        "/api/v1/notifications/settings",
        "Choose how one kind of notification arrives: in_app, email (in the app and by mail) or off",
        &[],
    )
    .get::<OrgView>(
        "/api/v1/org",
        "Your organisation, as its admin sees it: members and open invitations",
        &[],
    )
    .post::<crate::people::InviteDoc, OrgInvitationView>(
        "/api/v1/org/invitations",
        "Invite a member (admins only); the answer carries the link's path, once",
        &[],
    )
    .post_empty::<crate::people::Withdrawn>(
        "/api/v1/org/invitations/{id}/withdraw",
        "Withdraw an open invitation of your organisation",
        &[ID],
    )
    .post_empty::<UserView>(
        "/api/v1/org/members/{id}/disable",
        "Disable a member of your organisation: they can no longer sign in",
        &[MEMBER],
    )
    .post_empty::<UserView>(
        "/api/v1/org/members/{id}/enable",
        "Enable a disabled member of your organisation again",
        &[MEMBER],
    )
    .post_empty::<CredentialsView>(
        "/api/v1/org/members/{id}/verify",
        "Verify a member's professional profile as it reads now",
        &[MEMBER],
    )
    .get::<PersonView>(
        "/api/v1/people/{id}",
        "A person you work with: name, role, organisation and verified credentials",
        &[("id", In::Path, Kind::Id, "The person's user id.")],
    )
    .post::<crate::people::ProfileDoc, CredentialsView>(
        "/api/v1/account/profile",
        "Write your professional profile (coaches and clinicians); clears its verification",
        &[],
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
    let written = serde_json::to_value(&doc).and_then(|mut v| {
        tuples_as_fixed_arrays(&mut v);
        untagged_as_any_of(&mut v);
        serde_json::to_string_pretty(&v)
    });
    written.unwrap_or_else(|e| format!("{{\"error\": \"the document could not be written: {e}\"}}"))
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
