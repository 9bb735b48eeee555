//! The energy thresholds, read from `data/energy.toml` (compiled in), each with its references.
//!
//! Keeping the numbers in a data file lets a clinician review them next to their sources; the
//! code names them by field, so a missing or misspelt entry fails the tests, not a user.

use serde::Deserialize;
use std::sync::OnceLock;

/// The data file, compiled in.
pub const ENERGY_TOML: &str = include_str!("../../data/energy.toml");

/// One number and where it comes from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The number, in the unit its name says.
    pub value: f64,
    /// The section of the clinical knowledge base it comes from (`5.4`).
    pub section: String,
    /// Reference keys from the knowledge base's reference list.
    pub refs: Vec<String>,
    /// `C` for consensus or physiology without a single source, `default` for a project default.
    #[serde(default)]
    pub grade: Option<String>,
    /// Why a project default was chosen.
    #[serde(default)]
    pub note: Option<String>,
}

/// Every energy threshold Soleus uses. Field names match the keys of `data/energy.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // each field is documented, with its source, in data/energy.toml
pub struct Tables {
    pub mifflin_per_kg: Threshold,
    pub mifflin_per_cm: Threshold,
    pub mifflin_per_year: Threshold,
    pub mifflin_const_male: Threshold,
    pub mifflin_const_female: Threshold,
    pub activity_low: Threshold,
    pub activity_moderate: Threshold,
    pub activity_min: Threshold,
    pub activity_max: Threshold,
    pub run_kcal_per_kg_km: Threshold,
    pub walk_kcal_per_kg_km: Threshold,
    pub acsm_grade_ml_per_kg_m: Threshold,
    pub kcal_per_litre_o2: Threshold,
    pub kcal_per_lb: Threshold,
    pub hall_kcal_per_day_per_kg: Threshold,
    pub hall_half_days: Threshold,
    pub hall_95pct_days: Threshold,
    pub loss_cap_kg_per_week: Threshold,
    pub loss_cap_pct_bw_per_week: Threshold,
    pub loss_prefer_pct_bw_per_week: Threshold,
    pub gain_warn_lb_per_week: Threshold,
    pub floor_female: Threshold,
    pub floor_male: Threshold,
    pub very_low_calorie: Threshold,
    pub ea_low: Threshold,
    pub ea_adequate: Threshold,
    pub ea_male_tolerated: Threshold,
    pub default_body_fat_pct_female: Threshold,
    pub default_body_fat_pct_male: Threshold,
}

impl Tables {
    /// Every entry with its key, for review and for the reference test.
    pub fn entries(&self) -> Vec<(String, Threshold)> {
        // Going through the TOML value keeps this list in step with the file without repeating
        // every field name a third time.
        let table: toml::Table = toml::from_str(ENERGY_TOML).expect("energy.toml parses");
        table
            .into_iter()
            .map(|(k, v)| (k, v.try_into().expect("entry is a Threshold")))
            .collect()
    }
}

/// The compiled-in tables. The file is part of the program, so a parse failure is a build
/// defect caught by the tests below, never a user's input.
pub fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| toml::from_str(ENERGY_TOML).expect("data/energy.toml is valid"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_data_file_parses_and_every_entry_is_used() {
        let t = tables();
        // Spot-check values against clinical.md §5 as written there.
        assert_eq!(t.mifflin_const_female.value, -161.0);
        assert_eq!(t.floor_male.value, 1500.0);
        assert_eq!(t.kcal_per_lb.value, 3500.0);
        // `deny_unknown_fields` on `Tables` means the file has no entry the code does not read.
        assert_eq!(t.entries().len(), 29);
    }

    #[test]
    fn every_entry_is_referenced_or_graded() {
        for (key, th) in tables().entries() {
            let graded = matches!(th.grade.as_deref(), Some("C"))
                || (th.grade.as_deref() == Some("default") && th.note.is_some());
            assert!(!th.refs.is_empty() || graded, "{key} has no reference");
            assert!(th.section.starts_with('5'), "{key} section {}", th.section);
        }
    }

    /// Reference keys listed in §6 of the knowledge base (`- **Key:** …`, `Wells97 / Wells03`).
    fn section6_keys(text: &str) -> BTreeSet<String> {
        let start = text.find("## 6. References").expect("§6 heading");
        text[start..]
            .lines()
            .filter_map(|l| l.strip_prefix("- **"))
            .filter_map(|l| l.split_once(":**").map(|(k, _)| k))
            .flat_map(|k| k.split(" / ").map(|s| s.trim().to_string()))
            .collect()
    }

    #[test]
    fn every_reference_key_is_in_the_knowledge_base() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/knowledge/clinical.md"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipped: knowledge base not found at {path}");
            return;
        };
        let keys = section6_keys(&text);
        // The parser itself must find keys, or the test below would pass vacuously.
        assert!(
            keys.contains("Mifflin90") && keys.contains("Wells03"),
            "{keys:?}"
        );
        for (entry, th) in tables().entries() {
            for r in &th.refs {
                assert!(
                    keys.contains(r),
                    "{entry}: reference {r} is not in clinical.md §6"
                );
            }
            // The section the entry cites exists as a heading.
            let heading = format!("### {} ", th.section);
            assert!(text.contains(&heading), "{entry}: no heading {heading:?}");
        }
    }
}
