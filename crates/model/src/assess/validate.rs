//! Check-in validation with errors a person can act on: serde's messages already name unknown
//! fields and variants, but not where they sit, so the document is first walked against a small
//! schema that knows each field's path and what it allows; semantic checks follow.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::checkin::{
    Character, CheckIn, DvtRisk, Onset, PainScore, PainTest, Palpation, Side, Swelling, Thompson,
    Trend,
};
use crate::clinical::{Condition, Region};

/// Why a check-in document was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckInError {
    /// The text is not JSON (the author's fault).
    #[error("check-in is not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A field is unknown, missing, of the wrong type or out of range (the author's fault).
    #[error("{path}: {message}{}", if allowed.is_empty() { String::new() } else { format!(" (allowed: {allowed})") })]
    Field {
        /// The field path, e.g. `pain.now` or `tests.HOP_10.pain`.
        path: String,
        /// What is wrong.
        message: String,
        /// What the field accepts.
        allowed: String,
    },
}

impl CheckInError {
    pub(super) fn field(path: &str, message: impl Into<String>, allowed: &str) -> CheckInError {
        CheckInError::Field {
            path: if path.is_empty() {
                "(document)".into()
            } else {
                path.into()
            },
            message: message.into(),
            allowed: allowed.into(),
        }
    }

    /// The offending field path, if the error is about one field.
    pub fn path(&self) -> Option<&str> {
        match self {
            CheckInError::Field { path, .. } => Some(path),
            CheckInError::Syntax { .. } => None,
        }
    }
}

type Check = fn(&Value) -> Result<(), serde_json::Error>;

fn leaf<T: DeserializeOwned>(v: &Value) -> Result<(), serde_json::Error> {
    T::deserialize(v).map(|_| ())
}

/// One field of the schema: a leaf with its type check and a hint, or a nested object.
enum Node {
    Leaf(Check, &'static str),
    Obj(&'static [(&'static str, Node)]),
}

const BOOL: &str = "true or false";
const PAIN: &str = "a whole number 0–10";
const DAYS: &str = "a whole number 0 or more";

const PAIN_FIELDS: &[(&str, Node)] = &[
    ("now", Node::Leaf(leaf::<PainScore>, PAIN)),
    ("during_run", Node::Leaf(leaf::<PainScore>, PAIN)),
    ("after_run", Node::Leaf(leaf::<PainScore>, PAIN)),
    ("next_morning", Node::Leaf(leaf::<PainScore>, PAIN)),
    ("walking", Node::Leaf(leaf::<PainScore>, PAIN)),
    ("at_rest", Node::Leaf(leaf::<bool>, BOOL)),
    ("at_night", Node::Leaf(leaf::<bool>, BOOL)),
];

const RAISE: &[(&str, Node)] = &[
    ("reps", Node::Leaf(leaf::<u16>, "a whole number 0–300")),
    ("pain", Node::Leaf(leaf::<PainScore>, PAIN)),
];

const HOP: &[(&str, Node)] = &[
    ("pain", Node::Leaf(leaf::<PainScore>, PAIN)),
    ("focal_bone_pain", Node::Leaf(leaf::<bool>, BOOL)),
];

const TESTS: &[(&str, Node)] = &[
    ("SLHR_STRAIGHT", Node::Obj(RAISE)),
    ("SLHR_BENT", Node::Obj(RAISE)),
    ("HOP_10", Node::Obj(HOP)),
    ("PALP_TIBIA", Node::Leaf(leaf::<Palpation>, "")),
    ("THOMPSON", Node::Leaf(leaf::<Thompson>, "")),
    ("CALC_SQUEEZE", Node::Leaf(leaf::<PainTest>, "")),
    ("WINDLASS", Node::Leaf(leaf::<PainTest>, "")),
];

