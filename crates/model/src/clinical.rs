//! The clinical vocabulary shared by assessment and plans: body-map regions, condition codes
//! and triage levels (knowledge base §0, §1 and §1.14).

use serde::{Deserialize, Serialize};

/// A body-map region (knowledge base §0). The codes are the wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Region {
    /// Back of the knee.
    Popliteal,
    /// Upper/middle medial calf: medial gastrocnemius belly and its muscle–tendon junction.
    CalfUpperMedial,
    /// Upper third of the calf (gastrocnemius bellies).
    CalfUpper,
    /// Middle third, deep (soleus belly).
    CalfMid,
    /// Lower third: soleus/Achilles muscle–tendon junction.
    CalfLower,
    /// Inner (posteromedial) tibial border, middle and distal thirds.
    TibiaPmDistal,
    /// Front of the shin, anterior tibial cortex.
    TibiaAnterior,
    /// Anterior/lateral compartments, fibula.
    LegAnterolateral,
    /// Achilles tendon 2–6 cm above its insertion.
    AchillesMid,
    /// Within about 2 cm of the Achilles insertion, back of the heel.
    AchillesInsertion,
    /// Underside of the heel, medial calcaneal tubercle.
    HeelPlantar,
    /// Whole calf or leg, poorly localised.
    LegDiffuse,
    /// Low back or buttock pain spreading below the knee.
    BackRadiating,
}

impl Region {
    /// The region in plain words, for people (no commas, so a list of them can be typed).
    pub fn name(self) -> &'static str {
        match self {
            Region::Popliteal => "back of the knee",
            Region::CalfUpperMedial => "inner upper calf",
            Region::CalfUpper => "upper calf",
            Region::CalfMid => "middle of the calf",
            Region::CalfLower => "lower calf above the Achilles tendon",
            Region::TibiaPmDistal => "inner shin (middle and lower third)",
            Region::TibiaAnterior => "front of the shin bone",
            Region::LegAnterolateral => "front and outer side of the lower leg",
            Region::AchillesMid => "Achilles tendon 2–6 cm above the heel",
            Region::AchillesInsertion => "back of the heel where the Achilles attaches",
            Region::HeelPlantar => "underside of the heel",
            Region::LegDiffuse => "whole calf or leg (hard to pin down)",
            Region::BackRadiating => "low back or buttock (spreading below the knee)",
        }
    }

    /// Every region, in body-map order.
    pub const ALL: [Region; 13] = [
        Region::Popliteal,
        Region::CalfUpperMedial,
        Region::CalfUpper,
        Region::CalfMid,
        Region::CalfLower,
        Region::TibiaPmDistal,
        Region::TibiaAnterior,
        Region::LegAnterolateral,
        Region::AchillesMid,
        Region::AchillesInsertion,
        Region::HeelPlantar,
        Region::LegDiffuse,
        Region::BackRadiating,
    ];

    /// The wire codes of [`Region::ALL`], in the same order (for prompts and messages).
    pub const CODES: [&'static str; 13] = [
        "POPLITEAL",
        "CALF_UPPER_MEDIAL",
        "CALF_UPPER",
        "CALF_MID",
        "CALF_LOWER",
        "TIBIA_PM_DISTAL",
        "TIBIA_ANTERIOR",
        "LEG_ANTEROLATERAL",
        "ACHILLES_MID",
        "ACHILLES_INSERTION",
        "HEEL_PLANTAR",
        "LEG_DIFFUSE",
        "BACK_RADIATING",
    ];
}

/// A condition the assessment can say a picture is consistent with (never a diagnosis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Condition {
    /// Soleus strain or overuse (§1.1).
    SoleusStrain,
    /// Gastrocnemius strain, "tennis leg" (§1.2).
    GastrocStrain,
    /// Medial tibial stress syndrome (§1.3).
    Mtss,
    /// Tibial bone stress injury (§1.4).
    TibialBsi,
    /// Mid-portion Achilles tendinopathy (§1.5).
    AchillesMidportion,
    /// Insertional Achilles tendinopathy (§1.6).
    AchillesInsertional,
    /// Achilles tendon rupture (§1.7).
    AchillesRupture,
    /// Plantar heel pain (§1.8).
    PlantarHeelPain,
    /// Calcaneal bone stress injury.
    CalcanealBsi,
    /// Chronic exertional compartment syndrome (§1.10).
    Cecs,
    /// Deep vein thrombosis, a mimic (§1.11).
    Dvt,
    /// Popliteal (Baker's) cyst (§1.12).
    BakersCyst,
    /// Lumbar referred pain / S1 radiculopathy (§1.13).
    LumbarReferred,
}

