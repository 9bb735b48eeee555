//! Shoes: heel drop and stack, distance from the runs assigned to each shoe, retirement
//! reminders, the share of weekly km in each drop class, and the lower-drop transition plan
//! (knowledge base §4).

mod rules;
mod transition;

pub use rules::{BUILTIN_FOOTWEAR, FootwearRules};

pub use transition::{
    LOWER_DROP_MM, TransitionCheck, TransitionInput, TransitionPlan, TransitionWeek,
    transition_check, transition_plan,
};

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why a shoe or a shoe command was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ShoeError {
    /// A number is out of range (the user's input).
    #[error("{field} must be between {min} and {max}, got {value}")]
    OutOfRange {
        /// The field.
        field: &'static str,
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
        /// What was given.
        value: f64,
    },
    /// No shoe has this id (the caller's input).
    #[error("no shoe with id {0}")]
    Unknown(i64),
    /// A retired shoe cannot be the default (the caller's input).
    #[error("shoe {0} is retired and cannot be the default")]
    Retired(i64),
}

/// A pair of shoes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shoe {
    /// Store id.
    pub id: i64,
    /// Brand.
    pub brand: String,
    /// Model.
    pub model: String,
    /// The runner's name for it; also matched against Strava gear names.
    pub name: String,
    /// Heel-to-toe drop, mm.
    pub drop_mm: f64,
    /// Heel stack height, mm, when known.
    pub stack_mm: Option<f64>,
    /// First day worn.
    pub started_on: NaiveDate,
    /// Distance at which to retire it, km.
    pub retire_km: f64,
    /// Day it was retired.
    pub retired_on: Option<NaiveDate>,
    /// Runs without a shoe are counted on the default shoe.
    pub default: bool,
}

impl Shoe {
    /// Checks the numbers a user typed: drop 0–20 mm, stack 0–60 mm, retirement 50–3000 km.
    pub fn validate(&self) -> Result<(), ShoeError> {
        let check = |field, value: f64, min, max| {
            if value.is_finite() && (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(ShoeError::OutOfRange {
                    field,
                    min,
                    max,
                    value,
                })
            }
        };
        check("drop_mm", self.drop_mm, 0.0, 20.0)?;
        if let Some(s) = self.stack_mm {
            check("stack_mm", s, 0.0, 60.0)?;
        }
        check("retire_km", self.retire_km, 50.0, 3000.0)
    }

    /// Worn on `date`: started and not yet retired.
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.started_on <= date && self.retired_on.is_none_or(|r| date <= r)
    }

    /// The drop class of this shoe.
    pub fn drop_class(&self) -> DropClass {
        DropClass::of(self.drop_mm)
    }
}

/// Heel-drop classes. The bands are a Soleus convention (no standard exists); the study of
/// drop in runners compared 0, 6 and 10 mm [Malisoux16].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DropClass {
    /// 0 mm.
    Zero,
    /// 1–4 mm.
    Low,
    /// 5–8 mm.
    Mid,
    /// 9 mm or more.
    High,
}

impl DropClass {
    /// Every class, lowest first.
    pub const ALL: [DropClass; 4] = [
        DropClass::Zero,
        DropClass::Low,
        DropClass::Mid,
        DropClass::High,
    ];

    /// The class of a drop, rounded to the nearest millimetre.
    pub fn of(drop_mm: f64) -> DropClass {
        match drop_mm.round() as i64 {
            i64::MIN..=0 => DropClass::Zero,
            1..=4 => DropClass::Low,
            5..=8 => DropClass::Mid,
            _ => DropClass::High,
        }
    }
}

/// A run as the shoe code reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShoeRun {
    /// Local date.
    pub date: NaiveDate,
    /// Distance, km.
    pub km: f64,
    /// The shoe assigned to this activity by the runner.
    pub shoe_id: Option<i64>,
    /// The gear name from a Strava export.
    pub gear_name: Option<String>,
}

/// The shoe a run counts on: the one assigned to it, else the shoe whose name (or "brand
/// model") matches the Strava gear name, else the default shoe worn that day.
pub fn assign(shoes: &[Shoe], run: &ShoeRun) -> Option<i64> {
    if let Some(id) = run.shoe_id.filter(|id| shoes.iter().any(|s| s.id == *id)) {
        return Some(id);
    }
    if let Some(g) = run
        .gear_name
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        let by_name = |s: &&Shoe| {
            s.name.trim().eq_ignore_ascii_case(g)
                || format!("{} {}", s.brand.trim(), s.model.trim()).eq_ignore_ascii_case(g)
        };
        if let Some(s) = shoes.iter().find(by_name) {
            return Some(s.id);
        }
    }
    shoes
        .iter()
        .find(|s| s.default && s.active_on(run.date))
        .map(|s| s.id)
}

/// Distance on one shoe.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShoeDistance {
    /// The shoe.
    pub shoe_id: i64,
    /// Kilometres of the runs assigned to it.
    pub km: f64,
    /// Number of those runs.
    pub runs: usize,
    /// Retirement distance reached or nearly reached.
    pub reminder: Option<String>,
}

/// Share of retirement distance at which the reminder starts (a Soleus convention).
pub const REMIND_AT_PCT: f64 = 90.0;

