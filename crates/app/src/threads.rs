//! Threaded comments on an athlete's activities, check-ins, assessments and plans.
//!
//! A thread is visible exactly to the people who can see what it is on: the athlete, and
//! everyone holding a grant in force on them, except that a thread on a check-in or an
//! assessment needs the medical scope. Anything else (no grant, no medical scope, no such
//! thing) is "not found", never "forbidden", so nobody learns that it exists. Writing needs
//! the level `comment` or above; editing and deleting, being the author. A deleted comment
//! keeps its place, as "deleted", while replies hang on it; one without any disappears.
//!
//! On a database without accounts the runner is the author of every comment (no user).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use soleus_model::journal::Kind;
use soleus_store::AthleteId;
use soleus_store::accounts::{Level, Role};
use soleus_store::threads::{NewComment, ThreadComment};

pub use soleus_store::threads::TargetKind;

use crate::accounts::{Caller, now_ms};
use crate::{App, AppError, Result, UserId};

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 5_000;
/// Replies nest at most this deep on a page; deeper ones stay in their thread at this depth.
pub const MAX_DEPTH: u32 = 6;

/// Who asks.
#[derive(Debug, Clone, Copy)]
pub enum Viewer<'a> {
    /// The runner of a database without accounts, on this computer.
    Local,
    /// A signed-in person.
    Person(&'a Caller),
}

/// What a viewer may do with an athlete's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// It is their own.
    Owner,
    /// It is shared with them.
    Shared {
        /// What the grant lets them do.
        level: Level,
        /// Whether it includes the medical scope.
        medical: bool,
    },
}

impl Access {
    /// Whether a thread on `kind` is visible with this access.
    pub fn sees(self, kind: TargetKind) -> bool {
        match self {
            Access::Owner => true,
            Access::Shared { medical, .. } => {
                medical || !matches!(kind, TargetKind::Checkin | TargetKind::Assessment)
            }
        }
    }

    /// Whether it lets them comment.
    pub fn comments(self) -> bool {
        match self {
            Access::Owner => true,
            Access::Shared { level, .. } => level >= Level::Comment,
        }
    }
}

/// The badge beside an author's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    /// A runner.
    Athlete,
    /// A coach.
    Coach,
    /// A clinician.
    Clinician,
    /// An organisation's administrator.
    Admin,
}

impl Badge {
    /// The badge's words.
    pub fn label(self) -> &'static str {
        match self {
            Badge::Athlete => "Athlete",
            Badge::Coach => "Coach",
            Badge::Clinician => "Clinician",
            Badge::Admin => "Admin",
        }
    }
}

impl From<Role> for Badge {
    fn from(r: Role) -> Badge {
        match r {
            Role::Athlete => Badge::Athlete,
            Role::Coach => Badge::Coach,
            Role::Clinician => Badge::Clinician,
            Role::Admin => Badge::Admin,
        }
    }
}

/// A comment's author as others see them: a name and a badge, never an address.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Author {
    /// Their user id; none for the runner of a database without accounts.
    pub id: Option<UserId>,
    /// The name they show.
    pub name: String,
    /// Athlete, Coach, Clinician.
    pub badge: Badge,
}

/// One comment in a thread.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentView {
    /// Id.
    pub id: i64,
    /// The comment it replies to.
    pub parent: Option<i64>,
    /// How deep it sits in the thread (0: not a reply).
    pub depth: u32,
    /// Who wrote it; none once deleted.
    pub author: Option<Author>,
    /// The text as written (Markdown-lite); none once deleted.
    pub body: Option<String>,
    /// When it was written.
    pub created: DateTime<Utc>,
    /// When it was last edited.
    pub edited: Option<DateTime<Utc>>,
    /// Deleted: shown as "deleted" while replies hang on it.
    pub deleted: bool,
    /// The viewer wrote it (so may edit and delete it).
    pub mine: bool,
}

/// A thread: what it is on and its comments, in reading order (each reply after its parent).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadView {
    /// Whose data it is on.
    pub athlete: AthleteId,
    /// What it is on.
    pub on: TargetKind,
    /// The activity's or journal entry's id.
    pub target_id: i64,
    /// The viewer may comment.
    pub can_comment: bool,
    /// The comments.
    pub comments: Vec<CommentView>,
}

