//! The interactive check-in as data: an ordered list of questions, each with the check-in field
//! it fills, how to answer, short safe instructions for home tests (knowledge base §0), and an
//! `asked_if` predicate so only relevant questions are asked (no hopping for someone who cannot
//! bear weight, no calf squeeze without a second person). A terminal front end loops:
//! `next_question` → show it → `answer` → … → `finish`.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::checkin::{CheckIn, CheckInError};
use super::predicate::set;
pub use super::question_list::QUESTIONS;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// yes / no.
    YesNo,
    /// A whole number in a range (pain ratings are 0–10).
    Count {
        /// Smallest allowed.
        min: u32,
        /// Largest allowed.
        max: u32,
    },
    /// A number in a range.
    Number {
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
    },
    /// One code from the list (or its 1-based number).
    Choice(&'static [&'static str]),
    /// Several codes, comma-separated (or "none").
    Multi(&'static [&'static str]),
}

/// One question of the flow.
#[derive(Debug)]
pub struct Question {
    /// The check-in field it fills (`pain.now`); keys starting with `_` are helpers that are not
    /// part of the check-in.
    pub path: &'static str,
    /// What to ask.
    pub prompt: &'static str,
    /// How to answer.
    pub kind: Kind,
    /// For home tests: how to do it safely.
    pub how_to: Option<&'static str>,
    pub(super) asked_if: fn(&PartialCheckIn) -> bool,
}

/// The answers so far.
#[derive(Debug, Clone)]
pub struct PartialCheckIn {
    doc: Value,
    skipped: BTreeSet<&'static str>,
}

pub(super) const PAIN: Kind = Kind::Count { min: 0, max: 10 };

impl PartialCheckIn {
    /// Starts a check-in for a day (the front end supplies today's date).
    pub fn new(date: chrono::NaiveDate) -> PartialCheckIn {
        PartialCheckIn {
            doc: json!({ "date": date }),
            skipped: BTreeSet::new(),
        }
    }

    /// Fills an answer known beforehand (the age from the profile), so it is not asked; or a
    /// helper value (`_sex`: `male` or `female`) that decides which questions apply.
    pub fn prefill(&mut self, path: &str, v: Value) {
        set(&mut self.doc, &format!("/{}", path.replace('.', "/")), v);
    }

    /// The answer given for a path, if any.
    pub fn get(&self, path: &str) -> Option<&Value> {
        self.doc.pointer(&format!("/{}", path.replace('.', "/")))
    }

    pub(super) fn is(&self, path: &str, v: Value) -> bool {
        self.get(path) == Some(&v)
    }

    pub(super) fn region_any(&self, codes: &[&str]) -> bool {
        self.get("regions")
            .and_then(Value::as_array)
            .is_some_and(|rs| rs.iter().any(|r| codes.iter().any(|c| r == c)))
    }

    /// The person declined to answer: the field stays "not asked".
    pub fn skip(&mut self, q: &'static Question) {
        self.skipped.insert(q.path);
    }

    /// Parses a typed answer and records it; the error names the field and what is allowed.
    pub fn answer(&mut self, q: &Question, text: &str) -> Result<(), CheckInError> {
        let v = parse(q, text.trim())?;
        set(&mut self.doc, &format!("/{}", q.path.replace('.', "/")), v);
        Ok(())
    }

    /// Validates the answers as a check-in (helper answers are dropped).
    pub fn finish(&self) -> Result<CheckIn, CheckInError> {
        let mut doc = self.doc.clone();
        if let Some(obj) = doc.as_object_mut() {
            obj.retain(|k, _| !k.starts_with('_'));
        }
        CheckIn::from_value(doc)
    }
}

fn parse(q: &Question, text: &str) -> Result<Value, CheckInError> {
    let bad =
        |allowed: String| CheckInError::field(q.path, format!("cannot read {text:?}"), &allowed);
    match q.kind {
        Kind::YesNo => match text.to_ascii_lowercase().as_str() {
            "y" | "yes" | "true" => Ok(json!(true)),
            "n" | "no" | "false" => Ok(json!(false)),
            _ => Err(bad("yes or no".into())),
        },
        Kind::Count { min, max } => match text.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(json!(n)),
            _ => Err(bad(format!("a whole number {min}–{max}"))),
        },
        // A length may carry its unit: "1.2in" or "3 cm" (the field is in cm).
        Kind::Number { min, max } => {
            let t = text.to_ascii_lowercase();
            let (num, factor) = if let Some(n) = t
                .strip_suffix("inches")
                .or_else(|| t.strip_suffix("inch"))
                .or_else(|| t.strip_suffix("in"))
                .or_else(|| t.strip_suffix('"'))
            {
                (n.trim().to_owned(), 2.54)
            } else {
                (t.trim_end_matches("cm").trim().to_owned(), 1.0)
            };
            match num.parse::<f64>().map(|x| x * factor) {
                Ok(x) if (min..=max).contains(&x) => Ok(json!((x * 100.0).round() / 100.0)),
                _ => Err(bad(format!(
                    "a number {min} to {max} (cm), or inches as e.g. 1.2in"
                ))),
            }
        }
        Kind::Choice(options) => pick(options, text)
            .map(|c| json!(c))
            .ok_or_else(|| bad(options.join(", "))),
        Kind::Multi(options) => {
            if text.is_empty() || text.eq_ignore_ascii_case("none") {
                return Ok(json!([]));
            }
            let picked: Option<Vec<&str>> =
                text.split(',').map(|t| pick(options, t.trim())).collect();
            picked
                .map(|p| json!(p))
                .ok_or_else(|| bad(format!("comma-separated, from: {}", options.join(", "))))
        }
    }
}

