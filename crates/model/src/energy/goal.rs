//! Weight goals: parsing the widget's rates, refusing unsafe loss, and the goal's warnings
//! (clinical.md §5.4–5.5).

use super::EnergyError;
use super::body::KG_PER_LB;
use super::profile::Profile;
use super::tables::tables;
use super::warning::Warning;
use crate::units::WeightUnit;
use serde::Serialize;
use std::fmt;

/// The unit a rate was written in, kept so it can be shown back as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RateUnit {
    /// Pounds per week, as on the source page's widget.
    Lb,
    /// Kilograms per week.
    Kg,
}

impl RateUnit {
    /// The weight unit of the rate, which words about the goal use.
    pub fn weight_unit(self) -> WeightUnit {
        match self {
            RateUnit::Lb => WeightUnit::Lb,
            RateUnit::Kg => WeightUnit::Kg,
        }
    }
}

/// A weekly weight-change goal: maintain, or lose or gain an amount a week.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalRate {
    /// Signed change in kg per week: negative to lose, 0 to maintain.
    pub kg_per_week: f64,
    /// The unit the goal was given in.
    pub unit: RateUnit,
    /// The amount in that unit (positive; 0 for maintain).
    pub amount: f64,
}

impl GoalRate {
    /// The widget's choices (seed 002): ±0.5, 1, 1.5, 2 lb a week or maintain.
    pub const WIDGET: [&'static str; 9] = [
        "lose-2lb",
        "lose-1.5lb",
        "lose-1lb",
        "lose-0.5lb",
        "maintain",
        "gain-0.5lb",
        "gain-1lb",
        "gain-1.5lb",
        "gain-2lb",
    ];
    /// Largest rate accepted by the parser, kg a week; faster losses are refused by
    /// [`GoalPlan::new`] with an explanation, this only rejects nonsense.
    pub const MAX_KG_PER_WEEK: f64 = 2.0;

    /// Maintain the current weight.
    pub const MAINTAIN: GoalRate = GoalRate {
        kg_per_week: 0.0,
        unit: RateUnit::Kg,
        amount: 0.0,
    };

    /// Parses `maintain`, `lose-1lb`, `gain-0.5lb`, `lose-0.5kg`, `gain-0.25kg` (also `lbs`,
    /// any case). Amounts are per week, above 0 and at most 2 kg (4.4 lb).
    pub fn parse(s: &str) -> Result<GoalRate, EnergyError> {
        let bad = || EnergyError::Unrecognised {
            field: "goal",
            input: s.to_string(),
            expected: "maintain, lose-<n>lb, gain-<n>lb, lose-<n>kg or gain-<n>kg (per week)",
        };
        let lower = s.trim().to_ascii_lowercase();
        if lower == "maintain" {
            return Ok(GoalRate::MAINTAIN);
        }
        let (sign, rest) = if let Some(r) = lower.strip_prefix("lose-") {
            (-1.0, r)
        } else if let Some(r) = lower.strip_prefix("gain-") {
            (1.0, r)
        } else {
            return Err(bad());
        };
        let (number, unit, kg_per_unit) = if let Some(n) = rest.strip_suffix("kg") {
            (n, RateUnit::Kg, 1.0)
        } else if let Some(n) = rest.strip_suffix("lbs").or_else(|| rest.strip_suffix("lb")) {
            (n, RateUnit::Lb, KG_PER_LB)
        } else {
            return Err(bad());
        };
        let amount: f64 = number.parse().map_err(|_| bad())?;
        let max = Self::MAX_KG_PER_WEEK / kg_per_unit;
        if !(amount.is_finite() && amount > 0.0 && amount <= max) {
            return Err(EnergyError::OutOfRange {
                field: "goal rate",
                value: amount,
                min: 0.0,
                max: (max * 100.0).floor() / 100.0,
                unit: if unit == RateUnit::Kg {
                    "kg per week"
                } else {
                    "lb per week"
                },
            });
        }
        Ok(GoalRate {
            kg_per_week: sign * amount * kg_per_unit,
            unit,
            amount,
        })
    }

    /// Whether the goal is a calorie deficit.
    pub fn is_loss(&self) -> bool {
        self.kg_per_week < 0.0
    }