fn when(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Checks a comment's text: something to say, within [`MAX_COMMENT_CHARS`].
fn check_body(body: &str) -> Result<String> {
    let b = body.trim();
    if b.is_empty() {
        return Err(AppError::invalid("body", "write a comment first"));
    }
    if b.chars().count() > MAX_COMMENT_CHARS {
        return Err(AppError::invalid(
            "body",
            format!("a comment has at most {MAX_COMMENT_CHARS} characters"),
        ));
    }
    // Lines stay (paragraphs and lists are made of them); every other control character and
    // bidirectional override goes (PostgreSQL refuses NUL; the rest reorder what is shown).
    Ok(b.replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !soleus_formats::text::hostile(*c))
        .collect())
}

fn not_found(kind: TargetKind, id: i64) -> AppError {
    AppError::NotFound {
        what: match kind {
            TargetKind::Activity => "activity",
            TargetKind::Checkin => "check-in",
            TargetKind::Assessment => "assessment",
            TargetKind::Plan => "plan",
        },
        id: id.to_string(),
    }
}

impl App {
    /// What `viewer` may do with `athlete`'s data; `None`: nothing (it is not theirs and not
    /// shared with them).
    pub async fn access(&self, viewer: Viewer<'_>, athlete: AthleteId) -> Result<Option<Access>> {
        match viewer {
            Viewer::Local => {
                let local = self.db.local_athlete().await?;
                let alone = !self.db.accounts().any_user().await?;
                Ok((alone && athlete == local).then_some(Access::Owner))
            }
            Viewer::Person(c) if c.user.athlete == Some(athlete) => Ok(Some(Access::Owner)),
            Viewer::Person(c) => Ok(self
                .db
                .accounts()
                .live_grant(athlete, c.user.id)
                .await?
                .map(|g| Access::Shared {
                    level: g.level,
                    medical: g.medical,
                })),
        }
    }

    /// The viewer's access to one thread: not found unless they can see what it is on and it
    /// exists.
    async fn thread_access(
        &self,
        viewer: Viewer<'_>,
        athlete: AthleteId,
        kind: TargetKind,
        target: i64,
    ) -> Result<Access> {
        let access = self
            .access(viewer, athlete)
            .await?
            .filter(|a| a.sees(kind))
            .ok_or_else(|| not_found(kind, target))?;
        let store = self.db.athlete(athlete);
        let exists = match kind {
            TargetKind::Activity => store
                .list_activities()
                .await?
                .iter()
                .any(|a| a.id.0 == target),
            TargetKind::Checkin | TargetKind::Assessment | TargetKind::Plan => {
                let journal = match kind {
                    TargetKind::Checkin => Kind::CheckIn,
                    TargetKind::Assessment => Kind::Assessment,
                    _ => Kind::Plan,
                };
                store
                    .entries(journal)
                    .await?
                    .iter()
                    .any(|e| e.id.0 == target)
            }
        };
        if !exists {
            return Err(not_found(kind, target));
        }
        Ok(access)
    }

    /// The thread on one of `athlete`'s things, as `viewer` sees it.
    pub async fn thread(
        &self,
        viewer: Viewer<'_>,
        athlete: AthleteId,
        kind: TargetKind,
        target: i64,
    ) -> Result<ThreadView> {
        let access = self.thread_access(viewer, athlete, kind, target).await?;
        let rows = self.db.athlete(athlete).thread(kind, target).await?;
        let runner = self.runner_name(athlete).await?;
        Ok(ThreadView {
            athlete,
            on: kind,
            target_id: target,
            can_comment: access.comments(),
            comments: in_reading_order(&rows, viewer, &runner),
        })
    }

    /// The name of the runner of a database without accounts, for their comments.
    async fn runner_name(&self, athlete: AthleteId) -> Result<String> {
        Ok(self
            .name_of_athlete(athlete)
            .await?
            .unwrap_or_else(|| "The runner".into()))
    }

    /// An athlete's name, for a page that already showed the viewer their thread.
    pub async fn name_of_athlete(&self, athlete: AthleteId) -> Result<Option<String>> {
        Ok(self
            .db
            .athletes()
            .await?
            .into_iter()
            .find(|a| a.id == athlete)
            .and_then(|a| a.display_name))
    }

