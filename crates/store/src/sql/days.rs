//! An athlete's days and roster facts (migration 0013): written together in one transaction,
//! read for one athlete or for everyone shared with a user.

use chrono::NaiveDate;

use super::{Backend, SqlDatabase, SqlStore};
use crate::days::{DayRow, FactsWrite, HeldFacts, Revisions, StoredFacts};
use crate::{AthleteId, StoreError, UserId};

pub(super) async fn revisions<DB: Backend>(s: &SqlStore<DB>) -> Result<Revisions, StoreError> {
    Ok(
        s.sql("SELECT load_revision, journal_revision FROM athletes WHERE id = $1")
            .optional::<(i64, i64)>(&mut *s.conn().await?)
            .await?
            .map(|(load, journal)| Revisions { load, journal })
            .unwrap_or_default(),
    )
}

pub(super) async fn put<DB: Backend>(
    s: &SqlStore<DB>,
    facts: &FactsWrite<'_>,
    days: &[DayRow],
) -> Result<(), StoreError> {
    let mut tx = s.begin_write().await?;
    // A computation that began before the stored one's lost the race: it keeps nothing.
    s.sql(
        "INSERT INTO athlete_facts \
         (athlete_id, load_revision, journal_revision, started_ms, valid_until_ms, facts) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (athlete_id) DO UPDATE SET load_revision = excluded.load_revision, \
         journal_revision = excluded.journal_revision, started_ms = excluded.started_ms, valid_until_ms = excluded.valid_until_ms, \
         facts = excluded.facts WHERE athlete_facts.started_ms <= excluded.started_ms",
    )
    .bind(facts.revisions.load)
    .bind(facts.revisions.journal)
    .bind(facts.started_ms)
    .bind(facts.valid_until_ms)
    .bind(facts.facts)
    .execute(&mut *tx)
    .await?;
    for d in days {
        s.sql(
            "INSERT INTO athlete_days (athlete_id, day, distance_m, runs, load, acwr, warnings) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (athlete_id, day) DO UPDATE SET distance_m = excluded.distance_m, \
             runs = excluded.runs, load = excluded.load, acwr = excluded.acwr, \
             warnings = COALESCE(excluded.warnings, athlete_days.warnings)",
        )
        .bind(d.day.to_string())
        .bind(d.distance_m)
        .bind(i64::from(d.runs))
        .bind(d.load)
        .bind(d.acwr)
        .bind(d.warnings.as_deref())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An `athlete_days` row.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct DayDb {
    day: String,
    distance_m: f64,
    runs: i64,
    load: f64,
    acwr: Option<f64>,
    warnings: Option<String>,
}

pub(super) async fn days<DB: Backend>(
    s: &SqlStore<DB>,
    from: NaiveDate,
) -> Result<Vec<DayRow>, StoreError> {
    s.sql(
        "SELECT day, distance_m, runs, load, acwr, warnings FROM athlete_days \
         WHERE athlete_id = $1 AND day >= $2 ORDER BY day",
    )
    .bind(from.to_string())
    .all::<DayDb>(&mut *s.conn().await?)
    .await?
    .into_iter()
    .map(|r| {
        Ok(DayRow {
            day: r
                .day
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("athlete_days.day {:?}", r.day)))?,
            distance_m: r.distance_m,
            runs: u32::try_from(r.runs).unwrap_or_default(),
            load: r.load,
            acwr: r.acwr,
            warnings: r.warnings,
        })
    })
    .collect()
}

/// An athlete shared with a user, with their stored facts.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct HeldDb {
    athlete_id: AthleteId,
    load_revision: i64,
    journal_revision: i64,
    facts_load: Option<i64>,
    facts_journal: Option<i64>,
    valid_until_ms: Option<i64>,
    facts: Option<String>,
}

/// The columns of an athlete with their stored facts, over `athletes a` and `athlete_facts f`.
const HELD_COLUMNS: &str = "a.id AS athlete_id, a.load_revision, a.journal_revision, \
    f.load_revision AS facts_load, f.journal_revision AS facts_journal, \
    f.valid_until_ms, f.facts";

impl From<HeldDb> for HeldFacts {
    fn from(r: HeldDb) -> HeldFacts {
        HeldFacts {
            athlete: r.athlete_id,
            revisions: Revisions {
                load: r.load_revision,
                journal: r.journal_revision,
            },
            stored: match (r.facts_load, r.facts_journal, r.valid_until_ms, r.facts) {
                (Some(load), Some(journal), Some(valid_until_ms), Some(facts)) => {
                    Some(StoredFacts {
                        revisions: Revisions { load, journal },
                        valid_until_ms,
                        facts,
                    })
                }
                _ => None,
            },
        }
    }
}

pub(super) async fn held<DB: Backend>(
    db: &SqlDatabase<DB>,
    user: UserId,
) -> Result<Vec<HeldFacts>, StoreError> {
    let sql = format!(
        "SELECT {HELD_COLUMNS} FROM grants g JOIN athletes a ON a.id = g.athlete_id \
         LEFT JOIN athlete_facts f ON f.athlete_id = a.id \
         WHERE g.user_id = $1 AND g.revoked_ms IS NULL ORDER BY a.id"
    );
    Ok(db
        .sql(&sql)
        .bind(user)
        .all::<HeldDb>(&mut *db.pool.acquire().await?)
        .await?
        .into_iter()
        .map(HeldFacts::from)
        .collect())
}

pub(super) async fn facts<DB: Backend>(s: &SqlStore<DB>) -> Result<HeldFacts, StoreError> {
    let sql = format!(
        "SELECT {HELD_COLUMNS} FROM athletes a \
         LEFT JOIN athlete_facts f ON f.athlete_id = a.id WHERE a.id = $1"
    );
    s.sql(&sql)
        .optional::<HeldDb>(&mut *s.conn().await?)
        .await?
        .map(HeldFacts::from)
        .ok_or(StoreError::NotFound {
            what: "athlete",
            id: s.athlete.0,
        })
}

pub(super) async fn stale<DB: Backend>(
    db: &SqlDatabase<DB>,
    now_ms: i64,
    limit: i64,
) -> Result<Vec<AthleteId>, StoreError> {
    Ok(db
        .sql(
            "SELECT a.id FROM athletes a LEFT JOIN athlete_facts f ON f.athlete_id = a.id \
             WHERE EXISTS (SELECT 1 FROM grants g \
                           WHERE g.athlete_id = a.id AND g.revoked_ms IS NULL) \
             AND (f.athlete_id IS NULL OR f.valid_until_ms <= $1 \
                  OR f.load_revision <> a.load_revision \
                  OR f.journal_revision <> a.journal_revision) \
             ORDER BY a.id LIMIT $2",
        )
        .bind(now_ms)
        .bind(limit)
        .all::<(AthleteId,)>(&mut *db.pool.acquire().await?)
        .await?
        .into_iter()
        .map(|(a,)| a)
        .collect())
}
