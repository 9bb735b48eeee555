//! The assessment engine: red flags first, then the conditions the picture is consistent with,
//! then what the runner's own training shows, then next steps (the design's assessment document).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::checkin::CheckIn;
use super::grade::{StrainGrade, grade};
use super::rules::{ConditionRules, Rules, TriageAdvice};
use crate::clinical::{Condition, Family, Region, Triage};
use crate::load::{Finding, RiskReport};

/// A finding from the runner's own training (the load engine's warnings), as the assessment
/// shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoadFinding {
    /// The load rule's code (`SINGLE_RUN_SPIKE`, `HILL_LOAD_JUMP` …).
    pub code: String,
    /// What happened, with the numbers.
    pub because: String,
}

impl From<&Finding> for LoadFinding {
    fn from(f: &Finding) -> LoadFinding {
        LoadFinding {
            code: f.code.clone(),
            because: f.because.clone(),
        }
    }
}

impl LoadFinding {
    /// The warnings of a risk report (information such as the ACWR is left out: it is never a
    /// finding on its own).
    pub fn from_report(report: &RiskReport) -> Vec<LoadFinding> {
        report.warnings.iter().map(LoadFinding::from).collect()
    }
}

/// A red flag that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedFlagHit {
    /// The red flag's code.
    pub code: String,
    /// The level it sets.
    pub level: Triage,
    /// Why it matters.
    pub because: String,
    /// Reference key or knowledge-base section.
    pub reference: String,
    /// The sign points at bone stress (the bone model: pain-free only, clearance first).
    pub bone: bool,
    /// Set when the flag was reported on an earlier check-in and is still in force: no later
    /// full check-in has answered its questions without it, and no clinician has cleared it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<chrono::NaiveDate>,
}

/// How well the picture fits a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Likelihood {
    /// A few findings fit.
    Low,
    /// Several findings fit.
    Moderate,
    /// Most characteristic findings fit.
    High,
}

impl Likelihood {
    /// The plain word.
    pub fn word(self) -> &'static str {
        match self {
            Likelihood::Low => "a low",
            Likelihood::Moderate => "a moderate",
            Likelihood::High => "a high",
        }
    }
}

/// One condition the picture is consistent with.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConditionResult {
    /// The condition code.
    pub code: Condition,
    /// Band of `score`.
    pub likelihood: Likelihood,
    /// 0–1, rounded to two decimals; conditions are ranked by it.
    pub score: f64,
    /// Findings for.
    pub supporting: Vec<String>,
    /// Findings against.
    pub against: Vec<String>,
    /// Reference keys.
    pub references: Vec<String>,
    /// "Consistent with …" in plain words.
    pub summary: String,
    /// Knowledge-base section.
    pub section: String,
    /// Calf-strain grade, for the two calf strains when the findings allow one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<StrainGrade>,
    /// Typical return to run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtr: Option<String>,
}

/// The `soleus assess --json` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    /// How soon to see a clinician; always shown first.
    pub triage: Triage,
    /// What the triage level means: what to do and how soon.
    pub triage_advice: TriageAdvice,
    /// Red flags that fired, most urgent first.
    pub red_flags: Vec<RedFlagHit>,
    /// Conditions with a score above zero, highest first.
    pub conditions: Vec<ConditionResult>,
    /// The runner's own load warnings.
    pub load_findings: Vec<LoadFinding>,
    /// Bone stress is suspected: no pain-monitoring step is shown.
    pub bone_stress_suspected: bool,
    /// What to do next, the triage advice first.
    pub next_steps: Vec<String>,
    /// Always present.
    pub disclaimer: String,
    /// The `unresolved` steps whose predicates held, with the level at which each condition
    /// escalates: kept so red flags carried in later ([`Assessment::with_carried`]) can drop
    /// them once the triage reaches that level.
    #[serde(skip)]
    unresolved: Vec<(Triage, String)>,
}

