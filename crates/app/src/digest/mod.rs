//! The weekly digest: a runner's own week, and a coach's or clinician's week of the athletes
//! they look after, as views a mail (or a page) renders.
//!
//! A digest covers one ISO week, Monday to Sunday in the athlete's time zone, and compares it
//! with the 28 days before. Everything in it comes from the same calls the pages use (the
//! load series and checks, the check-ins, the plan, questionnaires, shoes, energy), so a digest
//! never says anything the app would not. A coach without the medical scope gets no check-in,
//! pain, triage, questionnaire, energy or assessment content: [`RosterEntry`] is built from the
//! athlete's digest with those fields left out, not hidden by a template.
//!
//! Sending (who receives which digest, at most once per week) is [`delivery`].

pub mod delivery;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;
use soleus_model::assess::TriageRecord;
use soleus_model::clinical::Triage;
use soleus_model::load::{DailySeries, DayTotals, Finding, LoadUnit};
use soleus_model::units::DistanceUnit;
use soleus_store::AthleteId;
use soleus_store::accounts::Level;

use crate::load::pain_of;
use crate::plan::PlanAnswer;
use crate::{App, AppError, Result};

/// Overload checks that read check-ins: shown only with the medical scope.
pub const MEDICAL_WARNINGS: &[&str] = &["RUNNING_THROUGH_PAIN"];

/// The days a week is compared with.
pub const DAYS_BEFORE: i64 = 28;

/// An ISO week (`2026-W48`): Monday to Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week {
    monday: NaiveDate,
}

impl Week {
    /// The week holding `day`.
    pub fn of(day: NaiveDate) -> Week {
        Week {
            monday: day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
        }
    }

    /// The last whole week before the one holding `day`: what a Monday digest covers.
    pub fn last_before(day: NaiveDate) -> Week {
        Week::of(day).prev()
    }

    /// Parses `2026-W48` (the `W` in either case).
    pub fn parse(s: &str) -> Result<Week> {
        let bad = || {
            AppError::invalid(
                "week",
                format!("{s:?} is not an ISO week: write it as 2026-W48 (year, W, week number)"),
            )
        };
        let (y, w) = s.trim().split_once(['W', 'w']).ok_or_else(bad)?;
        let year: i32 = y.trim_end_matches('-').parse().map_err(|_| bad())?;
        let week: u32 = w.parse().map_err(|_| bad())?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .map(|monday| Week { monday })
            .ok_or_else(|| {
                AppError::invalid("week", format!("{year} has no ISO week {week} ({s:?})"))
            })
    }

    /// Its Monday.
    pub fn monday(self) -> NaiveDate {
        self.monday
    }

    /// Its Sunday.
    pub fn sunday(self) -> NaiveDate {
        self.monday + Duration::days(6)
    }

    /// The week before.
    pub fn prev(self) -> Week {
        Week {
            monday: self.monday - Duration::days(7),
        }
    }

    /// The week after.
    pub fn next(self) -> Week {
        Week {
            monday: self.monday + Duration::days(7),
        }
    }
}

impl std::fmt::Display for Week {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let w = self.monday.iso_week();
        write!(f, "{:04}-W{:02}", w.year(), w.week())
    }
}

/// Running over a span of days.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Running {
    /// Kilometres.
    pub distance_km: f64,
    /// Runs.
    pub runs: u32,
    /// The longest run, km.
    pub longest_run_km: f64,
    /// Metres climbed.
    pub ascent_m: f64,
    /// Minutes above threshold heart rate (or in the top two zones).
    pub hard_min: f64,
    /// Minutes moving.
    pub moving_min: f64,
}

impl Running {
    fn over(series: &DailySeries, from: NaiveDate, to: NaiveDate) -> Running {
        let mut r = Running::default();
        let mut day = from;
        while day <= to {
            let t = series.get(day).unwrap_or_default();
            r.add(&t);
            day += Duration::days(1);
        }
        r
    }

    fn add(&mut self, t: &DayTotals) {
        self.distance_km += t.distance_km;
        self.runs += t.runs;
        self.longest_run_km = self.longest_run_km.max(t.longest_km);
        self.ascent_m += t.ascent_m;
        self.hard_min += t.hard_s / 60.0;
        self.moving_min += t.duration_s / 60.0;
    }

