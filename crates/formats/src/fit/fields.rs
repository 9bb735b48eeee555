//! The FIT base types and the few messages and fields Soleus reads.
//!
//! A definition message names, for each field, its number, size and base type. When a
//! definition arrives, [`Wanted::slot`] says where each field Soleus uses should land in a
//! message's [`Values`]; data messages are then decoded by walking that short, precomputed list,
//! with no lookups per field. Everything else is skipped by length.
//!
//! Field and message numbers are those of the FIT SDK profile (`Profile.xlsx`, Messages sheet).

/// A FIT base type, reduced to how its bytes are read (FIT SDK, "Base Types" table: the low 5
/// bits of the base type byte number the type; bit 7 only says it has an endianness).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Base {
    /// `enum` (0) and `uint8` (2): invalid 0xFF.
    U8,
    /// `sint8` (1): invalid 0x7F.
    I8,
    /// `uint8z` (10): invalid 0x00.
    U8z,
    /// `sint16` (3): invalid 0x7FFF.
    I16,
    /// `uint16` (4): invalid 0xFFFF.
    U16,
    /// `uint16z` (11): invalid 0.
    U16z,
    /// `sint32` (5): invalid 0x7FFF_FFFF.
    I32,
    /// `uint32` (6): invalid 0xFFFF_FFFF.
    U32,
    /// `uint32z` (12): invalid 0.
    U32z,
    /// `float32` (8): invalid all bits set.
    F32,
    /// `float64` (9): invalid all bits set.
    F64,
    /// `sint64` (14): invalid 0x7FFF_FFFF_FFFF_FFFF.
    I64,
    /// `uint64` (15): invalid all bits set.
    U64,
    /// `uint64z` (16): invalid 0.
    U64z,
    /// `string` (7): NUL-terminated UTF-8.
    Str,
}

impl Base {
    /// The base type of a definition's base-type byte; `None` for `byte` arrays and unknown
    /// types, which Soleus never reads.
    pub(super) fn from_byte(b: u8) -> Option<Base> {
        Some(match b & 0x1F {
            0 | 2 => Base::U8,
            1 => Base::I8,
            3 => Base::I16,
            4 => Base::U16,
            5 => Base::I32,
            6 => Base::U32,
            7 => Base::Str,
            8 => Base::F32,
            9 => Base::F64,
            10 => Base::U8z,
            11 => Base::U16z,
            12 => Base::U32z,
            14 => Base::I64,
            15 => Base::U64,
            16 => Base::U64z,
            _ => return None,
        })
    }

    /// Bytes in one value (a string's minimum is one byte).
    pub(super) fn size(self) -> usize {
        match self {
            Base::U8 | Base::I8 | Base::U8z | Base::Str => 1,
            Base::I16 | Base::U16 | Base::U16z => 2,
            Base::I32 | Base::U32 | Base::U32z | Base::F32 => 4,
            Base::F64 | Base::I64 | Base::U64 | Base::U64z => 8,
        }
    }

    /// Reads the first value of a field from `b` (at least [`Base::size`] bytes), as `f64`, or
    /// NaN when it is the type's invalid value ("absent"). Every integer Soleus reads fits an
    /// f64 exactly (at most 32 bits; 64-bit values lose only precision it does not use).
    #[inline]
    pub(super) fn read(self, b: &[u8], big: bool) -> f64 {
        macro_rules! int {
            ($t:ty, $n:literal) => {{
                let mut a = [0u8; $n];
                a.copy_from_slice(&b[..$n]);
                if big {
                    <$t>::from_be_bytes(a)
                } else {
                    <$t>::from_le_bytes(a)
                }
            }};
        }
        fn ok<T: PartialEq>(v: T, invalid: T) -> Option<T> {
            (v != invalid).then_some(v)
        }
        let v = match self {
            Base::U8 => ok(b[0], 0xFF).map(f64::from),
            Base::I8 => ok(b[0] as i8, 0x7F).map(f64::from),
            Base::U8z => ok(b[0], 0).map(f64::from),
            Base::I16 => ok(int!(i16, 2), 0x7FFF).map(f64::from),
            Base::U16 => ok(int!(u16, 2), 0xFFFF).map(f64::from),
            Base::U16z => ok(int!(u16, 2), 0).map(f64::from),
            Base::I32 => ok(int!(i32, 4), 0x7FFF_FFFF).map(f64::from),
            Base::U32 => ok(int!(u32, 4), 0xFFFF_FFFF).map(f64::from),
            Base::U32z => ok(int!(u32, 4), 0).map(f64::from),
            Base::F32 => ok(int!(u32, 4), u32::MAX).map(|v| f64::from(f32::from_bits(v))),
            Base::F64 => ok(int!(u64, 8), u64::MAX).map(f64::from_bits),
            Base::I64 => ok(int!(i64, 8), i64::MAX).map(|v| v as f64),
            Base::U64 => ok(int!(u64, 8), u64::MAX).map(|v| v as f64),
            Base::U64z => ok(int!(u64, 8), 0).map(|v| v as f64),
            Base::Str => None,
        };
        v.filter(|v| v.is_finite()).unwrap_or(f64::NAN)
    }
}

