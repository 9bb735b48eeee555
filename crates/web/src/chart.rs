//! Small server-side SVG charts: no script, no inline style (colours come from the
//! stylesheet's classes), every text escaped, each with a title for screen readers; the page
//! puts the numbers in a table beside it.

use std::fmt::Write;

mod lines;
pub use lines::{Axis, Line, Lines, Shade, downsample, lines, min_sec, tenths, whole};

/// Text made safe inside SVG or HTML.
pub use soleus_app::text::html_escape as escape;

/// One bar: its label under the axis, its value, whether it is the one to look at.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Under the bar (`Nov 23`).
    pub label: String,
    /// Its height, in the chart's unit.
    pub value: f64,
    /// Drawn in the highlight colour (this week).
    pub highlight: bool,
}

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 32.0;
const TOP: f64 = 16.0;

/// A bar chart titled `title` and described by `desc`, values in `unit`, labelled by the
/// element `id`.
pub fn bars(id: &str, title: &str, desc: &str, unit: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let (top, step) = bar_axis(max);
    let places = decimals(step);
    let plot_h = H - BOTTOM - TOP;
    let slot = (W - LEFT) / bars.len().max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    let steps = (top / step).round() as u32;
    for i in 0..=steps {
        let v = step * f64::from(i);
        let y = TOP + plot_h - plot_h * v / top;
        let _ = write!(
            s,
            r#"<line class="grid" x1="{LEFT}" x2="{W}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{v:.places$}</text>"#,
            LEFT - 6.0,
            y + 4.0,
        );
    }
    let _ = write!(
        s,
        r#"<text class="tick" x="4" y="{:.1}">{}</text>"#,
        TOP - 4.0,
        escape(unit)
    );
    for (i, b) in bars.iter().enumerate() {
        let h = plot_h * b.value.max(0.0) / top;
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let y = TOP + plot_h - h;
        let class = if b.highlight { "bar now" } else { "bar" };
        let _ = write!(
            s,
            r#"<rect class="{class}" x="{x:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}"/><text class="value" x="{:.1}" y="{:.1}" text-anchor="middle">{:.1}</text><text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            slot * 0.7,
            x + slot * 0.35,
            (y - 4.0).max(TOP),
            b.value,
            x + slot * 0.35,
            H - BOTTOM + 18.0,
            escape(&b.label)
        );
    }
    s.push_str("</svg>");
    s
}

/// One point of a trend: its label under the axis and its value.
#[derive(Debug, Clone)]
pub struct Point {
    /// Under the point (`2026-05-01`).
    pub label: String,
    /// Its value, in the chart's unit.
    pub value: f64,
}

/// A band drawn behind a trend: from `low` to `high`, named by `label`.
#[derive(Debug, Clone)]
pub struct Band {
    /// The band's lower edge.
    pub low: f64,
    /// Its upper edge.
    pub high: f64,
    /// What it means, written beside it.
    pub label: String,
}

/// A line chart of `points` on an axis from 0 to `max`, with an optional `band` (the
/// smallest meaningful change around the first result), titled `title` and described by
/// `desc` for screen readers.
pub fn trend(
    id: &str,
    title: &str,
    desc: &str,
    max: f64,
    points: &[Point],
    band: Option<&Band>,
) -> String {
    let top = if max > 0.0 { max } else { 1.0 };
    let plot_h = H - BOTTOM - TOP;
    let plot_w = W - LEFT - 16.0;
    let x_of = |i: usize| {
        if points.len() <= 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let y_of = |v: f64| TOP + plot_h - plot_h * (v.clamp(0.0, top) / top);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart trend" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    if let Some(b) = band {
        let (y1, y2) = (y_of(b.high), y_of(b.low));
        let _ = write!(
            s,
            r#"<rect class="band" x="{LEFT}" y="{y1:.1}" width="{plot_w:.1}" height="{:.1}"/><text class="band-label" x="{:.1}" y="{:.1}">{}</text>"#,
            (y2 - y1).max(1.0),
            LEFT + 4.0,
            (y1 - 4.0).max(TOP + 10.0),
            escape(&b.label)
        );
    }
    for i in 0..=4 {
        let v = top * f64::from(i) / 4.0;
        let y = y_of(v);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{v:.0}</text>"#,
            LEFT + plot_w,
            LEFT - 6.0,
            y + 4.0
        );
    }
    if points.len() > 1 {
        let mut d = String::new();
        for (i, p) in points.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1} {:.1} ",
                if i == 0 { "M" } else { "L" },
                x_of(i),
                y_of(p.value)
            );
        }
        let _ = write!(s, r#"<path class="line" d="{}"/>"#, d.trim_end());
    }
    for (i, p) in points.iter().enumerate() {
        let (x, y) = (x_of(i), y_of(p.value));
        let _ = write!(
            s,
            r#"<circle class="point" cx="{x:.1}" cy="{y:.1}" r="4"/><text class="value" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            (y - 8.0).max(TOP),
            p.value,
            H - BOTTOM + 18.0,
            escape(&p.label)
        );
    }
    s.push_str("</svg>");
    s
}

/// A bar axis from zero over values up to `max`: its top and its tick step, a step of 1, 2,
/// 2.5 or 5 times a power of ten with at most four steps to the top, so that every tick is a
/// value the axis really passes. With nothing above zero (no running yet) the axis counts
/// whole units, 0 to 4, rather than inventing fractions.
fn bar_axis(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (4.0, 1.0);
    }
    let step = lines::nice_step(max);
    ((max / step).ceil() * step, step)
}

