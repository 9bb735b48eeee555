//! Soleus's application layer: every use case a runner, coach or clinician has, as a method
//! on [`App`], returning a **typed view** (a `Serialize` struct) or an [`AppError`].
//!
//! The command line prints a view as a table or, with `--json`, as the view itself; the web
//! app serves the same view as its JSON API and renders it as a page. Neither front end
//! decides anything: what to store, what a check-in's triage is, whether a plan may go on,
//! which units a number is in, all happen here, over [`soleus_store`] (persistence),
//! [`soleus_formats`] (decoding files) and [`soleus_model`] (the pure domain).
//!
//! # Use cases
//! - the profile: [`App::profile`], [`App::set_profile`], the athlete's [`profile::Clock`];
//! - (moving here from the CLI, one area at a time: import, activities, load and risk,
//!   check-ins and triage, assessment, the plan and today, shoes, energy, questionnaires).
//!
//! # Errors
//! [`AppError`] says what kind of failure it is, so the CLI can choose an exit code and the
//! web an HTTP status: bad input (with the field), not found, forbidden, conflict,
//! clinician-first (a red flag is in force), storage and file-system failures.
//!
//! # Example
//! ```no_run
//! # async fn demo() -> Result<(), soleus_app::AppError> {
//! let app = soleus_app::App::open("sqlite:soleus.db").await?;
//! let view = app.profile().await?;
//! println!("{}", serde_json::to_string_pretty(&view).unwrap());
//! # Ok(()) }
//! ```

mod error;
pub mod profile;

pub use error::{AppError, Result};

use soleus_store::{Database, Store};

/// One athlete's Soleus: the database, the store scoped to the athlete, and every use case.
#[derive(Debug)]
pub struct App {
    db: Box<dyn Database>,
    store: Box<dyn Store>,
    url: String,
}

impl App {
    /// Opens (creating and migrating) the database `url` names: `sqlite:PATH` or
    /// `postgres://…`, as its local athlete.
    pub async fn open(url: &str) -> Result<App> {
        let db = soleus_store::connect(url)
            .await
            .map_err(|e| AppError::storage(format!("opening database {}", redact(url)), e))?;
        App::for_local_athlete(db, url).await
    }

    /// Opens the database only if it exists: for commands that only read, which must not
    /// leave an empty database behind where none was.
    pub async fn open_existing(url: &str) -> Result<App> {
        let db = soleus_store::connect_existing(url)
            .await
            .map_err(|e| AppError::storage(format!("opening database {}", redact(url)), e))?;
        App::for_local_athlete(db, url).await
    }

    /// The app of the database's single local runner.
    async fn for_local_athlete(db: Box<dyn Database>, url: &str) -> Result<App> {
        let athlete = db
            .local_athlete()
            .await
            .map_err(|e| AppError::storage(format!("opening database {}", redact(url)), e))?;
        Ok(App {
            store: db.athlete(athlete),
            db,
            url: url.to_string(),
        })
    }

    /// The database URL, password hidden, for messages.
    pub fn database(&self) -> String {
        redact(&self.url)
    }

    /// The backend's name (`sqlite`, `postgres`).
    pub fn backend(&self) -> &'static str {
        self.db.backend()
    }

    /// The store, for front-end code not yet moved here. Going away: use cases belong in
    /// this crate.
    #[doc(hidden)]
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }
}

/// A database URL with any password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    soleus_store::redact(url)
}

pub use soleus_store::{DEMO_MARK, is_demo_database};
