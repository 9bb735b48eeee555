//! The overlap query: which stored activities share time with a new one (the same run
//! recorded by a second device or exported twice).

use crate::decode::ACTIVITY_SELECT;

/// The athlete `$1`'s activities overlapping `[$3, $2]` (start, end in epoch ms), by start; `$4`
/// is the start less [`MAX_SPAN_MS`](crate::MAX_SPAN_MS), `$5` the end plus it.
///
/// Closed intervals `[a.start, a.end]` and `[start, end]` overlap when each starts no later
/// than the other ends. No stored span is longer than `MAX_SPAN_MS`, so an overlapping activity
/// starts at most that long before `start` and ends at most that long after `end`: the two
/// extra bounds make the range scan of either time index short, where `start_ms <= end` alone
/// matches every earlier activity (a large import was quadratic).
pub(crate) fn overlap_query() -> String {
    format!(
        "{ACTIVITY_SELECT} WHERE a.athlete_id = $1 AND a.deleted_ms IS NULL \
         AND a.start_ms >= $4 AND a.start_ms <= $2 \
         AND a.end_ms >= $3 AND a.end_ms <= $5 \
         ORDER BY a.start_ms, a.id"
    )
}
