//! [`Jobs`]: work done outside a request, kept in the database so that any process may run
//! it and any process may show it — an upload's import (its bytes kept in chunks until the
//! job ends), a reparse, and room for more kinds.
//!
//! A job moves `receiving` (an upload's bytes arriving; no worker takes it) → `queued` →
//! `running` → `done` or `failed`. A worker's claim is a lease it renews while it works; a
//! job whose lease ran out (its worker was killed) is claimed again by another worker, up to
//! its `max_attempts`, after which it fails. Every change a worker makes is guarded by its
//! [`JobClaim`]: once another worker has taken the job over, the first one can neither renew,
//! report progress, finish nor fail it. On PostgreSQL a claim skips rows another claim holds
//! locked (`FOR UPDATE SKIP LOCKED`), so workers never wait on each other; on SQLite it is
//! one `UPDATE … RETURNING`, which the database's single writer makes atomic.

use serde::{Deserialize, Serialize};

use crate::{AthleteId, StoreError};

text_enum!(
    /// What a job does.
    JobKind {
        /// Imports an upload's files for its athlete.
        Import => "import",
        /// Reads the athlete's stored originals again with the current decoders.
        Reparse => "reparse",
        /// Recomputes an athlete's daily aggregates.
        Aggregates => "aggregates",
    }
);

text_enum!(
    /// Where a job stands.
    JobState {
        /// An upload's bytes are still arriving: not claimed yet.
        Receiving => "receiving",
        /// Waiting for a worker.
        Queued => "queued",
        /// Claimed by `claimed_by` until its lease runs out.
        Running => "running",
        /// Ended with a report.
        Done => "done",
        /// Ended with an error.
        Failed => "failed",
    }
);

/// The size of one stored chunk of an upload's file (4 MiB): far below what a PostgreSQL
/// `bytea` holds, and small enough to read one at a time.
pub const CHUNK_BYTES: usize = 4 * 1024 * 1024;

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    /// Id.
    pub id: i64,
    /// Whose job it is (none: the database's own).
    pub athlete: Option<AthleteId>,
    /// What it does.
    pub kind: JobKind,
    /// The kind's own JSON document.
    pub payload: String,
    /// Where it stands.
    pub state: JobState,
    /// Claims so far (the current one included).
    pub attempts: i64,
    /// Claims allowed before it fails.
    pub max_attempts: i64,
    /// The worker that claimed it last.
    pub claimed_by: Option<String>,
    /// Until when the current claim holds, epoch ms.
    pub lease_until_ms: Option<i64>,
    /// Files to do, once known.
    pub files_total: Option<i64>,
    /// Files done.
    pub files_done: i64,
    /// Bytes to read, once known.
    pub bytes_total: Option<i64>,
    /// Bytes read.
    pub bytes_done: i64,
    /// The file being read.
    pub current_file: Option<String>,
    /// The report (JSON), when done.
    pub report: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// When it was made, epoch ms.
    pub created_ms: i64,
    /// When it was first claimed.
    pub started_ms: Option<i64>,
    /// When it last changed.
    pub updated_ms: i64,
    /// When it ended.
    pub finished_ms: Option<i64>,
}

/// A worker's hold on a job: every change it makes names it, and fails once the job was
/// taken over (the attempt counts the claims, so a later claim never matches an earlier one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobClaim {
    /// The job.
    pub id: i64,
    /// The worker holding it.
    pub worker: String,
    /// Which claim this is (the job's `attempts` when claimed).
    pub attempt: i64,
}

/// How far a job got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobProgress {
    /// Files to do, once known.
    pub files_total: Option<i64>,
    /// Files done.
    pub files_done: i64,
    /// Bytes to read, once known.
    pub bytes_total: Option<i64>,
    /// Bytes read.
    pub bytes_done: i64,
    /// The file being read.
    pub current_file: Option<String>,
}

/// One file of an upload, as stored: its number in the upload and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFile {
    /// Its place in the upload, from 1.
    pub file_no: i64,
    /// The name it was uploaded as.
    pub name: String,
    /// Chunks stored.
    pub chunks: i64,
}