/// How many decimals write every multiple of `step` exactly (2.5 → 1, 0.25 → 2).
fn decimals(step: f64) -> usize {
    (0..6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6) as usize
}

/// The route traced from `(lat, lon)` points in degrees, as a line scaled into a square
/// (north up, an equirectangular projection about the route's middle latitude).
pub fn route(id: &str, title: &str, points: &[(f64, f64)]) -> Option<String> {
    if points.len() < 2 {
        return None;
    }
    let mid_lat = points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
    let k = mid_lat.to_radians().cos();
    let xy: Vec<(f64, f64)> = points.iter().map(|(lat, lon)| (lon * k, *lat)).collect();
    let (min_x, max_x) = min_max(xy.iter().map(|p| p.0));
    let (min_y, max_y) = min_max(xy.iter().map(|p| p.1));
    let span = (max_x - min_x).max(max_y - min_y);
    if span <= 0.0 || !span.is_finite() {
        return None;
    }
    const SIDE: f64 = 320.0;
    const PAD: f64 = 10.0;
    let scale = (SIDE - 2.0 * PAD) / span;
    let off_x = PAD + (SIDE - 2.0 * PAD - (max_x - min_x) * scale) / 2.0;
    let off_y = PAD + (SIDE - 2.0 * PAD - (max_y - min_y) * scale) / 2.0;
    // At most about 1,000 points: enough for the shape, small enough for a phone.
    let step = (xy.len() / 1000).max(1);
    let mut path = String::new();
    for (i, (x, y)) in xy.iter().step_by(step).enumerate() {
        let px = off_x + (x - min_x) * scale;
        let py = off_y + (max_y - y) * scale;
        let _ = write!(path, "{}{px:.1} {py:.1} ", if i == 0 { "M" } else { "L" });
    }
    Some(format!(
        r#"<svg class="route" viewBox="0 0 {SIDE} {SIDE}" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><path class="trace" d="{}"/></svg>"#,
        escape(title),
        path.trim_end()
    ))
}

fn min_max(it: impl Iterator<Item = f64>) -> (f64, f64) {
    it.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_scale_to_the_largest() {
        let svg = bars(
            "w",
            "Weekly <distance>",
            "Two <weeks>",
            "km",
            &[
                Bar {
                    label: "a&b".into(),
                    value: 10.0,
                    highlight: false,
                },
                Bar {
                    label: "now".into(),
                    value: 20.0,
                    highlight: true,
                },
            ],
        );
        assert!(svg.contains("Weekly &lt;distance&gt;") && svg.contains("a&amp;b"));
        assert!(!svg.contains("<distance>") && svg.contains("Two &lt;weeks&gt;"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains(r#"class="bar now""#));
        assert_eq!(bar_axis(20.0), (20.0, 5.0));
        assert_eq!(bar_axis(21.0), (30.0, 10.0));
    }

    /// The text of every tick on the left of a bar chart, bottom up.
    fn bar_ticks(values: &[f64]) -> Vec<String> {
        let bars: Vec<Bar> = values
            .iter()
            .map(|&value| Bar {
                label: "w".into(),
                value,
                highlight: false,
            })
            .collect();
        let svg = super::bars("w", "t", "d", "km", &bars);
        svg.split(r#"text-anchor="end">"#)
            .skip(1)
            .map(|t| t[..t.find('<').unwrap()].to_owned())
            .collect()
    }

    #[test]
    fn every_bar_tick_is_a_value_the_axis_passes() {
        // All weeks empty: whole units, not quarter steps written with mixed decimals.
        assert_eq!(bar_ticks(&[0.0, 0.0, 0.0]), ["0", "1", "2", "3", "4"]);
        // A top of 25 once gave ticks at 6.25, 12.5 and 18.75 written 6, 13 and 19.
        assert_eq!(bar_ticks(&[21.0, 3.0]), ["0", "10", "20", "30"]);
        assert_eq!(bar_ticks(&[1.8]), ["0.0", "0.5", "1.0", "1.5", "2.0"]);
        assert_eq!(bar_ticks(&[0.9]), ["0.00", "0.25", "0.50", "0.75", "1.00"]);
    }

    #[test]
    fn a_trend_draws_each_point_and_the_band_inside_the_axis() {
        let pts = [
            Point {
                label: "2026-05-01".into(),
                value: 40.0,
            },
            Point {
                label: "<b>".into(),
                value: 60.0,
            },
        ];
        let band = Band {
            low: 26.0,
            high: 54.0,
            label: "±14".into(),
        };
        let svg = trend("t", "VISA-A", "two results", 100.0, &pts, Some(&band));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("<desc id=\"t-desc\">two results</desc>"));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        // 0–100 over 192 px of plot: 54 is at 16 + 192 − 103.68 = 104.3, 26 at 158.1.
        assert!(svg.contains(r#"class="band" x="48" y="104.3""#), "{svg}");
        assert!(svg.contains(r#"height="53.8""#), "{svg}");
    }

    #[test]
    fn a_route_needs_two_distinct_points() {
        assert!(route("r", "t", &[(51.0, 0.0)]).is_none());
        assert!(route("r", "t", &[(51.0, 0.0), (51.0, 0.0)]).is_none());
        let svg = route("r", "t", &[(51.0, 0.0), (51.01, 0.01)]).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains(r#"d="M"#));
    }
}
