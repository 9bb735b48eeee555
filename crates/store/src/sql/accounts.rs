//! [`Accounts`] for [`SqlDatabase`]: users, sessions, the throttle, grants, invitations to
//! share and the audit log, in the SQL both backends speak.

use super::{Backend, SqlDatabase};
use crate::accounts::{
    Accounts, AuditRow, GrantRow, Level, NewShareInvitation, NewUser, Purged, Role, SessionRow,
    ShareInvitationRow, UserRow,
};
use crate::{AthleteId, OrgId, StoreError, UserId};

/// The user columns, joined to the athlete they are.
/// The advisory lock key of the clean-up ("soleus:purge" in ASCII, folded into 63 bits).
const PURGE_LOCK: i64 = 0x736f_6c65_7573_7075;

const USER_SELECT: &str = "SELECT u.id, u.org_id, u.email, u.password_hash, u.display_name, \
    u.role, u.created_ms, u.disabled, a.id AS athlete_id \
    FROM users u LEFT JOIN athletes a ON a.user_id = u.id";

/// The grant columns, joined to both people's names.
const GRANT_SELECT: &str = "SELECT g.id, g.athlete_id, a.name AS athlete_name, g.user_id, \
    u.display_name AS user_name, u.role AS user_role, g.level, g.medical, g.created_ms \
    FROM grants g JOIN athletes a ON a.id = g.athlete_id JOIN users u ON u.id = g.user_id \
    WHERE g.revoked_ms IS NULL";

/// The invitation columns.
const INVITATION_SELECT: &str = "SELECT id, athlete_id, email, role, level, medical, \
    created_ms, expires_ms, used_ms, withdrawn_ms FROM share_invitations";

/// A `users` row with its athlete.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UserDb {
    id: UserId,
    org_id: Option<OrgId>,
    email: String,
    password_hash: String,
    display_name: String,
    role: String,
    created_ms: i64,
    disabled: bool,
    athlete_id: Option<AthleteId>,
}

impl TryFrom<UserDb> for UserRow {
    type Error = StoreError;

    fn try_from(r: UserDb) -> Result<UserRow, StoreError> {
        Ok(UserRow {
            id: r.id,
            org: r.org_id,
            email: r.email,
            password_hash: r.password_hash,
            display_name: r.display_name,
            role: role(&r.role)?,
            created_ms: r.created_ms,
            disabled: r.disabled,
            athlete: r.athlete_id,
        })
    }
}

/// A `sessions` row.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SessionDb {
    id: i64,
    user_id: UserId,
    created_ms: i64,
    last_seen_ms: i64,
    expires_ms: i64,
}

/// A grant in force with both names.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct GrantDb {
    id: i64,
    athlete_id: AthleteId,
    athlete_name: Option<String>,
    user_id: UserId,
    user_name: String,
    user_role: String,
    level: String,
    medical: bool,
    created_ms: i64,
}

impl TryFrom<GrantDb> for GrantRow {
    type Error = StoreError;

    fn try_from(r: GrantDb) -> Result<GrantRow, StoreError> {
        Ok(GrantRow {
            id: r.id,
            athlete: r.athlete_id,
            athlete_name: r.athlete_name,
            user: r.user_id,
            user_name: r.user_name,
            user_role: role(&r.user_role)?,
            level: level(&r.level)?,
            medical: r.medical,
            created_ms: r.created_ms,
        })
    }
}

/// A `share_invitations` row.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct InvitationDb {
    id: i64,
    athlete_id: AthleteId,
    email: String,
    role: String,
    level: String,
    medical: bool,
    created_ms: i64,
    expires_ms: i64,
    used_ms: Option<i64>,
    withdrawn_ms: Option<i64>,
}

impl TryFrom<InvitationDb> for ShareInvitationRow {
    type Error = StoreError;

    fn try_from(r: InvitationDb) -> Result<ShareInvitationRow, StoreError> {
        Ok(ShareInvitationRow {
            id: r.id,
            athlete: r.athlete_id,
            email: r.email,
            role: role(&r.role)?,
            level: level(&r.level)?,
            medical: r.medical,
            created_ms: r.created_ms,
            expires_ms: r.expires_ms,
            used_ms: r.used_ms,
            withdrawn_ms: r.withdrawn_ms,
        })
    }
}