const HISTORY: &[(&str, Node)] = &[
    (
        "previous_injuries",
        Node::Leaf(leaf::<Vec<Condition>>, "a list of condition codes"),
    ),
    (
        "bone_stress_injuries",
        Node::Leaf(leaf::<u8>, "a whole number 0–50"),
    ),
    ("missed_periods_3_months", Node::Leaf(leaf::<bool>, BOOL)),
    ("fluoroquinolone_recent", Node::Leaf(leaf::<bool>, BOOL)),
    (
        "dvt_risk_factors",
        Node::Leaf(leaf::<Vec<DvtRisk>>, "a list"),
    ),
];

const TOP: &[(&str, Node)] = &[
    (
        "date",
        Node::Leaf(leaf::<chrono::NaiveDate>, "a date YYYY-MM-DD"),
    ),
    ("side", Node::Leaf(leaf::<Side>, "")),
    ("age_years", Node::Leaf(leaf::<u8>, "whole years, 1–120")),
    (
        "regions",
        Node::Leaf(leaf::<Vec<Region>>, "a list of body-map region codes"),
    ),
    ("onset", Node::Leaf(leaf::<Onset>, "")),
    ("days_since_onset", Node::Leaf(leaf::<u32>, DAYS)),
    ("trend", Node::Leaf(leaf::<Trend>, "")),
    ("load_reduced_days", Node::Leaf(leaf::<u32>, DAYS)),
    ("pop_or_kick_felt", Node::Leaf(leaf::<bool>, BOOL)),
    ("pain", Node::Obj(PAIN_FIELDS)),
    ("character", Node::Leaf(leaf::<Vec<Character>>, "a list")),
    (
        "morning_stiffness_min",
        Node::Leaf(leaf::<u32>, "minutes, 0–1440"),
    ),
    ("swelling", Node::Leaf(leaf::<Swelling>, "")),
    (
        "calf_girth_diff_cm",
        Node::Leaf(leaf::<f64>, "a number of cm, −10 to 20"),
    ),
    ("bruising", Node::Leaf(leaf::<bool>, BOOL)),
    ("warmth_or_redness", Node::Leaf(leaf::<bool>, BOOL)),
    ("fever", Node::Leaf(leaf::<bool>, BOOL)),
    ("can_bear_weight", Node::Leaf(leaf::<bool>, BOOL)),
    ("can_heel_raise_single_leg", Node::Leaf(leaf::<bool>, BOOL)),
    ("numbness_or_tingling", Node::Leaf(leaf::<bool>, BOOL)),
    ("weakness", Node::Leaf(leaf::<bool>, BOOL)),
    ("foot_drop", Node::Leaf(leaf::<bool>, BOOL)),
    ("cold_pale_foot", Node::Leaf(leaf::<bool>, BOOL)),
    ("only_during_exercise", Node::Leaf(leaf::<bool>, BOOL)),
    ("breathless_or_chest_pain", Node::Leaf(leaf::<bool>, BOOL)),
    (
        "saddle_numbness_or_bladder_change",
        Node::Leaf(leaf::<bool>, BOOL),
    ),
    ("back_pain", Node::Leaf(leaf::<bool>, BOOL)),
    ("tense_swollen_compartment", Node::Leaf(leaf::<bool>, BOOL)),
    ("tests", Node::Obj(TESTS)),
    ("history", Node::Obj(HISTORY)),
];

/// Every leaf field path of the check-in (`pain.now`, `tests.HOP_10.focal_bone_pain` …); the
/// rule base may only name these (plus the engine's `derived.*` values).
pub fn field_paths() -> Vec<String> {
    fn walk(fields: &[(&str, Node)], prefix: &str, out: &mut Vec<String>) {
        for (name, node) in fields {
            let path = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            };
            match node {
                Node::Leaf(..) => out.push(path),
                Node::Obj(inner) => walk(inner, &path, out),
            }
        }
    }
    let mut out = Vec::new();
    walk(TOP, "", &mut out);
    out
}

