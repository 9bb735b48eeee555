//! Activities, files and comparisons the story uses.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sha2::{Digest, Sha256};
use soleus_model::{Activity, Lap, Sample, Sport, TotalsSource};
use soleus_store::{NewActivity, NewFile, Store};

pub fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn file<'a>(name: &'a str, hash: &'a str, bytes: &'a [u8]) -> NewFile<'a> {
    NewFile {
        name,
        sha256: hash,
        format: "fit",
        bytes,
        packed: None,
    }
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 7, 0, 0).unwrap()
}

/// A run with every channel, one-second samples, a GPS gap and two laps.
pub fn run(start: DateTime<Utc>, n: usize, elapsed: Option<f64>) -> Activity {
    let mut a = Activity::new(Sport::TrailRun, start);
    a.name = Some("Morning Run".into());
    a.sport_detail = Some("running/trail".into());
    a.utc_offset_s = Some(3600);
    a.distance_m = Some(10_012.5);
    a.elapsed_s = elapsed;
    a.moving_s = elapsed.map(|e| e - 60.0);
    a.ascent_m = Some(212.0);
    a.descent_m = Some(209.5);
    a.avg_hr = Some(151);
    a.max_hr = Some(183);
    a.avg_cadence = Some(171.5);
    a.device = Some("Garmin fenix5".into());
    a.barometric = true;
    a.laps = vec![
        Lap {
            start: Some(start),
            elapsed_s: Some(1800.0),
            distance_m: Some(5000.0),
            avg_hr: Some(148),
            ..Lap::default()
        },
        Lap {
            start: Some(start + Duration::seconds(1800)),
            elapsed_s: Some(1800.0),
            max_hr: Some(183),
            ..Lap::default()
        },
    ];
    a.samples = (0..n)
        .map(|i| {
            let f = i as f64;
            let gps = !(100..120).contains(&i);
            Sample {
                t: f,
                lat: gps.then_some(46.5 + f * 2.3e-5),
                lon: gps.then(|| 6.6 + (f * 0.01).sin() * 1e-3),
                alt: Some(420.0 + (f * 0.02).sin() * 30.0),
                dist: Some(f * 2.78),
                speed: Some(2.78 + (f * 0.1).cos() * 0.3),
                hr: Some(120 + (i % 60) as u8),
                cadence: (i % 7 != 0).then_some(170.0 + (i % 5) as f64 * 0.5),
                power: Some(250 + (i % 40) as u16),
            }
        })
        .collect();
    a
}

pub fn ride(start: DateTime<Utc>) -> Activity {
    let mut a = Activity::new(Sport::Ride, start);
    a.elapsed_s = Some(1800.0);
    a.totals_source = TotalsSource::Computed;
    a.samples = (0..30)
        .map(|i| Sample {
            t: i as f64 * 60.0,
            hr: Some(110),
            ..Sample::default()
        })
        .collect();
    a
}

pub fn new(a: &Activity) -> NewActivity<'_> {
    at(a, 0)
}

/// The activity as session `session` of its file.
pub fn at(a: &Activity, session: u32) -> NewActivity<'_> {
    NewActivity {
        activity: a,
        shoe: None,
        session,
        summary: None,
        encoded: None,
    }
}

/// Checks a decoded activity against what was saved: totals and laps exactly, samples within
/// the codec's quanta (half a quantum each, see `soleus_store::codec`).
pub fn assert_same(got: &Activity, want: &Activity) {
    let mut g = got.clone();
    let mut w = want.clone();
    assert_eq!(g.samples.len(), w.samples.len());
    for (a, b) in g.samples.iter().zip(&w.samples) {
        let close = |x: Option<f64>, y: Option<f64>, q: f64| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() <= q / 2.0 + 1e-9 * y.abs(),
            (None, None) => true,
            _ => false,
        };
        assert!(close(Some(a.t), Some(b.t), 1e-3), "t {a:?} vs {b:?}");
        assert!(
            close(a.lat, b.lat, 1e-7) && close(a.lon, b.lon, 1e-7),
            "{a:?} vs {b:?}"
        );
        assert!(
            close(a.alt, b.alt, 1e-2) && close(a.dist, b.dist, 1e-2),
            "{a:?} vs {b:?}"
        );
        assert!(
            close(a.speed, b.speed, 1e-3) && close(a.cadence, b.cadence, 0.1),
            "{a:?}"
        );
        assert_eq!((a.hr, a.power), (b.hr, b.power));
    }
    g.samples.clear();
    w.samples.clear();
    assert_eq!(g, w);
}

pub async fn count(store: &dyn Store) -> usize {
    store.list_activities().await.unwrap().len()
}

/// Runs SQL straight on the database `url` names, beside the store: for rows the store has no
/// method to write yet (organisations, users) and for the state an earlier release left.
///
/// Boxed as `Send` here, where the connection's lifetime is known: proved later, inside the
/// story a test spawns, rustc cannot see that sqlx's executor futures are `Send` for every
/// lifetime.
pub fn raw_sql<'a>(url: &'a str, sql: &'a str) -> BoxFuture<'a, Result<(), sqlx::Error>> {
    use sqlx::{Connection, Executor};
    Box::pin(async move {
        if url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(url).await?;
            c.execute(sqlx::raw_sql(sql)).await?;
            c.close().await
        } else {
            let mut c = sqlx::PgConnection::connect(url).await?;
            c.execute(sqlx::raw_sql(sql)).await?;
            c.close().await
        }
    })
}

/// A boxed future that is `Send`.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// A profile with every field set away from its default.
pub fn full_profile() -> soleus_model::athlete::Athlete {
    use soleus_model::athlete::{Athlete, HeightUnit, WeightUnit};
    use soleus_model::energy::Sex;
    use soleus_model::units::DistanceUnit;
    Athlete {
        sex: Some(Sex::Female),
        birth_year: Some(1991),
        weight_kg: Some(61.5),
        height_cm: Some(168.25),
        body_fat_pct: Some(22.5),
        activity_level: Some("moderate".into()),
        hr_rest: Some(48),
        hr_max: Some(188),
        hr_threshold: Some(172),
        time_zone: Some("Europe/Berlin".into()),
        units: DistanceUnit::Miles,
        weight_unit: WeightUnit::Lb,
        height_unit: HeightUnit::Ftin,
        usual_shoe: Some("Pegasus 40".into()),
        bone_stress_injuries: 2,
        missed_periods_3_months: true,
    }
}
