//! Small hand-written GPX and TCX files with every expected value worked out by hand.

use chrono::{TimeZone, Utc};
use soleus_formats::{DecodeError, Limits, gpx, tcx};
use soleus_model::{Sport, TotalsSource};

/// Meridian arc length of a step between two latitudes (degrees) on WGS84, from the meridional
/// radius of curvature M = a(1 − e²) / (1 − e² sin²φ)^{3/2} at the mean latitude.
fn meridian_step(lat1: f64, lat2: f64) -> f64 {
    let (a, f) = (6_378_137.0, 1.0 / 298.257_223_563);
    let e2 = f * (2.0 - f);
    let phi = ((lat1 + lat2) / 2.0).to_radians();
    let m = a * (1.0 - e2) / (1.0 - e2 * phi.sin().powi(2)).powf(1.5);
    m * (lat2 - lat1).to_radians()
}

const RUN_GPX: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<!-- exported by hand -->
<gpx version=\"1.1\" creator=\"Test Watch with barometer\" xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">
 <metadata><name>Meta</name><time>2026-05-01T09:00:00+02:00</time></metadata>
 <trk><name>Run avec Nico &amp; Mag</name><type>9</type>
  <trkseg>
   <trkpt lat=\"50.0\" lon=\"8.0\"><ele>100</ele><time>2026-05-01T09:00:00+02:00</time>
    <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr><gpxtpx:cad>80</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>
   <trkpt lat=\"50.001\" lon=\"8.0\"><ele>110</ele><time>2026-05-01T09:00:30+02:00</time>
    <extensions><heartrate>130</heartrate><cadence>90</cadence><power>250</power></extensions></trkpt>
  </trkseg>
  <trkseg>
   <trkpt lat=\"50.002\" lon=\"8.0\"><ele>104</ele><time>2026-05-01T09:05:00+02:00</time></trkpt>
   <trkpt lat=\"50.003\" lon=\"8.0\"><ele>104</ele><time>2026-05-01T09:05:30+02:00</time></trkpt>
  </trkseg>
 </trk>
</gpx>";

#[test]
fn gpx_run_with_two_segments_extensions_and_an_offset() {
    let d = gpx::decode(RUN_GPX.as_bytes(), &Limits::default()).unwrap();
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let a = &d.activities[0];
    assert_eq!(a.start, Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap());
    assert_eq!(a.utc_offset_s, Some(7200));
    assert_eq!(a.name.as_deref(), Some("Run avec Nico & Mag"));
    assert_eq!(a.sport, Sport::Run, "Strava's type 9");
    // Strava's own name for its type 9, rather than the bare number.
    assert_eq!(a.sport_detail.as_deref(), Some("Run"));
    assert_eq!(a.device.as_deref(), Some("Test Watch with barometer"));
    assert!(a.barometric);
    assert_eq!(a.totals_source, TotalsSource::Computed);
    let t: Vec<f64> = a.samples.iter().map(|s| s.t).collect();
    assert_eq!(t, [0.0, 30.0, 300.0, 330.0]);
    let hr: Vec<Option<u8>> = a.samples.iter().map(|s| s.hr).collect();
    assert_eq!(hr, [Some(120), Some(130), None, None]);
    // Median cadence 90 < 120 on foot: strides, doubled to steps.
    assert_eq!(a.samples[0].cadence, Some(160.0));
    assert_eq!(a.samples[1].cadence, Some(180.0));
    assert_eq!(a.samples[1].power, Some(250));
    assert_eq!(a.samples[2].lat, Some(50.002));
    // Three steps of 0.001° north along the meridian 8°E.
    let want =
        meridian_step(50.0, 50.001) + meridian_step(50.001, 50.002) + meridian_step(50.002, 50.003);
    let got = a.distance_m.unwrap();
    assert!((got - want).abs() < 0.01, "{got} vs {want}");
    assert_eq!(a.elapsed_s, Some(330.0));
    // 0→30 s and 300→330 s are moving; the 270 s between segments is a pause.
    assert_eq!(a.moving_s, Some(60.0));
    // Barometric hysteresis (1 m): 100→110 up 10, 110→104 down 6.
    assert_eq!((a.ascent_m, a.descent_m), (Some(10.0), Some(6.0)));
    // HR weighted by the following interval, capped at 30 s: (120·30 + 130·30) / 60 = 125.
    assert_eq!((a.avg_hr, a.max_hr), (Some(125), Some(130)));
}

