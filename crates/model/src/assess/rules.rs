//! The assessment rule base, read from `data/assess_rules.toml` so a clinician can review and
//! change red flags, findings, weights, grades and wording without reading Rust.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::predicate::Pred;
use crate::clinical::{Condition, Region, Triage};

/// The rule base compiled into the binary.
pub const BUILTIN_RULES: &str = include_str!("../../data/assess_rules.toml");

/// Why a rule base could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// Not TOML, or not the rule base's shape (the file author's fault).
    #[error("assessment rules are not valid: {0}")]
    Syntax(#[from] toml::de::Error),
    /// A rule is well-formed TOML but wrong (the file author's fault).
    #[error("assessment rule {rule}: {message}")]
    Invalid {
        /// Which rule.
        rule: String,
        /// What is wrong.
        message: String,
    },
}

/// What a triage level means for the person: what to do and how soon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TriageAdvice {
    /// One line: what to do.
    pub advice: String,
    /// How soon.
    pub how_soon: String,
    /// What to do while getting there (URGENT and EMERGENCY: the only steps shown).
    #[serde(default)]
    pub now: Vec<String>,
}

/// A red flag: a sign that sends the person to a clinician at `level`, whatever else is present.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedFlag {
    /// Stable code.
    pub code: String,
    /// The level it sets (never SELF_CARE).
    pub level: Triage,
    /// When it fires.
    pub when: Pred,
    /// Why it matters, in plain words.
    pub because: String,
    /// Reference key (§6) or knowledge-base section (`§1.14`).
    pub reference: String,
    /// The sign points at bone stress: pain-monitoring advice is then withheld.
    #[serde(default)]
    pub bone: bool,
}

/// One finding for (positive weight) or against (negative weight) a condition.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Points added to the condition's raw score when the finding is present.
    pub weight: f64,
    /// When the finding is present.
    pub when: Pred,
    /// The finding in plain words.
    pub because: String,
    /// Reference key (§6) or knowledge-base section.
    pub reference: String,
}

/// A next step offered when a condition ranks high enough.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step in plain words.
    pub text: String,
    /// The step lets the person run with some pain (the pain-monitoring model). Such steps are
    /// never shown when bone stress is suspected.
    #[serde(default)]
    pub pain_monitoring: bool,
    /// The lowest triage level at which the step may be shown (a same-day step never appears
    /// under a lower level).
    #[serde(default)]
    pub min_triage: Option<Triage>,
}

/// One condition's rules.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionRules {
    /// The condition.
    pub code: Condition,
    /// Plain name.
    pub name: String,
    /// Knowledge-base section.
    pub section: String,
    /// Reference keys shown with the condition.
    pub references: Vec<String>,
    /// Typical return-to-run time, when the knowledge base gives one.
    #[serde(default)]
    pub rtr: Option<String>,
    /// Where the condition is usually felt.
    pub regions: Vec<Region>,
    /// A condition only a clinician can rule out: a "moderate" or higher fit raises the triage
    /// to at least this level, so the scores and the triage never disagree.
    #[serde(default)]
    pub escalate: Option<Triage>,
    /// An extra condition for `escalate` (for painful conditions: that pain was reported).
    #[serde(default)]
    pub escalate_when: Option<Pred>,
    /// Points for a painful region among `regions` (default: `scoring.region`).
    #[serde(default)]
    pub region_weight: Option<f64>,
    /// Findings for and against.
    pub finding: Vec<Finding>,
    /// Next steps.
    #[serde(default)]
    pub step: Vec<Step>,
    /// For a condition only a clinician can rule out: what to say whenever it is listed at all
    /// while the triage stays below its `escalate` level (a low match), so a low match never
    /// reads as reassurance. Each shows when its `when` holds (always, without one).
    #[serde(default)]
    pub unresolved: Vec<GuardedStep>,
}

/// A next step shown only when its predicate holds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardedStep {
    /// The step in plain words.
    pub text: String,
    /// When it applies (always, without one).
    #[serde(default)]
    pub when: Option<Pred>,
}

