//! FIT workout files: valid FIT that holds no activity, as a watch's planned-workout folder
//! has. Importers should report them skipped.

use super::fit::{Encoder, Field, fit_time, mesg, sport_codes};
use chrono::{DateTime, Utc};
use soleus_model::Sport;

/// One step of a FIT workout: a name, a duration in seconds, and a heart-rate zone (1–5) or
/// none (open target).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkoutStep {
    /// Step name ("Warm up").
    pub name: String,
    /// How long, seconds.
    pub seconds: u32,
    /// Heart-rate zone target, or `None` for an open target.
    pub hr_zone: Option<u8>,
}

/// A FIT workout file (file type 5): a valid FIT file that holds no activity, as a watch's
/// planned-workout folder does. Importers should skip it.
pub fn workout(name: &str, created: DateTime<Utc>, sport: Sport, steps: &[WorkoutStep]) -> Vec<u8> {
    let mut e = Encoder::new();
    e.message(
        mesg::FILE_ID,
        &[
            Field::Enum(0, Some(5)),
            Field::U16(1, Some(1)),
            Field::U16(2, Some(3076)),
            Field::U32(4, fit_time(created)),
        ],
    );
    e.message(
        mesg::WORKOUT,
        &[
            Field::Enum(4, Some(sport_codes(sport).0)),
            Field::U16(6, Some(steps.len() as u16)),
            Field::Str(8, name.to_string(), 24),
        ],
    );
    for (i, s) in steps.iter().enumerate() {
        e.message(
            mesg::WORKOUT_STEP,
            &[
                Field::U16(254, Some(i as u16)),
                Field::Str(0, s.name.clone(), 16),
                Field::Enum(1, Some(0)), // duration_type: time
                Field::U32(2, s.seconds.checked_mul(1000)),
                Field::Enum(3, Some(if s.hr_zone.is_some() { 1 } else { 2 })),
                Field::U32(4, Some(s.hr_zone.map_or(0, u32::from))),
                Field::Enum(7, Some(0)), // intensity: active
            ],
        );
    }
    e.finish()
}
