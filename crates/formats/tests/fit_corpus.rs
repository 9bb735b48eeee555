//! Every FIT file of the device corpus: each decodes to activities, is skipped as a
//! non-activity, or fails with a specific error — never a panic — and each session's totals
//! agree with those the independent `fitparser` crate reads from the same bytes.
//!
//! The corpus lives outside the project (`../shared/corpus`, listed in its SOURCES.md with
//! tags such as `truncated`, `crc-mismatch`, `non-activity:workout`); when it is missing the
//! tests say so on stderr and pass.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use fitparser::Value;
use fitparser::de::DecodeOption;
use soleus_formats::{DecodeError, Limits};
use soleus_model::Sport;

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    if dir.join("fit").is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: corpus not found at {}", dir.display());
        None
    }
}

/// `fit/<name>` → tags, from the SOURCES.md table.
fn tags(dir: &std::path::Path) -> HashMap<String, Vec<String>> {
    let text = std::fs::read_to_string(dir.join("SOURCES.md")).unwrap_or_default();
    let mut out = HashMap::new();
    for line in text.lines().filter(|l| l.starts_with("| fit/")) {
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        if cols.len() >= 6 {
            let name = cols[1].trim_start_matches("fit/").to_owned();
            let t = cols[5]
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect();
            out.insert(name, t);
        }
    }
    out
}

fn fit_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("fit"))
        .expect("corpus fit folder")
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("readable corpus file"))
        })
        .collect();
    v.sort();
    v
}

/// Files whose outcome is an error rather than activities, with the error's kind. Checked by
/// hand: the empty file has no bytes at all, so content sniffing cannot call it FIT; `DeveloperData.fit` (an SDK sample) is a valid
/// activity file holding only developer-data definitions and no session, lap or record.
const EXPECTED_ERRORS: &[(&str, &str)] = &[
    ("sportslib__empty-sessions.fit", "unknown"),
    ("pyfitparse__DeveloperData.fit", "skip"),
];

#[test]
fn every_corpus_file_has_a_known_outcome() {
    let Some(dir) = corpus() else { return };
    let tags = tags(&dir);
    let limits = Limits::default();
    let mut failures = Vec::new();
    let mut counts = [0usize; 3];
    for (name, bytes) in fit_files(&dir) {
        let t = tags.get(&name).cloned().unwrap_or_default();
        let has = |tag: &str| t.iter().any(|x| x == tag);
        // "non-activity:None" marks files whose file_id has no type; those are activities.
        let non_activity = t
            .iter()
            .any(|x| x.starts_with("non-activity:") && x != "non-activity:None");
        let expected_err = EXPECTED_ERRORS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|e| e.1);
        let got = std::panic::catch_unwind(|| soleus_formats::decode(&bytes, &limits));
        let outcome = match &got {
            Err(_) => "PANIC".to_owned(),
            Ok(Ok(d)) => format!(
                "ok: {} activities, {} samples, {} warnings",
                d.activities.len(),
                d.activities.iter().map(|a| a.samples.len()).sum::<usize>(),
                d.warnings.len()
            ),
            Ok(Err(e)) => format!("err: {e}"),
        };
        eprintln!("{name}: {outcome}");
        let ok = match (got, expected_err) {
            (Err(_), _) => false,
            (Ok(Err(DecodeError::NotAnActivity { .. })), Some("skip")) => true,
            (Ok(Err(DecodeError::UnknownFormat { .. })), Some("unknown")) => true,
            (Ok(Err(DecodeError::NotAnActivity { reason })), None) if non_activity => {
                counts[1] += 1;
                // The reason names what the file is, as SOURCES.md does.
                let kind = t
                    .iter()
                    .find_map(|x| x.strip_prefix("non-activity:"))
                    .unwrap_or_default();
                reason.contains(kind.trim_end_matches("_b"))
            }
            (Ok(Ok(d)), None) if !non_activity => {
                counts[0] += 1;
                let warned = |w: &str| d.warnings.iter().any(|x| x.contains(w));
                !d.activities.is_empty()
                    && (!has("truncated") || warned("ends at byte"))
                    && (!has("crc-mismatch") || warned("CRC"))
                    && (!has("undefined-local-msg") || warned("no definition"))
                    && d.activities.iter().all(|a| {
                        a.samples.windows(2).all(|w| w[0].t.is_finite())
                            && a.samples.len() <= limits.max_samples
                    })
            }
            _ => false,
        };
        if expected_err.is_some() {
            counts[2] += 1;
        }
        if !ok {
            failures.push(format!("{name}: {outcome}"));
        }
    }
    eprintln!(
        "{} activity files, {} skipped non-activities, {} expected errors",
        counts[0], counts[1], counts[2]
    );
    assert!(counts[0] > 100, "the corpus has over 100 activity files");
    assert!(
        failures.is_empty(),
        "unexpected outcomes:\n{}",
        failures.join("\n")
    );
}

/// One session as `fitparser` reads it.
#[derive(Debug, Default)]
struct GoldenSession {
    start: Option<i64>,
    sport: Option<String>,
    sub_sport: Option<String>,
    distance_m: Option<f64>,
    timer_s: Option<f64>,
    ascent_m: Option<f64>,
}

