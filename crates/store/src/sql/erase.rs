//! [`Database::delete_athlete`](crate::Database::delete_athlete): the right to erasure.

use super::{Backend, SqlDatabase};
use crate::prepare::now_ms;
use crate::{AthleteId, Erased, StoreError, UserId};

/// The tables holding an athlete's rows by `athlete_id`, children before parents.
const ATHLETE_TABLES: &[&str] = &[
    "athlete_days",
    "athlete_facts",
    "notifications",
    "comments",
    "activity_edits",
    "activity_load",
    "laps",
    "activities",
    "files",
    "shoes",
    "settings",
    "journal",
    "grants",
    "share_invitations",
    "audit_log",
    "jobs",
];

/// The database's first athlete, which every database has.
const FIRST: AthleteId = AthleteId(1);

pub(super) async fn delete_athlete<DB: Backend>(
    db: &SqlDatabase<DB>,
    id: AthleteId,
) -> Result<Erased, StoreError> {
    let mut tx = db.pool.begin_with(DB::BEGIN_WRITE).await?;
    let found = db
        .sql("SELECT user_id FROM athletes WHERE id = $1")
        .bind(id)
        .optional::<(Option<i64>,)>(&mut *tx)
        .await?;
    let Some((user,)) = found else {
        return Err(StoreError::NotFound {
            what: "athlete",
            id: id.0,
        });
    };
    if let Some((on, _)) = DB::SECURE_DELETE {
        db.sql(on).execute(&mut *tx).await?;
    }
    let mut rows = 0u64;
    // Files that duplicate an activity of this athlete's are theirs too; the link goes first
    // so the activities can go.
    db.sql("UPDATE files SET duplicate_of = NULL WHERE athlete_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // An upload's bytes wait in job_files until its job ends: they go with the jobs.
    rows += db
        .sql("DELETE FROM job_files WHERE job_id IN (SELECT id FROM jobs WHERE athlete_id = $1)")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // Replies first would need an order; a deleted thread goes in one statement, whose
    // constraints are checked when it ends.
    for table in ATHLETE_TABLES {
        rows += db
            .sql(&format!("DELETE FROM {table} WHERE athlete_id = $1"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let recipient = format!("athlete:{}", id.0);
    for table in ["digests", "mail_preferences"] {
        rows += db
            .sql(&format!("DELETE FROM {table} WHERE recipient = $1"))
            .bind(recipient.as_str())
            .execute(&mut *tx)
            .await?;
    }
    let mut account_erased = false;
    let mut account_kept = false;
    if let Some(user) = user.map(UserId) {
        let role = db
            .sql("SELECT role FROM users WHERE id = $1")
            .bind(user)
            .optional::<(String,)>(&mut *tx)
            .await?;
        db.sql("UPDATE athletes SET user_id = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if role.as_ref().is_some_and(|(r,)| r == "athlete") {
            rows += erase_user(db, &mut tx, user).await?;
            account_erased = true;
        } else {
            account_kept = true;
        }
    }
    rows += db
        .sql("DELETE FROM athletes WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if id == FIRST {
        db.sql("INSERT INTO athletes (id, name, created_ms) VALUES ($1, NULL, $2)")
            .bind(FIRST)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
    }
    // What happened stays in the audit log, without anything of the athlete's.
    db.sql(
        "INSERT INTO audit_log (at_ms, user_id, athlete_id, action, detail, address) \
         VALUES ($1, NULL, NULL, 'athlete_erased', $2, NULL)",
    )
    .bind(now_ms())
    .bind(format!("athlete {} erased ({rows} rows)", id.0))
    .execute(&mut *tx)
    .await?;
    if let Some((_, off)) = DB::SECURE_DELETE {
        db.sql(off).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(Erased {
        rows,
        account_erased,
        account_kept,
    })
}

/// Erases an athlete's own sign-in account: sessions, reset links, throttle rows, mail
/// waiting for them; comments they wrote on others' data stay as "deleted" without a name.
async fn erase_user<DB: Backend>(
    db: &SqlDatabase<DB>,
    tx: &mut super::Tx<DB>,
    user: UserId,
) -> Result<u64, StoreError> {
    let email = db
        .sql("SELECT email FROM users WHERE id = $1")
        .bind(user)
        .one::<(String,)>(&mut **tx)
        .await?
        .0;
    let mut rows = 0;
    for sql in [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM password_resets WHERE user_id = $1",
        "DELETE FROM notifications WHERE user_id = $1",
        "DELETE FROM notification_settings WHERE user_id = $1",
        "DELETE FROM user_profiles WHERE user_id = $1",
        "UPDATE user_profiles SET verified_ms = NULL, verified_by = NULL WHERE verified_by = $1",
        "DELETE FROM grants WHERE user_id = $1",
        "UPDATE audit_log SET user_id = NULL WHERE user_id = $1",
        "UPDATE share_invitations SET used_by = NULL WHERE used_by = $1",
    ] {
        rows += db.sql(sql).bind(user).execute(&mut **tx).await?;
    }
    rows += db
        .sql(
            "UPDATE comments SET author_id = NULL, body = '', \
             deleted_ms = COALESCE(deleted_ms, $2) WHERE author_id = $1",
        )
        .bind(user)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    let recipient = format!("user:{}", user.0);
    for table in ["digests", "mail_preferences"] {
        rows += db
            .sql(&format!("DELETE FROM {table} WHERE recipient = $1"))
            .bind(recipient.as_str())
            .execute(&mut **tx)
            .await?;
    }
    rows += db
        .sql("DELETE FROM mail_outbox WHERE lower(email) = lower($1)")
        .bind(email.as_str())
        .execute(&mut **tx)
        .await?;
    rows += db
        .sql("DELETE FROM login_failures WHERE key = $1")
        .bind(format!("account:{}", email.to_lowercase()))
        .execute(&mut **tx)
        .await?;
    rows += db
        .sql("DELETE FROM users WHERE id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(rows)
}
