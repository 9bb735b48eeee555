//! The journal's kinds and the document type of each: check-ins, their triage, assessments,
//! plans, clearances, checklists, questionnaire results and the energy logs. A document is
//! read and written as its type; the kind goes with the type ([`Body::KIND`]), so an entry of
//! one kind can never be read as another.

use serde::{Deserialize, Serialize};

/// The kind of a journal entry (serialised as its stored name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Kind {
    /// A symptom check-in ([`crate::assess::CheckIn`]).
    CheckIn,
    /// A stored check-in's triage ([`crate::assess::TriageEntry`]).
    Triage,
    /// A saved assessment ([`crate::assess::SavedAssessment`] reads it back).
    Assessment,
    /// A plan started ([`crate::plan::StoredPlan`]).
    Plan,
    /// A clinician's clearance ([`crate::plan::Clearance`]).
    Clearance,
    /// The calf-strain return-to-run checklist ([`crate::plan::MuscleChecklist`]).
    Checklist,
    /// A scored questionnaire ([`crate::questionnaires::Scored`]).
    Score,
    /// Food eaten ([`IntakeLog`]).
    Intake,
    /// A weighing ([`WeightLog`]).
    Weight,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 9] = [
        Kind::CheckIn,
        Kind::Triage,
        Kind::Assessment,
        Kind::Plan,
        Kind::Clearance,
        Kind::Checklist,
        Kind::Score,
        Kind::Intake,
        Kind::Weight,
    ];

    /// The kind's name as stored.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::CheckIn => "checkin",
            Kind::Triage => "triage",
            Kind::Assessment => "assessment",
            Kind::Plan => "plan",
            Kind::Clearance => "clearance",
            Kind::Checklist => "checklist",
            Kind::Score => "score",
            Kind::Intake => "intake",
            Kind::Weight => "weight",
        }
    }

    /// The kind a stored name names.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A journal document: its type decides its kind.
pub trait Body {
    /// The kind entries of this type are stored under.
    const KIND: Kind;
}

/// Food eaten (an `intake` entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntakeLog {
    /// kcal eaten.
    pub kcal: f64,
    /// The meal, when logged meal by meal.
    pub meal: Option<String>,
}

/// A weighing (a `weight` entry).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeightLog {
    /// kg.
    pub kg: f64,
}

impl Body for crate::assess::CheckIn {
    const KIND: Kind = Kind::CheckIn;
}
impl Body for crate::assess::TriageEntry {
    const KIND: Kind = Kind::Triage;
}
impl Body for crate::assess::SavedAssessment {
    const KIND: Kind = Kind::Assessment;
}
impl Body for crate::plan::StoredPlan {
    const KIND: Kind = Kind::Plan;
}
impl Body for crate::plan::Clearance {
    const KIND: Kind = Kind::Clearance;
}
impl Body for crate::plan::MuscleChecklist {
    const KIND: Kind = Kind::Checklist;
}
impl Body for crate::questionnaires::Scored {
    const KIND: Kind = Kind::Score;
}
impl Body for IntakeLog {
    const KIND: Kind = Kind::Intake;
}
impl Body for WeightLog {
    const KIND: Kind = Kind::Weight;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_its_stored_name() {
        // The names are the ones databases made since the first release hold.
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "checkin",
                "triage",
                "assessment",
                "plan",
                "clearance",
                "checklist",
                "score",
                "intake",
                "weight"
            ]
        );
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(Kind::parse("pain"), None);
    }
}
