//! The exercise library (`data/exercises.toml`): instructions, dosing, progression, acceptable
//! pain, evidence level and reference keys, each with a line drawing the web app can serve.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::PlanError;

/// The library file compiled into the binary.
pub const BUILTIN_EXERCISES: &str = include_str!("../../data/exercises.toml");

/// The drawings, compiled in so the web app serves them without touching the disk.
const SVGS: &[(&str, &str)] = &[
    (
        "alfredson.svg",
        include_str!("../../data/svg/alfredson.svg"),
    ),
    (
        "heel_drop_bent_flat.svg",
        include_str!("../../data/svg/heel_drop_bent_flat.svg"),
    ),
    (
        "heel_drop_bent_step.svg",
        include_str!("../../data/svg/heel_drop_bent_step.svg"),
    ),
    (
        "heel_drop_straight_flat.svg",
        include_str!("../../data/svg/heel_drop_straight_flat.svg"),
    ),
    (
        "heel_drop_straight_step.svg",
        include_str!("../../data/svg/heel_drop_straight_step.svg"),
    ),
    ("hop_test.svg", include_str!("../../data/svg/hop_test.svg")),
    ("hsr.svg", include_str!("../../data/svg/hsr.svg")),
    ("iso_hold.svg", include_str!("../../data/svg/iso_hold.svg")),
    (
        "pf_stretch.svg",
        include_str!("../../data/svg/pf_stretch.svg"),
    ),
    (
        "seated_soleus.svg",
        include_str!("../../data/svg/seated_soleus.svg"),
    ),
    (
        "self_massage.svg",
        include_str!("../../data/svg/self_massage.svg"),
    ),
    (
        "slhr_test.svg",
        include_str!("../../data/svg/slhr_test.svg"),
    ),
    (
        "towel_raise.svg",
        include_str!("../../data/svg/towel_raise.svg"),
    ),
    ("walk.svg", include_str!("../../data/svg/walk.svg")),
    ("walk_run.svg", include_str!("../../data/svg/walk_run.svg")),
];

/// The drawing called `name` (as in an exercise's `svg` field), if there is one.
pub fn svg(name: &str) -> Option<&'static str> {
    SVGS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Every drawing's file name, for a web route that lists or serves them.
pub fn svg_names() -> impl Iterator<Item = &'static str> {
    SVGS.iter().map(|(n, _)| *n)
}

/// On which days an exercise is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Morning and evening, every day.
    TwiceDaily,
    /// Once every day.
    Daily,
    /// Every second day, counted from the day the stage began.
    AlternateDays,
    /// A test, done when a stage gate asks for it.
    Test,
}

/// One exercise of the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Stable id (`E1` … `E4`, `ALFREDSON`, `HSR` …).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Steps, in order.
    pub instructions: Vec<String>,
    /// Sets, repetitions and how often.
    pub dosing: String,
    /// How to make it harder, and when.
    pub progression: String,
    /// What pain is acceptable while doing it.
    pub acceptable_pain: String,
    /// Evidence level (A, B or C as tagged in the knowledge base).
    pub evidence: String,
    /// Credible sources disagree about it.
    #[serde(default)]
    pub contested: bool,
    /// Little evidence either way; optional.
    #[serde(default)]
    pub low_evidence: bool,
    /// On which days it is due.
    pub frequency: Frequency,
    /// Reference keys (knowledge base §6).
    pub references: Vec<String>,
    /// File name of its drawing (see [`svg`]).
    pub svg: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    exercise: Vec<Exercise>,
}

/// Parses and checks a library file: ids unique, every drawing present, every exercise with at
/// least one reference.
pub fn parse_library(text: &str) -> Result<Vec<Exercise>, PlanError> {
    let file: File = toml::from_str(text).map_err(|e| PlanError::Data(e.to_string()))?;
    for (i, e) in file.exercise.iter().enumerate() {
        if file.exercise[..i].iter().any(|o| o.id == e.id) {
            return Err(PlanError::Data(format!(
                "exercise {} is listed twice",
                e.id
            )));
        }
        if svg(&e.svg).is_none() {
            return Err(PlanError::Data(format!(
                "exercise {} has no drawing {}",
                e.id, e.svg
            )));
        }
        if e.references.is_empty() {
            return Err(PlanError::Data(format!(
                "exercise {} has no reference",
                e.id
            )));
        }
    }
    Ok(file.exercise)
}

/// The built-in library, parsed once.
pub fn library() -> &'static [Exercise] {
    static LIB: OnceLock<Vec<Exercise>> = OnceLock::new();
    LIB.get_or_init(|| {
        parse_library(BUILTIN_EXERCISES).expect("the built-in library is checked by tests")
    })
}

/// The built-in exercise with this id.
pub fn exercise(id: &str) -> Option<&'static Exercise> {
    library().iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exercise_has_a_small_well_formed_drawing() {
        assert!(
            library().len() >= 14,
            "the issue lists at least 14 exercises"
        );
        for e in library() {
            let s = svg(&e.svg).unwrap();
            assert!(s.starts_with("<svg"), "{} does not start with <svg", e.svg);
            assert!(s.contains("viewBox=\""), "{} has no viewBox", e.svg);
            assert!(s.trim_end().ends_with("</svg>"), "{} is not closed", e.svg);
            assert!(s.len() < 3 * 1024, "{} is {} bytes", e.svg, s.len());
            // Every opened element is closed or self-closed: count "<x" against "</" and "/>".
            let opens = s.matches('<').count() - s.matches("</").count();
            let closes = s.matches("</").count() + s.matches("/>").count();
            assert_eq!(opens, closes, "{} has unbalanced tags", e.svg);
        }
    }

    #[test]
    fn the_four_heel_drop_varieties_and_the_flags() {
        for id in [
            "E1",
            "E2",
            "E3",
            "E4",
            "ALFREDSON",
            "HSR",
            "SEATED_SOLEUS",
            "TOWEL_RAISE",
        ] {
            assert!(exercise(id).is_some(), "{id} missing");
        }
        assert!(exercise("ISO_HOLD").unwrap().contested);
        assert!(exercise("SELF_MASSAGE").unwrap().low_evidence);
        assert!(!exercise("E1").unwrap().contested);
        // E1/E3 stop at flat (insertional-safe), E2/E4 go below it.
        assert!(exercise("E1").unwrap().name.contains("to flat"));
        assert!(exercise("E4").unwrap().name.contains("below flat"));
    }

    #[test]
    fn bad_libraries_are_refused() {
        let dup = format!(
            "{BUILTIN_EXERCISES}\n{}",
            &BUILTIN_EXERCISES[BUILTIN_EXERCISES.find("[[exercise]]").unwrap()..]
        );
        assert!(matches!(parse_library(&dup), Err(PlanError::Data(m)) if m.contains("twice")));
        let no_svg = BUILTIN_EXERCISES.replace("walk.svg\"", "nowhere.svg\"");
        assert!(matches!(parse_library(&no_svg), Err(PlanError::Data(m)) if m.contains("drawing")));
    }
}
