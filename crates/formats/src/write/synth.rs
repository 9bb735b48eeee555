//! A deterministic generator of a recreational runner's training history, for tests and the
//! bundled sample data.
//!
//! The calendar is a plain 3–5 runs a week: an easy run on Tuesday (hill repeats every third
//! week), a tempo run on Thursday, a long run on Sunday that grows week by week, optional easy
//! run on Saturday and sometimes on Monday or Friday, and one walk or ride on Wednesday. Every fourth week is
//! a lighter recovery week. Three weeks before the end comes a scripted overload: every run is
//! longer, two extra runs are added and the long run jumps to a half marathon (about 30 %
//! over the longest so far), so the week's
//! volume rises by well over 30 % — the pattern load warnings exist to catch.
//!
//! Everything comes from one seed through a small SplitMix64 generator, so the same seed gives
//! the same activities on every run.

mod route;
mod session;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use soleus_model::Activity;

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): tiny, fast and good enough for plausible noise.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Standard normal, by the Box–Muller transform.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64(); // in (0, 1], so the log is finite
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// Who is training, where, and over which weeks.
#[derive(Debug, Clone, PartialEq)]
pub struct Runner {
    /// Seed of every random choice.
    pub seed: u64,
    /// Number of weeks, each Monday to Sunday.
    pub weeks: u32,
    /// The last day of the history; the generator moves it forward to a Sunday.
    pub last_day: NaiveDate,
    /// Home: where every route starts and ends (latitude, longitude in degrees).
    pub home: (f64, f64),
    /// Resting and maximum heart rate, bpm.
    pub hr_rest: u8,
    /// Maximum heart rate, bpm.
    pub hr_max: u8,
    /// Whether the overload week is scripted in (three weeks before the end).
    pub overload: bool,
}

impl Runner {
    /// The runner of the bundled samples: twelve weeks ending on Sunday 2026-11-15, living by
    /// the Englischer Garten in Munich (Central European time, so the history crosses the end
    /// of summer time).
    pub fn sample() -> Runner {
        Runner {
            seed: 0x5013_u64,
            weeks: 12,
            last_day: NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or_default(),
            home: (48.152_0, 11.592_0),
            hr_rest: 52,
            hr_max: 188,
            overload: true,
        }
    }

    /// The Monday of week `w` (0-based).
    pub fn monday(&self, w: u32) -> NaiveDate {
        let mut last = self.last_day;
        while last.weekday() != Weekday::Sun {
            last = last + Days::new(1);
        }
        last - Days::new(6 + 7 * u64::from(self.weeks.saturating_sub(1 + w)))
    }

    /// The 0-based week of the overload, when it is scripted in.
    pub fn overload_week(&self) -> Option<u32> {
        (self.overload && self.weeks >= 6).then(|| self.weeks - 3)
    }
}

/// The kind of session, which sets route, pace and effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Conversational pace on a loop.
    Easy,
    /// The week's longest run, a little slower than easy.
    Long,
    /// Warm-up, a block near threshold pace, cool-down.
    Tempo,
    /// Warm-up to a hill, repeats up it, jog home.
    Hills,
    /// A walk.
    Walk,
    /// A bike ride.
    Ride,
}

/// One planned session of the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// 0-based week.
    pub week: u32,
    /// Local date.
    pub date: NaiveDate,
    /// Local start, minutes after midnight.
    pub start_min: u32,
    /// What kind of session.
    pub kind: Kind,
    /// Planned distance, km (hill sessions end up a little different).
    pub km: f64,
}

/// The calendar of sessions, before any of them is simulated.
pub fn plan(r: &Runner) -> Vec<Planned> {
    let mut rng = Rng::new(r.seed ^ 0xCA1E_17DA);
    let mut out = Vec::new();
    let spike = r.overload_week();
    let mut last_long: f64 = 10.0;
    for w in 0..r.weeks {
        let monday = r.monday(w);
        let recovery = w % 4 == 3 && Some(w) != spike;
        let scale = if recovery {
            0.7
        } else if Some(w) == spike {
            1.2
        } else {
            1.0
        };
        let easy = (6.0 + 0.15 * f64::from(w)) * scale;
        let mut day = |wd: u64, kind: Kind, km: f64, rng: &mut Rng| {
            let date = monday + Days::new(wd);
            let weekend = wd >= 5;
            let start_min = if weekend {
                rng.range(8.0 * 60.0, 9.5 * 60.0)
            } else if rng.chance(0.6) {
                rng.range(6.5 * 60.0, 7.25 * 60.0)
            } else {
                rng.range(18.0 * 60.0, 19.0 * 60.0)
            } as u32;
            let km = (km * rng.range(0.95, 1.05) * 10.0).round() / 10.0;
            out.push(Planned {
                week: w,
                date,
                start_min,
                kind,
                km,
            });
        };
        let optional = rng.chance(0.3);
        if Some(w) == spike {
            day(0, Kind::Easy, easy * 0.8, &mut rng);
        } else if optional && !recovery {
            day(
                if rng.chance(0.5) { 0 } else { 4 },
                Kind::Easy,
                easy * 0.8,
                &mut rng,
            );
        }
        let tuesday = if w % 3 == 1 { Kind::Hills } else { Kind::Easy };
        day(1, tuesday, easy, &mut rng);
        if rng.chance(0.5) {
            day(2, Kind::Ride, rng.range(18.0, 28.0), &mut rng);
        } else {
            day(2, Kind::Walk, rng.range(4.0, 6.5), &mut rng);
        }
        day(3, Kind::Tempo, (8.0 + 0.1 * f64::from(w)) * scale, &mut rng);
        if Some(w) == spike {
            day(4, Kind::Easy, easy, &mut rng);
        }
        if !recovery || Some(w) == spike {
            day(5, Kind::Easy, easy * 0.9, &mut rng);
        }
        let long = if Some(w) == spike {
            21.1
        } else if recovery {
            last_long * 0.7
        } else {
            let grown = (10.0 + 0.8 * f64::from(w)).min(18.0);
            last_long = grown;
            grown
        };
        day(6, Kind::Long, long, &mut rng);
    }
    out.sort_by_key(|p| (p.date, p.start_min));
    out
}

/// The whole history: every planned session simulated into an [`Activity`] with samples,
/// laps and device totals. Sessions are seeded one by one, so changing one does not move the
/// randomness of the others.
pub fn history(r: &Runner) -> Vec<Activity> {
    plan(r)
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut rng = Rng::new(r.seed.wrapping_add((i as u64 + 1) * 0x9E37_79B9));
            session::simulate(r, p, &mut rng)
        })
        .collect()
}

/// Central European offset in seconds for a local date: +02:00 from the last Sunday of March
/// to the day before the last Sunday of October (EU summer time), +01:00 otherwise. Runs start
/// long after the 01:00 UTC switch, so the date alone decides.
pub fn cet_offset_s(date: NaiveDate) -> i32 {
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(date.year(), month, 31).unwrap_or(date);
        while d.weekday() != Weekday::Sun {
            d = d - Days::new(1);
        }
        d
    };
    if date >= last_sunday(3) && date < last_sunday(10) {
        7200
    } else {
        3600
    }
}

#[cfg(test)]
mod tests;
