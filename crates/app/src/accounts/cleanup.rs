//! The clean-up schedule: what has run out leaves the database (sessions past their end,
//! invitations and reset links that ended, account mails sent long ago, old failed sign-ins).

use std::time::Duration;

use chrono::{DateTime, Utc};
pub use soleus_store::accounts::Purged;

use crate::{App, AppError, Result};

/// How long what ended is kept before it is removed: 30 days (an invitation used or a reset
/// link expired stays that long for anyone asking why it no longer opens).
pub const KEEP_ENDED: chrono::Duration = chrono::Duration::days(30);

/// How often each serving process or worker tries the clean-up. On PostgreSQL one process
/// at a time does it (an advisory lock); the rest find it taken and wait for the next round.
pub const CLEAN_UP_EVERY: Duration = Duration::from_secs(15 * 60);

/// The most roster rows computed again in one round of the clean-up.
pub const STALE_ROWS_A_ROUND: i64 = 5_000;

impl App {
    /// Removes what has run out as of `now`; `None` when another process is doing it.
    pub async fn clean_up(&self, now: DateTime<Utc>) -> Result<Option<Purged>> {
        self.db
            .accounts()
            .purge(
                now.timestamp_millis(),
                (now - KEEP_ENDED).timestamp_millis(),
            )
            .await
            .map_err(|e| AppError::storage("cleaning up expired sessions and invitations", e))
    }

    /// Runs [`App::clean_up`] now and every [`CLEAN_UP_EVERY`] until `stop` completes.
    pub async fn run_clean_up(self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            match self.clean_up(Utc::now()).await {
                Ok(Some(p)) if p != Purged::default() => tracing::info!(
                    sessions = p.sessions,
                    login_failures = p.login_failures,
                    invitations = p.invitations,
                    mails = p.mails,
                    "clean-up"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "clean-up failed"),
            }
            // The roster rows whose day ended (a new day, a new week) or whose data changed
            // out of the use cases' sight, so the first roster of the morning reads stored rows.
            match self.refresh_stale_roster_facts(STALE_ROWS_A_ROUND).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "roster rows computed again"),
                Err(e) => tracing::warn!(error = %e, "computing roster rows failed"),
            }
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(CLEAN_UP_EVERY) => {}
            }
        }
    }
}
