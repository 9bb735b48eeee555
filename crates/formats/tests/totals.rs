//! Right numbers from every file: totals that agree with the device where the samples carry no
//! information, with the samples where the device's totals contradict themselves or them, and
//! moving time that survives sparse recording. Real device files from the corpus
//! (`../shared/corpus`, listed in its SOURCES.md) where one shows the problem, else files built
//! with the project's own writers in the problem's shape. Each expected value says where it
//! comes from.

use std::path::PathBuf;

use soleus_formats::{Limits, decode};

fn corpus(file: &str) -> Option<Vec<u8>> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    match std::fs::read(dir.join(file)) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!(
                "skipped: corpus file {file} not found under {}",
                dir.display()
            );
            None
        }
    }
}

#[test]
fn a_sparse_open_water_swim_keeps_its_moving_time() {
    // Strava's GPX of a 61-min open-water swim (sports-lib's triathlon fixture), one point
    // every 45 s. The watch's own FIT of the same swim (sportslib__4623204522.fit, first
    // session) says total_timer_time 3688.603 s. With every gap over 30 s a pause, the GPX
    // gave 12 s of moving time.
    let Some(gpx) = corpus("gpx/sportslib__4623204522-1.gpx") else {
        return;
    };
    let a = &decode(&gpx, &Limits::default()).unwrap().activities[0];
    let moving = a.moving_s.unwrap();
    assert!(
        (moving - 3688.6).abs() < 0.05 * 3688.6,
        "moving {moving} s, the watch says 3688.6 s"
    );
}

#[test]
fn a_pool_swim_whose_records_say_0_m_takes_its_distance_from_the_laps() {
    use chrono::TimeZone;
    use soleus_model::{Activity, Lap, Sample, Sport};
    // The shape of a Connect IQ pool-swim app's file, written with the project's FIT writer:
    // 300 records, each 0 m at the pool's one GPS fix, three 50 m laps of 100 s, and a
    // session that gives times but no total distance. The laps add up to 150 m; before, the
    // records' 0 m (or nothing) was all the activity had.
    let start = chrono::Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap();
    let mut a = Activity::new(Sport::Swim, start);
    a.samples = (0..300)
        .map(|i| Sample {
            t: f64::from(i),
            lat: Some(50.0),
            lon: Some(8.0),
            dist: Some(0.0),
            hr: Some(120),
            ..Sample::default()
        })
        .collect();
    a.laps = (0..3)
        .map(|i| Lap {
            start: Some(start + chrono::Duration::seconds(100 * i)),
            elapsed_s: Some(100.0),
            moving_s: Some(100.0),
            distance_m: Some(50.0),
            ..Lap::default()
        })
        .collect();
    a.elapsed_s = Some(300.0);
    a.moving_s = Some(300.0);
    let d = decode(&soleus_formats::write::fit(&a), &Limits::default()).unwrap();
    let b = &d.activities[0];
    assert_eq!(b.distance_m, Some(150.0), "{:?}", d.warnings);
    // 300 s over 0.15 km: 2000 s/km.
    assert_eq!(b.pace_s_per_km(), Some(2000.0));
}

/// A run north from (50, 8) at `v` m/s, one sample a second from 0 to `secs` s, with the
/// distance channel and positions a watch writes.
fn run(secs: u32, v: f64) -> soleus_model::Activity {
    use chrono::TimeZone;
    let start = chrono::Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap();
    let mut a = soleus_model::Activity::new(soleus_model::Sport::Run, start);
    a.samples = (0..=secs)
        .map(|i| {
            let d = v * f64::from(i);
            soleus_model::Sample {
                t: f64::from(i),
                lat: Some(50.0 + d / 111_229.0),
                lon: Some(8.0),
                dist: Some(d),
                speed: Some(v),
                ..soleus_model::Sample::default()
            }
        })
        .collect();
    a
}

