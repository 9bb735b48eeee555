//! Warnings the energy maths attaches to a goal, a day or a week, each with its references.

use super::tables::tables;
use crate::units::WeightUnit;
use serde::Serialize;

/// How soon to see a clinician, on the same scale as the assessment triage (clinical.md §1.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Referral {
    /// Within about a week.
    Soon,
}

/// One warning: a stable code, an optional referral, a sentence for a person, its references.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    /// Stable machine code (`REDS_RISK`, `GAIN_ABOVE_LEAN_MASS`, …).
    pub code: &'static str,
    /// A referral, when the warning carries one.
    pub referral: Option<Referral>,
    /// What it means and what to do.
    pub message: String,
    /// Reference keys from the knowledge base.
    pub refs: Vec<&'static str>,
}

impl Warning {
    /// A calorie deficit with bone-stress injuries or missed periods: the REDs rule of §5.5.
    pub fn reds(bone_stress_injuries: u32, missed_periods: bool) -> Warning {
        let mut why = Vec::new();
        if bone_stress_injuries > 0 {
            why.push(format!(
                "{bone_stress_injuries} bone stress injur{}",
                if bone_stress_injuries == 1 {
                    "y"
                } else {
                    "ies"
                }
            ));
        }
        if missed_periods {
            why.push("periods missed for three months or more".to_string());
        }
        Warning {
            code: "REDS_RISK",
            referral: Some(Referral::Soon),
            message: format!(
                "A calorie deficit with {} is a warning sign of low energy availability \
                 (REDs), a core risk factor for bone stress injury. See a sports-medicine \
                 clinician within about a week before cutting calories, and run \
                 `soleus assess` for a full check.",
                why.join(" and ")
            ),
            refs: vec!["Mountjoy23", "Warden14"],
        }
    }

    /// A gain goal far above what lean tissue can add in a week (§5.4).
    /// Its words are in `unit`, the unit the goal was given in.
    pub fn gain_above_lean_mass(kg_per_week: f64, unit: WeightUnit) -> Warning {
        Warning {
            code: "GAIN_ABOVE_LEAN_MASS",
            referral: None,
            message: format!(
                "Gaining {} a week is far above plausible lean-mass gain; most of it would be \
                 fat. A slower goal is kinder to your running.",
                super::weight(unit, kg_per_week, 2)
            ),
            refs: vec![],
        }
    }

    /// A loss goal inside the cap but above the preferred rate for runners in training (§5.4).
    /// Its words are in `unit`, the unit the goal was given in.
    pub fn loss_above_preferred(kg_per_week: f64, preferred_kg: f64, unit: WeightUnit) -> Warning {
        Warning {
            code: "LOSS_ABOVE_PREFERRED",
            referral: None,
            message: format!(
                "Losing {} a week is allowed, but runners in training do better at about {} a \
                 week (0.5 % of body weight) or less.",
                super::weight(unit, kg_per_week, 2),
                super::weight(unit, preferred_kg, 2)
            ),
            refs: vec![],
        }
    }

    /// Days on which the goal's deficit would have taken intake below the floor (§5.4).
    pub fn held_at_floor(days: usize) -> Warning {
        Warning {
            code: "HELD_AT_FLOOR",
            referral: None,
            message: format!(
                "On {days} day{} the goal would take intake below the safe floor, so the \
                 target is held at the floor and weight will change more slowly than the goal.",
                if days == 1 { "" } else { "s" }
            ),
            refs: vec!["Jensen13", "LoucksThuma03"],
        }
    }

    /// Estimated energy availability below the level where lab studies saw harm (§5.5).
    pub fn low_energy_availability(mean_ea: f64) -> Warning {
        let t = tables();
        Warning {
            code: "LOW_ENERGY_AVAILABILITY",
            referral: None,
            message: format!(
                "Estimated energy availability averaged {mean_ea:.0} kcal per kg fat-free mass \
                 a day, below {:.0}: in lab studies of women that level disrupted hormones and \
                 bone formation (about {:.0} is adequate; men may tolerate down to about {:.0}). \
                 CONTESTED: no threshold is diagnostic, and this is an estimate from logged \
                 intake, so treat it as a prompt to eat more on training days.",
                t.ea_low.value, t.ea_adequate.value, t.ea_male_tolerated.value
            ),
            refs: vec!["LoucksThuma03", "Ihle04", "Mountjoy23"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reds_names_the_reason_and_the_assessment() {
        let w = Warning::reds(2, true);
        assert_eq!(w.referral, Some(Referral::Soon));
        assert!(
            w.message.contains("2 bone stress injuries"),
            "{}",
            w.message
        );
        assert!(w.message.contains("three months"));
        assert!(w.message.contains("soleus assess"));
        let json = serde_json::to_value(&w).unwrap();
        assert_eq!(json["referral"], "SOON");
        assert!(
            Warning::reds(1, false)
                .message
                .contains("1 bone stress injury ")
        );
    }
}
