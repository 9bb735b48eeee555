//! The footwear thresholds, read from `data/footwear.toml` so a clinician can review them
//! without reading code.

use std::sync::OnceLock;

use serde::Deserialize;

/// The footwear file compiled into the binary.
pub const BUILTIN_FOOTWEAR: &str = include_str!("../../data/footwear.toml");

/// The footwear thresholds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FootwearRules {
    /// Above which body mass a runner counts as heavier for the lower-drop transition.
    pub heavier_runner: HeavierRunner,
    /// The retirement distance when none is set.
    pub retirement: Retirement,
}

/// Body mass above which minimal-shoe runners had more injuries.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeavierRunner {
    /// kg.
    pub above_kg: f64,
    /// Reference key.
    pub reference: String,
}

/// The default retirement distance.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retirement {
    /// km.
    pub default_km: f64,
    /// Reference key (a knowledge-base section: a convention, not a study).
    pub reference: String,
}

impl FootwearRules {
    /// The thresholds compiled into the binary.
    pub fn builtin() -> &'static FootwearRules {
        static R: OnceLock<FootwearRules> = OnceLock::new();
        R.get_or_init(|| toml::from_str(BUILTIN_FOOTWEAR).expect("footwear.toml is valid (tested)"))
    }

    /// Whether a body mass counts as heavier for footwear changes.
    pub fn heavier(&self, weight_kg: Option<f64>) -> bool {
        weight_kg.is_some_and(|w| w > self.heavier_runner.above_kg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thresholds_are_the_literature_s_and_cited() {
        let r = FootwearRules::builtin();
        // Fuller 2017: injuries rose in minimal shoes above 71.4 kg (knowledge base §4).
        assert_eq!(r.heavier_runner.above_kg, 71.4);
        assert!(crate::references::cite(&r.heavier_runner.reference).is_some());
        assert!(r.heavier(Some(72.0)) && !r.heavier(Some(71.4)) && !r.heavier(None));
        assert_eq!(r.retirement.default_km, 800.0);
        assert!(r.retirement.reference.starts_with('§'));
    }
}
