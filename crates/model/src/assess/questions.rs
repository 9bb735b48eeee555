//! The interactive check-in as data: an ordered list of questions, each with the check-in field
//! it fills, how to answer, short safe instructions for home tests (knowledge base §0), and an
//! `asked_if` predicate so only relevant questions are asked (no hopping for someone who cannot
//! bear weight, no calf squeeze without a second person). A terminal front end loops:
//! `next_question` → show it → `answer` → … → `finish`.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::checkin::{CheckIn, CheckInError};
use super::predicate::set;

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
    asked_if: fn(&PartialCheckIn) -> bool,
}

/// The answers so far.
#[derive(Debug, Clone)]
pub struct PartialCheckIn {
    doc: Value,
    skipped: BTreeSet<&'static str>,
}

const PAIN: Kind = Kind::Count { min: 0, max: 10 };
const REGIONS: &[&str] = &[
    "POPLITEAL",
    "CALF_UPPER_MEDIAL",
    "CALF_UPPER",
    "CALF_MID",
    "CALF_LOWER",
    "TIBIA_PM_DISTAL",
    "TIBIA_ANTERIOR",
    "LEG_ANTEROLATERAL",
    "ACHILLES_MID",
    "ACHILLES_INSERTION",
    "HEEL_PLANTAR",
    "LEG_DIFFUSE",
    "BACK_RADIATING",
];
const CONDITIONS: &[&str] = &[
    "SOLEUS_STRAIN",
    "GASTROC_STRAIN",
    "MTSS",
    "TIBIAL_BSI",
    "ACHILLES_MIDPORTION",
    "ACHILLES_INSERTIONAL",
    "ACHILLES_RUPTURE",
    "PLANTAR_HEEL_PAIN",
    "CALCANEAL_BSI",
    "CECS",
    "DVT",
    "BAKERS_CYST",
    "LUMBAR_REFERRED",
];

impl PartialCheckIn {
    /// Starts a check-in for a day (the front end supplies today's date).
    pub fn new(date: chrono::NaiveDate) -> PartialCheckIn {
        PartialCheckIn {
            doc: json!({ "date": date }),
            skipped: BTreeSet::new(),
        }
    }

    /// The answer given for a path, if any.
    pub fn get(&self, path: &str) -> Option<&Value> {
        self.doc.pointer(&format!("/{}", path.replace('.', "/")))
    }

    fn is(&self, path: &str, v: Value) -> bool {
        self.get(path) == Some(&v)
    }

