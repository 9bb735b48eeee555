//! Unit tests of the writers: FIT bytes checked by hand against the protocol, GPX and TCX parsed
//! as XML and their values compared with what went in.

use super::fit::{Encoder, Field, fit_time, mesg};
use super::*;
use chrono::TimeZone;
use soleus_model::{Lap, Sport};

/// A four-sample run with every channel; values picked so the expected text is easy to derive.
fn tiny_run() -> Activity {
    let start = Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap();
    let mut a = Activity::new(Sport::Run, start);
    a.name = Some("Tom & Jerry's <run>".into());
    a.device = Some("Garmin Forerunner 245".into());
    a.utc_offset_s = Some(7200);
    a.samples = (0..4)
        .map(|i| Sample {
            t: f64::from(i) * 2.0,
            lat: Some(48.15 + 1e-5 * f64::from(i)),
            lon: Some(11.59),
            alt: Some(515.0 + f64::from(i)),
            dist: Some(2.5 * f64::from(i)),
            speed: Some(1.25),
            hr: Some(140 + i as u8),
            cadence: Some(171.0),
            power: Some(250),
        })
        .collect();
    a.distance_m = Some(7.5);
    a.elapsed_s = Some(6.0);
    a.moving_s = Some(6.0);
    a.avg_hr = Some(141);
    a.max_hr = Some(143);
    a.avg_cadence = Some(171.0);
    a
}

#[test]
fn fit_header_and_file_crc_check_out() {
    let bytes = fit(&tiny_run());
    assert_eq!(bytes[0], 14, "header size");
    assert_eq!(bytes[1], 0x20, "protocol 2.0");
    assert_eq!(u16::from_le_bytes([bytes[2], bytes[3]]), 2132);
    let data_size = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    // Header (14) + data + file CRC (2) is the whole file.
    assert_eq!(data_size + 16, bytes.len());
    assert_eq!(&bytes[8..12], b".FIT");
    // A block followed by its own CRC checks to zero: true of the header and of the file.
    assert_eq!(crate::crc::crc16(&bytes[..14]), 0);
    assert_eq!(crate::crc::crc16(&bytes), 0);
    // And flipping one data byte breaks the file CRC.
    let mut bad = bytes.clone();
    bad[20] ^= 0x01;
    assert_ne!(crate::crc::crc16(&bad), 0);
}

#[test]
fn a_one_message_file_is_exactly_the_protocol_bytes() {
    let mut e = Encoder::new();
    e.message(
        mesg::FILE_ID,
        &[Field::Enum(0, Some(4)), Field::U16(1, None)],
    );
    e.message(
        mesg::FILE_ID,
        &[Field::Enum(0, Some(5)), Field::U16(1, Some(0x0102))],
    );
    let bytes = e.finish();
    // Worked out from the protocol: one definition (header 0x40, reserved, little-endian,
    // global 0, two fields: #0 size 1 enum, #1 size 2 uint16), then two data messages under
    // local type 0; an absent uint16 is 0xFFFF. The layout repeats, so no second definition.
    let body = [
        0x40, 0, 0, 0, 0, 2, 0, 1, 0x00, 1, 2, 0x84, // definition
        0x00, 4, 0xFF, 0xFF, // data
        0x00, 5, 0x02, 0x01, // data
    ];
    assert_eq!(&bytes[14..bytes.len() - 2], &body);
    assert_eq!(bytes[4], body.len() as u8);
}

#[test]
fn fit_times_count_from_1989_12_31() {
    assert_eq!(
        fit_time(Utc.with_ymd_and_hms(1989, 12, 31, 0, 0, 0).unwrap()),
        Some(0)
    );
    // 2026-05-01T07:00:00Z is Unix 1 777 618 800 (python datetime), minus 631 065 600.
    assert_eq!(
        fit_time(Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap()),
        Some(1_146_553_200)
    );
    assert_eq!(
        fit_time(Utc.with_ymd_and_hms(1980, 1, 1, 0, 0, 0).unwrap()),
        None
    );
}

#[test]
fn fit_holds_the_values_where_the_profile_puts_them() {
    let bytes = fit(&tiny_run());
    // The session's total_distance (field 9, uint32, scale 100) of 7.5 m is 750 = 0xEE 0x02;
    // the activity's local_timestamp is the end (start + 6 s) plus 7 200 s.
    let end = 1_146_553_200u32 + 6;
    let local = (end + 7_200).to_le_bytes();
    assert!(bytes.windows(4).any(|w| w == local), "local_timestamp");
    assert!(
        bytes.windows(4).any(|w| w == [0xEE, 0x02, 0, 0]),
        "total_distance"
    );
    // Cadence 171 steps/min is written per leg: 85 whole and 0.5 × 128 = 64 fractional.
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    // Each record: ... heart_rate, cadence, fractional_cadence, power (250 = 0xFA 0x00).
    assert!(has(&[140, 85, 64, 0xFA, 0x00]));
    assert!(has(&[143, 85, 64, 0xFA, 0x00]));
    // An unknown device is named in product_name, NUL-padded.
    let mut other = tiny_run();
    other.device = Some("Polar Vantage V".into());
    let b = fit(&other);
    assert!(b.windows(16).any(|w| w == b"Polar Vantage V\0"));
}

