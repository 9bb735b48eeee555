//! `soleus profile`: who the athlete is, their time zone and units.

use anyhow::{Context, bail};
use chrono::{DateTime, FixedOffset, Offset, TimeZone, Utc};
use clap::{Args, Subcommand};
use soleus_model::athlete::{Athlete, HeightUnit, Source, WeightUnit};
use soleus_model::energy::{self, Height, Weight};
use soleus_model::load::RunSummary;
use soleus_model::units::DistanceUnit;
use soleus_store::Store;

/// The setting that holds the profile document.
const KEY: &str = "profile";

/// The stored profile, or an empty one.
pub async fn load(store: &dyn Store) -> anyhow::Result<Athlete> {
    match store.setting(KEY).await? {
        Some(json) => serde_json::from_str(&json).context("the stored profile is unreadable"),
        None => Ok(Athlete::default()),
    }
}

/// The demo runner's profile (the samples were recorded around Munich).
pub async fn set_demo(store: &dyn Store) -> anyhow::Result<()> {
    let mut a = load(store).await?;
    a.time_zone = Some("Europe/Berlin".into());
    a.sex = Some(soleus_model::energy::Sex::Female);
    a.birth_year = Some(1991);
    a.weight_kg = Some(61.0);
    a.height_cm = Some(168.0);
    save(store, &a).await
}

async fn save(store: &dyn Store, a: &Athlete) -> anyhow::Result<()> {
    store.set_setting(KEY, &serde_json::to_string(a)?).await?;
    Ok(())
}

/// The highest heart rate any stored run recorded: the estimate of HRmax when none is entered.
pub async fn observed_max_hr(store: &dyn Store) -> anyhow::Result<Option<u8>> {
    let rows = store.list_activities().await?;
    Ok(rows
        .iter()
        .filter(|r| r.sport.is_on_foot())
        .filter_map(|r| r.max_hr)
        .max())
}

/// The athlete's UTC offset at an instant: their time zone's, else this computer's.
pub fn tz_fn(a: &Athlete) -> anyhow::Result<Box<dyn Fn(DateTime<Utc>) -> FixedOffset>> {
    match a.time_zone.as_deref() {
        Some(name) => {
            let tz: chrono_tz::Tz = name.parse().map_err(|_| {
                anyhow::anyhow!("time zone {name:?} is not an IANA name like Europe/Berlin")
            })?;
            Ok(Box::new(move |t| {
                tz.offset_from_utc_datetime(&t.naive_utc()).fix()
            }))
        }
        // Never the computer's own zone (on a server that is the server's): UTC, said once.
        None => {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                eprintln!(
                    "Note: your profile has no time zone, so days are counted in UTC; set yours with: soleus profile set --time-zone Europe/Berlin"
                );
            });
            Ok(Box::new(|_| {
                FixedOffset::east_opt(0).expect("zero is a valid offset")
            }))
        }
    }
}

/// Today in the athlete's time zone.
pub fn today(a: &Athlete) -> anyhow::Result<chrono::NaiveDate> {
    let now = Utc::now();
    Ok((now + chrono::Duration::seconds(i64::from(tz_fn(a)?(now).local_minus_utc()))).date_naive())
}

/// `soleus profile`
#[derive(Debug, Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    action: Option<Action>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Change fields of the profile (only those given).
    Set(SetArgs),
}

#[derive(Debug, Args)]
struct SetArgs {
    /// female or male.
    #[arg(long)]
    sex: Option<String>,
    /// Year of birth.
    #[arg(long)]
    birth_year: Option<i32>,
    /// Body weight: `61.5kg`, `135lb`, or a number in your weight unit.
    #[arg(long)]
    weight: Option<String>,
    /// Height: `168cm`, `5ft6in`, `5'6"`, or a number in cm.
    #[arg(long)]
    height: Option<String>,
    /// Measured body fat, %.
    #[arg(long)]
    body_fat: Option<f64>,
    /// Daily life outside running: low, moderate, or a factor 1.2–2.4.
    #[arg(long)]
    activity_level: Option<String>,
    /// Resting heart rate, bpm.
    #[arg(long)]
    hr_rest: Option<u8>,
    /// Maximum heart rate, bpm.
    #[arg(long)]
    hr_max: Option<u8>,
    /// Threshold heart rate, bpm.
    #[arg(long)]
    hr_threshold: Option<u8>,
    /// IANA time zone, e.g. Europe/Berlin.
    #[arg(long)]
    time_zone: Option<String>,
    /// Distance unit: km or miles.
    #[arg(long)]
    units: Option<String>,
    /// Weight unit: kg or lb.
    #[arg(long)]
    weight_unit: Option<String>,
    /// Height unit: cm or ftin.
    #[arg(long)]
    height_unit: Option<String>,
    /// The shoe you usually run in (its name in `soleus shoes list`).
    #[arg(long)]
    usual_shoe: Option<String>,
    /// Bone-stress injuries (stress reactions or fractures) ever had.
    #[arg(long)]
    bone_stress_injuries: Option<u32>,
    /// Periods missed for three months or more: yes or no.
    #[arg(long)]
    missed_periods: Option<String>,
}

