//! The passive-treatment table (`data/treatments.toml`, knowledge base §3.9): what each source
//! page says, paraphrased, next to what the evidence says, with contested items labelled.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::PlanError;
use crate::clinical::Condition;

/// The table compiled into the binary.
pub const BUILTIN_TREATMENTS: &str = include_str!("../../data/treatments.toml");

/// One row of the table as shown for a condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TreatmentRow {
    /// Stable code (`ICE`, `STRETCHING` …).
    pub code: String,
    /// Display name.
    pub name: String,
    /// What the LiveStrong page (seed 002, the conventional school) says.
    pub seed_002: String,
    /// What the Sock Doc page and its readers (seed 000) say.
    pub seed_000: String,
    /// What the evidence says for this condition.
    pub evidence: String,
    /// Credible sources disagree.
    pub contested: bool,
    /// Reference keys.
    pub references: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Override {
    conditions: Vec<Condition>,
    evidence: String,
    contested: bool,
    references: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    code: String,
    name: String,
    seed_002: String,
    seed_000: String,
    evidence: String,
    contested: bool,
    references: Vec<String>,
    #[serde(default, rename = "for")]
    overrides: Vec<Override>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    item: Vec<Item>,
}

/// Parses the table, refusing rows without references.
fn parse(text: &str) -> Result<Vec<Item>, PlanError> {
    let f: File = toml::from_str(text).map_err(|e| PlanError::Data(e.to_string()))?;
    for i in &f.item {
        if i.references.is_empty() || i.overrides.iter().any(|o| o.references.is_empty()) {
            return Err(PlanError::Data(format!(
                "treatment {} has a row without a reference",
                i.code
            )));
        }
    }
    Ok(f.item)
}

fn items() -> &'static [Item] {
    static ITEMS: OnceLock<Vec<Item>> = OnceLock::new();
    ITEMS.get_or_init(|| parse(BUILTIN_TREATMENTS).expect("the built-in table is checked by tests"))
}

/// The table for one condition: each item with the condition's own evidence where it differs.
pub fn treatments_for(c: Condition) -> Vec<TreatmentRow> {
    items()
        .iter()
        .map(|i| {
            let o = i.overrides.iter().find(|o| o.conditions.contains(&c));
            TreatmentRow {
                code: i.code.clone(),
                name: i.name.clone(),
                seed_002: i.seed_002.clone(),
                seed_000: i.seed_000.clone(),
                evidence: o.map_or(&i.evidence, |o| &o.evidence).clone(),
                contested: o.map_or(i.contested, |o| o.contested),
                references: o.map_or(&i.references, |o| &o.references).clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(c: Condition, code: &str) -> TreatmentRow {
        treatments_for(c)
            .into_iter()
            .find(|r| r.code == code)
            .unwrap()
    }

    #[test]
    fn the_table_covers_the_issue_items_and_labels_contested_ones() {
        let codes: Vec<String> = treatments_for(Condition::SoleusStrain)
            .into_iter()
            .map(|r| r.code)
            .collect();
        for c in [
            "ICE",
            "STRETCHING",
            "NSAIDS",
            "ORTHOSES",
            "SHOE_DROP",
            "HEEL_LIFT",
            "TRIGGER_POINTS",
        ] {
            assert!(codes.iter().any(|x| x == c), "{c} missing");
        }
        // §3.9 labels ice, stretching, orthoses and shoe drop CONTESTED.
        for c in ["ICE", "STRETCHING", "ORTHOSES", "SHOE_DROP"] {
            assert!(row(Condition::SoleusStrain, c).contested, "{c}");
        }
    }

    #[test]
    fn condition_specific_evidence_replaces_the_general_row() {
        // NSAIDs: avoid if bone stress is suspected [Warden14]; general row cites PEACE&LOVE only.
        assert!(
            row(Condition::TibialBsi, "NSAIDS")
                .references
                .contains(&"Warden14".to_owned())
        );
        assert!(
            !row(Condition::SoleusStrain, "NSAIDS")
                .references
                .contains(&"Warden14".to_owned())
        );
        assert!(
            row(Condition::AchillesInsertional, "STRETCHING")
                .evidence
                .contains("dorsiflexion")
        );
        assert!(
            row(Condition::PlantarHeelPain, "STRETCHING")
                .references
                .contains(&"KocCPG23".to_owned())
        );
        let bad = BUILTIN_TREATMENTS.replace("references = [\"Cotchett14\"]", "references = []");
        assert!(parse(&bad).is_err());
    }
}
