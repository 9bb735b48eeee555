//! The progression checks of knowledge/load-metrics.md, as of one day: what changed, by how
//! much, why it matters and what to do. Thresholds and wording come from [`Rules`].

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::metrics::compute_days;
use super::rules::{Rule, Rules, Var, render};
use super::series::{DailySeries, DayTotals, week_start};
use super::summary::{LoadUnit, RunSummary};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information, never a warning on its own.
    Info,
    /// Worth knowing; adjust if symptoms appear.
    Low,
    /// Adjust the next sessions.
    Moderate,
    /// Change the plan now.
    High,
}

/// One warning or piece of information.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    /// The rule's code.
    pub code: String,
    /// How much it matters.
    pub severity: Severity,
    /// What happened, with the numbers, and why it matters.
    pub because: String,
    /// The numbers that triggered it.
    pub numbers: BTreeMap<String, f64>,
    /// The reference key (knowledge/clinical.md §6).
    pub reference: String,
    /// What to do.
    pub advice: String,
    /// The values the wording was filled from, to fill it again in other units.
    #[serde(skip)]
    pub vars: Vec<(String, Var)>,
}

/// The `soleus risk --json` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskReport {
    /// The day the checks were run for.
    pub date: NaiveDate,
    /// Warnings, most severe first.
    pub warnings: Vec<Finding>,
    /// Information (the ACWR forms, runs with nothing to compare to).
    pub info: Vec<Finding>,
}

/// One day's pain check-in, 0–10 NRS (Silbernagel pain-monitoring model).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PainCheckIn {
    /// The day the runs it describes took place.
    pub date: NaiveDate,
    /// Pain during that day's run.
    pub during_run: Option<u8>,
    /// Pain after that day's run.
    pub after_run: Option<u8>,
    /// Pain the morning after `date`.
    pub next_morning: Option<u8>,
}

/// What the checks read besides the rules.
pub struct RiskInput<'a> {
    /// Every activity summary (any sport, any order).
    pub runs: &'a [RunSummary],
    /// The athlete's offset for runs whose file did not record one.
    pub tz: &'a dyn Fn(DateTime<Utc>) -> FixedOffset,
    /// Pain check-ins; empty when the athlete has none (the pain check is then skipped).
    pub pain: &'a [PainCheckIn],
    /// The athlete's usual heel drop, mm; `None` to take the drop worn for the most km.
    pub usual_drop_mm: Option<f64>,
    /// The share of the last 7 days' km the runner's lower-drop transition plan allows
    /// (`shoes::TransitionPlan::allowed_pct_on`); `None` to use the rule's own schedule.
    pub footwear_allowed_pct: Option<f64>,
}

impl std::fmt::Debug for RiskInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RiskInput")
            .field("runs", &self.runs.len())
            .field("pain", &self.pain.len())
            .field("usual_drop_mm", &self.usual_drop_mm)
            .field("footwear_allowed_pct", &self.footwear_allowed_pct)
            .finish()
    }
}

/// Builds a finding from a rule's wording and the check's values.
pub(super) fn finding(rule: &Rule, severity: Severity, vars: &[(&str, Var)]) -> Finding {
    let mut vars: Vec<(&str, Var)> = vars.to_vec();
    vars.push(("km", Var::Text("km".into())));
    vars.push(("m", Var::Text("m".into())));
    let vars = vars.as_slice();
    let numbers = vars
        .iter()
        .filter_map(|(k, v)| match v {
            Var::Num(x) if x.is_finite() => Some(((*k).to_owned(), *x)),
            _ => None,
        })
        .collect();
    Finding {
        code: rule.code.clone(),
        severity,
        because: render(&rule.because, vars),
        numbers,
        reference: rule.reference.clone(),
        advice: render(&rule.advice, vars),
        vars: vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    }
}

