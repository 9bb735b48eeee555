//! Building plan events for the scenario tests: days counted from Monday 2026-05-04.
#![allow(dead_code)]

use chrono::{Duration, NaiveDate};
use soleus_model::clinical::{Condition, Triage};
use soleus_model::plan::{HopTest, PainReport, Plan, PlanEvent, PlanInput, RunEvent, build_plan};

pub fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 4).unwrap() + Duration::days(n)
}

pub fn pain(n: i64, during: u8, after: u8, morning: u8) -> PlanEvent {
    PlanEvent::Pain(PainReport {
        date: day(n),
        during: Some(during),
        after: Some(after),
        next_morning: Some(morning),
    })
}

pub fn run(n: i64, km: f64, min: f64, ascent: f64) -> PlanEvent {
    PlanEvent::Run(RunEvent {
        date: day(n),
        distance_km: km,
        duration_s: min * 60.0,
        ascent_m: Some(ascent),
    })
}

pub fn hop(n: i64, p: u8, focal: bool) -> PlanEvent {
    PlanEvent::Hop(HopTest {
        date: day(n),
        pain: p,
        focal_bone_pain: focal,
    })
}

pub fn plan(c: Condition, triage: Triage, grade: Option<u8>) -> Plan {
    let mut input = PlanInput::new(c, triage, day(0));
    input.grade = grade;
    build_plan(&input)
}
