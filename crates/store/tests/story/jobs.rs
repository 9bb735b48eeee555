//! The story of [`Jobs`]: an upload's bytes kept in chunks until its job ends, claims that
//! exactly one worker wins, a lease that runs out is taken over and the first worker can
//! then change nothing, bounded attempts, giving a job back, the queue's depth, and one
//! athlete never seeing another's job.

use soleus_store::Database;
use soleus_store::jobs::{CHUNK_BYTES, JobDepth, JobKind, JobProgress, JobState};

use crate::pg::on_fresh_postgres;

const LEASE: i64 = 60_000;

pub async fn story_jobs(db: &dyn Database) {
    let jobs = db.jobs();
    let ana = db.local_athlete().await.unwrap();
    let ben = db.add_athlete("Ben", None, None).await.unwrap();

    // An upload arrives: receiving, so nobody claims it yet, and it is not in the queue.
    let id = jobs
        .enqueue(
            Some(ana),
            JobKind::Import,
            r#"{"uploaded":["a.fit","b.zip"]}"#,
            3,
            true,
            1_000,
        )
        .await
        .unwrap();
    let big: Vec<u8> = (0..CHUNK_BYTES + 10).map(|i| (i % 251) as u8).collect();
    jobs.add_chunk(id, 1, 0, "a.fit", &big[..CHUNK_BYTES])
        .await
        .unwrap();
    jobs.add_chunk(id, 1, 1, "a.fit", &big[CHUNK_BYTES..])
        .await
        .unwrap();
    jobs.add_chunk(id, 2, 0, "b.zip", b"PK").await.unwrap();
    assert!(
        jobs.add_chunk(id, 2, 1, "b.zip", &vec![0; CHUNK_BYTES + 1])
            .await
            .is_err(),
        "a chunk is at most CHUNK_BYTES"
    );
    assert!(jobs.claim("w1", 2_000, LEASE).await.unwrap().is_none());
    assert_eq!(jobs.depth().await.unwrap(), JobDepth::default());
    assert!(
        jobs.ready(id, r#"{"uploaded":["a.fit","b.zip"]}"#, 2_000)
            .await
            .unwrap()
    );
    assert!(
        !jobs
            .ready(id, r#"{"uploaded":["a.fit","b.zip"]}"#, 2_000)
            .await
            .unwrap(),
        "queued once"
    );
    assert!(
        jobs.add_chunk(id, 3, 0, "c.fit", b"x").await.is_err(),
        "a queued job takes no more files"
    );
    assert_eq!(
        jobs.depth().await.unwrap(),
        JobDepth {
            queued: 1,
            running: 0
        }
    );

    // Only Ana sees it; to Ben it is not there, as a missing job is not.
    assert!(jobs.job(ana, id).await.unwrap().is_some());
    assert_eq!(jobs.job(ben, id).await.unwrap(), None);
    assert_eq!(jobs.job(ben, id + 1000).await.unwrap(), None);
    assert!(jobs.athlete_jobs(ben, 10).await.unwrap().is_empty());
    assert_eq!(jobs.athlete_jobs(ana, 10).await.unwrap().len(), 1);

    // Two workers ask at once: exactly one gets it.
    let jobs2 = db.jobs();
    let (x, y) = tokio::join!(
        jobs.claim("w1", 3_000, LEASE),
        jobs2.claim("w2", 3_000, LEASE)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert!(x.is_some() != y.is_some(), "exactly one wins: {x:?} {y:?}");
    let (row, first) = x.or(y).unwrap();
    assert_eq!(
        (row.id, row.state, row.attempts),
        (id, JobState::Running, 1)
    );
    assert_eq!(row.started_ms, Some(3_000));
    let other = if first.worker == "w1" { "w2" } else { "w1" };

    // Its files read back whole, in order.
    let files = jobs.files(id).await.unwrap();
    assert_eq!(
        files
            .iter()
            .map(|f| (f.file_no, f.name.as_str(), f.chunks))
            .collect::<Vec<_>>(),
        [(1, "a.fit", 2), (2, "b.zip", 1)]
    );
    let mut back = jobs.chunk(id, 1, 0).await.unwrap();
    back.extend(jobs.chunk(id, 1, 1).await.unwrap());
    assert_eq!(back, big);

    // Within the lease nobody else takes it; the worker renews and reports progress.
    assert!(
        jobs.claim(other, 3_000 + LEASE - 1, LEASE)
            .await
            .unwrap()
            .is_none()
    );
    let p = JobProgress {
        files_total: Some(2),
        files_done: 1,
        bytes_total: Some(big.len() as i64 + 2),
        bytes_done: big.len() as i64,
        current_file: Some("b.zip".into()),
    };
    assert!(jobs.progress(&first, &p, 10_000, LEASE).await.unwrap());
    let seen = jobs.job(ana, id).await.unwrap().unwrap();
    assert_eq!(
        (
            seen.files_done,
            seen.files_total,
            seen.current_file.as_deref()
        ),
        (1, Some(2), Some("b.zip"))
    );
    assert_eq!(seen.lease_until_ms, Some(10_000 + LEASE));
    assert!(jobs.renew(&first, 20_000, LEASE).await.unwrap());
    assert_eq!(
        jobs.depth().await.unwrap(),
        JobDepth {
            queued: 0,
            running: 1
        }
    );

    // The worker stops answering: once its lease ran out another takes the job over, and
    // the first can then neither renew, report, finish, fail nor give it back.
    let expired = 20_000 + LEASE;
    assert!(
        jobs.claim(other, expired - 1, LEASE)
            .await
            .unwrap()
            .is_none()
    );
    let (again, second) = jobs
        .claim(other, expired, LEASE)
        .await
        .unwrap()
        .expect("taken over");
    assert_eq!((again.id, again.attempts), (id, 2));
    assert_eq!(again.claimed_by.as_deref(), Some(other));
    assert_eq!(again.files_done, 1, "the progress so far is kept");
    assert_eq!(
        again.started_ms,
        Some(3_000),
        "first started when first claimed"
    );
    assert!(!jobs.renew(&first, expired + 1, LEASE).await.unwrap());
    assert!(!jobs.progress(&first, &p, expired + 1, LEASE).await.unwrap());
    assert!(!jobs.finish(&first, "{}", expired + 1).await.unwrap());
    assert!(!jobs.fail(&first, "late", expired + 1).await.unwrap());
    assert!(!jobs.release(&first, expired + 1).await.unwrap());
    let still = jobs.job(ana, id).await.unwrap().unwrap();
    assert_eq!((still.state, still.report), (JobState::Running, None));

    // The second worker finishes it: done with its report, and the bytes are gone.
    assert!(
        jobs.finish(&second, r#"{"imported":2}"#, expired + 5)
            .await
            .unwrap()
    );
    let done = jobs.job(ana, id).await.unwrap().unwrap();
    assert_eq!(
        (done.state, done.report.as_deref(), done.finished_ms),
        (JobState::Done, Some(r#"{"imported":2}"#), Some(expired + 5))
    );
    assert!(jobs.files(id).await.unwrap().is_empty());
    assert!(jobs.chunk(id, 1, 0).await.is_err());
    assert!(
        !jobs.finish(&second, "{}", expired + 6).await.unwrap(),
        "ends once"
    );
    assert!(
        jobs.claim("w3", expired + 10 * LEASE, LEASE)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(jobs.depth().await.unwrap(), JobDepth::default());

    // Bounded attempts: a job whose every worker dies fails once none is left.
    let t = 1_000_000;
    let doomed = jobs
        .enqueue(Some(ben), JobKind::Reparse, "{}", 2, false, t)
        .await
        .unwrap();
    let (_, c1) = jobs.claim("w1", t, LEASE).await.unwrap().unwrap();
    assert_eq!(c1.id, doomed);
    let (_, c2) = jobs.claim("w2", t + LEASE, LEASE).await.unwrap().unwrap();
    assert_eq!((c2.id, c2.attempt), (doomed, 2));
    assert!(
        jobs.claim("w3", t + 2 * LEASE, LEASE)
            .await
            .unwrap()
            .is_none()
    );
    let failed = jobs.job(ben, doomed).await.unwrap().unwrap();
    assert_eq!((failed.state, failed.attempts), (JobState::Failed, 2));
    assert!(failed.error.unwrap().contains("stopped 2 times"));
    assert!(!jobs.finish(&c2, "{}", t + 2 * LEASE + 1).await.unwrap());

    // A worker stopping gives its job back: queued again, the attempt not counted, and the
    // next claim is a new one that the old claim cannot touch.
    let t = 2_000_000;
    let back = jobs
        .enqueue(Some(ben), JobKind::Reparse, "{}", 1, false, t)
        .await
        .unwrap();
    let (_, c) = jobs.claim("w1", t, LEASE).await.unwrap().unwrap();
    assert!(jobs.release(&c, t + 1).await.unwrap());
    let queued = jobs.job(ben, back).await.unwrap().unwrap();
    assert_eq!((queued.state, queued.attempts), (JobState::Queued, 0));
    let (_, c2) = jobs.claim("w2", t + 2, LEASE).await.unwrap().unwrap();
    assert_eq!(c2.attempt, 1);
    assert!(
        jobs.fail(&c2, "the files could not be read", t + 3)
            .await
            .unwrap()
    );
    let f = jobs.job(ben, back).await.unwrap().unwrap();
    assert_eq!(
        (f.state, f.error.as_deref()),
        (JobState::Failed, Some("the files could not be read"))
    );

    // An upload that broke off is discarded; one abandoned with its process is purged.
    let broken = jobs
        .enqueue(Some(ana), JobKind::Import, "{}", 3, true, t)
        .await
        .unwrap();
    jobs.add_chunk(broken, 1, 0, "x.fit", b"abc").await.unwrap();
    jobs.discard(broken).await.unwrap();
    assert_eq!(jobs.job(ana, broken).await.unwrap(), None);
    assert!(jobs.files(broken).await.unwrap().is_empty());
    let abandoned = jobs
        .enqueue(Some(ana), JobKind::Import, "{}", 3, true, t)
        .await
        .unwrap();
    assert_eq!(jobs.purge_abandoned(0).await.unwrap(), 0, "not old enough");
    assert_eq!(jobs.purge_abandoned(i64::MAX).await.unwrap(), 1);
    assert_eq!(jobs.any_job(abandoned).await.unwrap(), None);

    // Erasing an athlete removes their jobs and their jobs' files.
    let left = jobs
        .enqueue(Some(ben), JobKind::Import, "{}", 3, true, t)
        .await
        .unwrap();
    jobs.add_chunk(left, 1, 0, "y.fit", b"abc").await.unwrap();
    db.delete_athlete(ben).await.unwrap();
    for j in [doomed, back, left] {
        assert_eq!(jobs.any_job(j).await.unwrap(), None, "job {j} erased");
    }
    assert!(jobs.files(left).await.unwrap().is_empty());
    assert!(
        jobs.job(ana, id).await.unwrap().is_some(),
        "Ana's job stays"
    );
}

/// Many workers, each with its own connections, claim at once from many jobs: every job is
/// claimed exactly once.
async fn concurrent_claims(url: &str) {
    const JOBS: usize = 40;
    const WORKERS: usize = 6;
    let first = soleus_store::connect(url).await.unwrap();
    let athlete = first.local_athlete().await.unwrap();
    let now = 5_000_000;
    for _ in 0..JOBS {
        first
            .jobs()
            .enqueue(Some(athlete), JobKind::Reparse, "{}", 3, false, now)
            .await
            .unwrap();
    }
    let mut tasks = Vec::new();
    for w in 0..WORKERS {
        let url = url.to_owned();
        tasks.push(tokio::spawn(async move {
            let db = soleus_store::connect(&url).await.unwrap();
            let jobs = db.jobs();
            let mut mine = Vec::new();
            while let Some((row, claim)) = jobs.claim(&format!("w{w}"), now, LEASE).await.unwrap() {
                assert_eq!(row.attempts, 1, "a job is claimed once");
                mine.push(row.id);
                // Hold it a moment, as a worker would, so the others run past it.
                tokio::task::yield_now().await;
                assert!(jobs.finish(&claim, "{}", now + 1).await.unwrap());
            }
            db.close().await;
            mine
        }));
    }
    let mut all = Vec::new();
    let mut busy = 0;
    for t in tasks {
        let mine = t.await.unwrap();
        busy += usize::from(!mine.is_empty());
        all.extend(mine);
    }
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!((n, all.len()), (JOBS, JOBS), "every job exactly once");
    assert!(busy > 1, "the claims really ran side by side");
    first.close().await;
}

#[tokio::test]
async fn sqlite_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/soleus.db", dir.path().display());
    let db = soleus_store::connect(&url).await.unwrap();
    story_jobs(db.as_ref()).await;
    db.close().await;
    let url = format!("sqlite://{}/claims.db", dir.path().display());
    concurrent_claims(&url).await;
}

#[tokio::test]
async fn postgres_jobs() {
    on_fresh_postgres("jobs", |url| async move {
        let db = soleus_store::connect(&url).await.unwrap();
        story_jobs(db.as_ref()).await;
        db.close().await;
    })
    .await;
}

/// PostgreSQL's claims skip rows another claim holds locked: while one transaction holds a
/// job's row, a claim passes over it to the next job instead of waiting.
#[tokio::test]
async fn postgres_claims_skip_locked_rows_and_never_share_a_job() {
    on_fresh_postgres("jobs_skip", |url| async move {
        use sqlx::Connection;
        let db = soleus_store::connect(&url).await.unwrap();
        let jobs = db.jobs();
        let a = jobs
            .enqueue(None, JobKind::Reparse, "{}", 3, false, 1)
            .await
            .unwrap();
        let b = jobs
            .enqueue(None, JobKind::Reparse, "{}", 3, false, 1)
            .await
            .unwrap();
        let mut other = sqlx::PgConnection::connect(&url).await.unwrap();
        let mut held = other.begin().await.unwrap();
        sqlx::query("SELECT id FROM jobs WHERE id = $1 FOR UPDATE")
            .bind(a)
            .execute(&mut *held)
            .await
            .unwrap();
        let claimed = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            jobs.claim("w1", 2, LEASE),
        )
        .await
        .expect("a claim does not wait on a locked row")
        .unwrap()
        .unwrap();
        assert_eq!(claimed.0.id, b, "the locked job is passed over");
        held.commit().await.unwrap();
        let (next, c) = jobs.claim("w2", 3, LEASE).await.unwrap().unwrap();
        assert_eq!(next.id, a);
        assert!(jobs.finish(&claimed.1, "{}", 4).await.unwrap());
        assert!(jobs.finish(&c, "{}", 4).await.unwrap());
        db.close().await;
        concurrent_claims(&url).await;
    })
    .await;
}
