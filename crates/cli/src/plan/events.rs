//! What the plan reads from the store: the runs, the check-ins (pain during, after, next
//! morning, and the ten-hop test), clinician clearances and the calf-strain checklist.

use anyhow::Context;
use chrono::{Duration, NaiveDate};
use soleus_model::assess::{CheckIn, Rules, assess};
use soleus_model::athlete::Athlete;
use soleus_model::clinical::{Condition, Triage};
use soleus_model::plan::{
    Decision, HopTest, MuscleChecklist, PainReport, Plan, PlanEvent, PlanHistory, PlanInput,
    PlanState, RunEvent, Side, Today, TriageEvent, build_plan, replay_state, today,
};
use soleus_store::Store;

use crate::profile;

/// Weeks of runs before the plan's start whose median pace stands for the easy pace.
const EASY_PACE_WEEKS: i64 = 12;

/// A clinician's clearance as recorded (`plan clear --clinician --by NAME --note TEXT`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Clearance {
    /// Day of the clearance.
    #[serde(default = "unknown_day")]
    pub date: NaiveDate,
    /// Who cleared it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What they found or advised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn unknown_day() -> NaiveDate {
    NaiveDate::MIN
}

/// A plan replayed over everything logged.
pub(super) struct View {
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

/// Builds a plan input, with the history flags from the profile and check-ins and the easy
/// pace from the runs before the start.
pub(super) async fn input(
    store: &dyn Store,
    condition: Condition,
    grade: Option<u8>,
    triage: Triage,
    side: Side,
    started_on: NaiveDate,
) -> anyhow::Result<PlanInput> {
    let athlete = profile::load(store).await?;
    let runs = runs(store, &athlete).await?;
    let mut input = PlanInput::new(condition, triage, started_on);
    input.grade = grade;
    input.side = side;
    input.history = PlanHistory {
        bone_stress: athlete.bone_stress_injuries > 0,
        achilles: achilles_history(store).await?,
        heavier_runner: athlete
            .weight_kg
            .is_some_and(|w| soleus_model::shoes::FootwearRules::builtin().heavier(Some(w))),
        // A fluoroquinolone reported in a check-in of the 90 days before the start (§1.5).
        fluoroquinolone: store.entries("checkin").await?.iter().any(|e| {
            e.day <= started_on
                && e.day > started_on - Duration::days(90)
                && e.body["history"]["fluoroquinolone_recent"] == serde_json::json!(true)
        }),
    };
    input.easy_pace_s_per_km = easy_pace(&runs, started_on);
    Ok(input)
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

/// Every running activity (walks and rides are not runs) on its local day.
async fn runs(store: &dyn Store, athlete: &Athlete) -> anyhow::Result<Vec<RunEvent>> {
    let tz = profile::tz_fn(athlete)?;
    Ok(store
        .summaries()
        .await?
        .into_iter()
        .map(|r| r.summary)
        .filter(|s| s.sport.is_running() && s.km() > 0.0)
        .map(|s| RunEvent {
            date: s.local_date(tz.as_ref()),
            distance_km: s.km(),
            duration_s: s.moving_s.unwrap_or(0.0),
            ascent_m: s.ascent_m,
        })
        .collect())
}

/// Everything the plan reads, in any order.
async fn all_events(store: &dyn Store, athlete: &Athlete) -> anyhow::Result<Vec<PlanEvent>> {
    let mut ev: Vec<PlanEvent> = runs(store, athlete)
        .await?
        .into_iter()
        .map(PlanEvent::Run)
        .collect();
    let nrs = |v: &serde_json::Value| v.as_u64().and_then(|n| u8::try_from(n).ok());
    for e in store.entries("checkin").await? {
        let pain = &e.body["pain"];
        let report = PainReport {
            date: e.day,
            during: nrs(&pain["during_run"]),
            after: nrs(&pain["after_run"]),
            next_morning: nrs(&pain["next_morning"]),
        };
        if report.during.is_some() || report.after.is_some() || report.next_morning.is_some() {
            ev.push(PlanEvent::Pain(report));
        }
        let hop = &e.body["tests"]["HOP_10"];
        if let Some(p) = nrs(&hop["pain"]) {
            ev.push(PlanEvent::Hop(HopTest {
                date: e.day,
                pain: p,
                focal_bone_pain: hop["focal_bone_pain"].as_bool().unwrap_or(false),
            }));
        }
    }
    // Check-in triages and clearances, in the order they were recorded, so that within a day
    // a clearance given after a red flag lifts it and a red flag after a clearance stops again.
    let mut ordered: Vec<(i64, PlanEvent)> = Vec::new();
    let records = crate::triage::records(store).await?;
    for e in store.entries("checkin").await? {
        let level = match records.iter().find(|(_, s)| s.checkin_id == e.id) {
            Some((_, s)) => (
                s.record.triage,
                s.record.bone_stress_suspected,
                s.record.since(),
            ),
            // A check-in stored before triage records existed: its own triage.
            None => match CheckIn::from_value(e.body.clone()) {
                Ok(c) => {
                    let a = assess(&c, &[], Rules::builtin());
                    (a.triage, a.bone_stress_suspected, e.day)
                }
                Err(_) => continue,
            },
        };
        ordered.push((
            e.id,
            PlanEvent::Triage(TriageEvent {
                date: e.day,
                level: level.0,
                bone_stress_suspected: level.1,
                since: level.2,
            }),
        ));
    }
    for e in store.entries("clearance").await? {
        ordered.push((e.id, PlanEvent::Clearance { date: e.day }));
    }
    ordered.sort_by_key(|(id, _)| *id);
    ev.extend(ordered.into_iter().map(|(_, e)| e));
    for e in store.entries("checklist").await? {
        let c: MuscleChecklist = serde_json::from_value(e.body)
            .with_context(|| format!("checklist entry {} is unreadable", e.id))?;
        ev.push(PlanEvent::Checklist(c));
    }
    Ok(ev)
}

/// Builds the plan and replays it; `day` is the day `today` describes.
pub(super) async fn replayed(
    store: &dyn Store,
    athlete: &Athlete,
    input: &PlanInput,
    day: NaiveDate,
) -> anyhow::Result<View> {
    let plan = build_plan(input);
    let ev = all_events(store, athlete).await?;
    let (state, decisions) = replay_state(&plan, &ev);
    // The model's `today` reads the state left by the events before the day: a run logged
    // on the day itself is that day's session, not a reason to skip it.
    // A clearance or a check-in's triage recorded on the day counts that same day.
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
    let clearances = store
        .entries("clearance")
        .await?
        .into_iter()
        .map(|e| {
            let mut c: Clearance = serde_json::from_value(e.body).unwrap_or(Clearance {
                date: e.day,
                name: None,
                note: None,
            });
            c.date = e.day;
            c
        })
        .collect();
    Ok(View {
        plan,
        state,
        decisions,
        today,
        clearances,
    })
}

/// Earlier Achilles problems named in any check-in's history (as `soleus_app` reads them for
/// the shoe transition).
async fn achilles_history(store: &dyn Store) -> anyhow::Result<bool> {
    Ok(store.entries("checkin").await?.iter().any(|e| {
        e.body["history"]["previous_injuries"]
            .as_array()
            .is_some_and(|a| {
                a.iter()
                    .any(|v| v.as_str().is_some_and(|s| s.starts_with("ACHILLES")))
            })
    }))
}
