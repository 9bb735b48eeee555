//! Settings: small values by key (`units`, the energy goal, …).

use super::{Backend, SqlStore, Stmt};
use crate::StoreError;

pub(super) async fn get<DB: Backend>(
    s: &SqlStore<DB>,
    key: &str,
) -> Result<Option<String>, StoreError> {
    Ok(
        Stmt::<DB>::new("SELECT value FROM settings WHERE athlete_id = 1 AND key = $1")
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
    Stmt::<DB>::new(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (athlete_id, key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *s.conn().await?)
    .await?;
    Ok(())
}
