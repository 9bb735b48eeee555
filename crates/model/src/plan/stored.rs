//! What the journal keeps of plans: the plan a saved assessment or a clinician started, and a
//! clinician's clearance. These are the documents as stored; the plan itself is rebuilt from
//! [`PlanInput`] every time it is read, so a newer rule set applies to an older plan.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::PlanInput;
use crate::clinical::Triage;

/// Who started a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanSource {
    /// A saved assessment (its top condition, grade and triage).
    Assessment,
    /// A clinician (or the athlete) for a known condition.
    Clinician,
}

/// A stored plan: what it is built from, or why a saved assessment started none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredPlan {
    /// What the plan is built from; `None` when the assessment it follows starts no plan.
    #[serde(default)]
    pub input: Option<PlanInput>,
    /// Who started it.
    pub source: PlanSource,
    /// The assessment entry it follows.
    #[serde(default)]
    pub assessment_id: Option<i64>,
    /// Set when the assessment starts no plan because a red flag comes first (it named no
    /// condition): the level of that flag. Until a later plan replaces it, the answer to "what
    /// is my plan" is the way to a clinician.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinician_first: Option<Triage>,
}

/// A clinician's clearance as recorded: who gave it and what they found or advised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clearance {
    /// Day of the clearance (the journal entry's day wins over this one).
    #[serde(default = "unknown_day")]
    pub date: NaiveDate,
    /// Who cleared it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What they found or advised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn unknown_day() -> NaiveDate {
    NaiveDate::MIN
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clinical::Condition;

    #[test]
    fn a_plan_stored_before_the_clinician_first_field_reads_the_same() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
        let input = PlanInput::new(Condition::Mtss, Triage::SelfCare, day);
        let old =
            serde_json::json!({ "input": input, "source": "clinician", "assessment_id": null });
        let p: StoredPlan = serde_json::from_value(old.clone()).unwrap();
        assert_eq!(p.input.as_ref(), Some(&input));
        assert_eq!(p.clinician_first, None);
        // And it is written back exactly as before.
        assert_eq!(serde_json::to_value(&p).unwrap(), old);
    }

    #[test]
    fn a_clearance_from_before_names_were_recorded_still_reads() {
        let c: Clearance =
            serde_json::from_value(serde_json::json!({ "by": "clinician" })).unwrap();
        assert_eq!((c.name, c.note), (None, None));
    }
}
