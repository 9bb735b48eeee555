//! What the plan reads from the journal and the runs: the runs, the check-ins (pain during,
//! after, next morning, and the ten-hop test), their triage, clinician clearances and the
//! calf-strain checklist; and the plan replayed over them.

use chrono::{Duration, NaiveDate};
use soleus_model::assess::{Rules, assess};
use soleus_model::clinical::{Condition, Triage};
use soleus_model::load::RunSummary;
use soleus_model::plan::{
    Clearance, Decision, HopTest, MuscleChecklist, PainReport, Plan, PlanEvent, PlanHistory,
    PlanInput, PlanState, RunEvent, Side, Today, TriageEvent, build_plan, replay_state, today,
};
use soleus_model::shoes::FootwearRules;
use soleus_store::EntryId;

use crate::checkin::triage;
use crate::profile::Clock;
use crate::{App, Result};

/// Weeks of runs before the plan's start whose median pace stands for the easy pace.
const EASY_PACE_WEEKS: i64 = 12;

/// A plan replayed over everything logged.
#[derive(Debug, Clone)]
pub(crate) struct Replayed {
    /// The plan.
    pub plan: Plan,
    /// Where it stands after every event.
    pub state: PlanState,
    /// Each decision.
    pub decisions: Vec<Decision>,
    /// What to do on the day asked for (state from the events before that day).
    pub today: Today,
    /// Every clinician's clearance, with who gave it and what they found.
    pub clearances: Vec<Clearance>,
}

impl App {
    /// Builds a plan input, with the history flags from the profile and check-ins and the
    /// easy pace from the runs before the start.
    pub(crate) async fn plan_input(
        &self,
        condition: Condition,
        grade: Option<u8>,
        triage: Triage,
        side: Side,
        started_on: NaiveDate,
    ) -> Result<PlanInput> {
        let athlete = self.athlete().await?;
        let runs = self.run_events(Clock::of(&athlete)?, None).await?;
        let checkins = self.checkin_entries().await?;
        let mut input = PlanInput::new(condition, triage, started_on);
        input.grade = grade;
        input.side = side;
        input.history = PlanHistory {
            bone_stress: athlete.bone_stress_injuries > 0,
            achilles: crate::checkin::achilles_history(&checkins),
            heavier_runner: FootwearRules::builtin().heavier(athlete.weight_kg),
            // A fluoroquinolone reported in a check-in of the 90 days before the start (§1.5).
            fluoroquinolone: checkins.iter().any(|e| {
                e.day <= started_on
                    && e.day > started_on - Duration::days(90)
                    && e.body
                        .history
                        .as_ref()
                        .and_then(|h| h.fluoroquinolone_recent)
                        == Some(true)
            }),
        };
        input.easy_pace_s_per_km = easy_pace(&runs, started_on);
        Ok(input)
    }

    /// Every running activity (walks and rides are not runs) on its local day, from the
    /// summaries a view has already read, else from the store.
    async fn run_events(&self, clock: Clock, read: Option<&[RunSummary]>) -> Result<Vec<RunEvent>> {
        let tz = move |t| clock.offset(t);
        let stored;
        let summaries = match read {
            Some(s) => s,
            None => {
                stored = self.summaries().await?;
                &stored
            }
        };
        Ok(summaries
            .iter()
            .filter(|s| s.sport.is_running() && s.km() > 0.0)
            .map(|s| RunEvent {
                date: s.local_date(&tz),
                distance_km: s.km(),
                duration_s: s.moving_s.unwrap_or(0.0),
                ascent_m: s.ascent_m,
            })
            .collect())
    }

