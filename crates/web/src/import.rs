//! Importing from the browser (`/import`, `POST /api/v1/import`): one or many files, a zip, a
//! Strava or Garmin export, uploaded and imported in the background while the page follows.
//!
//! An upload is streamed to a private temporary folder, one sub-folder per file so that no
//! name can reach outside it, and counted as it arrives: past [`UPLOAD_LIMIT`] it stops with
//! a 413 that names the limit. Then the import runs as a job of this process with the same
//! pipeline, limits and outcomes as `soleus import` ([`App::import`]): closing the browser
//! does not stop it, and the job page shows every file's outcome when it is done.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
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
use soleus_app::import::{
    Census, FileReport, ImportOptions, ImportProgress, ImportReport, Outcome, limits,
};
use soleus_app::{AppError, AthleteId, text};
use tokio::io::AsyncWriteExt;
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

/// Jobs kept for their pages after they finish: the oldest finished ones go first.
const KEPT_JOBS: usize = 50;

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

/// The imports of this process, by id.
#[derive(Debug, Default)]
pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<BTreeMap<u64, Arc<Mutex<Job>>>>,
}

impl Jobs {
    fn start(&self, athlete: AthleteId, files: Vec<String>) -> (u64, Arc<Mutex<Job>>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Arc::new(Mutex::new(Job {
            id,
            athlete,
            started: Utc::now(),
            uploaded: files,
            census: None,
            bytes_done: 0,
            files_done: 0,
            current: None,
            end: None,
        }));
        let mut jobs = lock(&self.jobs);
        jobs.insert(id, job.clone());
        while jobs.len() > KEPT_JOBS {
            let Some(old) = jobs
                .iter()
                .find(|(_, j)| lock(j).end.is_some())
                .map(|(id, _)| *id)
            else {
                break;
            };
            jobs.remove(&old);
        }
        (id, job)
    }

    /// One of `athlete`'s jobs: another athlete's is not found, as a missing one is.
    fn get(&self, athlete: AthleteId, id: u64) -> Option<Arc<Mutex<Job>>> {
        lock(&self.jobs)
            .get(&id)
            .filter(|j| lock(j).athlete == athlete)
            .cloned()
    }

    /// `athlete`'s latest jobs first.
    fn recent(&self, athlete: AthleteId) -> Vec<JobView> {
        lock(&self.jobs)
            .values()
            .rev()
            .filter(|j| lock(j).athlete == athlete)
            .map(|j| lock(j).view(false))
            .collect()
    }
}

/// A lock that a panicked holder left: the data is counters and a report, still worth showing.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One upload's import.
#[derive(Debug)]
struct Job {
    id: u64,
    /// Whose import it is: only they see it.
    athlete: AthleteId,
    started: DateTime<Utc>,
    /// The names of the files uploaded.
    uploaded: Vec<String>,
    census: Option<Census>,
    bytes_done: u64,
    files_done: u64,
    current: Option<String>,
    end: Option<Result<ImportReport, String>>,
}

/// A job as its page and its document show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobView {
    /// The job's number in this process.
    pub id: u64,
    /// `running`, `done` or `failed`.
    pub state: &'static str,
    /// The import has ended (done or failed).
    pub done: bool,
    /// When it started.
    pub started: DateTime<Utc>,
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
    /// Why it failed as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Every file's outcome, once done (the document of `soleus import --json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ImportReport>,
}

impl Job {
    fn view(&self, with_report: bool) -> JobView {
        let percent = self.census.as_ref().map(|c| {
            if c.bytes == 0 {
                100.0
            } else {
                (self.bytes_done as f64 / c.bytes as f64 * 100.0).min(100.0)
            }
        });
        let (state, message, error, report) = match &self.end {
            None => (
                "running",
                match (&self.census, &self.current) {
                    (None, _) => "Looking through the upload…".to_owned(),
                    (Some(c), cur) => format!(
                        "{} of {} files{}",
                        self.files_done,
                        c.files,
                        cur.as_deref()
                            .map(|n| format!("; reading {}", text::printable(n)))
                            .unwrap_or_default()
                    ),
                },
                None,
                None,
            ),
            Some(Ok(r)) => ("done", r.summary(), None, with_report.then(|| r.clone())),
            Some(Err(e)) => (
                "failed",
                format!("The import could not run: {e}"),
                Some(e.clone()),
                None,
            ),
        };
        JobView {
            id: self.id,
            state,
            done: self.end.is_some(),
            started: self.started,
            uploaded: self.uploaded.clone(),
            files_planned: self.census.as_ref().map(|c| c.files),
            files_done: self.files_done,
            percent: if self.end.is_some() {
                Some(100.0)
            } else {
                percent
            },
            message,
            error,
            report,
        }
    }
}

/// The job's progress, fed by the import, and the server's import counters.
struct Follow(Arc<Mutex<Job>>, Shared);

impl ImportProgress for Follow {
    fn planned(&mut self, census: Census) {
        lock(&self.0).census = Some(census);
    }

    fn reading(&mut self, bytes: u64, name: &str) {
        self.1.metrics.imported_bytes(bytes);
        let mut j = lock(&self.0);
        j.bytes_done += bytes;
        j.current = Some(name.to_owned());
    }

    fn done(&mut self, file: &FileReport) {
        self.1.metrics.imported_file(match file.outcome {
            Outcome::Imported => "imported",
            Outcome::Duplicate => "duplicate",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        });
        lock(&self.0).files_done += 1;
    }
}