    /// The weekly mean of a span of `days` days.
    fn per_week(self, days: i64) -> Running {
        let k = 7.0 / days as f64;
        Running {
            distance_km: self.distance_km * k,
            runs: (f64::from(self.runs) * k).round() as u32,
            longest_run_km: self.longest_run_km,
            ascent_m: self.ascent_m * k,
            hard_min: self.hard_min * k,
            moving_min: self.moving_min * k,
        }
    }
}

/// One day's distance, for the week's bars.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayBar {
    /// The day.
    pub date: NaiveDate,
    /// Kilometres run.
    pub distance_km: f64,
}

/// Pain over the week from check-ins and quick logs, against the 28 days before.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PainWeek {
    /// Each day with a rating: the worst of during, after and next morning, 0–10.
    pub days: Vec<(NaiveDate, u8)>,
    /// The mean of those this week.
    pub mean: Option<f64>,
    /// The mean over the 28 days before.
    pub mean_before: Option<f64>,
    /// `better`, `worse`, `same` (within one point) or `unknown`.
    pub trend: &'static str,
}

/// The plan's week: where it stands, sessions done against prescribed, the next gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanWeek {
    /// The stage on Sunday.
    pub stage: Option<String>,
    /// Its phase.
    pub phase: Option<String>,
    /// Days the plan put a run on.
    pub runs_prescribed: u32,
    /// Of those days, the ones with a run.
    pub runs_done: u32,
    /// What the stage still needs before moving on.
    pub to_move_on: Vec<String>,
    /// The plan waits for a clinician (the reason is medical, in `blocked_reason`).
    pub paused: bool,
    /// Why, with the medical scope only.
    pub blocked_reason: Option<String>,
}

/// A questionnaire's change this week against its previous result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreChange {
    /// The questionnaire (`VISA_A`).
    pub instrument: String,
    /// This week's result's day.
    pub date: NaiveDate,
    /// The result before it.
    pub from: u32,
    /// This week's result.
    pub to: u32,
    /// The highest total.
    pub max: u32,
    /// `to - from`.
    pub change: i64,
    /// The change is in the better direction.
    pub better: bool,
    /// It reaches the smallest meaningful change.
    pub meaningful: bool,
}

/// A shoe near or past its retirement distance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShoeReminder {
    /// The shoe.
    pub name: String,
    /// Its distance, km.
    pub km: f64,
    /// Its retirement distance, km.
    pub retire_km: f64,
    /// The reminder in words.
    pub reminder: String,
}

/// The energy week, when a goal is saved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnergyDigest {
    /// Days with intake logged.
    pub days_logged: usize,
    /// Mean energy availability, kcal per kg of fat-free mass per day.
    pub mean_energy_availability: Option<f64>,
    /// Intake minus expenditure over the week, kcal.
    pub balance_kcal: Option<f64>,
    /// The goal.
    pub goal: String,
    /// Warnings (low energy availability, too fast a loss), in words.
    pub warnings: Vec<String>,
}

/// A comment or reply someone left on the athlete's data this week.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentItem {
    /// Who wrote it.
    pub author: String,
    /// What it is on: `activity`, `checkin`, `assessment` or `plan`.
    pub on: String,
    /// The activity's or entry's id.
    pub target_id: i64,
    /// A reply to another comment.
    pub reply: bool,
    /// The start of the text (at most 200 characters).
    pub excerpt: String,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// `soleus digest --json` for an athlete: their week.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AthleteDigest {
    /// The ISO week, `2026-W48`.
    pub week: String,
    /// Its Monday.
    pub from: NaiveDate,
    /// Its Sunday.
    pub to: NaiveDate,
    /// Whose.
    pub athlete: AthleteId,
    /// Their name.
    pub name: Option<String>,
    /// Their distance unit (the numbers are km; a front end converts).
    pub units: DistanceUnit,
    /// The week's running.
    pub week_running: Running,
    /// The weekly mean of the 28 days before.
    pub before_per_week: Running,
    /// Change in distance against that mean, percent; `None` without running before.
    pub distance_change_pct: Option<f64>,
    /// Each day's distance.
    pub days: Vec<DayBar>,
    /// Overload warnings that fired on any day of the week, each at its latest day.
    pub warnings: Vec<Finding>,
    /// A red flag in force on Sunday (medical).
    pub red_flag: Option<TriageRecord>,
    /// Pain (medical).
    pub pain: PainWeek,
    /// Check-ins this week (medical).
    pub checkins: usize,
    /// The plan's week; `None` without a plan.
    pub plan: Option<PlanWeek>,
    /// Questionnaire results this week against the one before (medical).
    pub scores: Vec<ScoreChange>,
    /// Shoes near or past their retirement distance.
    pub shoes: Vec<ShoeReminder>,
    /// The energy week, when a goal is saved (medical).
    pub energy: Option<EnergyDigest>,
    /// Activities that started this week.
    pub uploads: usize,
    /// Comments and replies others left on their data this week.
    pub comments: Vec<CommentItem>,
}

