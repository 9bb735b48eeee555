//! Validated body measurements: sex, age, height, weight, body fat and the daily-life activity
//! factor. Once a value is one of these types it is in range; code deeper in does not re-check.

use super::EnergyError;
use super::tables::tables;
use serde::{Deserialize, Serialize};

/// Centimetres in an inch (exact, by definition).
pub const CM_PER_INCH: f64 = 2.54;
/// Kilograms in a pound (exact, international pound). clinical.md §5.1 rounds it to 0.4536.
pub const KG_PER_LB: f64 = 0.453_592_37;

/// Sex as used by the Mifflin–St Jeor equation and the intake floors \[Mifflin90; Jensen13\].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Female equation constant and floor.
    Female,
    /// Male equation constant and floor.
    Male,
}

impl Sex {
    /// Parses `female`/`f`/`woman` or `male`/`m`/`man`, any case.
    pub fn parse(s: &str) -> Result<Sex, EnergyError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "female" | "f" | "woman" => Ok(Sex::Female),
            "male" | "m" | "man" => Ok(Sex::Male),
            _ => Err(EnergyError::Unrecognised {
                field: "sex",
                input: s.to_string(),
                expected: "female or male",
            }),
        }
    }
}

/// Checks a number is finite and inside `[min, max]`, naming the field in the error.
fn in_range(
    field: &'static str,
    value: f64,
    min: f64,
    max: f64,
    unit: &'static str,
) -> Result<f64, EnergyError> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(EnergyError::OutOfRange {
            field,
            value,
            min,
            max,
            unit,
        })
    }
}

/// Age in whole years. Mifflin–St Jeor was derived on adults aged 19–78 \[Mifflin90\]; Soleus
/// accepts 18–100 and does not offer adult calorie goals to children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Age(u32);

impl Age {
    /// Youngest accepted age.
    pub const MIN: u32 = 18;
    /// Oldest accepted age.
    pub const MAX: u32 = 100;

    /// Validates an age in years.
    pub fn new(years: u32) -> Result<Age, EnergyError> {
        in_range("age", f64::from(years), 18.0, 100.0, "years").map(|_| Age(years))
    }

    /// The age in years.
    pub fn years(self) -> u32 {
        self.0
    }
}

/// Height, kept in centimetres.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Height(f64);

impl Height {
    /// Accepted range in centimetres.
    pub const RANGE_CM: (f64, f64) = (100.0, 250.0);

    /// A height in centimetres (100–250).
    pub fn from_cm(cm: f64) -> Result<Height, EnergyError> {
        in_range("height", cm, Self::RANGE_CM.0, Self::RANGE_CM.1, "cm").map(Height)
    }

    /// A height in feet and inches, as the source page's widget asks for it. Inches must be
    /// 0 to under 12; the total must lie in the centimetre range (3 ft 4 in to 8 ft 2 in).
    pub fn from_ft_in(feet: u32, inches: f64) -> Result<Height, EnergyError> {
        if !(inches.is_finite() && (0.0..12.0).contains(&inches)) {
            return Err(EnergyError::OutOfRange {
                field: "height inches",
                value: inches,
                min: 0.0,
                max: 11.99,
                unit: "in",
            });
        }
        let cm = (f64::from(feet) * 12.0 + inches) * CM_PER_INCH;
        Height::from_cm(cm)
    }

    /// The height in centimetres.
    pub fn cm(self) -> f64 {
        self.0
    }
}

/// Body weight, kept in kilograms.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weight(f64);

impl Weight {
    /// Accepted range in kilograms.
    pub const RANGE_KG: (f64, f64) = (30.0, 300.0);

    /// A weight in kilograms (30–300).
    pub fn from_kg(kg: f64) -> Result<Weight, EnergyError> {
        in_range("weight", kg, Self::RANGE_KG.0, Self::RANGE_KG.1, "kg").map(Weight)
    }

    /// A weight in pounds, converted exactly (1 lb = 0.45359237 kg).
    pub fn from_lb(lb: f64) -> Result<Weight, EnergyError> {
        let (lo, hi) = Self::RANGE_KG;
        in_range("weight", lb, lo / KG_PER_LB, hi / KG_PER_LB, "lb")
            .map(|lb| Weight(lb * KG_PER_LB))
    }

    /// The weight in kilograms.
    pub fn kg(self) -> f64 {
        self.0
    }

    /// The weight in pounds.
    pub fn lb(self) -> f64 {
        self.0 / KG_PER_LB
    }
}

/// Body fat as a percentage of body weight (3–60 %), when measured.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BodyFat(f64);

impl BodyFat {
    /// Validates a body-fat percentage.
    pub fn from_pct(pct: f64) -> Result<BodyFat, EnergyError> {
        in_range("body fat", pct, 3.0, 60.0, "%").map(BodyFat)
    }

