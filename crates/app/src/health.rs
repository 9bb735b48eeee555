//! What an operator asks of a running Soleus: is the database ready, and how much work waits
//! in its queues. Neither says anything about any athlete.

use crate::{App, AppError, Result};

/// The database's schema compared with this release's migrations.
pub use soleus_store::Schema;

/// Unfinished work per queue.
pub use soleus_store::QueueDepth;

impl App {
    /// Whether the database answers and its schema is this release's: one cheap read.
    pub async fn schema(&self) -> Result<Schema> {
        self.db
            .schema()
            .await
            .map_err(|e| AppError::storage("reading the schema version", e))
    }

    /// How many digests, account mails and jobs wait to be done.
    pub async fn queue_depth(&self) -> Result<QueueDepth> {
        self.db
            .queue_depth()
            .await
            .map_err(|e| AppError::storage("counting the queued work", e))
    }
}
