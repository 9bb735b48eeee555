//! The two checks that need data beyond the activities: pain check-ins (running through pain)
//! and the shoe worn (footwear transition).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use super::risk::{PainCheckIn, RiskReport, days, finding, percent};
use super::rules::{Rule, Var};
use super::summary::RunSummary;

/// Runs logged while a check-in reports pain above the limit during or after the run, or pain
/// worse the next morning than the morning before (Silbernagel pain-monitoring model).
pub(super) fn pain(
    on: NaiveDate,
    runs: &[(NaiveDate, &RunSummary)],
    checkins: &[PainCheckIn],
    r: &Rule,
    rep: &mut RiskReport,
) {
    if checkins.is_empty() {
        return;
    }
    let limit = r.t("max_pain");
    let from = on - days(r.t("lookback_days")) + Duration::days(1);
    let by_day: BTreeMap<NaiveDate, &PainCheckIn> = checkins.iter().map(|c| (c.date, c)).collect();
    let mut run_days: Vec<NaiveDate> = runs
        .iter()
        .map(|(d, _)| *d)
        .filter(|d| *d >= from)
        .collect();
    run_days.dedup();
    for d in run_days {
        let Some(c) = by_day.get(&d) else { continue };
        let before = by_day
            .get(&(d - Duration::days(1)))
            .and_then(|p| p.next_morning);
        let mut what = Vec::new();
        let over = |x: Option<u8>| x.filter(|&p| f64::from(p) > limit);
        if let Some(p) = over(c.during_run) {
            what.push(format!("pain of {p}/10 during the run"));
        }
        if let Some(p) = over(c.after_run) {
            what.push(format!("pain of {p}/10 after it"));
        }
        if let (Some(next), Some(prev)) = (c.next_morning, before)
            && next > prev
        {
            what.push(format!(
                "next-morning pain of {next}/10, worse than the {prev}/10 of the morning before"
            ));
        }
        if what.is_empty() {
            continue;
        }
        let num = |x: Option<u8>| Var::Num(x.map_or(f64::NAN, f64::from));
        let vars = [
            ("during", num(c.during_run)),
            ("after", num(c.after_run)),
            ("next_morning", num(c.next_morning)),
            ("morning_before", num(before)),
            ("max_pain", Var::Num(limit)),
            ("run_date", Var::Text(d.to_string())),
            ("what", Var::Text(what.join(" and "))),
        ];
        rep.warnings.push(finding(r, r.severity, &vars));
    }
}

/// The drop worn for the most km among `runs` (to the nearest 0.5 mm).
fn usual_drop(runs: &[&(NaiveDate, &RunSummary)]) -> Option<f64> {
    let mut km: BTreeMap<i64, f64> = BTreeMap::new();
    for (_, r) in runs {
        if let Some(drop) = r.shoe_drop_mm.filter(|d| d.is_finite()) {
            *km.entry((drop * 2.0).round() as i64).or_default() += r.km();
        }
    }
    km.into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k as f64 / 2.0)
}

/// Share of the last 7 days' km run in shoes with a lower drop than usual, against the schedule
/// of knowledge/clinical.md §4: start at 5–10 %, add 5–10 % every 1–2 weeks. `plan_pct`, the
/// runner's own transition plan's share for this week, replaces the rule's schedule when set.
pub(super) fn footwear(
    on: NaiveDate,
    runs: &[(NaiveDate, &RunSummary)],
    usual: Option<f64>,
    plan_pct: Option<f64>,
    r: &Rule,
    rep: &mut RiskReport,
) {
    let week_from = on - Duration::days(6);
    let prev_from = week_from - Duration::days(7);
    let usual = usual.or_else(|| {
        let since = week_from - days(7.0 * r.t("usual_weeks"));
        let before: Vec<_> = runs
            .iter()
            .filter(|(d, _)| *d >= since && *d < week_from)
            .collect();
        usual_drop(&before)
    });
    let Some(usual) = usual else { return };
    let low = |r0: &RunSummary| {
        r0.shoe_drop_mm
            .is_some_and(|d| d <= usual - r.t("lower_drop_mm"))
    };
    let share = |from: NaiveDate, to: NaiveDate| {
        let (mut low_km, mut all) = (0.0, 0.0);
        for (_, x) in runs.iter().filter(|(d, _)| *d >= from && *d <= to) {
            all += x.km();
            if low(x) {
                low_km += x.km();
            }
        }
        (low_km, all)
    };
    let (low_km, week_km) = share(week_from, on);
    let (prev_low, prev_all) = share(prev_from, week_from - Duration::days(1));
    if low_km <= 0.0 || week_km <= 0.0 {
        return;
    }
    let pct = percent(low_km, week_km);
    let prev_pct = if prev_all > 0.0 {
        percent(prev_low, prev_all)
    } else {
        0.0
    };
    let allowed = plan_pct.unwrap_or(if prev_pct > 0.0 {
        prev_pct + r.t("step_pct")
    } else {
        r.t("start_share_pct")
    });
    if pct > allowed {
        let vars = [
            ("share_pct", Var::Num(pct)),
            ("allowed_pct", Var::Num(allowed)),
            ("low_drop_km", Var::Num(low_km)),
            ("week_km", Var::Num(week_km)),
            ("usual_drop_mm", Var::Num(usual)),
            ("previous_share_pct", Var::Num(prev_pct)),
        ];
        rep.warnings.push(finding(r, r.severity, &vars));
    }
}
