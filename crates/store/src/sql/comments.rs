//! Reading an athlete's comments: what others wrote on their data in a span of time.

use super::{Backend, SqlStore};
use crate::{CommentRow, StoreError, UserId};

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
