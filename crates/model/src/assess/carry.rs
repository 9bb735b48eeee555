//! Red flags stay in force across check-ins. A flag reported once holds until a clinician's
//! clearance, or until a later check-in answers the same questions without it: a thinner check-in
//! (a quick pain log, a form with questions skipped) never lowers the level (knowledge base
//! §1.14).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::checkin::CheckIn;
use super::engine::{Assessment, LoadFinding, RedFlagHit, assess, rule_document};
use super::rules::Rules;
use crate::clinical::Triage;

/// A red flag in force, with the answers that would have to be given again to lift it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InForce {
    /// The red flag's code.
    pub code: String,
    /// The level it sets.
    pub level: Triage,
    /// Why it matters.
    pub because: String,
    /// Reference key or knowledge-base section.
    pub reference: String,
    /// A sign of bone stress.
    #[serde(default)]
    pub bone: bool,
    /// The day of the check-in that first reported it.
    pub since: NaiveDate,
    /// The check-in fields (or `derived.*` values) a later check-in must answer for the flag to
    /// be lifted by its absence.
    pub answers: Vec<String>,
}

impl InForce {
    /// The flag as an assessment shows it, marked as carried from the day it was reported.
    fn hit(&self) -> RedFlagHit {
        RedFlagHit {
            code: self.code.clone(),
            level: self.level,
            because: self.because.clone(),
            reference: self.reference.clone(),
            bone: self.bone,
            since: Some(self.since),
        }
    }
}

/// What a stored check-in's triage was: the level (with flags still in force from earlier
/// check-ins), the flags, and whether bone stress is suspected. Written when the check-in is
/// stored; the plan reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageRecord {
    /// The check-in's day.
    pub date: NaiveDate,
    /// The level, carried flags included.
    pub triage: Triage,
    /// Bone stress is suspected (the bone model: pain-free only, clearance first).
    pub bone_stress_suspected: bool,
    /// Every red flag in force after this check-in.
    pub red_flags: Vec<InForce>,
}

/// The journal's record of a stored check-in's triage: the check-in it belongs to and the
/// triage, side by side in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageEntry {
    /// The check-in it belongs to.
    pub checkin_id: i64,
    /// The triage.
    #[serde(flatten)]
    pub record: TriageRecord,
}

impl TriageRecord {
    /// The day the oldest flag in force was first reported (the check-in's day without one).
    pub fn since(&self) -> NaiveDate {
        self.red_flags
            .iter()
            .map(|f| f.since)
            .min()
            .unwrap_or(self.date)
    }
}

impl TriageRecord {
    /// A plan built at `plan_level` must stop: a same-day or emergency level, a suspected bone
    /// stress injury, or any red flag above the plan's own level.
    pub fn stops_plan(&self, plan_level: Triage) -> bool {
        self.triage
            .stops_plan(self.bone_stress_suspected, plan_level)
    }
}

/// Assesses a check-in and carries forward the red flags of the previous record that this
/// check-in neither repeats nor answers negatively. `previous` is the record of the check-in
/// before it, or `None` when there is none or a clinician's clearance was recorded since.
pub fn triage_checkin(
    c: &CheckIn,
    load: &[LoadFinding],
    previous: Option<&TriageRecord>,
    rules: &Rules,
) -> (Assessment, TriageRecord) {
    let fresh = assess(c, load, rules);
    let doc = rule_document(c, load);
    let carried: Vec<RedFlagHit> = previous
        .map(|p| p.red_flags.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|f| !fresh.red_flags.iter().any(|n| n.code == f.code))
        .filter(|f| !f.answers.iter().all(|a| answered(&doc, a)))
        .map(InForce::hit)
        .collect();
    let a = fresh.with_carried(carried, rules);
    let red_flags = a
        .red_flags
        .iter()
        .map(|f| InForce {
            code: f.code.clone(),
            level: f.level,
            because: f.because.clone(),
            reference: f.reference.clone(),
            bone: f.bone,
            since: f.since.unwrap_or(c.date),
            answers: previous
                .and_then(|p| {
                    p.red_flags
                        .iter()
                        .find(|o| o.code == f.code && f.since.is_some())
                })
                .map_or_else(|| answers_for(&f.code, &doc, rules), |o| o.answers.clone()),
        })
        .collect();
    let record = TriageRecord {
        date: c.date,
        triage: a.triage,
        bone_stress_suspected: a.bone_stress_suspected,
        red_flags,
    };
    (a, record)
}

/// The fields a red flag reads: for a rule, every field of its predicate; for a condition's
/// picture (`CONSISTENT_WITH_*`), the fields of its findings for that this check-in answered.
fn answers_for(code: &str, doc: &Value, rules: &Rules) -> Vec<String> {
    if let Some(f) = rules.red_flag.iter().find(|f| f.code == code) {
        return f.when.fields();
    }
    let mut out = vec!["regions".to_owned()];
    if let Some(cr) = rules
        .condition
        .iter()
        .find(|cr| code == format!("CONSISTENT_WITH_{}", super::engine::condition_code(cr.code)))
    {
        for f in cr.finding.iter().filter(|f| f.weight > 0.0) {
            for field in f.when.fields() {
                if answered(doc, &field) && !out.contains(&field) {
                    out.push(field);
                }
            }
        }
    }
    out
}

/// The check-in answered this field (a `derived.*` value counts when its inputs were given).
fn answered(doc: &Value, field: &str) -> bool {
    let path = match field {
        "derived.load" => return true,
        // How it started is history: a later "gradual" does not undo a sudden onset or a pop
        // (up to a quarter of Achilles ruptures are missed at a first visit, §1.7). Only a
        // clinician's clearance lifts such a flag.
        "onset" | "pop_or_kick_felt" => return false,
        "derived.pain_reported" | "derived.calf_pain" => "derived.max_pain",
        other => other,
    };
    doc.pointer(&format!("/{}", path.replace('.', "/")))
        .is_some_and(|v| !v.is_null())
}
