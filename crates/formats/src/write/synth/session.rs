//! One session simulated second by second: pace from the session's plan and the ground's
//! gradient, heart rate that lags effort and drifts upward, cadence that follows speed, GPS
//! fixes with slowly wandering error, barometric altitude, auto-pause at traffic lights, and the
//! sampling a watch does (every second, or "smart" every 1–5 s).

use super::route::{self, Route};
use super::{Kind, Planned, Rng, Runner, cet_offset_s};
use chrono::{NaiveTime, TimeZone, Utc};
use soleus_model::{Activity, Lap, Sample, Sport, TotalsSource, geo};

/// Running speed at lactate threshold, m/s (about 4:50 min/km), which scales effort.
const THRESHOLD_MPS: f64 = 3.45;
/// Body mass for running power, kg.
const MASS_KG: f64 = 68.0;

struct Profile {
    sport: Sport,
    /// Base speed, m/s.
    speed: f64,
    /// Speed at which effort is 1 (threshold).
    effort_ref: f64,
    /// Auto-lap distance, metres.
    lap_m: f64,
    name: &'static str,
}

fn profile(kind: Kind) -> Profile {
    let run = |speed, name| Profile {
        sport: Sport::Run,
        speed,
        effort_ref: THRESHOLD_MPS,
        lap_m: 1_000.0,
        name,
    };
    match kind {
        Kind::Easy => run(2.78, "Run"),
        Kind::Long => run(2.68, "Long Run"),
        Kind::Tempo => run(2.85, "Tempo Run"),
        Kind::Hills => run(2.75, "Hill Repeats"),
        Kind::Walk => Profile {
            sport: Sport::Walk,
            speed: 1.45,
            effort_ref: THRESHOLD_MPS,
            lap_m: f64::INFINITY,
            name: "Walk",
        },
        Kind::Ride => Profile {
            sport: Sport::Ride,
            speed: 6.9,
            effort_ref: 9.6,
            lap_m: 5_000.0,
            name: "Ride",
        },
    }
}

/// "Morning", "Lunch", "Afternoon" or "Evening", as Strava names activities.
fn part_of_day(start_min: u32) -> &'static str {
    match start_min / 60 {
        0..=10 => "Morning",
        11..=13 => "Lunch",
        14..=17 => "Afternoon",
        _ => "Evening",
    }
}

/// Simulates one planned session.
pub fn simulate(r: &Runner, p: &Planned, rng: &mut Rng) -> Activity {
    let prof = profile(p.kind);
    let target_m = p.km * 1000.0;
    let route: Route = match p.kind {
        Kind::Hills => route::hill_route(5 + (rng.next_u64() % 2) as u32),
        Kind::Ride => route::loop_route(target_m / (target_m / 15_000.0).ceil(), rng),
        _ => route::loop_route(target_m / (target_m / 9_000.0).ceil(), rng),
    };
    let total_m = if p.kind == Kind::Hills {
        route.length()
    } else {
        target_m
    };
    let form = 1.0 + 0.03 * rng.normal();
    // Most watches are left on smart recording; one in ten short runs records every second.
    let smart = p.km > 7.0 || rng.chance(0.9);
    let power_meter = prof.sport == Sport::Run && p.week >= 5;
    let stop_at = rng
        .chance(if p.kind == Kind::Ride { 0.7 } else { 0.35 })
        .then(|| rng.range(0.2, 0.8) * total_m);
    let stop_len = rng.range(35.0, 90.0).round();

    let offset = cet_offset_s(p.date);
    let local = p.date.and_time(
        NaiveTime::from_hms_opt(p.start_min / 60, p.start_min % 60, 0).unwrap_or_default(),
    );
    let start = Utc.from_utc_datetime(&local) - chrono::Duration::seconds(i64::from(offset));

    let (mut t, mut dist, mut v) = (0.0_f64, 0.0_f64, prof.speed * 0.8);
    let mut hr = f64::from(r.hr_rest) + rng.range(25.0, 40.0);
    let (mut noise_v, mut gps, mut baro) = (0.0, (0.0, 0.0), 0.0);
    let mut next_emit = 0.0;
    let mut stopped = false;
    let mut samples = Vec::new();
    while dist < total_m {
        if let Some(at) = stop_at
            && !stopped
            && dist >= at
        {
            // Auto-pause at a crossing: time passes without samples and the heart settles.
            stopped = true;
            t += stop_len;
            next_emit = t;
            hr -= (hr - f64::from(r.hr_rest) - 30.0).max(0.0) * 0.35;
            v = prof.speed * 0.5;
        }
        let g = route.grade(dist).clamp(-0.12, 0.15);
        let base = base_speed(p.kind, &prof, dist, total_m, g);
        noise_v = 0.92 * noise_v + 0.02 * prof.speed * rng.normal();
        let want = (base * form + noise_v).max(0.3);
        // Acceleration is finite: speed moves a quarter of the way to the wanted speed each second.
        v += (want - v) * 0.25;
        let effort = (v / prof.effort_ref) * (1.0 + 6.0 * g).max(0.6);
        let reserve = f64::from(r.hr_max - r.hr_rest);
        let drift = 0.08 * (t / 60.0 - 10.0).max(0.0);
        let hr_target = f64::from(r.hr_rest) + reserve * (0.2 + 0.65 * effort * effort) + drift;
        let tau = if hr_target > hr { 25.0 } else { 40.0 };
        hr += (hr_target - hr) / tau;
        gps = (
            0.97 * gps.0 + 0.35 * rng.normal(),
            0.97 * gps.1 + 0.35 * rng.normal(),
        );
        baro = 0.995 * baro + 0.05 * rng.normal();

        if t >= next_emit {
            let (x, y) = route.at(dist);
            let (lat, lon) = route::to_lat_lon(r.home, x + gps.0, y + gps.1);
            let cadence = match prof.sport {
                Sport::Ride if g < -0.03 && rng.chance(0.5) => 0.0,
                Sport::Ride => 84.0 + 4.0 * rng.normal(),
                Sport::Walk => 100.0 + 7.0 * v + 1.5 * rng.normal(),
                _ => 142.0 + 11.0 * v + 1.5 * rng.normal(),
            };
            let power =
                power_meter.then(|| (MASS_KG * v * (1.04 + 4.0 * g)).max(0.0).round() as u16);
            samples.push(Sample {
                t,
                lat: Some((lat * 1e7).round() / 1e7),
                lon: Some((lon * 1e7).round() / 1e7),
                alt: Some(((route::terrain(x, y) + baro) * 10.0).round() / 10.0),
                dist: Some((dist * 100.0).round() / 100.0),
                speed: Some((v * 1000.0).round() / 1000.0),
                hr: Some(
                    (hr + 0.8 * rng.normal())
                        .round()
                        .clamp(40.0, f64::from(r.hr_max)) as u8,
                ),
                cadence: Some((cadence.max(0.0) * 2.0).round() / 2.0),
                power,
            });
            next_emit = t + if smart { smart_interval(rng) } else { 1.0 };
        }
        dist += v;
        t += 1.0;
    }
    finish(p, &prof, start, offset, samples)
}

