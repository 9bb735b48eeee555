//! [`Database`] for [`SqlDatabase`]: the athletes, the database's own settings, and a scoped
//! [`SqlStore`] per athlete.

use super::{Backend, SqlDatabase, SqlStore};
use crate::decode::AthleteDb;
use crate::{
    AccountMail, Accounts, AthleteId, AthleteRow, Database, Mail, Notifications, OrgId, Store,
    StoreError, UserId,
};

/// The athlete migration 0001 created in every database: the local runner.
const LOCAL_ATHLETE: AthleteId = AthleteId(1);

#[async_trait::async_trait]
impl<DB: Backend> Database for SqlDatabase<DB> {
    fn backend(&self) -> &'static str {
        DB::BACKEND
    }

    async fn close(&self) {
        if let (Some(sql), false) = (DB::BEFORE_CLOSE, self.read_only) {
            // Best effort: a database that cannot take the checkpoint is closed all the same.
            if let Ok(mut conn) = self.pool.acquire().await {
                let _ = self.sql(sql).execute(&mut conn).await;
            }
        }
        self.pool.close().await;
    }

    fn read_only(&self) -> bool {
        self.read_only
    }

    fn athlete(&self, id: AthleteId) -> Box<dyn Store> {
        Box::new(SqlStore {
            pool: self.pool.clone(),
            athlete: id,
        })
    }

    fn accounts(&self) -> Box<dyn Accounts> {
        Box::new(SqlDatabase::<DB> {
            pool: self.pool.clone(),
            read_only: self.read_only,
        })
    }

    fn mail(&self) -> Box<dyn Mail> {
        Box::new(SqlDatabase::<DB> {
            pool: self.pool.clone(),
            read_only: self.read_only,
        })
    }

    fn account_mail(&self) -> Box<dyn AccountMail> {
        Box::new(SqlDatabase::<DB> {
            pool: self.pool.clone(),
            read_only: self.read_only,
        })
    }

    fn notifications(&self) -> Box<dyn Notifications> {
        Box::new(SqlDatabase::<DB> {
            pool: self.pool.clone(),
            read_only: self.read_only,
        })
    }

    async fn local_athlete(&self) -> Result<AthleteId, StoreError> {
        self.sql("SELECT id FROM athletes WHERE id = $1")
            .bind(LOCAL_ATHLETE)
            .scalar::<AthleteId>(&mut *self.pool.acquire().await?)
            .await?
            .ok_or(StoreError::NotFound {
                what: "athlete",
                id: LOCAL_ATHLETE.0,
            })
    }

    async fn add_athlete(
        &self,
        display_name: &str,
        org: Option<OrgId>,
        user: Option<UserId>,
    ) -> Result<AthleteId, StoreError> {
        let name = display_name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("an athlete needs a name".into()));
        }
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        if let Some(org) = org {
            let found = self
                .sql("SELECT id FROM organisations WHERE id = $1")
                .bind(org.0)
                .scalar::<i64>(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound {
                    what: "organisation",
                    id: org.0,
                });
            }
        }
        if let Some(user) = user {
            let found = self
                .sql("SELECT id FROM users WHERE id = $1")
                .bind(user.0)
                .scalar::<i64>(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound {
                    what: "user",
                    id: user.0,
                });
            }
            let taken = self
                .sql("SELECT id FROM athletes WHERE user_id = $1")
                .bind(user.0)
                .scalar::<AthleteId>(&mut *tx)
                .await?;
            if let Some(other) = taken {
                return Err(StoreError::Invalid(format!(
                    "user {user} already is athlete {other}"
                )));
            }
        }
        let id = self
            .sql(
                "INSERT INTO athletes (name, org_id, user_id, created_ms) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(name)
            .bind(org)
            .bind(user)
            .bind(crate::prepare::now_ms())
            .one::<(AthleteId,)>(&mut *tx)
            .await?
            .0;
        tx.commit().await?;
        Ok(id)
    }

    async fn athletes(&self) -> Result<Vec<AthleteRow>, StoreError> {
        self.sql("SELECT id, name, org_id, user_id, created_ms FROM athletes ORDER BY id")
            .all::<AthleteDb>(&mut *self.pool.acquire().await?)
            .await?
            .into_iter()
            .map(AthleteRow::try_from)
            .collect()
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .sql("SELECT value FROM database_settings WHERE key = $1")
            .bind(key)
            .scalar::<String>(&mut *self.pool.acquire().await?)
            .await?)
    }

    async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.sql(
            "INSERT INTO database_settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *self.pool.acquire().await?)
        .await?;
        Ok(())
    }
}