impl AthleteDigest {
    /// Whether anything in it needs a clinician first.
    pub fn red_flag_urgent(&self) -> bool {
        self.red_flag
            .as_ref()
            .is_some_and(|r| r.triage != Triage::SelfCare || r.bone_stress_suspected)
    }
}

/// One athlete in a coach's or clinician's digest, with only what their grant shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    /// The athlete.
    pub athlete: AthleteId,
    /// Their name.
    pub name: Option<String>,
    /// What the viewer may do.
    pub level: Level,
    /// Whether the viewer has the medical scope.
    pub medical: bool,
    /// The red flag's triage (medical only).
    pub red_flag: Option<Triage>,
    /// Training is paused until a clinician has seen them (shown to every viewer).
    pub paused: bool,
    /// Warnings that fired, by code and reason (check-in based ones with the medical scope
    /// only).
    pub warnings: Vec<(String, String)>,
    /// The week's running.
    pub week_running: Running,
    /// The weekly mean of the 28 days before.
    pub before_per_week: Running,
    /// Activities this week.
    pub uploads: usize,
    /// Check-ins this week (medical only).
    pub checkins: Option<usize>,
    /// The pain trend (medical only).
    pub pain_trend: Option<&'static str>,
    /// The plan's stage and sessions (the blocked reason with the medical scope only).
    pub plan: Option<PlanWeek>,
}

impl RosterEntry {
    /// The athlete's digest as a viewer with this grant may see it.
    pub fn of(d: &AthleteDigest, level: Level, medical: bool) -> RosterEntry {
        let warnings = d
            .warnings
            .iter()
            .filter(|w| medical || !MEDICAL_WARNINGS.contains(&w.code.as_str()))
            .map(|w| (w.code.clone(), w.because.clone()))
            .collect();
        let plan = d.plan.clone().map(|mut p| {
            if !medical {
                p.blocked_reason = None;
            }
            p
        });
        RosterEntry {
            athlete: d.athlete,
            name: d.name.clone(),
            level,
            medical,
            red_flag: if medical {
                d.red_flag.as_ref().map(|r| r.triage)
            } else {
                None
            },
            paused: d.red_flag_urgent() || d.plan.as_ref().is_some_and(|p| p.paused),
            warnings,
            week_running: d.week_running,
            before_per_week: d.before_per_week,
            uploads: d.uploads,
            checkins: medical.then_some(d.checkins),
            pain_trend: medical.then_some(d.pain.trend),
            plan,
        }
    }

    /// Red flags, a pause or warnings: the ones to look at first.
    pub fn needs_attention(&self) -> bool {
        self.red_flag.is_some() || self.paused || !self.warnings.is_empty()
    }

    /// No upload, or (with the medical scope) no check-in this week.
    pub fn quiet(&self) -> bool {
        self.uploads == 0 || self.checkins == Some(0)
    }
}

/// `soleus digest --json` for a coach or clinician: the athletes they look after.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterDigest {
    /// The ISO week.
    pub week: String,
    /// Its Monday.
    pub from: NaiveDate,
    /// Its Sunday.
    pub to: NaiveDate,
    /// The viewer's distance unit.
    pub units: DistanceUnit,
    /// Red flags, pauses and warnings first.
    pub attention: Vec<RosterEntry>,
    /// Then who did not upload or check in.
    pub quiet: Vec<RosterEntry>,
    /// Then the rest.
    pub rest: Vec<RosterEntry>,
}

fn worst_pain(p: &soleus_model::load::PainCheckIn) -> Option<u8> {
    [p.during_run, p.after_run, p.next_morning]
        .into_iter()
        .flatten()
        .max()
}

fn mean(xs: impl Iterator<Item = u8>) -> Option<f64> {
    let (n, s) = xs.fold((0u32, 0u32), |(n, s), x| (n + 1, s + u32::from(x)));
    (n > 0).then(|| f64::from(s) / f64::from(n))
}

