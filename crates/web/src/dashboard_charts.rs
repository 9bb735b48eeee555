//! The dashboard's charts over the last twelve weeks: the three acute:chronic ratios with the
//! contested band shaded and labelled, fitness, fatigue and form, and the check-ins' pain drawn
//! over each day's distance. Each comes with the numbers behind it.

use soleus_app::dashboard::{ContestedBand, DashboardView};
use soleus_app::plan::{PlanAnswer, TodayView};
use soleus_model::Units;
use soleus_model::load::{DayMetrics, PainCheckIn, Rules};

use crate::chart::{self, Axis, Line, Lines, Shade};

/// A chart, what it says, and its table.
pub struct Block {
    /// The SVG, or `None` when there is nothing to draw yet.
    pub svg: Option<String>,
    /// Why there is no chart, or what to read in it.
    pub caption: String,
    /// The table's column heads.
    pub head: Vec<String>,
    /// The table's rows, a label first.
    pub rows: Vec<Vec<String>>,
}

fn or_dash(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or_else(|| "—".to_owned(), f)
}

/// Date labels every two weeks under a daily x axis.
fn ticks(days: &[DayMetrics]) -> Vec<(f64, String)> {
    days.iter()
        .enumerate()
        .filter(|(i, _)| (days.len() - 1 - i).is_multiple_of(14))
        .map(|(i, d)| (i as f64, d.date.format("%b %-d").to_string()))
        .collect()
}

/// The three ratios with the contested band.
pub fn ratios(days: &[DayMetrics], band: Option<&ContestedBand>) -> Block {
    let series = |f: fn(&DayMetrics) -> Option<f64>| -> Vec<(f64, Option<f64>)> {
        days.iter()
            .enumerate()
            .map(|(i, d)| (i as f64, f(d)))
            .collect()
    };
    let any = days
        .iter()
        .any(|d| d.acwr_rac.is_some() || d.acwr_rau.is_some() || d.acwr_ewma.is_some());
    let band_words = band.map_or_else(String::new, |b| {
        format!(
            " The shaded band, {:.1} to {:.1}, is the \"sweet spot\" of {}; it is CONTESTED and is not a clinical threshold (nor is {:.1}, once called a danger zone).",
            b.low,
            b.high,
            soleus_model::references::cite_all(&[b.reference]),
            b.danger
        )
    });
    let svg = if any && !days.is_empty() {
        chart::lines(&Lines {
            id: "acwr-chart".into(),
            title: "Acute:chronic workload ratios, the last twelve weeks".into(),
            desc: format!(
                "The coupled, uncoupled and exponentially weighted ratios of the last 7 days' distance to the last 28 days'.{band_words} The numbers are in the table after the chart."
            ),
            x_ticks: ticks(days),
            left: Axis {
                from_zero: true,
                ..Axis::new("ratio", chart::tenths)
            },
            right: None,
            lines: vec![
                Line {
                    label: "Coupled".into(),
                    class: "s1",
                    points: series(|d| d.acwr_rac),
                    right: false,
                    markers: false,
                },
                Line {
                    label: "Uncoupled".into(),
                    class: "s2",
                    points: series(|d| d.acwr_rau),
                    right: false,
                    markers: false,
                },
                Line {
                    label: "EWMA".into(),
                    class: "s3",
                    points: series(|d| d.acwr_ewma),
                    right: false,
                    markers: false,
                },
            ],
            shades: band
                .map(|b| Shade {
                    from: b.low,
                    to: b.high,
                    label: format!(
                        "CONTESTED {:.1}–{:.1} ({})",
                        b.low,
                        b.high,
                        soleus_model::references::cite_all(&[b.reference])
                    ),
                })
                .into_iter()
                .collect(),
            columns: vec![],
            columns_label: String::new(),
        })
    } else {
        None
    };
    Block {
        caption: if svg.is_some() {
            format!("Information only, never a gate.{band_words}")
        } else {
            "No ratio yet: the ratios need 28 days of history.".into()
        },
        svg,
        head: vec![
            "Day".into(),
            "Coupled".into(),
            "Uncoupled".into(),
            "EWMA".into(),
        ],
        rows: weekly(days)
            .map(|d| {
                vec![
                    d.date.to_string(),
                    or_dash(d.acwr_rac, |v| format!("{v:.2}")),
                    or_dash(d.acwr_rau, |v| format!("{v:.2}")),
                    or_dash(d.acwr_ewma, |v| format!("{v:.2}")),
                ]
            })
            .collect(),
    }
}

/// Every seventh day, ending on the last: the rows of a table behind a daily chart.
fn weekly(days: &[DayMetrics]) -> impl Iterator<Item = &DayMetrics> {
    let n = days.len();
    days.iter()
        .enumerate()
        .filter(move |(i, _)| (n - 1 - i).is_multiple_of(7))
        .map(|(_, d)| d)
}

