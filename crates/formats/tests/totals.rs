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
            eprintln!("skipped: corpus file {file} not found under {}", dir.display());
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
