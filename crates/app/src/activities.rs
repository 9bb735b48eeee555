//! The activities: the list, one activity with its laps and splits.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::Serialize;
use soleus_model::splits::Split;
use soleus_model::units::DistanceUnit;
use soleus_model::{Activity, Units};
use soleus_store::ActivityId;
pub use soleus_store::ActivityRow;

use crate::profile::Clock;
use crate::{App, AppError, Result};

/// An activity as listed: distances in km, durations in seconds, and the local day it was
/// run (the file's own offset, else the athlete's time zone).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityListed {
    /// Id.
    pub id: ActivityId,
    /// Name, when known.
    pub name: Option<String>,
    /// Sport code (`run`, `trail_run`, …).
    pub sport: &'static str,
    /// The device's own sport words.
    pub sport_detail: Option<String>,
    /// Start, UTC, RFC 3339.
    pub start: String,
    /// The local day.
    pub local_date: String,
    /// The file's UTC offset, seconds east.
    pub utc_offset_s: Option<i32>,
    /// km.
    pub distance_km: Option<f64>,
    /// Seconds, pauses included.
    pub elapsed_s: Option<f64>,
    /// Seconds moving.
    pub moving_s: Option<f64>,
    /// Seconds per km (moving time, else elapsed).
    pub pace_s_per_km: Option<f64>,
    /// Metres climbed.
    pub ascent_m: Option<f64>,
    /// Metres descended.
    pub descent_m: Option<f64>,
    /// Average heart rate.
    pub avg_hr: Option<u8>,
    /// Highest heart rate.
    pub max_hr: Option<u8>,
    /// Average cadence.
    pub avg_cadence: Option<f64>,
    /// Device.
    pub device: Option<String>,
    /// Shoe name.
    pub shoe: Option<String>,
    /// `device` or `computed`.
    pub totals_source: String,
    /// The stored row, for front ends that show more than the document.
    #[serde(skip)]
    pub row: ActivityRow,
    /// Local start time.
    #[serde(skip)]
    pub local_start: NaiveDateTime,
}

/// `activities`: newest first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivitiesView {
    /// The activities.
    pub activities: Vec<ActivityListed>,
    /// The units to show them in.
    #[serde(skip)]
    pub units: Units,
}

/// One lap as shown.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LapView {
    /// Start, RFC 3339.
    pub start: Option<String>,
    /// km.
    pub distance_km: Option<f64>,
    /// Seconds, pauses included.
    pub elapsed_s: Option<f64>,
    /// Seconds moving.
    pub moving_s: Option<f64>,
    /// Metres climbed.
    pub ascent_m: Option<f64>,
    /// Metres descended.
    pub descent_m: Option<f64>,
    /// Average heart rate.
    pub avg_hr: Option<u8>,
    /// Highest heart rate.
    pub max_hr: Option<u8>,
    /// Average cadence.
    pub avg_cadence: Option<f64>,
}

/// `show ID`: one activity with laps and splits in the athlete's distance unit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityView {
    /// The summary.
    pub activity: ActivityListed,
    /// Laps as the device recorded them.
    pub laps: Vec<LapView>,
    /// `km` or `mi`.
    pub splits_unit: &'static str,
    /// Whole-unit splits from the samples.
    pub splits: Vec<Split>,
    /// Samples stored.
    pub sample_count: usize,
    /// The person's edits, oldest first: each field edited, what the file said, the value
    /// before and after (empty when nothing was edited).
    pub edits: Vec<soleus_store::EditRow>,
    /// The activity with laps and samples.
    #[serde(skip)]
    pub full: Activity,
    /// The units to show it in.
    #[serde(skip)]
    pub units: Units,
}

/// Seconds per km: moving time (else elapsed) over distance; none without either
/// ([`soleus_model::activity::pace_s_per_km`]).
pub fn pace(row: &ActivityRow) -> Option<f64> {
    soleus_model::activity::pace_s_per_km(row.distance_m, row.moving_s, row.elapsed_s)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Local start time: the file's own offset, else the athlete's time zone.
pub fn local_start(row: &ActivityRow, clock: &Clock) -> NaiveDateTime {
    let off = row
        .utc_offset_s
        .unwrap_or_else(|| clock.offset(row.start).local_minus_utc());
    row.start.naive_utc() + chrono::Duration::seconds(i64::from(off))
}

fn listed(row: ActivityRow, clock: &Clock) -> ActivityListed {
    let local = local_start(&row, clock);
    ActivityListed {
        id: row.id,
        name: row.name.clone(),
        sport: row.sport.as_str(),
        sport_detail: row.sport_detail.clone(),
        start: rfc3339(row.start),
        local_date: local.date().to_string(),
        utc_offset_s: row.utc_offset_s,
        distance_km: row.distance_m.map(|m| m / 1000.0),
        elapsed_s: row.elapsed_s,
        moving_s: row.moving_s,
        pace_s_per_km: pace(&row),
        ascent_m: row.ascent_m,
        descent_m: row.descent_m,
        avg_hr: row.avg_hr,
        max_hr: row.max_hr,
        avg_cadence: row.avg_cadence,
        device: row.device.clone(),
        shoe: row.shoe.clone(),
        totals_source: row.totals_source.clone(),
        local_start: local,
        row,
    }
}

impl App {
    /// The distance unit to show: `forced` (a flag, the environment, a config file), else the
    /// profile's.
    pub async fn units(&self, forced: Option<DistanceUnit>) -> Result<Units> {
        Ok(Units {
            distance: match forced {
                Some(d) => d,
                None => self.athlete().await?.units,
            },
        })
    }

    /// The activities, newest first, at most `limit`.
    pub async fn activities(
        &self,
        limit: Option<usize>,
        units: Option<DistanceUnit>,
    ) -> Result<ActivitiesView> {
        let clock = Clock::of(&self.athlete().await?)?;
        let mut rows = self.store.list_activities().await?;
        if let Some(n) = limit {
            rows.truncate(n);
        }
        Ok(ActivitiesView {
            activities: rows.into_iter().map(|r| listed(r, &clock)).collect(),
            units: self.units(units).await?,
        })
    }

    /// One activity with its laps and splits.
    pub async fn activity(
        &self,
        id: ActivityId,
        units: Option<DistanceUnit>,
    ) -> Result<ActivityView> {
        let clock = Clock::of(&self.athlete().await?)?;
        let Some(stored) = self.store.activity(id).await? else {
            // A deleted activity is missing here too (a web page answers 404); front ends
            // that can say how to bring it back ask [`App::deleted_note`].
            return Err(AppError::NotFound {
                what: "activity",
                id: id.to_string(),
            });
        };
        let edits = self.store.activity_edits(id).await?;
        let units = self.units(units).await?;
        let a = stored.activity;
        let splits = soleus_model::splits::splits(&a.samples, units.distance.metres());
        Ok(ActivityView {
            activity: listed(stored.row, &clock),
            laps: a
                .laps
                .iter()
                .map(|l| LapView {
                    start: l.start.map(rfc3339),
                    distance_km: l.distance_m.map(|m| m / 1000.0),
                    elapsed_s: l.elapsed_s,
                    moving_s: l.moving_s,
                    ascent_m: l.ascent_m,
                    descent_m: l.descent_m,
                    avg_hr: l.avg_hr,
                    max_hr: l.max_hr,
                    avg_cadence: l.avg_cadence,
                })
                .collect(),
            splits_unit: units.distance.label(),
            splits,
            sample_count: a.samples.len(),
            edits,
            full: a,
            units,
        })
    }
}
