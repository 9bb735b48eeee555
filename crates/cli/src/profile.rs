//! `soleus profile`: who the athlete is, their time zone and units.

use clap::{Args, Subcommand};
use soleus_app::App;
use soleus_app::profile::{Clock, ProfileChange, ProfileView, UTC_NOTE};
use soleus_model::athlete::{Athlete, HeightUnit, Source, WeightUnit};
use soleus_model::energy;

/// The athlete's clock; when the profile has no zone, the note that days are in UTC is
/// printed once.
pub fn clock(a: &Athlete) -> anyhow::Result<Clock> {
    let clock = Clock::of(a)?;
    if clock.utc_fallback() {
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| eprintln!("{UTC_NOTE}"));
    }
    Ok(clock)
}

/// Says once, on standard error, that days are counted in UTC when the profile names no time
/// zone: commands that work with days call it before they ask `soleus_app`.
pub async fn note_utc(app: &App) -> anyhow::Result<()> {
    clock(&app.athlete().await?)?;
    Ok(())
}

/// Today in the athlete's time zone.
pub fn today(a: &Athlete) -> anyhow::Result<chrono::NaiveDate> {
    Ok(clock(a)?.today())
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
    /// Where your weekly digest goes, when Soleus has no accounts ("" to stop it).
    #[arg(long)]
    email: Option<String>,
}

/// Runs `soleus profile`.
pub async fn run(app: &App, args: &ProfileArgs) -> anyhow::Result<u8> {
    let view = match &args.action {
        Some(Action::Set(set)) => {
            if let Some(email) = &set.email {
                match app.set_digest_email(email).await? {
                    Some(e) => eprintln!("The weekly digest goes to {e} (soleus digest --send)."),
                    None => eprintln!("No address for the weekly digest: it is not sent."),
                }
            }
            let saved = app.set_profile(&set.change()).await?;
            for note in &saved.notes {
                eprintln!("{note}");
            }
            if !args.json && saved.recomputed > 0 {
                println!(
                    "Heart-rate anchors changed: recomputed the load summaries of {} activities.",
                    saved.recomputed
                );
            }
            match saved.view {
                Some(v) => v,
                None => app.profile().await?,
            }
        }
        None => app.profile().await?,
    };
    show(&view, args.json)
}

impl SetArgs {
    fn change(&self) -> ProfileChange {
        ProfileChange {
            sex: self.sex.clone(),
            birth_year: self.birth_year,
            weight: self.weight.clone(),
            height: self.height.clone(),
            body_fat: self.body_fat,
            activity_level: self.activity_level.clone(),
            hr_rest: self.hr_rest,
            hr_max: self.hr_max,
            hr_threshold: self.hr_threshold,
            time_zone: self.time_zone.clone(),
            units: self.units.clone(),
            weight_unit: self.weight_unit.clone(),
            height_unit: self.height_unit.clone(),
            usual_shoe: self.usual_shoe.clone(),
            bone_stress_injuries: self.bone_stress_injuries,
            missed_periods: self.missed_periods.clone(),
        }
    }
}

fn show(view: &ProfileView, json: bool) -> anyhow::Result<u8> {
    if json {
        println!("{}", serde_json::to_string_pretty(view)?);
        return Ok(0);
    }
    let a = &view.profile;
    let observed = view.observed_max_hr;
    let anchors = view.heart_rate;
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
                .unwrap_or_else(|| "— (not set: days are counted in UTC)".into()),
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
