//! The lower-drop (or zero-drop) transition plan and the check that the real share of weekly
//! km in lower-drop shoes has not outrun it (knowledge base §4): start with 5–10 % of weekly
//! running, or one short, slow run a week, and add 5–10 % every 1–2 weeks while the calf and
//! Achilles are quiet the next morning.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Shoe, ShoeRun, assign};
use crate::plan::PlanHistory;

/// A shoe counts as lower-drop when its drop is at least this far below the usual drop; the
/// same threshold as the load engine's FOOTWEAR_TRANSITION_FAST rule (`lower_drop_mm`).
pub const LOWER_DROP_MM: f64 = 4.0;

/// Weekly km above which the runner counts as a regular, higher-volume runner [Fuller17].
const REGULAR_KM: f64 = 35.0;

/// What a transition plan is built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionInput {
    /// First day of the transition.
    pub start: NaiveDate,
    /// The drop worn so far, mm.
    pub usual_drop_mm: f64,
    /// The drop being moved to, mm.
    pub target_drop_mm: f64,
    /// History flags (Achilles, bone stress, heavier runner).
    pub history: PlanHistory,
    /// Usual weekly km, when known.
    pub weekly_km: Option<f64>,
}

/// One week of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionWeek {
    /// Week number, from 1.
    pub week: u32,
    /// Its first day.
    pub starts_on: NaiveDate,
    /// Largest share of that week's km in lower-drop shoes, percent.
    pub allowed_pct: f64,
}

/// The schedule and its cautions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionPlan {
    /// What it was built from.
    pub input: TransitionInput,
    /// Share in the first weeks, percent.
    pub start_pct: f64,
    /// Share added at each step, percent.
    pub step_pct: f64,
    /// Weeks between steps.
    pub step_weeks: u32,
    /// Every week until the full share is reached.
    pub weeks: Vec<TransitionWeek>,
    /// Cautions, each with its reference in brackets.
    pub cautions: Vec<String>,
    /// The advice in words.
    pub advice: String,
    /// Reference keys.
    pub references: Vec<String>,
}

impl TransitionPlan {
    /// The share allowed in the week containing `date` (0 before the start, 100 once reached).
    pub fn allowed_pct_on(&self, date: NaiveDate) -> f64 {
        if date < self.input.start {
            return 0.0;
        }
        let week = ((date - self.input.start).num_days() / 7) as u32;
        let steps = week / self.step_weeks;
        (self.start_pct + self.step_pct * f64::from(steps)).min(100.0)
    }

    /// Whether a shoe of this drop counts as transition (lower-drop) running.
    pub fn is_lower_drop(&self, drop_mm: f64) -> bool {
        drop_mm <= self.input.usual_drop_mm - LOWER_DROP_MM
    }
}

/// Builds the schedule. Any caution (heavier runner, higher weekly volume, Achilles or bone
/// stress history) takes the slow end of the §4 ranges: 5 % to start, +5 % every 2 weeks;
/// otherwise 10 % to start, +10 % every 2 weeks. Both are Soleus choices within the ranges.
pub fn transition_plan(input: &TransitionInput) -> TransitionPlan {
    let mut cautions = Vec::new();
    if input.history.heavier_runner {
        cautions.push("Heavier runners had more injuries in minimal shoes as body mass rose above about 71 kg; go slowly [Fuller17].".to_owned());
    }
    if input.weekly_km.is_some_and(|k| k > REGULAR_KM) {
        cautions.push("At more than 35 km a week, minimal-shoe runners reported more pain, and low drop was linked to more injury in regular runners [Fuller17; Malisoux16].".to_owned());
    }
    if input.history.achilles {
        cautions.push("Earlier Achilles problems: a lower drop loads the Achilles more; keep the transition share small while the tendon is quiet the next morning [Ryan14].".to_owned());
    }
    if input.history.bone_stress {
        cautions.push("An earlier bone stress injury: runners switching to minimal shoes reported more shin pain; stop the transition at any bone pain [Ryan14; Warden14].".to_owned());
    }
    let careful = !cautions.is_empty();
    let (start_pct, step_pct, step_weeks) = if careful {
        (5.0, 5.0, 2)
    } else {
        (10.0, 10.0, 2)
    };
    let mut weeks = Vec::new();
    let mut w = 1;
    loop {
        let starts_on = input.start + Duration::days(7 * i64::from(w - 1));
        let allowed_pct = (start_pct + step_pct * f64::from((w - 1) / step_weeks)).min(100.0);
        weeks.push(TransitionWeek {
            week: w,
            starts_on,
            allowed_pct,
        });
        if allowed_pct >= 100.0 {
            break;
        }
        w += 1;
    }
    let advice = format!(
        "Run {start_pct:.0} % of your weekly distance in the {:.0} mm shoes at first, or one short, slow run a week. Add {step_pct:.0} % every {step_weeks} weeks, only while the calf and Achilles are quiet the next morning; at any next-morning pain go back to the previous share. Strengthen the calf and foot alongside.",
        input.target_drop_mm
    );
    TransitionPlan {
        input: input.clone(),
        start_pct,
        step_pct,
        step_weeks,
        weeks,
        cautions,
        advice,
        references: vec![
            "Ryan14".into(),
            "Fuller17".into(),
            "Warne17".into(),
            "Malisoux16".into(),
        ],
    }
}

/// The real lower-drop share of the 7 days ending on a day, against the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionCheck {
    /// First day of the 7-day window.
    pub from: NaiveDate,
    /// Last day of it.
    pub to: NaiveDate,
    /// Km in lower-drop shoes.
    pub lower_drop_km: f64,
    /// All running km.
    pub week_km: f64,
    /// `lower_drop_km` as a percentage of `week_km`.
    pub share_pct: f64,
    /// What the plan allows that week.
    pub allowed_pct: f64,
    /// The real share outran the plan: FOOTWEAR_TRANSITION_FAST.
    pub outran: bool,
}

/// Compares the last 7 days' lower-drop share (runs assigned to shoes as in [`assign`]) with
/// the plan's allowance for the week containing `on`.
pub fn transition_check(
    plan: &TransitionPlan,
    shoes: &[Shoe],
    runs: &[ShoeRun],
    on: NaiveDate,
) -> TransitionCheck {
    let from = on - Duration::days(6);
    let (mut low, mut all) = (0.0, 0.0);
    for r in runs
        .iter()
        .filter(|r| r.date >= from && r.date <= on && r.km.is_finite() && r.km > 0.0)
    {
        all += r.km;
        let drop = assign(shoes, r)
            .and_then(|id| shoes.iter().find(|s| s.id == id))
            .map(|s| s.drop_mm);
        if drop.is_some_and(|d| plan.is_lower_drop(d)) {
            low += r.km;
        }
    }
    let share_pct = if all > 0.0 { 100.0 * low / all } else { 0.0 };
    let allowed_pct = plan.allowed_pct_on(on);
    TransitionCheck {
        from,
        to: on,
        lower_drop_km: low,
        week_km: all,
        share_pct,
        allowed_pct,
        outran: low > 0.0 && share_pct > allowed_pct + 1e-9,
    }
}
