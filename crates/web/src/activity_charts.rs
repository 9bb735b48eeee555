//! The activity page's charts from the samples: elevation, pace and heart rate against
//! distance (or time, when the file has no distance), downsampled for size, each with a table
//! of the same numbers averaged over a few stretches.

use soleus_model::Units;
use soleus_model::activity::Sample;
use soleus_model::units::{DistanceUnit, METRES_PER_FOOT};

use crate::chart::{self, Axis, Line, Lines};

/// Points a chart draws at most: the shape of a marathon, small enough for a phone.
const CHART_POINTS: usize = 240;
/// Rows of the table behind each chart.
const TABLE_ROWS: usize = 20;

/// A series as (x, y) points; `None` is a gap.
type Points = Vec<(f64, Option<f64>)>;

/// A chart and the numbers behind it.
pub struct Chart {
    pub(crate) id: &'static str,
    pub(crate) heading: &'static str,
    pub(crate) svg: String,
    pub(crate) caption: String,
    pub(crate) x_head: String,
    pub(crate) y_head: String,
    pub(crate) rows: Vec<(String, String)>,
}

/// The x of each sample: distance in the athlete's unit when the file has it, else minutes.
fn x_axis(samples: &[Sample], units: Units) -> (Vec<Option<f64>>, String, bool) {
    let per = units.distance.metres();
    if samples.iter().filter(|s| s.dist.is_some()).count() * 2 > samples.len() {
        let label = units.distance.label().to_owned();
        (
            samples.iter().map(|s| s.dist.map(|d| d / per)).collect(),
            label,
            true,
        )
    } else {
        let t0 = samples.first().map_or(0.0, |s| s.t);
        (
            samples.iter().map(|s| Some((s.t - t0) / 60.0)).collect(),
            "min".to_owned(),
            false,
        )
    }
}

/// Speed in m/s at each sample: the device's, else from distance over the last few samples.
fn speeds(samples: &[Sample]) -> Vec<Option<f64>> {
    const BACK: usize = 5;
    (0..samples.len())
        .map(|i| {
            samples[i].speed.or_else(|| {
                let j = i.checked_sub(BACK)?;
                let (a, b) = (&samples[j], &samples[i]);
                let dt = b.t - a.t;
                let dd = b.dist? - a.dist?;
                (dt > 0.0).then_some(dd / dt)
            })
        })
        .collect()
}

pub(crate) fn charts(samples: &[Sample], units: Units, title: &str) -> Vec<Chart> {
    if samples.len() < 2 {
        return Vec::new();
    }
    let (xs, x_unit, by_distance) = x_axis(samples, units);
    let x_head = if by_distance {
        format!("Distance, {x_unit}")
    } else {
        "Time, min".to_owned()
    };
    let series = |f: &dyn Fn(&Sample, usize) -> Option<f64>| -> Vec<(f64, Option<f64>)> {
        samples
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((xs[i]?, f(s, i))))
            .collect()
    };
    let feet = units.distance == DistanceUnit::Miles;
    let elev_unit = if feet { "ft" } else { "m" };
    let elevation = series(&|s, _| {
        s.alt
            .filter(|a| a.is_finite())
            .map(|a| if feet { a / METRES_PER_FOOT } else { a })
    });
    let v = speeds(samples);
    // Slower than 30 minutes a kilometre is standing still, not pace.
    let speed = series(&|_, i| v[i].filter(|v| *v > 1000.0 / 1800.0));
    let hr = series(&|s, _| s.hr.filter(|h| *h > 0).map(f64::from));
    let per = units.distance.metres();
    let pace_of = |pts: Vec<(f64, Option<f64>)>| -> Vec<(f64, Option<f64>)> {
        pts.into_iter()
            .map(|(x, v)| (x, v.map(|v| per / v / 60.0)))
            .collect()
    };
    let pace_unit = format!("min/{}", units.distance.label());
    let mut out = Vec::new();
    let mut add = |id: &'static str,
                   heading: &'static str,
                   what: String,
                   axis: Axis,
                   raw: Vec<(f64, Option<f64>)>,
                   convert: &dyn Fn(Points) -> Points,
                   y_head: String,
                   fmt: &dyn Fn(f64) -> String| {
        let known: Vec<f64> = raw.iter().filter_map(|p| p.1).collect();
        if known.len() < 2 {
            return;
        }
        let drawn = convert(chart::downsample(&raw, CHART_POINTS));
        let table = convert(chart::downsample(&raw, TABLE_ROWS));
        let (x0, x1) = (drawn[0].0, drawn[drawn.len() - 1].0);
        let x_ticks = (0..=4)
            .map(|i| {
                let x = x0 + (x1 - x0) * f64::from(i) / 4.0;
                (x, format!("{x:.1} {x_unit}"))
            })
            .collect();
        let ys: Vec<f64> = drawn.iter().filter_map(|p| p.1).collect();
        let (lo, hi) = ys
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
        let desc = format!(
            "{what} from {} to {} over {:.1} {x_unit}; the numbers are in the table after the chart.",
            fmt(lo),
            fmt(hi),
            x1 - x0
        );
        let svg = chart::lines(&Lines {
            id: format!("{id}-chart"),
            title: format!("{what} of {title}"),
            desc: desc.clone(),
            x_ticks,
            left: axis,
            right: None,
            lines: vec![Line {
                label: what.clone(),
                class: "s1",
                points: drawn,
                right: false,
                markers: false,
            }],
            shades: vec![],
            columns: vec![],
            columns_label: String::new(),
        });
        if let Some(svg) = svg {
            out.push(Chart {
                id,
                heading,
                svg,
                caption: desc,
                x_head: x_head.clone(),
                y_head,
                rows: table
                    .iter()
                    .map(|(x, y)| (format!("{x:.2}"), y.map_or_else(|| "—".into(), fmt)))
                    .collect(),
            });
        }
    };
    add(
        "elevation",
        "Elevation",
        "Elevation".into(),
        Axis::new(elev_unit, chart::whole),
        elevation,
        &|p| p,
        format!("Elevation, {elev_unit}"),
        &|v| format!("{v:.0} {elev_unit}"),
    );
    let pace_fmt = |v: f64| format!("{} {pace_unit}", chart::min_sec(v));
    add(
        "pace",
        "Pace",
        "Pace".into(),
        Axis {
            inverted: true,
            ..Axis::new(pace_unit.clone(), chart::min_sec)
        },
        speed,
        &pace_of,
        format!("Pace, {pace_unit}"),
        &pace_fmt,
    );
    add(
        "hr",
        "Heart rate",
        "Heart rate".into(),
        Axis::new("bpm", chart::whole),
        hr,
        &|p| p,
        "Heart rate, bpm".into(),
        &|v| format!("{v:.0} bpm"),
    );
    out
}
