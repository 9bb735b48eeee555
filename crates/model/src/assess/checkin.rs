//! The symptom check-in document of the design (`soleus checkin --json FILE`), with validating
//! newtypes. A missing optional field means the question was not asked; the engine never reads
//! "not asked" as "no".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::clinical::{Condition, Region};

pub use super::validate::CheckInError;

/// A 0–10 numeric pain rating (NRS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct PainScore(u8);

impl PainScore {
    /// No pain.
    pub const ZERO: PainScore = PainScore(0);

    /// The rating, 0–10.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for PainScore {
    type Error = String;

    fn try_from(v: u8) -> Result<Self, Self::Error> {
        if v <= 10 {
            Ok(PainScore(v))
        } else {
            Err(format!("pain score {v} is outside 0–10"))
        }
    }
}

impl From<PainScore> for u8 {
    fn from(p: PainScore) -> u8 {
        p.0
    }
}

/// Which leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Left leg.
    Left,
    /// Right leg.
    Right,
    /// Both legs.
    Both,
}

/// How the pain started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Onset {
    /// At one moment (a grab, a kick, a pop).
    Sudden,
    /// Over days or weeks.
    Gradual,
}

/// How the pain has changed lately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Getting better.
    Improving,
    /// No change.
    Same,
    /// Getting worse.
    Worsening,
}

/// What the pain feels like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Character {
    /// A dull ache.
    DullAche,
    /// Throbbing.
    Throbbing,
    /// Sharp.
    Sharp,
    /// Burning.
    Burning,
    /// Tightness.
    Tightness,
    /// Cramping.
    Cramping,
    /// Tingling.
    Tingling,
}

/// Visible swelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Swelling {
    /// None.
    None,
    /// Local, at the sore spot.
    Local,
    /// The whole calf.
    WholeCalf,
}

/// Pain ratings (0–10) and pain timing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Pain {
    /// Right now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<PainScore>,
    /// During the last run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub during_run: Option<PainScore>,
    /// After the last run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_run: Option<PainScore>,
    /// The morning after the last run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_morning: Option<PainScore>,
    /// While walking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walking: Option<PainScore>,
    /// Pain at rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_rest: Option<bool>,
    /// Pain at night.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_night: Option<bool>,
}

/// A single-leg heel-raise test (`SLHR_STRAIGHT`, `SLHR_BENT`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HeelRaise {
    /// Raises to fatigue on the sore side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u16>,
    /// Pain during the test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain: Option<PainScore>,
}

/// Ten single-leg hops in place (`HOP_10`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Hop {
    /// Pain during the hops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain: Option<PainScore>,
    /// A sharp pain on one spot of bone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focal_bone_pain: Option<bool>,
}

/// What fingertips along the tibia found (`PALP_TIBIA`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Palpation {
    /// No tenderness.
    None,
    /// Diffuse tenderness along 5 cm or more of the inner border.
    #[serde(rename = "diffuse_5cm_plus")]
    Diffuse5cmPlus,
    /// One tender spot, under 5 cm.
    #[serde(rename = "focal_under_5cm")]
    FocalUnder5cm,
    /// A tender spot on the front of the shin.
    AnteriorSpot,
    /// Not done.
    NotDone,
}

/// The calf-squeeze (Thompson) test result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Thompson {
    /// The foot pointed down.
    Normal,
    /// The foot did not move.
    Abnormal,
    /// Not done (it needs a second person).
    NotDone,
}

/// A provocation test that either hurts or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PainTest {
    /// It reproduced the pain.
    Pain,
    /// It did not.
    NoPain,
    /// Not done.
    NotDone,
}

/// Home test results (knowledge base §0); the keys are the test codes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "SCREAMING_SNAKE_CASE")]
pub struct Tests {
    /// Heel raises, knee straight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slhr_straight: Option<HeelRaise>,
    /// Heel raises, knee bent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slhr_bent: Option<HeelRaise>,
    /// Ten hops.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "HOP_10")]
    pub hop_10: Option<Hop>,
    /// Tibial palpation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub palp_tibia: Option<Palpation>,
    /// Calf squeeze.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thompson: Option<Thompson>,
    /// Heel-bone squeeze.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calc_squeeze: Option<PainTest>,
    /// Big-toe lift.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windlass: Option<PainTest>,
}

/// A DVT risk factor (knowledge base §1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DvtRisk {
    /// Long-haul travel, e.g. after a race abroad.
    LongTravel,
    /// Surgery or a cast within 12 weeks.
    SurgeryOrCast,
    /// Three days or more in bed.
    BedRest,
    /// Oestrogen pill or HRT.
    Estrogen,
    /// Pregnancy.
    Pregnancy,
    /// Within about six weeks after giving birth.
    Postpartum,
    /// Cancer.
    Cancer,
    /// A previous clot.
    PreviousVte,
}