    /// Everything the plan reads, in any order; `runs` as in [`App::run_events`].
    async fn all_events(
        &self,
        clock: Clock,
        runs: Option<&[RunSummary]>,
    ) -> Result<Vec<PlanEvent>> {
        let mut ev: Vec<PlanEvent> = self
            .run_events(clock, runs)
            .await?
            .into_iter()
            .map(PlanEvent::Run)
            .collect();
        let checkins = self.checkin_entries().await?;
        for e in &checkins {
            let pain = e.body.pain.clone().unwrap_or_default();
            let report = PainReport {
                date: e.day,
                during: pain.during_run.map(|p| p.get()),
                after: pain.after_run.map(|p| p.get()),
                next_morning: pain.next_morning.map(|p| p.get()),
            };
            if report.during.is_some() || report.after.is_some() || report.next_morning.is_some() {
                ev.push(PlanEvent::Pain(report));
            }
            let hop = e.body.tests.as_ref().and_then(|t| t.hop_10);
            if let Some((hop, p)) = hop.and_then(|h| Some((h, h.pain?))) {
                ev.push(PlanEvent::Hop(HopTest {
                    date: e.day,
                    pain: p.get(),
                    focal_bone_pain: hop.focal_bone_pain.unwrap_or(false),
                }));
            }
        }
        // Check-in triages and clearances, in the order they were recorded, so that within a
        // day a clearance given after a red flag lifts it and a red flag after a clearance
        // stops again.
        let mut ordered: Vec<(EntryId, PlanEvent)> = Vec::new();
        let records = triage::records(self.journal()).await?;
        for e in &checkins {
            let (level, bone_stress_suspected, since) =
                match records.iter().find(|r| r.body.checkin_id == e.id.0) {
                    Some(r) => (
                        r.body.record.triage,
                        r.body.record.bone_stress_suspected,
                        r.body.record.since(),
                    ),
                    // A check-in stored before triage records existed: its own triage.
                    None => {
                        let a = assess(&e.body, &[], Rules::builtin());
                        (a.triage, a.bone_stress_suspected, e.day)
                    }
                };
            ordered.push((
                e.id,
                PlanEvent::Triage(TriageEvent {
                    date: e.day,
                    level,
                    bone_stress_suspected,
                    since,
                }),
            ));
        }
        for e in self.journal().read::<Clearance>().await? {
            ordered.push((e.id, PlanEvent::Clearance { date: e.day }));
        }
        ordered.sort_by_key(|(id, _)| *id);
        ev.extend(ordered.into_iter().map(|(_, e)| e));
        for e in self.journal().read::<MuscleChecklist>().await? {
            ev.push(PlanEvent::Checklist(e.body));
        }
        Ok(ev)
    }

    /// Builds the plan and replays it; `day` is the day `today` describes; `runs` are the
    /// summaries a view has already read (`None`: read them).
    pub(crate) async fn replayed(
        &self,
        input: &PlanInput,
        day: NaiveDate,
        runs: Option<&[RunSummary]>,
    ) -> Result<Replayed> {
        let clock = Clock::of(&self.athlete().await?)?;
        let plan = build_plan(input);
        let ev = self.all_events(clock, runs).await?;
        let (state, decisions) = replay_state(&plan, &ev);
        // The model's `today` reads the state left by the events before the day: a run logged
        // on the day itself is that day's session, not a reason to skip it. A clearance or a
        // check-in's triage recorded on the day counts that same day.
        let before: Vec<PlanEvent> = ev
            .into_iter()
            .filter(|e| {
                e.date() < day
                    || (e.date() == day
                        && matches!(e, PlanEvent::Clearance { .. } | PlanEvent::Triage(_)))
            })
            .collect();
        let (st_before, _) = replay_state(&plan, &before);
        let today = today(&plan, &st_before, day);
        let clearances = self
            .journal()
            .read::<Clearance>()
            .await?
            .into_iter()
            .map(|e| Clearance {
                date: e.day,
                ..e.body
            })
            .collect();
        Ok(Replayed {
            plan,
            state,
            decisions,
            today,
            clearances,
        })
    }
}

/// The median pace of the runs in the [`EASY_PACE_WEEKS`] before `start`. Most training runs
/// are easy, so the median stands for the easy pace (a Soleus convention); `None` with fewer
/// than three runs.
fn easy_pace(runs: &[RunEvent], start: NaiveDate) -> Option<f64> {
    let from = start - Duration::weeks(EASY_PACE_WEEKS);
    let mut paces: Vec<f64> = runs
        .iter()
        .filter(|r| r.date >= from && r.date < start)
        .filter_map(RunEvent::pace_s_per_km)
        .collect();
    if paces.len() < 3 {
        return None;
    }
    paces.sort_by(f64::total_cmp);
    let n = paces.len();
    Some(if n % 2 == 1 {
        paces[n / 2]
    } else {
        (paces[n / 2 - 1] + paces[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(day: u32, km: f64, minutes: f64) -> RunEvent {
        RunEvent {
            date: NaiveDate::from_ymd_opt(2026, 5, day).unwrap(),
            distance_km: km,
            duration_s: minutes * 60.0,
            ascent_m: None,
        }
    }

    #[test]
    fn the_easy_pace_is_the_median_of_the_weeks_before_the_start() {
        let start = NaiveDate::from_ymd_opt(2026, 5, 20).unwrap();
        // Paces 300, 330 and 360 s/km before the start, and a fast run on the start day that
        // does not count: the median is 330 s/km.
        let runs = [
            run(1, 10.0, 50.0),
            run(5, 10.0, 55.0),
            run(9, 10.0, 60.0),
            run(20, 10.0, 40.0),
        ];
        assert_eq!(easy_pace(&runs, start), Some(330.0));
        // Two runs are too few to say.
        assert_eq!(easy_pace(&runs[..2], start), None);
    }
}