    fn region_any(&self, codes: &[&str]) -> bool {
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
        Kind::Number { min, max } => match text.parse::<f64>() {
            Ok(x) if (min..=max).contains(&x) => Ok(json!(x)),
            _ => Err(bad(format!("a number {min} to {max}"))),
        },
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

fn pick(options: &[&'static str], text: &str) -> Option<&'static str> {
    if let Ok(i) = text.parse::<usize>() {
        return options.get(i.checked_sub(1)?).copied();
    }
    options
        .iter()
        .copied()
        .find(|o| o.eq_ignore_ascii_case(text))
}

macro_rules! q {
    ($path:expr, $prompt:expr, $kind:expr, $how:expr, $if:expr) => {
        Question {
            path: $path,
            prompt: $prompt,
            kind: $kind,
            how_to: $how,
            asked_if: $if,
        }
    };
}

fn always(_: &PartialCheckIn) -> bool {
    true
}
/// Weight-bearing tests only for someone who can bear weight and felt no pop (a possible rupture
/// is not provoked).
fn can_load(p: &PartialCheckIn) -> bool {
    p.is("can_bear_weight", json!(true)) && !p.is("pop_or_kick_felt", json!(true))
}
const SHIN: &[&str] = &["TIBIA_PM_DISTAL", "TIBIA_ANTERIOR", "LEG_ANTEROLATERAL"];
const CALF_ACHILLES: &[&str] = &[
    "CALF_UPPER_MEDIAL",
    "CALF_UPPER",
    "CALF_MID",
    "CALF_LOWER",
    "ACHILLES_MID",
    "ACHILLES_INSERTION",
    "LEG_DIFFUSE",
];
const HEEL: &[&str] = &["HEEL_PLANTAR", "ACHILLES_INSERTION"];

/// Every question, in the order asked: where, red-flag screening, pain, then home tests, then
/// history.
pub static QUESTIONS: &[Question] = &[
    q!(
        "side",
        "Which leg?",
        Kind::Choice(&["left", "right", "both"]),
        None,
        always
    ),
    q!(
        "regions",
        "Where does it hurt? (body-map codes)",
        Kind::Multi(REGIONS),
        None,
        always
    ),
    q!(
        "onset",
        "Did it start suddenly or gradually?",
        Kind::Choice(&["sudden", "gradual"]),
        None,
        always
    ),
    q!(
        "pop_or_kick_felt",
        "Did you feel a pop, or as if kicked in the back of the leg?",
        Kind::YesNo,
        None,
        |p| !p.is("onset", json!("gradual"))
    ),
    q!(
        "days_since_onset",
        "How many days ago did it start?",
        Kind::Count { min: 0, max: 3650 },
        None,
        always
    ),
    q!(
        "trend",
        "Is it improving, the same, or worsening?",
        Kind::Choice(&["improving", "same", "worsening"]),
        None,
        always
    ),
    q!(
        "load_reduced_days",
        "On how many days since then have you run less or not at all?",
        Kind::Count { min: 0, max: 3650 },
        None,
        |p| !p.is("days_since_onset", json!(0))
    ),
    q!(
        "breathless_or_chest_pain",
        "Are you short of breath, or have chest pain?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "saddle_numbness_or_bladder_change",
        "Any numbness between the legs, or a new bladder or bowel problem?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "cold_pale_foot",
        "Is the foot cold or pale compared with the other?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "tense_swollen_compartment",
        "Is the muscle tense and hard, as if it could burst?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "can_bear_weight",
        "Can you walk on the leg?",
        Kind::YesNo,
        None,
        always
    ),
    q!("fever", "Do you have a fever?", Kind::YesNo, None, always),
    q!(
        "warmth_or_redness",
        "Is the sore area warm or red?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "swelling",
        "Any swelling?",
        Kind::Choice(&["none", "local", "whole_calf"]),
        None,
        always
    ),
    q!(
        "calf_girth_diff_cm",
        "Calf girth: painful side minus other side, in cm",
        Kind::Number {
            min: -10.0,
            max: 20.0
        },
        Some(
            "Sit with both feet flat. Mark 10 cm below the bony bump under each kneecap and measure around each calf there with a soft tape. Enter painful minus other side."
        ),
        |p| !p.is("swelling", json!("none"))
            || p.region_any(&[
                "CALF_UPPER",
                "CALF_UPPER_MEDIAL",
                "CALF_MID",
                "CALF_LOWER",
                "LEG_DIFFUSE",
                "POPLITEAL"
            ])
    ),
    q!("bruising", "Any bruising?", Kind::YesNo, None, always),
    q!(
        "numbness_or_tingling",
        "Any numbness or tingling in the leg or foot?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "weakness",
        "Is the leg or foot weak (weak push-off, or the foot slaps)?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "back_pain",
        "Do you have low back or buttock pain?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "pain.now",
        "Pain right now (0 = none, 10 = worst imaginable)?",
        PAIN,
        None,
        always
    ),
    q!(
        "pain.during_run",
        "Pain during your last run (0–10)?",
        PAIN,
        None,
        always
    ),
    q!(
        "pain.after_run",
        "Pain after your last run (0–10)?",
        PAIN,
        None,
        always
    ),
    q!(
        "pain.next_morning",
        "Pain the morning after (0–10)?",
        PAIN,
        None,
        always
    ),
    q!(
        "pain.walking",
        "Pain when walking (0–10)?",
        PAIN,
        None,
        |p| !p.is("can_bear_weight", json!(false))
    ),
    q!(
        "pain.at_rest",
        "Does it hurt at rest?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "pain.at_night",
        "Does it hurt at night?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "character",
        "What does it feel like?",
        Kind::Multi(&[
            "dull_ache",
            "throbbing",
            "sharp",
            "burning",
            "tightness",
            "cramping",
            "tingling"
        ]),
        None,
        always
    ),
    q!(
        "morning_stiffness_min",
        "Minutes of stiffness after getting up in the morning?",
        Kind::Count { min: 0, max: 1440 },
        None,
        always
    ),
    q!(
        "can_heel_raise_single_leg",
        "Can you rise onto the toes of the sore leg alone, once?",
        Kind::YesNo,
        Some(
            "Stand on the sore leg holding a wall or chair for balance and rise onto your toes once. Stop if it hurts sharply."
        ),
        can_load
    ),
    q!(
        "tests.PALP_TIBIA",
        "Shin bone: what did your fingertips find?",
        Kind::Choice(&[
            "none",
            "diffuse_5cm_plus",
            "focal_under_5cm",
            "anterior_spot"
        ]),
        Some(
            "Sitting, walk your fingertips along the inner edge of the shin bone from knee to ankle, then press along the front of the shin. Note whether tenderness spreads over 5 cm or more, or is one spot."
        ),
        |p| p.region_any(SHIN)
    ),
    q!(
        "tests.SLHR_STRAIGHT.reps",
        "Heel raises, knee straight: how many on the sore leg?",
        Kind::Count { min: 0, max: 300 },
        Some(
            "Hold a wall for balance. On the sore leg, knee straight, rise as high as you can and lower, in time with a 60 bpm metronome (up one beat, down the next), until you cannot reach full height. Stop at sharp pain."
        ),
        |p| can_load(p)
            && p.is("can_heel_raise_single_leg", json!(true))
            && p.region_any(CALF_ACHILLES)
    ),
    q!(
        "tests.SLHR_STRAIGHT.pain",
        "Pain during those heel raises (0–10)?",
        PAIN,
        None,
        |p| p.get("tests.SLHR_STRAIGHT.reps").is_some()
    ),
    q!(
        "tests.SLHR_BENT.reps",
        "Heel raises, knee bent: how many on the sore leg?",
        Kind::Count { min: 0, max: 300 },
        Some("Rest two minutes. Repeat with the knee held bent (about 30–45°) throughout."),
        |p| p.get("tests.SLHR_STRAIGHT.reps").is_some()
    ),
    q!(
        "tests.SLHR_BENT.pain",
        "Pain during those heel raises (0–10)?",
        PAIN,
        None,
        |p| p.get("tests.SLHR_BENT.reps").is_some()
    ),
    q!(
        "tests.HOP_10.pain",
        "Pain during ten hops on the sore leg (0–10)?",
        PAIN,
        Some(
            "Only if walking is comfortable. Hold a support, hop gently in place on the sore leg up to ten times. Stop at once if one spot of bone hurts sharply."
        ),
        |p| can_load(p)
            && p.is("can_heel_raise_single_leg", json!(true))
            && !p
                .get("tests.PALP_TIBIA")
                .is_some_and(|v| v == "focal_under_5cm" || v == "anterior_spot")
    ),
    q!(
        "tests.HOP_10.focal_bone_pain",
        "Did one spot of bone hurt sharply while hopping?",
        Kind::YesNo,
        None,
        |p| p.get("tests.HOP_10.pain").is_some()
    ),
    q!(
        "_second_person",
        "Is someone with you who can squeeze your calf?",
        Kind::YesNo,
        None,
        |p| p.region_any(&["ACHILLES_MID", "CALF_LOWER", "CALF_MID"])
            || p.is("pop_or_kick_felt", json!(true))
    ),
    q!(
        "tests.THOMPSON",
        "Calf squeeze: did the foot point down?",
        Kind::Choice(&["normal", "abnormal", "not_done"]),
        Some(
            "Lie face down with both feet over the end of the bed. Your helper squeezes the middle of the calf firmly. 'normal' = the foot points down; 'abnormal' = it does not move. Compare with the other leg."
        ),
        |p| p.is("_second_person", json!(true))
    ),
    q!(
        "tests.CALC_SQUEEZE",
        "Heel squeeze: did it hurt?",
        Kind::Choice(&["pain", "no_pain", "not_done"]),
        Some(
            "Sitting, squeeze both sides of the heel bone between the palms of your hands, gently at first."
        ),
        |p| p.region_any(HEEL)
    ),
    q!(
        "tests.WINDLASS",
        "Big-toe lift: did it bring on the heel pain?",
        Kind::Choice(&["pain", "no_pain", "not_done"]),
        Some(
            "Standing on both feet, lift the big toe of the sore foot upwards with your hand and hold a few seconds."
        ),
        |p| p.region_any(&["HEEL_PLANTAR"]) && p.is("can_bear_weight", json!(true))
    ),
    q!(
        "history.previous_injuries",
        "Earlier injuries of the lower leg (codes, or none)?",
        Kind::Multi(CONDITIONS),
        None,
        always
    ),
    q!(
        "history.bone_stress_injuries",
        "How many bone stress injuries (stress fractures) have you had?",
        Kind::Count { min: 0, max: 50 },
        None,
        always
    ),
    q!(
        "history.missed_periods_3_months",
        "Have your periods stopped for three months or more? (skip if not relevant)",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "history.fluoroquinolone_recent",
        "Have you recently taken a fluoroquinolone antibiotic (e.g. ciprofloxacin)?",
        Kind::YesNo,
        None,
        |p| p.region_any(&["ACHILLES_MID", "ACHILLES_INSERTION", "CALF_LOWER"])
    ),
    q!(
        "history.dvt_risk_factors",
        "Any of these lately?",
        Kind::Multi(&[
            "long_travel",
            "surgery_or_cast",
            "bed_rest",
            "estrogen",
            "pregnancy",
            "cancer",
            "previous_vte"
        ]),
        None,
        always
    ),
];

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
    fn no_weight_bearing_means_no_heel_raise_or_hop() {
        let (asked, p) = walk(|q| match (q.path, q.kind) {
            ("regions", _) => "ACHILLES_MID,CALF_LOWER",
            ("can_bear_weight", _) => "no",
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
