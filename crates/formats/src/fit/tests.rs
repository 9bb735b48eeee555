//! Hand-built FIT files with exactly known contents: every expected value below follows from
//! the bytes written here and the FIT profile's scales, worked out in the comments.

use chrono::{TimeZone, Utc};
use soleus_model::Sport;

use crate::{DecodeError, Limits};

/// The FIT time used as the start: 1e9 s after 1989-12-31T00:00:00Z is Unix 1 631 065 600,
/// 2021-09-08T01:46:40Z. Its low five bits are 0 (1e9 = 0x3B9A_CA00).
const T0: u32 = 1_000_000_000;

/// Writes FIT messages; `finish` adds a 14-byte header and the CRC.
#[derive(Default)]
struct Fit {
    data: Vec<u8>,
}

impl Fit {
    /// A definition: `fields` are (number, size, base type byte); `dev` developer fields are
    /// (number, size, developer index).
    fn def(
        &mut self,
        local: u8,
        global: u16,
        big: bool,
        fields: &[(u8, u8, u8)],
        dev: &[(u8, u8, u8)],
    ) {
        let flag = if dev.is_empty() { 0x40 } else { 0x60 };
        self.data.push(flag | local);
        self.data.push(0);
        self.data.push(u8::from(big));
        let g = if big {
            global.to_be_bytes()
        } else {
            global.to_le_bytes()
        };
        self.data.extend_from_slice(&g);
        self.data.push(fields.len() as u8);
        for f in fields {
            self.data.extend_from_slice(&[f.0, f.1, f.2]);
        }
        if !dev.is_empty() {
            self.data.push(dev.len() as u8);
            for f in dev {
                self.data.extend_from_slice(&[f.0, f.1, f.2]);
            }
        }
    }

    fn msg(&mut self, header: u8, body: &[u8]) {
        self.data.push(header);
        self.data.extend_from_slice(body);
    }