/// A code in plain words, where the code is not plain enough (body-map regions).
pub fn label(code: &str) -> Option<&'static str> {
    crate::clinical::Region::ALL
        .iter()
        .zip(crate::clinical::Region::CODES)
        .find(|(_, c)| *c == code)
        .map(|(r, _)| r.name())
}

fn pick(options: &[&'static str], text: &str) -> Option<&'static str> {
    if let Ok(i) = text.parse::<usize>() {
        return options.get(i.checked_sub(1)?).copied();
    }
    let norm = |s: &str| s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    let t = norm(text);
    // "no" means "none" where that is an option (swelling: none, local, whole_calf).
    if matches!(t.as_str(), "no" | "n") && options.contains(&"none") {
        return Some("none");
    }
    options
        .iter()
        .copied()
        .find(|o| norm(o) == t || label(o).is_some_and(|l| norm(l) == t))
}

/// The questions still to ask, in order: unanswered, not skipped, and relevant to the answers.
pub fn next_questions(p: &PartialCheckIn) -> Vec<&'static Question> {
    QUESTIONS
        .iter()
        .filter(|q| p.get(q.path).is_none() && !p.skipped.contains(q.path) && (q.asked_if)(p))
        .collect()
}

/// The next question to ask, if any.
pub fn next_question(p: &PartialCheckIn) -> Option<&'static Question> {
    next_questions(p).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
    }

    /// Answers every question the flow asks with `pick`, returning the paths asked.
    fn walk(pick: impl Fn(&Question) -> &'static str) -> (Vec<&'static str>, PartialCheckIn) {
        let mut p = PartialCheckIn::new(day());
        let mut asked = Vec::new();
        while let Some(q) = next_question(&p) {
            asked.push(q.path);
            p.answer(q, pick(q))
                .unwrap_or_else(|e| panic!("{}: {e}", q.path));
        }
        (asked, p)
    }

    #[test]
    fn a_calf_girth_can_be_typed_in_inches() {
        // 1.5 in = 3.81 cm (1 in = 2.54 cm exactly): a same-day sign (3 cm or more).
        let q = QUESTIONS
            .iter()
            .find(|q| q.path == "calf_girth_diff_cm")
            .unwrap();
        let mut p = PartialCheckIn::new(day());
        p.answer(q, "1.5in").unwrap();
        assert_eq!(p.get("calf_girth_diff_cm"), Some(&json!(3.81)));
        p.answer(q, "2 cm").unwrap();
        assert_eq!(p.get("calf_girth_diff_cm"), Some(&json!(2.0)));
        assert!(p.answer(q, "30in").is_err());
    }

    #[test]
    fn plain_words_and_synonyms_are_accepted() {
        let q = |path| QUESTIONS.iter().find(|q| q.path == path).unwrap();
        let mut p = PartialCheckIn::new(day());
        p.answer(q("swelling"), "no").unwrap();
        assert_eq!(p.get("swelling"), Some(&json!("none")));
        p.answer(q("swelling"), "whole calf").unwrap();
        assert_eq!(p.get("swelling"), Some(&json!("whole_calf")));
        p.answer(
            q("regions"),
            "back of the knee, inner shin (middle and lower third)",
        )
        .unwrap();
        assert_eq!(
            p.get("regions"),
            Some(&json!(["POPLITEAL", "TIBIA_PM_DISTAL"]))
        );
    }

    #[test]
    fn a_male_runner_is_not_asked_about_periods_or_pregnancy() {
        let mut p = PartialCheckIn::new(day());
        p.prefill("_sex", json!("male"));
        let asked: Vec<&Question> = QUESTIONS.iter().filter(|q| (q.asked_if)(&p)).collect();
        assert!(
            !asked
                .iter()
                .any(|q| q.path == "history.missed_periods_3_months")
        );
        for q in asked
            .iter()
            .filter(|q| q.path == "history.dvt_risk_factors")
        {
            let Kind::Multi(o) = q.kind else { panic!() };
            assert!(!o.contains(&"pregnancy") && !o.contains(&"postpartum"));
        }
        // Without a sex in the profile both are asked.
        let p = PartialCheckIn::new(day());
        assert!(
            QUESTIONS
                .iter()
                .any(|q| q.path == "history.missed_periods_3_months" && (q.asked_if)(&p))
        );
        assert!(p.clone().finish().is_err()); // date only: no side or region yet
    }

    #[test]
    fn no_weight_bearing_means_no_heel_raise_or_hop() {
        let (asked, p) = walk(|q| match (q.path, q.kind) {
            ("regions", _) => "ACHILLES_MID,CALF_LOWER",
            ("can_bear_weight", _) => "no",
            ("age_years", _) => "30",
            ("_second_person", _) => "no",
            (_, Kind::YesNo) => "no",
            (_, Kind::Choice(o)) => o[0],
            (_, Kind::Multi(_)) => "none",
            _ => "0",
        });
        for forbidden in [
            "tests.HOP_10.pain",
            "tests.SLHR_STRAIGHT.reps",
            "can_heel_raise_single_leg",
            "pain.walking",
            "tests.THOMPSON",
        ] {
            assert!(!asked.contains(&forbidden), "{forbidden} was asked");
        }
        assert!(asked.contains(&"_second_person"));
        let c = p.finish().unwrap();
        assert_eq!(c.can_bear_weight, Some(false));
        assert_eq!(c.tests, None, "no test was asked");
    }

    #[test]
    fn full_flow_with_a_helper_asks_the_tests_and_validates() {
        let (asked, p) = walk(|q| match (q.path, q.kind) {
            ("regions", _) => "CALF_MID,TIBIA_PM_DISTAL,HEEL_PLANTAR",
            ("onset", _) => "gradual",
            ("can_bear_weight" | "can_heel_raise_single_leg" | "_second_person", _) => "yes",
            ("tests.THOMPSON", _) => "normal",
            (_, Kind::YesNo) => "no",
            (_, Kind::Choice(o)) => o[0],
            (_, Kind::Multi(_)) => "none",
            _ => "3",
        });
        for wanted in [
            "tests.HOP_10.pain",
            "tests.SLHR_BENT.pain",
            "tests.THOMPSON",
            "tests.WINDLASS",
            "tests.PALP_TIBIA",
        ] {
            assert!(asked.contains(&wanted), "{wanted} was not asked");
        }
        assert!(
            !asked.contains(&"pop_or_kick_felt"),
            "no pop question after a gradual onset"
        );
        let c = p.finish().unwrap();
        assert_eq!(c.tests.unwrap().slhr_bent.unwrap().reps, Some(3));
    }

    #[test]
    fn bad_answers_name_the_field_and_allowed_values() {
        let mut p = PartialCheckIn::new(day());
        let q = QUESTIONS.iter().find(|q| q.path == "pain.now").unwrap();
        let e = p.answer(q, "11").unwrap_err().to_string();
        assert!(e.contains("pain.now") && e.contains("0–10"), "{e}");
        let q = QUESTIONS.iter().find(|q| q.path == "regions").unwrap();
        let e = p.answer(q, "CALF").unwrap_err().to_string();
        assert!(e.contains("regions") && e.contains("CALF_MID"), "{e}");
        p.answer(q, "2, calf_mid").unwrap();
        assert_eq!(
            p.get("regions"),
            Some(&json!(["CALF_UPPER_MEDIAL", "CALF_MID"]))
        );
    }

    #[test]
    fn every_question_fills_a_check_in_field() {
        let paths = super::super::validate::field_paths();
        for q in QUESTIONS.iter().filter(|q| !q.path.starts_with('_')) {
            assert!(
                paths.iter().any(|p| p == q.path),
                "{} is not a check-in field",
                q.path
            );
        }
        // Every home test of §0 has safe instructions.
        for code in [
            "PALP_TIBIA",
            "SLHR_STRAIGHT",
            "SLHR_BENT",
            "HOP_10",
            "THOMPSON",
            "CALC_SQUEEZE",
            "WINDLASS",
        ] {
            assert!(
                QUESTIONS
                    .iter()
                    .any(|q| q.path.contains(code) && q.how_to.is_some()),
                "{code}"
            );
        }
        assert!(
            QUESTIONS
                .iter()
                .any(|q| q.path == "calf_girth_diff_cm" && q.how_to.is_some())
        );
    }
}
