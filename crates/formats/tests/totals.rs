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