#[test]
fn strings_are_cut_at_a_character_boundary() {
    let mut out = Vec::new();
    // "Läufer" is L (1 byte) + ä (2 bytes): a 3-byte field keeps room for NUL, so only "L".
    let mut e = Encoder::new();
    e.message(mesg::WORKOUT, &[Field::Str(8, "Läufer".into(), 3)]);
    out.extend(e.finish());
    // Definition: 6 bytes + 3 for the field; then the data header; then the string.
    let data = &out[14 + 9 + 1..out.len() - 2];
    assert_eq!(data, b"L\0\0");
}

#[test]
fn a_workout_file_is_type_5() {
    let created = Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap();
    let steps = [fit::WorkoutStep {
        name: "Tempo".into(),
        seconds: 600,
        hr_zone: Some(4),
    }];
    let b = fit::workout("Tempo", created, Sport::Run, &steps);
    assert_eq!(crate::crc::crc16(&b), 0);
    // First definition: file_id with type (field 0) first; its data message follows, type 5.
    let def_len = 6 + 3 * 4;
    assert_eq!(b[14 + def_len], 0x00, "data header, local 0");
    assert_eq!(b[14 + def_len + 1], 5, "file type workout");
}

/// Every event of the XML must parse; returns the text of elements named `name`.
fn texts(xml: &str, name: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let (mut out, mut inside) = (Vec::new(), false);
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) => inside = e.name().as_ref() == name.as_bytes(),
            Event::Text(t) if inside => {
                out.push(String::from_utf8(t.to_vec()).unwrap());
                inside = false;
            }
            Event::Eof => break,
            _ => inside = false,
        }
    }
    out
}

#[test]
fn gpx_is_well_formed_with_garmin_extensions() {
    let xml = gpx(&tiny_run());
    assert!(xml.contains("<gpx version=\"1.1\" creator=\"Garmin Forerunner 245\""));
    assert_eq!(texts(&xml, "type"), ["running"]);
    assert!(xml.contains("<name>Tom &amp; Jerry&apos;s &lt;run&gt;</name>"));
    assert_eq!(texts(&xml, "gpxtpx:hr"), ["140", "141", "142", "143"]);
    // 171 steps/min → 85.5 strides/min, rounded half away from zero to 86.
    assert_eq!(texts(&xml, "gpxtpx:cad"), ["86"; 4]);
    assert_eq!(texts(&xml, "ele")[3], "518.0");
    // The first <time> is the metadata's; the third sample (t = 4 s) is the fourth.
    assert_eq!(texts(&xml, "time")[0], "2026-05-01T07:00:00Z");
    assert_eq!(texts(&xml, "time")[3], "2026-05-01T07:00:04Z");
    assert!(xml.contains("lat=\"48.1500300\" lon=\"11.5900000\""));
}

#[test]
fn tcx_is_well_formed_with_lap_totals_and_tpx() {
    let mut a = tiny_run();
    let xml = tcx(&a);
    assert_eq!(texts(&xml, "TotalTimeSeconds"), ["6.0"]);
    assert_eq!(texts(&xml, "ns3:RunCadence"), ["86"; 4]);
    assert_eq!(texts(&xml, "ns3:Speed"), ["1.250"; 4]);
    assert_eq!(texts(&xml, "ns3:Watts"), ["250"; 4]);
    assert_eq!(texts(&xml, "Name"), ["Forerunner 245"]);
    assert_eq!(texts(&xml, "ProductID"), ["3076"]);
    // Two laps split the samples at 4 s: t = 0, 2 in the first, 4, 6 in the second.
    let lap = |from: i64, d: f64| Lap {
        start: Some(a.start + chrono::Duration::seconds(from)),
        elapsed_s: Some(4.0),
        distance_m: Some(d),
        ..Lap::default()
    };
    a.laps = vec![lap(0, 5.0), lap(4, 2.5)];
    let xml = tcx(&a);
    assert_eq!(
        texts(&xml, "DistanceMeters"),
        ["5.0", "0.0", "2.5", "2.5", "5.0", "7.5"]
    );
    assert_eq!(xml.matches("<Lap ").count(), 2);
    assert_eq!(xml.matches("<TriggerMethod>Distance").count(), 2);
}
