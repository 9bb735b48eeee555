//! The shoes page's charts: each shoe's distance, and the share of each week run in each
//! heel-drop class against the most the lower-drop transition plan allows.

use chrono::NaiveDate;
use soleus_app::shoes::{ShoeListed, class_words};
use soleus_model::Units;
use soleus_model::shoes::{DropClass, DropShare};

use crate::chart::{self, Axis, Line, Lines};

/// Each shoe in use: its distance, the ones due for retirement drawn dark.
pub(crate) fn mileage_chart(shoes: &[ShoeListed], units: Units) -> Option<String> {
    let per = units.distance.metres() / 1000.0;
    let bars: Vec<chart::Bar> = shoes
        .iter()
        .filter(|s| !s.retired)
        .map(|s| {
            let name: String = if s.name.chars().count() > 14 {
                s.name.chars().take(13).chain(['…']).collect()
            } else {
                s.name.clone()
            };
            chart::Bar {
                label: name,
                value: s.km / per,
                highlight: s.reminder.is_some(),
            }
        })
        .collect();
    if bars.iter().all(|b| b.value <= 0.0) {
        return None;
    }
    let unit = units.distance.label();
    Some(chart::bars(
        "mileage",
        &format!(
            "Distance on each shoe in use, in {unit}; {} near or past its retirement distance",
            match bars.iter().filter(|b| b.highlight).count() {
                0 => "none".to_owned(),
                n => n.to_string(),
            }
        ),
        "One bar per shoe in use; a darker bar is near or past its retirement distance. The numbers are in the table of shoes.",
        unit,
        &bars,
    ))
}

/// The plan's allowed share against the share of each week run in each drop class.
pub(crate) fn share_chart(
    shares: &[&DropShare],
    allowed: &dyn Fn(NaiveDate) -> Option<f64>,
) -> Option<String> {
    if shares.iter().all(|w| w.total_km <= 0.0) {
        return None;
    }
    let x = |i: usize| i as f64;
    let classes = ["s2", "s3", "s4", "s5"];
    let mut lines = vec![];
    let plan: Vec<(f64, Option<f64>)> = shares
        .iter()
        .enumerate()
        .map(|(i, w)| (x(i), allowed(w.week_start)))
        .collect();
    if plan.iter().any(|p| p.1.is_some()) {
        lines.push(Line {
            label: "Plan: most allowed lower-drop".into(),
            class: "s1",
            points: plan,
            right: false,
            markers: false,
        });
    }
    for (k, class) in DropClass::ALL.iter().zip(classes) {
        let pts: Vec<(f64, Option<f64>)> = shares
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let pct = w.by_class.iter().find(|c| c.0 == *k).map(|c| c.2);
                (x(i), (w.total_km > 0.0).then_some(pct.unwrap_or(0.0)))
            })
            .collect();
        if pts.iter().any(|p| p.1.is_some_and(|v| v > 0.0)) {
            lines.push(Line {
                label: class_words(*k).into(),
                class,
                points: pts,
                right: false,
                markers: true,
            });
        }
    }
    let n = shares.len();
    let every = n.div_ceil(6).max(1);
    chart::lines(&Lines {
        id: "drop-chart".into(),
        title: "Share of each week's distance by heel drop, against the transition plan".into(),
        desc: format!(
            "{n} weeks from {}: each line is the percentage of the week's running in one drop class{}; the numbers are in the table after the chart.",
            shares[0].week_start,
            if lines.first().is_some_and(|l| l.class == "s1") {
                ", and the solid line is the most the plan allows in lower-drop shoes"
            } else {
                ""
            }
        ),
        x_ticks: (0..n)
            .step_by(every)
            .map(|i| (x(i), shares[i].week_start.format("%b %-d").to_string()))
            .collect(),
        left: Axis {
            range: Some((0.0, 100.0)),
            ..Axis::new("% of week", chart::whole)
        },
        right: None,
        lines,
        shades: vec![],
        columns: vec![],
        columns_label: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(start: &str, total: f64, zero_pct: f64) -> DropShare {
        DropShare {
            week_start: start.parse().unwrap(),
            total_km: total,
            by_class: vec![
                (DropClass::Zero, total * zero_pct / 100.0, zero_pct),
                (
                    DropClass::High,
                    total * (100.0 - zero_pct) / 100.0,
                    100.0 - zero_pct,
                ),
            ],
            unknown_km: 0.0,
        }
    }

    #[test]
    fn the_plan_is_drawn_against_each_class_run() {
        let weeks = [
            week("2026-11-02", 20.0, 0.0),
            week("2026-11-09", 20.0, 15.0),
        ];
        let shares: Vec<&DropShare> = weeks.iter().collect();
        let start: NaiveDate = "2026-11-09".parse().unwrap();
        let allowed = move |w: NaiveDate| Some(if w < start { 0.0 } else { 10.0 });
        let svg = share_chart(&shares, &allowed).unwrap();
        assert!(svg.contains("Plan: most allowed lower-drop"));
        assert!(svg.contains("zero drop") && svg.contains("high drop, 9 mm or more"));
        assert!(!svg.contains("mid drop"), "a class never run is not drawn");
        // Zero drop ran 15 % against the plan's 10 %: both points are on the 0–100 axis.
        assert_eq!(
            svg.matches("<circle").count(),
            4,
            "two weeks of two classes"
        );
        assert!(svg.contains("the solid line is the most the plan allows"));
        let nothing = [week("2026-11-02", 0.0, 0.0)];
        assert!(share_chart(&nothing.iter().collect::<Vec<_>>(), &|_| None).is_none());
    }
}
