//! [`Jobs`] for [`SqlDatabase`], in the SQL both backends speak. Every change a worker makes
//! is one statement whose `WHERE` names its claim (worker and attempt) and the state it may
//! leave, so a worker whose job was taken over changes nothing.

use super::{Backend, SqlDatabase};
use crate::jobs::{
    CHUNK_BYTES, JobClaim, JobDepth, JobFile, JobKind, JobProgress, JobRow, JobState, Jobs,
};
use crate::{AthleteId, StoreError};

/// The job columns.
const JOB_COLUMNS: &str = "id, athlete_id, kind, payload, state, attempts, max_attempts, \
    claimed_by, lease_until_ms, files_total, files_done, bytes_total, bytes_done, current_file, \
    report, error, created_ms, started_ms, updated_ms, finished_ms";

/// A `jobs` row as stored.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct JobDb {
    id: i64,
    athlete_id: Option<i64>,
    kind: String,
    payload: String,
    state: String,
    attempts: i64,
    max_attempts: i64,
    claimed_by: Option<String>,
    lease_until_ms: Option<i64>,
    files_total: Option<i64>,
    files_done: i64,
    bytes_total: Option<i64>,
    bytes_done: i64,
    current_file: Option<String>,
    report: Option<String>,
    error: Option<String>,
    created_ms: i64,
    started_ms: Option<i64>,
    updated_ms: i64,
    finished_ms: Option<i64>,
}

impl TryFrom<JobDb> for JobRow {
    type Error = StoreError;