/// One calf-strain grade rule; the first whose `when` holds gives the grade.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeRule {
    /// 1, 2 or 3.
    pub grade: u8,
    /// When this grade fits.
    pub when: Pred,
    /// Why, in plain words.
    pub because: String,
    /// Typical return to run.
    pub rtr: String,
    /// A note shown with the grade.
    #[serde(default)]
    pub note: Option<String>,
    /// Reference key.
    pub reference: String,
}

/// Likelihood bands over the 0–1 score.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Default points for pain in one of a condition's regions.
    pub region: f64,
    /// Points taken off when no painful region is one of the condition's.
    pub off_region: f64,
    /// score = raw / (raw + saturation) for a positive raw sum of weights.
    pub saturation: f64,
    /// Score at or above which likelihood is "high".
    pub high: f64,
    /// Score at or above which likelihood is "moderate".
    pub moderate: f64,
}

/// The whole rule base.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Shown with every assessment.
    pub disclaimer: String,
    /// Added when bone stress is suspected, in place of any pain-monitoring step.
    pub bone_step: String,
    /// Added when the runner's own training shows a load finding.
    pub load_step: String,
    /// "How soon" in place of the level's own when a condition only a clinician can rule out
    /// is listed at a low match (its `unresolved` steps are shown): never "no appointment
    /// needed" beside a possible clot.
    pub unresolved_how_soon: String,
    /// How scores become likelihoods.
    pub scoring: Scoring,
    /// Advice per triage level.
    pub triage: BTreeMap<Triage, TriageAdvice>,
    /// Red flags.
    pub red_flag: Vec<RedFlag>,
    /// Conditions, each exactly once.
    pub condition: Vec<ConditionRules>,
    /// Calf-strain grades, most severe first.
    pub strain_grade: Vec<GradeRule>,
}

impl Rules {
    /// Parses and validates a rule base.
    pub fn parse(text: &str) -> Result<Rules, RulesError> {
        let rules: Rules = toml::from_str(text)?;
        let bad = |rule: &str, message: String| RulesError::Invalid {
            rule: rule.into(),
            message,
        };
        let load_codes: Vec<String> = crate::load::Rules::builtin()
            .rule
            .iter()
            .map(|r| r.code.clone())
            .collect();
        for level in [
            Triage::SelfCare,
            Triage::Soon,
            Triage::Urgent,
            Triage::Emergency,
        ] {
            if !rules.triage.contains_key(&level) {
                return Err(bad("triage", format!("no advice for {level:?}")));
            }
        }
        for f in &rules.red_flag {
            if f.level == Triage::SelfCare {
                return Err(bad(&f.code, "a red flag cannot be SELF_CARE".into()));
            }
            f.when.check(&load_codes).map_err(|m| bad(&f.code, m))?;
        }
        for c in Condition::ALL {
            let n = rules.condition.iter().filter(|r| r.code == c).count();
            if n != 1 {
                return Err(bad(
                    &format!("{c:?}"),
                    format!("appears {n} times, needs exactly once"),
                ));
            }
        }
        for c in &rules.condition {
            if let Some(p) = &c.escalate_when {
                p.check(&load_codes).map_err(|m| bad(&c.name, m))?;
            }
            for f in &c.finding {
                f.when
                    .check(&load_codes)
                    .map_err(|m| bad(&c.name, format!("{}: {m}", f.because)))?;
                if f.weight == 0.0 || !f.weight.is_finite() {
                    return Err(bad(
                        &c.name,
                        format!("{}: weight must be non-zero", f.because),
                    ));
                }
            }
            let clinician_first = c.code.family() == crate::clinical::Family::Clinician
                || matches!(c.code, Condition::TibialBsi | Condition::CalcanealBsi);
            match c.escalate {
                None if clinician_first => {
                    return Err(bad(
                        &c.name,
                        "a condition only a clinician can rule out needs `escalate`".into(),
                    ));
                }
                Some(l) if !clinician_first || l == Triage::SelfCare => {
                    return Err(bad(
                        &c.name,
                        "`escalate` is for clinician-first conditions, at SOON or above".into(),
                    ));
                }
                _ => {}
            }
            if !c.unresolved.is_empty() && c.escalate.is_none() {
                return Err(bad(
                    &c.name,
                    "`unresolved` steps are for conditions with `escalate`".into(),
                ));
            }
            for u in &c.unresolved {
                if let Some(p) = &u.when {
                    p.check(&load_codes).map_err(|m| bad(&c.name, m))?;
                }
            }
            if c.code.family() == crate::clinical::Family::Bone
                && c.step.iter().any(|s| s.pain_monitoring)
            {
                return Err(bad(
                    &c.name,
                    "a bone condition cannot have a pain-monitoring step".into(),
                ));
            }
        }
        for g in &rules.strain_grade {
            if !(1..=3).contains(&g.grade) {
                return Err(bad("strain_grade", format!("grade {} is not 1–3", g.grade)));
            }
            g.when
                .check(&load_codes)
                .map_err(|m| bad("strain_grade", m))?;
        }
        let s = rules.scoring;
        if !(s.saturation > 0.0 && 0.0 < s.moderate && s.moderate < s.high && s.high < 1.0) {
            return Err(bad(
                "scoring",
                "needs saturation > 0 and 0 < moderate < high < 1".into(),
            ));
        }
        Ok(rules)
    }

