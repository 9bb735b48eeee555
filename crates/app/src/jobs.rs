//! Background jobs: an upload's import (its files kept in the database until it ends) and a
//! reparse, run by whichever worker claims them — `soleus worker`, or the worker inside
//! `soleus serve`.
//!
//! A worker holds a job with a lease it renews while it works (with the job's progress, so
//! any process can show how far it got). A worker that is killed stops renewing: once the
//! lease has run out another worker claims the job again, up to [`MAX_ATTEMPTS`] times. The
//! effects are never applied twice: the import stores each file in its own transaction and
//! recognises a stored file by its content hash, so the retry stores only what the first
//! attempt did not, and its report says which files that attempt had already stored
//! ([`crate::import::EARLIER_ATTEMPT`]). A worker told to stop gives its job back at once
//! (queued again, the attempt not counted); one whose job was taken over leaves it.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
pub use soleus_store::jobs::{CHUNK_BYTES, JobClaim, JobKind, JobProgress, JobRow, JobState};

use crate::import::{Census, FileReport, ImportOptions, ImportProgress, ImportReport, Outcome};
use crate::{App, AppError, Result};

/// How long a claim holds without being renewed, unless the worker is told otherwise.
pub const LEASE: Duration = Duration::from_secs(60);

/// How often a working worker writes its job's progress (and so renews its lease); at
/// least three times per lease.
pub const HEARTBEAT: Duration = Duration::from_secs(1);

/// How often an idle worker looks for a job.
pub const POLL: Duration = Duration::from_secs(2);

/// How many times a job is claimed before it fails (each claim that ended with its worker
/// gone counts).
pub const MAX_ATTEMPTS: i64 = 3;

/// An upload still receiving after this long lost its process: it is removed.
const ABANDONED_AFTER: chrono::Duration = chrono::Duration::hours(24);

/// What an import job's payload says.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImportPayload {
    /// The names of the files uploaded, in order.
    pub uploaded: Vec<String>,
}

/// What a running worker tells its host about the imports it runs (a server counts them in
/// its metrics). Every method has a default that does nothing.
pub trait JobObserver: Send + Sync {
    /// An import read `bytes` of a file.
    fn read(&self, bytes: u64) {
        let _ = bytes;
    }
    /// An import's file had its outcome.
    fn file_done(&self, outcome: Outcome) {
        let _ = outcome;
    }
}

/// Observes nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoObserver;

impl JobObserver for NoObserver {}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn storage(what: &str) -> impl FnOnce(soleus_store::StoreError) -> AppError + '_ {
    move |e| AppError::storage(what, e)
}

/// An upload being written into the database as a job: its files arrive in order, each in
/// chunks; [`Upload::queue`] hands it to the workers.
#[derive(Debug)]
pub struct Upload {
    jobs: Box<dyn soleus_store::Jobs>,
    id: i64,
    file_no: i64,
    chunk_no: i64,
    name: String,
    buffer: Vec<u8>,
}

impl Upload {
    /// The job's id.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Starts the next file of the upload.
    pub async fn next_file(&mut self, name: &str) -> Result<()> {
        self.flush().await?;
        self.file_no += 1;
        self.chunk_no = 0;
        name.clone_into(&mut self.name);
        Ok(())
    }