/// An `audit_log` row.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AuditDb {
    at_ms: i64,
    user_id: Option<UserId>,
    athlete_id: Option<AthleteId>,
    action: String,
    detail: String,
    address: Option<String>,
}

/// The accepted invitation's offer.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OfferDb {
    athlete_id: AthleteId,
    level: String,
    medical: bool,
}

/// An organisation's id and name.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OrgDb {
    id: OrgId,
    name: String,
}

fn role(s: &str) -> Result<Role, StoreError> {
    Role::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown role {s:?}")))
}

fn level(s: &str) -> Result<Level, StoreError> {
    Level::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown grant level {s:?}")))
}

#[async_trait::async_trait]
impl<DB: Backend> Accounts for SqlDatabase<DB> {
    async fn add_org(&self, name: &str) -> Result<OrgId, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("an organisation needs a name".into()));
        }
        Ok(self
            .sql("INSERT INTO organisations (name, created_ms) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(crate::prepare::now_ms())
            .one::<(OrgId,)>(&mut *self.pool.acquire().await?)
            .await?
            .0)
    }

    async fn orgs(&self) -> Result<Vec<(OrgId, String)>, StoreError> {
        Ok(self
            .sql("SELECT id, name FROM organisations ORDER BY id")
            .all::<OrgDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect())
    }

    async fn any_user(&self) -> Result<bool, StoreError> {
        Ok(self
            .sql("SELECT id FROM users LIMIT 1")
            .scalar::<i64>(&mut *self.pool.acquire().await?)
            .await?
            .is_some())
    }

    async fn add_user(&self, user: &NewUser<'_>) -> Result<UserId, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let taken = self
            .sql("SELECT id FROM users WHERE lower(email) = lower($1)")
            .bind(user.email)
            .scalar::<i64>(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Invalid(format!(
                "an account with the address {} exists",
                user.email
            )));
        }
        if let Some(org) = user.org {
            let found = self
                .sql("SELECT id FROM organisations WHERE id = $1")
                .bind(org)
                .scalar::<i64>(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound {
                    what: "organisation",
                    id: org.0,
                });
            }
        }
        let id = self
            .sql(
                "INSERT INTO users (org_id, email, password_hash, display_name, role, created_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(user.org)
            .bind(user.email)
            .bind(user.password_hash)
            .bind(user.display_name)
            .bind(user.role.as_str())
            .bind(crate::prepare::now_ms())
            .one::<(UserId,)>(&mut *tx)
            .await?
            .0;
        tx.commit().await?;
        Ok(id)
    }

    async fn user(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("{USER_SELECT} WHERE u.id = $1");
        self.sql(&sql)
            .bind(id)
            .optional::<UserDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(UserRow::try_from)
            .transpose()
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("{USER_SELECT} WHERE lower(u.email) = lower($1)");
        self.sql(&sql)
            .bind(email)
            .optional::<UserDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(UserRow::try_from)
            .transpose()
    }

    async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let sql = format!("{USER_SELECT} ORDER BY u.id");
        self.sql(&sql)
            .all::<UserDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(UserRow::try_from)
            .collect()
    }

    async fn set_disabled(&self, id: UserId, disabled: bool) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let changed = self
            .sql("UPDATE users SET disabled = $2 WHERE id = $1")
            .bind(id)
            .bind(disabled)
            .execute(&mut *tx)
            .await?;
        if disabled {
            self.sql("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<(), StoreError> {
        let changed = self
            .sql("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "user",
                id: id.0,
            });
        }
        Ok(())
    }

    async fn claim_athlete(
        &self,
        user: UserId,
        athlete: Option<AthleteId>,
    ) -> Result<AthleteId, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let already = self
            .sql("SELECT id FROM athletes WHERE user_id = $1")
            .bind(user)
            .scalar::<AthleteId>(&mut *tx)
            .await?;
        if let Some(a) = already {
            return Err(StoreError::Invalid(format!(
                "user {user} already is athlete {a}"
            )));
        }
        let id = match athlete {
            Some(a) => {
                let claimed = self
                    .sql(
                        "UPDATE athletes SET user_id = $1, \
                         name = COALESCE(name, (SELECT display_name FROM users WHERE id = $1)), \
                         org_id = COALESCE(org_id, (SELECT org_id FROM users WHERE id = $1)) \
                         WHERE id = $2 AND user_id IS NULL",
                    )
                    .bind(user)
                    .bind(a)
                    .execute(&mut *tx)
                    .await?;
                if claimed != 1 {
                    return Err(StoreError::Invalid(format!(
                        "athlete {a} does not exist or belongs to another user"
                    )));
                }
                a
            }
            None => {
                self.sql(
                    "INSERT INTO athletes (name, org_id, user_id, created_ms) \
                     SELECT display_name, org_id, id, $2 FROM users WHERE id = $1 RETURNING id",
                )
                .bind(user)
                .bind(crate::prepare::now_ms())
                .optional::<(AthleteId,)>(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound {
                    what: "user",
                    id: user.0,
                })?
                .0
            }
        };
        tx.commit().await?;
        Ok(id)
    }

    async fn add_session(
        &self,
        token_hash: &str,
        user: UserId,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<(), StoreError> {
        self.sql(
            "INSERT INTO sessions (token_hash, user_id, created_ms, last_seen_ms, expires_ms) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(now_ms)
        .bind(expires_ms)
        .execute(&mut *self.pool.acquire().await?)
        .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        Ok(self
            .sql(
                "SELECT id, user_id, created_ms, last_seen_ms, expires_ms FROM sessions \
                 WHERE token_hash = $1",
            )
            .bind(token_hash)
            .optional::<SessionDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(|s| SessionRow {
                id: s.id,
                user: s.user_id,
                created_ms: s.created_ms,
                last_seen_ms: s.last_seen_ms,
                expires_ms: s.expires_ms,
            }))
    }

    async fn touch_session(&self, id: i64, now_ms: i64) -> Result<(), StoreError> {
        self.sql("UPDATE sessions SET last_seen_ms = $2 WHERE id = $1 AND last_seen_ms < $2")
            .bind(id)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.sql("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(())
    }

    async fn end_sessions(&self, user: UserId, except: Option<&str>) -> Result<u64, StoreError> {
        Ok(self
            .sql("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> COALESCE($2, '')")
            .bind(user)
            .bind(except)
            .execute(&mut *self.pool.acquire().await?)
            .await?)
    }

    async fn purge(&self, now_ms: i64, before_ms: i64) -> Result<Option<Purged>, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        if let Some(lock) = DB::TRY_XACT_LOCK {
            let (got,) = self
                .sql(lock)
                .bind(PURGE_LOCK)
                .one::<(bool,)>(&mut *tx)
                .await?;
            if !got {
                return Ok(None);
            }
        }
        let mut done = Purged {
            sessions: self
                .sql("DELETE FROM sessions WHERE expires_ms <= $1")
                .bind(now_ms)
                .execute(&mut *tx)
                .await?,
            login_failures: self
                .sql("DELETE FROM login_failures WHERE at_ms < $1")
                .bind(before_ms)
                .execute(&mut *tx)
                .await?,
            ..Purged::default()
        };
        for sql in [
            "DELETE FROM invitations WHERE expires_ms < $1 OR used_ms < $1",
            "DELETE FROM share_invitations \
             WHERE expires_ms < $1 OR used_ms < $1 OR withdrawn_ms < $1",
            "DELETE FROM password_resets WHERE expires_ms < $1 OR used_ms < $1",
        ] {
            done.invitations += self.sql(sql).bind(before_ms).execute(&mut *tx).await?;
        }
        done.mails = self
            .sql("DELETE FROM mail_outbox WHERE state IN ('sent', 'failed') AND updated_ms < $1")
            .bind(before_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(done))
    }

    async fn add_login_failure(&self, keys: &[&str], now_ms: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        for key in keys {
            self.sql("INSERT INTO login_failures (key, at_ms) VALUES ($1, $2)")
                .bind(*key)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn login_failures(
        &self,
        key: &str,
        since_ms: i64,
    ) -> Result<(i64, Option<i64>), StoreError> {
        Ok(self
            .sql("SELECT COUNT(*), MAX(at_ms) FROM login_failures WHERE key = $1 AND at_ms >= $2")
            .bind(key)
            .bind(since_ms)
            .one::<(i64, Option<i64>)>(&mut *self.pool.acquire().await?)
            .await?)
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        self.sql("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(())
    }

    async fn add_grant(
        &self,
        athlete: AthleteId,
        user: UserId,
        level: Level,
        medical: bool,
        now_ms: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let id = grant_in(self, &mut tx, athlete, user, level, medical, now_ms).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn live_grant(
        &self,
        athlete: AthleteId,
        user: UserId,
    ) -> Result<Option<GrantRow>, StoreError> {
        let sql = format!("{GRANT_SELECT} AND g.athlete_id = $1 AND g.user_id = $2");
        self.sql(&sql)
            .bind(athlete)
            .bind(user)
            .optional::<GrantDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(GrantRow::try_from)
            .transpose()
    }

    async fn grants_on(&self, athlete: AthleteId) -> Result<Vec<GrantRow>, StoreError> {
        let sql = format!("{GRANT_SELECT} AND g.athlete_id = $1 ORDER BY g.created_ms, g.id");
        self.sql(&sql)
            .bind(athlete)
            .all::<GrantDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(GrantRow::try_from)
            .collect()
    }

    async fn user_units(&self, user: UserId) -> Result<Option<String>, StoreError> {
        Ok(self
            .sql("SELECT units FROM users WHERE id = $1")
            .bind(user)
            .optional::<(Option<String>,)>(&mut *self.pool.acquire().await?)
            .await?
            .and_then(|(u,)| u))
    }

    async fn set_user_units(&self, user: UserId, units: &str) -> Result<(), StoreError> {
        self.sql("UPDATE users SET units = $2 WHERE id = $1")
            .bind(user)
            .bind(units)
            .execute(&mut *self.pool.acquire().await?)
            .await?;
        Ok(())
    }

    async fn stale_facts(&self, now_ms: i64, limit: i64) -> Result<Vec<AthleteId>, StoreError> {
        super::days::stale(self, now_ms, limit).await
    }

    async fn held_facts(&self, user: UserId) -> Result<Vec<crate::days::HeldFacts>, StoreError> {
        super::days::held(self, user).await
    }

    async fn grants_held(&self, user: UserId) -> Result<Vec<GrantRow>, StoreError> {
        let sql = format!("{GRANT_SELECT} AND g.user_id = $1 ORDER BY g.athlete_id");
        self.sql(&sql)
            .bind(user)
            .all::<GrantDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(GrantRow::try_from)
            .collect()
    }

    async fn revoke_grant(
        &self,
        athlete: AthleteId,
        grant: i64,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let holder = self
            .sql(
                "UPDATE grants SET revoked_ms = $3 \
                 WHERE athlete_id = $1 AND id = $2 AND revoked_ms IS NULL RETURNING user_id",
            )
            .bind(athlete)
            .bind(grant)
            .bind(now_ms)
            .scalar::<UserId>(&mut *tx)
            .await?;
        let Some(holder) = holder else {
            return Ok(false);
        };
        // What the grant let them be told goes with it: the notifications, and their mails
        // not yet handed to the mail server (every one about this athlete links to their page
        // or a thread under it).
        self.sql("DELETE FROM notifications WHERE athlete_id = $1 AND user_id = $2")
            .bind(athlete)
            .bind(holder)
            .execute(&mut *tx)
            .await?;
        self.sql(
            "DELETE FROM mail_outbox WHERE kind = 'notification' AND state = 'queued' \
             AND lower(email) = (SELECT lower(email) FROM users WHERE id = $1) \
             AND (link = $2 OR link LIKE $3)",
        )
        .bind(holder)
        .bind(format!("/athletes/{}", athlete.0))
        .bind(format!("/athletes/{}/%", athlete.0))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn add_share_invitation(
        &self,
        athlete: AthleteId,
        inv: &NewShareInvitation<'_>,
        now_ms: i64,
    ) -> Result<i64, StoreError> {
        if !matches!(inv.role, Role::Coach | Role::Clinician) {
            return Err(StoreError::Invalid(
                "an athlete invites a coach or a clinician".into(),
            ));
        }
        Ok(self
            .sql(
                "INSERT INTO share_invitations (athlete_id, email, role, level, medical, \
                 token_hash, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 RETURNING id",
            )
            .bind(athlete)
            .bind(inv.email)
            .bind(inv.role.as_str())
            .bind(inv.level.as_str())
            .bind(inv.medical)
            .bind(inv.token_hash)
            .bind(now_ms)
            .bind(inv.expires_ms)
            .one::<(i64,)>(&mut *self.pool.acquire().await?)
            .await?
            .0)
    }

    async fn share_invitation(
        &self,
        token_hash: &str,
    ) -> Result<Option<ShareInvitationRow>, StoreError> {
        let sql = format!("{INVITATION_SELECT} WHERE token_hash = $1");
        self.sql(&sql)
            .bind(token_hash)
            .optional::<InvitationDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(ShareInvitationRow::try_from)
            .transpose()
    }

    async fn open_share_invitations(
        &self,
        athlete: AthleteId,
        now_ms: i64,
    ) -> Result<Vec<ShareInvitationRow>, StoreError> {
        let sql = format!(
            "{INVITATION_SELECT} WHERE athlete_id = $1 AND used_ms IS NULL \
             AND withdrawn_ms IS NULL AND expires_ms > $2 ORDER BY created_ms DESC, id DESC"
        );
        self.sql(&sql)
            .bind(athlete)
            .bind(now_ms)
            .all::<InvitationDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(ShareInvitationRow::try_from)
            .collect()
    }

    async fn accept_share_invitation(
        &self,
        id: i64,
        user: UserId,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        // Marking it used is the claim: of two requests racing, one changes the row.
        let offer = self
            .sql(
                "UPDATE share_invitations SET used_ms = $2, used_by = $3 \
                 WHERE id = $1 AND used_ms IS NULL AND withdrawn_ms IS NULL AND expires_ms > $2 \
                 RETURNING athlete_id, level, medical",
            )
            .bind(id)
            .bind(now_ms)
            .bind(user)
            .optional::<OfferDb>(&mut *tx)
            .await?;
        let Some(offer) = offer else {
            return Ok(false);
        };
        let level = level(&offer.level)?;
        grant_in(
            self,
            &mut tx,
            offer.athlete_id,
            user,
            level,
            offer.medical,
            now_ms,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn withdraw_share_invitation(
        &self,
        athlete: AthleteId,
        id: i64,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        Ok(self
            .sql(
                "UPDATE share_invitations SET withdrawn_ms = $3 WHERE athlete_id = $1 \
                 AND id = $2 AND used_ms IS NULL AND withdrawn_ms IS NULL",
            )
            .bind(athlete)
            .bind(id)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?
            == 1)
    }

    async fn audit(&self, row: &AuditRow) -> Result<(), StoreError> {
        self.sql(
            "INSERT INTO audit_log (at_ms, user_id, athlete_id, action, detail, address) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.at_ms)
        .bind(row.user)
        .bind(row.athlete)
        .bind(row.action.as_str())
        .bind(row.detail.as_str())
        .bind(row.address.as_deref())
        .execute(&mut *self.pool.acquire().await?)
        .await?;
        Ok(())
    }

    async fn audit_log(
        &self,
        athlete: Option<AthleteId>,
        user: Option<UserId>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, StoreError> {
        Ok(self
            .sql(
                "SELECT at_ms, user_id, athlete_id, action, detail, address FROM audit_log \
                 WHERE ($1 IS NULL OR athlete_id = $1) AND ($2 IS NULL OR user_id = $2) \
                 ORDER BY at_ms DESC, id DESC LIMIT $3",
            )
            .bind(athlete)
            .bind(user)
            .bind(limit)
            .all::<AuditDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(|r| AuditRow {
                at_ms: r.at_ms,
                user: r.user_id,
                athlete: r.athlete_id,
                action: r.action,
                detail: r.detail,
                address: r.address,
            })
            .collect())
    }
}

/// Grants inside `tx`, ending the grant in force before (at most one is).
async fn grant_in<DB: Backend>(
    db: &SqlDatabase<DB>,
    tx: &mut super::Tx<DB>,
    athlete: AthleteId,
    user: UserId,
    level: Level,
    medical: bool,
    now_ms: i64,
) -> Result<i64, StoreError> {
    db.sql(
        "UPDATE grants SET revoked_ms = $3 \
         WHERE athlete_id = $1 AND user_id = $2 AND revoked_ms IS NULL",
    )
    .bind(athlete)
    .bind(user)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(db
        .sql(
            "INSERT INTO grants (athlete_id, user_id, level, medical, created_ms) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(athlete)
        .bind(user)
        .bind(level.as_str())
        .bind(medical)
        .bind(now_ms)
        .one::<(i64,)>(&mut **tx)
        .await?
        .0)
}
