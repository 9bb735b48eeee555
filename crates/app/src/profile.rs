//! The athlete's profile: who they are, their heart-rate anchors, time zone and units.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use serde::Serialize;
use soleus_model::athlete::{Athlete, HeightUnit, HrAnchors, WeightUnit};
use soleus_model::energy::{self, Height, Weight};
use soleus_model::load::RunSummary;
use soleus_model::units::DistanceUnit;

use crate::{App, AppError, Result};

/// `profile`: the stored profile and the heart-rate anchors it gives (entered or estimated).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileView {
    /// The profile as stored.
    pub profile: Athlete,
    /// HRmax and HRrest with where each came from; `None` until sex and heart rates allow
    /// heart-rate load.
    pub heart_rate: Option<HrAnchors>,
    /// The highest heart rate any stored run recorded (the estimate of HRmax when none is
    /// entered).
    #[serde(skip)]
    pub observed_max_hr: Option<u8>,
}

/// Changes to the profile, as a person types them (`61.5kg`, `5ft6in`, `yes`); `None` keeps a
/// field.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    /// `female` or `male`.
    pub sex: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// `61.5kg`, `135lb`, or a number in the weight unit.
    pub weight: Option<String>,
    /// `168cm`, `5ft6in`, `5'6"`, or a number of cm.
    pub height: Option<String>,
    /// Measured body fat, %.
    pub body_fat: Option<f64>,
    /// `low`, `moderate`, or a factor 1.2–2.4.
    pub activity_level: Option<String>,
    /// Resting heart rate, bpm.
    pub hr_rest: Option<u8>,
    /// Maximum heart rate, bpm.
    pub hr_max: Option<u8>,
    /// Threshold heart rate, bpm.
    pub hr_threshold: Option<u8>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// `km` or `miles`.
    pub units: Option<String>,
    /// `kg` or `lb`.
    pub weight_unit: Option<String>,
    /// `cm` or `ftin`.
    pub height_unit: Option<String>,
    /// The usual shoe's name.
    pub usual_shoe: Option<String>,
    /// Bone-stress injuries ever had.
    pub bone_stress_injuries: Option<u32>,
    /// `yes` or `no`.
    pub missed_periods: Option<String>,
}

/// What [`App::set_profile`] did besides saving.
#[derive(Debug, Clone, Default)]
pub struct ProfileSaved {
    /// The profile after the change.
    pub view: Option<ProfileView>,
    /// Load summaries recomputed because the heart-rate anchors changed.
    pub recomputed: usize,
    /// Notes for the person (a unit taken from how they wrote their height).
    pub notes: Vec<String>,
}

impl App {
    /// The stored profile, or an empty one.
    pub async fn athlete(&self) -> Result<Athlete> {
        Ok(self.store.profile().await?)
    }

    pub(crate) async fn save_athlete(&self, a: &Athlete) -> Result<()> {
        Ok(self.store.set_profile(a).await?)
    }

    /// The profile with its heart-rate anchors.
    pub async fn profile(&self) -> Result<ProfileView> {
        let profile = self.athlete().await?;
        let observed_max_hr = self.observed_max_hr().await?;
        Ok(ProfileView {
            heart_rate: profile.hr_anchors(observed_max_hr),
            profile,
            observed_max_hr,
        })
    }

    /// Applies `change`, saves, and recomputes load summaries when the heart-rate anchors
    /// changed. Nothing is saved when any field is invalid.
    pub async fn set_profile(&self, change: &ProfileChange) -> Result<ProfileSaved> {
        let mut a = self.athlete().await?;
        let before = a.clone();
        let notes = apply(&mut a, change)?;
        self.save_athlete(&a).await?;
        let recomputed = if (
            before.sex,
            before.hr_rest,
            before.hr_max,
            before.hr_threshold,
        ) != (a.sex, a.hr_rest, a.hr_max, a.hr_threshold)
        {
            self.recompute_summaries(&a).await?
        } else {
            0
        };
        Ok(ProfileSaved {
            view: Some(self.profile().await?),
            recomputed,
            notes,
        })
    }

    /// Sets the distance unit only.
    pub async fn set_units(&self, units: DistanceUnit) -> Result<()> {
        let mut a = self.athlete().await?;
        a.units = units;
        self.save_athlete(&a).await
    }

    /// The demo runner's profile (the samples were recorded around Munich).
    pub async fn set_demo_profile(&self) -> Result<()> {
        let mut a = self.athlete().await?;
        a.time_zone = Some("Europe/Berlin".into());
        a.sex = Some(energy::Sex::Female);
        a.birth_year = Some(1991);
        a.weight_kg = Some(61.0);
        a.height_cm = Some(168.0);
        self.save_athlete(&a).await
    }

    /// The highest heart rate any stored run recorded: the estimate of HRmax when none is
    /// entered.
    pub async fn observed_max_hr(&self) -> Result<Option<u8>> {
        let rows = self.store.list_activities().await?;
        Ok(rows
            .iter()
            .filter(|r| r.sport.is_on_foot())
            .filter_map(|r| r.max_hr)
            .max())
    }