    /// `viewer` comments on one of `athlete`'s things, or replies to `parent` in its thread;
    /// the people following the thread are notified.
    pub async fn add_comment(
        &self,
        viewer: Viewer<'_>,
        athlete: AthleteId,
        kind: TargetKind,
        target: i64,
        parent: Option<i64>,
        body: &str,
    ) -> Result<CommentView> {
        let access = self.thread_access(viewer, athlete, kind, target).await?;
        if !access.comments() {
            return Err(AppError::Forbidden(
                "the athlete shared this with you to view only, not to comment".into(),
            ));
        }
        let body = check_body(body)?;
        let author = match viewer {
            Viewer::Local => None,
            Viewer::Person(c) => Some(c.user.id),
        };
        let store = self.db.athlete(athlete);
        let id = match store
            .add_comment(
                &NewComment {
                    author,
                    target_kind: kind,
                    target_id: target,
                    parent,
                    body: &body,
                },
                now_ms(),
            )
            .await
        {
            Ok(id) => id,
            Err(soleus_store::StoreError::NotFound { .. }) => {
                return Err(AppError::invalid(
                    "parent",
                    "the comment replied to is not in this thread",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        let rows = store.thread(kind, target).await?;
        if let Viewer::Person(c) = viewer {
            self.notify_thread(c, athlete, kind, target, id, &rows)
                .await;
        }
        let runner = self.runner_name(athlete).await?;
        in_reading_order(&rows, viewer, &runner)
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| AppError::Internal("the new comment was not read back".into()))
    }

    /// A comment of `athlete`'s, if `viewer` can see its thread and wrote it.
    async fn own_comment(
        &self,
        viewer: Viewer<'_>,
        athlete: AthleteId,
        id: i64,
    ) -> Result<ThreadComment> {
        let missing = || AppError::NotFound {
            what: "comment",
            id: id.to_string(),
        };
        let c = self
            .db
            .athlete(athlete)
            .comment(id)
            .await?
            .ok_or_else(missing)?;
        if c.deleted_ms.is_some() {
            return Err(missing());
        }
        // Someone who cannot see the thread cannot learn the comment exists.
        self.thread_access(viewer, athlete, c.target_kind, c.target_id)
            .await
            .map_err(|_| missing())?;
        if !is_mine(&c, viewer) {
            return Err(AppError::Forbidden(
                "only its author can change a comment".into(),
            ));
        }
        Ok(c)
    }

    /// `viewer` edits a comment of theirs.
    pub async fn edit_comment(
        &self,
        viewer: Viewer<'_>,
        athlete: AthleteId,
        id: i64,
        body: &str,
    ) -> Result<CommentView> {
        let c = self.own_comment(viewer, athlete, id).await?;
        let body = check_body(body)?;
        let store = self.db.athlete(athlete);
        store.edit_comment(id, &body, now_ms()).await?;
        let rows = store.thread(c.target_kind, c.target_id).await?;
        let runner = self.runner_name(athlete).await?;
        in_reading_order(&rows, viewer, &runner)
            .into_iter()
            .find(|v| v.id == id)
            .ok_or_else(|| AppError::Internal("the comment was not read back".into()))
    }

    /// `viewer` deletes a comment of theirs. Returns the thread it was in (kind, target).
    pub async fn delete_comment(
        &self,
        viewer: Viewer<'_>,
        athlete: AthleteId,
        id: i64,
    ) -> Result<(TargetKind, i64)> {
        let c = self.own_comment(viewer, athlete, id).await?;
        self.db
            .athlete(athlete)
            .delete_comment(id, now_ms())
            .await?;
        Ok((c.target_kind, c.target_id))
    }

    /// The thread a comment of `athlete`'s is in, if `viewer` can see it.
    pub async fn comment_thread(
        &self,
        viewer: Viewer<'_>,
        athlete: AthleteId,
        id: i64,
    ) -> Result<(TargetKind, i64)> {
        let missing = || AppError::NotFound {
            what: "comment",
            id: id.to_string(),
        };
        let c = self
            .db
            .athlete(athlete)
            .comment(id)
            .await?
            .ok_or_else(missing)?;
        self.thread_access(viewer, athlete, c.target_kind, c.target_id)
            .await
            .map_err(|_| missing())?;
        Ok((c.target_kind, c.target_id))
    }
}

fn is_mine(c: &ThreadComment, viewer: Viewer<'_>) -> bool {
    match viewer {
        Viewer::Local => c.author.is_none(),
        Viewer::Person(p) => c.author == Some(p.user.id),
    }
}

/// The comments in reading order: each after its parent, replies by time; a deleted comment
/// only while a reply that is shown hangs on it.
fn in_reading_order(rows: &[ThreadComment], viewer: Viewer<'_>, runner: &str) -> Vec<CommentView> {
    let mut children: HashMap<Option<i64>, Vec<&ThreadComment>> = HashMap::new();
    for r in rows {
        children.entry(r.parent).or_default().push(r);
    }
    // Whether a comment is shown: not deleted, or a shown reply hangs on it.
    fn shown(
        c: &ThreadComment,
        children: &HashMap<Option<i64>, Vec<&ThreadComment>>,
        memo: &mut HashMap<i64, bool>,
    ) -> bool {
        if let Some(v) = memo.get(&c.id) {
            return *v;
        }
        let v = c.deleted_ms.is_none()
            || children
                .get(&Some(c.id))
                .is_some_and(|k| k.iter().any(|k| shown(k, children, memo)));
        memo.insert(c.id, v);
        v
    }
    let mut memo = HashMap::new();
    let mut out = Vec::new();
    let mut stack: Vec<(&ThreadComment, u32)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|c| (*c, 0)).collect())
        .unwrap_or_default();
    while let Some((c, depth)) = stack.pop() {
        if !shown(c, &children, &mut memo) {
            continue;
        }
        let deleted = c.deleted_ms.is_some();
        out.push(CommentView {
            id: c.id,
            parent: c.parent,
            depth,
            author: (!deleted).then(|| Author {
                id: c.author,
                name: match (&c.author, &c.author_name) {
                    (Some(_), Some(n)) => n.clone(),
                    (Some(_), None) => "Someone".into(),
                    (None, _) => runner.to_owned(),
                },
                badge: c.author_role.map_or(Badge::Athlete, Badge::from),
            }),
            body: (!deleted).then(|| c.body.clone()),
            created: when(c.created_ms),
            edited: c.edited_ms.map(when),
            deleted,
            mine: !deleted && is_mine(c, viewer),
        });
        if let Some(k) = children.get(&Some(c.id)) {
            stack.extend(k.iter().rev().map(|k| (*k, (depth + 1).min(MAX_DEPTH))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, parent: Option<i64>, deleted: bool) -> ThreadComment {
        ThreadComment {
            id,
            athlete: AthleteId(1),
            author: None,
            author_name: None,
            author_role: None,
            target_kind: TargetKind::Activity,
            target_id: 7,
            parent,
            body: if deleted {
                String::new()
            } else {
                format!("c{id}")
            },
            created_ms: id,
            edited_ms: None,
            deleted_ms: deleted.then_some(99),
        }
    }

    #[test]
    fn replies_follow_their_parent_and_deleted_leaves_go() {
        // 1 ← 2 ← 4, 1 ← 5; 3 deleted with no replies; 6 deleted with reply 7.
        let rows = vec![
            row(1, None, false),
            row(2, Some(1), false),
            row(3, None, true),
            row(4, Some(2), false),
            row(5, Some(1), false),
            row(6, None, true),
            row(7, Some(6), false),
        ];
        let v = in_reading_order(&rows, Viewer::Local, "Ana");
        let order: Vec<(i64, u32)> = v.iter().map(|c| (c.id, c.depth)).collect();
        assert_eq!(order, [(1, 0), (2, 1), (4, 2), (5, 1), (6, 0), (7, 1)]);
        let six = v.iter().find(|c| c.id == 6).unwrap();
        assert!(six.deleted && six.body.is_none() && six.author.is_none());
        assert_eq!(v[0].author.as_ref().unwrap().name, "Ana");
        assert!(v[0].mine);
    }

    #[test]
    fn a_coach_without_the_medical_scope_sees_no_check_in_thread() {
        let coach = Access::Shared {
            level: Level::Comment,
            medical: false,
        };
        assert!(coach.sees(TargetKind::Activity) && coach.sees(TargetKind::Plan));
        assert!(!coach.sees(TargetKind::Checkin) && !coach.sees(TargetKind::Assessment));
        let viewer = Access::Shared {
            level: Level::View,
            medical: true,
        };
        assert!(viewer.sees(TargetKind::Checkin) && !viewer.comments());
        assert!(coach.comments() && Access::Owner.comments());
    }

    #[test]
    fn a_comment_needs_words_within_the_limit() {
        assert!(check_body("  \n ").is_err());
        assert!(check_body(&"x".repeat(MAX_COMMENT_CHARS + 1)).is_err());
        assert_eq!(check_body("  Nice run!  ").unwrap(), "Nice run!");
        assert_eq!(check_body("a\r\nb\u{202e}\0c").unwrap(), "a\nbc");
    }
}