impl RiskReport {
    /// The report's wording in the athlete's units (distances in miles and climbs in feet for
    /// `miles`); `numbers` stay in km and m, as the JSON contract says.
    pub fn in_units(mut self, units: crate::units::DistanceUnit, rules: &Rules) -> RiskReport {
        if units == crate::units::DistanceUnit::Km {
            return self;
        }
        let per_km = units.metres() / 1000.0;
        for f in self.warnings.iter_mut().chain(self.info.iter_mut()) {
            let Some(rule) = rules.get(&f.code) else {
                continue;
            };
            let vars: Vec<(&str, Var)> = f
                .vars
                .iter()
                .map(|(k, v)| {
                    let v = match (v, k.as_str()) {
                        (_, "km") => Var::Text(units.label().into()),
                        (_, "m") => Var::Text("ft".into()),
                        (Var::Num(x), k) if k.ends_with("_km") => Var::Num(x / per_km),
                        (Var::Num(x), k) if k.ends_with("_m") => Var::Num(x / 0.3048),
                        (v, _) => v.clone(),
                    };
                    (k.as_str(), v)
                })
                .collect();
            f.because = render(&rule.because, &vars);
            f.advice = render(&rule.advice, &vars);
        }
        self
    }
}

pub(super) fn days(n: f64) -> Duration {
    Duration::days(n as i64)
}

/// Runs every progression check for the day `on` (a local date), looking only at activities on
/// or before it.
pub fn risk(on: NaiveDate, input: &RiskInput<'_>, rules: &Rules) -> RiskReport {
    let series = DailySeries::build(input.runs, LoadUnit::Km, input.tz, on);
    risk_over(on, input, &series, rules)
}

/// [`risk`] over a distance series of `input.runs` already built up to `on`
/// (`DailySeries::build(runs, LoadUnit::Km, tz, on)`), so a view that also reports the load of
/// those days in km builds the series once.
pub fn risk_over(
    on: NaiveDate,
    input: &RiskInput<'_>,
    series: &DailySeries,
    rules: &Rules,
) -> RiskReport {
    debug_assert!(series.unit == LoadUnit::Km && series.end == on);
    let mut runs: Vec<(NaiveDate, &RunSummary)> = input
        .runs
        .iter()
        .filter(|r| r.sport.is_running())
        .map(|r| (r.local_date(input.tz), r))
        .filter(|(d, _)| *d <= on)
        .collect();
    runs.sort_by_key(|(d, r)| (*d, r.start));
    let mut rep = RiskReport {
        date: on,
        warnings: Vec::new(),
        info: Vec::new(),
    };
    let rule = |code: &str| rules.get(code).expect("rules were validated when parsed");
    spike(
        on,
        &runs,
        rule("SINGLE_RUN_SPIKE"),
        rule("SINGLE_RUN_NO_BASELINE"),
        &mut rep,
    );
    weekly(on, series, rule("WEEKLY_DISTANCE_JUMP"), &mut rep);
    hills(on, series, rule("HILL_LOAD_JUMP"), &mut rep);
    intensity(on, series, rule("INTENSITY_JUMP"), &mut rep);
    frequency(on, series, rule("FREQUENCY_JUMP"), &mut rep);
    super::risk_more::pain(
        on,
        &runs,
        input.pain,
        rule("RUNNING_THROUGH_PAIN"),
        &mut rep,
    );
    super::risk_more::footwear(
        on,
        &runs,
        input.usual_drop_mm,
        input.footwear_allowed_pct,
        rule("FOOTWEAR_TRANSITION_FAST"),
        &mut rep,
    );
    acwr_info(on, series, rule("ACWR"), &mut rep);
    rep.warnings.sort_by_key(|w| std::cmp::Reverse(w.severity));
    rep
}

