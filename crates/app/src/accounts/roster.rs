//! A coach's or clinician's roster: every shared athlete in one table, with what they act on
//! first.
//!
//! Each athlete's row is computed from their data once, when it changes (an import, a
//! check-in, a plan's step: [`App::refresh_roster_facts`]), and stored with the athlete's
//! recent days (migration 0013). A roster reads the stored rows of all its athletes in one
//! statement; a row computed before the athlete's data last changed
//! (`athletes.load_revision`, kept by triggers), or on an earlier day of the athlete's, is
//! computed again as it is read, so the roster is never behind what a page would show.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use soleus_model::clinical::Triage;
use soleus_model::units::{DistanceUnit, Units};
use soleus_store::AthleteId;
use soleus_store::accounts::{GrantRow, Level};
use soleus_store::days::{DayRow, FactsWrite};

use super::{Caller, now_ms};
use crate::dashboard::DashboardView;
use crate::digest::{Week, pain_week};
use crate::plan::PlanAnswer;
use crate::profile::Clock;
use crate::{App, AppError, Result};

/// Days of the athlete's recent past written beside their facts: this week and the four
/// before it.
const KEPT_DAYS: i64 = 35;

/// What the roster knows of an athlete, as computed from their data (stored as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Facts {
    /// The athlete's day it was computed for.
    today: NaiveDate,
    /// The red flag in force, if any.
    red_flag: Option<Triage>,
    /// Training waits for a clinician.
    paused: bool,
    /// Overload warnings in force, by code (all of them: the viewer's scope filters).
    warnings: Vec<String>,
    /// Distance this week so far, km.
    week_km: f64,
    /// The mean of the four weeks before, km.
    weeks_before_mean_km: f64,
    /// The latest check-in's day.
    last_checkin: Option<NaiveDate>,
    /// Pain over the last 7 days against the 28 before: better, worse, same or unknown.
    pain_trend: String,
    /// The mean of the worst pain (0–10) of each check-in of the last 7 days.
    pain_mean: Option<f64>,
    /// The plan's stage in force, in words.
    plan_stage: Option<String>,
    /// Run days the plan prescribed this week up to today, and of those the ones with a run;
    /// `None` without a plan.
    adherence: Option<(u32, u32)>,
    /// The day of the latest activity.
    last_activity: Option<NaiveDate>,
}

/// One shared athlete on a coach's or clinician's roster: what they act on first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterRow {
    /// The athlete.
    pub athlete: AthleteId,
    /// Their name.
    pub name: Option<String>,
    /// What the viewer may do.
    pub level: Level,
    /// Whether the viewer has the medical scope.
    pub medical: bool,
    /// A red flag in force: its triage level, with the medical scope only.
    pub red_flag: Option<Triage>,
    /// Training is paused until a clinician has seen the athlete (a red flag, or a plan that
    /// waits for clearance). Shown to every viewer, so no coach plans training over it; the
    /// reason is medical and shown only with the medical scope.
    pub paused: bool,
    /// Overload warnings in force, by code (those drawn from check-ins with the medical
    /// scope only).
    pub warnings: Vec<String>,
    /// Distance this week so far, km (the page shows the viewer's unit).
    pub week_km: f64,
    /// The mean of the four weeks before, km.
    pub weeks_before_mean_km: f64,
    /// This week against that mean, percent; `None` without a week before.
    pub change_pct: Option<f64>,
    /// The latest check-in's day, with the medical scope only.
    pub last_checkin: Option<NaiveDate>,
    /// Pain over the last 7 days against the 28 before (`better`, `worse`, `same`,
    /// `unknown`), with the medical scope only.
    pub pain_trend: Option<String>,
    /// The mean worst pain (0–10) of the last 7 days' check-ins, with the medical scope only.
    pub pain_mean: Option<f64>,
    /// The plan's stage in force, in words; `None` without a plan running.
    pub plan_stage: Option<String>,
    /// Run days the plan prescribed this week up to today.
    pub runs_prescribed: Option<u32>,
    /// Of those, the days with a run.
    pub runs_done: Option<u32>,
    /// Days since the latest activity started, if any.
    pub days_since_upload: Option<i64>,
    /// The athlete's day the row is for.
    pub as_of: NaiveDate,
}

