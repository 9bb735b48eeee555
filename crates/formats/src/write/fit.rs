//! A FIT writer: a tiny message encoder and the messages an activity file needs.
//!
//! Layout follows the FIT protocol (Garmin FIT SDK, "Flexible & Interoperable Data Transfer
//! Protocol" and `Profile.xlsx`): a 14-byte header whose last two bytes are the CRC of the first
//! twelve, definition and data messages with normal one-byte headers, little-endian fields, and
//! the CRC of everything before it as the last two bytes. Each message kind gets its own local
//! message type and is defined again only when its field layout changes.

use super::device_cadence;
use crate::crc;
use chrono::{DateTime, Utc};
use soleus_model::{Activity, Lap, Sport, geo};

pub use super::workout::{WorkoutStep, workout};

/// Seconds from the Unix epoch to the FIT epoch, 1989-12-31T00:00:00Z.
pub const FIT_EPOCH_UNIX: i64 = 631_065_600;
/// The FIT profile version written in the header (21.32).
pub const PROFILE_VERSION: u16 = 2132;

/// Global message numbers (FIT profile `mesg_num`).
pub mod mesg {
    /// file_id
    pub const FILE_ID: u16 = 0;
    /// session
    pub const SESSION: u16 = 18;
    /// lap
    pub const LAP: u16 = 19;
    /// record
    pub const RECORD: u16 = 20;
    /// event
    pub const EVENT: u16 = 21;
    /// workout
    pub const WORKOUT: u16 = 26;
    /// workout_step
    pub const WORKOUT_STEP: u16 = 27;
    /// activity
    pub const ACTIVITY: u16 = 34;
}

/// One field of a message: its number in the profile and a value of its base type. `None` is
/// written as the base type's "invalid" value, which is how FIT says "not recorded".
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// `enum` (base type 0x00).
    Enum(u8, Option<u8>),
    /// `uint8` (0x02).
    U8(u8, Option<u8>),
    /// `uint16` (0x84).
    U16(u8, Option<u16>),
    /// `sint32` (0x85).
    S32(u8, Option<i32>),
    /// `uint32` (0x86).
    U32(u8, Option<u32>),
    /// `string` (0x07), NUL-padded to the given width in bytes.
    Str(u8, String, u8),
}

impl Field {
    /// (field number, size in bytes, base type byte) for the definition message.
    fn definition(&self) -> [u8; 3] {
        match self {
            Field::Enum(n, _) => [*n, 1, 0x00],
            Field::U8(n, _) => [*n, 1, 0x02],
            Field::U16(n, _) => [*n, 2, 0x84],
            Field::S32(n, _) => [*n, 4, 0x85],
            Field::U32(n, _) => [*n, 4, 0x86],
            Field::Str(n, _, width) => [*n, *width, 0x07],
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Field::Enum(_, v) | Field::U8(_, v) => out.push(v.unwrap_or(u8::MAX)),
            Field::U16(_, v) => out.extend_from_slice(&v.unwrap_or(u16::MAX).to_le_bytes()),
            Field::S32(_, v) => out.extend_from_slice(&v.unwrap_or(i32::MAX).to_le_bytes()),
            Field::U32(_, v) => out.extend_from_slice(&v.unwrap_or(u32::MAX).to_le_bytes()),
            Field::Str(_, s, width) => {
                // Keep room for the terminating NUL and never cut a UTF-8 character in half.
                let mut end = s.len().min(usize::from(*width).saturating_sub(1));
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                out.extend_from_slice(&s.as_bytes()[..end]);
                out.resize(out.len() + usize::from(*width) - end, 0);
            }
        }
    }
}

/// Builds a FIT file message by message.
#[derive(Debug, Default)]
pub struct Encoder {
    body: Vec<u8>,
    /// Per local message type (index): the global number and field layout last defined.
    defined: Vec<(u16, Vec<[u8; 3]>)>,
}

impl Encoder {
    /// An empty file.
    pub fn new() -> Encoder {
        Encoder::default()
    }

