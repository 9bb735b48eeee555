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
//! - activities: [`App::activities`], [`App::activity`];
//! - the profile: [`App::profile`], [`App::set_profile`], the athlete's [`profile::Clock`];
//! - training load and the overload checks: [`App::load_report`], [`App::risk_report`],
//!   [`App::set_rpe`];
//! - shoes: [`App::shoes`], [`App::add_shoe`], [`App::retire_shoe`], [`App::set_default_shoe`],
//!   [`App::assign_shoe`], [`App::drop_shares`], [`App::shoe_transition`];
//! - energy: [`App::energy_goal`], [`App::energy_week`], [`App::log_intake`],
//!   [`App::log_weight`], [`App::energy_history`], [`App::delete_energy_log`];
//! - importing files, folders, archives and Strava or Garmin exports: [`App::import`] (with an
//!   [`import::ImportProgress`] for a progress bar), giving an [`import::ImportReport`];
//!   reading every stored original again: [`App::reparse`]; the demo's mark:
//!   [`App::mark_demo`];
//! - check-ins and triage: [`App::store_checkin`], [`App::log_pain`], [`App::checkins`],
//!   [`App::red_flag_in_force`]; assessment: [`App::assess`] (with `save`, it starts the plan
//!   that follows);
//! - the plan: [`App::plan`], [`App::plan_history`], [`App::today`], [`App::start_plan`],
//!   [`App::record_clearance`], [`App::record_checklist`]; a plan that may not be followed is
//!   the answer [`plan::PlanAnswer::Blocked`], the way to a clinician;
//! - questionnaires: [`App::score`], [`App::scores`], [`App::delete_score`],
//!   [`App::instruments`];
//! - the clinic report: [`App::clinic_report`];
//! - the dashboard, a front page's one document: [`App::dashboard`];
//!
//! Reading never writes: a plan is written when it is started (a saved assessment, `plan
//! start`), and a red flag when its check-in is stored; the plan, today and the report only
//! read.
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

pub mod accounts;
pub mod activities;
pub mod checkin;
pub mod corrections;
pub mod dashboard;
pub mod data;
mod demo;
pub mod digest;
pub mod energy;
mod error;
pub mod health;
pub mod import;
pub mod jobs;
pub mod journal;
pub mod load;
pub mod notifications;
pub mod plan;
pub mod profile;
pub mod reparse;
pub mod report;
pub mod scores;
pub mod shoes;
pub mod threads;

pub use error::{AppError, Result};
/// Text from files made safe to print (control characters and bidirectional overrides
/// escaped), the same rule the import applies to names it stores.
pub use soleus_formats::text;

use soleus_store::{Database, Store};

/// One athlete's Soleus: the database, the store scoped to the athlete, and every use case.
#[derive(Debug)]
pub struct App {
    db: std::sync::Arc<dyn Database>,
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
            db: db.into(),
            url: url.to_string(),
        })
    }

    /// Closes the database and waits until it is closed: an SQLite file then holds every
    /// change on its own (its write-ahead log folded in), so it can be copied or read from a
    /// read-only medium. Front ends call it when they are done.
    pub async fn close(self) {
        self.db.close().await;
    }

    /// Whether the database is open read-only (a file on a read-only medium): reports work,
    /// and every change fails saying why.
    pub fn read_only(&self) -> bool {
        self.db.read_only()
    }

    /// The database URL, password hidden, for messages.
    pub fn database(&self) -> String {
        redact(&self.url)
    }

    /// The backend's name (`sqlite`, `postgres`).
    pub fn backend(&self) -> &'static str {
        self.db.backend()
    }

    /// The athlete's store, for tests that check what was (and was not) written. Front ends
    /// never need it: they cannot name the store's trait (the crate arrows forbid
    /// `cli → store` and `web → store`).
    #[doc(hidden)]
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }
}

/// A database URL with any password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    soleus_store::redact(url)
}

/// The ids of stored rows, for front ends to parse and pass back: an activity's id is never
/// taken for a shoe's.
pub use soleus_store::{ActivityId, AthleteId, EntryId, FileId, IdError, OrgId, ShoeId, UserId};
pub use soleus_store::{DEMO_MARK, is_demo_database};

/// A view as a JSON value, the form both front ends print or serve: every −0.0 becomes 0 (an
/// empty sum of floats is −0.0, and tools should never see `-0.0`).
pub fn to_json<T: serde::Serialize>(view: &T) -> serde_json::Result<serde_json::Value> {
    let mut v = serde_json::to_value(view)?;
    positive_zeros(&mut v);
    Ok(v)
}

fn positive_zeros(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n)
            if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) =>
        {
            *v = serde_json::Value::from(0.0);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(positive_zeros),
        serde_json::Value::Object(o) => o.values_mut().for_each(positive_zeros),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_negative_zeros_in_json() {
        let v = super::to_json(&serde_json::json!({"a": [-0.0, 1.5], "b": {"c": -0.0}, "d": -2.0}))
            .unwrap();
        assert_eq!(v.to_string(), r#"{"a":[0.0,1.5],"b":{"c":0.0},"d":-2.0}"#);
        assert!(!v["a"][0].as_f64().unwrap().is_sign_negative());
    }
}
