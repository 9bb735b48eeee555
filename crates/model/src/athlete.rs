//! The athlete's profile: who they are (for heart-rate load, energy and risk), where they live
//! (time zone, so runs land on the right local day) and the units they read.
//!
//! Every field is optional: Soleus works from imported runs alone and asks for more only when a
//! feature needs it, saying which field is missing.

use serde::{Deserialize, Serialize};

use crate::energy::{self, ActivityFactor, Age, BodyFat, EnergyError, Height, History, Weight};
use crate::load::HrProfile;
use crate::units::DistanceUnit;

pub use crate::units::WeightUnit;

/// Height display unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum HeightUnit {
    /// Centimetres.
    #[default]
    Cm,
    /// Feet and inches.
    Ftin,
}

/// The stored profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Athlete {
    /// Sex, for TRIMP weighting, resting energy and intake floors.
    pub sex: Option<energy::Sex>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Body weight, kg.
    pub weight_kg: Option<f64>,
    /// Height, cm.
    pub height_cm: Option<f64>,
    /// Measured body fat, %.
    pub body_fat_pct: Option<f64>,
    /// Daily life outside running (`low`, `moderate` or a factor 1.2–2.4).
    pub activity_level: Option<String>,
    /// Resting heart rate, bpm.
    pub hr_rest: Option<u8>,
    /// Maximum heart rate, bpm.
    pub hr_max: Option<u8>,
    /// Threshold heart rate, bpm.
    pub hr_threshold: Option<u8>,
    /// IANA time zone name (`Europe/Berlin`), for runs whose file has no offset.
    pub time_zone: Option<String>,
    /// Distance unit.
    pub units: DistanceUnit,
    /// Weight unit.
    pub weight_unit: WeightUnit,
    /// Height unit.
    pub height_unit: HeightUnit,
    /// The shoe the athlete usually runs in (a shoe name).
    pub usual_shoe: Option<String>,
    /// Bone-stress injuries ever had.
    pub bone_stress_injuries: u32,
    /// Periods missed for three months or more.
    pub missed_periods_3_months: bool,
}

/// Where a heart-rate anchor came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The athlete entered it.
    Profile,
    /// Estimated from the imported activities.
    Estimated,
}

/// Heart-rate anchors with where each came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HrAnchors {
    /// The profile for TRIMP and hard time.
    pub profile: HrProfile,
    /// Where the maximum came from.
    pub max_source: Source,
    /// Where the resting rate came from.
    pub rest_source: Source,
}

/// Resting heart rate assumed when none is entered: a typical value for recreational runners
/// (a Soleus convention, shown as an estimate; enter your own for better TRIMP).
pub const DEFAULT_HR_REST: u8 = 60;

impl Athlete {
    /// Age in a given year, when the birth year is known.
    pub fn age_in(&self, year: i32) -> Option<i32> {
        self.birth_year.map(|b| year - b)
    }

    /// The heart-rate anchors: the profile's where entered, otherwise the highest heart rate
    /// the imported activities recorded (`observed_max`) and [`DEFAULT_HR_REST`]. `None`
    /// without a sex or any maximum.
    pub fn hr_anchors(&self, observed_max: Option<u8>) -> Option<HrAnchors> {
        let sex = self.sex?;
        let (max, max_source) = match (self.hr_max, observed_max) {
            (Some(m), _) => (m, Source::Profile),
            (None, Some(m)) => (m, Source::Estimated),
            (None, None) => return None,
        };
        let (rest, rest_source) = match self.hr_rest {
            Some(r) => (r, Source::Profile),
            None => (DEFAULT_HR_REST, Source::Estimated),
        };
        Some(HrAnchors {
            profile: HrProfile {
                rest,
                max,
                sex,
                threshold: self.hr_threshold,
            },
            max_source,
            rest_source,
        })
    }

    /// The validated energy profile, or the first missing or invalid field.
    pub fn energy_profile(&self, year: i32) -> Result<energy::Profile, EnergyError> {
        let missing = |field: &'static str| EnergyError::Missing { field };
        let sex = self.sex.ok_or(missing("sex"))?;
        let age = self.age_in(year).ok_or(missing("birth year"))?;
        let age = Age::new(u32::try_from(age).unwrap_or(0))?;
        let height = Height::from_cm(self.height_cm.ok_or(missing("height"))?)?;
        let weight = Weight::from_kg(self.weight_kg.ok_or(missing("weight"))?)?;
        let body_fat = self.body_fat_pct.map(BodyFat::from_pct).transpose()?;
        let activity = ActivityFactor::parse(self.activity_level.as_deref().unwrap_or("low"))?;
        Ok(energy::Profile {
            sex,
            age,
            height,
            weight,
            body_fat,
            activity,
            history: History {
                bone_stress_injuries: self.bone_stress_injuries,
                missed_periods_3_months: self.missed_periods_3_months,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_say_where_they_came_from() {
        let mut a = Athlete {
            sex: Some(energy::Sex::Female),
            ..Athlete::default()
        };
        assert_eq!(a.hr_anchors(None), None, "no maximum anywhere");
        let est = a.hr_anchors(Some(188)).unwrap();
        assert_eq!((est.profile.max, est.max_source), (188, Source::Estimated));
        assert_eq!(
            (est.profile.rest, est.rest_source),
            (DEFAULT_HR_REST, Source::Estimated)
        );
        a.hr_max = Some(192);
        a.hr_rest = Some(48);
        let p = a.hr_anchors(Some(188)).unwrap();
        assert_eq!(
            (p.profile.max, p.profile.rest, p.max_source),
            (192, 48, Source::Profile)
        );
    }

    #[test]
    fn energy_profile_names_the_missing_field() {
        let a = Athlete {
            sex: Some(energy::Sex::Male),
            birth_year: Some(1990),
            ..Athlete::default()
        };
        let err = a.energy_profile(2026).unwrap_err().to_string();
        assert!(err.contains("height"), "{err}");
        let full = Athlete {
            height_cm: Some(180.0),
            weight_kg: Some(72.0),
            ..a
        };
        assert_eq!(full.energy_profile(2026).unwrap().age.years(), 36);
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_str::<Athlete>(r#"{"weight_kg": 60, "wieght": 1}"#).is_err());
        let a: Athlete =
            serde_json::from_str(r#"{"units": "miles", "weight_unit": "lb"}"#).unwrap();
        assert_eq!(
            (a.units, a.weight_unit),
            (DistanceUnit::Miles, WeightUnit::Lb)
        );
    }
}
