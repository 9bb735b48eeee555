//! [`Records`](crate::Records): load summaries and RPE, the journal (check-ins,
//! scores, assessments, plans, energy logs) and shoes, stamped out per backend beside the
//! `Store` implementation.

/// Implements [`Records`](crate::Records) for `$store`.
macro_rules! more_methods {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::Records for $store {
        async fn summaries(&self) -> Result<Vec<$crate::SummaryRow>, StoreError> {
            let rows = sqlx::query_as::<_, $crate::decode::SummaryDb>(
                "SELECT a.id, l.summary, l.rpe, a.shoe_id, s.drop_mm, a.sport, a.start_ms, \
                 a.utc_offset_s, a.distance_m, a.moving_s, a.elapsed_s, a.ascent_m, \
                 a.descent_m FROM activities a LEFT JOIN shoes s ON s.id = a.shoe_id \
                 LEFT JOIN activity_load l ON l.activity_id = a.id \
                 WHERE a.athlete_id = 1 ORDER BY a.start_ms, a.id",
            )
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map($crate::SummaryRow::try_from).collect()
        }

        async fn set_summary(
            &self,
            id: ActivityId,
            summary: &soleus_model::load::RunSummary,
        ) -> Result<(), StoreError> {
            let json = serde_json::to_string(summary)
                .map_err(|e| StoreError::Invalid(format!("summary not serialisable: {e}")))?;
            let mut tx = self.begin_write().await?;
            if !activity_exists(&mut tx, id).await? {
                return Err(StoreError::NotFound { what: "activity", id });
            }
            save_summary(&mut tx, id, Some(&json)).await?;
            tx.commit().await?;
            Ok(())
        }

        async fn set_rpe(&self, id: ActivityId, rpe: Option<u8>) -> Result<(), StoreError> {
            if let Some(r) = rpe.filter(|r| *r > 10) {
                return Err(StoreError::Invalid(format!("RPE {r} is outside the CR-10 scale 0–10")));
            }
            let mut tx = self.begin_write().await?;
            if !activity_exists(&mut tx, id).await? {
                return Err(StoreError::NotFound { what: "activity", id });
            }
            sqlx::query(
                "INSERT INTO activity_load (activity_id, rpe) VALUES ($1, $2) \
                 ON CONFLICT (activity_id) DO UPDATE SET rpe = excluded.rpe",
            )
            .bind(id)
            .bind(rpe.map(i16::from))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn add_entry(
            &self,
            kind: &str,
            day: chrono::NaiveDate,
            body: &serde_json::Value,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar::<_, i64>(
                "INSERT INTO journal (kind, day, created_ms, body) VALUES ($1, $2, $3, $4) \
                 RETURNING id",
            )
            .bind(kind)
            .bind(day.to_string())
            .bind(chrono::Utc::now().timestamp_millis())
            .bind(body.to_string())
            .fetch_one(&self.pool)
            .await?)
        }

        async fn entries(&self, kind: &str) -> Result<Vec<$crate::JournalEntry>, StoreError> {
            let rows = sqlx::query_as::<_, (i64, String, String, i64, String)>(
                "SELECT id, kind, day, created_ms, body FROM journal \
                 WHERE athlete_id = 1 AND kind = $1 ORDER BY day, id",
            )
            .bind(kind)
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map($crate::decode::journal_entry).collect()
        }

        async fn delete_entry(&self, kind: &str, id: i64) -> Result<bool, StoreError> {
            let done = sqlx::query("DELETE FROM journal WHERE id = $1 AND kind = $2")
                .bind(id)
                .bind(kind)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected() > 0)
        }

        async fn save_shoe(&self, spec: &$crate::ShoeSpec) -> Result<ShoeId, StoreError> {
            let name = spec.name.trim();
            if name.is_empty() {
                return Err(StoreError::Invalid("a shoe needs a name".into()));
            }
            Ok(sqlx::query_scalar::<_, i64>(
                "INSERT INTO shoes (name, brand, model, drop_mm, stack_mm, started_on, retire_km) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (athlete_id, name) DO UPDATE SET \
                 brand = COALESCE(excluded.brand, shoes.brand), \
                 model = COALESCE(excluded.model, shoes.model), \
                 drop_mm = COALESCE(excluded.drop_mm, shoes.drop_mm), \
                 stack_mm = COALESCE(excluded.stack_mm, shoes.stack_mm), \
                 started_on = COALESCE(excluded.started_on, shoes.started_on), \
                 retire_km = COALESCE(excluded.retire_km, shoes.retire_km) RETURNING id",
            )
            .bind(name)
            .bind(spec.brand.as_deref())
            .bind(spec.model.as_deref())
            .bind(spec.drop_mm)
            .bind(spec.stack_mm)
            .bind(spec.started_on.map(|d| d.to_string()))
            .bind(spec.retire_km)
            .fetch_one(&self.pool)
            .await?)
        }

        async fn shoes(&self) -> Result<Vec<$crate::ShoeRow>, StoreError> {
            let rows = sqlx::query_as::<_, $crate::decode::ShoeDb>(
                "SELECT s.id, s.name, s.brand, s.model, s.drop_mm, s.stack_mm, s.started_on, \
                 s.retire_km, s.retired, s.is_default, \
                 COALESCE(SUM(a.distance_m), 0.0) / 1000.0 AS km, COUNT(a.id) AS activities \
                 FROM shoes s LEFT JOIN activities a ON a.shoe_id = s.id \
                 WHERE s.athlete_id = 1 \
                 GROUP BY s.id, s.name, s.brand, s.model, s.drop_mm, s.stack_mm, s.started_on, \
                 s.retire_km, s.retired, s.is_default \
                 ORDER BY s.retired, s.name",
            )
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map($crate::ShoeRow::try_from).collect()
        }

        async fn set_shoe_retired(&self, id: ShoeId, retired: bool) -> Result<(), StoreError> {
            let done = sqlx::query(
                "UPDATE shoes SET retired = $1, is_default = (is_default AND NOT $1) WHERE id = $2",
            )
            .bind(retired)
            .bind(id)
            .execute(&self.pool)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound { what: "shoe", id });
            }
            Ok(())
        }

        async fn set_default_shoe(&self, id: Option<ShoeId>) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE shoes SET is_default = FALSE WHERE athlete_id = 1")
                .execute(&mut *tx)
                .await?;
            if let Some(id) = id {
                let done = sqlx::query("UPDATE shoes SET is_default = TRUE WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound { what: "shoe", id });
                }
            }
            tx.commit().await?;
            Ok(())
        }
        }
    };
}

pub(crate) use more_methods;