    /// Recomputes every activity's load summary (TRIMP and hard time depend on the heart-rate
    /// anchors). Reads each activity's samples once.
    pub async fn recompute_summaries(&self, a: &Athlete) -> Result<usize> {
        let observed = self.observed_max_hr().await?;
        let hr = a.hr_anchors(observed).map(|h| h.profile);
        let rows = self.store.list_activities().await?;
        for r in &rows {
            if let Some(stored) = self.store.activity(r.id).await? {
                let s = RunSummary::from_activity(&stored.activity, hr.as_ref());
                self.store.set_summary(r.id, &s).await?;
            }
        }
        Ok(rows.len())
    }
}

/// The athlete's clock: their IANA time zone, else UTC (never the computer's own zone: on a
/// server that is the server's). [`Clock::utc_fallback`] says when UTC was assumed, so a
/// front end can say so once.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    tz: Option<chrono_tz::Tz>,
}

impl Clock {
    /// The clock of a profile; an unknown zone name is bad input.
    pub fn of(a: &Athlete) -> Result<Clock> {
        let tz = match a.time_zone.as_deref() {
            Some(name) => Some(name.parse::<chrono_tz::Tz>().map_err(|_| {
                AppError::invalid(
                    "time_zone",
                    format!("time zone {name:?} is not an IANA name like Europe/Berlin"),
                )
            })?),
            None => None,
        };
        Ok(Clock { tz })
    }

    /// Whether days are counted in UTC because the profile names no zone.
    pub fn utc_fallback(&self) -> bool {
        self.tz.is_none()
    }

    /// The UTC offset at an instant.
    pub fn offset(&self, t: DateTime<Utc>) -> FixedOffset {
        match self.tz {
            Some(tz) => tz.offset_from_utc_datetime(&t.naive_utc()).fix(),
            None => FixedOffset::east_opt(0).expect("zero is a valid offset"),
        }
    }

    /// The date at an instant.
    pub fn date(&self, t: DateTime<Utc>) -> NaiveDate {
        (t + chrono::Duration::seconds(i64::from(self.offset(t).local_minus_utc()))).date_naive()
    }

    /// Today.
    pub fn today(&self) -> NaiveDate {
        self.date(Utc::now())
    }
}

/// The note a front end shows (once) when days are counted in UTC.
pub const UTC_NOTE: &str = "Note: your profile has no time zone, so days are counted in UTC; set yours with: soleus profile set --time-zone Europe/Berlin";

fn yes_no(field: &'static str, s: &str) -> Result<bool> {
    match s.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => Err(AppError::invalid(
            field,
            format!("{field}: {s:?} is not yes or no"),
        )),
    }
}

/// Parses a weight with an optional unit; a bare number is in `unit`.
pub fn parse_weight(s: &str, unit: WeightUnit) -> Result<Weight> {
    let t = s.trim().to_ascii_lowercase();
    let (num, unit) = if let Some(n) = t.strip_suffix("kg") {
        (n, WeightUnit::Kg)
    } else if let Some(n) = t.strip_suffix("lbs").or_else(|| t.strip_suffix("lb")) {
        (n, WeightUnit::Lb)
    } else {
        (t.as_str(), unit)
    };
    let v: f64 = num.trim().parse().map_err(|e| {
        AppError::invalid(
            "weight",
            format!("weight {s:?}: expected e.g. 61.5kg or 135lb: {e}"),
        )
    })?;
    let w = match unit {
        WeightUnit::Kg => Weight::from_kg(v),
        WeightUnit::Lb => Weight::from_lb(v),
    };
    w.map_err(|e| {
        AppError::invalid(
            "weight",
            format!("{e} (write the unit to be sure, e.g. 61.5kg or 135lb)"),
        )
    })
}

/// Parses a height: `168cm`, `5ft6in`, `5ft 6`, `5'6"`, or a bare number of cm.
pub fn parse_height(s: &str) -> Result<Height> {
    let t = s.trim().to_ascii_lowercase().replace(' ', "");
    let bad = || {
        AppError::invalid(
            "height",
            format!("height {s:?}: expected e.g. 168cm, 5ft6in or 5'6\""),
        )
    };
    let out = if let Some((ft, rest)) = t.split_once("ft").or_else(|| t.split_once('\'')) {
        let inches = rest.trim_end_matches("in").trim_end_matches('"');
        let feet: u32 = ft.parse().map_err(|_| bad())?;
        let inches: f64 = if inches.is_empty() {
            0.0
        } else {
            inches.parse().map_err(|_| bad())?
        };
        Height::from_ft_in(feet, inches)
    } else {
        let cm: f64 = t.trim_end_matches("cm").parse().map_err(|_| bad())?;
        Height::from_cm(cm)
    };
    out.map_err(|e| AppError::invalid("height", e.to_string()))
}