/// Pain over `from..=to` from the check-ins, against the [`DAYS_BEFORE`] days before.
pub(crate) fn pain_week(
    checkins: &[crate::journal::Entry<soleus_model::assess::CheckIn>],
    from: NaiveDate,
    to: NaiveDate,
) -> PainWeek {
    let before_from = from - Duration::days(DAYS_BEFORE);
    let pain_days: Vec<(NaiveDate, u8)> = pain_of(checkins)
        .iter()
        .filter_map(|p| worst_pain(p).map(|w| (p.date, w)))
        .collect();
    let days: Vec<(NaiveDate, u8)> = pain_days
        .iter()
        .copied()
        .filter(|(d, _)| *d >= from && *d <= to)
        .collect();
    let m = mean(days.iter().map(|(_, p)| *p));
    let mb = mean(
        pain_days
            .iter()
            .filter(|(d, _)| *d >= before_from && *d < from)
            .map(|(_, p)| *p),
    );
    let trend = match (m, mb) {
        (Some(a), Some(b)) if a <= b - 1.0 => "better",
        (Some(a), Some(b)) if a >= b + 1.0 => "worse",
        (Some(_), Some(_)) => "same",
        _ => "unknown",
    };
    PainWeek {
        days,
        mean: m,
        mean_before: mb,
        trend,
    }
}

impl App {
    /// This athlete's digest of `week`.
    pub async fn athlete_digest(&self, week: Week) -> Result<AthleteDigest> {
        let (from, to) = (week.monday(), week.sunday());
        let before_from = from - Duration::days(DAYS_BEFORE);
        let data = self.load_data().await?;
        let series = DailySeries::build(&data.runs, LoadUnit::Km, &data.tz(), to);
        let week_running = Running::over(&series, from, to);
        let before = Running::over(&series, before_from, from - Duration::days(1));
        let before_per_week = before.per_week(DAYS_BEFORE);
        let distance_change_pct = (before_per_week.distance_km > 0.0)
            .then(|| (week_running.distance_km / before_per_week.distance_km - 1.0) * 100.0);
        let days = (0..7)
            .map(|i| {
                let date = from + Duration::days(i);
                DayBar {
                    date,
                    distance_km: series.get(date).unwrap_or_default().distance_km,
                }
            })
            .collect();
        let tz = data.tz();
        let uploads = data
            .runs
            .iter()
            .map(|r| r.local_date(&tz))
            .filter(|d| *d >= from && *d <= to)
            .count();

        // The warnings of each day of the week, the latest of each code kept.
        let checkins = self.checkin_entries().await?;
        let mut warnings: Vec<Finding> = Vec::new();
        for i in 0..7 {
            let day = from + Duration::days(i);
            let series_day = DailySeries::build(&data.runs, LoadUnit::Km, &tz, day);
            for w in self
                .risk_over(&data, &checkins, day, &series_day)
                .await?
                .warnings
            {
                match warnings.iter_mut().find(|x| x.code == w.code) {
                    Some(x) => *x = w,
                    None => warnings.push(w),
                }
            }
        }

        let pain = pain_week(&checkins, from, to);
        let checkin_count = checkins
            .iter()
            .filter(|e| e.day >= from && e.day <= to)
            .count();

        let red_flag = self.red_flag_in_force().await?.filter(|r| r.date <= to);

        let run_days: std::collections::BTreeSet<NaiveDate> = data
            .runs
            .iter()
            .filter(|r| r.sport.is_running())
            .map(|r| r.local_date(&tz))
            .collect();
        let plan = self.plan_week(week, to, &data.runs, &run_days).await?;
        let scores = self.score_changes(from, to).await?;
        let shoes = self
            .shoes()
            .await?
            .into_iter()
            .filter(|s| !s.retired)
            .filter_map(|s| {
                s.reminder.map(|reminder| ShoeReminder {
                    name: s.name,
                    km: s.km,
                    retire_km: s.retire_km,
                    reminder,
                })
            })
            .collect();
        let energy = match self.energy_week(Some(from)).await {
            Ok(w) if w.goal_saved => Some(EnergyDigest {
                days_logged: w.week.days_logged,
                mean_energy_availability: w.week.mean_energy_availability,
                balance_kcal: w.week.balance_kcal,
                goal: w.week.goal.clone(),
                warnings: w.week.warnings.iter().map(|x| x.message.clone()).collect(),
            }),
            // No profile to work energy out from, or no goal: no energy section.
            _ => None,
        };
        // The week's instants: local midnights at the athlete's offset that Monday.
        let offset = data
            .clock
            .offset(from.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc());
        let ms = |d: NaiveDate| {
            (d.and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .timestamp()
                - i64::from(offset.local_minus_utc()))
                * 1000
        };
        let comments = self
            .store
            .comments_received(ms(from), ms(to + Duration::days(1)))
            .await?
            .into_iter()
            .map(|c| CommentItem {
                author: c.author_name.unwrap_or_else(|| "Someone".into()),
                on: c.target_kind,
                target_id: c.target_id,
                reply: c.parent.is_some(),
                excerpt: soleus_formats::text::without_hostile(
                    &c.body
                        .chars()
                        .take(200)
                        .collect::<String>()
                        .replace(['\n', '\r', '\t'], " "),
                )
                .into_owned(),
                at: chrono::DateTime::from_timestamp_millis(c.created_ms).unwrap_or_default(),
            })
            .collect();
        Ok(AthleteDigest {
            comments,
            week: week.to_string(),
            from,
            to,
            athlete: self.athlete_id(),
            name: self.athlete_name().await?,
            units: data.athlete.units,
            week_running,
            before_per_week,
            distance_change_pct,
            days,
            warnings,
            red_flag,
            pain,
            checkins: checkin_count,
            plan,
            scores,
            shoes,
            energy,
            uploads,
        })
    }

