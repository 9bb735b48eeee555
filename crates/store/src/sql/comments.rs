//! An athlete's comments: what others wrote on their data in a span of time (for the digest),
//! and the threads themselves.

use super::{Backend, SqlStore};
use crate::accounts::Role;
use crate::threads::{NewComment, TargetKind, ThreadComment};
use crate::{AthleteId, CommentRow, StoreError, UserId};

/// A `comments` row with its author's name.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CommentDb {
    id: i64,
    author_id: Option<UserId>,
    author_name: Option<String>,
    target_kind: String,
    target_id: i64,
    parent_id: Option<i64>,
    body: String,
    created_ms: i64,
}

/// Comments by anyone but the athlete on their data, made in `[from_ms, to_ms)`, oldest first;
/// deleted ones left out.
pub(super) async fn received<DB: Backend>(
    s: &SqlStore<DB>,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<CommentRow>, StoreError> {
    Ok(s.sql(
        "SELECT c.id, c.author_id, u.display_name AS author_name, c.target_kind, \
             c.target_id, c.parent_id, c.body, c.created_ms \
             FROM comments c JOIN athletes a ON a.id = c.athlete_id \
             LEFT JOIN users u ON u.id = c.author_id \
             WHERE c.athlete_id = $1 AND c.deleted_ms IS NULL \
             AND c.created_ms >= $2 AND c.created_ms < $3 AND c.author_id IS NOT NULL \
             AND (a.user_id IS NULL OR c.author_id <> a.user_id) \
             ORDER BY c.created_ms, c.id",
    )
    .bind(from_ms)
    .bind(to_ms)
    .all::<CommentDb>(&mut *s.conn().await?)
    .await?
    .into_iter()
    .map(|c| CommentRow {
        id: c.id,
        author: c.author_id,
        author_name: c.author_name,
        target_kind: c.target_kind,
        target_id: c.target_id,
        parent: c.parent_id,
        body: c.body,
        created_ms: c.created_ms,
    })
    .collect())
}

/// The columns of a thread's comment, with its author's name and role.
const THREAD_COLUMNS: &str = "c.id, c.athlete_id, c.author_id, u.display_name AS author_name, \
    u.role AS author_role, c.target_kind, c.target_id, c.parent_id, c.body, c.created_ms, \
    c.edited_ms, c.deleted_ms";

/// A `comments` row with its author's name and role, as a thread shows it.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ThreadDb {
    id: i64,
    athlete_id: AthleteId,
    author_id: Option<UserId>,
    author_name: Option<String>,
    author_role: Option<String>,
    target_kind: String,
    target_id: i64,
    parent_id: Option<i64>,
    body: String,
    created_ms: i64,
    edited_ms: Option<i64>,
    deleted_ms: Option<i64>,
}

impl TryFrom<ThreadDb> for ThreadComment {
    type Error = StoreError;

    fn try_from(c: ThreadDb) -> Result<ThreadComment, StoreError> {
        let target_kind = TargetKind::parse(&c.target_kind).ok_or_else(|| {
            StoreError::Corrupt(format!("unknown comment target {:?}", c.target_kind))
        })?;
        let author_role = match c.author_role.as_deref() {
            None => None,
            Some(r) => Some(
                Role::parse(r).ok_or_else(|| StoreError::Corrupt(format!("unknown role {r:?}")))?,
            ),
        };
        Ok(ThreadComment {
            id: c.id,
            athlete: c.athlete_id,
            author: c.author_id,
            author_name: c.author_name,
            author_role,
            target_kind,
            target_id: c.target_id,
            parent: c.parent_id,
            body: c.body,
            created_ms: c.created_ms,
            edited_ms: c.edited_ms,
            deleted_ms: c.deleted_ms,
        })
    }
}

/// Adds a comment; a reply's parent must be a comment of the same thread.
pub(super) async fn add<DB: Backend>(
    s: &SqlStore<DB>,
    c: &NewComment<'_>,
    now_ms: i64,
) -> Result<i64, StoreError> {
    let mut tx = s.begin_write().await?;
    if let Some(parent) = c.parent {
        let same = s
            .sql(
                "SELECT id FROM comments WHERE athlete_id = $1 AND id = $2 \
                 AND target_kind = $3 AND target_id = $4",
            )
            .bind(parent)
            .bind(c.target_kind.as_str())
            .bind(c.target_id)
            .scalar::<i64>(&mut *tx)
            .await?;
        if same.is_none() {
            return Err(StoreError::NotFound {
                what: "comment",
                id: parent,
            });
        }
    }
    let id = s
        .sql(
            "INSERT INTO comments (athlete_id, author_id, target_kind, target_id, parent_id, \
             body, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(c.author)
        .bind(c.target_kind.as_str())
        .bind(c.target_id)
        .bind(c.parent)
        .bind(c.body)
        .bind(now_ms)
        .scalar::<i64>(&mut *tx)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(id)
}

/// Every comment of a thread, deleted ones included, oldest first.
pub(super) async fn thread<DB: Backend>(
    s: &SqlStore<DB>,
    kind: TargetKind,
    target_id: i64,
) -> Result<Vec<ThreadComment>, StoreError> {
    let sql = format!(
        "SELECT {THREAD_COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.author_id \
         WHERE c.athlete_id = $1 AND c.target_kind = $2 AND c.target_id = $3 \
         ORDER BY c.created_ms, c.id"
    );
    s.sql(&sql)
        .bind(kind.as_str())
        .bind(target_id)
        .all::<ThreadDb>(&mut *s.conn().await?)
        .await?
        .into_iter()
        .map(ThreadComment::try_from)
        .collect()
}

/// One comment, if it is this athlete's.
pub(super) async fn one<DB: Backend>(
    s: &SqlStore<DB>,
    id: i64,
) -> Result<Option<ThreadComment>, StoreError> {
    let sql = format!(
        "SELECT {THREAD_COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.author_id \
         WHERE c.athlete_id = $1 AND c.id = $2"
    );
    s.sql(&sql)
        .bind(id)
        .optional::<ThreadDb>(&mut *s.conn().await?)
        .await?
        .map(ThreadComment::try_from)
        .transpose()
}

/// Replaces a comment's text, unless it was deleted. False when there is no such comment.
pub(super) async fn edit<DB: Backend>(
    s: &SqlStore<DB>,
    id: i64,
    body: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    Ok(s.sql(
        "UPDATE comments SET body = $3, edited_ms = $4 \
         WHERE athlete_id = $1 AND id = $2 AND deleted_ms IS NULL",
    )
    .bind(id)
    .bind(body)
    .bind(now_ms)
    .execute(&mut *s.conn().await?)
    .await?
        == 1)
}

/// Deletes a comment: its text goes, its place in the thread stays (its replies hang on it).
pub(super) async fn delete<DB: Backend>(
    s: &SqlStore<DB>,
    id: i64,
    now_ms: i64,
) -> Result<bool, StoreError> {
    Ok(s.sql(
        "UPDATE comments SET body = '', deleted_ms = $3 \
         WHERE athlete_id = $1 AND id = $2 AND deleted_ms IS NULL",
    )
    .bind(id)
    .bind(now_ms)
    .execute(&mut *s.conn().await?)
    .await?
        == 1)
}
