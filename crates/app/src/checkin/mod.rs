//! Symptom check-ins and assessment: storing a check-in with its triage (red flags in force
//! first), the quick daily pain log, the list of check-ins, and assessing one against the
//! runner's own load. Saving an assessment starts the plan that follows it, in the same call:
//! nothing that only reads ever writes.

use soleus_store::EntryId;
pub(crate) mod triage;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use soleus_model::assess::{
    Assessment, CheckIn, LoadFinding, Pain, PainScore, RedFlagHit, Rules, SavedAssessment, Triage,
    TriageRecord, triage_checkin,
};

use crate::journal::{Entry, Journal, Kind};
use crate::plan::PlanStarted;
use crate::profile::Clock;
use crate::{App, AppError, Result};

/// A stored check-in and its triage: what `soleus checkin` prints (`--output json` is this
/// document).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinSaved {
    /// The check-in's id.
    pub checkin_id: EntryId,
    /// Its day.
    pub date: NaiveDate,
    /// The level, red flags still in force from earlier check-ins included.
    pub triage: Triage,
    /// Bone stress is suspected.
    pub bone_stress_suspected: bool,
    /// Every red flag in force, most urgent first.
    pub red_flags: Vec<RedFlagHit>,
    /// What to do next, the triage advice first.
    pub next_steps: Vec<String>,
    /// The running plan must stop for it (until a clearance or a later check-in without it).
    pub plan_stopped: bool,
    /// The check-in as stored (the profile's age filled in).
    #[serde(skip)]
    pub checkin: CheckIn,
    /// The whole assessment of it.
    #[serde(skip)]
    pub assessment: Assessment,
}

/// A quick daily pain log: pain during the day's run, after it, and the next morning (0–10),
/// on the same side and place as the last full check-in.
#[derive(Debug, Clone, Copy, Default)]
pub struct PainLog {
    /// The day it is about (default today).
    pub date: Option<NaiveDate>,
    /// Pain during the run.
    pub during: Option<u8>,
    /// Pain after the run.
    pub after: Option<u8>,
    /// Pain the morning after.
    pub next_morning: Option<u8>,
}

/// `soleus checkins --json`: every check-in with its triage.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinsView {
    /// Oldest day first.
    pub checkins: Vec<CheckinRow>,
}

/// One stored check-in.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinRow {
    /// The check-in as stored.
    pub checkin: CheckIn,
    /// Its id.
    pub id: EntryId,
    /// Its triage; `None` for a check-in stored before triage was recorded.
    pub triage: Option<TriageRecord>,
}

impl CheckinRow {
    /// The check-in's regions in plain words.
    pub fn region_names(&self) -> Vec<&'static str> {
        self.checkin.regions.iter().map(|r| r.name()).collect()
    }
}

/// What to assess.
#[derive(Debug, Clone)]
pub enum AssessWhat {
    /// The latest stored check-in.
    Latest,
    /// A new check-in: it is stored first (with its triage), like any other, so the plan that
    /// follows the assessment can find the check-in it came from.
    New(Box<CheckIn>),
    /// A stored check-in, by its id (a web page assesses the check-in it shows, not only the
    /// latest one).
    Stored(EntryId),
}

/// `soleus assess`: the assessment document with the check-in it assessed and, once saved,
/// its own id.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessView {
    /// The assessment: triage first, then what the picture is consistent with.
    #[serde(flatten)]
    pub assessment: Assessment,
    /// The check-in assessed.
    pub checkin_id: EntryId,
    /// The saved assessment's id (`--save` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessment_id: Option<EntryId>,
    /// The check-in's day.
    #[serde(skip)]
    pub date: NaiveDate,
    /// What saving did to the plan (`--save` only).
    #[serde(skip)]
    pub plan: Option<PlanStarted>,
}

/// A saved assessment's document: the assessment and the check-in it assessed.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
struct SavedBody<'a> {
    #[serde(flatten)]
    assessment: &'a Assessment,
    checkin_id: EntryId,
}

impl soleus_model::journal::Body for SavedBody<'_> {
    const KIND: Kind = Kind::Assessment;
}

