//! Outcome questionnaires (knowledge base §2): OSTRC-O2 (weekly), VISA-A, LEFS and the MTSS
//! score. Items are paraphrased as data in `data/questionnaires.toml`, each instrument with a
//! version string; answers are validated and scored exactly as §2 says, results keep their
//! version, and [`trend`] compares successive results against the MCID or detectable change.
//!
//! ```
//! use soleus_model::questionnaires::{Responses, score};
//!
//! let r: Responses = serde_json::from_str(r#"{"instrument":"OSTRC_O2","version":"2",
//!     "date":"2026-05-04","answers":{"Q1":1,"Q2":1,"Q3":0,"Q4":2}}"#).unwrap();
//! let s = score(&r).unwrap();
//! assert_eq!(s.total, 8 + 8 + 0 + 17);
//! assert!(s.flags.contains(&"problem".to_string()));
//! ```

mod score;
mod trend;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use score::{Scored, score};
pub use trend::{Threshold, TrendStep, trend};

/// The instruments compiled into the binary.
pub const BUILTIN: &str = include_str!("../../data/questionnaires.toml");

/// How an item is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The 0-based index of an option.
    Options,
    /// A whole number from `min` to `max`.
    Scale,
    /// A branch letter and an option index (VISA-A item 8).
    Branch,
}

/// One item (paraphrased).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Item id as answered (`Q1`, `1` …).
    #[serde(default)]
    pub id: String,
    /// Paraphrased wording.
    #[serde(default)]
    pub text: String,
    /// How it is answered.
    pub kind: ItemKind,
    /// Options: label and points (for `branch`, label and option index).
    #[serde(default)]
    pub options: Vec<(String, u32)>,
    /// Scale minimum.
    #[serde(default)]
    pub min: Option<u32>,
    /// Scale maximum.
    #[serde(default)]
    pub max: Option<u32>,
    /// Branches: letter and the points of each option.
    #[serde(default)]
    pub branches: Vec<(String, Vec<u32>)>,
}

/// One questionnaire at one version.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// `OSTRC_O2`, `VISA_A`, `LEFS`, `MTSS_SCORE`.
    pub code: String,
    /// Version string stored with every result.
    pub version: String,
    /// Plain name.
    pub name: String,
    /// Reference key.
    pub reference: String,
    /// Whether a higher total is better.
    pub higher_is_better: bool,
    /// Highest possible total.
    pub max: u32,
    /// Meaningful-change thresholds: label, points, reference key.
    pub mcid: Vec<(String, f64, String)>,
    /// Reference values to show next to a score.
    pub reference_values: Vec<String>,
    /// Items.
    #[serde(default)]
    pub item: Vec<Item>,
    /// For instruments whose items share one answer format (LEFS).
    #[serde(default)]
    item_template: Option<Item>,
    /// Texts for the templated items, ids `1`…`n`.
    #[serde(default)]
    item_texts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    instrument: Vec<Instrument>,
}

/// Every instrument, parsed once.
pub fn instruments() -> &'static [Instrument] {
    static ALL: OnceLock<Vec<Instrument>> = OnceLock::new();
    ALL.get_or_init(|| {
        let file: File =
            toml::from_str(BUILTIN).expect("built-in questionnaires are valid (tested)");
        file.instrument
            .into_iter()
            .map(|mut i| {
                if let Some(t) = i.item_template.take() {
                    i.item = i
                        .item_texts
                        .iter()
                        .enumerate()
                        .map(|(n, text)| Item {
                            id: (n + 1).to_string(),
                            text: text.clone(),
                            ..t.clone()
                        })
                        .collect();
                }
                i
            })
            .collect()
    })
}

/// The instrument code for a name as a person types it: `VISA-A`, `visa_a`, `OSTRC-O2`, `mtss`
/// (any case, `-`, `_` or spaces), or `None`.
pub fn canonical_code(name: &str) -> Option<&'static str> {
    let key: String = name
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    instruments().iter().map(|i| i.code.as_str()).find(|code| {
        let k: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        k == key || k.strip_suffix("SCORE") == Some(key.as_str())
    })
}

/// The instruments' names as people type them (`OSTRC-O2`, `VISA-A`, `LEFS`, `MTSS`), each once.
pub fn display_names() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in instruments() {
        let name = i.code.trim_end_matches("_SCORE").replace('_', "-");
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The instrument with this code and version.
pub fn instrument(code: &str, version: &str) -> Option<&'static Instrument> {
    instruments()
        .iter()
        .find(|i| i.code == code && i.version == version)
}

/// One answer: a number (option index or scale value) or a branch choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Answer {
    /// Option index (0-based) or scale value.
    Value(u32),
    /// VISA-A item 8: which branch, and the option index within it.
    Branch {
        /// `A`, `B` or `C`.
        branch: String,
        /// 0-based option index.
        option: u32,
    },
}

/// A completed questionnaire as given (stored as is, with its version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Responses {
    /// Instrument code.
    pub instrument: String,
    /// Instrument version.
    pub version: String,
    /// The day it was filled in.
    pub date: NaiveDate,
    /// Answers by item id.
    pub answers: BTreeMap<String, Answer>,
}

/// Why answers could not be scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QuestionnaireError {
    /// No such instrument or version (the caller's fault).
    #[error("unknown questionnaire {code} version {version} (known: {known})")]
    UnknownInstrument {
        /// Code given.
        code: String,
        /// Version given.
        version: String,
        /// What exists.
        known: String,
    },
    /// An answer names an item the instrument does not have (the author's fault).
    #[error("item {item} does not exist (items: {allowed})")]
    UnknownItem {
        /// Item id given.
        item: String,
        /// Valid ids.
        allowed: String,
    },
    /// A required item was not answered (the author's fault).
    #[error("item {item} is not answered")]
    Missing {
        /// Item id.
        item: String,
    },
    /// An answer is out of range or of the wrong form (the author's fault).
    #[error("item {item}: {given} is not allowed (allowed: {allowed})")]
    Invalid {
        /// Item id.
        item: String,
        /// What was given.
        given: String,
        /// What is allowed.
        allowed: String,
    },
}