#[test]
fn gpx_1_0_with_speed_comments_and_no_sport() {
    let src = r#"<?xml version="1.0"?>
<gpx version="1.0" creator="GPSBabel"><time>2026-01-01T00:00:00Z</time>
<trk><trkseg>
<trkpt lat="10" lon="20"><!-- a comment --><time>2026-01-01T10:00:00Z</time><speed>3.5</speed></trkpt>
<trkpt lat="10" lon="20.0001"><time>2026-01-01T10:00:01.500Z</time><speed>3.6</speed></trkpt>
</trkseg></trk></gpx>"#;
    let a = &gpx::decode(src.as_bytes(), &Limits::default())
        .unwrap()
        .activities[0];
    assert_eq!(a.sport, Sport::Other);
    assert_eq!(a.utc_offset_s, None, "Z is UTC, not a local offset");
    assert_eq!(a.start, Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap());
    assert_eq!(
        a.samples.iter().map(|s| s.t).collect::<Vec<_>>(),
        [0.0, 1.5]
    );
    assert_eq!(a.samples[1].speed, Some(3.6));
    assert!(!a.barometric);
}

fn skip_reason(src: &str) -> String {
    match gpx::decode(src.as_bytes(), &Limits::default()) {
        Err(DecodeError::NotAnActivity { reason }) => reason,
        other => panic!("expected a skip, got {other:?}"),
    }
}

#[test]
fn gpx_without_a_recorded_track_is_not_an_activity() {
    let wpt = r#"<gpx><wpt lat="1" lon="2"><time>2026-01-01T00:00:00Z</time></wpt></gpx>"#;
    assert_eq!(skip_reason(wpt), "GPX with only waypoints (1)");
    let rte = r#"<gpx><rte><rtept lat="1" lon="2"/><rtept lat="1" lon="3"/></rte></gpx>"#;
    assert!(skip_reason(rte).contains("only a route (2 points)"));
    let planned = r#"<gpx><trk><trkseg><trkpt lat="1" lon="2"/><trkpt lat="1" lon="3"><ele>4</ele></trkpt></trkseg></trk></gpx>"#;
    assert!(skip_reason(planned).contains("2 points without timestamps"));
    assert_eq!(
        skip_reason("<gpx><metadata/></gpx>"),
        "GPX without track points"
    );
}

const BROKEN_AFTER_POINTS: &str = r#"<gpx><trk><trkseg>
<trkpt lat="1" lon="1"><time>2026-01-01T00:00:00Z</time></trkpt>
<trkpt lat="1" lon="1.0001"><time>2026-01-01T00:00:01Z</time></trkpt>
<trkpt lat="1" lon="1.0002"><time>2026-01-01T00:00:02Z</time></trkseg>
</trk></gpx>"#;