/// The messages Soleus reads, by global message number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `file_id` (0).
    FileId,
    /// `sport` (12).
    Sport,
    /// `session` (18).
    Session,
    /// `lap` (19).
    Lap,
    /// `record` (20).
    Record,
    /// `device_info` (23).
    DeviceInfo,
    /// `activity` (34).
    Activity,
    /// Anything else: skipped by length.
    Skip,
}

impl Kind {
    /// The kind of a global message number.
    pub(super) fn of(global: u16) -> Kind {
        match global {
            0 => Kind::FileId,
            12 => Kind::Sport,
            18 => Kind::Session,
            19 => Kind::Lap,
            20 => Kind::Record,
            23 => Kind::DeviceInfo,
            34 => Kind::Activity,
            _ => Kind::Skip,
        }
    }
}

/// The field every message may carry: `timestamp` (253), seconds since the FIT epoch.
pub(super) const FIELD_TIMESTAMP: u8 = 253;

/// Where decoded values land: one slot per wanted field, NaN when absent.
pub(super) const SLOTS: usize = 14;

/// Slot numbers. Slot 0 is the message timestamp in every kind.
pub(super) mod slot {
    pub const TIMESTAMP: usize = 0;
    // record (20)
    pub const LAT: usize = 1;
    pub const LON: usize = 2;
    pub const ALT: usize = 3;
    pub const ENH_ALT: usize = 4;
    pub const DIST: usize = 5;
    pub const SPEED: usize = 6;
    pub const ENH_SPEED: usize = 7;
    pub const HR: usize = 8;
    pub const CADENCE: usize = 9;
    pub const FRAC_CADENCE: usize = 10;
    pub const POWER: usize = 11;
    // session (18) and lap (19)
    pub const START: usize = 1;
    pub const SPORT: usize = 2;
    pub const SUB_SPORT: usize = 3;
    pub const ELAPSED: usize = 4;
    pub const TIMER: usize = 5;
    pub const DISTANCE: usize = 6;
    pub const ASCENT: usize = 7;
    pub const DESCENT: usize = 8;
    pub const AVG_HR: usize = 9;
    pub const MAX_HR: usize = 10;
    pub const AVG_CADENCE: usize = 11;
    pub const AVG_FRAC_CADENCE: usize = 12;
    // file_id (0) and device_info (23)
    pub const FILE_TYPE: usize = 1;
    pub const MANUFACTURER: usize = 2;
    pub const PRODUCT: usize = 3;
    pub const TIME_CREATED: usize = 4;
    pub const DEVICE_INDEX: usize = 5;
    // activity (34)
    pub const LOCAL_TIMESTAMP: usize = 1;
    // sport (12): sport and sub_sport reuse the session slots.
}

/// Where a wanted field goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// A numeric slot.
    Num(usize),
    /// The message's one text field (`product_name`).
    Text,
}

/// The field numbers Soleus reads in each message.
pub(super) struct Wanted;