/// Jobs per state, for the metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobDepth {
    /// Waiting for a worker.
    pub queued: i64,
    /// Claimed.
    pub running: i64,
}

/// Background jobs: see the [module](self).
#[async_trait::async_trait]
pub trait Jobs: Send + Sync + std::fmt::Debug {
    /// Adds a job, `queued` (or `receiving` when its files are still to be added, see
    /// [`Jobs::add_chunk`] and [`Jobs::ready`]).
    async fn enqueue(
        &self,
        athlete: Option<AthleteId>,
        kind: JobKind,
        payload: &str,
        max_attempts: i64,
        receiving: bool,
        now_ms: i64,
    ) -> Result<i64, StoreError>;

    /// Stores one chunk of a receiving job's file (at most [`CHUNK_BYTES`]). Fails when the
    /// job is not receiving.
    async fn add_chunk(
        &self,
        job: i64,
        file_no: i64,
        chunk_no: i64,
        name: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError>;

    /// Queues a receiving job, its payload now complete: its files are in. False when it was
    /// not receiving.
    async fn ready(&self, job: i64, payload: &str, now_ms: i64) -> Result<bool, StoreError>;

    /// Removes a job that is still receiving (the upload broke off) with its files.
    async fn discard(&self, job: i64) -> Result<(), StoreError>;

    /// Claims the oldest job due for `worker` until `now_ms + lease_ms`: a queued one, or a
    /// running one whose lease ran out and that has attempts left (one without is failed
    /// here, and its files removed). `None`: nothing to do.
    async fn claim(
        &self,
        worker: &str,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<Option<(JobRow, JobClaim)>, StoreError>;

    /// Extends the claim's lease to `now_ms + lease_ms`. False when the job is no longer
    /// this claim's: the worker must stop and leave it.
    async fn renew(&self, claim: &JobClaim, now_ms: i64, lease_ms: i64)
    -> Result<bool, StoreError>;

    /// Records how far the job got (and extends the lease as [`Jobs::renew`] does).
    async fn progress(
        &self,
        claim: &JobClaim,
        progress: &JobProgress,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<bool, StoreError>;

    /// Ends the job `done` with its report, and removes its files. False (and nothing
    /// changed) when the job is no longer this claim's.
    async fn finish(&self, claim: &JobClaim, report: &str, now_ms: i64)
    -> Result<bool, StoreError>;

    /// Ends the job `failed`, and removes its files. False when it is no longer this claim's.
    async fn fail(&self, claim: &JobClaim, error: &str, now_ms: i64) -> Result<bool, StoreError>;

    /// Gives the job back, queued, without counting the attempt: a worker stopping before
    /// it ends. False when it is no longer this claim's.
    async fn release(&self, claim: &JobClaim, now_ms: i64) -> Result<bool, StoreError>;

    /// The files of a job, in upload order.
    async fn files(&self, job: i64) -> Result<Vec<JobFile>, StoreError>;

    /// One chunk of a job's file.
    async fn chunk(&self, job: i64, file_no: i64, chunk_no: i64) -> Result<Vec<u8>, StoreError>;

    /// One of `athlete`'s jobs: another athlete's is not found, as a missing one is.
    async fn job(&self, athlete: AthleteId, id: i64) -> Result<Option<JobRow>, StoreError>;

    /// Any job, by id (for operators and tests).
    async fn any_job(&self, id: i64) -> Result<Option<JobRow>, StoreError>;

    /// `athlete`'s latest jobs, newest first, at most `limit`.
    async fn athlete_jobs(&self, athlete: AthleteId, limit: i64)
    -> Result<Vec<JobRow>, StoreError>;

    /// Jobs queued and running.
    async fn depth(&self) -> Result<JobDepth, StoreError>;

    /// Removes jobs still receiving since before `before_ms` (their upload broke off with
    /// the process that took it), answering how many.
    async fn purge_abandoned(&self, before_ms: i64) -> Result<u64, StoreError>;
}