    /// Appends one data message, preceded by a definition when this layout is new.
    pub fn message(&mut self, global: u16, fields: &[Field]) {
        let layout: Vec<[u8; 3]> = fields.iter().map(Field::definition).collect();
        let local = match self.defined.iter().position(|(g, _)| *g == global) {
            Some(i) => i,
            None => {
                self.defined.push((global, Vec::new()));
                self.defined.len() - 1
            }
        };
        // Sixteen local types are all a normal header can name; the writers here use fewer.
        assert!(local < 16, "too many message kinds for one FIT file");
        let header = local as u8;
        if self.defined[local].1 != layout {
            self.body.push(0x40 | header);
            self.body.push(0); // reserved
            self.body.push(0); // little-endian
            self.body.extend_from_slice(&global.to_le_bytes());
            self.body.push(layout.len() as u8);
            for d in &layout {
                self.body.extend_from_slice(d);
            }
            self.defined[local].1 = layout;
        }
        self.body.push(header);
        for f in fields {
            f.write(&mut self.body);
        }
    }

    /// The finished file: header with its CRC, the messages, and the file CRC.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 16);
        out.push(14);
        out.push(0x20); // protocol 2.0
        out.extend_from_slice(&PROFILE_VERSION.to_le_bytes());
        out.extend_from_slice(&(self.body.len() as u32).to_le_bytes());
        out.extend_from_slice(b".FIT");
        let header_crc = crc::crc16(&out);
        out.extend_from_slice(&header_crc.to_le_bytes());
        out.extend_from_slice(&self.body);
        let file_crc = crc::crc16(&out);
        out.extend_from_slice(&file_crc.to_le_bytes());
        out
    }
}

/// A UTC time as FIT `date_time` (seconds since 1989-12-31), rounded to the second.
pub fn fit_time(t: DateTime<Utc>) -> Option<u32> {
    let ms = t.timestamp_millis() - FIT_EPOCH_UNIX * 1000;
    u32::try_from((ms + 500).div_euclid(1000)).ok()
}

/// `round(value * scale + offset)` when it fits the unsigned field; out of range is "invalid".
fn scaled(value: Option<f64>, scale: f64, offset: f64, max: u32) -> Option<u32> {
    let v = ((value? + offset) * scale).round();
    (v.is_finite() && v >= 0.0 && v < f64::from(max)).then_some(v as u32)
}

fn scaled_u16(value: Option<f64>, scale: f64) -> Option<u16> {
    scaled(value, scale, 0.0, u32::from(u16::MAX)).map(|v| v as u16)
}

/// Degrees as FIT semicircles (2^31 per 180°).
fn semicircles(deg: Option<f64>) -> Option<i32> {
    let v = (deg? * (2f64.powi(31) / 180.0)).round();
    (v.is_finite() && v.abs() < f64::from(i32::MAX)).then_some(v as i32)
}

/// FIT `sport` and `sub_sport` numbers for a sport.
pub fn sport_codes(sport: Sport) -> (u8, u8) {
    match sport {
        Sport::Run => (1, 0),
        Sport::TrailRun => (1, 3),
        Sport::Treadmill => (1, 1),
        Sport::Track => (1, 4),
        Sport::Walk => (11, 0),
        Sport::Hike => (17, 0),
        Sport::Ride => (2, 0),
        Sport::Swim => (5, 0),
        Sport::Other => (0, 0),
    }
}

/// FIT manufacturer and product for a device name; unknown devices are written as
/// manufacturer `development` (255) with the name in `product_name`.
pub fn device_codes(device: Option<&str>) -> (u16, u16, Option<&str>) {
    // Product numbers from the FIT profile's `garmin_product` table.
    match device {
        Some("Garmin Forerunner 245") => (1, 3076, None),
        Some("Garmin Edge 530") => (1, 3121, None),
        _ => (255, 0, device),
    }
}