/// Fitness (CTL), fatigue (ATL) and form (TSB) in the athlete's distance a day.
pub fn fitness(days: &[DayMetrics], units: Units) -> Block {
    let per = units.distance.metres() / 1000.0;
    let unit = format!("{}/day", units.distance.label());
    let series = |f: fn(&DayMetrics) -> f64| -> Vec<(f64, Option<f64>)> {
        days.iter()
            .enumerate()
            .map(|(i, d)| (i as f64, Some(f(d) / per)))
            .collect()
    };
    // A fitness decayed to a few metres a day is none worth drawing.
    let any = days.iter().any(|d| d.ctl > 0.01 || d.atl > 0.01);
    let svg = if any {
        chart::lines(&Lines {
            id: "pmc-chart".into(),
            title: format!("Fitness, fatigue and form in {unit}, the last twelve weeks"),
            desc: "Fitness is the 42-day weighted mean of daily distance, fatigue the 7-day one, and form the day before's fitness minus its fatigue (negative while fatigue is higher). The numbers are in the table after the chart.".into(),
            x_ticks: ticks(days),
            left: Axis {
                from_zero: true,
                ..Axis::new(unit.clone(), chart::tenths)
            },
            right: None,
            lines: vec![
                Line {
                    label: "Fitness (CTL)".into(),
                    class: "s1",
                    points: series(|d| d.ctl),
                    right: false,
                    markers: false,
                },
                Line {
                    label: "Fatigue (ATL)".into(),
                    class: "s2",
                    points: series(|d| d.atl),
                    right: false,
                    markers: false,
                },
                Line {
                    label: "Form (TSB)".into(),
                    class: "s3",
                    points: series(|d| d.tsb),
                    right: false,
                    markers: false,
                },
            ],
            shades: vec![],
            columns: vec![],
            columns_label: String::new(),
        })
    } else {
        None
    };
    Block {
        caption: if svg.is_some() {
            "Impulse-response model, time constants 42 and 7 days (as GoldenCheetah and TrainingPeaks).".into()
        } else {
            "No runs in these twelve weeks.".into()
        },
        svg,
        head: vec![
            "Day".into(),
            format!("Fitness, {unit}"),
            format!("Fatigue, {unit}"),
            format!("Form, {unit}"),
        ],
        rows: weekly(days)
            .map(|d| {
                vec![
                    d.date.to_string(),
                    format!("{:.1}", d.ctl / per),
                    format!("{:.1}", d.atl / per),
                    format!("{:+.1}", d.tsb / per),
                ]
            })
            .collect(),
    }
}

/// What pain is acceptable, as the caption of the pain chart says it: the plan's own limit
/// when a plan is shown (its progression model's, as today's exercises say it), else the
/// pain-monitoring model's limit that the overload checks use (RUNNING_THROUGH_PAIN).
pub fn acceptable_pain(today: &PlanAnswer<TodayView>) -> String {
    match today {
        PlanAnswer::Shown(t) => match t.pain_limit {
            Some(0) => {
                "Your plan is pain-free only: any pain during or after a session steps it back."
                    .into()
            }
            Some(n) => format!(
                "Your plan accepts pain up to {n} of 10 during and after a session, settled by the next morning; above {n} it steps back."
            ),
            None => "Your plan's pain limits are as a clinician has advised.".into(),
        },
        _ => {
            let max = Rules::builtin()
                .get("RUNNING_THROUGH_PAIN")
                .map_or(f64::NAN, |r| r.t("max_pain"));
            format!(
                "Pain up to {max:.0} of 10 during a run is acceptable if it settles by the next morning (pain-monitoring model, for tendon and fascia pain: bone pain is never run through)."
            )
        }
    }
}