/// How a roster is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RosterSort {
    /// Red flags, paused training and warnings first, then worsening pain, then by name.
    #[default]
    Attention,
    /// By name.
    Name,
    /// By this week's distance.
    Week,
    /// By this week against the four before.
    Change,
    /// By the latest check-in.
    Checkin,
    /// By pain.
    Pain,
    /// By the share of prescribed sessions done.
    Adherence,
    /// By days since the latest activity.
    Upload,
}

impl RosterSort {
    /// Every order, as the query names it.
    pub const ALL: [RosterSort; 8] = [
        RosterSort::Attention,
        RosterSort::Name,
        RosterSort::Week,
        RosterSort::Change,
        RosterSort::Checkin,
        RosterSort::Pain,
        RosterSort::Adherence,
        RosterSort::Upload,
    ];

    /// The name in a query (`?sort=week`).
    pub fn code(self) -> &'static str {
        match self {
            RosterSort::Attention => "attention",
            RosterSort::Name => "name",
            RosterSort::Week => "week",
            RosterSort::Change => "change",
            RosterSort::Checkin => "checkin",
            RosterSort::Pain => "pain",
            RosterSort::Adherence => "adherence",
            RosterSort::Upload => "upload",
        }
    }

    /// Parses a query's name; an unknown one is bad input that lists the known.
    pub fn parse(s: &str) -> Result<RosterSort> {
        RosterSort::ALL
            .into_iter()
            .find(|k| k.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                AppError::invalid(
                    "sort",
                    format!(
                        "sort {s:?} is not one of {}",
                        RosterSort::ALL.map(RosterSort::code).join(", ")
                    ),
                )
            })
    }

    /// The direction an order takes unless told: what needs acting on first (the most
    /// attention, distance, change and pain, the longest silence, largest first; the oldest
    /// check-in and the lowest adherence first); names from A.
    pub fn descending_first(self) -> bool {
        matches!(
            self,
            RosterSort::Attention
                | RosterSort::Week
                | RosterSort::Change
                | RosterSort::Pain
                | RosterSort::Upload
        )
    }
}

/// A coach's or clinician's athletes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterView {
    /// In the order asked for (by default red flags and warnings first, then by name).
    pub athletes: Vec<RosterRow>,
    /// The order.
    pub sort: RosterSort,
    /// Largest (or latest, or last by name) first.
    pub descending: bool,
    /// The viewer's units, for the page (the document's distances stay in km).
    pub units: Units,
}

impl RosterRow {
    /// The row `g`'s holder sees of the athlete's facts.
    fn of(g: &GrantRow, f: Facts) -> RosterRow {
        RosterRow {
            athlete: g.athlete,
            name: g.athlete_name.clone(),
            level: g.level,
            medical: g.medical,
            red_flag: if g.medical { f.red_flag } else { None },
            paused: f.paused,
            // A warning drawn from check-ins tells their content: medical scope only.
            warnings: f
                .warnings
                .into_iter()
                .filter(|w| g.medical || !crate::digest::MEDICAL_WARNINGS.contains(&w.as_str()))
                .collect(),
            week_km: f.week_km,
            weeks_before_mean_km: f.weeks_before_mean_km,
            change_pct: (f.weeks_before_mean_km > 0.0)
                .then(|| (f.week_km / f.weeks_before_mean_km - 1.0) * 100.0),
            last_checkin: f.last_checkin.filter(|_| g.medical),
            pain_trend: g.medical.then_some(f.pain_trend),
            pain_mean: f.pain_mean.filter(|_| g.medical),
            plan_stage: f.plan_stage,
            runs_prescribed: f.adherence.map(|a| a.0),
            runs_done: f.adherence.map(|a| a.1),
            days_since_upload: f.last_activity.map(|day| (f.today - day).num_days()),
            as_of: f.today,
        }
    }

