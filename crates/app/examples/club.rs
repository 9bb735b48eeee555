//! Makes a synthetic club in a database, through Soleus's own use cases, for the benchmarks:
//! an organisation, coaches and clinicians, athletes who each share with one coach (and
//! every fifth with a clinician too), their runs as GPX files imported by the real import,
//! weekly check-ins over the last four weeks, and a coach's comment on each athlete's latest
//! run.
//!
//! ```text
//! cargo run --release -p soleus-app --example club -- DATABASE_URL \
//!     [--athletes 200] [--coaches 1] [--clinicians 1] [--weeks 26] [--runs-per-week 3]
//! ```
//!
//! Every account's password is `bench club password`; coach `i` signs in as
//! `coach{i}@club.invalid`, clinician `i` as `clinician{i}@club.invalid`. Prints what it
//! made as JSON. Runs are short series (a fix every 25 s) along the equator, deterministic
//! for a given set of arguments.

use std::time::Instant;

use chrono::{Duration, NaiveDate, Utc};
use soleus_app::App;
use soleus_app::accounts::{Caller, Level, NewInvitation, Role, SignUp};
use soleus_app::import::{ImportOptions, NoProgress};
use soleus_app::threads::{TargetKind, Viewer};

const PASSWORD: &str = "bench club password";

struct Args {
    url: String,
    athletes: usize,
    coaches: usize,
    clinicians: usize,
    weeks: i64,
    runs_per_week: i64,
}

fn args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        url: String::new(),
        athletes: 200,
        coaches: 1,
        clinicians: 1,
        weeks: 26,
        runs_per_week: 3,
    };
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or_else(|| panic!("{arg} needs a whole number"))
        };
        match arg.as_str() {
            "--athletes" => a.athletes = value() as usize,
            "--coaches" => a.coaches = value() as usize,
            "--clinicians" => a.clinicians = value() as usize,
            "--weeks" => a.weeks = value(),
            "--runs-per-week" => a.runs_per_week = value(),
            url if a.url.is_empty() => a.url = url.to_owned(),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(!a.url.is_empty(), "give the database URL");
    assert!(a.coaches > 0, "at least one coach");
    a
}

/// A small deterministic generator (SplitMix64), so two runs make the same club.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A run of `km` at `pace_s` seconds a kilometre on `day` from 07:00 UTC, a fix every 25 s
/// along the equator (0.001° of longitude is 111.3195 m there).
fn gpx(day: NaiveDate, km: f64, pace_s: f64) -> String {
    let seconds = km * pace_s;
    let steps = (seconds / 25.0).ceil() as u32;
    let metres_per_step = km * 1000.0 / f64::from(steps);
    let deg_per_m = 0.001 / 111.319_5;
    let start = day.and_hms_opt(7, 0, 0).unwrap().and_utc();
    let mut s = String::with_capacity(64 * steps as usize + 256);
    s.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"soleus-club\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><type>running</type><trkseg>\n",
    );
    for i in 0..=steps {
        let t = start + Duration::seconds(i64::from(i) * 25);
        s.push_str(&format!(
            "<trkpt lat=\"0.0\" lon=\"{:.7}\"><ele>{:.1}</ele><time>{}</time></trkpt>\n",
            10.0 + f64::from(i) * metres_per_step * deg_per_m,
            20.0 + 5.0 * (f64::from(i) / 10.0).sin(),
            t.format("%Y-%m-%dT%H:%M:%SZ")
        ));
    }
    s.push_str("</trkseg></trk></gpx>\n");
    s
}

async fn person(
    app: &App,
    role: Role,
    email: String,
    name: String,
    org: soleus_app::OrgId,
) -> Caller {
    let signed = app
        .sign_up(
            &SignUp {
                email,
                password: PASSWORD.into(),
                display_name: name,
                role,
                org: Some(org),
            },
            None,
        )
        .await
        .expect("sign up");
    app.caller(&signed.token)
        .await
        .expect("the new session")
        .expect("a caller")
}

