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
    let top = nice_ceiling(max);
    let plot_h = H - BOTTOM - TOP;
    let slot = (W - LEFT) / bars.len().max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    for i in 0..=4 {
        let v = top * f64::from(i) / 4.0;
        let y = TOP + plot_h - plot_h * f64::from(i) / 4.0;
        let _ = write!(
            s,
            r#"<line class="grid" x1="{LEFT}" x2="{W}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 6.0,
            y + 4.0,
            // A small axis (an empty week's 0 to 1) needs its decimals.
            if top < 4.0 {
                tenths(v)
            } else {
                format!("{v:.0}")
            }
        );
    }
    let _ = write!(
        s,
        r#"<text class="tick" x="4" y="{:.1}">{}</text>"#,
        TOP - 4.0,
        escape(unit)
    );
    for (i, b) in bars.iter().enumerate() {
        let h = if top > 0.0 {
            plot_h * b.value / top
        } else {
            0.0
        };
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

/// A round number at or above `v` for the top of an axis.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * magnitude)
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
        assert_eq!(nice_ceiling(20.0), 20.0);
        assert_eq!(nice_ceiling(21.0), 25.0);
    }

    #[test]
    fn a_route_needs_two_distinct_points() {
        assert!(route("r", "t", &[(51.0, 0.0)]).is_none());
        assert!(route("r", "t", &[(51.0, 0.0), (51.0, 0.0)]).is_none());
        let svg = route("r", "t", &[(51.0, 0.0), (51.01, 0.01)]).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains(r#"d="M"#));
    }
}