    /// The conservative default when none is measured: a lean runner (energy.toml explains why a
    /// lean assumption is the safe one).
    pub fn default_for(sex: Sex) -> BodyFat {
        let t = tables();
        BodyFat(match sex {
            Sex::Female => t.default_body_fat_pct_female.value,
            Sex::Male => t.default_body_fat_pct_male.value,
        })
    }

    /// The percentage.
    pub fn pct(self) -> f64 {
        self.0
    }
}

/// Energy of daily life outside logged runs, as a multiple of resting energy. Runs are added
/// separately from their own cost, so this stays near 1.3–1.4 to avoid counting them twice
/// (clinical.md §5.2).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityFactor(f64);

impl ActivityFactor {
    /// Parses `low` (desk-bound day, 1.3), `moderate` (on your feet, 1.4), or a number between
    /// 1.2 and 2.4 for someone whose work or other sport is heavier.
    pub fn parse(s: &str) -> Result<ActivityFactor, EnergyError> {
        let t = tables();
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(ActivityFactor(t.activity_low.value)),
            "moderate" => Ok(ActivityFactor(t.activity_moderate.value)),
            other => match other.parse::<f64>() {
                Ok(v) => ActivityFactor::new(v),
                Err(_) => Err(EnergyError::Unrecognised {
                    field: "activity level",
                    input: s.to_string(),
                    expected: "low, moderate, or a factor from 1.2 to 2.4",
                }),
            },
        }
    }

    /// Validates a factor (1.2–2.4).
    pub fn new(factor: f64) -> Result<ActivityFactor, EnergyError> {
        let t = tables();
        in_range(
            "activity level",
            factor,
            t.activity_min.value,
            t.activity_max.value,
            "× resting energy",
        )
        .map(ActivityFactor)
    }

    /// The multiplier.
    pub fn factor(self) -> f64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feet_and_inches_convert_exactly() {
        // 5 ft 6 in = 66 in; 66 × 2.54 = 167.64 cm.
        // (Exact in decimal; binary floating point lands within 1e-12.)
        assert!((Height::from_ft_in(5, 6.0).unwrap().cm() - 167.64).abs() < 1e-12);
        // 6 ft 0 in = 72 in; 72 × 2.54 = 182.88 cm.
        assert!((Height::from_ft_in(6, 0.0).unwrap().cm() - 182.88).abs() < 1e-12);
        assert_eq!(Height::from_cm(170.0).unwrap().cm(), 170.0);
    }

    #[test]
    fn pounds_convert_exactly() {
        // 100 lb × 0.45359237 = 45.359237 kg; 154 lb = 69.85322498 kg.
        assert!((Weight::from_lb(100.0).unwrap().kg() - 45.359237).abs() < 1e-12);
        assert!((Weight::from_lb(154.0).unwrap().kg() - 69.853_224_98).abs() < 1e-9);
        // 70 / 0.45359237 = 154.32358353 lb.
        assert!((Weight::from_kg(70.0).unwrap().lb() - 154.323_583_53).abs() < 1e-8);
    }

    #[test]
    fn out_of_range_errors_name_the_field_and_range() {
        let e = Height::from_cm(90.0).unwrap_err().to_string();
        assert!(
            e.contains("height") && e.contains("100") && e.contains("250"),
            "{e}"
        );
        let e = Height::from_ft_in(5, 12.0).unwrap_err().to_string();
        assert!(e.contains("height inches"), "{e}");
        let e = Weight::from_lb(50.0).unwrap_err().to_string();
        // 30 kg / 0.45359237 = 66.14 lb is the lowest accepted.
        assert!(e.contains("weight") && e.contains("66.1"), "{e}");
        assert!(Weight::from_kg(f64::NAN).is_err());
        let e = Age::new(16).unwrap_err().to_string();
        assert!(
            e.contains("age") && e.contains("18") && e.contains("100"),
            "{e}"
        );
        assert!(Age::new(18).is_ok() && Age::new(100).is_ok() && Age::new(101).is_err());
        assert!(BodyFat::from_pct(2.0).is_err() && BodyFat::from_pct(25.0).is_ok());
    }

    #[test]
    fn sex_and_activity_parse() {
        assert_eq!(Sex::parse(" Female ").unwrap(), Sex::Female);
        assert_eq!(Sex::parse("m").unwrap(), Sex::Male);
        assert!(Sex::parse("x").unwrap_err().to_string().contains("sex"));
        assert_eq!(ActivityFactor::parse("low").unwrap().factor(), 1.3);
        assert_eq!(ActivityFactor::parse("moderate").unwrap().factor(), 1.4);
        assert_eq!(ActivityFactor::parse("1.55").unwrap().factor(), 1.55);
        assert!(ActivityFactor::parse("3").is_err());
        assert!(ActivityFactor::parse("busy").is_err());
    }
}