/// The check-in as the rules read it: its answered fields plus the `derived` values.
pub fn rule_document(c: &CheckIn, load: &[LoadFinding]) -> Value {
    let mut doc = c.to_value();
    let mut derived = serde_json::Map::new();
    let tests = c.tests.clone().unwrap_or_default();
    if let (Some(s), Some(b)) = (tests.slhr_straight, tests.slhr_bent) {
        let worse = |x: super::HeelRaise, y: super::HeelRaise| match (x.pain, y.pain) {
            (Some(px), Some(py)) if px != py => px > py,
            _ => {
                matches!((x.reps, y.reps), (Some(rx), Some(ry)) if f64::from(rx) < 0.9 * f64::from(ry))
            }
        };
        derived.insert("slhr_bent_worse".into(), json!(worse(b, s)));
        derived.insert("slhr_straight_worse".into(), json!(worse(s, b)));
    }
    let pain = c.pain.clone().unwrap_or_default();
    let mut ratings: Vec<u8> = [
        pain.now,
        pain.during_run,
        pain.after_run,
        pain.next_morning,
        pain.walking,
    ]
    .into_iter()
    .flatten()
    .map(|p| p.get())
    .collect();
    for t in [tests.slhr_straight, tests.slhr_bent].into_iter().flatten() {
        ratings.extend(t.pain.map(|p| p.get()));
    }
    ratings.extend(tests.hop_10.and_then(|h| h.pain).map(|p| p.get()));
    let max_pain = ratings.iter().copied().max();
    if let Some(m) = max_pain {
        derived.insert("max_pain".into(), json!(m));
    }
    // A listed calf region is taken as calf pain unless every rating given says 0: "not asked"
    // must never lower the level.
    let calf = [
        Region::Popliteal,
        Region::CalfUpperMedial,
        Region::CalfUpper,
        Region::CalfMid,
        Region::CalfLower,
        Region::LegDiffuse,
    ];
    let pain_reported = max_pain != Some(0);
    derived.insert("pain_reported".into(), json!(pain_reported));
    let calf_pain = c.regions.iter().any(|r| calf.contains(r)) && pain_reported;
    derived.insert("calf_pain".into(), json!(calf_pain));
    derived.insert(
        "load".into(),
        json!(load.iter().map(|l| l.code.as_str()).collect::<Vec<_>>()),
    );
    doc.as_object_mut()
        .expect("a check-in is an object")
        .insert("derived".into(), Value::Object(derived));
    doc
}

/// Assesses one check-in against the rule base, with the runner's load findings.
pub fn assess(c: &CheckIn, load: &[LoadFinding], rules: &Rules) -> Assessment {
    let doc = rule_document(c, load);
    let mut red_flags: Vec<RedFlagHit> = rules
        .red_flag
        .iter()
        .filter(|f| f.when.eval(&doc))
        .map(|f| RedFlagHit {
            code: f.code.clone(),
            level: f.level,
            because: f.because.clone(),
            reference: f.reference.clone(),
            bone: f.bone,
            since: None,
        })
        .collect();
    let mut conditions: Vec<ConditionResult> = rules
        .condition
        .iter()
        .filter_map(|cr| score_condition(cr, c, &doc, rules))
        .collect();
    conditions.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.code.cmp(&b.code)));
    // A condition only a clinician can rule out, fitting moderately or better, raises the level
    // to its own: the scores and the triage never disagree (knowledge base §1.14).
    for r in &conditions {
        let cr = rules.condition(r.code);
        let when = cr.escalate_when.as_ref().is_none_or(|p| p.eval(&doc));
        if let Some(level) = cr
            .escalate
            .filter(|_| r.likelihood >= Likelihood::Moderate && when)
        {
            red_flags.push(picture_flag(cr, r, level));
        }
    }
    let unresolved = conditions
        .iter()
        .map(|r| rules.condition(r.code))
        .filter_map(|cr| Some((cr.escalate?, cr)))
        .flat_map(|(level, cr)| {
            cr.unresolved
                .iter()
                .filter(|u| u.when.as_ref().is_none_or(|p| p.eval(&doc)))
                .map(move |u| (level, u.text.clone()))
        })
        .collect();
    finish(red_flags, conditions, load.to_vec(), unresolved, rules)
}