    /// Energy per kg of weight change by the 3500 kcal/lb rule \[Wishnofsky58\]: 7716.2 kcal/kg.
    pub fn kcal_per_kg() -> f64 {
        tables().kcal_per_lb.value / KG_PER_LB
    }

    /// The daily intake change the goal asks for, kcal/day (negative for loss): rate × 3500
    /// kcal/lb ÷ 7. lose-1lb is exactly −500.
    pub fn daily_change_kcal(&self) -> f64 {
        self.kg_per_week * Self::kcal_per_kg() / 7.0
    }
}

impl fmt::Display for GoalRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kg_per_week == 0.0 {
            return f.write_str("maintain");
        }
        let verb = if self.is_loss() { "lose" } else { "gain" };
        let unit = match self.unit {
            RateUnit::Lb => "lb",
            RateUnit::Kg => "kg",
        };
        write!(f, "{verb}-{}{unit}", self.amount)
    }
}

/// A goal accepted for one runner, with the warnings it carries. Only [`GoalPlan::new`] makes
/// one, so every target computed from it has passed the safety checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GoalPlan {
    /// The runner.
    pub profile: Profile,
    /// The accepted goal.
    pub goal: GoalRate,
    /// The fastest loss allowed for this runner, kg a week.
    pub max_loss_kg_per_week: f64,
    /// Warnings attached to the goal itself (daily targets may add floor warnings).
    pub warnings: Vec<Warning>,
}

impl GoalPlan {
    /// Checks a goal for a runner. Loss faster than the lower of 1 kg a week \[NHLBI98\] and 1 %
    /// of body weight a week (runners in training \[C\]) is refused, naming a goal that would be
    /// accepted. Accepted goals carry warnings: loss above 0.5 % a week, gain of 2 lb a week or
    /// more, and the REDs warning for any deficit with a bone-stress or missed-period history.
    pub fn new(profile: &Profile, goal: GoalRate) -> Result<GoalPlan, EnergyError> {
        let t = tables();
        let kg = profile.weight.kg();
        let max_loss =
            (kg * t.loss_cap_pct_bw_per_week.value / 100.0).min(t.loss_cap_kg_per_week.value);
        let mut warnings = Vec::new();
        // The words are in the unit the goal was given in: a runner who weighs in pounds
        // chooses a goal in pounds and reads the refusal and the warnings in pounds.
        let unit = goal.unit.weight_unit();
        if goal.is_loss() {
            let rate = -goal.kg_per_week;
            // A hair of tolerance so `lose-1kg` at exactly 100 kg is not refused by rounding.
            if rate > max_loss + 1e-9 {
                return Err(EnergyError::LossTooFast {
                    rate_kg: rate,
                    weight_kg: kg,
                    max_kg: max_loss,
                    unit,
                    suggestion: suggestion(max_loss, goal.unit),
                });
            }
            let preferred = kg * t.loss_prefer_pct_bw_per_week.value / 100.0;
            if rate > preferred + 1e-9 {
                warnings.push(Warning::loss_above_preferred(rate, preferred, unit));
            }
            let h = profile.history;
            if h.raises_reds_flag() {
                warnings.push(Warning::reds(
                    h.bone_stress_injuries,
                    h.missed_periods_3_months,
                ));
            }
        } else if goal.kg_per_week >= t.gain_warn_lb_per_week.value * KG_PER_LB - 1e-9 {
            warnings.push(Warning::gain_above_lean_mass(goal.kg_per_week, unit));
        }
        Ok(GoalPlan {
            profile: *profile,
            goal,
            max_loss_kg_per_week: max_loss,
            warnings,
        })
    }
}