/// Wanted speed before noise: warm-up, the session's structure, and the gradient.
fn base_speed(kind: Kind, prof: &Profile, dist: f64, total: f64, g: f64) -> f64 {
    let warm = if dist < 400.0 { 0.9 } else { 1.0 };
    let structure = match kind {
        // Threshold block between a 2 km warm-up and a 1.5 km cool-down.
        Kind::Tempo if dist > 2_000.0 && dist < total - 1_500.0 => THRESHOLD_MPS / prof.speed,
        // Hard uphill, easy jog down.
        Kind::Hills if g > 0.02 => 1.15,
        Kind::Hills if g < -0.02 => 0.85,
        _ => 1.0,
    };
    let hill_factor = match kind {
        Kind::Ride => (1.0 - 8.0 * g).clamp(0.4, 1.6),
        _ => (1.0 - 3.5 * g).clamp(0.5, 1.3),
    };
    prof.speed * warm * structure * hill_factor
}

/// Smart recording writes a point when something changes; modelled as 1–5 s, mostly 4–5
/// (mean 4.1 s).
fn smart_interval(rng: &mut Rng) -> f64 {
    match rng.next_u64() % 20 {
        0 => 1.0,
        1 => 2.0,
        2..=4 => 3.0,
        5..=9 => 4.0,
        _ => 5.0,
    }
}

/// Wraps the samples into an activity whose device totals and auto-laps agree with them.
fn finish(
    p: &Planned,
    prof: &Profile,
    start: chrono::DateTime<Utc>,
    offset: i32,
    samples: Vec<Sample>,
) -> Activity {
    let mut a = Activity::new(prof.sport, start);
    a.name = Some(match p.kind {
        Kind::Easy | Kind::Walk | Kind::Ride => {
            format!("{} {}", part_of_day(p.start_min), prof.name)
        }
        _ => prof.name.to_string(),
    });
    a.utc_offset_s = Some(offset);
    a.device = Some(
        if prof.sport == Sport::Ride {
            "Garmin Edge 530"
        } else {
            "Garmin Forerunner 245"
        }
        .to_string(),
    );
    a.barometric = true;
    a.totals_source = TotalsSource::Device;
    // Auto-lap boundaries: the first sample at or past each lap distance.
    let mut bounds = vec![0usize];
    let mut next = prof.lap_m;
    for (i, s) in samples.iter().enumerate() {
        if s.dist.unwrap_or(0.0) >= next {
            bounds.push(i);
            next += prof.lap_m;
        }
    }
    if samples.len() > 1 && bounds.last() != Some(&(samples.len() - 1)) {
        bounds.push(samples.len() - 1);
    }
    for w in bounds.windows(2) {
        let slice = &samples[w[0]..=w[1]];
        let sum = geo::summarise(slice, prof.sport, true);
        let d0 = slice[0].dist.unwrap_or(0.0);
        let d1 = slice[slice.len() - 1].dist.unwrap_or(0.0);
        a.laps.push(Lap {
            start: Some(start + chrono::Duration::seconds(slice[0].t as i64)),
            elapsed_s: sum.elapsed_s,
            moving_s: sum.moving_s,
            distance_m: Some(((d1 - d0) * 100.0).round() / 100.0),
            ascent_m: sum.ascent_m.map(f64::round),
            descent_m: sum.descent_m.map(f64::round),
            avg_hr: sum.avg_hr,
            max_hr: sum.max_hr,
            avg_cadence: sum.avg_cadence.map(|c| (c * 2.0).round() / 2.0),
        });
    }
    let sum = geo::summarise(&samples, prof.sport, true);
    a.distance_m = sum.distance_m;
    a.elapsed_s = sum.elapsed_s;
    a.moving_s = sum.moving_s;
    a.ascent_m = sum.ascent_m.map(f64::round);
    a.descent_m = sum.descent_m.map(f64::round);
    a.avg_hr = sum.avg_hr;
    a.max_hr = sum.max_hr;
    a.avg_cadence = sum.avg_cadence.map(|c| (c * 2.0).round() / 2.0);
    a.samples = samples;
    a
}