/// The red flag a clinician-first condition's fit raises.
fn picture_flag(cr: &ConditionRules, r: &ConditionResult, level: Triage) -> RedFlagHit {
    RedFlagHit {
        code: format!("CONSISTENT_WITH_{}", condition_code(r.code)),
        level,
        because: format!(
            "taken together, the answers are {} fit for {}; only a clinician can rule this out",
            r.likelihood.word(),
            cr.name
        ),
        reference: cr
            .references
            .first()
            .cloned()
            .unwrap_or_else(|| cr.section.clone()),
        bone: r.code.family() == Family::Bone,
        since: None,
    }
}

/// The wire code of a condition (`SOLEUS_STRAIN`).
pub fn condition_code(c: Condition) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Assessment {
    /// The assessment with red flags still in force from earlier check-ins added: the level
    /// never drops because a later, thinner check-in did not ask the same questions.
    pub fn with_carried(self, carried: Vec<RedFlagHit>, rules: &Rules) -> Assessment {
        let mut flags = self.red_flags;
        for c in carried {
            if !flags.iter().any(|f| f.code == c.code) {
                flags.push(c);
            }
        }
        finish(
            flags,
            self.conditions,
            self.load_findings,
            self.unresolved,
            rules,
        )
    }
}

/// Triage, bone suspicion and next steps from the red flags and the ranked conditions.
fn finish(
    mut red_flags: Vec<RedFlagHit>,
    mut conditions: Vec<ConditionResult>,
    load: Vec<LoadFinding>,
    unresolved: Vec<(Triage, String)>,
    rules: &Rules,
) -> Assessment {
    red_flags.sort_by_key(|f| std::cmp::Reverse(f.level));
    let triage = red_flags
        .iter()
        .map(|f| f.level)
        .max()
        .unwrap_or(Triage::SelfCare);
    let bone_stress_suspected = red_flags.iter().any(|f| f.bone);
    let mut triage_advice = rules.triage[&triage].clone();
    // A condition only a clinician can rule out, listed at a match too low to raise the
    // triage: what it would take to rule it out comes first, and the level's "how soon" never
    // says no appointment is needed beside it (§1.11: a score may raise urgency, never
    // reassure).
    let shown: Vec<&String> = unresolved
        .iter()
        .filter(|(level, _)| triage < *level)
        .map(|(_, text)| text)
        .collect();
    if !shown.is_empty() {
        triage_advice.how_soon = rules.unresolved_how_soon.clone();
    }
    let mut next_steps = vec![format!(
        "{} ({})",
        triage_advice.advice, triage_advice.how_soon
    )];
    for text in shown {
        if !next_steps.contains(text) {
            next_steps.push(text.clone());
        }
    }
    next_steps.extend(triage_advice.now.iter().cloned());
    if triage >= Triage::Urgent {
        // Same day or now: the route to a clinician and nothing else. The conditions stay as
        // names for the clinician; no grade, return-to-run time or exercise is shown.
        for r in &mut conditions {
            r.grade = None;
            r.rtr = None;
            r.supporting.clear();
            r.against.clear();
        }
        // The conditions behind the red flags are named first, so a strain ranked above a clot
        // never reads as reassurance.
        conditions.sort_by_key(|r| {
            !red_flags
                .iter()
                .any(|f| f.code == format!("CONSISTENT_WITH_{}", condition_code(r.code)))
        });
    } else {
        let shown = conditions
            .iter()
            .filter(|r| r.likelihood >= Likelihood::Moderate)
            .take(2)
            .chain(
                conditions
                    .first()
                    .filter(|r| r.likelihood == Likelihood::Low),
            );
        for r in shown {
            // With bone stress suspected only the bone and clinician-first steps are shown: no
            // loading programme of another condition comes before the clinician.
            let family = r.code.family();
            if bone_stress_suspected && !matches!(family, Family::Bone | Family::Clinician) {
                continue;
            }
            for step in &rules.condition(r.code).step {
                // SOON says "stop any running that hurts": no run-with-pain step beside it.
                if step.pain_monitoring && (bone_stress_suspected || triage >= Triage::Soon) {
                    continue;
                }
                if step.min_triage.is_some_and(|m| triage < m) {
                    continue;
                }
                if !next_steps.contains(&step.text) {
                    next_steps.push(step.text.clone());
                }
            }
        }
        if bone_stress_suspected {
            next_steps.push(rules.bone_step.clone());
            for r in &mut conditions {
                if r.code.family() != Family::Bone {
                    r.rtr = None;
                }
            }
        }
        if !load.is_empty() {
            next_steps.push(rules.load_step.clone());
        }
    }
    Assessment {
        triage,
        triage_advice,
        red_flags,
        conditions,
        load_findings: load,
        bone_stress_suspected,
        next_steps,
        disclaimer: rules.disclaimer.clone(),
        unresolved,
    }
}