    /// Appends bytes to the current file; full chunks go to the database as they fill.
    pub async fn write(&mut self, mut bytes: &[u8]) -> Result<()> {
        while !bytes.is_empty() {
            let room = CHUNK_BYTES - self.buffer.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.buffer.extend_from_slice(now);
            bytes = later;
            if self.buffer.len() == CHUNK_BYTES {
                self.flush().await?;
            }
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<()> {
        // A file's first chunk is stored even when empty, so an empty file is still a file.
        if self.file_no == 0 || (self.buffer.is_empty() && self.chunk_no > 0) {
            return Ok(());
        }
        self.jobs
            .add_chunk(
                self.id,
                self.file_no,
                self.chunk_no,
                &self.name,
                &self.buffer,
            )
            .await
            .map_err(storage("storing an uploaded file"))?;
        self.chunk_no += 1;
        self.buffer.clear();
        Ok(())
    }

    /// Every file is in: the job is queued for a worker, with the names of the files
    /// uploaded.
    pub async fn queue(mut self, uploaded: Vec<String>) -> Result<i64> {
        self.flush().await?;
        let payload = serde_json::to_string(&ImportPayload { uploaded })
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.jobs
            .ready(self.id, &payload, now_ms())
            .await
            .map_err(storage("queueing an upload's import"))?;
        Ok(self.id)
    }

    /// The upload broke off: the job and what arrived of it are removed.
    pub async fn discard(self) {
        if let Err(e) = self.jobs.discard(self.id).await {
            tracing::warn!(job = self.id, error = %e, "could not remove a broken-off upload");
        }
    }
}

impl App {
    /// Starts an upload's import job for this athlete: its files are added to the returned
    /// [`Upload`], which then queues it.
    pub async fn start_upload(&self) -> Result<Upload> {
        let payload = serde_json::to_string(&ImportPayload::default())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let jobs = self.db.jobs();
        let id = jobs
            .enqueue(
                Some(self.athlete_id()),
                JobKind::Import,
                &payload,
                MAX_ATTEMPTS,
                true,
                now_ms(),
            )
            .await
            .map_err(storage("starting an upload's import"))?;
        Ok(Upload {
            jobs,
            id,
            file_no: 0,
            chunk_no: 0,
            name: String::new(),
            buffer: Vec::with_capacity(CHUNK_BYTES),
        })
    }

    /// Queues a reparse of this athlete's stored originals.
    pub async fn queue_reparse(&self) -> Result<i64> {
        self.db
            .jobs()
            .enqueue(
                Some(self.athlete_id()),
                JobKind::Reparse,
                "{}",
                MAX_ATTEMPTS,
                false,
                now_ms(),
            )
            .await
            .map_err(storage("queueing a reparse"))
    }

    /// One of this athlete's jobs; another athlete's is not found, as a missing one is not.
    pub async fn job(&self, id: i64) -> Result<Option<JobRow>> {
        self.db
            .jobs()
            .job(self.athlete_id(), id)
            .await
            .map_err(storage("reading a job"))
    }

    /// This athlete's latest jobs, newest first.
    pub async fn recent_jobs(&self, limit: i64) -> Result<Vec<JobRow>> {
        self.db
            .jobs()
            .athlete_jobs(self.athlete_id(), limit)
            .await
            .map_err(storage("reading the jobs"))
    }

    /// Claims and runs jobs as `worker`, each under a lease of `lease` (a job whose worker
    /// vanished waits that long for another), until `stop` completes: then it claims no more,
    /// and gives a job it holds back to the queue (the next worker resumes it; what it stored
    /// stays stored).
    pub async fn run_jobs(
        self,
        worker: String,
        lease: Duration,
        observer: Arc<dyn JobObserver>,
        stop: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(stop);
        let jobs = self.db.jobs();
        let mut purged_at: Option<std::time::Instant> = None;
        loop {
            if purged_at.is_none_or(|t| t.elapsed() > Duration::from_secs(600)) {
                purged_at = Some(std::time::Instant::now());
                let before = (Utc::now() - ABANDONED_AFTER).timestamp_millis();
                if let Err(e) = jobs.purge_abandoned(before).await {
                    tracing::warn!(error = %e, "could not remove abandoned uploads");
                }
            }
            let claimed = tokio::select! {
                biased;
                () = &mut stop => return,
                c = jobs.claim(&worker, now_ms(), ms(lease)) => c,
            };
            match claimed {
                Ok(Some((row, claim))) => {
                    tracing::info!(job = row.id, kind = %row.kind, attempt = row.attempts, worker = %worker, "job claimed");
                    if self
                        .run_one(row, &claim, lease, observer.clone(), &mut stop)
                        .await
                        == Ran::Stopped
                    {
                        return;
                    }
                }
                Ok(None) => {
                    tokio::select! {
                        () = &mut stop => return,
                        () = tokio::time::sleep(POLL) => {}
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not claim a job");
                    tokio::select! {
                        () = &mut stop => return,
                        () = tokio::time::sleep(POLL) => {}
                    }
                }
            }
        }
    }

    /// Runs one claimed job to its end, or until `stop` or the loss of its claim.
    async fn run_one(
        &self,
        row: JobRow,
        claim: &JobClaim,
        lease: Duration,
        observer: Arc<dyn JobObserver>,
        stop: &mut std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
    ) -> Ran {
        let jobs = self.db.jobs();
        let progress = Arc::new(Mutex::new(JobProgress {
            files_total: row.files_total,
            files_done: 0,
            bytes_total: row.bytes_total,
            bytes_done: 0,
            current_file: None,
        }));
        // Boxed, so that stopping drops it (rolling back the file being stored) before the
        // job is given back.
        let mut work = Box::pin(self.work(&row, progress.clone(), observer));
        // The heartbeat runs as a task of its own: on SQLite its write waits for the write
        // lock, which the work may hold mid-file, and the work must go on meanwhile.
        let (lost_tx, mut lost) = tokio::sync::oneshot::channel::<()>();
        let heartbeat = tokio::spawn(heartbeat(
            self.db.jobs(),
            claim.clone(),
            lease,
            progress.clone(),
            lost_tx,
        ));
        let _stop_heartbeat = AbortOnDrop(heartbeat);
        let outcome = tokio::select! {
            biased;
            () = &mut *stop => {
                // Dropping the work rolls back the file being stored; the rest stays.
                drop(work);
                match jobs.release(claim, now_ms()).await {
                    Ok(true) => tracing::info!(job = row.id, "job given back on stopping"),
                    Ok(false) => {}
                    Err(e) => tracing::warn!(job = row.id, error = %e, "could not give a job back; its lease will run out"),
                }
                return Ran::Stopped;
            }
            Ok(()) = &mut lost => {
                tracing::warn!(job = row.id, "the job was taken over by another worker; leaving it");
                return Ran::Lost;
            }
            done = &mut work => done,
        };
        if let Err(e) = &outcome {
            tracing::error!(job = row.id, error = %e, "a job failed");
        }
        // The end is recorded while the claim holds: a database that did not answer is asked
        // again a few times, rather than leaving the job to its lease and a needless retry.
        let mut ended = Ok(false);
        for round in 0..5 {
            ended = match &outcome {
                Ok(report) => jobs.finish(claim, report, now_ms()).await,
                Err(e) => jobs.fail(claim, &e.to_string(), now_ms()).await,
            };
            if ended.is_ok() {
                break;
            }
            tracing::warn!(
                job = row.id,
                round,
                "could not record a job's end; trying again"
            );
            tokio::time::sleep(HEARTBEAT).await;
        }
        match ended {
            Ok(true) => tracing::info!(job = row.id, "job ended"),
            Ok(false) => {
                tracing::warn!(job = row.id, "the job was taken over before it ended here")
            }
            Err(e) => {
                tracing::warn!(job = row.id, error = %e, "could not record a job's end; it will be tried again")
            }
        }
        Ran::Ended
    }

    /// Does a job's work, answering its report as JSON.
    async fn work(
        &self,
        row: &JobRow,
        progress: Arc<Mutex<JobProgress>>,
        observer: Arc<dyn JobObserver>,
    ) -> Result<String> {
        let Some(athlete) = row.athlete else {
            return Err(AppError::Internal(format!(
                "a {} job names no athlete",
                row.kind
            )));
        };
        let app = self.as_athlete(athlete);
        let json = match row.kind {
            JobKind::Import => {
                serde_json::to_string(&app.import_job(row, progress, observer).await?)
            }
            JobKind::Reparse => serde_json::to_string(&app.reparse().await?),
            JobKind::Aggregates => {
                return Err(AppError::Internal(
                    "this release does not run aggregates jobs".into(),
                ));
            }
        };
        json.map_err(|e| AppError::Internal(e.to_string()))
    }

    /// An import job: its files written to a private folder, imported as `soleus import`
    /// would, the folder's name taken out of the report.
    async fn import_job(
        &self,
        row: &JobRow,
        progress: Arc<Mutex<JobProgress>>,
        observer: Arc<dyn JobObserver>,
    ) -> Result<ImportReport> {
        let jobs = self.db.jobs();
        let files = jobs
            .files(row.id)
            .await
            .map_err(storage("reading an upload's files"))?;
        let dir = tempfile::Builder::new()
            .prefix("soleus-job-")
            .tempdir()
            .map_err(|e| io("making a folder for an upload's files", e))?;
        let mut paths = Vec::with_capacity(files.len());
        for f in &files {
            let folder = dir.path().join(format!("{:05}", f.file_no));
            std::fs::create_dir(&folder).map_err(|e| io("writing an upload's files", e))?;
            let path = folder.join(&f.name);
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(|e| io("writing an upload's files", e))?;
            for c in 0..f.chunks {
                let bytes = jobs
                    .chunk(row.id, f.file_no, c)
                    .await
                    .map_err(storage("reading an upload's files"))?;
                tokio::io::AsyncWriteExt::write_all(&mut out, &bytes)
                    .await
                    .map_err(|e| io("writing an upload's files", e))?;
            }
            tokio::io::AsyncWriteExt::flush(&mut out)
                .await
                .map_err(|e| io("writing an upload's files", e))?;
            paths.push(path);
        }
        // Started before this claim (whose time the row's `updated_ms` is): an earlier
        // attempt ran, was killed or gave the job back, and may have stored files.
        let options = ImportOptions {
            earlier_attempt_since: row
                .started_ms
                .filter(|started| *started < row.updated_ms)
                .and_then(DateTime::<Utc>::from_timestamp_millis),
            ..ImportOptions::default()
        };
        let mut follow = Follow {
            progress,
            observer,
            dir: dir.path().to_owned(),
        };
        let mut report = self.import(&paths, &options, &mut follow).await?;
        for f in &mut report.files {
            f.path = shown(dir.path(), &f.path);
            if let Some(reason) = &mut f.reason {
                *reason = shown(dir.path(), reason);
            }
            for w in &mut f.warnings {
                *w = shown(dir.path(), w);
            }
        }
        for w in &mut report.warnings {
            *w = shown(dir.path(), w);
        }
        Ok(report)
    }
}

/// Aborts a task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Writes a job's progress when it changed (and so renews the lease), renews it at least
/// four times per lease, and says on `lost` when the claim is no longer held.
async fn heartbeat(
    jobs: Box<dyn soleus_store::Jobs>,
    claim: JobClaim,
    lease: Duration,
    progress: Arc<Mutex<JobProgress>>,
    lost: tokio::sync::oneshot::Sender<()>,
) {
    let mut beat = tokio::time::interval(HEARTBEAT.min(lease / 3));
    beat.tick().await;
    let mut last = JobProgress::default();
    let mut renewed = std::time::Instant::now();
    loop {
        beat.tick().await;
        let now = progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let held = if now != last {
            last = now.clone();
            renewed = std::time::Instant::now();
            jobs.progress(&claim, &now, now_ms(), ms(lease)).await
        } else if renewed.elapsed() >= lease / 4 {
            renewed = std::time::Instant::now();
            jobs.renew(&claim, now_ms(), ms(lease)).await
        } else {
            Ok(true)
        };
        match held {
            Ok(true) => {}
            Ok(false) => {
                let _ = lost.send(());
                return;
            }
            Err(e) => tracing::warn!(job = claim.id, error = %e, "could not renew a job's lease"),
        }
    }
}

/// How a job's run ended for its worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ran {
    /// Done or failed (or its end could not be recorded).
    Ended,
    /// The worker was told to stop; the job was given back.
    Stopped,
    /// Another worker took the job over.
    Lost,
}

fn io(context: &str, source: std::io::Error) -> AppError {
    AppError::Io {
        context: context.to_owned(),
        source,
    }
}

/// The import's progress, kept for the heartbeat to write, and told to the observer.
struct Follow {
    progress: Arc<Mutex<JobProgress>>,
    observer: Arc<dyn JobObserver>,
    /// The job's folder, taken out of the names shown.
    dir: std::path::PathBuf,
}

impl Follow {
    fn with(&self, f: impl FnOnce(&mut JobProgress)) {
        f(&mut self
            .progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner));
    }
}

impl ImportProgress for Follow {
    fn planned(&mut self, census: Census) {
        self.with(|p| {
            p.files_total = Some(i64::try_from(census.files).unwrap_or(i64::MAX));
            p.bytes_total = Some(i64::try_from(census.bytes).unwrap_or(i64::MAX));
        });
    }

    fn reading(&mut self, bytes: u64, name: &str) {
        self.observer.read(bytes);
        self.with(|p| {
            p.bytes_done += i64::try_from(bytes).unwrap_or(0);
            p.current_file = Some(shown(&self.dir, name));
        });
    }

    fn done(&mut self, file: &FileReport) {
        self.observer.file_done(file.outcome);
        self.with(|p| p.files_done += 1);
    }
}

/// A report's text as the person named the files: the job's folder and each file's
/// sub-folder (`00001/`) taken off wherever they appear, so no server path is shown.
pub fn shown(dir: &Path, text: &str) -> String {
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

/// How many of a report's files an earlier attempt of the same job had stored.
pub fn stored_by_earlier_attempt(report: &ImportReport) -> usize {
    report
        .files
        .iter()
        .filter(|f| {
            f.outcome == Outcome::Duplicate
                && f.reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with(crate::import::EARLIER_ATTEMPT))
        })
        .count()
}