impl App {
    pub(crate) fn journal(&self) -> Journal<'_> {
        Journal(self.store.as_ref())
    }

    /// Every stored check-in, oldest day first.
    pub(crate) async fn checkin_entries(&self) -> Result<Vec<Entry<CheckIn>>> {
        self.journal().read::<CheckIn>().await
    }

    /// The runner's load warnings up to a check-in's day.
    async fn load_findings(&self, c: &CheckIn) -> Result<Vec<LoadFinding>> {
        Ok(LoadFinding::from_report(
            &self.risk_report(Some(c.date)).await?,
        ))
    }

    /// Today in the athlete's time zone (UTC without one).
    pub(crate) async fn local_today(&self) -> Result<NaiveDate> {
        Ok(Clock::of(&self.athlete().await?)?.today())
    }

    /// The latest check-in's red flags when any is in force (not cleared by a clinician
    /// since): every plan, the shoe transition included, waits for a clinician then.
    pub async fn red_flag_in_force(&self) -> Result<Option<TriageRecord>> {
        triage::red_flag_in_force(self.journal()).await
    }

    /// Assesses a check-in (stored with id `checkin_id`, or about to be stored) with the flags
    /// still in force before it and the runner's load up to its day.
    async fn assess_in_context(
        &self,
        c: &CheckIn,
        checkin_id: Option<EntryId>,
    ) -> Result<(Assessment, TriageRecord)> {
        let load = self.load_findings(c).await?;
        let prev = triage::previous(self.journal(), c.date, checkin_id).await?;
        Ok(triage_checkin(c, &load, prev.as_ref(), Rules::builtin()))
    }

    /// Stores a check-in and its triage. A check-in dated in the future is refused (a typo
    /// there would start a plan, and place its pain reports, on a day that has not happened).
    /// Without an age in the check-in, the profile's birth year gives the younger possible age.
    pub async fn store_checkin(&self, c: &CheckIn) -> Result<CheckinSaved> {
        let athlete = self.athlete().await?;
        let today = Clock::of(&athlete)?.today();
        if c.date > today {
            return Err(AppError::invalid(
                "date",
                format!(
                    "date: {} is in the future (today is {today}); check the check-in's date",
                    c.date
                ),
            ));
        }
        let mut c = c.clone();
        if c.age_years.is_none()
            && let Some(by) = athlete.birth_year
        {
            c.age_years = u8::try_from(c.date.year() - by - 1)
                .ok()
                .filter(|a| (1..=120).contains(a));
        }
        let (a, record) = self.assess_in_context(&c, None).await?;
        let id = self.journal().add(c.date, &c).await?;
        let entry = soleus_model::assess::TriageEntry {
            checkin_id: id.0,
            record: record.clone(),
        };
        self.journal().add(c.date, &entry).await?;
        // This check-in's own flags, not those carried from before: one red flag, one notice.
        if a.triage != soleus_model::clinical::Triage::SelfCare || a.bone_stress_suspected {
            self.notify_red_flag(a.triage.code(), id.0).await;
        }
        self.notify_training_news().await;
        let plan_level = self.current_level().await?;
        Ok(CheckinSaved {
            checkin_id: id,
            date: c.date,
            triage: a.triage,
            bone_stress_suspected: a.bone_stress_suspected,
            red_flags: a.red_flags.clone(),
            next_steps: a.next_steps.clone(),
            plan_stopped: plan_level.is_some_and(|l| record.stops_plan(l)),
            checkin: c,
            assessment: a,
        })
    }

    /// Stores a quick daily pain log: a check-in on the last full one's side and regions with
    /// only these pain ratings, triaged like any other (it never lowers the level: the flags
    /// it does not answer stay in force).
    pub async fn log_pain(&self, log: &PainLog) -> Result<CheckinSaved> {
        if log.during.is_none() && log.after.is_none() && log.next_morning.is_none() {
            return Err(AppError::invalid(
                "pain",
                "a quick pain log needs at least one rating: during, after or next morning",
            ));
        }
        let date = match log.date {
            Some(d) => d,
            None => self.local_today().await?,
        };
        let last = self.checkin_entries().await?.pop().ok_or_else(|| {
            AppError::Conflict(
                "a quick pain log continues a check-in: record a full one first with `soleus checkin`"
                    .into(),
            )
        })?;
        let score = |v: Option<u8>| {
            v.map(|v| PainScore::try_from(v).map_err(|e| AppError::invalid("pain", e)))
                .transpose()
        };
        let mut c = CheckIn::new(date, last.body.side, last.body.regions);
        c.pain = Some(Pain {
            during_run: score(log.during)?,
            after_run: score(log.after)?,
            next_morning: score(log.next_morning)?,
            ..Pain::default()
        });
        self.store_checkin(&c).await
    }

    /// Every stored check-in with its triage, oldest day first.
    pub async fn checkins(&self) -> Result<CheckinsView> {
        Ok(CheckinsView {
            checkins: self.checkin_rows().await?,
        })
    }

    pub(crate) async fn checkin_rows(&self) -> Result<Vec<CheckinRow>> {
        let records = triage::records(self.journal()).await?;
        Ok(self
            .checkin_entries()
            .await?
            .into_iter()
            .map(|e| CheckinRow {
                triage: records
                    .iter()
                    .find(|r| r.body.checkin_id == e.id.0)
                    .map(|r| r.body.record.clone()),
                id: e.id,
                checkin: e.body,
            })
            .collect())
    }

    /// Assesses a check-in: red flags first, then what the picture is consistent with and the
    /// runner's own load. Looking changes nothing; with `save`, the assessment is recorded and
    /// the plan that follows it is started in the same call.
    pub async fn assess(&self, what: AssessWhat, save: bool) -> Result<AssessView> {
        let (checkin, checkin_id, assessment) = match what {
            AssessWhat::New(c) => {
                let saved = self.store_checkin(&c).await?;
                (saved.checkin, saved.checkin_id, saved.assessment)
            }
            AssessWhat::Latest => {
                let Entry { id, body: c, .. } =
                    self.checkin_entries().await?.pop().ok_or_else(|| {
                        AppError::Conflict(
                            "no check-in yet: record one with `soleus checkin`, or pass --checkin FILE"
                                .into(),
                        )
                    })?;
                let (a, _) = self.assess_in_context(&c, Some(id)).await?;
                (c, id, a)
            }
            AssessWhat::Stored(wanted) => {
                let Entry { id, body: c, .. } = self
                    .checkin_entries()
                    .await?
                    .into_iter()
                    .find(|e| e.id == wanted)
                    .ok_or_else(|| AppError::NotFound {
                        what: "check-in",
                        id: wanted.to_string(),
                    })?;
                let (a, _) = self.assess_in_context(&c, Some(id)).await?;
                (c, id, a)
            }
        };
        let mut view = AssessView {
            checkin_id,
            assessment_id: None,
            date: checkin.date,
            plan: None,
            assessment,
        };
        if save {
            let body = SavedBody {
                assessment: &view.assessment,
                checkin_id,
            };
            let id = self.journal().add(checkin.date, &body).await?;
            let saved: SavedAssessment = serde_json::to_value(&body)
                .and_then(serde_json::from_value)
                .map_err(|e| {
                    AppError::invalid("assessment", format!("assessment {id} is unreadable: {e}"))
                })?;
            let entry = Entry {
                id,
                day: checkin.date,
                body: saved,
            };
            view.plan = Some(self.start_from_assessment(&entry).await?);
            view.assessment_id = Some(id);
        }
        Ok(view)
    }
}

/// Earlier Achilles problems named in any check-in's history.
pub(crate) fn achilles_history(checkins: &[Entry<CheckIn>]) -> bool {
    checkins.iter().any(|e| {
        e.body
            .history
            .as_ref()
            .and_then(|h| h.previous_injuries.as_ref())
            .is_some_and(|list| {
                list.iter()
                    .any(|c| soleus_model::assess::condition_code(*c).starts_with("ACHILLES"))
            })
    })
}