/// Finds the first field that does not fit its type and names it.
pub(super) fn locate(value: &Value) -> Result<(), CheckInError> {
    fn walk(v: &Value, fields: &[(&str, Node)], prefix: &str) -> Result<(), CheckInError> {
        let Some(obj) = v.as_object() else {
            return Err(CheckInError::field(prefix, "expected an object", "{ … }"));
        };
        for (key, child) in obj {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            let Some((_, node)) = fields.iter().find(|(n, _)| n == key) else {
                let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
                return Err(CheckInError::field(
                    &path,
                    "unknown field",
                    &names.join(", "),
                ));
            };
            match node {
                Node::Leaf(check, hint) => {
                    if let Err(e) = check(child) {
                        return Err(CheckInError::field(&path, e.to_string(), hint));
                    }
                }
                Node::Obj(inner) => walk(child, inner, &path)?,
            }
        }
        Ok(())
    }
    walk(value, TOP, "")
}

impl CheckIn {
    /// Checks the rules no type can express (ranges, at least one region, consistency).
    pub(super) fn validate(&self) -> Result<(), CheckInError> {
        if self.regions.is_empty() {
            let all: Vec<String> = Region::CODES.iter().map(|c| (*c).to_string()).collect();
            return Err(CheckInError::field(
                "regions",
                "at least one region is needed",
                &all.join(", "),
            ));
        }
        for (i, r) in self.regions.iter().enumerate() {
            if self.regions[..i].contains(r) {
                return Err(CheckInError::field(
                    "regions",
                    format!("{} is listed twice", wire(r)),
                    "each region once",
                ));
            }
        }
        if let Some(a) = self.age_years
            && !(1..=120).contains(&a)
        {
            return Err(CheckInError::field(
                "age_years",
                format!("{a} is not a plausible age"),
                "1–120",
            ));
        }
        if let Some(g) = self.calf_girth_diff_cm
            && !(-10.0..=20.0).contains(&g)
        {
            return Err(CheckInError::field(
                "calf_girth_diff_cm",
                format!("{g} cm is out of range"),
                "−10 to 20 cm",
            ));
        }
        if let Some(m) = self.morning_stiffness_min
            && m > 1440
        {
            return Err(CheckInError::field(
                "morning_stiffness_min",
                format!("{m} is more than a day"),
                "0–1440",
            ));
        }
        if let (Some(reduced), Some(days)) = (self.load_reduced_days, self.days_since_onset)
            && reduced > days
        {
            return Err(CheckInError::field(
                "load_reduced_days",
                format!("{reduced} days of reduced running but the pain began {days} days ago"),
                "at most days_since_onset",
            ));
        }
        if let Some(d) = self.days_since_onset
            && d > 3650
        {
            return Err(CheckInError::field(
                "days_since_onset",
                format!("{d} is over ten years"),
                "0–3650",
            ));
        }
        let tests = self.tests.clone().unwrap_or_default();
        for (name, t) in [
            ("SLHR_STRAIGHT", tests.slhr_straight),
            ("SLHR_BENT", tests.slhr_bent),
        ] {
            if let Some(reps) = t.and_then(|t| t.reps)
                && reps > 300
            {
                return Err(CheckInError::field(
                    &format!("tests.{name}.reps"),
                    format!("{reps} is implausible"),
                    "0–300",
                ));
            }
        }
        if let Some(n) = self.history.as_ref().and_then(|h| h.bone_stress_injuries)
            && n > 50
        {
            return Err(CheckInError::field(
                "history.bone_stress_injuries",
                format!("{n} is implausible"),
                "0–50",
            ));
        }
        Ok(())
    }
}