fn yes_no(field: &str, s: &str) -> anyhow::Result<bool> {
    match s.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => bail!("{field}: {s:?} is not yes or no"),
    }
}

/// Parses a weight with an optional unit; a bare number is in `unit`.
pub fn parse_weight(s: &str, unit: WeightUnit) -> anyhow::Result<Weight> {
    let t = s.trim().to_ascii_lowercase();
    let (num, unit) = if let Some(n) = t.strip_suffix("kg") {
        (n, WeightUnit::Kg)
    } else if let Some(n) = t.strip_suffix("lbs").or_else(|| t.strip_suffix("lb")) {
        (n, WeightUnit::Lb)
    } else {
        (t.as_str(), unit)
    };
    let v: f64 = num
        .trim()
        .parse()
        .with_context(|| format!("weight {s:?}: expected e.g. 61.5kg or 135lb"))?;
    let w = match unit {
        WeightUnit::Kg => Weight::from_kg(v),
        WeightUnit::Lb => Weight::from_lb(v),
    };
    w.map_err(|e| anyhow::anyhow!("{e} (write the unit to be sure, e.g. 61.5kg or 135lb)"))
}

/// Parses a height: `168cm`, `5ft6in`, `5ft 6`, `5'6"`, or a bare number of cm.
pub fn parse_height(s: &str) -> anyhow::Result<Height> {
    let t = s.trim().to_ascii_lowercase().replace(' ', "");
    let bad = || anyhow::anyhow!("height {s:?}: expected e.g. 168cm, 5ft6in or 5'6\"");
    if let Some((ft, rest)) = t.split_once("ft").or_else(|| t.split_once('\'')) {
        let inches = rest.trim_end_matches("in").trim_end_matches('"');
        let feet: u32 = ft.parse().map_err(|_| bad())?;
        let inches: f64 = if inches.is_empty() {
            0.0
        } else {
            inches.parse().map_err(|_| bad())?
        };
        return Ok(Height::from_ft_in(feet, inches)?);
    }
    let cm: f64 = t.trim_end_matches("cm").parse().map_err(|_| bad())?;
    Ok(Height::from_cm(cm)?)
}

/// Runs `soleus profile`.
pub async fn run(store: &dyn Store, args: &ProfileArgs) -> anyhow::Result<u8> {
    let mut a = load(store).await?;
    if let Some(Action::Set(set)) = &args.action {
        let before = a.clone();
        apply(&mut a, set)?;
        save(store, &a).await?;
        if (
            before.sex,
            before.hr_rest,
            before.hr_max,
            before.hr_threshold,
        ) != (a.sex, a.hr_rest, a.hr_max, a.hr_threshold)
        {
            let n = recompute_summaries(store, &a).await?;
            if !args.json && n > 0 {
                println!(
                    "Heart-rate anchors changed: recomputed the load summaries of {n} activities."
                );
            }
        }
    }
    show(store, &a, args.json).await
}