    fn finish(&self) -> Vec<u8> {
        let mut out = vec![14, 0x20];
        out.extend_from_slice(&2132u16.to_le_bytes());
        out.extend_from_slice(&(self.data.len() as u32).to_le_bytes());
        out.extend_from_slice(b".FIT");
        let hcrc = crate::crc::crc16(&out);
        out.extend_from_slice(&hcrc.to_le_bytes());
        out.extend_from_slice(&self.data);
        let crc = crate::crc::crc16(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }
}

/// Base type bytes (FIT SDK base type table).
const ENUM: u8 = 0x00;
const U8: u8 = 0x02;
const U16: u8 = 0x84;
const S32: u8 = 0x85;
const U32: u8 = 0x86;

fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

/// file_id, three records (big-endian, with a developer field, two of them with compressed
/// timestamps), a lap, a session with one mis-sized field, and an activity message.
fn sample_file(file_type: u8) -> (Fit, usize) {
    let mut f = Fit::default();
    f.def(
        0,
        0,
        false,
        &[(0, 1, ENUM), (1, 2, U16), (2, 2, U16), (4, 4, U32)],
        &[],
    );
    let mut b = vec![file_type];
    b.extend_from_slice(&1u16.to_le_bytes()); // garmin
    b.extend_from_slice(&2691u16.to_le_bytes()); // fr935
    b.extend_from_slice(&le32(T0));
    f.msg(0x00, &b);
    // record: timestamp, lat, long, enhanced_altitude, distance, hr, cadence,
    // fractional_cadence, power; plus a 3-byte developer field.
    f.def(
        1,
        20,
        true,
        &[
            (253, 4, U32),
            (0, 4, S32),
            (1, 4, S32),
            (78, 4, U32),
            (5, 4, U32),
            (3, 1, U8),
            (4, 1, U8),
            (53, 1, U8),
            (7, 2, U16),
        ],
        &[(0, 3, 0)],
    );
    let record = |ts: Option<u32>, lat: i32, dist: u32, hr: u8| {
        let mut b = Vec::new();
        if let Some(ts) = ts {
            b.extend_from_slice(&ts.to_be_bytes());
        }
        b.extend_from_slice(&lat.to_be_bytes());
        b.extend_from_slice(&(-(1i32 << 28)).to_be_bytes()); // −2^28 semicircles = −22.5°
        b.extend_from_slice(&3000u32.to_be_bytes()); // 3000 / 5 − 500 = 100 m
        b.extend_from_slice(&dist.to_be_bytes());
        b.extend_from_slice(&[hr, 85, 64]); // cadence 85 + 64/128 = 85.5 strides/min
        b.extend_from_slice(&0xFFFFu16.to_be_bytes()); // power invalid: absent
        b.extend_from_slice(&[1, 2, 3]); // developer field, skipped
        b
    };
    f.msg(0x01, &record(Some(T0), 1 << 29, 0, 150)); // 2^29 semicircles = 45°
    // Compressed timestamps carry no timestamp field, so the body omits it; a compressed
    // message needs a definition without field 253 — local 2 is the same record layout minus
    // the timestamp.
    f.def(
        2,
        20,
        true,
        &[
            (0, 4, S32),
            (1, 4, S32),
            (78, 4, U32),
            (5, 4, U32),
            (3, 1, U8),
            (4, 1, U8),
            (53, 1, U8),
            (7, 2, U16),
        ],
        &[(0, 3, 0)],
    );
    // Header 1 10 xxxxx: compressed, local 2, offset 3 → T0 + 3.
    f.msg(
        0x80 | (2 << 5) | 3,
        &record(None, (1 << 29) + 1000, 1000, 0xFF),
    );
    // Offset 1 is below the last time's low bits (3): rolls over to T0 + 32 + 1.
    f.msg(
        0x80 | (2 << 5) | 1,
        &record(None, (1 << 29) + 2000, 2000, 152),
    );
    let before_summaries = f.data.len();
    // lap: start_time, total_elapsed_time, total_timer_time, total_distance, avg_cadence,
    // avg_fractional_cadence (80).
    f.def(
        3,
        19,
        false,
        &[
            (2, 4, U32),
            (7, 4, U32),
            (8, 4, U32),
            (9, 4, U32),
            (17, 1, U8),
            (80, 1, U8),
        ],
        &[],
    );
    let mut b = Vec::new();
    for v in [T0, 33_000, 30_000, 2_000] {
        b.extend_from_slice(&le32(v));
    }
    b.extend_from_slice(&[85, 64]);
    f.msg(0x03, &b);
    // session: timestamp, start_time, sport, sub_sport, elapsed, timer, distance, ascent,
    // descent declared 1 byte for a uint16 (skipped), avg/max hr, avg_cadence.
    f.def(
        4,
        18,
        false,
        &[
            (253, 4, U32),
            (2, 4, U32),
            (5, 1, ENUM),
            (6, 1, ENUM),
            (7, 4, U32),
            (8, 4, U32),
            (9, 4, U32),
            (22, 2, U16),
            (23, 1, U16),
            (16, 1, U8),
            (17, 1, U8),
            (18, 1, U8),
        ],
        &[],
    );
    let mut b = Vec::new();
    b.extend_from_slice(&le32(T0 + 33));
    b.extend_from_slice(&le32(T0));
    b.extend_from_slice(&[1, 3]); // running / trail
    for v in [33_000, 30_000, 2_000] {
        b.extend_from_slice(&le32(v));
    }
    b.extend_from_slice(&5u16.to_le_bytes());
    b.extend_from_slice(&[9, 150, 160, 85]);
    f.msg(0x04, &b);
    // activity: timestamp and local_timestamp two hours ahead.
    f.def(5, 34, false, &[(253, 4, U32), (5, 4, U32)], &[]);
    let mut b = le32(T0 + 33).to_vec();
    b.extend_from_slice(&le32(T0 + 33 + 7200));
    f.msg(0x05, &b);
    (f, before_summaries)
}

#[test]
fn hand_built_file_decodes_to_exact_values() {
    let (f, _) = sample_file(4);
    let out = super::decode(&f.finish(), &Limits::default()).unwrap();
    assert_eq!(out.activities.len(), 1);
    let a = &out.activities[0];
    assert_eq!(a.sport, Sport::TrailRun);
    assert_eq!(a.sport_detail.as_deref(), Some("running/trail"));
    assert_eq!(
        a.start,
        Utc.with_ymd_and_hms(2021, 9, 8, 1, 46, 40).unwrap()
    );
    assert_eq!(a.utc_offset_s, Some(7200));
    assert_eq!(a.device.as_deref(), Some("Garmin Forerunner 935"));
    // Session totals: 2000 cm, 33 000 ms, 30 000 ms; ascent 5 m.
    assert_eq!(a.distance_m, Some(20.0));
    assert_eq!(a.elapsed_s, Some(33.0));
    assert_eq!(a.moving_s, Some(30.0));
    assert_eq!(a.ascent_m, Some(5.0));
    // Descent was skipped (1 byte for a uint16) and recomputed from a flat 100 m profile.
    assert_eq!(a.descent_m, Some(0.0));
    assert_eq!((a.avg_hr, a.max_hr), (Some(150), Some(160)));
    // 85 strides/min on foot is 170 steps/min.
    assert_eq!(a.avg_cadence, Some(170.0));
    assert_eq!(a.laps.len(), 1);
    assert_eq!(a.laps[0].distance_m, Some(20.0));
    assert_eq!(a.laps[0].avg_cadence, Some(171.0)); // (85 + 64/128) × 2
    let t: Vec<f64> = a.samples.iter().map(|s| s.t).collect();
    assert_eq!(t, [0.0, 3.0, 33.0]);
    let s = &a.samples[0];
    assert_eq!(
        (s.lat, s.lon, s.alt),
        (Some(45.0), Some(-22.5), Some(100.0))
    );
    assert_eq!(
        (s.dist, s.hr, s.cadence, s.power),
        (Some(0.0), Some(150), Some(171.0), None)
    );
    assert_eq!(a.samples[1].hr, None, "0xFF is absent");
    assert_eq!(a.samples[1].dist, Some(10.0));
    // 1000 semicircles north of 45°: 1000 × 180 / 2^31 degrees.
    assert_eq!(
        a.samples[1].lat,
        Some(45.0 + 1000.0 * 180.0 / 2_147_483_648.0)
    );
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("does not match their type"));
}

