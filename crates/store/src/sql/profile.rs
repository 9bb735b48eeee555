//! The athlete's profile, in the typed columns of their `athletes` row.

use soleus_model::athlete::Athlete;

use super::{Backend, SqlStore};
use crate::StoreError;
use crate::profile::{PROFILE_COLUMNS, ProfileDb};

pub(super) async fn get<DB: Backend>(s: &SqlStore<DB>) -> Result<Athlete, StoreError> {
    let q = format!("SELECT {PROFILE_COLUMNS} FROM athletes WHERE id = $1");
    match s
        .sql(&q)
        .optional::<ProfileDb>(&mut *s.conn().await?)
        .await?
    {
        Some(row) => Athlete::try_from(row),
        None => Ok(Athlete::default()),
    }
}

pub(super) async fn set<DB: Backend>(s: &SqlStore<DB>, a: &Athlete) -> Result<(), StoreError> {
    let assignments: Vec<String> = PROFILE_COLUMNS
        .split(',')
        .enumerate()
        .map(|(i, column)| format!("{} = ${}", column.trim(), i + 2))
        .collect();
    let q = format!(
        "UPDATE athletes SET {} WHERE id = $1",
        assignments.join(", ")
    );
    let r = ProfileDb::from(a);
    let n = s
        .sql(&q)
        .bind(r.sex)
        .bind(r.birth_year)
        .bind(r.weight_kg)
        .bind(r.height_cm)
        .bind(r.body_fat_pct)
        .bind(r.activity_level)
        .bind(r.hr_rest)
        .bind(r.hr_max)
        .bind(r.hr_threshold)
        .bind(r.time_zone)
        .bind(r.units)
        .bind(r.weight_unit)
        .bind(r.height_unit)
        .bind(r.usual_shoe)
        .bind(r.bone_stress_injuries)
        .bind(r.missed_periods_3_months)
        .execute(&mut *s.conn().await?)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "athlete",
            id: s.athlete.0,
        });
    }
    Ok(())
}
