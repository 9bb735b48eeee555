//! The progression checks' thresholds, wording and references, read from
//! `data/load_rules.toml` so a clinician can review them without reading code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::risk::Severity;

/// The rules file compiled into the binary.
pub const BUILTIN_RULES: &str = include_str!("../../data/load_rules.toml");

/// Why a rules file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// The file is not valid TOML or does not have the rules' shape (the file's author's fault).
    #[error("load rules are not valid: {0}")]
    Syntax(#[from] toml::de::Error),
    /// A check the engine runs has no rule in the file (the file's author's fault).
    #[error("load rules have no rule with code {0}")]
    MissingRule(&'static str),
    /// A rule lacks a threshold its check reads (the file's author's fault).
    #[error("load rule {code} has no threshold {name}")]
    MissingThreshold {
        /// The rule's code.
        code: &'static str,
        /// The missing threshold's name.
        name: &'static str,
    },
}

/// One severity band of a rule: applies when the measured increase is above `above_pct`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The band applies to increases strictly above this many percent.
    pub above_pct: f64,
    /// Severity within this band.
    pub severity: Severity,
    /// The hazard rate ratio the reference reports for this band, if any.
    pub hrr: Option<f64>,
}

/// One check: its code, default severity, thresholds, reference key and wording.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The stable machine code (`SINGLE_RUN_SPIKE` …).
    pub code: String,
    /// Severity when the rule has no bands.
    pub severity: Severity,
    /// The reference key, as listed in knowledge/clinical.md §6.
    pub reference: String,
    /// Evidence level of the reference (A, B, C, as tagged in knowledge/clinical.md).
    pub evidence: String,
    /// What happened and why it matters; `{name}` or `{name:.N}` placeholders take the numbers.
    pub because: String,
    /// What to do.
    pub advice: String,
    /// Named thresholds the check reads.
    #[serde(default)]
    pub thresholds: BTreeMap<String, f64>,
    /// Severity bands, lowest first.
    #[serde(default)]
    pub bands: Vec<Band>,
}

impl Rule {
    /// The named threshold; presence was checked when the rules were loaded.
    pub fn t(&self, name: &str) -> f64 {
        self.thresholds.get(name).copied().unwrap_or(f64::NAN)
    }

    /// The highest band whose floor `pct` exceeds.
    pub fn band(&self, pct: f64) -> Option<&Band> {
        self.bands.iter().rev().find(|b| pct > b.above_pct)
    }
}

/// Every rule of the load engine.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// The rules, in the order the report lists them.
    pub rule: Vec<Rule>,
}

/// The codes the engine runs and the thresholds each reads.
pub(super) const REQUIRED: &[(&str, &[&str])] = &[
    ("SINGLE_RUN_SPIKE", &["lookback_days", "recent_days"]),
    ("SINGLE_RUN_NO_BASELINE", &["lookback_days"]),
    ("WEEKLY_DISTANCE_JUMP", &["max_increase_pct", "min_week_km"]),
    (
        "HILL_LOAD_JUMP",
        &[
            "max_increase_pct",
            "min_climb_m",
            "min_hilly_km",
            "baseline_weeks",
        ],
    ),
    (
        "INTENSITY_JUMP",
        &["max_increase_pct", "min_hard_min", "baseline_weeks"],
    ),
    (
        "FREQUENCY_JUMP",
        &["min_extra_runs", "min_consecutive_days", "baseline_weeks"],
    ),
    ("RUNNING_THROUGH_PAIN", &["max_pain", "lookback_days"]),
    (
        "FOOTWEAR_TRANSITION_FAST",
        &[
            "lower_drop_mm",
            "start_share_pct",
            "step_pct",
            "usual_weeks",
        ],
    ),
    ("ACWR", &[]),
];

impl Rules {
    /// Parses and validates a rules file.
    pub fn parse(text: &str) -> Result<Rules, RulesError> {
        let rules: Rules = toml::from_str(text)?;
        for (code, names) in REQUIRED {
            let r = rules.get(code).ok_or(RulesError::MissingRule(code))?;
            if let Some(name) = names.iter().find(|n| !r.thresholds.contains_key(**n)) {
                return Err(RulesError::MissingThreshold { code, name });
            }
        }
        Ok(rules)
    }

    /// The built-in rules, parsed once.
    pub fn builtin() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        // The file is compiled in and checked by the tests, so a failure here is a build defect.
        RULES.get_or_init(|| Rules::parse(BUILTIN_RULES).expect("built-in load rules are valid"))
    }

    /// The rule with `code`.
    pub fn get(&self, code: &str) -> Option<&Rule> {
        self.rule.iter().find(|r| r.code == code)
    }
}

/// A value substituted into a rule's text.
#[derive(Debug, Clone, PartialEq)]
pub enum Var {
    /// A number, also reported under `numbers`.
    Num(f64),
    /// Text (a date, a list), used in the wording only.
    Text(String),
}

/// Fills `{name}` and `{name:.N}` placeholders from `vars`; unknown names are left as written so
/// a mistake shows in the output (and in the tests) rather than vanishing.
pub fn render(template: &str, vars: &[(&str, Var)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            rest = &rest[open..];
            break;
        };
        let inner = &rest[open + 1..open + close];
        let (name, prec) = match inner.split_once(":.") {
            Some((n, p)) => (n, p.parse::<usize>().ok()),
            None => (inner, None),
        };
        match vars.iter().find(|(n, _)| *n == name) {
            Some((_, Var::Num(x))) => match prec {
                Some(p) => out.push_str(&format!("{x:.p$}")),
                None => out.push_str(&format!("{x}")),
            },
            Some((_, Var::Text(s))) => out.push_str(s),
            None => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse_and_have_every_check() {
        let r = Rules::builtin();
        for (code, _) in REQUIRED {
            assert!(r.get(code).is_some(), "{code}");
        }
        let spike = r.get("SINGLE_RUN_SPIKE").unwrap();
        // Frandsen 2025 bands: >10–30 % HRR 1.64, >30–100 % 1.52, >100 % 2.28.
        assert_eq!(spike.band(20.0).unwrap().hrr, Some(1.64));
        assert_eq!(spike.band(30.0).unwrap().hrr, Some(1.64));
        assert_eq!(spike.band(30.1).unwrap().hrr, Some(1.52));
        assert_eq!(spike.band(150.0).unwrap().hrr, Some(2.28));
        assert!(spike.band(10.0).is_none(), "exactly 110 % is not a spike");
    }

    #[test]
    fn a_rule_missing_a_threshold_is_refused() {
        let broken = BUILTIN_RULES.replace("max_increase_pct = 30.0 # weekly", "");
        assert!(matches!(
            Rules::parse(&broken),
            Err(RulesError::MissingThreshold {
                code: "WEEKLY_DISTANCE_JUMP",
                ..
            })
        ));
        assert!(matches!(
            Rules::parse("rule = 3"),
            Err(RulesError::Syntax(_))
        ));
    }

    #[test]
    fn render_fills_and_keeps_unknowns() {
        let v = [
            ("km", Var::Num(12.345)),
            ("d", Var::Text("2026-05-01".into())),
        ];
        assert_eq!(
            render("{km:.1} km on {d}, {what}", &v),
            "12.3 km on 2026-05-01, {what}"
        );
        assert_eq!(render("{km} {", &v), "12.345 {");
    }
}
