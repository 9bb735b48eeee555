//! The statements that write activities, shared by both backends (see [`crate::sql`]).

/// Defines, for a backend whose database type is `$db`, the transaction type `Tx` and the
/// helpers that insert files, activities and laps inside one.
macro_rules! write_helpers {
    ($db:ty) => {
        type Tx = sqlx::Transaction<'static, $db>;

        /// The most laps bound in one INSERT (11 values each; both backends allow far more
        /// parameters than 11 000).
        const LAPS_PER_INSERT: usize = 1000;

        async fn insert_file(
            tx: &mut Tx,
            f: &NewFile<'_>,
            packed: &PackedFile,
            duplicate_of: Option<ActivityId>,
        ) -> Result<FileId, StoreError> {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO files (name, sha256, format, size, compression, bytes, \
                 imported_ms, duplicate_of) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(f.name)
            .bind(f.sha256.to_ascii_lowercase())
            .bind(f.format)
            .bind(f.bytes.len() as i64)
            .bind(packed.compression)
            .bind(packed.bytes.as_slice())
            .bind($crate::prepare::now_ms())
            .bind(duplicate_of)
            .fetch_one(&mut **tx)
            .await
            .map_err(|e| match e.as_database_error() {
                Some(d) if d.is_unique_violation() => StoreError::DuplicateFile {
                    sha256: f.sha256.to_ascii_lowercase(),
                },
                _ => e.into(),
            })
        }

        /// Inserts an activity, or rewrites the one stored for the same file and session in
        /// place (keeping its id, and its name and shoe when already set: the person's edits
        /// and Strava's names survive a reparse). Its laps and load summary follow.
        async fn upsert_activity(
            tx: &mut Tx,
            file: FileId,
            p: &Prepared<'_>,
        ) -> Result<ActivityId, StoreError> {
            let a = p.a;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO activities (file_id, session, name, sport, sport_detail, start_ms, \
                 end_ms, utc_offset_s, distance_m, elapsed_s, moving_s, ascent_m, descent_m, \
                 avg_hr, max_hr, avg_cadence, device, barometric, totals_source, sample_count, \
                 shoe_id, samples) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
                 $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) \
                 ON CONFLICT (file_id, session) DO UPDATE SET \
                 name = COALESCE(activities.name, excluded.name), sport = excluded.sport, \
                 sport_detail = excluded.sport_detail, start_ms = excluded.start_ms, \
                 end_ms = excluded.end_ms, utc_offset_s = excluded.utc_offset_s, \
                 distance_m = excluded.distance_m, elapsed_s = excluded.elapsed_s, \
                 moving_s = excluded.moving_s, ascent_m = excluded.ascent_m, \
                 descent_m = excluded.descent_m, avg_hr = excluded.avg_hr, \
                 max_hr = excluded.max_hr, avg_cadence = excluded.avg_cadence, \
                 device = excluded.device, barometric = excluded.barometric, \
                 totals_source = excluded.totals_source, sample_count = excluded.sample_count, \
                 shoe_id = COALESCE(activities.shoe_id, excluded.shoe_id), \
                 samples = excluded.samples \
                 RETURNING id",
            )
            .bind(file)
            .bind(p.session)
            .bind(a.name.as_deref())
            .bind(a.sport.as_str())
            .bind(a.sport_detail.as_deref())
            .bind(p.start_ms)
            .bind(p.end_ms)
            .bind(a.utc_offset_s)
            .bind(a.distance_m)
            .bind(a.elapsed_s)
            .bind(a.moving_s)
            .bind(a.ascent_m)
            .bind(a.descent_m)
            .bind(a.avg_hr.map(i16::from))
            .bind(a.max_hr.map(i16::from))
            .bind(a.avg_cadence)
            .bind(a.device.as_deref())
            .bind(a.barometric)
            .bind(p.totals_source())
            .bind(a.samples.len() as i64)
            .bind(p.shoe)
            .bind(p.samples.as_slice())
            .fetch_one(&mut **tx)
            .await?;
            sqlx::query("DELETE FROM laps WHERE activity_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            insert_laps(tx, id, p).await?;
            save_summary(tx, id, p.summary.as_deref()).await?;
            Ok(id)
        }

        /// Stores an activity's load summary (keeping its RPE); `None` keeps what is stored.
        async fn save_summary(
            tx: &mut Tx,
            id: ActivityId,
            summary: Option<&str>,
        ) -> Result<(), StoreError> {
            if let Some(json) = summary {
                sqlx::query(
                    "INSERT INTO activity_load (activity_id, summary) VALUES ($1, $2) \
                     ON CONFLICT (activity_id) DO UPDATE SET summary = excluded.summary",
                )
                .bind(id)
                .bind(json)
                .execute(&mut **tx)
                .await?;
            }
            Ok(())
        }

        /// All laps of an activity in one statement per thousand laps.
        async fn insert_laps(
            tx: &mut Tx,
            id: ActivityId,
            p: &Prepared<'_>,
        ) -> Result<(), StoreError> {
            let laps = &p.a.laps;
            for (chunk_no, chunk) in laps.chunks(LAPS_PER_INSERT).enumerate() {
                let mut qb = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO laps (activity_id, idx, start_ms, elapsed_s, moving_s, \
                     distance_m, ascent_m, descent_m, avg_hr, max_hr, avg_cadence) ",
                );
                let base = chunk_no * LAPS_PER_INSERT;
                qb.push_values(chunk.iter().enumerate(), |mut b, (i, l)| {
                    b.push_bind(id)
                        .push_bind((base + i) as i32)
                        .push_bind(l.start.map(|s| s.timestamp_millis()))
                        .push_bind(l.elapsed_s)
                        .push_bind(l.moving_s)
                        .push_bind(l.distance_m)
                        .push_bind(l.ascent_m)
                        .push_bind(l.descent_m)
                        .push_bind(l.avg_hr.map(i16::from))
                        .push_bind(l.max_hr.map(i16::from))
                        .push_bind(l.avg_cadence);
                });
                qb.build().execute(&mut **tx).await?;
            }
            Ok(())
        }

        async fn activity_exists(tx: &mut Tx, id: ActivityId) -> Result<bool, StoreError> {
            Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM activities WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
                .is_some())
        }
    };
}

pub(crate) use write_helpers;
