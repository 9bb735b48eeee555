//! Threads on the web: a thread's page (`/athletes/{id}/threads/{kind}/{target}`) with its
//! forms to comment, reply, edit and delete, the same thread as a section of the athlete's own
//! pages, and the thread under `/api/v1`.
//!
//! Forms work without JavaScript: each posts and is answered with a redirect back to where
//! the thread is shown (post, redirect, get); a mistake shows the thread's page again, 422.
//! A thread the person cannot see answers 404 exactly as one that does not exist.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Json, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use soleus_app::accounts::Caller;
use soleus_app::notifications::thread_link;
use soleus_app::threads::{CommentView, TargetKind, ThreadView, Viewer};
use soleus_app::{AppError, AthleteId};

use crate::Shared;
use crate::error::{Error, Shape};
use crate::form::{Form, JsonBody, Problem};
use crate::page::{Chrome, json, render};

pub fn router() -> Router<Shared> {
    Router::new()
        .route(
            "/athletes/{id}/threads/{kind}/{target}",
            get(thread_page).post(post_comment),
        )
        .route(
            "/athletes/{id}/comments/{comment}/edit",
            get(edit_page).post(post_edit),
        )
        .route(
            "/athletes/{id}/comments/{comment}/delete",
            post(post_delete),
        )
        .route(
            "/api/v1/athletes/{id}/threads/{kind}/{target}",
            get(api_thread).post(api_comment),
        )
        .route(
            "/api/v1/athletes/{id}/comments/{comment}",
            post(api_edit).delete(api_delete),
        )
}

/// Who asks about a thread: a signed-in person (a coach has no athlete of their own), or the
/// runner of a database without accounts.
#[derive(Debug)]
pub struct Who {
    /// The server's shared state.
    pub web: Shared,
    /// The signed-in person; `None` for the runner of a database without accounts.
    pub caller: Option<Caller>,
}

impl Who {
    /// The viewer the use cases take.
    pub fn viewer(&self) -> Viewer<'_> {
        self.caller.as_ref().map_or(Viewer::Local, Viewer::Person)
    }

    /// Whether `athlete` is the viewer's own.
    fn own(&self, athlete: AthleteId) -> bool {
        match &self.caller {
            Some(c) => c.user.athlete == Some(athlete),
            None => self.web.athlete_id() == athlete,
        }
    }
}

impl FromRequestParts<Shared> for Who {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, web: &Shared) -> Result<Who, Response> {
        let shape = crate::auth::shape_of(parts);
        let failed = |e: AppError| Error::of(shape, e).into_response();
        if let Some(caller) = crate::auth::caller_of(parts, web).await.map_err(failed)? {
            return Ok(Who {
                web: web.clone(),
                caller: Some(caller),
            });
        }
        if crate::auth::accounts_required(web).await.map_err(failed)? {
            return Err(crate::auth::sign_in_first(parts, shape));
        }
        Ok(Who {
            web: web.clone(),
            caller: None,
        })
    }
}

/// A thread's address, read: the athlete, what it is on and its id; anything else is no page.
fn target(
    raw: &(String, String, String),
    shape: Shape,
) -> Result<(AthleteId, TargetKind, i64), Error> {
    let no = || Error::no_route(shape);
    let athlete: AthleteId = raw.0.parse().map_err(|_| no())?;
    let kind = TargetKind::parse(&raw.1).ok_or_else(no)?;
    let id: i64 = raw.2.parse().ok().filter(|i| *i > 0).ok_or_else(no)?;
    Ok((athlete, kind, id))
}

fn comment_path(raw: &(String, String), shape: Shape) -> Result<(AthleteId, i64), Error> {
    let no = || Error::no_route(shape);
    let athlete: AthleteId = raw.0.parse().map_err(|_| no())?;
    let id: i64 = raw.1.parse().ok().filter(|i| *i > 0).ok_or_else(no)?;
    Ok((athlete, id))
}

/// One comment as a page shows it.
#[derive(Debug)]
pub struct Shown {
    /// The comment.
    pub c: CommentView,
    /// Its text as safe HTML (Markdown-lite); empty once deleted.
    pub html: String,
    /// Indentation, in steps.
    pub indent: u32,
}

/// A thread as a section of a page: the comments and the forms.
#[derive(Debug)]
pub struct ThreadBlock {
    /// The thread.
    pub view: ThreadView,
    /// The comments, in reading order.
    pub shown: Vec<Shown>,
    /// Where the forms post.
    pub action: String,
    /// Where a comment's edit and delete forms live, without the id.
    pub comments_base: String,
    /// A mistake in the last form.
    pub problem: Problem,
    /// What was typed, when shown again.
    pub draft: String,
}

