//! A runner's energy profile: resting energy by Mifflin–St Jeor, fat-free mass, daily-life
//! energy and the fixed intake floor.

use super::body::{ActivityFactor, Age, BodyFat, Height, Sex, Weight};
use super::tables::tables;
use serde::Serialize;

/// The parts of a runner's history that change what a calorie deficit means (§5.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct History {
    /// Bone stress injuries ever had (stress reactions and fractures).
    pub bone_stress_injuries: u32,
    /// Periods missed for three months or more (amenorrhoea), now or recently.
    pub missed_periods_3_months: bool,
}

impl History {
    /// Whether a deficit goal should raise the REDs warning \[Mountjoy23; Warden14\].
    pub fn raises_reds_flag(&self) -> bool {
        self.bone_stress_injuries > 0 || self.missed_periods_3_months
    }
}

/// Everything the energy maths needs to know about the runner, validated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// Sex for the equation constant and the floor.
    pub sex: Sex,
    /// Age in years.
    pub age: Age,
    /// Height.
    pub height: Height,
    /// Current body weight.
    pub weight: Weight,
    /// Measured body fat, when known; otherwise a lean default is assumed.
    pub body_fat: Option<BodyFat>,
    /// Daily life outside logged runs, as a multiple of resting energy.
    pub activity: ActivityFactor,
    /// Bone-stress and menstrual history.
    pub history: History,
}

/// Resting energy expenditure in kcal/day by Mifflin–St Jeor \[Mifflin90\]:
/// 10·W + 6.25·H − 5·A + 5 (men) or − 161 (women), with W in kg, H in cm, A in years.
pub fn mifflin_st_jeor(sex: Sex, weight: Weight, height: Height, age: Age) -> f64 {
    let t = tables();
    let constant = match sex {
        Sex::Male => t.mifflin_const_male.value,
        Sex::Female => t.mifflin_const_female.value,
    };
    t.mifflin_per_kg.value * weight.kg() + t.mifflin_per_cm.value * height.cm()
        - t.mifflin_per_year.value * f64::from(age.years())
        + constant
}

impl Profile {
    /// Resting energy, kcal/day (Mifflin–St Jeor at the current weight).
    pub fn ree_kcal(&self) -> f64 {
        mifflin_st_jeor(self.sex, self.weight, self.height, self.age)
    }

    /// Energy of daily life outside logged exercise: REE × activity factor (§5.2).
    pub fn daily_life_kcal(&self) -> f64 {
        self.ree_kcal() * self.activity.factor()
    }

    /// Body fat used for fat-free mass: the measured value, or the lean default for the sex.
    pub fn body_fat_used(&self) -> BodyFat {
        self.body_fat
            .unwrap_or_else(|| BodyFat::default_for(self.sex))
    }

    /// Whether the body fat is the assumed default rather than measured.
    pub fn body_fat_assumed(&self) -> bool {
        self.body_fat.is_none()
    }

    /// Fat-free mass in kg: weight × (1 − body fat). §5 gives no estimation method, so this
    /// needs a measured body fat or uses the documented default.
    pub fn fat_free_mass_kg(&self) -> f64 {
        self.weight.kg() * (1.0 - self.body_fat_used().pct() / 100.0)
    }

    /// The fixed minimum intake without supervision: 1200 kcal women, 1500 men \[Jensen13\].
    pub fn fixed_floor_kcal(&self) -> f64 {
        let t = tables();
        match self.sex {
            Sex::Female => t.floor_female.value,
            Sex::Male => t.floor_male.value,
        }
    }