    /// The athlete's name, as others see it.
    pub(crate) async fn athlete_name(&self) -> Result<Option<String>> {
        let me = self.athlete_id();
        Ok(self
            .db
            .athletes()
            .await?
            .into_iter()
            .find(|a| a.id == me)
            .and_then(|a| a.display_name))
    }

    /// The plan over a week: the stage on Sunday, run days prescribed and done.
    pub(crate) async fn plan_week(
        &self,
        week: Week,
        through: NaiveDate,
        runs: &[soleus_model::load::RunSummary],
        run_days: &std::collections::BTreeSet<NaiveDate>,
    ) -> Result<Option<PlanWeek>> {
        let (mut prescribed, mut done) = (0, 0);
        let mut last = None;
        for i in 0..7 {
            let day = week.monday() + Duration::days(i);
            if day > through {
                break;
            }
            match self.today_of(day, Some(runs)).await? {
                PlanAnswer::Shown(t) => {
                    if t.today.run_today {
                        prescribed += 1;
                        if run_days.contains(&day) {
                            done += 1;
                        }
                    }
                    last = Some(PlanWeek {
                        stage: t.today.stage.clone(),
                        phase: t.today.phase.clone(),
                        runs_prescribed: 0,
                        runs_done: 0,
                        to_move_on: t.today.to_move_on.clone(),
                        paused: t.today.blocked.is_some(),
                        blocked_reason: t.today.blocked.clone(),
                    });
                }
                PlanAnswer::Blocked(b) => {
                    last = Some(PlanWeek {
                        stage: None,
                        phase: None,
                        runs_prescribed: 0,
                        runs_done: 0,
                        to_move_on: vec![],
                        paused: true,
                        blocked_reason: Some(b.blocked.message.clone()),
                    });
                }
                PlanAnswer::NoPlan { .. } => {}
            }
        }
        Ok(last.map(|mut p| {
            p.runs_prescribed = prescribed;
            p.runs_done = done;
            p
        }))
    }

    /// Questionnaire results of `from..=to`, each against the result before it.
    async fn score_changes(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ScoreChange>> {
        let view = self.scores().await?;
        let mut out = Vec::new();
        for steps in view.trends.values() {
            for s in steps
                .iter()
                .filter(|s| s.to_date >= from && s.to_date <= to)
            {
                let scored = view
                    .scores
                    .iter()
                    .find(|r| r.scored.date == s.to_date && r.scored.total == s.to);
                out.push(ScoreChange {
                    instrument: scored.map_or_else(String::new, |r| r.scored.instrument.clone()),
                    date: s.to_date,
                    from: s.from,
                    to: s.to,
                    max: scored.map_or(0, |r| r.scored.max),
                    change: s.change,
                    better: s.better,
                    meaningful: s.comparable && s.thresholds.iter().any(|t| t.reached),
                });
            }
        }
        out.sort_by(|a, b| (a.date, &a.instrument).cmp(&(b.date, &b.instrument)));
        Ok(out)
    }
}
