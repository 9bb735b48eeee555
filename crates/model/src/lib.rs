//! Soleus's domain: the types every other crate speaks, and the pure logic over them.
//!
//! This crate does no IO. Decoders (`soleus-formats`) produce [`Activity`] values, the store
//! (`soleus-store`) persists them, and the engines here (load, assessment, plans, energy) read them.
//!
//! ```
//! use soleus_model::{Activity, Sport};
//! use chrono::{TimeZone, Utc};
//!
//! let mut run = Activity::new(Sport::Run, Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap());
//! run.distance_m = Some(10_000.0);
//! run.moving_s = Some(3_000.0);
//! assert_eq!(run.pace_s_per_km(), Some(300.0));
//! assert!(run.sport.is_running());
//! ```

pub mod activity;
pub mod altitude;
pub mod assess;
pub mod athlete;
pub mod clinical;
pub mod energy;
pub mod geo;
pub mod journal;
pub mod load;
pub mod plan;
pub mod questionnaires;
pub mod references;
pub mod shoes;
pub mod splits;
pub mod totals;
pub mod units;

pub use activity::{Activity, Lap, Sample, Sport, TotalsSource};
pub use units::{DistanceUnit, Units};
