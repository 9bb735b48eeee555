//! The units a person chose, and formatting in them.

use serde::{Deserialize, Serialize};

/// Metres in a statute mile.
pub const METRES_PER_MILE: f64 = 1_609.344;
/// Metres in a foot.
pub const METRES_PER_FOOT: f64 = 0.3048;

/// Distance unit for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DistanceUnit {
    /// Kilometres (and metres of elevation).
    #[default]
    Km,
    /// Miles (and feet of elevation).
    Miles,
}

impl DistanceUnit {
    /// Parses `km` or `miles` (also `mi`).
    pub fn parse(s: &str) -> Option<DistanceUnit> {
        match s.to_ascii_lowercase().as_str() {
            "km" | "kilometres" | "kilometers" | "metric" => Some(DistanceUnit::Km),
            "mi" | "mile" | "miles" | "imperial" => Some(DistanceUnit::Miles),
            _ => None,
        }
    }

    /// Metres in one unit.
    pub fn metres(self) -> f64 {
        match self {
            DistanceUnit::Km => 1000.0,
            DistanceUnit::Miles => METRES_PER_MILE,
        }
    }

    /// The short label (`km`, `mi`).
    pub fn label(self) -> &'static str {
        match self {
            DistanceUnit::Km => "km",
            DistanceUnit::Miles => "mi",
        }
    }
}

/// Body-weight unit, for what a person reads and types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum WeightUnit {
    /// Kilograms.
    #[default]
    Kg,
    /// Pounds.
    Lb,
}

impl WeightUnit {
    /// A weight in kg, in this unit.
    pub fn from_kg(self, kg: f64) -> f64 {
        match self {
            WeightUnit::Kg => kg,
            WeightUnit::Lb => kg / crate::energy::KG_PER_LB,
        }
    }

    /// The label (`kg`, `lb`).
    pub fn label(self) -> &'static str {
        match self {
            WeightUnit::Kg => "kg",
            WeightUnit::Lb => "lb",
        }
    }
}

/// A person's display units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Units {
    /// Distance unit.
    pub distance: DistanceUnit,
}

impl Units {
    /// Distance in the chosen unit, one decimal: `12.3 km`.
    pub fn distance(&self, metres: f64) -> String {
        format!(
            "{:.2} {}",
            metres / self.distance.metres(),
            self.distance.label()
        )
    }

    /// Elevation: metres with km, feet with miles.
    pub fn elevation(&self, metres: f64) -> String {
        match self.distance {
            DistanceUnit::Km => format!("{metres:.0} m"),
            DistanceUnit::Miles => format!("{:.0} ft", metres / METRES_PER_FOOT),
        }
    }

    /// Pace per unit (`5:03 /km`) from seconds per kilometre.
    pub fn pace(&self, s_per_km: f64) -> String {
        let per_unit = s_per_km * self.distance.metres() / 1000.0;
        let total = per_unit.round() as i64;
        format!(
            "{}:{:02} /{}",
            total / 60,
            total % 60,
            self.distance.label()
        )
    }
}

/// `h:mm:ss` (or `m:ss` under an hour).
pub fn duration(secs: f64) -> String {
    let s = secs.round().max(0.0) as i64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_the_chosen_unit() {
        let km = Units::default();
        let mi = Units {
            distance: DistanceUnit::Miles,
        };
        assert_eq!(km.distance(10_000.0), "10.00 km");
        // 10 000 m / 1 609.344 m = 6.2137 mi.
        assert_eq!(mi.distance(10_000.0), "6.21 mi");
        // 300 s/km × 1.609344 = 482.8 s/mi = 8:03.
        assert_eq!(km.pace(300.0), "5:00 /km");
        assert_eq!(mi.pace(300.0), "8:03 /mi");
        // 100 m / 0.3048 = 328 ft.
        assert_eq!(mi.elevation(100.0), "328 ft");
        assert_eq!(duration(3725.0), "1:02:05");
        assert_eq!(duration(59.6), "1:00");
    }
}