    fn try_from(r: JobDb) -> Result<JobRow, StoreError> {
        Ok(JobRow {
            id: r.id,
            athlete: r.athlete_id.map(AthleteId),
            kind: JobKind::parse(&r.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown job kind {:?}", r.kind)))?,
            state: JobState::parse(&r.state)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown job state {:?}", r.state)))?,
            payload: r.payload,
            attempts: r.attempts,
            max_attempts: r.max_attempts,
            claimed_by: r.claimed_by,
            lease_until_ms: r.lease_until_ms,
            files_total: r.files_total,
            files_done: r.files_done,
            bytes_total: r.bytes_total,
            bytes_done: r.bytes_done,
            current_file: r.current_file,
            report: r.report,
            error: r.error,
            created_ms: r.created_ms,
            started_ms: r.started_ms,
            updated_ms: r.updated_ms,
            finished_ms: r.finished_ms,
        })
    }
}

/// The `WHERE` of a change guarded by a claim: `$1` the job, `$2` the worker, `$3` the attempt.
const CLAIMED: &str = "id = $1 AND claimed_by = $2 AND attempts = $3 AND state = 'running'";

impl<DB: Backend> SqlDatabase<DB> {
    /// Ends a claimed job (`done` or `failed`) and removes its files, in one transaction.
    async fn end_job(
        &self,
        claim: &JobClaim,
        state: JobState,
        report: Option<&str>,
        error: Option<&str>,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let sql = format!(
            "UPDATE jobs SET state = $4, report = $5, error = $6, finished_ms = $7, \
             updated_ms = $7, lease_until_ms = NULL, current_file = NULL WHERE {CLAIMED}"
        );
        let changed = self
            .sql(&sql)
            .bind(claim.id)
            .bind(claim.worker.as_str())
            .bind(claim.attempt)
            .bind(state.as_str())
            .bind(report)
            .bind(error)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        if changed != 1 {
            return Ok(false);
        }
        self.sql("DELETE FROM job_files WHERE job_id = $1")
            .bind(claim.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}

#[async_trait::async_trait]
impl<DB: Backend> Jobs for SqlDatabase<DB> {
    async fn enqueue(
        &self,
        athlete: Option<AthleteId>,
        kind: JobKind,
        payload: &str,
        max_attempts: i64,
        receiving: bool,
        now_ms: i64,
    ) -> Result<i64, StoreError> {
        if max_attempts < 1 {
            return Err(StoreError::Invalid(
                "a job needs at least one attempt".into(),
            ));
        }
        let state = if receiving {
            JobState::Receiving
        } else {
            JobState::Queued
        };
        Ok(self
            .sql(
                "INSERT INTO jobs (athlete_id, kind, payload, state, max_attempts, run_after_ms, \
                 created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $6, $6) RETURNING id",
            )
            .bind(athlete)
            .bind(kind.as_str())
            .bind(payload)
            .bind(state.as_str())
            .bind(max_attempts)
            .bind(now_ms)
            .one::<(i64,)>(&mut *self.pool.acquire().await?)
            .await?
            .0)
    }

    async fn add_chunk(
        &self,
        job: i64,
        file_no: i64,
        chunk_no: i64,
        name: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        if bytes.len() > CHUNK_BYTES {
            return Err(StoreError::Invalid(format!(
                "a job's chunk holds at most {CHUNK_BYTES} bytes"
            )));
        }
        let mut conn = self.pool.acquire().await?;
        // Arriving bytes keep a slow upload from being taken for an abandoned one.
        self.sql("UPDATE jobs SET updated_ms = $2 WHERE id = $1 AND state = 'receiving'")
            .bind(job)
            .bind(crate::prepare::now_ms())
            .execute(&mut conn)
            .await?;
        let added = self
            .sql(
                "INSERT INTO job_files (job_id, file_no, chunk_no, name, bytes) \
                 SELECT id, $2, $3, $4, $5 FROM jobs WHERE id = $1 AND state = 'receiving'",
            )
            .bind(job)
            .bind(file_no)
            .bind(chunk_no)
            .bind(name)
            .bind(bytes)
            .execute(&mut conn)
            .await?;
        if added != 1 {
            return Err(StoreError::Invalid(format!(
                "job {job} is not receiving files"
            )));
        }
        Ok(())
    }

    async fn ready(&self, job: i64, payload: &str, now_ms: i64) -> Result<bool, StoreError> {
        let changed = self
            .sql(
                "UPDATE jobs SET state = 'queued', payload = $3, run_after_ms = $2, \
                 updated_ms = $2 WHERE id = $1 AND state = 'receiving'",
            )
            .bind(job)
            .bind(now_ms)
            .bind(payload)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn discard(&self, job: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let gone = self
            .sql("DELETE FROM jobs WHERE id = $1 AND state = 'receiving'")
            .bind(job)
            .execute(&mut *tx)
            .await?;
        if gone == 1 {
            // The foreign key cascades on PostgreSQL; SQLite enforces it only with its pragma.
            self.sql("DELETE FROM job_files WHERE job_id = $1")
                .bind(job)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn claim(
        &self,
        worker: &str,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<Option<(JobRow, JobClaim)>, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        // Jobs whose last attempt ran out of its lease with none left: they fail here, once.
        let spent = format!(
            "UPDATE jobs SET state = 'failed', error = 'the job stopped ' || attempts || \
             ' times before it ended (its worker was stopped or crashed each time)', \
             finished_ms = $1, updated_ms = $1, lease_until_ms = NULL \
             WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_until_ms <= $1 \
             AND attempts >= max_attempts{}) RETURNING id",
            DB::SKIP_LOCKED
        );
        let failed: Vec<(i64,)> = self.sql(&spent).bind(now_ms).all(&mut *tx).await?;
        for (id,) in failed {
            self.sql("DELETE FROM job_files WHERE job_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let take = format!(
            "UPDATE jobs SET state = 'running', claimed_by = $2, lease_until_ms = $3, \
             attempts = attempts + 1, started_ms = COALESCE(started_ms, $1), updated_ms = $1 \
             WHERE id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_after_ms <= $1) \
               OR (state = 'running' AND lease_until_ms <= $1 AND attempts < max_attempts) \
               ORDER BY id LIMIT 1{}) \
             RETURNING {JOB_COLUMNS}",
            DB::SKIP_LOCKED
        );
        let row = self
            .sql(&take)
            .bind(now_ms)
            .bind(worker)
            .bind(now_ms + lease_ms)
            .optional::<JobDb>(&mut *tx)
            .await?;
        tx.commit().await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let row = JobRow::try_from(row)?;
        let claim = JobClaim {
            id: row.id,
            worker: worker.to_owned(),
            attempt: row.attempts,
        };
        Ok(Some((row, claim)))
    }

    async fn renew(
        &self,
        claim: &JobClaim,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!("UPDATE jobs SET lease_until_ms = $4, updated_ms = $5 WHERE {CLAIMED}");
        let changed = self
            .sql(&sql)
            .bind(claim.id)
            .bind(claim.worker.as_str())
            .bind(claim.attempt)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn progress(
        &self,
        claim: &JobClaim,
        p: &JobProgress,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE jobs SET lease_until_ms = $4, updated_ms = $5, files_total = $6, \
             files_done = $7, bytes_total = $8, bytes_done = $9, current_file = $10 \
             WHERE {CLAIMED}"
        );
        let changed = self
            .sql(&sql)
            .bind(claim.id)
            .bind(claim.worker.as_str())
            .bind(claim.attempt)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .bind(p.files_total)
            .bind(p.files_done)
            .bind(p.bytes_total)
            .bind(p.bytes_done)
            .bind(p.current_file.as_deref())
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn finish(
        &self,
        claim: &JobClaim,
        report: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        self.end_job(claim, JobState::Done, Some(report), None, now_ms)
            .await
    }

    async fn fail(&self, claim: &JobClaim, error: &str, now_ms: i64) -> Result<bool, StoreError> {
        self.end_job(claim, JobState::Failed, None, Some(error), now_ms)
            .await
    }

    async fn release(&self, claim: &JobClaim, now_ms: i64) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE jobs SET state = 'queued', claimed_by = NULL, lease_until_ms = NULL, \
             attempts = attempts - 1, run_after_ms = $4, updated_ms = $4 WHERE {CLAIMED}"
        );
        let changed = self
            .sql(&sql)
            .bind(claim.id)
            .bind(claim.worker.as_str())
            .bind(claim.attempt)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(changed == 1)
    }

    async fn files(&self, job: i64) -> Result<Vec<JobFile>, StoreError> {
        let rows: Vec<(i64, String, i64)> = self
            .sql(
                "SELECT file_no, MIN(name), COUNT(*) FROM job_files WHERE job_id = $1 \
                 GROUP BY file_no ORDER BY file_no",
            )
            .bind(job)
            .all(&mut *self.pool.acquire().await?)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(file_no, name, chunks)| JobFile {
                file_no,
                name,
                chunks,
            })
            .collect())
    }

    async fn chunk(&self, job: i64, file_no: i64, chunk_no: i64) -> Result<Vec<u8>, StoreError> {
        self.sql("SELECT bytes FROM job_files WHERE job_id = $1 AND file_no = $2 AND chunk_no = $3")
            .bind(job)
            .bind(file_no)
            .bind(chunk_no)
            .scalar::<Vec<u8>>(&mut *self.pool.acquire().await?)
            .await?
            .ok_or(StoreError::NotFound {
                what: "job file chunk",
                id: job,
            })
    }

    async fn job(&self, athlete: AthleteId, id: i64) -> Result<Option<JobRow>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1 AND athlete_id = $2");
        self.sql(&sql)
            .bind(id)
            .bind(athlete)
            .optional::<JobDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(JobRow::try_from)
            .transpose()
    }

    async fn any_job(&self, id: i64) -> Result<Option<JobRow>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        self.sql(&sql)
            .bind(id)
            .optional::<JobDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(JobRow::try_from)
            .transpose()
    }

    async fn athlete_jobs(
        &self,
        athlete: AthleteId,
        limit: i64,
    ) -> Result<Vec<JobRow>, StoreError> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE athlete_id = $1 AND state <> 'receiving' \
             ORDER BY id DESC LIMIT $2"
        );
        self.sql(&sql)
            .bind(athlete)
            .bind(limit)
            .all::<JobDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(JobRow::try_from)
            .collect()
    }

    async fn depth(&self) -> Result<JobDepth, StoreError> {
        let rows: Vec<(String, i64)> = self
            .sql(
                "SELECT state, COUNT(*) FROM jobs WHERE state IN ('queued', 'running') \
                 GROUP BY state",
            )
            .all(&mut *self.pool.acquire().await?)
            .await?;
        let mut depth = JobDepth::default();
        for (state, n) in rows {
            match state.as_str() {
                "queued" => depth.queued = n,
                _ => depth.running = n,
            }
        }
        Ok(depth)
    }

    async fn purge_abandoned(&self, before_ms: i64) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        self.sql(
            "DELETE FROM job_files WHERE job_id IN \
             (SELECT id FROM jobs WHERE state = 'receiving' AND updated_ms < $1)",
        )
        .bind(before_ms)
        .execute(&mut *tx)
        .await?;
        let gone = self
            .sql("DELETE FROM jobs WHERE state = 'receiving' AND updated_ms < $1")
            .bind(before_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(gone)
    }
}