#[test]
fn truncated_file_keeps_the_records_before_the_cut() {
    let (f, summaries) = sample_file(4);
    let bytes = f.finish();
    // Cut 5 bytes into the lap definition: header 14 + the data before it + 5.
    let cut = 14 + summaries + 5;
    let out = super::decode(&bytes[..cut], &Limits::default()).unwrap();
    let a = &out.activities[0];
    assert_eq!(a.samples.len(), 3);
    // No session: start from the first record, totals from the samples.
    assert_eq!(
        a.start,
        Utc.with_ymd_and_hms(2021, 9, 8, 1, 46, 40).unwrap()
    );
    assert_eq!(a.distance_m, Some(20.0), "last cumulative device distance");
    assert!(
        out.warnings[0].contains(&format!("file ends at byte {cut}")),
        "{:?}",
        out.warnings
    );
    assert!(out.warnings[0].contains("imported the 3 records"));
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("no session summary"))
    );
}

#[test]
fn crc_mismatch_imports_with_a_warning() {
    let (f, _) = sample_file(4);
    let mut bytes = f.finish();
    let n = bytes.len();
    bytes[n - 1] ^= 0x55;
    let out = super::decode(&bytes, &Limits::default()).unwrap();
    assert_eq!(out.activities.len(), 1);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("fails its CRC check"))
    );
}

#[test]
fn chained_files_keep_their_records_apart() {
    let (f, _) = sample_file(4);
    let one = f.finish();
    let two = [one.clone(), one].concat();
    let out = super::decode(&two, &Limits::default()).unwrap();
    // Two sessions of one sport with the same start are copies of one recording: one is
    // kept, with its own section's three records, not the six of both sections.
    assert_eq!(out.activities.len(), 1);
    assert_eq!(out.activities[0].samples.len(), 3);
    assert!(out.warnings.iter().any(|w| w.contains("more than once")));
}