/// What arrived: the folder holding it (removed when dropped) and the files, as named.
struct Upload {
    dir: tempfile::TempDir,
    files: Vec<(PathBuf, String)>,
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

/// The server's disk failed while an upload arrived.
fn disk(shape: Shape, context: &str, source: std::io::Error) -> Error {
    Error::of(
        shape,
        AppError::Io {
            context: context.to_owned(),
            source,
        },
    )
}

fn invalid(shape: Shape, field: &'static str, message: String) -> Error {
    Error::of(shape, AppError::invalid(field, message))
}

/// Streams every file of the form field `files` to its own folder, counting bytes.
async fn receive(
    mut form: Multipart,
    shape: Shape,
    declared: Option<u64>,
) -> Result<Upload, Error> {
    if declared.is_some_and(|n| n > UPLOAD_LIMIT + 64 * 1024) {
        return Err(too_large(shape));
    }
    let dir = tempfile::Builder::new()
        .prefix("soleus-upload-")
        .tempdir()
        .map_err(|e| disk(shape, "making a folder for the upload", e))?;
    let mut files = Vec::new();
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
    while let Some(mut field) = form.next_field().await.map_err(broken)? {
        if field.name() != Some("files") {
            continue;
        }
        if field.file_name().is_none_or(str::is_empty) {
            // The form's empty file input.
            continue;
        }
        if files.len() == MAX_FILES {
            return Err(invalid(
                shape,
                "files",
                format!(
                    "one upload may carry at most {MAX_FILES} files; put them in a zip, or \
                     upload them in parts"
                ),
            ));
        }
        let name = file_name(field.file_name(), files.len() + 1);
        let folder = dir.path().join(format!("{:05}", files.len() + 1));
        let io = |e: std::io::Error| disk(shape, "writing the upload", e);
        tokio::fs::create_dir(&folder).await.map_err(io)?;
        let path = folder.join(&name);
        let mut out = tokio::fs::File::create(&path).await.map_err(io)?;
        while let Some(chunk) = field.chunk().await.map_err(broken)? {
            total += chunk.len() as u64;
            if total > UPLOAD_LIMIT {
                return Err(too_large(shape));
            }
            out.write_all(&chunk).await.map_err(io)?;
        }
        out.flush().await.map_err(io)?;
        files.push((path, name));
    }
    if files.is_empty() {
        return Err(invalid(
            shape,
            "files",
            "choose at least one file to import: .fit, .gpx, .tcx (or .gz of them), a .zip, or \
             a Strava or Garmin export"
                .into(),
        ));
    }
    Ok(Upload { dir, files })
}

/// Starts the import of an upload in the background; the job owns the upload's folder and
/// removes it when done.
fn start(web: &Me, upload: Upload) -> u64 {
    let names = upload.files.iter().map(|(_, n)| n.clone()).collect();
    let (id, job) = web.web.jobs.start(web.athlete_id(), names);
    let shared = web.web.clone();
    let web = web.app_owned();
    tokio::spawn(async move {
        let Upload { dir, files } = upload;
        let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
        let mut follow = Follow(job.clone(), shared);
        let result = web
            .import(&paths, &ImportOptions::default(), &mut follow)
            .await
            .map(|mut r| {
                for f in &mut r.files {
                    f.path = shown(dir.path(), &f.path);
                    if let Some(reason) = &mut f.reason {
                        *reason = shown(dir.path(), reason);
                    }
                    for w in &mut f.warnings {
                        *w = shown(dir.path(), w);
                    }
                }
                for w in &mut r.warnings {
                    *w = shown(dir.path(), w);
                }
                r
            })
            .map_err(|e| e.to_string());
        if let Err(e) = &result {
            tracing::error!(job = id, error = %e, "an upload's import failed");
        }
        lock(&job).end = Some(result);
        drop(dir);
    });
    id
}

/// A report's text as the person named the files: the upload's folder and each file's
/// sub-folder (`00001/`) taken off wherever they appear, so no server path is shown.
fn shown(dir: &Path, text: &str) -> String {
    let prefix = format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&prefix) {
        out.push_str(&rest[..at]);
        let after = &rest[at + prefix.len()..];
        // The sub-folder: five digits and a separator.
        rest = match after.split_once(std::path::MAIN_SEPARATOR) {
            Some((n, name)) if n.len() == 5 && n.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => after,
        };
    }
    out.push_str(rest);
    out
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
    let upload = receive(
        multipart(form, Shape::Page)?,
        Shape::Page,
        declared(&headers),
    )
    .await?;
    let id = start(&web, upload);
    Ok(axum::response::Redirect::to(&format!("/import/jobs/{id}")).into_response())
}

async fn upload_api(
    web: Me,
    headers: axum::http::HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, Error> {
    let upload = receive(
        multipart(form, Shape::Json)?,
        Shape::Json,
        declared(&headers),
    )
    .await?;
    let id = start(&web, upload);
    let view = web
        .web
        .jobs
        .get(web.athlete_id(), id)
        .map(|j| lock(&j).view(true))
        .ok_or_else(|| Error::no_route(Shape::Json))?;
    let doc = json(&view)?;
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/v1/import/jobs/{id}"))],
        doc,
    )
        .into_response())
}

fn job_of(web: &Me, raw: &str, shape: Shape) -> Result<JobView, Error> {
    raw.parse::<u64>()
        .ok()
        .and_then(|id| web.web.jobs.get(web.athlete_id(), id))
        .map(|j| lock(&j).view(true))
        .ok_or_else(|| Error::no_route(shape))
}

async fn job_api(web: Me, UrlPath(raw): UrlPath<String>) -> Result<Json<serde_json::Value>, Error> {
    json(&job_of(&web, &raw, Shape::Json)?)
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
        jobs: web.web.jobs.recent(web.athlete_id()),
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
    let job = job_of(&web, &raw, Shape::Page)?;
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
        "running" => "Importing…",
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