fn wire<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// Every region, in body-map order.
pub fn all_regions() -> &'static [Region; 13] {
    &Region::ALL
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"]}"#;

    fn err(text: &str) -> CheckInError {
        CheckIn::from_json(text).expect_err("should be refused")
    }

    #[test]
    fn minimal_document_is_accepted() {
        let c = CheckIn::from_json(OK).unwrap();
        assert_eq!(c.regions, vec![Region::CalfMid]);
        assert_eq!(c.pain, None, "not asked stays not asked");
    }

    #[test]
    fn errors_name_the_path_and_allowed_values() {
        let e = err(r#"{"date":"2026-05-01","side":"up","regions":["CALF_MID"]}"#);
        assert_eq!(e.path(), Some("side"));
        assert!(e.to_string().contains("`left`, `right`, `both`"), "{e}");

        let e =
            err(r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"pain":{"now":11}}"#);
        assert_eq!(e.path(), Some("pain.now"));
        assert!(e.to_string().contains("0–10"), "{e}");

        let e = err(r#"{"date":"2026-05-01","side":"left","regions":["CALF"]}"#);
        assert_eq!(e.path(), Some("regions"));
        assert!(e.to_string().contains("CALF_MID"), "{e}");

        let e = err(
            r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"tests":{"HOP_10":{"pian":2}}}"#,
        );
        assert_eq!(e.path(), Some("tests.HOP_10.pian"));
        assert!(e.to_string().contains("focal_bone_pain"), "{e}");

        let e = err(
            r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"days_since_onset":-3}"#,
        );
        assert_eq!(e.path(), Some("days_since_onset"));
    }

    #[test]
    fn semantic_rules() {
        assert_eq!(
            err(r#"{"date":"2026-05-01","side":"left","regions":[]}"#).path(),
            Some("regions")
        );
        let twice = r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID","CALF_MID"]}"#;
        assert_eq!(err(twice).path(), Some("regions"));
        let girth =
            r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"calf_girth_diff_cm":40}"#;
        assert_eq!(err(girth).path(), Some("calf_girth_diff_cm"));
        let reduced = r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"days_since_onset":3,"load_reduced_days":5}"#;
        assert_eq!(err(reduced).path(), Some("load_reduced_days"));
        assert!(matches!(err("{"), CheckInError::Syntax { .. }));
        assert!(
            err(r#"{"side":"left","regions":["CALF_MID"]}"#)
                .to_string()
                .contains("date")
        );
    }

    /// The design's example check-in, every field answered.
    const FULL: &str = r#"{ "date": "2026-05-01", "side": "left", "regions": ["CALF_MID"],
      "onset": "gradual", "days_since_onset": 10, "trend": "same", "load_reduced_days": 0,
      "pop_or_kick_felt": false,
      "pain": { "now": 2, "during_run": 4, "after_run": 5, "next_morning": 3, "walking": 1,
                "at_rest": false, "at_night": false },
      "character": ["dull_ache"], "morning_stiffness_min": 0, "swelling": "none",
      "calf_girth_diff_cm": 0.0, "bruising": false, "warmth_or_redness": false, "fever": false,
      "can_bear_weight": true, "can_heel_raise_single_leg": true, "numbness_or_tingling": false,
      "weakness": false, "foot_drop": false, "cold_pale_foot": false,
      "only_during_exercise": false, "age_years": 34, "breathless_or_chest_pain": false,
      "saddle_numbness_or_bladder_change": false, "back_pain": false,
      "tense_swollen_compartment": false,
      "tests": { "SLHR_STRAIGHT": { "reps": 22, "pain": 2 }, "SLHR_BENT": { "reps": 15, "pain": 5 },
                 "HOP_10": { "pain": 1, "focal_bone_pain": false }, "PALP_TIBIA": "none",
                 "THOMPSON": "not_done", "CALC_SQUEEZE": "not_done", "WINDLASS": "not_done" },
      "history": { "previous_injuries": ["SOLEUS_STRAIN"], "bone_stress_injuries": 0,
                   "missed_periods_3_months": false, "fluoroquinolone_recent": false,
                   "dvt_risk_factors": [] } }"#;

    #[test]
    fn design_example_round_trips_and_covers_every_path() {
        let c = CheckIn::from_json(FULL).unwrap();
        let v = c.to_value();
        let back = CheckIn::from_value(v.clone()).unwrap();
        assert_eq!(back, c);
        // The schema cannot drift from the struct: every schema path is present in the
        // serialised example, and the example has no leaf the schema lacks (49 = 24 top-level
        // leaves of the design document + age_years, foot_drop and only_during_exercise, + 7 pain
        // + 10 tests + 5 history).
        let paths = field_paths();
        assert_eq!(paths.len(), 49);
        for p in &paths {
            let ptr = format!("/{}", p.replace('.', "/"));
            assert!(
                v.pointer(&ptr).is_some(),
                "{p} missing from the serialised example"
            );
        }
    }
}