impl Wanted {
    /// Where field `num` of a `kind` message should land, if Soleus reads it.
    pub(super) fn slot(kind: Kind, num: u8) -> Option<Target> {
        use slot::*;
        if num == FIELD_TIMESTAMP && kind != Kind::Skip {
            return Some(Target::Num(TIMESTAMP));
        }
        let s = match (kind, num) {
            (Kind::Record, 0) => LAT,
            (Kind::Record, 1) => LON,
            (Kind::Record, 2) => ALT,
            (Kind::Record, 3) => HR,
            (Kind::Record, 4) => CADENCE,
            (Kind::Record, 5) => DIST,
            (Kind::Record, 6) => SPEED,
            (Kind::Record, 7) => POWER,
            (Kind::Record, 53) => FRAC_CADENCE,
            (Kind::Record, 73) => ENH_SPEED,
            (Kind::Record, 78) => ENH_ALT,
            // Session and lap share totals at different field numbers.
            (Kind::Session | Kind::Lap, 2) => START,
            (Kind::Session | Kind::Lap, 7) => ELAPSED,
            (Kind::Session | Kind::Lap, 8) => TIMER,
            (Kind::Session | Kind::Lap, 9) => DISTANCE,
            (Kind::Session, 5) | (Kind::Lap, 25) | (Kind::Sport, 0) => SPORT,
            (Kind::Session, 6) | (Kind::Lap, 39) | (Kind::Sport, 1) => SUB_SPORT,
            (Kind::Session, 16) | (Kind::Lap, 15) => AVG_HR,
            (Kind::Session, 17) | (Kind::Lap, 16) => MAX_HR,
            (Kind::Session, 18) | (Kind::Lap, 17) => AVG_CADENCE,
            (Kind::Session, 22) | (Kind::Lap, 21) => ASCENT,
            (Kind::Session, 23) | (Kind::Lap, 22) => DESCENT,
            (Kind::Session, 92) | (Kind::Lap, 80) => AVG_FRAC_CADENCE,
            (Kind::FileId, 0) => FILE_TYPE,
            (Kind::FileId, 1) | (Kind::DeviceInfo, 2) => MANUFACTURER,
            (Kind::FileId, 2) | (Kind::DeviceInfo, 4) => PRODUCT,
            (Kind::FileId, 4) => TIME_CREATED,
            (Kind::DeviceInfo, 0) => DEVICE_INDEX,
            (Kind::FileId, 8) | (Kind::DeviceInfo, 27) => return Some(Target::Text),
            (Kind::Activity, 5) => LOCAL_TIMESTAMP,
            _ => return None,
        };
        Some(Target::Num(s))
    }
}

/// The decoded values of one data message.
#[derive(Debug, Clone, Copy)]
pub(super) struct Values {
    /// Numeric slots, NaN when absent.
    pub nums: [f64; SLOTS],
    /// Byte range of the text field in the file, when present.
    pub text: Option<(usize, usize)>,
}

impl Values {
    /// All slots absent.
    pub(super) const EMPTY: Values = Values {
        nums: [f64::NAN; SLOTS],
        text: None,
    };

    /// The value in slot `i`, if present.
    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<f64> {
        let v = self.nums[i];
        (!v.is_nan()).then_some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_values_read_as_absent_per_base_type() {
        // Invalid values from the FIT SDK base type table.
        assert!(Base::U8.read(&[0xFF], false).is_nan());
        assert!(Base::I8.read(&[0x7F], false).is_nan());
        assert!(Base::U8z.read(&[0x00], false).is_nan());
        assert!(Base::U16.read(&[0xFF, 0xFF], true).is_nan());
        assert!(Base::I16.read(&[0xFF, 0x7F], false).is_nan());
        assert!(Base::I16.read(&[0x7F, 0xFF], true).is_nan());
        assert!(Base::U32.read(&[0xFF; 4], false).is_nan());
        assert!(Base::I32.read(&[0xFF, 0xFF, 0xFF, 0x7F], false).is_nan());
        assert!(Base::U32z.read(&[0; 4], false).is_nan());
        assert!(Base::F32.read(&[0xFF; 4], false).is_nan());
        // Valid values, both byte orders: 0x0102 = 258, -2 as sint16.
        assert_eq!(Base::U16.read(&[0x02, 0x01], false), 258.0);
        assert_eq!(Base::U16.read(&[0x01, 0x02], true), 258.0);
        assert_eq!(Base::I16.read(&[0xFE, 0xFF], false), -2.0);
        assert_eq!(Base::I8.read(&[0x80], false), -128.0);
        assert_eq!(Base::F32.read(&1.5f32.to_le_bytes(), false), 1.5);
    }

    #[test]
    fn wanted_fields_follow_the_profile_numbers() {
        assert_eq!(
            Wanted::slot(Kind::Session, 92),
            Some(Target::Num(slot::AVG_FRAC_CADENCE))
        );
        assert_eq!(
            Wanted::slot(Kind::Lap, 80),
            Some(Target::Num(slot::AVG_FRAC_CADENCE))
        );
        assert_eq!(
            Wanted::slot(Kind::Record, 8),
            None,
            "compressed_speed_distance"
        );
        assert_eq!(Wanted::slot(Kind::Skip, FIELD_TIMESTAMP), None);
        assert_eq!(Wanted::slot(Kind::DeviceInfo, 27), Some(Target::Text));
    }
}
