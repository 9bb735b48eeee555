//! Line charts: one or more series over a shared x axis, an optional second y axis on the
//! right, shaded bands with their label written inside them, and columns under the lines (a
//! day's load under the pain it came with). Every series is named in a legend and drawn with
//! its own dash pattern, so no meaning rests on colour; the page puts the numbers in a table.

use std::fmt::Write;

use super::{escape, min_max};

/// One y axis.
#[derive(Debug, Clone)]
pub struct Axis {
    /// Written above the axis (`km`, `min/km`, `pain 0–10`).
    pub unit: String,
    /// A fixed range, else the data's (rounded out to whole ticks).
    pub range: Option<(f64, f64)>,
    /// Start the axis at zero even when the data does not reach it.
    pub from_zero: bool,
    /// Larger values lower down (pace: faster is higher on the chart).
    pub inverted: bool,
    /// How a tick is written.
    pub tick: fn(f64) -> String,
}

impl Axis {
    /// An axis in `unit` whose ticks are written with `tick`.
    pub fn new(unit: impl Into<String>, tick: fn(f64) -> String) -> Axis {
        Axis {
            unit: unit.into(),
            range: None,
            from_zero: false,
            inverted: false,
            tick,
        }
    }
}

/// Ticks as whole numbers.
pub fn whole(v: f64) -> String {
    format!("{v:.0}")
}

/// Ticks with one decimal, or two where one would round a quarter step away.
pub fn tenths(v: f64) -> String {
    let two = format!("{v:.2}");
    if two.ends_with('0') {
        format!("{v:.1}")
    } else {
        two
    }
}

