//! The load summaries an athlete's store has read, kept under the athlete's load revision.
//!
//! Migration 0011's triggers change `athletes.load_revision` whenever anything the summaries
//! are read from changes (activities, activity_load, shoes), in whatever process or statement.
//! A read of the summaries first reads the revision and then, when the summaries kept under
//! it are at hand, skips reading the whole history again. Reading the revision before the rows
//! means the rows kept under a revision are never older than it: a change in between leaves
//! rows newer than their key, and the next read, seeing the new revision, reads them again.

use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::{AthleteId, SummaryRow};

/// The most summaries kept, over all athletes (a summary is about 150 bytes, so about 30 MB).
/// Athletes read least recently give way first; a history longer than this is never kept.
pub(crate) const MAX_ROWS: u64 = 200_000;

type Kept = (i64, Arc<Vec<SummaryRow>>);

#[derive(Clone)]
struct ByRows;

impl Weighter<AthleteId, Kept> for ByRows {
    fn weight(&self, _: &AthleteId, kept: &Kept) -> u64 {
        kept.1.len().max(1) as u64
    }
}

/// Summaries by athlete, each under the load revision it was read at.
pub(crate) struct SummaryCache(Cache<AthleteId, Kept, ByRows>);

impl SummaryCache {
    pub(crate) fn new() -> SummaryCache {
        SummaryCache(Cache::with_weighter(256, MAX_ROWS, ByRows))
    }

    /// The summaries kept for `athlete` at `revision`, if any.
    pub(crate) fn get(&self, athlete: AthleteId, revision: i64) -> Option<Arc<Vec<SummaryRow>>> {
        self.0
            .get(&athlete)
            .and_then(|(r, rows)| (r == revision).then_some(rows))
    }

    /// Keeps `rows`, read after `revision` was.
    pub(crate) fn put(&self, athlete: AthleteId, revision: i64, rows: Arc<Vec<SummaryRow>>) {
        self.0.insert(athlete, (revision, rows));
    }
}

impl std::fmt::Debug for SummaryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SummaryCache")
            .field("athletes", &self.0.len())
            .field("rows", &self.0.weight())
            .finish()
    }
}
