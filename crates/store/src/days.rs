//! What a roster reads of each athlete without reading their history (migration 0013): a row
//! per athlete and recent day, and the athlete's roster facts as a JSON document computed by
//! the application layer, with what tells when they are out of date.

use chrono::NaiveDate;

use crate::AthleteId;

/// One athlete's day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayRow {
    /// The athlete's local day.
    pub day: NaiveDate,
    /// Metres covered.
    pub distance_m: f64,
    /// Activities started that day.
    pub runs: u32,
    /// The day's load (distance, km).
    pub load: f64,
    /// The rolling-average acute:chronic ratio that day, when there is enough history.
    pub acwr: Option<f64>,
    /// The codes of the overload warnings in force that day, as JSON; `None` leaves what an
    /// earlier computation wrote.
    pub warnings: Option<String>,
}

/// What changes whenever an athlete's data does: `athletes.load_revision` (activities, their
/// summaries and RPE, shoes) and `athletes.journal_revision` (check-ins, scores, plans), both
/// kept by triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Revisions {
    /// `athletes.load_revision`.
    pub load: i64,
    /// `athletes.journal_revision`.
    pub journal: i64,
}

/// An athlete's roster facts to store: computed at `started_ms` from their data at
/// `revisions`, valid until `valid_until_ms`.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsWrite<'a> {
    /// The athlete's revisions read before computing.
    pub revisions: Revisions,
    /// When the computation began, epoch ms: a later write of an earlier computation loses.
    pub started_ms: i64,
    /// The end of the athlete's local day, epoch ms.
    pub valid_until_ms: i64,
    /// The facts, JSON.
    pub facts: &'a str,
}

/// The roster facts of an athlete shared with someone, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldFacts {
    /// The athlete.
    pub athlete: AthleteId,
    /// Their revisions now.
    pub revisions: Revisions,
    /// What was stored, if anything.
    pub stored: Option<StoredFacts>,
}

/// Roster facts as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFacts {
    /// The revisions they were computed at.
    pub revisions: Revisions,
    /// Until when they hold, epoch ms.
    pub valid_until_ms: i64,
    /// The facts, JSON.
    pub facts: String,
}

impl HeldFacts {
    /// The stored facts' JSON while they still hold at `now_ms`: computed at the athlete's
    /// revisions now, and not past their day.
    pub fn current(&self, now_ms: i64) -> Option<&str> {
        self.stored
            .as_ref()
            .filter(|s| s.revisions == self.revisions && now_ms < s.valid_until_ms)
            .map(|s| s.facts.as_str())
    }
}