    /// The built-in rule base, parsed once.
    pub fn builtin() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| {
            Rules::parse(BUILTIN_RULES).expect("built-in assessment rules are valid (tested)")
        })
    }

    /// The rules for one condition.
    pub fn condition(&self, c: Condition) -> &ConditionRules {
        self.condition
            .iter()
            .find(|r| r.code == c)
            .expect("every condition has rules (checked at parse)")
    }

    /// Every reference key or section the rule base cites, for checking against the knowledge base.
    pub fn reference_keys(&self) -> BTreeSet<&str> {
        let mut keys = BTreeSet::new();
        keys.extend(self.red_flag.iter().map(|f| f.reference.as_str()));
        keys.extend(self.strain_grade.iter().map(|g| g.reference.as_str()));
        for c in &self.condition {
            keys.insert(c.section.as_str());
            keys.extend(c.references.iter().map(String::as_str));
            keys.extend(c.finding.iter().map(|f| f.reference.as_str()));
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse_and_cover_every_condition() {
        let r = Rules::parse(BUILTIN_RULES).unwrap();
        assert_eq!(r.condition.len(), 13);
        assert!(r.red_flag.iter().any(|f| f.level == Triage::Emergency));
        assert!(r.red_flag.iter().any(|f| f.level == Triage::Urgent));
        assert!(r.red_flag.iter().any(|f| f.level == Triage::Soon));
    }

    /// The error text of a rule base that must be refused (the Debug of an accepted one is huge).
    fn refused(text: &str) -> String {
        match Rules::parse(text) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("rule base was accepted"),
        }
    }

    #[test]
    fn a_broken_rule_is_refused_with_its_name() {
        // The first occurrence is in the header comment, so replace in the red flag itself.
        let flag = "{ field = \"fever\", eq = true }, { field = \"warmth";
        assert!(BUILTIN_RULES.contains(flag));
        let broken = BUILTIN_RULES.replacen(
            flag,
            "{ field = \"fevr\", eq = true }, { field = \"warmth",
            1,
        );
        let e = refused(&broken);
        assert!(e.contains("fevr"), "{e}");
        let self_care = BUILTIN_RULES.replacen("level = \"URGENT\"", "level = \"SELF_CARE\"", 1);
        assert!(Rules::parse(&self_care).is_err());
        let bad_region = BUILTIN_RULES.replacen(
            "contains = \"TIBIA_ANTERIOR\" }",
            "contains = \"TIBIA_FRONT\" }",
            1,
        );
        assert!(refused(&bad_region).contains("TIBIA_FRONT"));
    }
}
