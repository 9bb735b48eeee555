//! A saved assessment as the journal keeps it (the [`Assessment`](super::Assessment) document
//! with the id of the check-in it assessed), read back for what a plan is built from: the
//! triage, the top condition and its grade, suspected bone stress and the red flags.

use serde::Deserialize;

use crate::clinical::{Condition, Triage};

/// The parts of a saved assessment a plan is built from; every other field is kept in the
/// journal but not read here.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SavedAssessment {
    /// The check-in it assessed.
    #[serde(default)]
    pub checkin_id: Option<i64>,
    /// The triage level.
    pub triage: Triage,
    /// Bone stress was suspected.
    #[serde(default)]
    pub bone_stress_suspected: bool,
    /// The conditions, highest score first.
    #[serde(default)]
    pub conditions: Vec<SavedCondition>,
    /// The red flags that fired.
    #[serde(default)]
    pub red_flags: Vec<SavedRedFlag>,
}

/// A condition of a saved assessment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SavedCondition {
    /// The condition code.
    pub code: Condition,
    /// The calf-strain grade, when the findings allowed one.
    #[serde(default)]
    pub grade: Option<SavedGrade>,
}

/// A saved calf-strain grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct SavedGrade {
    /// 1–3.
    pub grade: u8,
}

/// A red flag of a saved assessment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SavedRedFlag {
    /// The red flag's code.
    pub code: String,
}

impl SavedAssessment {
    /// The condition the picture is most consistent with, and its grade.
    pub fn top(&self) -> Option<(Condition, Option<u8>)> {
        self.conditions
            .first()
            .map(|c| (c.code, c.grade.map(|g| g.grade)))
    }

    /// Whether a red flag with this code fired.
    pub fn has_flag(&self, code: &str) -> bool {
        self.red_flags.iter().any(|f| f.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{CheckIn, Rules, assess};

    #[test]
    fn reads_what_assess_writes_grade_included() {
        // A sudden mid-calf strain with bent-knee heel raises worse than straight: the picture
        // of a soleus strain, graded when the findings allow (knowledge base §1.1).
        let c = CheckIn::from_json(
            r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"onset":"sudden",
                "pain":{"now":3,"walking":2},"can_bear_weight":true,"can_heel_raise_single_leg":true,
                "tests":{"SLHR_STRAIGHT":{"reps":24,"pain":1},"SLHR_BENT":{"reps":12,"pain":5}}}"#,
        )
        .unwrap();
        let a = assess(&c, &[], Rules::builtin());
        let mut doc = serde_json::to_value(&a).unwrap();
        doc["checkin_id"] = 7.into();
        let saved: SavedAssessment = serde_json::from_value(doc).unwrap();
        assert_eq!(saved.checkin_id, Some(7));
        assert_eq!(saved.triage, a.triage);
        let top = &a.conditions[0];
        assert!(top.grade.is_some(), "the findings allow a grade: {top:?}");
        assert_eq!(
            saved.top(),
            Some((top.code, top.grade.as_ref().map(|g| g.grade)))
        );
    }
}