/// The fastest goal of the widget's steps in `unit` within `max_kg` (2, 1.5, 1 or 0.5 lb;
/// 1, 0.75, 0.5 or 0.25 kg), or a kg goal when none of them fits.
fn suggestion(max_kg: f64, unit: RateUnit) -> String {
    let (steps, per, label) = match unit {
        RateUnit::Lb => ([2.0, 1.5, 1.0, 0.5], KG_PER_LB, "lb"),
        RateUnit::Kg => ([1.0, 0.75, 0.5, 0.25], 1.0, "kg"),
    };
    match steps.into_iter().find(|n| n * per <= max_kg + 1e-9) {
        Some(n) => format!("choose lose-{n}{label} or slower"),
        None => format!(
            "choose lose-{:.2}kg or slower",
            (max_kg * 100.0).floor() / 100.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::energy::body::Weight;
    use crate::energy::profile::History;
    use crate::energy::profile::tests::woman;

    fn codes(p: &GoalPlan) -> Vec<&'static str> {
        p.warnings.iter().map(|w| w.code).collect()
    }

    fn at(kg: f64) -> Profile {
        woman().at_weight(Weight::from_kg(kg).unwrap())
    }

    #[test]
    fn parses_every_widget_rate_and_kg_forms() {
        for s in GoalRate::WIDGET {
            let g = GoalRate::parse(s).unwrap();
            assert_eq!(g.to_string(), s, "round trip");
        }
        let g = GoalRate::parse("lose-1lb").unwrap();
        assert!((g.kg_per_week + 0.453_592_37).abs() < 1e-12);
        let g = GoalRate::parse("Gain-0.25KG").unwrap();
        assert_eq!((g.kg_per_week, g.unit), (0.25, RateUnit::Kg));
        assert_eq!(GoalRate::parse("lose-1.5lbs").unwrap().amount, 1.5);
        assert_eq!(GoalRate::parse("maintain").unwrap(), GoalRate::MAINTAIN);
        for bad in ["drop-1lb", "lose-1", "lose-xlb", "lose-", "gain-1st"] {
            let e = GoalRate::parse(bad).unwrap_err().to_string();
            assert!(e.contains("goal") && e.contains("maintain"), "{bad}: {e}");
        }
        for bad in [
            "lose-0lb",
            "gain--1kg",
            "lose-2.5kg",
            "gain-5lb",
            "lose-nankg",
        ] {
            assert!(GoalRate::parse(bad).is_err(), "{bad}");
        }
        // 2 kg / 0.45359237 = 4.409 lb is the largest lb rate; the error says so.
        let e = GoalRate::parse("gain-5lb").unwrap_err().to_string();
        assert!(e.contains("goal rate") && e.contains("4.4"), "{e}");
    }

    #[test]
    fn daily_change_follows_the_3500_rule() {
        // 1 lb/week × 3500 kcal/lb ÷ 7 days = 500 kcal/day.
        let d = GoalRate::parse("lose-1lb").unwrap().daily_change_kcal();
        assert!((d + 500.0).abs() < 1e-9, "{d}");
        // 0.5 kg/week × (3500 / 0.45359237 = 7716.179 kcal/kg) ÷ 7 = 551.156 kcal/day.
        let d = GoalRate::parse("gain-0.5kg").unwrap().daily_change_kcal();
        assert!((d - 551.155_6).abs() < 1e-3, "{d}");
        assert_eq!(GoalRate::MAINTAIN.daily_change_kcal(), 0.0);
    }

    #[test]
    fn lose_2lb_is_refused_for_a_small_light_runner() {
        // 50 kg: cap = min(1 % × 50 = 0.50 kg, 1 kg) = 0.50 kg/week; 2 lb = 0.907 kg > 0.50.
        let e = GoalPlan::new(&at(50.0), GoalRate::parse("lose-2lb").unwrap()).unwrap_err();
        match &e {
            EnergyError::LossTooFast { max_kg, .. } => assert!((max_kg - 0.5).abs() < 1e-12),
            other => panic!("{other:?}"),
        }
        let msg = e.to_string();
        // 1 lb = 0.454 kg is the fastest widget rate under 0.50 kg; a goal in pounds is
        // answered in pounds: 2 lb asked, 50 kg = 110.2 lb, 0.50 kg = 1.10 lb, 1 kg = 2.2 lb.
        assert!(
            msg.contains("losing 2.00 lb a week")
                && msg.contains("a runner of 110.2 lb")
                && msg.contains("the most is 1.10 lb a week")
                && msg.contains("never more than 2.2 lb a week")
                && msg.contains("lose-1lb")
                && !msg.contains(" kg"),
            "{msg}"
        );
        // The same refusal of a goal in kg is in kg.
        let kg = GoalPlan::new(&at(50.0), GoalRate::parse("lose-1kg").unwrap()).unwrap_err();
        let msg = kg.to_string();
        assert!(
            msg.contains("the most is 0.50 kg a week")
                && msg.contains("never more than 1 kg a week")
                && msg.contains("lose-0.5kg")
                && !msg.contains("lb"),
            "{msg}"
        );
        assert!(GoalPlan::new(&at(50.0), GoalRate::parse("lose-1.5lb").unwrap()).is_err());
        // lose-1lb fits, but 0.454 kg is above the preferred 0.5 % × 50 = 0.25 kg.
        let ok = GoalPlan::new(&at(50.0), GoalRate::parse("lose-1lb").unwrap()).unwrap();
        assert_eq!(codes(&ok), ["LOSS_ABOVE_PREFERRED"]);
        let slow = GoalPlan::new(&at(50.0), GoalRate::parse("lose-0.5lb").unwrap()).unwrap();
        assert!(slow.warnings.is_empty());
    }

    #[test]
    fn lose_2lb_boundary_is_90_7_kg() {
        // 1 % of body weight reaches 2 lb = 0.90718474 kg at 90.718474 kg.
        let g = GoalRate::parse("lose-2lb").unwrap();
        assert!(GoalPlan::new(&at(90.7), g).is_err());
        assert!(GoalPlan::new(&at(90.8), g).is_ok());
        // Above 100 kg the 1 kg/week cap [NHLBI98] binds instead of 1 %.
        assert!(GoalPlan::new(&at(150.0), GoalRate::parse("lose-1kg").unwrap()).is_ok());
        let e = GoalPlan::new(&at(150.0), GoalRate::parse("lose-2.5lb").unwrap()).unwrap_err();
        assert!(e.to_string().contains("lose-2lb"), "{e}");
        // A cap under every widget rate suggests a kg goal: 40 kg → 0.40 kg; 0.5 lb = 0.227 fits,
        // so the kg form only appears below 22.7 kg, outside the weight range; check directly.
        assert_eq!(
            suggestion(0.2, RateUnit::Lb),
            "choose lose-0.20kg or slower"
        );
        // A kg goal is answered in kg: 0.6 kg a week allows lose-0.5kg.
        assert_eq!(suggestion(0.6, RateUnit::Kg), "choose lose-0.5kg or slower");
    }

    #[test]
    fn gain_2lb_carries_the_lean_mass_warning() {
        let p = woman();
        let two = GoalPlan::new(&p, GoalRate::parse("gain-2lb").unwrap()).unwrap();
        assert_eq!(codes(&two), ["GAIN_ABOVE_LEAN_MASS"]);
        assert!(two.warnings[0].message.contains("lean-mass"));
        let kg = GoalPlan::new(&p, GoalRate::parse("gain-1kg").unwrap()).unwrap();
        assert_eq!(codes(&kg), ["GAIN_ABOVE_LEAN_MASS"]);
        let less = GoalPlan::new(&p, GoalRate::parse("gain-1.5lb").unwrap()).unwrap();
        assert!(less.warnings.is_empty());
    }

    #[test]
    fn deficit_with_bone_stress_history_raises_reds() {
        let mut p = woman();
        p.history = History {
            bone_stress_injuries: 1,
            missed_periods_3_months: false,
        };
        let lose = GoalPlan::new(&p, GoalRate::parse("lose-0.5lb").unwrap()).unwrap();
        assert_eq!(codes(&lose), ["REDS_RISK"]);
        assert!(lose.warnings[0].message.contains("soleus assess"));
        // The rule is for a deficit: maintaining or gaining raises nothing here.
        assert!(
            GoalPlan::new(&p, GoalRate::MAINTAIN)
                .unwrap()
                .warnings
                .is_empty()
        );
        p.history.missed_periods_3_months = true;
        let gain = GoalPlan::new(&p, GoalRate::parse("gain-0.5lb").unwrap()).unwrap();
        assert!(gain.warnings.is_empty());
    }
}