/// Relevant history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct History {
    /// Earlier injuries, as condition codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_injuries: Option<Vec<Condition>>,
    /// Number of bone stress injuries ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bone_stress_injuries: Option<u8>,
    /// Periods missed for 3 months or more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missed_periods_3_months: Option<bool>,
    /// A fluoroquinolone antibiotic recently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fluoroquinolone_recent: Option<bool>,
    /// DVT risk factors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dvt_risk_factors: Option<Vec<DvtRisk>>,
}

macro_rules! check_in {
    ($($(#[$doc:meta])* $name:ident: $ty:ty,)*) => {
        /// One symptom check-in, exactly the design's check-in document.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(deny_unknown_fields)]
        pub struct CheckIn {
            /// The day of the check-in.
            pub date: NaiveDate,
            /// Which leg.
            pub side: Side,
            /// Where it hurts: at least one body-map region, no repeats.
            pub regions: Vec<Region>,
            $(
                $(#[$doc])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $name: Option<$ty>,
            )*
        }
    };
}

check_in! {
    /// Age in years on the day of the check-in (under-16s are routed differently: growth plates).
    age_years: u8,
    /// Sudden or gradual.
    onset: Onset,
    /// Days since the pain started.
    days_since_onset: u32,
    /// Improving, same or worsening.
    trend: Trend,
    /// Days of reduced or no running since onset.
    load_reduced_days: u32,
    /// A pop or a feeling of being kicked at onset.
    pop_or_kick_felt: bool,
    /// Pain ratings and timing.
    pain: Pain,
    /// What it feels like.
    character: Vec<Character>,
    /// Minutes of stiffness after getting up.
    morning_stiffness_min: u32,
    /// Visible swelling.
    swelling: Swelling,
    /// Calf girth on the sore side minus the other side, cm.
    calf_girth_diff_cm: f64,
    /// Bruising.
    bruising: bool,
    /// Warmth or redness.
    warmth_or_redness: bool,
    /// Fever.
    fever: bool,
    /// Can walk on the leg.
    can_bear_weight: bool,
    /// Can do one single-leg heel raise on the sore side.
    can_heel_raise_single_leg: bool,
    /// Numbness or tingling.
    numbness_or_tingling: bool,
    /// Weakness (weak push-off, a weak foot).
    weakness: bool,
    /// The foot drops or slaps: it cannot be lifted at the ankle as on the other side.
    foot_drop: bool,
    /// A cold or pale foot.
    cold_pale_foot: bool,
    /// The numbness, tingling or cold, pale foot comes only during exercise and settles within
    /// minutes of stopping (exertional compartment syndrome, popliteal artery entrapment).
    only_during_exercise: bool,
    /// Breathlessness or chest pain.
    breathless_or_chest_pain: bool,
    /// Numbness between the legs, or a new bladder or bowel change.
    saddle_numbness_or_bladder_change: bool,
    /// Low back pain.
    back_pain: bool,
    /// A tense, swollen muscle compartment.
    tense_swollen_compartment: bool,
    /// Home test results.
    tests: Tests,
    /// Relevant history.
    history: History,
}

impl CheckIn {
    /// Parses and validates a check-in document. Errors name the field path and what is allowed.
    pub fn from_json(text: &str) -> Result<CheckIn, CheckInError> {
        let super::strict_json::Strict(value) =
            serde_json::from_str(text).map_err(|e| CheckInError::Syntax {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        CheckIn::from_value(value)
    }

    /// Validates an already-parsed JSON document (the interactive flow builds one).
    pub fn from_value(value: serde_json::Value) -> Result<CheckIn, CheckInError> {
        super::validate::locate(&value)?;
        let checkin: CheckIn = serde_json::from_value(value)
            .map_err(|e| CheckInError::field("", e.to_string(), ""))?;
        checkin.validate()?;
        Ok(checkin)
    }

    /// A minimal check-in: a date, a side and the regions, nothing else asked.
    pub fn new(date: NaiveDate, side: Side, regions: Vec<Region>) -> CheckIn {
        let v = serde_json::json!({ "date": date, "side": side, "regions": regions });
        // Only the three required keys are present, so this cannot fail.
        serde_json::from_value(v).expect("a minimal check-in always deserialises")
    }

    /// The check-in as a JSON value with only the answered fields.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a check-in always serialises")
    }
}
