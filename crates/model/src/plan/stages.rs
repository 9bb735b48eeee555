//! The stage ladders of `data/plan_rules.toml`: per condition, the stages before running, then
//! the shared walk–run template (knowledge base §3.8) and a final build-up stage.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::PlanError;
use super::exercises::exercise;
pub use super::stage_types::{
    ChecklistRules, Gate, ModelRules, Prescribed, RunLimits, RunPrescription, Stage, WALK_RUN_REPS,
};
use crate::clinical::{Condition, Family};

/// The rules file compiled into the binary.
pub const BUILTIN_PLAN_RULES: &str = include_str!("../../data/plan_rules.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WalkRunDef {
    walk_min: Option<u32>,
    run_min: Option<u32>,
    continuous_min: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StageDef {
    id: String,
    phase: String,
    entry: String,
    exit: String,
    exercises: Vec<Prescribed>,
    min_days: Option<u32>,
    min_days_by_grade: Option<[u32; 3]>,
    hop_max_pain: Option<u8>,
    #[serde(default)]
    checklist: bool,
    #[serde(default)]
    clearance: bool,
    #[serde(default)]
    pain_free: bool,
    references: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanDef {
    conditions: Vec<Condition>,
    running_exercises: Vec<Prescribed>,
    stage: Vec<StageDef>,
}

/// The parsed rules file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRules {
    model: BTreeMap<String, ModelRules>,
    /// Limits for flagging runs.
    pub run_limits: RunLimits,
    /// The muscle return-to-run checklist.
    pub checklist: ChecklistRules,
    walk_run: Vec<WalkRunDef>,
    plan: BTreeMap<String, PlanDef>,
}

impl PlanRules {
    /// Parses and checks a rules file: every family model present, every exercise id known,
    /// every stage referenced, every self-managed condition covered by exactly one plan.
    pub fn parse(text: &str) -> Result<PlanRules, PlanError> {
        let rules: PlanRules = toml::from_str(text).map_err(|e| PlanError::Data(e.to_string()))?;
        for f in [Family::Muscle, Family::Tendon, Family::Fascia, Family::Bone] {
            if rules.model(f).is_none() {
                return Err(PlanError::Data(format!("no progression model for {f:?}")));
            }
        }
        for c in Condition::ALL
            .into_iter()
            .filter(|c| c.family() != Family::Clinician)
        {
            let n = rules
                .plan
                .values()
                .filter(|p| p.conditions.contains(&c))
                .count();
            if n != 1 {
                return Err(PlanError::Data(format!(
                    "{c:?} is covered by {n} plans, not one"
                )));
            }
        }
        for (name, p) in &rules.plan {
            let doses = p
                .stage
                .iter()
                .flat_map(|s| &s.exercises)
                .chain(&p.running_exercises);
            for d in doses {
                if exercise(&d.id).is_none() {
                    return Err(PlanError::Data(format!(
                        "plan {name} names unknown exercise {}",
                        d.id
                    )));
                }
            }
            if let Some(s) = p.stage.iter().find(|s| s.references.is_empty()) {
                return Err(PlanError::Data(format!("stage {} has no reference", s.id)));
            }
        }
        Ok(rules)
    }

    /// The built-in rules, parsed once.
    pub fn builtin() -> &'static PlanRules {
        static RULES: OnceLock<PlanRules> = OnceLock::new();
        RULES.get_or_init(|| {
            PlanRules::parse(BUILTIN_PLAN_RULES).expect("the built-in rules are checked by tests")
        })
    }

    /// The progression model of a family (`None` for [`Family::Clinician`]).
    pub fn model(&self, f: Family) -> Option<&ModelRules> {
        let key = match f {
            Family::Muscle => "muscle",
            Family::Tendon => "tendon",
            Family::Fascia => "fascia",
            Family::Bone => "bone",
            Family::Clinician => return None,
        };
        self.model.get(key)
    }

    /// The full stage ladder for a condition, or `None` when it has no self-managed plan.
    /// `grade` (1–3) picks a muscle stage's minimum days; unknown grades take grade 2.
    pub fn stages(&self, c: Condition, grade: Option<u8>) -> Option<Vec<Stage>> {
        let def = self.plan.values().find(|p| p.conditions.contains(&c))?;
        let bone = c.family() == Family::Bone;
        let mut out: Vec<Stage> = def.stage.iter().map(|s| pre_run(s, grade)).collect();
        let soft = "A session at 2-3/10 or less (during and after) and a next morning no worse.";
        let hard = "A pain-free session (0/10 during and after) and a next morning no worse.";
        for (i, w) in self.walk_run.iter().enumerate() {
            let run = match (w.walk_min, w.run_min, w.continuous_min) {
                (Some(walk_min), Some(run_min), None) => RunPrescription::WalkRun {
                    walk_min,
                    run_min,
                    reps: WALK_RUN_REPS,
                },
                (None, None, Some(minutes)) => RunPrescription::Continuous { minutes },
                _ => continue,
            };
            let mut exercises = def.running_exercises.clone();
            exercises.push(Prescribed {
                id: "WALK_RUN".into(),
                dose: describe_run(run),
            });
            out.push(Stage {
                id: format!("W{}", i + 1),
                phase: "Return to running (walk-run, flat, easy pace)".into(),
                entry: "The previous stage's exit criteria met.".into(),
                exit: (if bone { hard } else { soft }).into(),
                exercises,
                run,
                gate: Gate {
                    pain_free: bone,
                    ..Gate::default()
                },
                references: vec!["Warden14".into(), "Liem13".into()],
            });
        }
        out.push(Stage {
            id: "R".into(),
            phase: "Build volume first, then hills and speed".into(),
            entry: "30 minutes of continuous easy running within the pain rule.".into(),
            exit: "Final stage: keep each run within 110 % of the longest run of the last 30 days and add hills like volume.".into(),
            exercises: def.running_exercises.clone(),
            run: RunPrescription::Build,
            gate: Gate::default(),
            references: vec!["Warden14".into(), "Frandsen25".into(), "Nielsen14".into()],
        });
        Some(out)
    }
}