fn score_condition(
    cr: &super::rules::ConditionRules,
    c: &CheckIn,
    doc: &Value,
    rules: &Rules,
) -> Option<ConditionResult> {
    let mut raw = 0.0;
    let (mut supporting, mut against) = (Vec::new(), Vec::new());
    let hit: Vec<Region> = c
        .regions
        .iter()
        .copied()
        .filter(|r| cr.regions.contains(r))
        .collect();
    if hit.is_empty() {
        raw -= rules.scoring.off_region;
        against.push("the pain is not where this is usually felt".to_string());
    } else {
        raw += cr.region_weight.unwrap_or(rules.scoring.region);
        let names: Vec<&str> = hit.iter().map(|r| r.name()).collect();
        supporting.push(format!(
            "pain at the {}, where this is usually felt",
            names.join(" and ")
        ));
    }
    for f in cr.finding.iter().filter(|f| f.when.eval(doc)) {
        raw += f.weight;
        if f.weight > 0.0 {
            &mut supporting
        } else {
            &mut against
        }
        .push(f.because.clone());
    }
    if raw <= 0.0 {
        return None;
    }
    let s = rules.scoring;
    let score = (raw / (raw + s.saturation) * 100.0).round() / 100.0;
    let likelihood = if score >= s.high {
        Likelihood::High
    } else if score >= s.moderate {
        Likelihood::Moderate
    } else {
        Likelihood::Low
    };
    let grade = matches!(cr.code, Condition::SoleusStrain | Condition::GastrocStrain)
        .then(|| grade(rules, doc))
        .flatten();
    let rtr = grade
        .as_ref()
        .map(|g| g.rtr.clone())
        .or_else(|| cr.rtr.clone());
    Some(ConditionResult {
        code: cr.code,
        likelihood,
        score,
        supporting,
        against,
        references: cr.references.clone(),
        summary: format!(
            "The picture is consistent with {} ({} fit).",
            cr.name,
            likelihood.word()
        ),
        section: cr.section.clone(),
        grade,
        rtr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A calf that aches mid-way with nothing else reported: the clot is on the list at a low
    /// match (region weight 0.75 alone: 0.75 / (0.75 + 3) = 0.2, below the moderate 0.35 of
    /// the rules), too low to raise the triage. Knowledge base §1.11: a clot score may raise
    /// urgency and never reassures, so "no appointment needed" must not stand beside it.
    #[test]
    fn a_low_clot_match_never_reads_as_no_appointment_needed() {
        let unasked = CheckIn::from_json(
            r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"onset":"gradual"}"#,
        )
        .unwrap();
        let a = assess(&unasked, &[], Rules::builtin());
        assert_eq!(a.triage, Triage::SelfCare);
        let dvt = a.conditions.iter().find(|r| r.code == Condition::Dvt);
        assert_eq!(dvt.map(|r| r.likelihood), Some(Likelihood::Low), "{a:#?}");
        assert!(
            !a.triage_advice.how_soon.contains("no appointment"),
            "{}",
            a.triage_advice.how_soon
        );
        assert!(
            !a.next_steps[0].contains("no appointment"),
            "{}",
            a.next_steps[0]
        );
        let said = |needle: &str| a.next_steps.iter().any(|s| s.contains(needle));
        assert!(
            said("a check-in cannot rule one out"),
            "{:#?}",
            a.next_steps
        );
        assert!(
            said("risk-factor questions were not answered"),
            "{:#?}",
            a.next_steps
        );

        // Answered with no risk factor: the note stays, the question about it goes.
        let answered = CheckIn::from_json(
            r#"{"date":"2026-05-01","side":"left","regions":["CALF_MID"],"onset":"gradual",
            "history":{"dvt_risk_factors":[]}}"#,
        )
        .unwrap();
        let b = assess(&answered, &[], Rules::builtin());
        assert!(
            b.next_steps
                .iter()
                .any(|s| s.contains("cannot rule one out"))
        );
        assert!(!b.next_steps.iter().any(|s| s.contains("were not answered")));
    }

    /// A sore heel far from the calf: no clot, cyst or rupture is listed, so the self-care
    /// level keeps its own words (the note above is not shown to everyone).
    #[test]
    fn without_such_a_condition_self_care_keeps_its_words() {
        let c = CheckIn::from_json(
            r#"{"date":"2026-05-01","side":"left","regions":["HEEL_PLANTAR"],"onset":"gradual"}"#,
        )
        .unwrap();
        let a = assess(&c, &[], Rules::builtin());
        assert_eq!(a.triage, Triage::SelfCare, "{a:#?}");
        assert!(
            a.conditions
                .iter()
                .all(|r| r.code.least_triage() == Triage::SelfCare),
            "{:#?}",
            a.conditions
        );
        assert_eq!(a.triage_advice.how_soon, "no appointment needed now");
    }

    #[test]
    fn document_has_the_design_keys_and_grades_calf_strains() {
        let c = CheckIn::from_json(
            r#"{"date":"2026-05-01","side":"left","regions":["CALF_UPPER_MEDIAL"],"onset":"sudden",
            "pop_or_kick_felt":true,"can_heel_raise_single_leg":false,"tests":{"THOMPSON":"normal"}}"#,
        )
        .unwrap();
        let a = assess(&c, &[], Rules::builtin());
        let v = serde_json::to_value(&a).unwrap();
        for key in [
            "triage",
            "red_flags",
            "conditions",
            "load_findings",
            "next_steps",
            "disclaimer",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
        assert_eq!(v["triage"], "URGENT"); // pop plus no heel raise (§1.14)
        let flag = &v["red_flags"][0];
        assert!(
            flag["code"].is_string() && flag["level"] == "URGENT" && flag["because"].is_string()
        );
        let top = &v["conditions"][0];
        assert_eq!(top["code"], "GASTROC_STRAIN");
        for key in ["likelihood", "score", "supporting", "against", "references"] {
            assert!(top.get(key).is_some(), "{key}");
        }
        // At a same-day level the condition is a name for the clinician: no grade and no
        // return-to-run time (issue: nothing but the way to a clinician).
        assert!(
            top.get("grade").is_none() && top.get("rtr").is_none(),
            "{top}"
        );
        // Same-day level: no exercise step, only the route to a clinician.
        assert!(
            a.next_steps
                .iter()
                .all(|s| !s.contains("heel raises as pain allows"))
        );
    }

    #[test]
    fn load_warnings_convert_and_info_is_left_out() {
        let f = Finding {
            code: "SINGLE_RUN_SPIKE".into(),
            severity: crate::load::Severity::Moderate,
            because: "a 21 km run, 31 % longer than your longest in 30 days".into(),
            numbers: Default::default(),
            reference: "Frandsen25".into(),
            advice: String::new(),
            vars: Vec::new(),
        };
        let report = RiskReport {
            date: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            warnings: vec![f.clone()],
            info: vec![Finding {
                code: "ACWR".into(),
                ..f
            }],
        };
        let l = LoadFinding::from_report(&report);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].code, "SINGLE_RUN_SPIKE");
        assert!(l[0].because.contains("31 %"));
    }
}
