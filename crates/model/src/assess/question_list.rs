//! The check-in questions, in the order asked (where, red-flag screening, pain, home tests,
//! history), each with the field it fills and when it is relevant. Home-test instructions are
//! short and safe (knowledge base §0): stop at sharp or focal bone pain.

use serde_json::json;

use super::questions::{Kind, PAIN, PartialCheckIn, Question};
use crate::clinical::Region;

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

pub(super) fn always(_: &PartialCheckIn) -> bool {
    true
}

/// Periods, pregnancy and giving birth are not asked of a runner whose profile says male.
fn not_male(p: &PartialCheckIn) -> bool {
    !p.is("_sex", json!("male"))
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
        Kind::Multi(&Region::CODES),
        None,
        always
    ),
    q!(
        "age_years",
        "How old are you? (under 16, heel and shin pain are routed differently)",
        Kind::Count { min: 1, max: 120 },
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
        "Calf girth: painful side minus other side, in cm (or inches, e.g. 1.2in)",
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
        "foot_drop",
        "Does the foot drop or slap when you walk, as if you cannot lift it at the ankle?",
        Kind::YesNo,
        None,
        always
    ),
    q!(
        "only_during_exercise",
        "Does the numbness, tingling or cold, pale foot come only during exercise and settle within minutes of stopping?",
        Kind::YesNo,
        None,
        |p| p.is("numbness_or_tingling", json!(true)) || p.is("cold_pale_foot", json!(true))
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
            "anterior_spot",
            "not_done"
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
        not_male
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
            "postpartum",
            "cancer",
            "previous_vte"
        ]),
        None,
        not_male
    ),
    q!(
        "history.dvt_risk_factors",
        "Any of these lately?",
        Kind::Multi(&[
            "long_travel",
            "surgery_or_cast",
            "bed_rest",
            "estrogen",
            "cancer",
            "previous_vte"
        ]),
        None,
        |p| !not_male(p)
    ),
];
