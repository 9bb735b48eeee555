//! Check-ins, red-flag triage and assessment (knowledge base §0, §1, §2).
//!
//! The flow: a [`CheckIn`] (from `--json` or from the interactive [`questions`] flow) and the
//! runner's [`LoadFinding`]s go into [`assess`] with the built-in [`Rules`]; out comes an
//! [`Assessment`] whose triage level comes first. The engine never diagnoses: it says a picture
//! is "consistent with" a condition and shows the findings for and against.
//!
//! ```
//! use soleus_model::assess::{CheckIn, Rules, Triage, assess};
//!
//! let c = CheckIn::from_json(r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],
//!     "breathless_or_chest_pain":true}"#).unwrap();
//! let a = assess(&c, &[], Rules::builtin());
//! assert_eq!(a.triage, Triage::Emergency);
//! ```

mod carry;
mod checkin;
mod engine;

mod grade;
mod predicate;
mod question_list;
pub mod questions;
mod rules;
mod saved;
mod strict_json;
mod validate;

pub use crate::clinical::{Condition, Region, Triage};
pub use carry::{InForce, TriageEntry, TriageRecord, triage_checkin};
pub use checkin::{
    Character, CheckIn, DvtRisk, HeelRaise, History, Hop, Onset, Pain, PainScore, PainTest,
    Palpation, Side, Swelling, Tests, Thompson, Trend,
};
pub use engine::{
    Assessment, ConditionResult, Likelihood, LoadFinding, RedFlagHit, assess, condition_code,
    rule_document,
};
pub use grade::StrainGrade;
pub use predicate::Pred;
pub use rules::{Rules, RulesError};
pub use saved::{SavedAssessment, SavedCondition, SavedGrade, SavedRedFlag};
pub use validate::{CheckInError, all_regions, field_paths};
