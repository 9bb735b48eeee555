//! Runs that exceed the current stage: too long, too fast, too hilly, or run when the stage
//! has no run or the plan says to rest. The limits are Soleus conventions (`data/plan_rules.toml`
//! `[run_limits]`), applied to the §3.8 walk–run stages, which are flat and easy.

use chrono::NaiveDate;
use serde::Serialize;

use super::events::RunEvent;
use super::stages::{RunLimits, RunPrescription};

/// One way a run went beyond its stage, with the numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunFlag {
    /// The run's date.
    pub date: NaiveDate,
    /// `RUN_TOO_LONG`, `RUN_TOO_FAST`, `RUN_TOO_HILLY`, `RUN_IN_NO_RUN_STAGE` or `RUN_DURING_REST`.
    pub code: String,
    /// What was measured (minutes, s/km, m/km, km).
    pub actual: f64,
    /// What the stage allows, in the same unit (0 when it allows none).
    pub limit: f64,
    /// The sentence shown to the runner.
    pub message: String,
}

/// Checks one run against the stage it was run in.
pub(super) fn check_run(
    run: &RunEvent,
    stage_run: RunPrescription,
    resting_until: Option<NaiveDate>,
    easy_pace_s_per_km: Option<f64>,
    limits: &RunLimits,
) -> Vec<RunFlag> {
    let flag = |code: &str, actual: f64, limit: f64, message: String| RunFlag {
        date: run.date,
        code: code.into(),
        actual,
        limit,
        message,
    };
    let mut out = Vec::new();
    if let Some(until) = resting_until.filter(|u| run.date <= *u) {
        out.push(flag(
            "RUN_DURING_REST",
            run.distance_km,
            0.0,
            format!(
                "A {:.1} km run on {} falls in the rest from running after pain (until {until}).",
                run.distance_km, run.date
            ),
        ));
    }
    let Some(minutes) = stage_run.minutes() else {
        if stage_run == RunPrescription::None {
            out.push(flag(
                "RUN_IN_NO_RUN_STAGE",
                run.distance_km,
                0.0,
                format!(
                    "A {:.1} km run on {}, but the current stage has no running yet.",
                    run.distance_km, run.date
                ),
            ));
        }
        return out;
    };
    let run_min = run.duration_s / 60.0;
    let max_min = f64::from(minutes) * (1.0 + limits.overrun_pct / 100.0);
    if run_min > max_min {
        out.push(flag(
            "RUN_TOO_LONG",
            run_min,
            f64::from(minutes),
            format!(
                "{run_min:.0} min is longer than the stage's {minutes} min (more than {:.0} % over, a Soleus convention).",
                limits.overrun_pct
            ),
        ));
    }
    if let Some(ascent) = run.ascent_m.filter(|_| run.distance_km > 0.0) {
        let per_km = ascent / run.distance_km;
        if per_km > limits.flat_max_ascent_m_per_km {
            out.push(flag(
                "RUN_TOO_HILLY",
                per_km,
                limits.flat_max_ascent_m_per_km,
                format!(
                    "{ascent:.0} m of climbing over {:.1} km ({per_km:.0} m/km) is more than the {:.0} m/km of a flat stage; hills come after volume.",
                    run.distance_km, limits.flat_max_ascent_m_per_km
                ),
            ));
        }
    }
    if let (Some(pace), Some(easy)) = (run.pace_s_per_km(), easy_pace_s_per_km) {
        // Walk-run averages include the walking, so their pace should be slower still; any
        // average faster than the easy running pace (less the margin) means running too fast.
        let fastest = easy * (1.0 - limits.pace_margin_pct / 100.0);
        if pace < fastest {
            out.push(flag(
                "RUN_TOO_FAST",
                pace,
                fastest,
                format!(
                    "An average of {} /km is faster than the easy pace of {} /km the stage asks for.",
                    mmss(pace),
                    mmss(easy)
                ),
            ));
        }
    }
    out
}

fn mmss(s_per_km: f64) -> String {
    let s = s_per_km.round() as i64;
    format!("{}:{:02}", s / 60, s % 60)
}