#[test]
fn swapped_session_times_are_swapped_back() {
    // sports-lib's inverted-times.fit: its session says total_elapsed_time 2839.6 s and
    // total_timer_time 21680 s (read by the fitparser crate); its 885 records span 21670 s,
    // most of it one 5-hour stop. Before, the run kept 47:20 elapsed and 6:01:20 moving, and
    // a pace of 46 min/km.
    let Some(bytes) = corpus("fit/sportslib__inverted-times.fit") else {
        return;
    };
    let d = decode(&bytes, &Limits::default()).unwrap();
    let a = &d.activities[0];
    assert_eq!((a.elapsed_s, a.moving_s), (Some(21680.0), Some(2839.6)));
    assert!(
        d.warnings.iter().any(|w| w.contains("swapped them back")),
        "{:?}",
        d.warnings
    );
    // 2839.6 s over the session's 7.86102 km: 361.2 s/km.
    assert!((a.pace_s_per_km().unwrap() - 361.23).abs() < 0.01);
}

#[test]
fn a_moving_time_longer_than_the_elapsed_time_gives_way_to_the_records() {
    // muktihari/fit's 100 000-record Bryton ride: the session says total_elapsed_time
    // 30877 s (8:34:37) and total_timer_time 99997 s (27:46:37); the records are one a
    // second over 99997 s. Before, the ride kept moving time longer than its elapsed time.
    let Some(bytes) = corpus("fit/muktihari-fit__big_activity.fit") else {
        return;
    };
    let d = decode(&bytes, &Limits::default()).unwrap();
    let a = &d.activities[0];
    assert_eq!(a.elapsed_s, Some(99_997.0));
    assert!(a.moving_s.unwrap() <= a.elapsed_s.unwrap());
    // Every record says 405.81 m: they carry no distance, so the session's 32172.05 m stays.
    assert_eq!(a.distance_m, Some(32_172.05));
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("took the time from the records")),
        "{:?}",
        d.warnings
    );
}

#[test]
fn a_session_that_stops_early_takes_time_and_distance_from_the_records_together() {
    // The shape of a Suunto file whose session summary stops at 4035 s and gives no
    // distance while its records run on to 5400 s and 15.22 km (2.8185 m/s), written with
    // the project's FIT writer. Before, the activity had the records' 15.22 km in the
    // session's 4035 s.
    let mut a = run(5400, 15_220.0 / 5400.0);
    a.elapsed_s = Some(4035.0);
    a.moving_s = Some(4035.0);
    let d = decode(&soleus_formats::write::fit(&a), &Limits::default()).unwrap();
    let b = &d.activities[0];
    assert_eq!(b.elapsed_s, Some(5400.0));
    assert_eq!(b.moving_s, Some(5400.0));
    // Record distances are written in centimetres: 15 220 m to the centimetre.
    assert!(
        (b.distance_m.unwrap() - 15_220.0).abs() < 0.01,
        "{:?}",
        b.distance_m
    );
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("took time and distance from the records")),
        "{:?}",
        d.warnings
    );
}

#[test]
fn stale_lap_totals_of_a_cropped_tcx_give_way_to_its_trackpoints() {
    // A TCX cropped to 142 s of trackpoints whose lap still says 3312 s and 18.7 km, written
    // with the project's TCX writer (3 m/s, so the trackpoints cover 426 m). Before, the
    // activity reported the lap: 18.7 km with 142 s elapsed.
    let mut a = run(142, 3.0);
    a.moving_s = Some(3312.0);
    a.elapsed_s = Some(3312.0);
    a.distance_m = Some(18_700.0);
    let d = decode(
        soleus_formats::write::tcx(&a).as_bytes(),
        &Limits::default(),
    )
    .unwrap();
    let b = &d.activities[0];
    assert_eq!((b.elapsed_s, b.moving_s), (Some(142.0), Some(142.0)));
    assert!(
        (b.distance_m.unwrap() - 426.0).abs() < 0.1,
        "{:?}",
        b.distance_m
    );
    let w = d
        .warnings
        .iter()
        .find(|w| w.contains("disagree with its 143 records"))
        .unwrap_or_else(|| panic!("{:?}", d.warnings));
    // The warning names the lap's figures, the tolerance and what was kept.
    assert!(w.contains("18.70 km in 55:12") && w.contains("10 %") && w.contains("took time"));
}