    /// The same profile at another body weight (for following a projection).
    pub fn at_weight(&self, weight: Weight) -> Profile {
        Profile { weight, ..*self }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A 30-year-old woman, 165 cm, 60 kg, desk job, no history.
    pub(crate) fn woman() -> Profile {
        Profile {
            sex: Sex::Female,
            age: Age::new(30).unwrap(),
            height: Height::from_cm(165.0).unwrap(),
            weight: Weight::from_kg(60.0).unwrap(),
            body_fat: None,
            activity: ActivityFactor::parse("low").unwrap(),
            history: History::default(),
        }
    }

    /// A 30-year-old man, 175 cm, 70 kg, 15 % body fat, on his feet.
    pub(crate) fn man() -> Profile {
        Profile {
            sex: Sex::Male,
            height: Height::from_cm(175.0).unwrap(),
            weight: Weight::from_kg(70.0).unwrap(),
            body_fat: Some(BodyFat::from_pct(15.0).unwrap()),
            activity: ActivityFactor::parse("moderate").unwrap(),
            ..woman()
        }
    }

    #[test]
    fn mifflin_woman_by_hand() {
        // 10·60 + 6.25·165 − 5·30 − 161 = 600 + 1031.25 − 150 − 161 = 1320.25
        assert!((woman().ree_kcal() - 1320.25).abs() < 1e-9);
        // Cross-check with the unified form in §5.1, 9.99·W + 6.25·H − 4.92·A − 161:
        // 599.4 + 1031.25 − 147.6 − 161 = 1322.05, within 2 kcal.
        assert!((woman().ree_kcal() - 1322.05).abs() < 2.0);
    }

    #[test]
    fn mifflin_man_by_hand() {
        // 10·70 + 6.25·175 − 5·30 + 5 = 700 + 1093.75 − 150 + 5 = 1648.75
        assert!((man().ree_kcal() - 1648.75).abs() < 1e-9);
        // Unified form: 699.3 + 1093.75 − 147.6 + 166 − 161 = 1650.45, within 2 kcal.
        assert!((man().ree_kcal() - 1650.45).abs() < 2.0);
    }

    #[test]
    fn mifflin_in_imperial_units() {
        // 5 ft 5 in = 65 × 2.54 = 165.1 cm; 132 lb × 0.45359237 = 59.87419284 kg; 25 years.
        // 598.7419284 + 6.25·165.1 (= 1031.875) − 125 − 161 = 1344.6169284
        let ree = mifflin_st_jeor(
            Sex::Female,
            Weight::from_lb(132.0).unwrap(),
            Height::from_ft_in(5, 5.0).unwrap(),
            Age::new(25).unwrap(),
        );
        assert!((ree - 1344.6169284).abs() < 1e-6, "{ree}");
    }

    #[test]
    fn daily_life_fat_free_mass_and_fixed_floor() {
        // 1320.25 × 1.3 = 1716.325; 1648.75 × 1.4 = 2308.25
        assert!((woman().daily_life_kcal() - 1716.325).abs() < 1e-9);
        assert!((man().daily_life_kcal() - 2308.25).abs() < 1e-9);
        // Woman: default 20 % body fat → 60 × 0.8 = 48 kg; man: measured 15 % → 70 × 0.85 = 59.5.
        assert!((woman().fat_free_mass_kg() - 48.0).abs() < 1e-9);
        assert!(woman().body_fat_assumed() && !man().body_fat_assumed());
        assert!((man().fat_free_mass_kg() - 59.5).abs() < 1e-9);
        assert_eq!(woman().fixed_floor_kcal(), 1200.0);
        assert_eq!(man().fixed_floor_kcal(), 1500.0);
        // The fixed floors sit above the very-low-calorie line of 800 kcal [NHLBI98].
        assert!(woman().fixed_floor_kcal() > tables().very_low_calorie.value);
    }

    #[test]
    fn reds_flag_from_history() {
        assert!(!History::default().raises_reds_flag());
        let bsi = History {
            bone_stress_injuries: 1,
            ..History::default()
        };
        let periods = History {
            missed_periods_3_months: true,
            ..History::default()
        };
        assert!(bsi.raises_reds_flag() && periods.raises_reds_flag());
    }
}
