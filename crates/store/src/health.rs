//! What an operator asks of a database besides its data: whether its schema is the one this
//! release expects ([`Schema`]), and how much work waits in its queues ([`QueueDepth`]).

/// How the database's applied migrations compare with the ones this release carries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Schema {
    /// Every migration this release knows is applied, and no other.
    Current,
    /// Migrations this release carries are not applied (or failed half-way): opening the
    /// database migrates it.
    Behind {
        /// The versions missing.
        missing: Vec<i64>,
    },
    /// The database has migrations this release does not know: a newer release migrated it.
    Ahead {
        /// The versions unknown here.
        unknown: Vec<i64>,
    },
}

/// Rows of work not yet finished, per queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueDepth {
    /// Weekly digests claimed, being sent, or failed and waiting for their retry.
    pub digests: i64,
    /// Account mails (reset links, invitations) queued, claimed or being sent.
    pub mail_outbox: i64,
    /// Background jobs waiting for a worker.
    pub jobs_queued: i64,
    /// Background jobs a worker holds.
    pub jobs_running: i64,
}

/// Compares the versions `applied` (successfully) with those `known` to this release.
pub(crate) fn compare(known: &[i64], applied: &[i64]) -> Schema {
    let missing: Vec<i64> = known
        .iter()
        .filter(|v| !applied.contains(v))
        .copied()
        .collect();
    let unknown: Vec<i64> = applied
        .iter()
        .filter(|v| !known.contains(v))
        .copied()
        .collect();
    if !unknown.is_empty() {
        Schema::Ahead { unknown }
    } else if !missing.is_empty() {
        Schema::Behind { missing }
    } else {
        Schema::Current
    }
}

#[cfg(test)]
mod tests {
    use super::{Schema, compare};

    #[test]
    fn schema_is_current_only_with_exactly_the_known_migrations() {
        assert_eq!(compare(&[1, 2, 3], &[1, 2, 3]), Schema::Current);
        assert_eq!(
            compare(&[1, 2, 3], &[1, 2]),
            Schema::Behind { missing: vec![3] }
        );
        assert_eq!(
            compare(&[1, 2], &[1, 2, 3]),
            Schema::Ahead { unknown: vec![3] }
        );
    }
}