fn number(v: &Value) -> Option<f64> {
    Some(match v {
        Value::UInt8(x) | Value::UInt8z(x) | Value::Byte(x) | Value::Enum(x) => f64::from(*x),
        Value::UInt16(x) | Value::UInt16z(x) => f64::from(*x),
        Value::UInt32(x) | Value::UInt32z(x) => f64::from(*x),
        Value::SInt32(x) => f64::from(*x),
        Value::Float32(x) => f64::from(*x),
        Value::Float64(x) => *x,
        _ => return None,
    })
}

fn golden_sessions(bytes: &[u8]) -> Option<Vec<GoldenSession>> {
    let opts: HashSet<DecodeOption> = [
        DecodeOption::SkipDataCrcValidation,
        DecodeOption::SkipHeaderCrcValidation,
    ]
    .into_iter()
    .collect();
    let msgs = fitparser::de::from_bytes_with_options(bytes, &opts).ok()?;
    let mut out = Vec::new();
    for m in msgs
        .iter()
        .filter(|m| m.kind() == fitparser::profile::MesgNum::Session)
    {
        let mut g = GoldenSession::default();
        for f in m.fields() {
            match (f.name(), f.value()) {
                ("start_time", Value::Timestamp(t)) => g.start = Some(t.timestamp()),
                ("sport", Value::String(s)) => g.sport = Some(s.clone()),
                ("sub_sport", Value::String(s)) => g.sub_sport = Some(s.clone()),
                ("total_distance", v) => g.distance_m = number(v),
                ("total_timer_time", v) => g.timer_s = number(v),
                ("total_ascent", v) => g.ascent_m = number(v),
                _ => {}
            }
        }
        out.push(g);
    }
    out.sort_by_key(|g| g.start);
    Some(out)
}

/// The sport Soleus should give a session, from fitparser's profile names (the mapping rules
/// of the decoder's documentation, written out again here from the names, not the numbers).
fn expected_sport(sport: Option<&str>, sub: Option<&str>) -> Sport {
    match (sport, sub) {
        (Some("running"), Some("trail")) => Sport::TrailRun,
        (Some("running"), Some("treadmill" | "indoor_running" | "virtual_activity")) => {
            Sport::Treadmill
        }
        (Some("running"), Some("track")) => Sport::Track,
        (Some("running"), _) => Sport::Run,
        (Some("walking"), _) => Sport::Walk,
        (Some("hiking"), _) => Sport::Hike,
        (Some("cycling" | "e_biking"), _) => Sport::Ride,
        (Some("swimming"), _) => Sport::Swim,
        _ => Sport::Other,
    }
}

#[test]
fn session_totals_match_fitparser() {
    let Some(dir) = corpus() else { return };
    let limits = Limits::default();
    let (mut compared, mut sessions) = (0, 0);
    let mut failures = Vec::new();
    for (name, raw) in fit_files(&dir) {
        let bytes = if name.ends_with(".gz") {
            soleus_formats::gunzip(&raw, 1 << 30).expect("corpus gzip")
        } else {
            raw
        };
        let Ok(ours) = soleus_formats::fit::decode(&bytes, &limits) else {
            continue;
        };
        let Some(golden) = golden_sessions(&bytes) else {
            eprintln!("{name}: fitparser cannot read it; not compared");
            continue;
        };
        if golden.is_empty() {
            continue;
        }
        compared += 1;
        let mut acts: Vec<_> = ours.activities.iter().collect();
        acts.sort_by_key(|a| a.start);
        if acts.len() != golden.len() {
            failures.push(format!(
                "{name}: {} sessions, fitparser {}",
                acts.len(),
                golden.len()
            ));
            continue;
        }
        for (a, g) in acts.iter().zip(&golden) {
            sessions += 1;
            let mut bad = Vec::new();
            // Tolerances: start within 1 s (fitparser keeps whole seconds); distance within
            // 1 cm and timer within 1 ms (both are the same scaled integer); ascent exact (m).
            if let Some(s) = g.start.filter(|s| (a.start.timestamp() - s).abs() > 1) {
                bad.push(format!("start {} vs {s}", a.start.timestamp()));
            }
            let close = |x: Option<f64>, y: Option<f64>, tol: f64| match (x, y) {
                (Some(x), Some(y)) => (x - y).abs() <= tol,
                (_, None) => true,
                (None, Some(_)) => false,
            };
            if !close(a.distance_m, g.distance_m, 0.01) {
                bad.push(format!("distance {:?} vs {:?}", a.distance_m, g.distance_m));
            }
            if !close(a.moving_s, g.timer_s, 0.001) {
                bad.push(format!("timer {:?} vs {:?}", a.moving_s, g.timer_s));
            }
            if !close(a.ascent_m, g.ascent_m, 0.0) {
                bad.push(format!("ascent {:?} vs {:?}", a.ascent_m, g.ascent_m));
            }
            let want = expected_sport(g.sport.as_deref(), g.sub_sport.as_deref());
            if g.sport.is_some() && a.sport != want {
                bad.push(format!(
                    "sport {:?} vs {:?}/{:?}",
                    a.sport, g.sport, g.sub_sport
                ));
            }
            if !bad.is_empty() {
                failures.push(format!("{name}: {}", bad.join(", ")));
            }
        }
    }
    eprintln!("compared {sessions} sessions in {compared} files with fitparser");
    assert!(
        compared > 90,
        "most corpus files are readable by both decoders"
    );
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}