/// The words for a run prescription.
pub fn describe_run(run: RunPrescription) -> String {
    match run {
        RunPrescription::None => "No running.".into(),
        RunPrescription::WalkRun {
            walk_min,
            run_min,
            reps,
        } => {
            format!(
                "{reps} x (walk {walk_min} min, run {run_min} min) on flat ground, easy pace, every other day."
            )
        }
        RunPrescription::Continuous { minutes } => {
            format!("{minutes} min continuous easy running on flat ground, every other day.")
        }
        RunPrescription::Build => {
            "Usual easy running: add volume first, then hills, then speed, a little at a time."
                .into()
        }
    }
}

fn pre_run(s: &StageDef, grade: Option<u8>) -> Stage {
    let by_grade = s
        .min_days_by_grade
        .map(|g| g[usize::from(grade.unwrap_or(2).clamp(1, 3)) - 1]);
    Stage {
        id: s.id.clone(),
        phase: s.phase.clone(),
        entry: s.entry.clone(),
        exit: s.exit.clone(),
        exercises: s.exercises.clone(),
        run: RunPrescription::None,
        gate: Gate {
            min_days: by_grade.or(s.min_days).unwrap_or(0),
            pain_free: s.pain_free,
            hop_max_pain: s.hop_max_pain,
            checklist: s.checklist,
            clearance: s.clearance,
        },
        references: s.references.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_run_template_matches_section_3_8() {
        let st = PlanRules::builtin()
            .stages(Condition::AchillesMidportion, None)
            .unwrap();
        let runs: Vec<Option<u32>> = st.iter().map(|s| s.run.minutes()).collect();
        // T1 has no run; W1–W4 are 6 × 5 min = 30 min; W5–W7 are 20, 25, 30 min; R is open.
        assert_eq!(
            runs,
            [
                None,
                Some(30),
                Some(30),
                Some(30),
                Some(30),
                Some(20),
                Some(25),
                Some(30),
                None
            ]
        );
        assert_eq!(
            st[1].run,
            RunPrescription::WalkRun {
                walk_min: 4,
                run_min: 1,
                reps: 6
            }
        );
        assert_eq!(
            st[4].run,
            RunPrescription::WalkRun {
                walk_min: 1,
                run_min: 4,
                reps: 6
            }
        );
    }

    #[test]
    fn insertional_starts_with_e1_e3_only_and_muscle_days_follow_grade() {
        let st = PlanRules::builtin()
            .stages(Condition::AchillesInsertional, None)
            .unwrap();
        let heel: Vec<&str> = st[0]
            .exercises
            .iter()
            .map(|e| e.id.as_str())
            .filter(|id| id.starts_with('E'))
            .collect();
        assert_eq!(heel, ["E1", "E3"]);
        let r = PlanRules::builtin();
        assert_eq!(
            r.stages(Condition::SoleusStrain, Some(1)).unwrap()[0]
                .gate
                .min_days,
            3
        );
        assert_eq!(
            r.stages(Condition::SoleusStrain, Some(3)).unwrap()[0]
                .gate
                .min_days,
            14
        );
        assert_eq!(
            r.stages(Condition::GastrocStrain, None).unwrap()[0]
                .gate
                .min_days,
            7
        );
        assert!(r.stages(Condition::Dvt, None).is_none());
    }

    #[test]
    fn bad_rules_are_refused() {
        let unknown = BUILTIN_PLAN_RULES.replace("id = \"PF_STRETCH\"", "id = \"NOPE\"");
        assert!(
            matches!(PlanRules::parse(&unknown), Err(PlanError::Data(m)) if m.contains("NOPE"))
        );
        let uncovered = BUILTIN_PLAN_RULES.replace("conditions = [\"MTSS\"]", "conditions = []");
        assert!(
            matches!(PlanRules::parse(&uncovered), Err(PlanError::Data(m)) if m.contains("Mtss"))
        );
    }
}
