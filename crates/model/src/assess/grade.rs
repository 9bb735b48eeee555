//! Calf-strain grading (knowledge base §1.1, §1.2): grade 1–3 when the findings allow, with the
//! typical return-to-run range. The rules are data (`[[strain_grade]]`), most severe first; the
//! first that holds gives the grade, and none holding means the findings do not allow a grade.

use serde::Serialize;
use serde_json::Value;

use super::rules::Rules;

/// A calf-strain grade the findings are consistent with.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StrainGrade {
    /// 1 (irritation), 2 (partial tear) or 3 (complete or near-complete tear).
    pub grade: u8,
    /// Why this grade.
    pub because: String,
    /// Typical return to run (a range, not a promise).
    pub rtr: String,
    /// A note shown with the grade (e.g. that complete muscle tears are rarely operated on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Reference key.
    pub reference: String,
}

/// The first grade rule that holds for the check-in document, if any.
pub(super) fn grade(rules: &Rules, doc: &Value) -> Option<StrainGrade> {
    rules
        .strain_grade
        .iter()
        .find(|g| g.when.eval(doc))
        .map(|g| StrainGrade {
            grade: g.grade,
            because: g.because.clone(),
            rtr: g.rtr.clone(),
            note: g.note.clone(),
            reference: g.reference.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::CheckIn;

    fn doc(json: &str) -> Value {
        CheckIn::from_json(json).unwrap().to_value()
    }

    const HEAD: &str = r#""date":"2026-05-01","side":"left","regions":["CALF_UPPER_MEDIAL"]"#;

    #[test]
    fn grades_follow_the_findings() {
        let r = Rules::builtin();
        // Cannot heel-raise after a pop: the complete-tear pattern, with the surgery note.
        let g3 = grade(
            r,
            &doc(&format!(
                r#"{{{HEAD},"pop_or_kick_felt":true,"can_heel_raise_single_leg":false}}"#
            )),
        )
        .unwrap();
        assert_eq!(g3.grade, 3);
        assert!(g3.note.as_deref().unwrap_or("").contains("without surgery"));
        // Bruising with a painful heel raise: partial tear.
        let g2 = grade(
            r,
            &doc(&format!(
                r#"{{{HEAD},"bruising":true,"can_heel_raise_single_leg":true}}"#
            )),
        )
        .unwrap();
        assert_eq!(g2.grade, 2);
        // A comfortable heel raise and nothing else: irritation.
        let g1 = grade(r, &doc(&format!(r#"{{{HEAD},"can_heel_raise_single_leg":true,"tests":{{"SLHR_STRAIGHT":{{"reps":25,"pain":1}}}}}}"#))).unwrap();
        assert_eq!(g1.grade, 1);
        assert!(g1.rtr.contains("1–3"));
        // Nothing asked: no grade.
        assert_eq!(grade(r, &doc(&format!("{{{HEAD}}}"))), None);
    }
}