    /// Attention first: a red flag or a pause, then more warnings, then worse pain.
    fn attention(&self) -> (bool, usize, bool) {
        (
            self.red_flag.is_some() || self.paused,
            self.warnings.len(),
            self.pain_trend.as_deref() == Some("worse"),
        )
    }

    fn adherence(&self) -> Option<f64> {
        match (self.runs_prescribed, self.runs_done) {
            (Some(p), Some(d)) if p > 0 => Some(f64::from(d) / f64::from(p)),
            _ => None,
        }
    }
}

/// Orders rows by `sort`; rows without the value go last either way, then by name.
fn sort_rows(rows: &mut [RosterRow], sort: RosterSort, descending: bool) {
    use std::cmp::Ordering;
    fn opt<T: PartialOrd>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
        match (a, b) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
                if desc { o.reverse() } else { o }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    let name = |r: &RosterRow| r.name.clone().unwrap_or_default().to_lowercase();
    rows.sort_by(|a, b| {
        let first = match sort {
            RosterSort::Attention => {
                let o = a.attention().cmp(&b.attention());
                if descending { o.reverse() } else { o }
            }
            RosterSort::Name => {
                let o = name(a).cmp(&name(b));
                if descending { o.reverse() } else { o }
            }
            RosterSort::Week => opt(Some(a.week_km), Some(b.week_km), descending),
            RosterSort::Change => opt(a.change_pct, b.change_pct, descending),
            RosterSort::Checkin => opt(a.last_checkin, b.last_checkin, descending),
            RosterSort::Pain => opt(a.pain_mean, b.pain_mean, descending),
            RosterSort::Adherence => opt(a.adherence(), b.adherence(), descending),
            RosterSort::Upload => opt(a.days_since_upload, b.days_since_upload, descending),
        };
        first
            .then_with(|| name(a).cmp(&name(b)))
            .then_with(|| a.athlete.cmp(&b.athlete))
    });
}

impl App {
    /// The caller's roster: every athlete shared with them in `sort`'s order, largest first
    /// with `descending` (rows without the value last either way), with the viewer's units.
    pub async fn roster(
        &self,
        caller: &Caller,
        sort: RosterSort,
        descending: bool,
    ) -> Result<RosterView> {
        let accounts = self.db.accounts();
        let grants = accounts.grants_held(caller.user.id).await?;
        let held: HashMap<AthleteId, _> = accounts
            .held_facts(caller.user.id)
            .await?
            .into_iter()
            .map(|h| (h.athlete, h))
            .collect();
        let now = now_ms();
        let mut athletes = Vec::with_capacity(grants.len());
        for g in &grants {
            let stored = held
                .get(&g.athlete)
                .and_then(|h| h.current(now))
                .and_then(|json| serde_json::from_str::<Facts>(json).ok());
            let facts = match stored {
                Some(f) => f,
                None => self.as_athlete(g.athlete).refresh_roster_facts().await?.0,
            };
            athletes.push(RosterRow::of(g, facts));
        }
        sort_rows(&mut athletes, sort, descending);
        Ok(RosterView {
            athletes,
            sort,
            descending,
            units: self.viewer_units(caller).await?,
        })
    }

    /// The units `caller` reads in: their own athlete profile's, else the one chosen on
    /// their account, else kilometres.
    pub async fn viewer_units(&self, caller: &Caller) -> Result<Units> {
        let distance = match caller.user.athlete {
            Some(a) => self.as_athlete(a).athlete().await?.units,
            None => self
                .db
                .accounts()
                .user_units(caller.user.id)
                .await?
                .and_then(|u| DistanceUnit::parse(&u))
                .unwrap_or_default(),
        };
        Ok(Units { distance })
    }

    /// Sets the units `caller` reads in: on their athlete profile when they run, else on
    /// their account.
    pub async fn set_viewer_units(&self, caller: &Caller, units: DistanceUnit) -> Result<()> {
        match caller.user.athlete {
            Some(a) => {
                let me = self.as_athlete(a);
                let mut profile = me.athlete().await?;
                profile.units = units;
                me.save_athlete(&profile).await
            }
            None => Ok(self
                .db
                .accounts()
                .set_user_units(
                    caller.user.id,
                    match units {
                        DistanceUnit::Km => "km",
                        DistanceUnit::Miles => "miles",
                    },
                )
                .await?),
        }
    }

