//! The athlete's settings: small values by key (`units`, the energy goal, …).

use super::{Backend, SqlStore};
use crate::StoreError;

pub(super) async fn get<DB: Backend>(
    s: &SqlStore<DB>,
    key: &str,
) -> Result<Option<String>, StoreError> {
    Ok(
        s.sql("SELECT value FROM settings WHERE athlete_id = $1 AND key = $2")
            .bind(key)
            .scalar::<String>(&mut *s.conn().await?)
            .await?,
    )
}

pub(super) async fn set<DB: Backend>(
    s: &SqlStore<DB>,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    s.sql(
        "INSERT INTO settings (athlete_id, key, value) VALUES ($1, $2, $3) \
         ON CONFLICT (athlete_id, key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *s.conn().await?)
    .await?;
    Ok(())
}