/// Writes an activity as a FIT activity file (file type 4). See the module docs for the layout.
pub fn fit(a: &Activity) -> Vec<u8> {
    let mut e = Encoder::new();
    let start = fit_time(a.start);
    let (manufacturer, product, name) = device_codes(a.device.as_deref());
    let mut file_id = vec![
        Field::Enum(0, Some(4)),
        Field::U16(1, Some(manufacturer)),
        Field::U16(2, Some(product)),
        Field::U32(4, start),
    ];
    if let Some(name) = name {
        file_id.push(Field::Str(8, name.to_string(), 32));
    }
    e.message(mesg::FILE_ID, &file_id);

    let at = |t: f64| fit_time(a.start + chrono::Duration::milliseconds((t * 1000.0) as i64));
    let first_t = a.samples.first().map_or(0.0, |s| s.t);
    timer_event(&mut e, at(first_t), 0);
    write_records(&mut e, a, &at);
    let end_t = a
        .elapsed_s
        .or_else(|| a.samples.last().map(|s| s.t))
        .unwrap_or(0.0);
    let end = at(end_t);
    timer_event(&mut e, end, 4);

    let one_lap;
    let laps: &[Lap] = if a.laps.is_empty() {
        one_lap = [Lap {
            start: Some(a.start),
            elapsed_s: a.elapsed_s,
            moving_s: a.moving_s,
            distance_m: a.distance_m,
            ascent_m: a.ascent_m,
            descent_m: a.descent_m,
            avg_hr: a.avg_hr,
            max_hr: a.max_hr,
            avg_cadence: a.avg_cadence,
        }];
        &one_lap
    } else {
        &a.laps
    };
    let (sport, sub_sport) = sport_codes(a.sport);
    for (i, lap) in laps.iter().enumerate() {
        let lap_start = lap.start.unwrap_or(a.start);
        let lap_end = lap_start
            + chrono::Duration::milliseconds((lap.elapsed_s.unwrap_or(0.0) * 1000.0) as i64);
        let mut f = vec![
            Field::U32(253, fit_time(lap_end)),
            Field::U16(254, Some(i as u16)),
            Field::Enum(0, Some(9)), // event: lap
            Field::Enum(1, Some(1)), // event_type: stop
            Field::U32(2, fit_time(lap_start)),
            Field::Enum(25, Some(sport)),
            Field::Enum(39, Some(sub_sport)),
        ];
        f.extend(totals(
            a,
            &Totals::from_lap(lap),
            [7, 8, 9, 15, 16, 17, 80, 21, 22, 110],
        ));
        e.message(mesg::LAP, &f);
    }

    let mut f = vec![
        Field::U32(253, end),
        Field::U16(254, Some(0)),
        Field::Enum(0, Some(8)), // event: session
        Field::Enum(1, Some(1)), // event_type: stop
        Field::U32(2, start),
        Field::Enum(5, Some(sport)),
        Field::Enum(6, Some(sub_sport)),
        Field::U16(25, Some(0)),
        Field::U16(26, Some(laps.len() as u16)),
    ];
    f.extend(totals(
        a,
        &Totals::from_activity(a),
        [7, 8, 9, 16, 17, 18, 92, 22, 23, 124],
    ));
    e.message(mesg::SESSION, &f);

    let local = a.utc_offset_s.and_then(|off| {
        let end = end?;
        u32::try_from(i64::from(end) + i64::from(off)).ok()
    });
    let timer = scaled(a.moving_s.or(a.elapsed_s), 1000.0, 0.0, u32::MAX);
    let mut f = vec![
        Field::U32(253, end),
        Field::U32(0, timer),
        Field::U16(1, Some(1)),
        Field::Enum(2, Some(0)),  // type: manual
        Field::Enum(3, Some(26)), // event: activity
        Field::Enum(4, Some(1)),  // event_type: stop
    ];
    if local.is_some() {
        f.push(Field::U32(5, local));
    }
    e.message(mesg::ACTIVITY, &f);
    e.finish()
}

/// A timer event: `event_type` 0 is start, 4 is stop_all.
fn timer_event(e: &mut Encoder, at: Option<u32>, event_type: u8) {
    e.message(
        mesg::EVENT,
        &[
            Field::U32(253, at),
            Field::Enum(0, Some(0)),
            Field::Enum(1, Some(event_type)),
            Field::U32(3, Some(0)),
        ],
    );
}

