//! [`People`] for [`SqlDatabase`]: organisation invitations and professional profiles.

use super::{Backend, SqlDatabase};
use crate::accounts::Role;
use crate::people::{OrgInvitationRow, People, ProfileRow};
use crate::{OrgId, StoreError, UserId};

const INVITATION_SELECT: &str = "SELECT i.id, i.org_id, o.name AS org_name, i.email, i.role, \
    i.created_ms, i.expires_ms, i.used_ms \
    FROM invitations i JOIN organisations o ON o.id = i.org_id";

/// An `invitations` row with its organisation's name.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OrgInvitationDb {
    id: i64,
    org_id: OrgId,
    org_name: String,
    email: String,
    role: String,
    created_ms: i64,
    expires_ms: i64,
    used_ms: Option<i64>,
}

impl TryFrom<OrgInvitationDb> for OrgInvitationRow {
    type Error = StoreError;

    fn try_from(r: OrgInvitationDb) -> Result<OrgInvitationRow, StoreError> {
        Ok(OrgInvitationRow {
            id: r.id,
            org: r.org_id,
            org_name: r.org_name,
            email: r.email,
            role: Role::parse(&r.role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown role {:?}", r.role)))?,
            created_ms: r.created_ms,
            expires_ms: r.expires_ms,
            used_ms: r.used_ms,
        })
    }
}

/// A `user_profiles` row.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ProfileDb {
    user_id: UserId,
    credentials: String,
    bio: Option<String>,
    updated_ms: i64,
    verified_ms: Option<i64>,
    verified_by: Option<UserId>,
}

/// What using an invitation grants.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct MembershipDb {
    org_id: OrgId,
    role: String,
}

#[async_trait::async_trait]
impl<DB: Backend> People for SqlDatabase<DB> {
    async fn add_org_invitation(
        &self,
        org: OrgId,
        email: &str,
        role: Role,
        token_hash: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
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
        let id = self
            .sql(
                "INSERT INTO invitations (org_id, email, role, token_hash, created_ms, \
                 expires_ms) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(org)
            .bind(email)
            .bind(role.as_str())
            .bind(token_hash)
            .bind(now_ms)
            .bind(expires_ms)
            .one::<(i64,)>(&mut *tx)
            .await?
            .0;
        tx.commit().await?;
        Ok(id)
    }

    async fn org_invitation(
        &self,
        token_hash: &str,
    ) -> Result<Option<OrgInvitationRow>, StoreError> {
        let sql = format!("{INVITATION_SELECT} WHERE i.token_hash = $1");
        self.sql(&sql)
            .bind(token_hash)
            .optional::<OrgInvitationDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(OrgInvitationRow::try_from)
            .transpose()
    }

    async fn open_org_invitations(
        &self,
        org: OrgId,
        now_ms: i64,
    ) -> Result<Vec<OrgInvitationRow>, StoreError> {
        let sql = format!(
            "{INVITATION_SELECT} WHERE i.org_id = $1 AND i.used_ms IS NULL \
             AND i.expires_ms > $2 ORDER BY i.created_ms DESC, i.id DESC"
        );
        self.sql(&sql)
            .bind(org)
            .bind(now_ms)
            .all::<OrgInvitationDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(OrgInvitationRow::try_from)
            .collect()
    }

    async fn withdraw_org_invitation(&self, org: OrgId, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .sql("DELETE FROM invitations WHERE org_id = $1 AND id = $2 AND used_ms IS NULL")
            .bind(org)
            .bind(id)
            .execute(&mut *self.pool.acquire().await?)
            .await?
            == 1)
    }

    async fn use_org_invitation(
        &self,
        id: i64,
        user: UserId,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        // Marking it used is the claim: of two requests racing, one changes the row.
        let offer = self
            .sql(
                "UPDATE invitations SET used_ms = $2 \
                 WHERE id = $1 AND used_ms IS NULL AND expires_ms > $2 \
                 RETURNING org_id, role",
            )
            .bind(id)
            .bind(now_ms)
            .optional::<MembershipDb>(&mut *tx)
            .await?;
        let Some(offer) = offer else {
            return Ok(false);
        };
        self.sql("UPDATE users SET org_id = $2, role = $3 WHERE id = $1")
            .bind(user)
            .bind(offer.org_id)
            .bind(offer.role.as_str())
            .execute(&mut *tx)
            .await?;
        self.sql("UPDATE athletes SET org_id = $2 WHERE user_id = $1")
            .bind(user)
            .bind(offer.org_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn profile(&self, user: UserId) -> Result<Option<ProfileRow>, StoreError> {
        Ok(self
            .sql(
                "SELECT user_id, credentials, bio, updated_ms, verified_ms, verified_by \
                 FROM user_profiles WHERE user_id = $1",
            )
            .bind(user)
            .optional::<ProfileDb>(&mut *self.pool.acquire().await?)
            .await?
            .map(|r| ProfileRow {
                user: r.user_id,
                credentials: r.credentials,
                bio: r.bio,
                updated_ms: r.updated_ms,
                verified_ms: r.verified_ms,
                verified_by: r.verified_by,
            }))
    }

    async fn set_profile(
        &self,
        user: UserId,
        credentials: &str,
        bio: Option<&str>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.sql(
            "INSERT INTO user_profiles (user_id, credentials, bio, updated_ms) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET \
             credentials = excluded.credentials, bio = excluded.bio, \
             updated_ms = excluded.updated_ms, verified_ms = NULL, verified_by = NULL",
        )
        .bind(user)
        .bind(credentials)
        .bind(bio)
        .bind(now_ms)
        .execute(&mut *self.pool.acquire().await?)
        .await?;
        Ok(())
    }

    async fn verify_profile(
        &self,
        user: UserId,
        by: UserId,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        Ok(self
            .sql("UPDATE user_profiles SET verified_ms = $3, verified_by = $2 WHERE user_id = $1")
            .bind(user)
            .bind(by)
            .bind(now_ms)
            .execute(&mut *self.pool.acquire().await?)
            .await?
            == 1)
    }
}