    /// One shared athlete as `caller` may see them: the grant, their roster row and their
    /// dashboard; `None` without a grant in force (so the page is "not found").
    pub async fn shared_athlete(
        &self,
        caller: &Caller,
        athlete: AthleteId,
    ) -> Result<Option<(super::GrantView, RosterRow, DashboardView)>> {
        let Some(g) = self
            .db
            .accounts()
            .live_grant(athlete, caller.user.id)
            .await?
        else {
            return Ok(None);
        };
        let shared = self.as_athlete(g.athlete);
        let now = now_ms();
        // This athlete's stored row only, not the whole roster's.
        let stored = shared
            .store
            .facts()
            .await?
            .current(now)
            .and_then(|j| serde_json::from_str::<Facts>(j).ok());
        let (facts, dashboard) = match stored {
            Some(f) => (f, shared.dashboard(None).await?),
            None => shared.refresh_roster_facts().await?,
        };
        Ok(Some((
            super::GrantView::from(&g),
            RosterRow::of(&g, facts),
            dashboard,
        )))
    }

    /// Computes this athlete's roster facts from their data now and stores them with their
    /// recent days; returns them with the dashboard they were read from.
    pub(crate) async fn refresh_roster_facts(&self) -> Result<(Facts, DashboardView)> {
        let started_ms = now_ms();
        // The revision before reading: a change made while computing leaves the stored row
        // behind the revision, so the next read computes it again.
        let revisions = self.store.revisions().await?;
        let d = self.dashboard(None).await?;
        let today = d.date;
        let checkins = self.checkin_entries().await?;
        let data = self.load_data().await?;
        let tz = data.tz();
        let pain = pain_week(&checkins, today - Duration::days(6), today);
        let run_days: BTreeSet<NaiveDate> = data
            .runs
            .iter()
            .filter(|r| r.sport.is_running())
            .map(|r| r.local_date(&tz))
            .collect();
        let plan = self
            .plan_week(Week::of(today), today, &data.runs, &run_days)
            .await?;
        let red_flag = d.red_flag.as_ref().map(|r| r.triage);
        let warnings: Vec<String> = d.risk.warnings.iter().map(|w| w.code.clone()).collect();
        let facts = Facts {
            today,
            red_flag,
            paused: red_flag.is_some() || matches!(d.today, PlanAnswer::Blocked(_)),
            warnings: warnings.clone(),
            week_km: d.this_week.distance_km,
            weeks_before_mean_km: d.weeks_before_mean_km,
            last_checkin: checkins.iter().map(|c| c.day).max(),
            pain_trend: pain.trend.to_string(),
            pain_mean: pain.mean,
            plan_stage: self.plan_stage_now().await?.map(|(_, words)| words),
            adherence: plan
                .filter(|p| !p.paused)
                .map(|p| (p.runs_prescribed, p.runs_done)),
            last_activity: data.runs.iter().map(|r| r.local_date(&tz)).max(),
        };
        let first = today - Duration::days(KEPT_DAYS - 1);
        let warnings_json = serde_json::to_string(&warnings).unwrap_or_default();
        let days: Vec<DayRow> = d
            .days
            .iter()
            .filter(|m| m.date >= first)
            .map(|m| DayRow {
                day: m.date,
                distance_m: m.distance_km * 1000.0,
                runs: m.runs,
                load: m.load,
                acwr: m.acwr_rac,
                warnings: (m.date == today).then(|| warnings_json.clone()),
            })
            .collect();
        let json = serde_json::to_string(&facts).unwrap_or_default();
        self.store
            .put_days(
                &FactsWrite {
                    revisions,
                    started_ms,
                    valid_until_ms: end_of_day(&data.clock, today, started_ms),
                    facts: &json,
                },
                &days,
            )
            .await?;
        Ok((facts, d))
    }