/// Record messages with the channels the samples have; a pause longer than the gap a device
/// would bridge is written as timer stop and start events, as auto-pause does.
fn write_records(e: &mut Encoder, a: &Activity, at: &dyn Fn(f64) -> Option<u32>) {
    let any = |f: &dyn Fn(&soleus_model::Sample) -> bool| a.samples.iter().any(f);
    let (pos, alt, dist) = (
        any(&|s| s.lat.is_some() && s.lon.is_some()),
        any(&|s| s.alt.is_some()),
        any(&|s| s.dist.is_some()),
    );
    let (speed, hr) = (any(&|s| s.speed.is_some()), any(&|s| s.hr.is_some()));
    let (cad, power) = (any(&|s| s.cadence.is_some()), any(&|s| s.power.is_some()));
    let mut prev_t: Option<f64> = None;
    for s in &a.samples {
        if let Some(p) = prev_t
            && s.t - p > geo::MAX_GAP_S
        {
            timer_event(e, at(p), 4);
            timer_event(e, at(s.t), 0);
        }
        prev_t = Some(s.t);
        let mut f = vec![Field::U32(253, at(s.t))];
        if pos {
            // A fix is both coordinates or neither.
            let fix = s.lat.zip(s.lon);
            f.push(Field::S32(0, semicircles(fix.map(|p| p.0))));
            f.push(Field::S32(1, semicircles(fix.map(|p| p.1))));
        }
        if alt {
            f.push(Field::U32(78, scaled(s.alt, 5.0, 500.0, u32::MAX)));
        }
        if dist {
            f.push(Field::U32(5, scaled(s.dist, 100.0, 0.0, u32::MAX)));
        }
        if speed {
            f.push(Field::U32(73, scaled(s.speed, 1000.0, 0.0, u32::MAX)));
        }
        if hr {
            f.push(Field::U8(3, s.hr.filter(|h| *h != u8::MAX)));
        }
        if cad {
            let c = s.cadence.map(|c| device_cadence(a, c));
            let whole = c.map(f64::trunc);
            let frac = c.zip(whole).map(|(c, w)| c - w);
            f.push(Field::U8(4, scaled(whole, 1.0, 0.0, 255).map(|v| v as u8)));
            f.push(Field::U8(
                53,
                scaled(frac, 128.0, 0.0, 255).map(|v| v as u8),
            ));
        }
        if power {
            f.push(Field::U16(7, s.power.filter(|p| *p != u16::MAX)));
        }
        e.message(mesg::RECORD, &f);
    }
}

/// The totals lap and session messages share.
struct Totals {
    elapsed: Option<f64>,
    moving: Option<f64>,
    distance: Option<f64>,
    avg_hr: Option<u8>,
    max_hr: Option<u8>,
    cadence: Option<f64>,
    ascent: Option<f64>,
    descent: Option<f64>,
}

impl Totals {
    fn from_lap(l: &Lap) -> Totals {
        Totals {
            elapsed: l.elapsed_s,
            moving: l.moving_s,
            distance: l.distance_m,
            avg_hr: l.avg_hr,
            max_hr: l.max_hr,
            cadence: l.avg_cadence,
            ascent: l.ascent_m,
            descent: l.descent_m,
        }
    }

    fn from_activity(a: &Activity) -> Totals {
        Totals {
            elapsed: a.elapsed_s,
            moving: a.moving_s,
            distance: a.distance_m,
            avg_hr: a.avg_hr,
            max_hr: a.max_hr,
            cadence: a.avg_cadence,
            ascent: a.ascent_m,
            descent: a.descent_m,
        }
    }
}

/// Total fields, numbered as given: total_elapsed_time, total_timer_time, total_distance,
/// avg_heart_rate, max_heart_rate, avg_cadence, avg_fractional_cadence, total_ascent,
/// total_descent, enhanced_avg_speed (the numbers differ between lap and session).
fn totals(a: &Activity, t: &Totals, n: [u8; 10]) -> Vec<Field> {
    let cad = t.cadence.map(|c| device_cadence(a, c));
    let whole = cad.map(f64::trunc);
    let frac = cad.zip(whole).map(|(c, w)| c - w);
    let timer = t.moving.or(t.elapsed);
    let avg_speed = t
        .distance
        .zip(timer)
        .and_then(|(d, s)| (s > 0.0).then_some(d / s));
    vec![
        Field::U32(n[0], scaled(t.elapsed, 1000.0, 0.0, u32::MAX)),
        Field::U32(n[1], scaled(timer, 1000.0, 0.0, u32::MAX)),
        Field::U32(n[2], scaled(t.distance, 100.0, 0.0, u32::MAX)),
        Field::U8(n[3], t.avg_hr.filter(|h| *h != u8::MAX)),
        Field::U8(n[4], t.max_hr.filter(|h| *h != u8::MAX)),
        Field::U8(n[5], scaled(whole, 1.0, 0.0, 255).map(|v| v as u8)),
        Field::U8(n[6], scaled(frac, 128.0, 0.0, 255).map(|v| v as u8)),
        Field::U16(n[7], scaled_u16(t.ascent, 1.0)),
        Field::U16(n[8], scaled_u16(t.descent, 1.0)),
        Field::U32(n[9], scaled(avg_speed, 1000.0, 0.0, u32::MAX)),
    ]
}