impl Condition {
    /// Every condition.
    pub const ALL: [Condition; 13] = [
        Condition::SoleusStrain,
        Condition::GastrocStrain,
        Condition::Mtss,
        Condition::TibialBsi,
        Condition::AchillesMidportion,
        Condition::AchillesInsertional,
        Condition::AchillesRupture,
        Condition::PlantarHeelPain,
        Condition::CalcanealBsi,
        Condition::Cecs,
        Condition::Dvt,
        Condition::BakersCyst,
        Condition::LumbarReferred,
    ];

    /// The family a condition's rehabilitation follows.
    pub fn family(self) -> Family {
        match self {
            Condition::SoleusStrain | Condition::GastrocStrain => Family::Muscle,
            Condition::AchillesMidportion | Condition::AchillesInsertional => Family::Tendon,
            Condition::PlantarHeelPain => Family::Fascia,
            Condition::Mtss | Condition::TibialBsi | Condition::CalcanealBsi => Family::Bone,
            Condition::AchillesRupture
            | Condition::Cecs
            | Condition::Dvt
            | Condition::BakersCyst
            | Condition::LumbarReferred => Family::Clinician,
        }
    }

    /// The lowest triage any plan for this condition carries, however it was started: a
    /// suspected Achilles rupture, clot or burst Baker's cyst is a same-day matter (knowledge
    /// base §1.7, §1.11, §1.12), so a plan entered for one at a lower level is raised to it.
    pub fn least_triage(self) -> Triage {
        match self {
            Condition::AchillesRupture | Condition::Dvt | Condition::BakersCyst => Triage::Urgent,
            _ => Triage::SelfCare,
        }
    }
}

/// How a condition is rehabilitated; decides the progression model (knowledge base §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Muscle strain: the return-to-run checklist (§3.7).
    Muscle,
    /// Tendon: the pain-monitoring model (§3.3).
    Tendon,
    /// Plantar fascia: the pain-monitoring model and high-load strength (§3.3, §3.5).
    Fascia,
    /// Bone stress (MTSS, BSI): pain-free progression only, never "run through pain".
    Bone,
    /// Needs a clinician before any self-managed plan.
    Clinician,
}

/// How soon to see a clinician (knowledge base §1.14). Ordered from least to most urgent, so
/// `max` gives the more urgent of two levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Triage {
    /// No red flag: self-care with the plan, watching for changes.
    SelfCare,
    /// See a clinician within about a week.
    Soon,
    /// See a clinician the same day.
    Urgent,
    /// Call emergency services or go to an emergency department now.
    Emergency,
}

impl Triage {
    /// The level's wire code (`SELF_CARE`, `SOON`, `URGENT`, `EMERGENCY`), as people see it
    /// printed.
    pub fn code(self) -> &'static str {
        match self {
            Triage::SelfCare => "SELF_CARE",
            Triage::Soon => "SOON",
            Triage::Urgent => "URGENT",
            Triage::Emergency => "EMERGENCY",
        }
    }

    /// Whether a check-in at this level stops a plan built at `plan_level`: a same-day or
    /// emergency level, suspected bone stress, or any red flag above the plan's own level (a
    /// plan started at SOON already says to see a clinician within a week).
    pub fn stops_plan(self, bone_stress_suspected: bool, plan_level: Triage) -> bool {
        self >= Triage::Urgent || bone_stress_suspected || self > plan_level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_codes_and_order() {
        assert_eq!(
            serde_json::to_string(&Region::TibiaPmDistal).unwrap(),
            "\"TIBIA_PM_DISTAL\""
        );
        assert_eq!(
            serde_json::to_string(&Condition::AchillesMidportion).unwrap(),
            "\"ACHILLES_MIDPORTION\""
        );
        assert_eq!(serde_json::to_string(&Condition::Mtss).unwrap(), "\"MTSS\"");
        assert_eq!(serde_json::to_string(&Condition::Cecs).unwrap(), "\"CECS\"");
        assert_eq!(
            serde_json::to_string(&Triage::SelfCare).unwrap(),
            "\"SELF_CARE\""
        );
        for t in [
            Triage::SelfCare,
            Triage::Soon,
            Triage::Urgent,
            Triage::Emergency,
        ] {
            assert_eq!(serde_json::to_value(t).unwrap(), t.code());
        }
        assert!(Triage::Emergency > Triage::Urgent && Triage::Urgent > Triage::Soon);
        assert_eq!(Triage::Soon.max(Triage::SelfCare), Triage::Soon);
        assert_eq!(Condition::TibialBsi.family(), Family::Bone);
        for (r, code) in Region::ALL.iter().zip(Region::CODES) {
            assert_eq!(serde_json::to_value(r).unwrap(), code, "CODES follows ALL");
        }
    }
}