    /// Computes again the roster rows of up to `limit` shared athletes whose stored rows no
    /// longer hold; answers how many.
    pub async fn refresh_stale_roster_facts(&self, limit: i64) -> Result<usize> {
        let stale = self.db.accounts().stale_facts(now_ms(), limit).await?;
        for &athlete in &stale {
            self.as_athlete(athlete).refresh_roster_facts().await?;
        }
        Ok(stale.len())
    }

    /// Keeps the roster facts current after a change, when anyone holds a grant on the
    /// athlete (a failure is logged: the roster computes the row again when it reads it).
    pub(crate) async fn keep_roster_facts(&self) {
        match self.db.accounts().grants_on(self.athlete_id()).await {
            Ok(grants) if grants.is_empty() => {}
            Ok(_) => {
                if let Err(e) = self.refresh_roster_facts().await {
                    tracing::warn!("cannot keep the roster's row of an athlete: {e}");
                }
            }
            Err(e) => tracing::warn!("cannot read an athlete's grants: {e}"),
        }
    }
}

/// The instant the athlete's `today` ends (the next local midnight), epoch ms; at most a day
/// after `now_ms`.
fn end_of_day(clock: &Clock, today: NaiveDate, now_ms: i64) -> i64 {
    let now = chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_else(Utc::now);
    let offset = i64::from(clock.offset(now).local_minus_utc());
    let midnight = (today + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        .timestamp()
        - offset;
    (midnight * 1000).min(now_ms + 86_400_000)
}

impl App {
    /// The grant by which `caller` acts as `athlete`'s clinician: not found without a grant in
    /// force (as for an athlete that does not exist); refused without the medical scope or
    /// for someone who is not a clinician.
    async fn clinician_grant(&self, caller: &Caller, athlete: AthleteId) -> Result<GrantRow> {
        let Some(g) = self
            .db
            .accounts()
            .live_grant(athlete, caller.user.id)
            .await?
        else {
            return Err(AppError::NotFound {
                what: "athlete",
                id: athlete.to_string(),
            });
        };
        if !g.medical || caller.user.role != soleus_store::accounts::Role::Clinician {
            return Err(AppError::Forbidden(
                "only a clinician the athlete shares their check-ins and assessments with \
                 records a clearance or an assessment"
                    .into(),
            ));
        }
        Ok(g)
    }

    /// A clinician clears a shared athlete to go on (as `soleus plan clear --clinician NAME
    /// --note TEXT` does for the athlete): named as the clinician, on `on` (default today in
    /// the athlete's zone), written to the audit log.
    pub async fn clear_for(
        &self,
        caller: &Caller,
        athlete: AthleteId,
        on: Option<&str>,
        note: Option<String>,
    ) -> Result<soleus_model::plan::Clearance> {
        self.clinician_grant(caller, athlete).await?;
        let on = match on.map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => Some(d.parse::<NaiveDate>().map_err(|_| {
                AppError::invalid("on", format!("{d:?} is not a day like 2026-05-04"))
            })?),
        };
        let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 2_000) {
            return Err(AppError::invalid(
                "note",
                "the note is longer than 2,000 characters",
            ));
        }
        let cleared = self
            .as_athlete(athlete)
            .record_clearance(on, Some(caller.user.display_name.clone()), note)
            .await?;
        self.audit(
            Some(caller.user.id),
            Some(athlete),
            "clearance",
            &format!("cleared on {}", cleared.date),
            None,
        )
        .await;
        Ok(cleared)
    }

    /// A clinician records the assessment of a shared athlete's latest check-in (as `soleus
    /// assess --save` does for the athlete), written to the audit log.
    pub async fn assess_for(
        &self,
        caller: &Caller,
        athlete: AthleteId,
    ) -> Result<crate::checkin::AssessView> {
        self.clinician_grant(caller, athlete).await?;
        let view = self
            .as_athlete(athlete)
            .assess(crate::checkin::AssessWhat::Latest, true)
            .await?;
        self.audit(
            Some(caller.user.id),
            Some(athlete),
            "assessment",
            "recorded the latest check-in's assessment",
            None,
        )
        .await;
        Ok(view)
    }
}