/// Ticks as minutes and seconds, from minutes.
pub fn min_sec(v: f64) -> String {
    let s = (v * 60.0).round().max(0.0) as i64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// One series: `None` values leave a gap.
#[derive(Debug, Clone)]
pub struct Line {
    /// Its name in the legend.
    pub label: String,
    /// Its stylesheet class (`s1`…`s4`: colour and dash pattern).
    pub class: &'static str,
    /// (x, y) points in x order.
    pub points: Vec<(f64, Option<f64>)>,
    /// Drawn against the right axis.
    pub right: bool,
    /// A marker on every point (sparse series such as check-ins).
    pub markers: bool,
}

/// A band across the chart between two values of the left axis, labelled inside.
#[derive(Debug, Clone)]
pub struct Shade {
    /// Lower edge.
    pub from: f64,
    /// Upper edge.
    pub to: f64,
    /// Written inside the band (`CONTESTED 0.8–1.3`).
    pub label: String,
}

/// A whole chart.
#[derive(Debug, Clone)]
pub struct Lines {
    /// The element id; the title's id is `{id}-title`, the description's `{id}-desc`.
    pub id: String,
    /// What the chart shows.
    pub title: String,
    /// What it says, in a sentence or two, for a screen reader.
    pub desc: String,
    /// Labels under the x axis at these x values.
    pub x_ticks: Vec<(f64, String)>,
    /// The left axis.
    pub left: Axis,
    /// The right axis, for series with `right`.
    pub right: Option<Axis>,
    /// The series.
    pub lines: Vec<Line>,
    /// Bands on the left axis.
    pub shades: Vec<Shade>,
    /// Columns on the left axis under the lines: (x, height).
    pub columns: Vec<(f64, f64)>,
    /// The columns' name in the legend.
    pub columns_label: String,
}

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 44.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 52.0;
/// The width of a character of the legend, in the chart's units, at the largest size the
/// stylesheet writes chart text (19 of 640 on a phone).
const LEGEND_CHAR: f64 = 10.0;
/// The height of a row of the legend.
const LEGEND_ROW: f64 = 20.0;

/// A step of 1, 2, 2.5 or 5 times a power of ten near `span / 4`.
pub(super) fn nice_step(span: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|c| *c >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// Whether the axis's ticks write `step` as itself: whole-number ticks cannot show steps of
/// 2.5 (they would read 0, 3, 5, 8). A tick that is not a plain number (`4:30`) is taken at
/// its word.
fn shows(axis: &Axis, step: f64) -> bool {
    match (axis.tick)(step).parse::<f64>() {
        Ok(v) => (v - step).abs() <= step * 1e-9,
        Err(_) => true,
    }
}

/// The smallest step from `step` up that the axis's ticks write exactly.
fn shown_step(axis: &Axis, mut step: f64) -> f64 {
    for _ in 0..12 {
        if shows(axis, step) {
            break;
        }
        // The next of 1, 2, 2.5, 5 times a power of ten above this one.
        step = nice_step(step * 4.0 * (1.0 + 1e-9));
    }
    step
}

/// The axis's range and tick step over `values`.
fn scale(axis: &Axis, values: impl Iterator<Item = f64>) -> (f64, f64, f64) {
    if let Some((lo, hi)) = axis.range {
        return (lo, hi, shown_step(axis, nice_step(hi - lo)));
    }
    let (mut lo, mut hi) = min_max(values.filter(|v| v.is_finite()));
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if axis.from_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let step = shown_step(axis, nice_step(hi - lo));
    ((lo / step).floor() * step, (hi / step).ceil() * step, step)
}

struct Frame {
    x0: f64,
    x1: f64,
}

impl Frame {
    fn x(&self, v: f64) -> f64 {
        let span = (self.x1 - self.x0).max(1e-9);
        LEFT + (W - LEFT - RIGHT) * (v - self.x0) / span
    }
}

fn y_of(lo: f64, hi: f64, inverted: bool, v: f64) -> f64 {
    let plot = H - TOP - BOTTOM;
    let t = ((v - lo) / (hi - lo).max(1e-9)).clamp(0.0, 1.0);
    if inverted {
        TOP + plot * t
    } else {
        TOP + plot * (1.0 - t)
    }
}

/// The chart as SVG, or `None` when no series has two points to draw.
pub fn lines(c: &Lines) -> Option<String> {
    let drawable = c
        .lines
        .iter()
        .any(|l| l.points.iter().filter(|p| p.1.is_some()).count() >= 1)
        || !c.columns.is_empty();
    if !drawable {
        return None;
    }
    let xs = c
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .chain(c.columns.iter().map(|p| p.0));
    let (x0, x1) = min_max(xs);
    let frame = Frame { x0, x1 };
    let left_values = c
        .lines
        .iter()
        .filter(|l| !l.right)
        .flat_map(|l| l.points.iter().filter_map(|p| p.1))
        .chain(c.columns.iter().map(|p| p.1))
        .chain(c.shades.iter().flat_map(|s| [s.from, s.to]));
    let (llo, lhi, lstep) = scale(&c.left, left_values);
    let right = c.right.as_ref().map(|a| {
        let values = c
            .lines
            .iter()
            .filter(|l| l.right)
            .flat_map(|l| l.points.iter().filter_map(|p| p.1));
        (a, scale(a, values))
    });
    let ly = |v: f64| y_of(llo, lhi, c.left.inverted, v);
    let id = escape(&c.id);
    // The opening tag is written last, when the legend's rows are known.
    let mut s = String::new();
    // The bands go under everything; their labels are written after the lines, so no line
    // runs through the words (the stylesheet gives them a halo of the page's colour).
    let mut shade_labels = String::new();
    for sh in &c.shades {
        let (ya, yb) = (ly(sh.from), ly(sh.to));
        let (top, h) = (ya.min(yb), (ya - yb).abs());
        // A band squeezed by a tall axis has its label just above it, not spilling out.
        let label_y = if h >= 20.0 { top + 16.0 } else { top - 4.0 };
        let _ = write!(
            s,
            r#"<rect class="shade" x="{LEFT}" y="{top:.1}" width="{:.1}" height="{h:.1}"/>"#,
            W - LEFT - RIGHT,
        );
        let _ = write!(
            shade_labels,
            r#"<text class="shade-label" x="{:.1}" y="{label_y:.1}">{}</text>"#,
            LEFT + 6.0,
            escape(&sh.label)
        );
    }
    let mut v = llo;
    while v <= lhi + lstep * 1e-6 {
        let y = ly(v);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape(&(c.left.tick)(v))
        );
        v += lstep;
    }
    let _ = write!(
        s,
        r#"<text class="tick" x="4" y="{:.1}">{}</text>"#,
        TOP - 8.0,
        escape(&c.left.unit)
    );
    if let Some((a, (lo, hi, step))) = &right {
        let mut v = *lo;
        while v <= hi + step * 1e-6 {
            let _ = write!(
                s,
                r#"<text class="tick" x="{:.1}" y="{:.1}">{}</text>"#,
                W - RIGHT + 6.0,
                y_of(*lo, *hi, a.inverted, v) + 4.0,
                escape(&(a.tick)(v))
            );
            v += step;
        }
        let _ = write!(
            s,
            r#"<text class="tick" x="{W}" y="{:.1}" text-anchor="end">{}</text>"#,
            TOP - 8.0,
            escape(&a.unit)
        );
    }
    for (x, label) in &c.x_ticks {
        let px = frame.x(*x);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{px:.1}" x2="{px:.1}" y1="{:.1}" y2="{:.1}"/><text class="tick" x="{px:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            H - BOTTOM,
            H - BOTTOM + 4.0,
            H - BOTTOM + 18.0,
            escape(label)
        );
    }
    if !c.columns.is_empty() {
        let slot = (W - LEFT - RIGHT) / (c.columns.len().max(2) as f64);
        let base = ly(llo.max(0.0));
        for (x, h) in &c.columns {
            let (px, top) = (frame.x(*x), ly(*h));
            let _ = write!(
                s,
                r#"<rect class="col" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"/>"#,
                px - slot * 0.35,
                top.min(base),
                (slot * 0.7).max(1.0),
                (base - top).abs()
            );
        }
    }
    for l in &c.lines {
        let y = |v: f64| match (&right, l.right) {
            (Some((a, (lo, hi, _))), true) => y_of(*lo, *hi, a.inverted, v),
            _ => ly(v),
        };
        let mut d = String::new();
        let mut pen_up = true;
        for (x, v) in &l.points {
            match v {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{:.1} {:.1} ",
                        if pen_up { "M" } else { "L" },
                        frame.x(*x),
                        y(*v)
                    );
                    pen_up = false;
                }
                None => pen_up = true,
            }
        }
        let _ = write!(
            s,
            r#"<path class="line {}" d="{}"/>"#,
            l.class,
            d.trim_end()
        );
        if l.markers {
            for (x, v) in &l.points {
                if let Some(v) = v {
                    let _ = write!(
                        s,
                        r#"<circle class="marker {}" cx="{:.1}" cy="{:.1}" r="4"/>"#,
                        l.class,
                        frame.x(*x),
                        y(*v)
                    );
                }
            }
        }
    }
    s.push_str(&shade_labels);
    // The legend, under the x labels: a sample of each line's pattern and its name, spaced for
    // the widest text the stylesheet sets (a phone's).
    // An entry that would run past the right edge starts a new row, and the chart grows.
    let (mut lx, mut ly_legend) = (LEFT, H - 12.0);
    let mut place = |width: f64| {
        if lx > LEFT && lx + width > W {
            (lx, ly_legend) = (LEFT, ly_legend + LEGEND_ROW);
        }
        let at = (lx, ly_legend);
        lx += width;
        at
    };
    if !c.columns.is_empty() {
        let (x, y) = place(26.0 + LEGEND_CHAR * c.columns_label.chars().count() as f64);
        let _ = write!(
            s,
            r#"<rect class="col" x="{x:.1}" y="{:.1}" width="14" height="10"/><text class="tick" x="{:.1}" y="{y:.1}">{}</text>"#,
            y - 9.0,
            x + 18.0,
            escape(&c.columns_label)
        );
    }
    for l in &c.lines {
        let (x, y) = place(34.0 + LEGEND_CHAR * l.label.chars().count() as f64);
        let _ = write!(
            s,
            r#"<path class="line {}" d="M{x:.1} {:.1} L{:.1} {:.1}"/><text class="tick" x="{:.1}" y="{y:.1}">{}</text>"#,
            l.class,
            y - 4.0,
            x + 22.0,
            y - 4.0,
            x + 26.0,
            escape(&l.label)
        );
    }
    let height = ly_legend + 12.0;
    s.insert_str(
        0,
        &format!(
            r#"<svg class="chart lines" id="{id}" viewBox="0 0 {W} {height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(&c.title),
            escape(&c.desc)
        ),
    );
    s.push_str("</svg>");
    Some(s)
}