#[test]
fn gpx_broken_after_points_keeps_them_with_a_warning() {
    let d = gpx::decode(BROKEN_AFTER_POINTS.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(d.activities[0].samples.len(), 2);
    // The mismatched `</trkseg>` is on line 4; its column counted from the line's text.
    let line4 = BROKEN_AFTER_POINTS.lines().nth(3).unwrap();
    let col = line4.find("</trkseg>").unwrap() + 1;
    let w = &d.warnings[0];
    assert!(
        w.starts_with(&format!("XML error at line 4, column {col}: ")),
        "{w}"
    );
    assert!(w.ends_with("; imported the 2 points before it"), "{w}");
}

#[test]
fn gpx_broken_before_any_point_is_an_error_with_its_position() {
    let src = "<gpx>\n  <trk><name>x</nam></trk></gpx>";
    match gpx::decode(src.as_bytes(), &Limits::default()) {
        Err(DecodeError::Xml {
            format,
            line,
            column,
            ..
        }) => {
            // `</nam>` starts at column 15 of line 2 ("  <trk><name>x" is 14 characters).
            assert_eq!((format, line, column), ("GPX", 2, 15));
        }
        other => panic!("{other:?}"),
    }
    let e = gpx::decode(b"<gpx><trk", &Limits::default()).unwrap_err();
    assert!(matches!(e, DecodeError::Xml { line: 1, .. }), "{e:?}");
    let e = gpx::decode(b"<kml/>", &Limits::default()).unwrap_err();
    assert!(e.to_string().contains("not <gpx>"), "{e}");
}

#[test]
fn gpx_cut_off_mid_file_and_limits() {
    let cut = &RUN_GPX[..RUN_GPX.find("<trkpt lat=\"50.003\"").unwrap() + 30];
    let d = gpx::decode(cut.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(d.activities[0].samples.len(), 3);
    assert!(
        d.warnings[0].contains("ends before its closing tags"),
        "{:?}",
        d.warnings
    );
    let tight = Limits {
        max_samples: 3,
        ..Limits::default()
    };
    assert_eq!(
        gpx::decode(RUN_GPX.as_bytes(), &tight).unwrap_err(),
        DecodeError::TooLarge {
            limit: 3,
            what: "track points"
        }
    );
}

const RUN_TCX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities>
  <Activity Sport="Running">
   <Id>2026-05-01T07:00:00Z</Id>
   <Lap StartTime="2026-05-01T07:00:00Z">
    <TotalTimeSeconds>300.5</TotalTimeSeconds><DistanceMeters>1000</DistanceMeters>
    <AverageHeartRateBpm><Value>140</Value></AverageHeartRateBpm>
    <MaximumHeartRateBpm><Value>150</Value></MaximumHeartRateBpm>
    <Track>
     <Trackpoint><Time>2026-05-01T07:00:00Z</Time><Position><LatitudeDegrees>50</LatitudeDegrees><LongitudeDegrees>8</LongitudeDegrees></Position><AltitudeMeters>100</AltitudeMeters><DistanceMeters>0</DistanceMeters><HeartRateBpm><Value>130</Value></HeartRateBpm><Extensions><ns3:TPX><ns3:Speed>3.2</ns3:Speed><ns3:RunCadence>85</ns3:RunCadence><ns3:Watts>240</ns3:Watts></ns3:TPX></Extensions></Trackpoint>
     <Trackpoint><Time>2026-05-01T07:00:10Z</Time></Trackpoint>
     <Trackpoint><Time>2026-05-01T07:05:00Z</Time><AltitudeMeters>110</AltitudeMeters><DistanceMeters>1000</DistanceMeters><HeartRateBpm><Value>150</Value></HeartRateBpm><Extensions><TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2"><RunCadence>87</RunCadence></TPX></Extensions></Trackpoint>
    </Track>
    <Extensions><LX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2"><AvgRunCadence>86</AvgRunCadence></LX></Extensions>
   </Lap>
   <Lap StartTime="2026-05-01T07:05:00Z">
    <TotalTimeSeconds>299.5</TotalTimeSeconds><DistanceMeters>1000.25</DistanceMeters>
    <AverageHeartRateBpm><Value>160</Value></AverageHeartRateBpm>
    <MaximumHeartRateBpm><Value>170</Value></MaximumHeartRateBpm>
    <Track>
     <Trackpoint><Time>2026-05-01T07:10:00Z</Time><AltitudeMeters>103</AltitudeMeters><DistanceMeters>2000.25</DistanceMeters><HeartRateBpm><Value>170</Value></HeartRateBpm></Trackpoint>
    </Track>
   </Lap>
   <Creator xsi:type="Device_t"><Name>Forerunner 310XT</Name></Creator>
  </Activity>
 </Activities>
</TrainingCenterDatabase>"#;

#[test]
fn tcx_run_takes_the_device_lap_totals() {
    let d = tcx::decode(RUN_TCX.as_bytes(), &Limits::default()).unwrap();
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let a = &d.activities[0];
    assert_eq!(
        (a.sport, a.sport_detail.as_deref()),
        (Sport::Run, Some("Running"))
    );
    assert_eq!(a.start, Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap());
    assert_eq!(a.device.as_deref(), Some("Forerunner 310XT"));
    assert_eq!(a.totals_source, TotalsSource::Device);
    // Sums of the laps: 1000 + 1000.25 m, 300.5 + 299.5 s.
    assert_eq!((a.distance_m, a.moving_s), (Some(2000.25), Some(600.0)));
    assert_eq!(a.laps.len(), 2);
    assert_eq!(a.laps[1].distance_m, Some(1000.25));
    assert_eq!((a.laps[0].avg_hr, a.laps[0].max_hr), (Some(140), Some(150)));
    // AvgRunCadence 86 strides/min, doubled like the points' cadence.
    assert_eq!(
        (a.laps[0].avg_cadence, a.laps[1].avg_cadence),
        (Some(172.0), None)
    );
    // (140·300.5 + 160·299.5) / 600 = 149.98 → 150.
    assert_eq!((a.avg_hr, a.max_hr), (Some(150), Some(170)));
    // The time-only point (a pause marker) is dropped.
    let t: Vec<f64> = a.samples.iter().map(|s| s.t).collect();
    assert_eq!(t, [0.0, 300.0, 600.0]);
    let s = &a.samples[0];
    assert_eq!(
        (s.lat, s.lon, s.alt, s.dist),
        (Some(50.0), Some(8.0), Some(100.0), Some(0.0))
    );
    assert_eq!(
        (s.hr, s.speed, s.power, s.cadence),
        (Some(130), Some(3.2), Some(240), Some(170.0))
    );
    assert_eq!(a.samples[1].cadence, Some(174.0));
    assert_eq!(a.samples[2].dist, Some(2000.25));
    assert_eq!(a.elapsed_s, Some(600.0));
    // GPS hysteresis (4 m): 100→110 up 10, 110→103 down 7.
    assert_eq!((a.ascent_m, a.descent_m), (Some(10.0), Some(7.0)));
}

#[test]
fn tcx_multisport_gives_one_activity_per_activity_element() {
    let bike = RUN_TCX
        .replace("Running", "Biking")
        .replace("2026-05-01T07", "2026-05-01T08");
    let both = RUN_TCX.replace(
        " </Activities>",
        &format!(
            "{}\n </Activities>",
            &bike[bike.find("  <Activity ").unwrap()..bike.find(" </Activities>").unwrap()]
        ),
    );
    let d = tcx::decode(both.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(d.activities.len(), 2);
    assert_eq!(d.activities[1].sport, Sport::Ride);
    assert_eq!(
        d.activities[1].start,
        Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap()
    );
    // Cycling cadence is rpm and never doubled.
    assert_eq!(d.activities[1].samples[0].cadence, Some(85.0));
    let one = Limits {
        max_activities: 1,
        ..Limits::default()
    };
    assert_eq!(
        tcx::decode(both.as_bytes(), &one).unwrap_err(),
        DecodeError::TooLarge {
            limit: 1,
            what: "activities"
        }
    );
}

#[test]
fn tcx_courses_only_is_not_an_activity() {
    let src = r#"<TrainingCenterDatabase><Courses><Course><Name>Loop</Name><Lap><TotalTimeSeconds>60</TotalTimeSeconds></Lap>
<Track><Trackpoint><Time>2026-01-01T00:00:00Z</Time><AltitudeMeters>1</AltitudeMeters></Trackpoint></Track></Course></Courses></TrainingCenterDatabase>"#;
    let e = tcx::decode(src.as_bytes(), &Limits::default()).unwrap_err();
    assert!(
        e.is_skip() && e.to_string().contains("only courses (1)"),
        "{e}"
    );
}

#[test]
fn tcx_cut_off_mid_trackpoint_keeps_what_was_read() {
    let cut = &RUN_TCX[..RUN_TCX.find("<AltitudeMeters>103").unwrap()];
    let d = tcx::decode(cut.as_bytes(), &Limits::default()).unwrap();
    let a = &d.activities[0];
    assert_eq!(a.samples.len(), 2);
    // The open second lap is kept: its totals come before its track.
    assert_eq!(a.laps.len(), 2);
    assert_eq!(a.distance_m, Some(2000.25));
    let lines = cut.lines().count();
    let w = &d.warnings[0];
    assert!(
        w.starts_with(&format!("XML error at line {lines}, ")),
        "{w}"
    );
    assert!(w.ends_with("imported the 2 trackpoints before it"), "{w}");
    // Cut before any activity data: an error with a position.
    let e = tcx::decode(&RUN_TCX.as_bytes()[..200], &Limits::default()).unwrap_err();
    assert!(matches!(e, DecodeError::Xml { format: "TCX", .. }), "{e:?}");
}
