//! [`Database`] for [`SqlDatabase`]: the athletes, the database's own settings, and a scoped
//! [`SqlStore`] per athlete.

use super::{Backend, SqlDatabase, SqlStore};
use crate::backup::{self, BackupFormat, BackupSummary};
use crate::decode::AthleteDb;
use crate::{
    AccountMail, Accounts, AthleteId, AthleteRow, Database, Erased, Mail, Notifications, OrgId,
    QueueDepth, Schema, Store, StoreError, UserId,
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

    async fn backup(
        &self,
        path: &std::path::Path,
        portable: bool,
    ) -> Result<BackupSummary, StoreError> {
        if let (false, Some(file)) = (portable, DB::file_backup(&self.pool, path)) {
            return file.await;
        }
        let (tx, rx) = backup::channel();
        let (dumped, written) = tokio::join!(
            DB::dump_rows(self.pool.clone(), tx),
            backup::write_portable(rx, path.to_owned(), DB::BACKEND)
        );
        // Without the dump's end the writer failed and removed its file; the dump's error
        // says why.
        dumped?;
        let w = written?;
        let bytes = backup::finish(&w.partial, path)?;
        Ok(BackupSummary {
            format: BackupFormat::Portable,
            tables: w.tables,
            rows: Some(w.rows),
            bytes,
        })
    }

    async fn restore(&self, path: &std::path::Path) -> Result<BackupSummary, StoreError> {
        if self.read_only {
            return Err(StoreError::Invalid(
                "this database was opened read-only; restore into a writable one".into(),
            ));
        }
        let format = backup::format_of(path)?;
        let (tx, rx) = backup::channel();
        let read = async {
            match format {
                BackupFormat::Sqlite => backup::sqlite::dump_file(path.to_owned(), tx).await,
                BackupFormat::Portable => backup::read_portable(tx, path.to_owned()).await,
            }
        };
        let (read, loaded) = tokio::join!(read, DB::load_rows(self.pool.clone(), rx));
        // A reading error (a damaged file) is why the load stopped short.
        read?;
        let rows = loaded?;
        Ok(BackupSummary {
            format,
            tables: backup::TABLES.len(),
            rows: Some(rows),
            bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        })
    }

    async fn delete_athlete(&self, id: AthleteId) -> Result<Erased, StoreError> {
        super::erase::delete_athlete(self, id).await
    }

    fn athlete(&self, id: AthleteId) -> Box<dyn Store> {
        Box::new(SqlStore {
            pool: self.pool.clone(),
            athlete: id,
            summaries: self.summaries.clone(),
        })
    }

    fn accounts(&self) -> Box<dyn Accounts> {
        Box::new(self.clone())
    }

    fn mail(&self) -> Box<dyn Mail> {
        Box::new(self.clone())
    }

    fn account_mail(&self) -> Box<dyn AccountMail> {
        Box::new(self.clone())
    }

    fn jobs(&self) -> Box<dyn crate::Jobs> {
        Box::new(self.clone())
    }

    async fn schema(&self) -> Result<Schema, StoreError> {
        self.schema_state().await
    }

    async fn queue_depth(&self) -> Result<QueueDepth, StoreError> {
        SqlDatabase::queue_depth(self).await
    }

    fn people(&self) -> Box<dyn crate::People> {
        Box::new(self.clone())
    }

    fn notifications(&self) -> Box<dyn Notifications> {
        Box::new(self.clone())
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