impl ThreadBlock {
    /// The section for a thread.
    pub fn of(view: ThreadView, problem: Problem, draft: String) -> ThreadBlock {
        let shown = view
            .comments
            .iter()
            .map(|c| Shown {
                html: c
                    .body
                    .as_deref()
                    .map(crate::markdown::render)
                    .unwrap_or_default(),
                indent: c.depth,
                c: c.clone(),
            })
            .collect();
        ThreadBlock {
            action: format!(
                "/athletes/{}/threads/{}/{}",
                view.athlete, view.on, view.target_id
            ),
            comments_base: format!("/athletes/{}/comments", view.athlete),
            view,
            shown,
            problem,
            draft,
        }
    }
}

/// The thread on `kind` `target` of `athlete` for `who`'s own page: `None` when they cannot
/// see it (a page that shows it anyway, a check-in to a coach, leaves it out).
pub async fn section(
    app: &soleus_app::App,
    caller: Option<&Caller>,
    athlete: AthleteId,
    kind: TargetKind,
    target: i64,
) -> Result<Option<ThreadBlock>, Error> {
    let viewer = caller.map_or(Viewer::Local, Viewer::Person);
    match app.thread(viewer, athlete, kind, target).await {
        Ok(v) => Ok(Some(ThreadBlock::of(v, Problem::default(), String::new()))),
        Err(AppError::NotFound { .. }) => Ok(None),
        Err(e) => Err(Error::page(e)),
    }
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    chrome: Chrome,
    heading: String,
    back: Option<(String, String)>,
    thread: Option<ThreadBlock>,
}

/// Words for what a thread is on.
pub fn thing(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Activity => "activity",
        TargetKind::Checkin => "check-in",
        TargetKind::Assessment => "assessment",
        TargetKind::Plan => "plan",
    }
}

async fn page_of(
    who: &Who,
    athlete: AthleteId,
    view: ThreadView,
    problem: Problem,
    draft: String,
) -> Result<Html<String>, Error> {
    let own = who.own(athlete);
    // The thread was shown to them, so they may know whose it is.
    let whose = if own {
        "your".to_owned()
    } else {
        let name = who
            .web
            .name_of_athlete(athlete)
            .await
            .map_err(Error::page)?;
        format!("{}'s", name.unwrap_or_else(|| "the athlete".into()))
    };
    let heading = format!("Comments on {whose} {} {}", thing(view.on), view.target_id);
    let back = if own {
        let link = thread_link(true, athlete, view.on, view.target_id);
        Some((
            link.split('#').next().unwrap_or("/").to_owned(),
            format!("Back to the {}", thing(view.on)),
        ))
    } else {
        Some((format!("/athletes/{athlete}"), "Back to the athlete".into()))
    };
    render(&ThreadPage {
        chrome: Chrome::new(heading.clone(), None).signed_in(who.caller.as_ref()),
        heading,
        back,
        thread: Some(ThreadBlock::of(view, problem, draft)),
    })
}

async fn thread_page(
    who: Who,
    Path(raw): Path<(String, String, String)>,
) -> Result<Html<String>, Error> {
    let (athlete, kind, id) = target(&raw, Shape::Page)?;
    let view = who
        .web
        .thread(who.viewer(), athlete, kind, id)
        .await
        .map_err(Error::page)?;
    page_of(&who, athlete, view, Problem::default(), String::new()).await
}

/// A comment or a reply, from a form or a document.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommentForm {
    /// The text (Markdown-lite). Required.
    body: String,
    /// The comment replied to (empty: none).
    #[schema(value_type = Option<String>)]
    parent: Option<String>,
}

impl CommentForm {
    fn parent(&self) -> Result<Option<i64>, AppError> {
        match crate::form::given(&self.parent) {
            None => Ok(None),
            Some(p) => p
                .parse::<i64>()
                .map(Some)
                .map_err(|_| AppError::invalid("parent", "the comment replied to is not an id")),
        }
    }
}

/// A JSON comment: `parent` may be a number.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommentDoc {
    /// The text (Markdown-lite). Required.
    body: String,
    /// The comment replied to.
    parent: Option<i64>,
}

/// An edited text.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EditDoc {
    /// The new text (Markdown-lite). Required.
    body: String,
}

/// Where the thread is shown to `who`, with `?saved=key`.
fn back_to(who: &Who, athlete: AthleteId, kind: TargetKind, target: i64, key: &str) -> Redirect {
    let link = thread_link(who.own(athlete), athlete, kind, target);
    let (path, frag) = link.split_once('#').unwrap_or((link.as_str(), ""));
    let sep = if path.contains('?') { '&' } else { '?' };
    let frag = if frag.is_empty() {
        String::new()
    } else {
        format!("#{frag}")
    };
    Redirect::to(&format!("{path}{sep}saved={key}{frag}"))
}

