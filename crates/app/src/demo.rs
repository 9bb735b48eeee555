//! The demo database: a fresh file the sample history is imported into, marked so a later
//! demo may recreate it and nothing else is ever replaced.

use crate::{App, DEMO_MARK, Result};

impl App {
    /// Marks this database as a demo's, so the next demo may recreate it.
    pub async fn mark_demo(&self) -> Result<()> {
        self.db.set_setting(DEMO_MARK, "1").await?;
        Ok(())
    }
}
