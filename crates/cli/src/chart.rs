//! Small terminal charts: horizontal bars and a multi-series line chart.

/// Horizontal bars, one per label, scaled to `width` characters.
pub fn bars(rows: &[(String, f64)], width: usize, unit: &str) -> String {
    let max = rows.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let label_w = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (label, v) in rows {
        let n = if max > 0.0 {
            ((v / max) * width as f64).round() as usize
        } else {
            0
        };
        out.push_str(&format!(
            "{label:>label_w$} │{} {v:.1} {unit}\n",
            "█".repeat(n)
        ));
    }
    out
}

/// A line chart of several series over the same x positions, `height` rows tall and at most
/// `width` columns wide (series longer than that are averaged into columns). Missing values
/// are left blank. A dotted line marks `reference` when it is in range.
pub fn lines(
    series: &[(&str, char, Vec<Option<f64>>)],
    height: usize,
    width: usize,
    reference: Option<f64>,
) -> String {
    let len = series.iter().map(|s| s.2.len()).max().unwrap_or(0);
    if len == 0 || height < 2 {
        return String::new();
    }
    let cols = len.min(width.max(1));
    // Average each series into `cols` buckets.
    let bucketed: Vec<Vec<Option<f64>>> = series
        .iter()
        .map(|(_, _, v)| {
            (0..cols)
                .map(|c| {
                    let (a, b) = (
                        c * len / cols,
                        ((c + 1) * len / cols).max(c * len / cols + 1),
                    );
                    let vals: Vec<f64> = v[a.min(v.len())..b.min(v.len())]
                        .iter()
                        .flatten()
                        .copied()
                        .collect();
                    (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
                })
                .collect()
        })
        .collect();
    let all = bucketed
        .iter()
        .flatten()
        .flatten()
        .copied()
        .chain(reference);
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() {
        return "(no values to chart yet)\n".into();
    }
    let (lo, hi) = if (hi - lo).abs() < 1e-9 {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    };
    let row_of = |v: f64| (((hi - v) / (hi - lo)) * (height - 1) as f64).round() as usize;
    let mut grid = vec![vec![' '; cols]; height];
    if let Some(r) = reference {
        let row = row_of(r);
        for cell in &mut grid[row] {
            *cell = '·';
        }
    }
    for ((_, ch, _), vals) in series.iter().zip(&bucketed) {
        for (c, v) in vals.iter().enumerate() {
            if let Some(v) = v {
                grid[row_of(*v)][c] = *ch;
            }
        }
    }
    let mut out = String::new();
    for (i, row) in grid.iter().enumerate() {
        let label = if i == 0 {
            format!("{hi:>5.2}")
        } else if i == height - 1 {
            format!("{lo:>5.2}")
        } else {
            " ".repeat(5)
        };
        out.push_str(&format!("{label} ┤{}\n", row.iter().collect::<String>()));
    }
    let legend: Vec<String> = series
        .iter()
        .map(|(name, ch, _)| format!("{ch} {name}"))
        .collect();
    out.push_str(&format!("       {}\n", legend.join("   ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest() {
        let s = bars(&[("a".into(), 10.0), ("b".into(), 5.0)], 10, "km");
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0].matches('█').count(), 10);
        assert_eq!(lines[1].matches('█').count(), 5);
    }

    #[test]
    fn lines_put_the_high_value_on_top() {
        let s = lines(&[("x", '*', vec![Some(0.0), Some(1.0)])], 3, 10, None);
        let rows: Vec<&str> = s.lines().collect();
        // 1.0 is the top row, 0.0 the bottom row; the second column holds the 1.0.
        assert!(rows[0].ends_with(" *"), "{s}");
        assert!(rows[2].ends_with("* "), "{s}");
        assert!(lines(&[("x", '*', vec![None])], 3, 10, None).contains("no values"));
    }
}
