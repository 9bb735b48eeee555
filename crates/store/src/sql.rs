//! The [`Store`](crate::Store) implementation shared by both backends.
//!
//! The two schemas use the same column types and the SQL below is the common dialect of SQLite
//! and PostgreSQL (`$N` parameters, `RETURNING`, `ON CONFLICT`), so one body serves both. A
//! macro, rather than functions generic over `sqlx::Database`, stamps it out per backend: the
//! generic bounds sqlx needs for that are longer than the code they would share. Each backend
//! provides `pool`, `begin_write()` and `begin_read()`.

/// Implements [`Store`](crate::Store) for `$store`, whose pool is a `sqlx::Pool<$db>`.
macro_rules! impl_store {
    ($store:ty, $db:ty, $name:literal) => {
        use $crate::decode::{ACTIVITY_SELECT, ActivityDb, FILE_SELECT, FileDb, LapDb};
        use $crate::pack::PackedFile;
        use $crate::prepare::Prepared;
        use $crate::{
            ActivityId, ActivityRow, FileId, FileRow, NewActivity, NewFile, ShoeId, StoreError,
            StoredActivity,
        };

        $crate::sql_write::write_helpers!($db);

        #[async_trait::async_trait]
        impl $crate::Store for $store {
            fn backend(&self) -> &'static str {
                $name
            }

            async fn file_by_hash(&self, sha256: &str) -> Result<Option<FileRow>, StoreError> {
                let q = format!("{FILE_SELECT} WHERE athlete_id = 1 AND sha256 = $1");
                sqlx::query_as::<_, FileDb>(&q)
                    .bind(sha256.to_ascii_lowercase())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(FileRow::try_from)
                    .transpose()
            }

            async fn activities_overlapping(
                &self,
                start: chrono::DateTime<chrono::Utc>,
                end: chrono::DateTime<chrono::Utc>,
            ) -> Result<Vec<ActivityRow>, StoreError> {
                let q = $crate::overlap::overlap_query();
                let (start_ms, end_ms) = (start.timestamp_millis(), end.timestamp_millis());
                let span = $crate::MAX_SPAN_MS;
                // $1 end, $2 start, $3 the earliest start, $4 the latest end that can overlap.
                sqlx::query_as::<_, ActivityDb>(&q)
                    .bind(end_ms)
                    .bind(start_ms)
                    .bind(start_ms.saturating_sub(span))
                    .bind(end_ms.saturating_add(span))
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(ActivityRow::try_from)
                    .collect()
            }

            async fn save_import(
                &self,
                file: &NewFile<'_>,
                activities: &[NewActivity<'_>],
                replaces: &[ActivityId],
            ) -> Result<(FileId, Vec<ActivityId>), StoreError> {
                if activities.is_empty() && !replaces.is_empty() {
                    return Err(StoreError::Invalid(
                        "an import with no activities cannot replace any".into(),
                    ));
                }
                // Compress and encode before the transaction, so it holds the lock briefly.
                let packed = match file.packed {
                    Some(p) => p.clone(),
                    None => $crate::pack::pack_file(file)?,
                };
                let prepared = activities
                    .iter()
                    .map(Prepared::new)
                    .collect::<Result<Vec<_>, _>>()?;
                let mut tx = self.begin_write().await?;
                let file_id = insert_file(&mut tx, file, &packed, None).await?;
                let mut ids = Vec::with_capacity(prepared.len());
                for p in &prepared {
                    ids.push(upsert_activity(&mut tx, file_id, p).await?);
                }
                for &old in replaces {
                    let old_file =
                        sqlx::query_scalar::<_, i64>("SELECT file_id FROM activities WHERE id = $1")
                            .bind(old)
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or(StoreError::NotFound { what: "activity", id: old })?;
                    // Files that duplicated the old copy now duplicate the new one.
                    sqlx::query("UPDATE files SET duplicate_of = $1 WHERE duplicate_of = $2")
                        .bind(ids[0])
                        .bind(old)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM activities WHERE id = $1")
                        .bind(old)
                        .execute(&mut *tx)
                        .await?;
                    // The old file becomes a duplicate once none of its activities is left.
                    sqlx::query(
                        "UPDATE files SET duplicate_of = $1 WHERE id = $2 AND NOT EXISTS \
                         (SELECT 1 FROM activities WHERE file_id = $2)",
                    )
                    .bind(ids[0])
                    .bind(old_file)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok((file_id, ids))
            }

            async fn save_duplicate_file(
                &self,
                file: &NewFile<'_>,
                duplicate_of: ActivityId,
            ) -> Result<FileId, StoreError> {
                let packed = match file.packed {
                    Some(p) => p.clone(),
                    None => $crate::pack::pack_file(file)?,
                };
                let mut tx = self.begin_write().await?;
                if !activity_exists(&mut tx, duplicate_of).await? {
                    return Err(StoreError::NotFound { what: "activity", id: duplicate_of });
                }
                let id = insert_file(&mut tx, file, &packed, Some(duplicate_of)).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn list_activities(&self) -> Result<Vec<ActivityRow>, StoreError> {
                let q = format!("{ACTIVITY_SELECT} ORDER BY a.start_ms DESC, a.id DESC");
                sqlx::query_as::<_, ActivityDb>(&q)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(ActivityRow::try_from)
                    .collect()
            }

            async fn activity(
                &self,
                id: ActivityId,
            ) -> Result<Option<StoredActivity>, StoreError> {
                // One snapshot, so the row, its laps and its samples belong together.
                let mut tx = self.begin_read().await?;
                let q = format!("{ACTIVITY_SELECT} WHERE a.id = $1");
                let Some(row) = sqlx::query_as::<_, ActivityDb>(&q)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                else {
                    return Ok(None);
                };
                let laps = sqlx::query_as::<_, LapDb>(
                    "SELECT start_ms, elapsed_s, moving_s, distance_m, ascent_m, descent_m, \
                     avg_hr, max_hr, avg_cadence FROM laps WHERE activity_id = $1 ORDER BY idx",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                let blob =
                    sqlx::query_scalar::<_, Vec<u8>>("SELECT samples FROM activities WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                $crate::decode::assemble(row, laps, &blob).map(Some)
            }

            async fn files(&self) -> Result<Vec<FileRow>, StoreError> {
                let q = format!("{FILE_SELECT} ORDER BY id");
                sqlx::query_as::<_, FileDb>(&q)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(FileRow::try_from)
                    .collect()
            }

            async fn file_bytes(&self, id: FileId) -> Result<Vec<u8>, StoreError> {
                let (compression, bytes, size, sha256) =
                    sqlx::query_as::<_, (String, Vec<u8>, i64, String)>(
                        "SELECT compression, bytes, size, sha256 FROM files WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound { what: "file", id })?;
                $crate::pack::unpack_file(&compression, bytes, size, &sha256)
            }

            async fn replace_file_activities(
                &self,
                file: FileId,
                activities: &[NewActivity<'_>],
            ) -> Result<Vec<ActivityId>, StoreError> {
                let prepared = activities
                    .iter()
                    .map(Prepared::new)
                    .collect::<Result<Vec<_>, _>>()?;
                let mut tx = self.begin_write().await?;
                let duplicate_of = sqlx::query_scalar::<_, Option<i64>>(
                    "SELECT duplicate_of FROM files WHERE id = $1",
                )
                .bind(file)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound { what: "file", id: file })?;
                if duplicate_of.is_some() {
                    // Its runs live on in the richer copy; re-creating them would duplicate it.
                    return Ok(Vec::new());
                }
                let existing = sqlx::query_as::<_, (i64, i32)>(
                    "SELECT id, session FROM activities WHERE file_id = $1",
                )
                .bind(file)
                .fetch_all(&mut *tx)
                .await?;
                let mut ids = Vec::with_capacity(prepared.len());
                for p in &prepared {
                    ids.push(upsert_activity(&mut tx, file, p).await?);
                }
                for &(id, session) in &existing {
                    if !prepared.iter().any(|p| p.session == session) {
                        sqlx::query("DELETE FROM activities WHERE id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                tx.commit().await?;
                Ok(ids)
            }

            async fn shoe_by_name(&self, name: &str) -> Result<ShoeId, StoreError> {
                let name = name.trim();
                if name.is_empty() {
                    return Err(StoreError::Invalid("a shoe needs a name".into()));
                }
                sqlx::query(
                    "INSERT INTO shoes (name) VALUES ($1) ON CONFLICT (athlete_id, name) DO NOTHING",
                )
                .bind(name)
                .execute(&self.pool)
                .await?;
                Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM shoes WHERE athlete_id = 1 AND name = $1")
                    .bind(name)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn set_activity_shoe(
                &self,
                activity: ActivityId,
                shoe: Option<ShoeId>,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                if let Some(shoe) = shoe {
                    let found = sqlx::query_scalar::<_, i64>("SELECT id FROM shoes WHERE id = $1")
                        .bind(shoe)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if found.is_none() {
                        return Err(StoreError::NotFound { what: "shoe", id: shoe });
                    }
                }
                let done = sqlx::query("UPDATE activities SET shoe_id = $1 WHERE id = $2")
                    .bind(shoe)
                    .bind(activity)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound { what: "activity", id: activity });
                }
                tx.commit().await?;
                Ok(())
            }

            async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT value FROM settings WHERE athlete_id = 1 AND key = $1",
                )
                .bind(key)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO settings (key, value) VALUES ($1, $2) \
                     ON CONFLICT (athlete_id, key) DO UPDATE SET value = excluded.value",
                )
                .bind(key)
                .bind(value)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }

        $crate::sql_more::more_methods!($store);
    };
}

pub(crate) use impl_store;