/// The check-ins' pain (0–10) over each day's distance; `acceptable` is what the caption
/// says is acceptable ([`acceptable_pain`]).
pub fn pain(days: &[DayMetrics], pain: &[PainCheckIn], units: Units, acceptable: String) -> Block {
    let per = units.distance.metres() / 1000.0;
    let unit = units.distance.label();
    let at = |p: &PainCheckIn| days.iter().position(|d| d.date == p.date);
    let series = |f: fn(&PainCheckIn) -> Option<u8>| -> Vec<(f64, Option<f64>)> {
        pain.iter()
            .filter_map(|p| Some((at(p)? as f64, f(p).map(f64::from))))
            .collect()
    };
    let columns: Vec<(f64, f64)> = days
        .iter()
        .enumerate()
        .map(|(i, d)| (i as f64, d.distance_km / per))
        .collect();
    let svg = if pain.is_empty() || days.is_empty() {
        None
    } else {
        chart::lines(&Lines {
            id: "pain-chart".into(),
            title: "Pain from the check-ins over each day's distance, the last twelve weeks".into(),
            desc: format!(
                "Columns are each day's distance in {unit} (left axis); the lines are pain during the run, after it and the next morning, 0 to 10 (right axis), one marker per check-in. The numbers are in the table after the chart."
            ),
            x_ticks: ticks(days),
            left: Axis {
                from_zero: true,
                ..Axis::new(unit, chart::whole)
            },
            right: Some(Axis {
                range: Some((0.0, 10.0)),
                ..Axis::new("pain 0–10", chart::whole)
            }),
            lines: vec![
                Line {
                    label: "During".into(),
                    class: "s4",
                    points: series(|p| p.during_run),
                    right: true,
                    markers: true,
                },
                Line {
                    label: "After".into(),
                    class: "s2",
                    points: series(|p| p.after_run),
                    right: true,
                    markers: true,
                },
                Line {
                    label: "Next morning".into(),
                    class: "s5",
                    points: series(|p| p.next_morning),
                    right: true,
                    markers: true,
                },
            ],
            shades: vec![],
            columns,
            columns_label: format!("Distance, {unit}"),
        })
    };
    let km = |d: chrono::NaiveDate| {
        days.iter().find(|x| x.date == d).map_or_else(
            || "—".to_owned(),
            |x| units.distance(x.distance_km * 1000.0),
        )
    };
    let n = |v: Option<u8>| v.map_or_else(|| "—".to_owned(), |v| v.to_string());
    Block {
        caption: if svg.is_some() {
            acceptable
        } else {
            "No check-in with pain in these twelve weeks: the check-in page records it.".into()
        },
        svg,
        head: vec![
            "Day".into(),
            "Distance".into(),
            "During".into(),
            "After".into(),
            "Next morning".into(),
        ],
        rows: pain
            .iter()
            .map(|p| {
                vec![
                    p.date.to_string(),
                    km(p.date),
                    n(p.during_run),
                    n(p.after_run),
                    n(p.next_morning),
                ]
            })
            .collect(),
    }
}

/// All three, for the dashboard.
pub fn all(view: &DashboardView, units: Units) -> Vec<(&'static str, &'static str, Block)> {
    vec![
        (
            "acwr",
            "Acute:chronic ratios",
            ratios(&view.days, view.acwr_band.as_ref()),
        ),
        (
            "pmc",
            "Fitness, fatigue and form",
            fitness(&view.days, units),
        ),
        (
            "pain",
            "Pain over the load",
            pain(&view.days, &view.pain, units, acceptable_pain(&view.today)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(i: i64, rac: Option<f64>) -> DayMetrics {
        DayMetrics {
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i),
            load: 5.0,
            distance_km: 5.0,
            duration_s: 1800.0,
            ascent_m: 0.0,
            descent_m: 0.0,
            runs: 1,
            acwr_rac: rac,
            acwr_rau: rac.map(|r| r * 1.1),
            acwr_ewma: rac,
            monotony: None,
            strain: None,
            ctl: 3.0,
            atl: 5.0,
            tsb: -2.0,
            ramp: 0.0,
        }
    }

    #[test]
    fn the_ratio_chart_shades_the_band_from_the_rules_and_labels_it_contested() {
        let days: Vec<DayMetrics> = (0..40).map(|i| day(i, (i >= 27).then_some(1.4))).collect();
        let band = ContestedBand::builtin("note").unwrap();
        let b = ratios(&days, Some(&band));
        let svg = b.svg.unwrap();
        assert!(svg.contains(r#"class="shade""#));
        // The study as people cite it (data/references.toml), never its key.
        assert!(
            svg.contains("CONTESTED 0.8–1.3 (Gabbett 2016, Br J Sports Med)"),
            "{svg}"
        );
        assert!(!svg.contains("Gabbett16"), "{svg}");
        assert!(b.caption.contains("CONTESTED") && b.caption.contains("not a clinical threshold"));
        // Without a band in the rules nothing is shaded.
        assert!(
            !ratios(&days, None)
                .svg
                .unwrap()
                .contains(r#"class="shade""#)
        );
        // Before 28 days there is no ratio and no chart, only the reason.
        let early: Vec<DayMetrics> = (0..10).map(|i| day(i, None)).collect();
        let b = ratios(&early, Some(&band));
        assert!(b.svg.is_none() && b.caption.contains("28 days"));
    }

    #[test]
    fn pain_sits_on_its_day_against_the_right_axis() {
        let days: Vec<DayMetrics> = (0..14).map(|i| day(i, None)).collect();
        let p = PainCheckIn {
            date: days[3].date,
            during_run: Some(6),
            after_run: None,
            next_morning: Some(2),
        };
        let b = pain(&days, &[p], Units::default(), "acceptable".into());
        let svg = b.svg.unwrap();
        assert_eq!(
            svg.matches("<circle").count(),
            2,
            "one marker per pain given"
        );
        assert_eq!(
            svg.matches(r#"class="col""#).count(),
            14 + 1,
            "a column a day and the legend's"
        );
        assert_eq!(
            b.rows,
            vec![vec![
                days[3].date.to_string(),
                "5.00 km".to_owned(),
                "6".into(),
                "—".into(),
                "2".into()
            ]]
        );
    }
}
