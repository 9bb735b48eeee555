//! What GPX writers put outside the usual places: SportTracks' file-level heart rate, Strava's
//! numeric activity types, and points whose coordinates are off the globe. The files are
//! written here in each writer's shape; each expected value comes from how they are built.

use soleus_formats::{DecodeError, Limits, decode};
use soleus_model::Sport;

/// A GPX of `n` points 10 s apart from 07:00:00, 30 m apart due north from (50, 8), with
/// `extra` at file level and `kind` as the track's `<type>`.
fn gpx(n: usize, kind: &str, extra: &str) -> String {
    let mut s = format!(
        r#"<?xml version="1.0"?><gpx version="1.1" creator="SportTracks 3.1" xmlns:st="urn:uuid:D0EB2ED5-49B6-44e3-B13C-CF15BE7DD7DD">{extra}<trk><name>Zwift - Watopia</name><type>{kind}</type><trkseg>"#
    );
    for i in 0..n {
        s.push_str(&format!(
            r#"<trkpt lat="{:.6}" lon="8.0"><time>2026-05-01T07:{:02}:{:02}Z</time></trkpt>"#,
            50.0 + 0.00027 * i as f64,
            i * 10 / 60,
            i * 10 % 60
        ));
    }
    s.push_str("</trkseg></trk></gpx>");
    s
}

#[test]
fn sporttracks_heart_rate_at_file_level_reaches_the_points() {
    // SportTracks writes heart rate in a file-level track of readings, here every 20 s:
    // 120 bpm at 07:00:00, 130 at 07:00:20, 140 at 07:00:40. Each point takes the nearest
    // reading; before, the points had no heart rate at all.
    let readings = r#"<extensions><st:activity><st:heartRateTrack>
        <st:heartRate time="2026-05-01T07:00:00Z" bpm="120"/>
        <st:heartRate time="2026-05-01T07:00:20Z" bpm="130"/>
        <st:heartRate time="2026-05-01T07:00:40Z" bpm="140"/>
        </st:heartRateTrack></st:activity></extensions>"#;
    let d = decode(gpx(5, "running", readings).as_bytes(), &Limits::default()).unwrap();
    let hr: Vec<Option<u8>> = d.activities[0].samples.iter().map(|s| s.hr).collect();
    // Points at 0, 10, 20, 30, 40 s: 10 s is as near 0 s as 20 s, and the earlier wins;
    // 30 s likewise takes 20 s's.
    assert_eq!(
        hr,
        [Some(120), Some(120), Some(130), Some(130), Some(140)].to_vec()
    );
    assert_eq!(d.activities[0].max_hr, Some(140));
}

#[test]
fn strava_numeric_types_are_mapped() {
    // Strava's GPX exports write the activity type as a number: 17 is VirtualRide, 53
    // VirtualRun, 4 Hike (Strava's activity-type list; see `strava_type`). Before, 17 was
    // "other" (only 1 and 9 were known).
    for (code, sport, name) in [
        ("17", Sport::Ride, "VirtualRide"),
        ("53", Sport::Treadmill, "VirtualRun"),
        ("4", Sport::Hike, "Hike"),
    ] {
        let d = decode(gpx(5, code, "").as_bytes(), &Limits::default()).unwrap();
        assert_eq!(d.activities[0].sport, sport, "{code}");
        assert_eq!(d.activities[0].sport_detail.as_deref(), Some(name));
    }
    assert_eq!(soleus_formats::gpx::strava_type("20"), None, "no type 20");
}

#[test]
fn points_off_the_globe_are_refused_and_a_file_of_nothing_else_fails() {
    // One point at latitude 91°, which does not exist. Before, it was stored as an empty
    // activity; now the file fails, saying why.
    let one = gpx(1, "running", "").replace(r#"lat="50.000000""#, r#"lat="91""#);
    match decode(one.as_bytes(), &Limits::default()) {
        Err(e @ DecodeError::NoValidPoints { .. }) => {
            assert!(!e.is_skip(), "a failure, not a skip");
            assert!(e.to_string().contains(r#"lat "91""#), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // Three points, the second at longitude 200°: it is left out with a warning, the other
    // two are kept (before, it was kept without a position).
    let three = gpx(3, "running", "").replace(
        r#"lat="50.000270" lon="8.0""#,
        r#"lat="50.000270" lon="200""#,
    );
    let d = decode(three.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(d.activities[0].samples.len(), 2);
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("left out 1 track point(s) with coordinates off the globe")),
        "{:?}",
        d.warnings
    );
}
