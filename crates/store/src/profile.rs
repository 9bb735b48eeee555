//! The athlete's profile as typed columns of the `athletes` row, and back.
//!
//! Enum columns hold the serde spelling of each variant (what earlier releases wrote in the
//! profile's JSON document, which migration 0005 moved into these columns); a test checks the
//! two agree.

use soleus_model::athlete::{Athlete, HeightUnit, WeightUnit};
use soleus_model::energy::Sex;
use soleus_model::units::DistanceUnit;

use crate::StoreError;

/// The profile columns, in [`ProfileDb`]'s order.
pub(crate) const PROFILE_COLUMNS: &str = "sex, birth_year, weight_kg, height_cm, body_fat_pct, \
    activity_level, hr_rest, hr_max, hr_threshold, time_zone, units, weight_unit, height_unit, \
    usual_shoe, bone_stress_injuries, missed_periods_3_months";

/// The profile columns of an `athletes` row.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub(crate) struct ProfileDb {
    pub(crate) sex: Option<String>,
    pub(crate) birth_year: Option<i32>,
    pub(crate) weight_kg: Option<f64>,
    pub(crate) height_cm: Option<f64>,
    pub(crate) body_fat_pct: Option<f64>,
    pub(crate) activity_level: Option<String>,
    pub(crate) hr_rest: Option<i16>,
    pub(crate) hr_max: Option<i16>,
    pub(crate) hr_threshold: Option<i16>,
    pub(crate) time_zone: Option<String>,
    pub(crate) units: String,
    pub(crate) weight_unit: String,
    pub(crate) height_unit: String,
    pub(crate) usual_shoe: Option<String>,
    pub(crate) bone_stress_injuries: i64,
    pub(crate) missed_periods_3_months: bool,
}

impl From<&Athlete> for ProfileDb {
    fn from(a: &Athlete) -> ProfileDb {
        ProfileDb {
            sex: a.sex.map(|s| sex_text(s).to_string()),
            birth_year: a.birth_year,
            weight_kg: a.weight_kg,
            height_cm: a.height_cm,
            body_fat_pct: a.body_fat_pct,
            activity_level: a.activity_level.clone(),
            hr_rest: a.hr_rest.map(i16::from),
            hr_max: a.hr_max.map(i16::from),
            hr_threshold: a.hr_threshold.map(i16::from),
            time_zone: a.time_zone.clone(),
            units: units_text(a.units).to_string(),
            weight_unit: weight_unit_text(a.weight_unit).to_string(),
            height_unit: height_unit_text(a.height_unit).to_string(),
            usual_shoe: a.usual_shoe.clone(),
            bone_stress_injuries: i64::from(a.bone_stress_injuries),
            missed_periods_3_months: a.missed_periods_3_months,
        }
    }
}

impl TryFrom<ProfileDb> for Athlete {
    type Error = StoreError;

    fn try_from(r: ProfileDb) -> Result<Athlete, StoreError> {
        let corrupt = |what: &str, v: &dyn std::fmt::Debug| {
            StoreError::Corrupt(format!("profile: {what} {v:?} is not one Soleus writes"))
        };
        let hr = |what: &str, v: Option<i16>| {
            v.map(|v| u8::try_from(v).map_err(|_| corrupt(what, &v)))
                .transpose()
        };
        Ok(Athlete {
            sex: match r.sex.as_deref() {
                None => None,
                Some("female") => Some(Sex::Female),
                Some("male") => Some(Sex::Male),
                Some(other) => return Err(corrupt("sex", &other)),
            },
            birth_year: r.birth_year,
            weight_kg: r.weight_kg,
            height_cm: r.height_cm,
            body_fat_pct: r.body_fat_pct,
            activity_level: r.activity_level,
            hr_rest: hr("resting heart rate", r.hr_rest)?,
            hr_max: hr("maximum heart rate", r.hr_max)?,
            hr_threshold: hr("threshold heart rate", r.hr_threshold)?,
            time_zone: r.time_zone,
            units: match r.units.as_str() {
                "km" => DistanceUnit::Km,
                "miles" => DistanceUnit::Miles,
                other => return Err(corrupt("distance unit", &other)),
            },
            weight_unit: match r.weight_unit.as_str() {
                "kg" => WeightUnit::Kg,
                "lb" => WeightUnit::Lb,
                other => return Err(corrupt("weight unit", &other)),
            },
            height_unit: match r.height_unit.as_str() {
                "cm" => HeightUnit::Cm,
                "ftin" => HeightUnit::Ftin,
                other => return Err(corrupt("height unit", &other)),
            },
            usual_shoe: r.usual_shoe,
            bone_stress_injuries: u32::try_from(r.bone_stress_injuries)
                .map_err(|_| corrupt("bone-stress injury count", &r.bone_stress_injuries))?,
            missed_periods_3_months: r.missed_periods_3_months,
        })
    }
}

fn sex_text(s: Sex) -> &'static str {
    match s {
        Sex::Female => "female",
        Sex::Male => "male",
    }
}

fn units_text(u: DistanceUnit) -> &'static str {
    match u {
        DistanceUnit::Km => "km",
        DistanceUnit::Miles => "miles",
    }
}

fn weight_unit_text(u: WeightUnit) -> &'static str {
    match u {
        WeightUnit::Kg => "kg",
        WeightUnit::Lb => "lb",
    }
}

fn height_unit_text(u: HeightUnit) -> &'static str {
    match u {
        HeightUnit::Cm => "cm",
        HeightUnit::Ftin => "ftin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_text<T: serde::Serialize>(v: T) -> String {
        serde_json::to_value(v)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The columns hold what the JSON document held, so migration 0005 moved it verbatim.
    #[test]
    fn column_spellings_are_the_serde_spellings() {
        for s in [Sex::Female, Sex::Male] {
            assert_eq!(sex_text(s), serde_text(s));
        }
        for u in [DistanceUnit::Km, DistanceUnit::Miles] {
            assert_eq!(units_text(u), serde_text(u));
        }
        for u in [WeightUnit::Kg, WeightUnit::Lb] {
            assert_eq!(weight_unit_text(u), serde_text(u));
        }
        for u in [HeightUnit::Cm, HeightUnit::Ftin] {
            assert_eq!(height_unit_text(u), serde_text(u));
        }
    }

    #[test]
    fn a_profile_round_trips_through_its_columns() {
        let a = Athlete {
            sex: Some(Sex::Male),
            birth_year: Some(1980),
            hr_max: Some(255),
            units: DistanceUnit::Miles,
            height_unit: HeightUnit::Ftin,
            bone_stress_injuries: u32::MAX,
            missed_periods_3_months: true,
            ..Athlete::default()
        };
        assert_eq!(Athlete::try_from(ProfileDb::from(&a)).unwrap(), a);
        let mut bad = ProfileDb::from(&a);
        bad.hr_rest = Some(300);
        assert!(matches!(
            Athlete::try_from(bad),
            Err(StoreError::Corrupt(_))
        ));
        let mut bad = ProfileDb::from(&a);
        bad.units = "furlongs".into();
        assert!(matches!(
            Athlete::try_from(bad),
            Err(StoreError::Corrupt(_))
        ));
    }
}
