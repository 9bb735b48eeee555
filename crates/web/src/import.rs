//! Importing from the browser (`/import`, `POST /api/v1/import`): one or many files, a zip, a
//! Strava or Garmin export, uploaded and imported in the background while the page follows.
//!
//! An upload is streamed into the database as a job's files, in chunks, and counted as it
//! arrives: past [`UPLOAD_LIMIT`] it stops with a 413 that names the limit (and what arrived
//! is removed). Then the job is queued, and a worker — the one inside `soleus serve`, or a
//! `soleus worker` — imports it with the same pipeline, limits and outcomes as `soleus
//! import` ([`soleus_app::jobs`]): closing the browser does not stop it, any serving process
//! shows its page, and the page shows every file's outcome when it is done.

use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path as UrlPath};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use serde::Serialize;
use soleus_app::import::{FileReport, ImportReport, Outcome, limits};
use soleus_app::jobs::{
    ImportPayload, JobKind, JobRow, JobState, Upload, stored_by_earlier_attempt,
};
use soleus_app::{AppError, text};
use tower_http::timeout::TimeoutLayer;

use crate::Shared;
use crate::auth::Me;
use crate::error::{Error, Shape};
use crate::page::{Chrome, json, render};

/// The most one upload may carry, all files together. A bigger export is imported with
/// `soleus import` on the computer that holds it.
pub const UPLOAD_LIMIT: u64 = 2 * 1024 * 1024 * 1024;

/// The most files one upload may carry (a zip counts as one; its entries have the import's
/// own limits).
pub const MAX_FILES: usize = 10_000;

/// How long an upload may take to arrive: a large export over a slow link.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// The jobs the import page lists.
const LISTED_JOBS: i64 = 20;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/import", get(page).post(upload_page))
        .route("/import/jobs/{id}", get(job_page))
        .route("/api/v1/import", post(upload_api))
        .route("/api/v1/import/jobs/{id}", get(job_api))
        .layer(DefaultBodyLimit::disable())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            UPLOAD_TIMEOUT,
        ))
}

/// A job as its page and its document show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobView {
    /// The job's number, the same in every process serving the database.
    pub id: i64,
    /// `queued`, `running`, `done` or `failed`.
    pub state: &'static str,
    /// The import has ended (done or failed).
    pub done: bool,
    /// When it was uploaded.
    pub started: DateTime<Utc>,
    /// How many times a worker took it up (more than one: an earlier worker stopped).
    pub attempts: i64,
    /// The files uploaded.
    pub uploaded: Vec<String>,
    /// Activity files found (inside archives too), once the walk is planned.
    pub files_planned: Option<u64>,
    /// Files with an outcome so far.
    pub files_done: u64,
    /// How far, by bytes read, once planned.
    pub percent: Option<f64>,
    /// One sentence on where it is.
    pub message: String,
    /// Files an earlier attempt had stored before it stopped (reported as duplicates, with
    /// that reason): stored once, never twice.
    pub stored_by_earlier_attempt: u64,
    /// Why it failed as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Every file's outcome, once done (the document of `soleus import --json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ImportReport>,
}

/// The view of a job's row.
fn view(row: &JobRow, with_report: bool) -> JobView {
    let uploaded = serde_json::from_str::<ImportPayload>(&row.payload)
        .map(|p| p.uploaded)
        .unwrap_or_default();
    let report = row
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str::<ImportReport>(r).ok());
    let earlier = report.as_ref().map_or(0, stored_by_earlier_attempt) as u64;
    let done = matches!(row.state, JobState::Done | JobState::Failed);
    let files_done = u64::try_from(row.files_done).unwrap_or(0);
    let files_planned = row.files_total.and_then(|n| u64::try_from(n).ok());
    let percent = if done {
        Some(100.0)
    } else {
        row.bytes_total.map(|total| {
            if total <= 0 {
                100.0
            } else {
                (row.bytes_done as f64 / total as f64 * 100.0).min(100.0)
            }
        })
    };
    let again = if row.attempts > 1 {
        format!(" (attempt {}: an earlier worker stopped)", row.attempts)
    } else {
        String::new()
    };
    let (state, message) = match row.state {
        JobState::Receiving | JobState::Queued => (
            "queued",
            "Waiting for a worker to start the import…".to_owned(),
        ),
        JobState::Running => (
            "running",
            match files_planned {
                None => format!("Looking through the upload…{again}"),
                Some(total) => format!(
                    "{files_done} of {total} files{}{again}",
                    row.current_file
                        .as_deref()
                        .map(|n| format!("; reading {}", text::printable(n)))
                        .unwrap_or_default()
                ),
            },
        ),
        JobState::Done => (
            "done",
            match &report {
                Some(r) if earlier > 0 => format!(
                    "{} ({earlier} of them stored by an earlier attempt that stopped part-way)",
                    r.summary()
                ),
                Some(r) => r.summary(),
                None => "The import finished.".to_owned(),
            },
        ),
        JobState::Failed => (
            "failed",
            format!(
                "The import could not run: {}",
                row.error.as_deref().unwrap_or("no reason was recorded")
            ),
        ),
    };
    JobView {
        id: row.id,
        state,
        done,
        started: DateTime::from_timestamp_millis(row.created_ms).unwrap_or_default(),
        attempts: row.attempts,
        uploaded,
        files_planned,
        files_done,
        percent,
        message,
        stored_by_earlier_attempt: earlier,
        error: (row.state == JobState::Failed).then(|| row.error.clone().unwrap_or_default()),
        report: report.filter(|_| with_report),
    }
}