/// At most `n` points of `points`, each the mean of its bucket of x (gaps kept as gaps).
pub fn downsample(points: &[(f64, Option<f64>)], n: usize) -> Vec<(f64, Option<f64>)> {
    if points.len() <= n || n == 0 {
        return points.to_vec();
    }
    let per = points.len().div_ceil(n);
    points
        .chunks(per)
        .map(|c| {
            let x = c.iter().map(|p| p.0).sum::<f64>() / c.len() as f64;
            let ys: Vec<f64> = c.iter().filter_map(|p| p.1).collect();
            let y = (!ys.is_empty()).then(|| ys.iter().sum::<f64>() / ys.len() as f64);
            (x, y)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Lines {
        Lines {
            id: "t".into(),
            title: "Ratio <over> time".into(),
            desc: "A & B".into(),
            x_ticks: vec![(0.0, "Jun <1>".into())],
            left: Axis::new("ratio", tenths),
            right: Some(Axis {
                range: Some((0.0, 10.0)),
                ..Axis::new("pain", whole)
            }),
            lines: vec![
                Line {
                    label: "coupled".into(),
                    class: "s1",
                    points: vec![(0.0, Some(1.0)), (1.0, None), (2.0, Some(2.0))],
                    right: false,
                    markers: false,
                },
                Line {
                    label: "pain".into(),
                    class: "s4",
                    points: vec![(1.0, Some(5.0))],
                    right: true,
                    markers: true,
                },
            ],
            shades: vec![Shade {
                from: 0.8,
                to: 1.3,
                label: "CONTESTED".into(),
            }],
            columns: vec![],
            columns_label: String::new(),
        }
    }

    #[test]
    fn text_is_escaped_gaps_break_the_line_and_the_band_is_labelled() {
        let svg = lines(&chart()).unwrap();
        assert!(svg.contains("Ratio &lt;over&gt; time") && svg.contains("A &amp; B"));
        assert!(svg.contains("Jun &lt;1&gt;") && !svg.contains("<1>"));
        assert!(svg.contains(r#"aria-labelledby="t-title t-desc""#));
        // Two separate moves: the None between them is a gap.
        let path = svg.split(r#"class="line s1" d=""#).nth(1).unwrap();
        let d = &path[..path.find('"').unwrap()];
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert!(svg.contains(r#"class="shade""#) && svg.contains(">CONTESTED</text>"));
        assert_eq!(svg.matches("<circle").count(), 1);
    }

    #[test]
    fn the_band_sits_where_its_values_are() {
        let svg = lines(&chart()).unwrap();
        // Data 1–2 and band 0.8–1.3 give an axis 0.5–2 in steps of 0.5: the band's top is
        // 0.8 of the 1.5 above the bottom.
        let plot = H - TOP - BOTTOM;
        let top = TOP + plot * (1.0 - (1.3 - 0.5) / 1.5);
        assert!(svg.contains(&format!(r#"y="{top:.1}""#)), "{svg}");
    }

    #[test]
    fn the_bands_label_is_written_over_the_lines() {
        let svg = lines(&chart()).unwrap();
        let at = |what: &str| svg.find(what).unwrap();
        // The first path of each class is its series; the legend's samples come last.
        let (s1, s4) = (
            at(r#"<path class="line s1""#),
            at(r#"<path class="line s4""#),
        );
        assert!(
            at(r#"class="shade""#) < s1.min(s4),
            "the band under the lines"
        );
        assert!(
            at(r#"class="shade-label""#) > s1.max(s4),
            "its words over them: {svg}"
        );
    }

    /// The text of the right axis's ticks, bottom up.
    fn right_ticks(svg: &str) -> Vec<String> {
        let x = format!(r#"x="{:.1}""#, W - RIGHT + 6.0);
        svg.split("<text class=\"tick\" ")
            .filter(|t| t.starts_with(&x))
            .map(|t| t[t.find('>').unwrap() + 1..t.find('<').unwrap()].to_owned())
            .collect()
    }

    #[test]
    fn whole_number_ticks_take_steps_they_can_write() {
        // Pain 0–10 in whole numbers: steps of 5, not 2.5 written 0, 2, 5, 8, 10.
        let svg = lines(&chart()).unwrap();
        assert_eq!(right_ticks(&svg), ["0", "5", "10"]);
        // All-zero columns on a whole-number axis: 0 and 1, not 0, 0, 0, 1, 1.
        let mut c = chart();
        c.left = Axis {
            from_zero: true,
            ..Axis::new("km", whole)
        };
        c.lines.clear();
        c.shades.clear();
        c.columns = vec![(0.0, 0.0), (1.0, 0.0)];
        let svg = lines(&c).unwrap();
        let left: Vec<&str> = svg
            .split(r#"text-anchor="end">"#)
            .skip(1)
            .map(|t| &t[..t.find('<').unwrap()])
            .filter(|t| t.parse::<f64>().is_ok())
            .collect();
        assert_eq!(left, ["0", "1"]);
    }

    #[test]
    fn ticks_keep_the_digits_a_step_needs() {
        assert_eq!(tenths(0.25), "0.25");
        assert_eq!(tenths(0.5), "0.5");
        assert_eq!(tenths(1.0), "1.0");
        assert_eq!(min_sec(4.5), "4:30");
    }

    #[test]
    fn downsampling_keeps_means_and_gaps() {
        let pts: Vec<(f64, Option<f64>)> = (0..10)
            .map(|i| (f64::from(i), (i < 6).then_some(f64::from(i))))
            .collect();
        let d = downsample(&pts, 5);
        assert_eq!(d.len(), 5);
        assert_eq!(d[0], (0.5, Some(0.5)));
        assert_eq!(d[4], (8.5, None));
        assert_eq!(downsample(&pts, 20).len(), 10);
    }
}