async fn post_comment(
    who: Who,
    Path(raw): Path<(String, String, String)>,
    Form(f): Form<CommentForm>,
) -> Result<Response, Error> {
    let (athlete, kind, id) = target(&raw, Shape::Page)?;
    let made = match f.parent() {
        Ok(parent) => {
            who.web
                .add_comment(who.viewer(), athlete, kind, id, parent, &f.body)
                .await
        }
        Err(e) => Err(e),
    };
    match made {
        Ok(_) => Ok(back_to(&who, athlete, kind, id, "comment").into_response()),
        Err(e @ AppError::Invalid { .. }) => {
            let view = who
                .web
                .thread(who.viewer(), athlete, kind, id)
                .await
                .map_err(Error::page)?;
            let page = page_of(&who, athlete, view, Problem::of(e)?, f.body).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(Error::page(e)),
    }
}

#[derive(Template)]
#[template(path = "comment_edit.html")]
struct EditPage {
    chrome: Chrome,
    action: String,
    back: String,
    body: String,
    problem: Problem,
}

async fn edit_form(
    who: &Who,
    athlete: AthleteId,
    id: i64,
    body: Option<String>,
    problem: Problem,
) -> Result<Html<String>, Error> {
    let (kind, target) = who
        .web
        .comment_thread(who.viewer(), athlete, id)
        .await
        .map_err(Error::page)?;
    let view = who
        .web
        .thread(who.viewer(), athlete, kind, target)
        .await
        .map_err(Error::page)?;
    let mine = view
        .comments
        .into_iter()
        .find(|c| c.id == id && c.mine)
        .ok_or_else(|| {
            Error::page(AppError::Forbidden(
                "only its author can change a comment".into(),
            ))
        })?;
    render(&EditPage {
        chrome: Chrome::new("Edit your comment", None).signed_in(who.caller.as_ref()),
        action: format!("/athletes/{athlete}/comments/{id}/edit"),
        back: thread_link(who.own(athlete), athlete, kind, target),
        body: body.unwrap_or_else(|| mine.body.unwrap_or_default()),
        problem,
    })
}

async fn edit_page(who: Who, Path(raw): Path<(String, String)>) -> Result<Html<String>, Error> {
    let (athlete, id) = comment_path(&raw, Shape::Page)?;
    edit_form(&who, athlete, id, None, Problem::default()).await
}

async fn post_edit(
    who: Who,
    Path(raw): Path<(String, String)>,
    Form(f): Form<EditDoc>,
) -> Result<Response, Error> {
    let (athlete, id) = comment_path(&raw, Shape::Page)?;
    match who
        .web
        .edit_comment(who.viewer(), athlete, id, &f.body)
        .await
    {
        Ok(_) => {
            let (kind, target) = who
                .web
                .comment_thread(who.viewer(), athlete, id)
                .await
                .map_err(Error::page)?;
            Ok(back_to(&who, athlete, kind, target, "comment-edited").into_response())
        }
        Err(e @ AppError::Invalid { .. }) => {
            let page = edit_form(&who, athlete, id, Some(f.body), Problem::of(e)?).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(Error::page(e)),
    }
}

async fn post_delete(who: Who, Path(raw): Path<(String, String)>) -> Result<Response, Error> {
    let (athlete, id) = comment_path(&raw, Shape::Page)?;
    let (kind, target) = who
        .web
        .delete_comment(who.viewer(), athlete, id)
        .await
        .map_err(Error::page)?;
    Ok(back_to(&who, athlete, kind, target, "comment-deleted").into_response())
}

async fn api_thread(
    who: Who,
    Path(raw): Path<(String, String, String)>,
) -> Result<Json<serde_json::Value>, Error> {
    let (athlete, kind, id) = target(&raw, Shape::Json)?;
    json(
        &who.web
            .thread(who.viewer(), athlete, kind, id)
            .await
            .map_err(Error::json)?,
    )
}

async fn api_comment(
    who: Who,
    Path(raw): Path<(String, String, String)>,
    JsonBody(d): JsonBody<CommentDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    let (athlete, kind, id) = target(&raw, Shape::Json)?;
    json(
        &who.web
            .add_comment(who.viewer(), athlete, kind, id, d.parent, &d.body)
            .await
            .map_err(Error::json)?,
    )
}

async fn api_edit(
    who: Who,
    Path(raw): Path<(String, String)>,
    JsonBody(d): JsonBody<EditDoc>,
) -> Result<Json<serde_json::Value>, Error> {
    let (athlete, id) = comment_path(&raw, Shape::Json)?;
    json(
        &who.web
            .edit_comment(who.viewer(), athlete, id, &d.body)
            .await
            .map_err(Error::json)?,
    )
}

/// What deleting a comment answers.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
pub struct CommentDeleted {
    /// The id of the comment whose text is gone.
    pub deleted: i64,
}

async fn api_delete(
    who: Who,
    Path(raw): Path<(String, String)>,
) -> Result<Json<serde_json::Value>, Error> {
    let (athlete, id) = comment_path(&raw, Shape::Json)?;
    who.web
        .delete_comment(who.viewer(), athlete, id)
        .await
        .map_err(Error::json)?;
    json(&CommentDeleted { deleted: id })
}