/// The last part of a name the browser sent, made printable; never a path.
fn file_name(raw: Option<&str>, n: usize) -> String {
    let base = raw
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .trim();
    let clean: String = text::printable(base)
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    if clean.is_empty() || clean == "." || clean == ".." {
        format!("upload-{n}")
    } else {
        clean
    }
}

fn too_large(shape: Shape) -> Error {
    Error::too_large(
        shape,
        format!(
            "The upload is larger than {} GiB, the most one upload may carry. Import a bigger \
             export with `soleus import` on the computer that holds it, or upload it in parts.",
            UPLOAD_LIMIT >> 30
        ),
    )
}

fn invalid(shape: Shape, field: &'static str, message: String) -> Error {
    Error::of(shape, AppError::invalid(field, message))
}

/// Streams every file of the form field `files` into a new job, counting bytes, and queues
/// it; what arrived of an upload that fails is removed.
async fn receive(
    web: &Me,
    form: Multipart,
    shape: Shape,
    declared: Option<u64>,
) -> Result<i64, Error> {
    if declared.is_some_and(|n| n > UPLOAD_LIMIT + 64 * 1024) {
        return Err(too_large(shape));
    }
    let mut upload = None;
    let mut names = Vec::new();
    match stream(web, form, shape, &mut upload, &mut names).await {
        Ok(()) => {}
        Err(e) => {
            if let Some(u) = upload {
                u.discard().await;
            }
            return Err(e);
        }
    }
    let Some(upload) = upload else {
        return Err(invalid(
            shape,
            "files",
            "choose at least one file to import: .fit, .gpx, .tcx (or .gz of them), a .zip, or \
             a Strava or Garmin export"
                .into(),
        ));
    };
    upload.queue(names).await.map_err(|e| Error::of(shape, e))
}

async fn stream(
    web: &Me,
    mut form: Multipart,
    shape: Shape,
    upload: &mut Option<Upload>,
    names: &mut Vec<String>,
) -> Result<(), Error> {
    let mut total: u64 = 0;
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(shape)
        } else {
            invalid(
                shape,
                "files",
                format!("the upload could not be read: {}", e.body_text()),
            )
        }
    };
    let db = |e: AppError| Error::of(shape, e);
    while let Some(mut field) = form.next_field().await.map_err(broken)? {
        if field.name() != Some("files") {
            continue;
        }
        if field.file_name().is_none_or(str::is_empty) {
            // The form's empty file input.
            continue;
        }
        if names.len() == MAX_FILES {
            return Err(invalid(
                shape,
                "files",
                format!(
                    "one upload may carry at most {MAX_FILES} files; put them in a zip, or \
                     upload them in parts"
                ),
            ));
        }
        let name = file_name(field.file_name(), names.len() + 1);
        if upload.is_none() {
            *upload = Some(web.start_upload().await.map_err(db)?);
        }
        let Some(up) = upload.as_mut() else {
            continue;
        };
        up.next_file(&name).await.map_err(db)?;
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            total += chunk.len() as u64;
            if total > UPLOAD_LIMIT {
                return Err(too_large(shape));
            }
            up.write(&chunk).await.map_err(db)?;
        }
        names.push(name);
    }
    Ok(())
}

