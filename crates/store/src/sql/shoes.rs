//! Shoes: by name, described, listed with their distance, retired, the default one, and the
//! shoe an activity was run in.

use super::write::shoe_exists;
use super::{Backend, SqlStore};
use crate::decode::ShoeDb;
use crate::{ActivityId, ShoeId, ShoeRow, ShoeSpec, StoreError};

pub(super) async fn by_name<DB: Backend>(
    s: &SqlStore<DB>,
    name: &str,
) -> Result<ShoeId, StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("a shoe needs a name".into()));
    }
    let mut conn = s.conn().await?;
    s.sql(
        "INSERT INTO shoes (athlete_id, name) VALUES ($1, $2) \
         ON CONFLICT (athlete_id, name) DO NOTHING",
    )
    .bind(name)
    .execute(&mut *conn)
    .await?;
    Ok(
        s.sql("SELECT id FROM shoes WHERE athlete_id = $1 AND name = $2")
            .bind(name)
            .one::<(ShoeId,)>(&mut *conn)
            .await?
            .0,
    )
}

pub(super) async fn set_activity_shoe<DB: Backend>(
    s: &SqlStore<DB>,
    activity: ActivityId,
    shoe: Option<ShoeId>,
) -> Result<(), StoreError> {
    let mut tx = s.begin_write().await?;
    if let Some(shoe) = shoe
        && !shoe_exists(s, &mut tx, shoe).await?
    {
        return Err(StoreError::NotFound {
            what: "shoe",
            id: shoe.0,
        });
    }
    let n = s
        .sql("UPDATE activities SET shoe_id = $2 WHERE athlete_id = $1 AND id = $3")
        .bind(shoe)
        .bind(activity)
        .execute(&mut *tx)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "activity",
            id: activity.0,
        });
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn save<DB: Backend>(
    s: &SqlStore<DB>,
    spec: &ShoeSpec,
) -> Result<ShoeId, StoreError> {
    let name = spec.name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("a shoe needs a name".into()));
    }
    Ok(s.sql(
        "INSERT INTO shoes (athlete_id, name, brand, model, drop_mm, stack_mm, started_on, \
             retire_km) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (athlete_id, name) DO UPDATE SET \
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
    .one::<(ShoeId,)>(&mut *s.conn().await?)
    .await?
    .0)
}

pub(super) async fn list<DB: Backend>(s: &SqlStore<DB>) -> Result<Vec<ShoeRow>, StoreError> {
    s.sql(
        "SELECT s.id, s.name, s.brand, s.model, s.drop_mm, s.stack_mm, s.started_on, \
         s.retire_km, s.retired, s.is_default, \
         COALESCE(SUM(a.distance_m), 0.0) / 1000.0 AS km, COUNT(a.id) AS activities \
         FROM shoes s \
         LEFT JOIN activities a ON a.shoe_id = s.id AND a.athlete_id = s.athlete_id \
         AND a.deleted_ms IS NULL \
         WHERE s.athlete_id = $1 \
         GROUP BY s.id, s.name, s.brand, s.model, s.drop_mm, s.stack_mm, s.started_on, \
         s.retire_km, s.retired, s.is_default \
         ORDER BY s.retired, s.name",
    )
    .all::<ShoeDb>(&mut *s.conn().await?)
    .await?
    .into_iter()
    .map(ShoeRow::try_from)
    .collect()
}

pub(super) async fn set_retired<DB: Backend>(
    s: &SqlStore<DB>,
    id: ShoeId,
    retired: bool,
) -> Result<(), StoreError> {
    let n = s
        .sql(
            "UPDATE shoes SET retired = $2, is_default = (is_default AND NOT $2) \
             WHERE athlete_id = $1 AND id = $3",
        )
        .bind(retired)
        .bind(id)
        .execute(&mut *s.conn().await?)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "shoe",
            id: id.0,
        });
    }
    Ok(())
}

pub(super) async fn set_default<DB: Backend>(
    s: &SqlStore<DB>,
    id: Option<ShoeId>,
) -> Result<(), StoreError> {
    let mut tx = s.begin_write().await?;
    s.sql("UPDATE shoes SET is_default = FALSE WHERE athlete_id = $1")
        .execute(&mut *tx)
        .await?;
    if let Some(id) = id {
        let n = s
            .sql("UPDATE shoes SET is_default = TRUE WHERE athlete_id = $1 AND id = $2")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "shoe",
                id: id.0,
            });
        }
    }
    tx.commit().await?;
    Ok(())
}