/// Applies a change to a profile; returns notes for the person.
fn apply(a: &mut Athlete, s: &ProfileChange) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    if let Some(v) = &s.sex {
        a.sex = Some(energy::Sex::parse(v).map_err(|e| AppError::invalid("sex", e.to_string()))?);
    }
    if let Some(y) = s.birth_year {
        let this_year = chrono::Datelike::year(&Utc::now());
        if !(this_year - 100..=this_year - 10).contains(&y) {
            return Err(AppError::invalid(
                "birth_year",
                format!(
                    "birth year {y} is not plausible (between {} and {})",
                    this_year - 100,
                    this_year - 10
                ),
            ));
        }
        a.birth_year = Some(y);
    }
    if let Some(u) = &s.weight_unit {
        a.weight_unit = match u.to_ascii_lowercase().as_str() {
            "kg" => WeightUnit::Kg,
            "lb" | "lbs" => WeightUnit::Lb,
            _ => {
                return Err(AppError::invalid(
                    "weight_unit",
                    format!("weight unit {u:?} is not one of: kg, lb"),
                ));
            }
        };
    }
    if let Some(u) = &s.height_unit {
        a.height_unit = match u.to_ascii_lowercase().as_str() {
            "cm" => HeightUnit::Cm,
            "ftin" | "ft" | "in" => HeightUnit::Ftin,
            _ => {
                return Err(AppError::invalid(
                    "height_unit",
                    format!("height unit {u:?} is not one of: cm, ftin"),
                ));
            }
        };
    }
    if let Some(u) = &s.units {
        a.units = parse_units(u)?;
    }
    // Someone who writes their height in feet and inches and never chose a weight unit means
    // pounds by a bare number: take it so, and say so. (Miles alone say nothing: many runners
    // who count miles weigh themselves in kg.)
    let imperial_hint = s.height.as_deref().is_some_and(|h| {
        let h = h.to_ascii_lowercase();
        h.contains("ft") || h.contains('\'') || h.contains("in")
    });
    let bare_weight = s
        .weight
        .as_deref()
        .is_some_and(|w| w.trim().parse::<f64>().is_ok());
    if s.weight_unit.is_none() && a.weight_unit == WeightUnit::Kg && imperial_hint && bare_weight {
        a.weight_unit = WeightUnit::Lb;
        if a.height_unit == HeightUnit::Cm && s.height_unit.is_none() {
            a.height_unit = HeightUnit::Ftin;
        }
        notes.push(
            "Note: weights are now in lb and heights in ft/in, as you gave your height in feet and inches; change with --weight-unit kg --height-unit cm."
                .to_string(),
        );
    }
    if let Some(w) = &s.weight {
        a.weight_kg = Some(parse_weight(w, a.weight_unit)?.kg());
    }
    if let Some(h) = &s.height {
        a.height_cm = Some(parse_height(h)?.cm());
    }
    if let Some(bf) = s.body_fat {
        let bf = energy::BodyFat::from_pct(bf)
            .map_err(|e| AppError::invalid("body_fat", e.to_string()))?;
        a.body_fat_pct = Some(bf.pct());
    }
    if let Some(l) = &s.activity_level {
        energy::ActivityFactor::parse(l)
            .map_err(|e| AppError::invalid("activity_level", e.to_string()))?;
        a.activity_level = Some(l.clone());
    }
    for (field, key, v, lo, hi) in [
        ("resting heart rate", "hr_rest", s.hr_rest, 25, 120),
        ("maximum heart rate", "hr_max", s.hr_max, 120, 230),
        (
            "threshold heart rate",
            "hr_threshold",
            s.hr_threshold,
            100,
            220,
        ),
    ] {
        if let Some(v) = v.filter(|v| !(lo..=hi).contains(v)) {
            return Err(AppError::invalid(
                key,
                format!("{field} {v} is outside {lo}–{hi} bpm"),
            ));
        }
    }
    a.hr_rest = s.hr_rest.or(a.hr_rest);
    a.hr_max = s.hr_max.or(a.hr_max);
    a.hr_threshold = s.hr_threshold.or(a.hr_threshold);
    if let Some(tz) = &s.time_zone {
        tz.parse::<chrono_tz::Tz>().map_err(|_| {
            AppError::invalid(
                "time_zone",
                format!("time zone {tz:?} is not an IANA name like Europe/Berlin"),
            )
        })?;
        a.time_zone = Some(tz.clone());
    }
    if let Some(shoe) = &s.usual_shoe {
        a.usual_shoe = Some(shoe.clone());
    }
    if let Some(n) = s.bone_stress_injuries {
        a.bone_stress_injuries = n;
    }
    if let Some(m) = &s.missed_periods {
        a.missed_periods_3_months = yes_no("missed periods", m)?;
    }
    Ok(notes)
}

/// Parses a distance unit.
pub fn parse_units(s: &str) -> Result<DistanceUnit> {
    DistanceUnit::parse(s)
        .ok_or_else(|| AppError::invalid("units", format!("units {s:?} is not one of: km, miles")))
}