/// The upload's body, or what to send instead.
fn multipart(
    form: Result<Multipart, MultipartRejection>,
    shape: Shape,
) -> Result<Multipart, Error> {
    form.map_err(|e| {
        invalid(
            shape,
            "files",
            format!(
                "send the files as multipart/form-data, in the field `files` ({})",
                e.body_text()
            ),
        )
    })
}

fn declared(headers: &axum::http::HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

async fn upload_page(
    web: Me,
    headers: axum::http::HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, Error> {
    let id = receive(
        &web,
        multipart(form, Shape::Page)?,
        Shape::Page,
        declared(&headers),
    )
    .await?;
    Ok(axum::response::Redirect::to(&format!("/import/jobs/{id}")).into_response())
}

async fn upload_api(
    web: Me,
    headers: axum::http::HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, Error> {
    let id = receive(
        &web,
        multipart(form, Shape::Json)?,
        Shape::Json,
        declared(&headers),
    )
    .await?;
    let view = job_of(&web, &id.to_string(), Shape::Json).await?;
    let doc = json(&view)?;
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/v1/import/jobs/{id}"))],
        doc,
    )
        .into_response())
}

/// One of the athlete's jobs, read from the database: another athlete's is not found, as a
/// missing one is not.
async fn job_of(web: &Me, raw: &str, shape: Shape) -> Result<JobView, Error> {
    let Ok(id) = raw.parse::<i64>() else {
        return Err(Error::no_route(shape));
    };
    web.job(id)
        .await
        .map_err(|e| Error::of(shape, e))?
        .filter(|row| row.kind == JobKind::Import)
        .map(|row| view(&row, true))
        .ok_or_else(|| Error::no_route(shape))
}

async fn job_api(web: Me, UrlPath(raw): UrlPath<String>) -> Result<Json<serde_json::Value>, Error> {
    json(&job_of(&web, &raw, Shape::Json).await?)
}

/// One row of the outcome table.
struct FileRow {
    outcome: &'static str,
    class: &'static str,
    path: String,
    activities: Vec<soleus_app::ActivityId>,
    notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    upload_gib: u64,
    max_files: usize,
    entry_mib: u64,
    unpacked_gib: u64,
    zip_depth: usize,
    jobs: Vec<JobView>,
}

async fn page(web: Me) -> Result<Html<String>, Error> {
    render(&ImportPage {
        chrome: Chrome::load(&web, "Import", Some("/import")).await?,
        upload_gib: UPLOAD_LIMIT >> 30,
        max_files: MAX_FILES,
        entry_mib: limits::MAX_ENTRY_BYTES >> 20,
        unpacked_gib: limits::MAX_UNPACKED_BYTES >> 30,
        zip_depth: limits::MAX_ZIP_DEPTH,
        jobs: web
            .recent_jobs(LISTED_JOBS)
            .await
            .map_err(Error::page)?
            .iter()
            .filter(|row| row.kind == JobKind::Import)
            .map(|row| view(row, false))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "import_job.html")]
struct JobPage {
    chrome: Chrome,
    job: JobView,
    rows: Vec<FileRow>,
    warnings: Vec<String>,
}

async fn job_page(web: Me, UrlPath(raw): UrlPath<String>) -> Result<Html<String>, Error> {
    let job = job_of(&web, &raw, Shape::Page).await?;
    let (rows, warnings) = match &job.report {
        Some(r) => (
            r.files.iter().map(row).collect(),
            r.warnings
                .iter()
                .map(|w| text::printable(w).into_owned())
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let title = match job.state {
        "queued" | "running" => "Importing…",
        "failed" => "Import failed",
        _ => "Import finished",
    };
    render(&JobPage {
        chrome: Chrome::load(&web, title, Some("/import")).await?,
        job,
        rows,
        warnings,
    })
}

fn row(f: &FileReport) -> FileRow {
    FileRow {
        outcome: f.outcome.word(),
        class: match f.outcome {
            Outcome::Imported => "imported",
            Outcome::Duplicate => "duplicate",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        },
        // Names and reasons carry text from the files (zip entry names): made printable,
        // and escaped by the template.
        path: text::printable(&f.path).into_owned(),
        activities: f.activity_ids.clone(),
        notes: f
            .reason
            .iter()
            .chain(f.warnings.iter())
            .map(|s| text::printable(s).into_owned())
            .collect(),
    }
}