#[test]
fn max_samples_counts_per_activity_in_a_chained_stream() {
    // Three records per section; four sections hold twelve, over a limit of three.
    let (f, _) = sample_file(4);
    let one = f.finish();
    let three = Limits {
        max_samples: 3,
        ..Limits::default()
    };
    let four = [one.clone(), one.clone(), one.clone(), one.clone()].concat();
    // Decoding does not stop at the limit: each section's three records count apart. (The
    // four copies of one recording then become one activity.)
    let out = super::decode(&four, &three).unwrap();
    assert_eq!(out.activities.len(), 1);
    assert_eq!(out.activities[0].samples.len(), 3);
    // One activity over the limit is still refused...
    let two = Limits {
        max_samples: 2,
        ..Limits::default()
    };
    assert_eq!(
        super::decode(&four, &two).unwrap_err(),
        DecodeError::TooLarge {
            limit: 2,
            what: "records in one activity"
        }
    );
    // ...and the whole file may hold four times the limit, not more.
    let five = [four, one].concat();
    assert_eq!(
        super::decode(&five, &three).unwrap_err(),
        DecodeError::TooLarge {
            limit: 12,
            what: "records in the file"
        }
    );
}

#[test]
fn non_activity_files_are_skipped_by_type() {
    let (f, _) = sample_file(5);
    let err = super::decode(&f.finish(), &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        DecodeError::NotAnActivity {
            reason: "a FIT workout file".into()
        }
    );
}

#[test]
fn an_undefined_local_type_stops_with_what_was_read() {
    let (mut f, summaries) = sample_file(4);
    f.data.insert(summaries, 0x09); // data message of local type 9, never defined
    let out = super::decode(&f.finish(), &Limits::default()).unwrap();
    assert_eq!(out.activities[0].samples.len(), 3);
    let at = 14 + summaries;
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains(&format!("byte {at}")) && w.contains("no definition")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn garbage_and_limits_are_errors() {
    let err = super::decode(b"hello, not a fit file", &Limits::default()).unwrap_err();
    assert!(matches!(err, DecodeError::Fit { offset: 0, .. }), "{err:?}");
    let (f, _) = sample_file(4);
    let small = Limits {
        max_samples: 2,
        ..Limits::default()
    };
    // The message names what the limit counts.
    let e = DecodeError::TooLarge {
        limit: 256 * 1024 * 1024,
        what: "bytes",
    };
    assert!(e.to_string().contains("256 MiB"), "{e}");
    assert_eq!(
        super::decode(&f.finish(), &small).unwrap_err(),
        DecodeError::TooLarge {
            limit: 2,
            what: "records in one activity"
        }
    );
}

/// Inputs the fuzzer found panicking, reduced to their essence.
#[test]
fn fuzz_regressions_do_not_panic() {
    // A 14-byte header size in a 13-byte file: the header CRC lies past the end.
    let mut short = vec![14, 0x10, 0, 0, 0, 0, 0, 0];
    short.extend_from_slice(b".FIT");
    short.push(0);
    assert!(super::decode(&short, &Limits::default()).is_err());
}

#[test]
fn a_data_size_too_small_reads_on() {
    let (f, summaries) = sample_file(4);
    let mut bytes = f.finish();
    // Claim the data ends 3 bytes into the lap definition: the lap definition crosses it.
    let wrong = (summaries + 3) as u32;
    bytes[4..8].copy_from_slice(&wrong.to_le_bytes());
    let hcrc = crate::crc::crc16(&bytes[..12]);
    bytes[12..14].copy_from_slice(&hcrc.to_le_bytes());
    let out = super::decode(&bytes, &Limits::default()).unwrap();
    let a = &out.activities[0];
    // The session after the wrong end was still read.
    assert_eq!(
        (a.samples.len(), a.laps.len(), a.distance_m),
        (3, 1, Some(20.0))
    );
    assert!(
        out.warnings.iter().any(|w| w.contains("runs past them")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn a_file_broken_before_any_record_is_an_error_naming_the_byte() {
    let mut f = Fit::default();
    f.msg(0x07, &[0; 4]); // data of local type 7 with no definition, first thing in the file
    let err = super::decode(&f.finish(), &Limits::default()).unwrap_err();
    match err {
        DecodeError::Fit { offset, what } => {
            assert_eq!(offset, 14, "right after the 14-byte header");
            assert!(what.contains("local message type 7"), "{what}");
        }
        e => panic!("{e:?}"),
    }
}