/// `athlete` shares with `with` at `level` (and the medical scope when `medical`).
async fn share(app: &App, athlete: &Caller, with: &Caller, role: Role, medical: bool) {
    let mine = app.as_athlete(athlete.user.athlete.expect("an athlete"));
    let made = mine
        .invite(
            athlete,
            &NewInvitation {
                email: with.user.email.clone(),
                role,
                level: Level::Comment,
                medical: Some(medical),
            },
        )
        .await
        .expect("invite");
    let link = made.link.expect("the link");
    let token = link.rsplit('/').next().expect("a token");
    app.accept_invitation(with, token).await.expect("accept");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let a = args();
    let began = Instant::now();
    let app = App::open(&a.url).await.expect("open the database");
    let org = app.add_org("Bench Running Club").await.expect("org");
    let mut coaches = Vec::new();
    for i in 0..a.coaches {
        coaches.push(
            person(
                &app,
                Role::Coach,
                format!("coach{i}@club.invalid"),
                format!("Coach {i}"),
                org,
            )
            .await,
        );
    }
    let mut clinicians = Vec::new();
    for i in 0..a.clinicians {
        clinicians.push(
            person(
                &app,
                Role::Clinician,
                format!("clinician{i}@club.invalid"),
                format!("Clinician {i}"),
                org,
            )
            .await,
        );
    }
    let today = Utc::now().date_naive();
    let first = today - Duration::days(7 * a.weeks);
    let per_coach = a.athletes.div_ceil(a.coaches);
    let mut rng = Rng(0x0050_1305);
    let (mut runs, mut checkins) = (0usize, 0usize);
    let work = tempfile::tempdir().expect("a temporary folder");
    for i in 0..a.athletes {
        let me = person(
            &app,
            Role::Athlete,
            format!("athlete{i}@club.invalid"),
            format!("Athlete {i:04}"),
            org,
        )
        .await;
        let coach = &coaches[i / per_coach];
        share(&app, &me, coach, Role::Coach, false).await;
        if i % 5 == 0 && !clinicians.is_empty() {
            share(
                &app,
                &me,
                &clinicians[(i / 5) % clinicians.len()],
                Role::Clinician,
                true,
            )
            .await;
        }
        let mine = app.as_athlete(me.user.athlete.expect("an athlete"));

        // The runs, as files in a folder imported at once.
        let dir = work.path().join(format!("a{i}"));
        std::fs::create_dir_all(&dir).expect("a folder");
        let base_km = 5.0 + 5.0 * rng.next();
        let mut day = first;
        while day <= today {
            for r in 0..a.runs_per_week {
                let d = day + Duration::days(r * 7 / a.runs_per_week.max(1));
                if d > today {
                    continue;
                }
                let km = base_km * (0.6 + 0.8 * rng.next());
                let pace = 270.0 + 90.0 * rng.next();
                std::fs::write(dir.join(format!("{d}-{r}.gpx")), gpx(d, km, pace))
                    .expect("write a run");
                runs += 1;
            }
            day += Duration::days(7);
        }
        mine.import(
            std::slice::from_ref(&dir),
            &ImportOptions::default(),
            &mut NoProgress,
        )
        .await
        .expect("import");
        std::fs::remove_dir_all(&dir).expect("clean up");

        // A weekly check-in over the last four weeks.
        for w in (0..4).rev() {
            let d = today - Duration::days(7 * w + (i as i64 % 7));
            let pain = (rng.next() * 5.0) as u8;
            let json = format!(
                r#"{{"date":"{d}","side":"left","regions":["ACHILLES_MID"],
                "pain":{{"during_run":{pain},"after_run":{pain},"next_morning":{}}}}}"#,
                pain.saturating_sub(1)
            );
            let c = soleus_model::assess::CheckIn::from_json(&json).expect("a check-in");
            mine.store_checkin(&c).await.expect("check in");
            checkins += 1;
        }

        // The coach's word on the latest run.
        if let Some(latest) = mine
            .activities(Some(1), None)
            .await
            .expect("activities")
            .activities
            .first()
        {
            app.add_comment(
                Viewer::Person(coach),
                me.user.athlete.expect("an athlete"),
                TargetKind::Activity,
                latest.id.0,
                None,
                "Good steady run: keep the easy days easy.",
            )
            .await
            .expect("comment");
        }
        if (i + 1) % 50 == 0 {
            eprintln!(
                "{} athletes, {runs} runs, {:.0} s",
                i + 1,
                began.elapsed().as_secs_f64()
            );
        }
    }
    app.close().await;
    println!(
        "{{\"athletes\":{},\"coaches\":{},\"clinicians\":{},\"runs\":{runs},\"checkins\":{checkins},\
         \"per_coach\":{per_coach},\"password\":\"{PASSWORD}\",\"seconds\":{:.1}}}",
        a.athletes,
        a.coaches,
        a.clinicians,
        began.elapsed().as_secs_f64()
    );
}