fn apply(a: &mut Athlete, s: &SetArgs) -> anyhow::Result<()> {
    if let Some(v) = &s.sex {
        a.sex = Some(energy::Sex::parse(v)?);
    }
    if let Some(y) = s.birth_year {
        let this_year = chrono::Datelike::year(&Utc::now());
        if !(this_year - 100..=this_year - 10).contains(&y) {
            bail!(
                "birth year {y} is not plausible (between {} and {})",
                this_year - 100,
                this_year - 10
            );
        }
        a.birth_year = Some(y);
    }
    if let Some(u) = &s.weight_unit {
        a.weight_unit = match u.to_ascii_lowercase().as_str() {
            "kg" => WeightUnit::Kg,
            "lb" | "lbs" => WeightUnit::Lb,
            _ => bail!("weight unit {u:?} is not one of: kg, lb"),
        };
    }
    if let Some(u) = &s.height_unit {
        a.height_unit = match u.to_ascii_lowercase().as_str() {
            "cm" => HeightUnit::Cm,
            "ftin" | "ft" | "in" => HeightUnit::Ftin,
            _ => bail!("height unit {u:?} is not one of: cm, ftin"),
        };
    }
    if let Some(u) = &s.units {
        a.units = DistanceUnit::parse(u)
            .with_context(|| format!("units {u:?} is not one of: km, miles"))?;
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
        eprintln!(
            "Note: weights are now in lb and heights in ft/in, as you gave your height in feet and inches; change with --weight-unit kg --height-unit cm."
        );
    }
    if let Some(w) = &s.weight {
        a.weight_kg = Some(parse_weight(w, a.weight_unit)?.kg());
    }
    if let Some(h) = &s.height {
        a.height_cm = Some(parse_height(h)?.cm());
    }
    if let Some(bf) = s.body_fat {
        a.body_fat_pct = Some(energy::BodyFat::from_pct(bf)?.pct());
    }
    if let Some(l) = &s.activity_level {
        energy::ActivityFactor::parse(l)?;
        a.activity_level = Some(l.clone());
    }
    for (field, v, lo, hi) in [
        ("resting heart rate", s.hr_rest, 25, 120),
        ("maximum heart rate", s.hr_max, 120, 230),
        ("threshold heart rate", s.hr_threshold, 100, 220),
    ] {
        if let Some(v) = v.filter(|v| !(lo..=hi).contains(v)) {
            bail!("{field} {v} is outside {lo}–{hi} bpm");
        }
    }
    a.hr_rest = s.hr_rest.or(a.hr_rest);
    a.hr_max = s.hr_max.or(a.hr_max);
    a.hr_threshold = s.hr_threshold.or(a.hr_threshold);
    if let Some(tz) = &s.time_zone {
        tz.parse::<chrono_tz::Tz>().map_err(|_| {
            anyhow::anyhow!("time zone {tz:?} is not an IANA name like Europe/Berlin")
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
    Ok(())
}

/// Recomputes every activity's load summary (TRIMP and hard time depend on the heart-rate
/// anchors). Reads each activity's samples once.
pub async fn recompute_summaries(store: &dyn Store, a: &Athlete) -> anyhow::Result<usize> {
    let observed = observed_max_hr(store).await?;
    let hr = a.hr_anchors(observed).map(|h| h.profile);
    let rows = store.list_activities().await?;
    for r in &rows {
        if let Some(stored) = store.activity(r.id).await? {
            let s = RunSummary::from_activity(&stored.activity, hr.as_ref());
            store.set_summary(r.id, &s).await?;
        }
    }
    Ok(rows.len())
}

async fn show(store: &dyn Store, a: &Athlete, json: bool) -> anyhow::Result<u8> {
    let observed = observed_max_hr(store).await?;
    let anchors = a.hr_anchors(observed);
    if json {
        let doc = serde_json::json!({ "profile": a, "heart_rate": anchors });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    let na = || "— (not set)".to_string();
    let weight = a.weight_kg.map_or_else(na, |kg| match a.weight_unit {
        WeightUnit::Kg => format!("{kg:.1} kg"),
        WeightUnit::Lb => format!("{:.1} lb", kg / energy::KG_PER_LB),
    });
    let height = a.height_cm.map_or_else(na, |cm| match a.height_unit {
        HeightUnit::Cm => format!("{cm:.0} cm"),
        HeightUnit::Ftin => {
            let inches = (cm / energy::CM_PER_INCH).round() as i64;
            format!("{} ft {} in", inches / 12, inches % 12)
        }
    });
    let src = |s: Source| {
        if s == Source::Estimated {
            " (estimated)"
        } else {
            ""
        }
    };
    let (hr_max, hr_rest) = match anchors {
        Some(h) => (
            format!("{} bpm{}", h.profile.max, src(h.max_source)),
            format!("{} bpm{}", h.profile.rest, src(h.rest_source)),
        ),
        None => (
            a.hr_max.or(observed).map_or_else(na, |m| {
                format!(
                    "{m} bpm{}",
                    if a.hr_max.is_none() {
                        " (estimated: highest recorded)"
                    } else {
                        ""
                    }
                )
            }),
            a.hr_rest.map_or_else(na, |r| format!("{r} bpm")),
        ),
    };
    let rows = [
        (
            "sex",
            a.sex.map_or_else(na, |s| format!("{s:?}").to_lowercase()),
        ),
        (
            "birth year",
            a.birth_year.map_or_else(na, |y| y.to_string()),
        ),
        ("weight", weight),
        ("height", height),
        (
            "body fat",
            a.body_fat_pct.map_or_else(na, |p| format!("{p:.0} %")),
        ),
        (
            "daily activity",
            a.activity_level
                .clone()
                .unwrap_or_else(|| "low (default)".into()),
        ),
        ("resting HR", hr_rest),
        ("maximum HR", hr_max),
        (
            "threshold HR",
            a.hr_threshold.map_or_else(na, |t| format!("{t} bpm")),
        ),
        (
            "time zone",
            a.time_zone
                .clone()
                .unwrap_or_else(|| "this computer's".into()),
        ),
        (
            "units",
            format!(
                "{} · {} · {}",
                a.units.label(),
                if a.weight_unit == WeightUnit::Kg {
                    "kg"
                } else {
                    "lb"
                },
                if a.height_unit == HeightUnit::Cm {
                    "cm"
                } else {
                    "ft/in"
                }
            ),
        ),
        ("usual shoe", a.usual_shoe.clone().unwrap_or_else(na)),
        ("bone-stress injuries", a.bone_stress_injuries.to_string()),
        (
            "missed periods ≥3 months",
            if a.missed_periods_3_months {
                "yes"
            } else {
                "no"
            }
            .into(),
        ),
    ];
    for (k, v) in rows {
        println!("{k:>26}  {v}");
    }
    if anchors.is_none() {
        println!(
            "\nSet your sex and heart rates for heart-rate load (TRIMP): soleus profile set --sex female --hr-rest 50 --hr-max 190"
        );
    }
    Ok(0)
}