fn spike(
    on: NaiveDate,
    runs: &[(NaiveDate, &RunSummary)],
    r: &Rule,
    none: &Rule,
    rep: &mut RiskReport,
) {
    let recent_from = on - days(r.t("recent_days")) + Duration::days(1);
    for (j, &(d, run)) in runs.iter().enumerate() {
        let km = run.km();
        if d < recent_from || km <= 0.0 {
            continue;
        }
        // Runs before this one (earlier the same day included) within the look-back window.
        let since = d - days(r.t("lookback_days"));
        let prior: Vec<f64> = runs[..j]
            .iter()
            .filter(|(pd, _)| *pd >= since)
            .map(|(_, p)| p.km())
            .collect();
        let longest = prior.iter().copied().fold(0.0, f64::max);
        let date = Var::Text(d.to_string());
        if prior.is_empty() {
            let vars = [
                ("run_km", Var::Num(km)),
                ("lookback_days", Var::Num(none.t("lookback_days"))),
                ("run_date", date),
            ];
            rep.info.push(finding(none, none.severity, &vars));
            continue;
        }
        if longest <= 0.0 {
            continue;
        }
        let pct = percent(km - longest, longest);
        if let Some(band) = r.band(pct) {
            let vars = [
                ("run_km", Var::Num(km)),
                ("longest_km", Var::Num(longest)),
                ("increase_pct", Var::Num(pct)),
                ("hrr", Var::Num(band.hrr.unwrap_or(f64::NAN))),
                ("lookback_days", Var::Num(r.t("lookback_days"))),
                ("run_date", date),
            ];
            rep.warnings.push(finding(r, band.severity, &vars));
        }
    }
}

/// Whether the series reaches back to `day`: a comparison with weeks before the first
/// activity would compare with weeks nobody recorded.
fn covers(series: &DailySeries, day: NaiveDate) -> bool {
    series.first.is_some_and(|f| f <= day)
}

fn weekly(on: NaiveDate, s: &DailySeries, r: &Rule, rep: &mut RiskReport) {
    let monday = week_start(on);
    let prev_monday = monday - Duration::days(7);
    if !covers(s, prev_monday) {
        return;
    }
    let week = s.sum(monday, on, |t| t.distance_km);
    let prev = s.sum(prev_monday, monday - Duration::days(1), |t| t.distance_km);
    if prev <= 0.0 || week < r.t("min_week_km") {
        return;
    }
    let pct = percent(week - prev, prev);
    if pct > r.t("max_increase_pct") {
        let vars = [
            ("week_km", Var::Num(week)),
            ("previous_km", Var::Num(prev)),
            ("change_pct", Var::Num(pct)),
            ("max_increase_pct", Var::Num(r.t("max_increase_pct"))),
            ("week_start", Var::Text(monday.to_string())),
        ];
        rep.warnings.push(finding(r, r.severity, &vars));
    }
}

/// The last 7 days' total of `f` and the weekly mean over the `weeks` weeks before them, or
/// `None` when the history does not reach back that far.
fn window(
    on: NaiveDate,
    s: &DailySeries,
    weeks: f64,
    f: impl Fn(&DayTotals) -> f64 + Copy,
) -> Option<(f64, f64)> {
    let start = on - Duration::days(6);
    let base_start = start - days(7.0 * weeks);
    if !covers(s, base_start) {
        return None;
    }
    let now = s.sum(start, on, f);
    let base = s.sum(base_start, start - Duration::days(1), f) / weeks;
    Some((now, base))
}

/// `part` as a percentage of `whole`, rounded to 1e-6 so that a distance exactly 10 % longer
/// (11 km after 10 km) is not "more than 10 %" through binary rounding.
pub(super) fn percent(part: f64, whole: f64) -> f64 {
    (part / whole * 100.0 * 1e6).round() / 1e6
}

/// Percent increase of `now` over `base`; infinite when rising from nothing.
fn increase(now: f64, base: f64) -> f64 {
    if base > 0.0 {
        percent(now - base, base)
    } else if now > 0.0 {
        f64::INFINITY
    } else {
        0.0
    }
}

