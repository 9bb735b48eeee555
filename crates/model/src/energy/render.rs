//! Plain-text views of a projection: a table and a terminal chart, both models side by side.
//! Pure string building, so the CLI and tests share one rendering.

use super::projection::Projection;

pub use crate::units::WeightUnit;

impl Projection {
    /// A table with one row every `every` weeks (and the last week), both models side by side.
    pub fn table(&self, unit: WeightUnit, every: u32) -> String {
        let every = every.max(1);
        let u = unit.label();
        let mut out = format!(
            "{:>5}  {:>12}  {:>12}\n",
            "week",
            format!("3500 rule {u}"),
            format!("dynamic {u}")
        );
        let last = self.points.len().saturating_sub(1) as u32;
        for p in self
            .points
            .iter()
            .filter(|p| p.week % every == 0 || p.week == last)
        {
            out += &format!(
                "{:>5}  {:>12.1}  {:>12.1}\n",
                p.week,
                unit.from_kg(p.static_kg),
                unit.from_kg(p.dynamic_kg)
            );
        }
        out += &format!("3500 rule: {}.\n", self.static_label);
        out
    }

    /// A chart `rows` high with one column per week: `s` the 3500 rule, `d` the dynamic model,
    /// `*` where they share a cell. The y axis is labelled at the top and bottom rows.
    pub fn chart(&self, unit: WeightUnit, rows: usize) -> String {
        let rows = rows.max(2);
        let values = self
            .points
            .iter()
            .flat_map(|p| [p.static_kg, p.dynamic_kg])
            .map(|kg| unit.from_kg(kg));
        let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        // A flat projection still gets a visible band of ±0.5 around the weight.
        let (lo, hi) = if hi - lo < 1e-9 {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo, hi)
        };
        let row_of = |kg: f64| {
            let v = unit.from_kg(kg);
            ((hi - v) / (hi - lo) * (rows - 1) as f64).round() as usize
        };
        let mut grid = vec![vec![' '; self.points.len()]; rows];
        for (col, p) in self.points.iter().enumerate() {
            let (rs, rd) = (row_of(p.static_kg), row_of(p.dynamic_kg));
            grid[rs][col] = 's';
            grid[rd][col] = if rd == rs { '*' } else { 'd' };
        }
        let mut out = String::new();
        for (i, line) in grid.iter().enumerate() {
            let label = match i {
                0 => format!("{hi:>7.1}"),
                i if i == rows - 1 => format!("{lo:>7.1}"),
                _ => " ".repeat(7),
            };
            let body: String = line.iter().collect();
            out += &format!("{label} |{}\n", body.trim_end());
        }
        out += &format!("{} +{}\n", " ".repeat(7), "-".repeat(self.points.len()));
        out += &format!(
            "{} weeks 0–{}; {} · s = 3500 rule (rough early estimate), d = dynamic model, \
             * = both\n",
            " ".repeat(8),
            self.points.len().saturating_sub(1),
            unit.label()
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::energy::body::Weight;

    fn loss() -> Projection {
        Projection::new(Weight::from_kg(80.0).unwrap(), -500.0, 26).unwrap()
    }

    #[test]
    fn table_rows_and_values() {
        let t = loss().table(WeightUnit::Kg, 4);
        let lines: Vec<&str> = t.lines().collect();
        // Header, weeks 0, 4, …, 24 (7 rows), week 26, the label line.
        assert_eq!(lines.len(), 1 + 7 + 1 + 1, "{t}");
        assert!(lines[1].trim_start().starts_with("0 ") && lines[1].contains("80.0"));
        // Week 26 static: 80 − 26 lb × 0.45359237 = 68.21 kg.
        assert!(lines[8].contains("68.2"), "{}", lines[8]);
        assert!(t.contains("rough early estimate"));
        // In pounds the start is 80 / 0.45359237 = 176.4 lb.
        assert!(loss().table(WeightUnit::Lb, 4).contains("176.4"));
    }

    #[test]
    fn chart_puts_both_series_in_place() {
        let c = loss().chart(WeightUnit::Kg, 10);
        let lines: Vec<&str> = c.lines().collect();
        assert_eq!(lines.len(), 10 + 2, "{c}");
        // Week 0: both models at 80 kg, the top row, first column.
        assert!(lines[0].starts_with("   80.0 |*"), "{c}");
        // The static rule falls fastest, so the bottom row ends with an `s` at week 26.
        assert!(
            lines[9].starts_with("   68.2 |") && lines[9].ends_with('s'),
            "{c}"
        );
        // Every column holds exactly one or two marks.
        for col in 0..27 {
            let marks = lines[..10]
                .iter()
                .filter(|l| matches!(l.chars().nth(9 + col), Some('s' | 'd' | '*')))
                .count();
            assert!((1..=2).contains(&marks), "column {col}\n{c}");
        }
    }

    #[test]
    fn a_flat_projection_still_draws() {
        let flat = Projection::new(Weight::from_kg(70.0).unwrap(), 0.0, 26).unwrap();
        let c = flat.chart(WeightUnit::Kg, 5);
        // All points in the middle row of a ±0.5 band, as `*`.
        assert!(c.lines().nth(2).unwrap().ends_with(&"*".repeat(27)), "{c}");
    }
}