/// Km and runs on every shoe, with a retirement reminder for active shoes past
/// [`REMIND_AT_PCT`] of their retirement distance.
pub fn distances(shoes: &[Shoe], runs: &[ShoeRun]) -> Vec<ShoeDistance> {
    let mut out: Vec<ShoeDistance> = shoes
        .iter()
        .map(|s| ShoeDistance {
            shoe_id: s.id,
            km: 0.0,
            runs: 0,
            reminder: None,
        })
        .collect();
    for r in runs.iter().filter(|r| r.km.is_finite() && r.km > 0.0) {
        if let Some(id) = assign(shoes, r)
            && let Some(d) = out.iter_mut().find(|d| d.shoe_id == id)
        {
            d.km += r.km;
            d.runs += 1;
        }
    }
    for (d, s) in out.iter_mut().zip(shoes) {
        if s.retired_on.is_none() && d.km >= s.retire_km * REMIND_AT_PCT / 100.0 {
            d.reminder = Some(format!(
                "{} has {:.0} km of its {:.0} km retirement distance; think about replacing it.",
                s.name, d.km, s.retire_km
            ));
        }
    }
    out
}

/// Marks `id` as the only default shoe.
pub fn set_default(shoes: &mut [Shoe], id: i64) -> Result<(), ShoeError> {
    let s = shoes
        .iter()
        .find(|s| s.id == id)
        .ok_or(ShoeError::Unknown(id))?;
    if s.retired_on.is_some() {
        return Err(ShoeError::Retired(id));
    }
    for s in shoes.iter_mut() {
        s.default = s.id == id;
    }
    Ok(())
}

/// Retires `id` on `date`; a retired shoe stops being the default.
pub fn retire(shoes: &mut [Shoe], id: i64, date: NaiveDate) -> Result<(), ShoeError> {
    let s = shoes
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or(ShoeError::Unknown(id))?;
    s.retired_on = Some(date);
    s.default = false;
    Ok(())
}

/// Kilometres in each drop class over one ISO week.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DropShare {
    /// Monday of the week.
    pub week_start: NaiveDate,
    /// All running km that week.
    pub total_km: f64,
    /// Km and percent of the total per class, lowest drop first.
    pub by_class: Vec<(DropClass, f64, f64)>,
    /// Km on no known shoe.
    pub unknown_km: f64,
}

/// The share of weekly km in each drop class, for the ISO week containing `day`.
pub fn weekly_drop_shares(shoes: &[Shoe], runs: &[ShoeRun], day: NaiveDate) -> DropShare {
    let week_start = crate::load::week_start(day);
    let mut km = [0.0; 4];
    let (mut total, mut unknown) = (0.0, 0.0);
    let in_week = runs
        .iter()
        .filter(|r| r.date >= week_start && r.date < week_start + Duration::days(7));
    for r in in_week.filter(|r| r.km.is_finite() && r.km > 0.0) {
        total += r.km;
        match assign(shoes, r).and_then(|id| shoes.iter().find(|s| s.id == id)) {
            Some(s) => km[s.drop_class() as usize] += r.km,
            None => unknown += r.km,
        }
    }
    let pct = |x: f64| if total > 0.0 { 100.0 * x / total } else { 0.0 };
    DropShare {
        week_start,
        total_km: total,
        by_class: DropClass::ALL
            .iter()
            .map(|c| (*c, km[*c as usize], pct(km[*c as usize])))
            .collect(),
        unknown_km: unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shoe(id: i64, default: bool) -> Shoe {
        Shoe {
            id,
            brand: "B".into(),
            model: "M".into(),
            name: format!("shoe {id}"),
            drop_mm: 8.0,
            stack_mm: None,
            started_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            retire_km: 700.0,
            retired_on: None,
            default,
        }
    }

    #[test]
    fn drop_class_bands_at_their_edges() {
        let got: Vec<DropClass> = [0.0, 0.4, 1.0, 4.0, 4.4, 5.0, 8.0, 8.6, 9.0, 14.0]
            .into_iter()
            .map(DropClass::of)
            .collect();
        use DropClass::*;
        assert_eq!(got, [Zero, Zero, Low, Low, Low, Mid, Mid, High, High, High]);
    }

    #[test]
    fn default_retire_and_validation() {
        let mut s = vec![shoe(1, true), shoe(2, false)];
        set_default(&mut s, 2).unwrap();
        assert_eq!((s[0].default, s[1].default), (false, true));
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        retire(&mut s, 2, day).unwrap();
        assert!(!s[1].default && s[1].active_on(day) && !s[1].active_on(day.succ_opt().unwrap()));
        assert_eq!(set_default(&mut s, 2), Err(ShoeError::Retired(2)));
        assert_eq!(set_default(&mut s, 9), Err(ShoeError::Unknown(9)));
        let mut bad = shoe(3, false);
        bad.drop_mm = 25.0;
        assert!(matches!(
            bad.validate(),
            Err(ShoeError::OutOfRange {
                field: "drop_mm",
                ..
            })
        ));
        bad.drop_mm = f64::NAN;
        assert!(bad.validate().is_err());
        assert!(shoe(4, false).validate().is_ok());
    }
}