fn hills(on: NaiveDate, s: &DailySeries, r: &Rule, rep: &mut RiskReport) {
    let w = r.t("baseline_weeks");
    let (Some((climb, bclimb)), Some((hilly, bhilly))) = (
        window(on, s, w, |t| t.ascent_m + t.descent_m),
        window(on, s, w, |t| t.hilly_km),
    ) else {
        return;
    };
    let (ic, ih) = (increase(climb, bclimb), increase(hilly, bhilly));
    let max = r.t("max_increase_pct");
    let by_climb = climb >= r.t("min_climb_m") && ic > max;
    let by_hilly = hilly >= r.t("min_hilly_km") && ih > max;
    if by_climb || by_hilly {
        let pct = if by_climb && (!by_hilly || ic >= ih) {
            ic
        } else {
            ih
        };
        let vars = [
            ("climb_m", Var::Num(climb)),
            ("baseline_climb_m", Var::Num(bclimb)),
            ("hilly_km", Var::Num(hilly)),
            ("baseline_hilly_km", Var::Num(bhilly)),
            ("increase_pct", Var::Num(pct)),
            ("max_increase_pct", Var::Num(max)),
        ];
        rep.warnings.push(finding(r, r.severity, &vars));
    }
}

fn intensity(on: NaiveDate, s: &DailySeries, r: &Rule, rep: &mut RiskReport) {
    let Some((hard, base)) = window(on, s, r.t("baseline_weeks"), |t| t.hard_s / 60.0) else {
        return;
    };
    // A baseline of zero usually means no heart-rate data before, not no hard running.
    let max = r.t("max_increase_pct");
    if base > 0.0 && hard >= r.t("min_hard_min") && increase(hard, base) > max {
        let vars = [
            ("hard_min", Var::Num(hard)),
            ("baseline_hard_min", Var::Num(base)),
            ("increase_pct", Var::Num(increase(hard, base))),
            ("max_increase_pct", Var::Num(max)),
        ];
        rep.warnings.push(finding(r, r.severity, &vars));
    }
}

/// Consecutive running days ending on `day`.
fn streak(s: &DailySeries, day: NaiveDate) -> u32 {
    let mut n = 0;
    let mut d = day;
    while s.get(d).is_some_and(|t| t.runs > 0) && s.first.is_some_and(|f| d >= f) {
        n += 1;
        d -= Duration::days(1);
    }
    n
}

fn frequency(on: NaiveDate, s: &DailySeries, r: &Rule, rep: &mut RiskReport) {
    let w = r.t("baseline_weeks");
    let Some((runs, base)) = window(on, s, w, |t| f64::from(t.runs)) else {
        return;
    };
    let start = on - Duration::days(6);
    let now_streak = (0..7)
        .map(|i| streak(s, start + Duration::days(i)))
        .max()
        .unwrap_or(0);
    let base_days = (7.0 * w) as i64;
    let base_streak = (1..=base_days)
        .map(|i| streak(s, start - Duration::days(i)))
        .max()
        .unwrap_or(0);
    let by_runs = runs - base >= r.t("min_extra_runs");
    let by_streak =
        f64::from(now_streak) >= r.t("min_consecutive_days") && now_streak > base_streak;
    if by_runs || by_streak {
        let vars = [
            ("runs", Var::Num(runs)),
            ("baseline_runs", Var::Num(base)),
            ("streak_days", Var::Num(f64::from(now_streak))),
            ("baseline_streak_days", Var::Num(f64::from(base_streak))),
        ];
        rep.warnings.push(finding(r, r.severity, &vars));
    }
}

fn acwr_info(on: NaiveDate, s: &DailySeries, r: &Rule, rep: &mut RiskReport) {
    let day = compute_days(s, on).pop();
    let get = |f: fn(&super::DayMetrics) -> Option<f64>| day.as_ref().and_then(f);
    let (rac, rau, ewma) = (
        get(|d| d.acwr_rac),
        get(|d| d.acwr_rau),
        get(|d| d.acwr_ewma),
    );
    let text = |x: Option<f64>| {
        Var::Text(x.map_or_else(|| "not available".to_owned(), |v| format!("{v:.2}")))
    };
    let vars = [
        ("rac", Var::Num(rac.unwrap_or(f64::NAN))),
        ("rau", Var::Num(rau.unwrap_or(f64::NAN))),
        ("ewma", Var::Num(ewma.unwrap_or(f64::NAN))),
        ("rac_text", text(rac)),
        ("rau_text", text(rau)),
        ("ewma_text", text(ewma)),
    ];
    rep.info.push(finding(r, Severity::Info, &vars));
}
