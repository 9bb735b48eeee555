//! Every GPX and TCX file of the shared corpus, decoded through `soleus_formats::decode`
//! (so `.gz` files are unpacked first), with golden checks against independent readings:
//!
//! * TCX: our distance and timer time equal the sums of the file's own lap totals, found by a
//!   plain text scan written here (not our XML reader).
//! * GPX: our point count and first timestamp equal what the `gpx` crate reads, and our
//!   distance is close to a spherical haversine sum over the `gpx` crate's points.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use soleus_formats::{DecodeError, Decoded, Limits, decode};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: corpus not found at {}", dir.display());
        None
    }
}

fn files(dir: &Path, sub: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// The tags SOURCES.md gives a file (`route-only`, `xml-error`, …).
fn tags(sources: &str, rel: &str) -> Vec<String> {
    sources
        .lines()
        .find(|l| l.starts_with(&format!("| {rel} |")))
        .and_then(|l| l.trim_end().trim_end_matches('|').rsplit('|').next())
        .map(|t| t.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default()
}

fn raw(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        soleus_formats::gunzip(&bytes, 1 << 30).unwrap()
    } else {
        bytes
    }
}

fn run(path: &Path) -> Result<Result<Decoded, DecodeError>, String> {
    let bytes = std::fs::read(path).unwrap();
    catch_unwind(AssertUnwindSafe(|| decode(&bytes, &Limits::default())))
        .map_err(|_| format!("PANIC decoding {}", path.display()))
}

#[test]
fn every_gpx_and_tcx_file_gets_the_expected_outcome() {
    let Some(dir) = corpus() else { return };
    let sources = std::fs::read_to_string(dir.join("SOURCES.md")).unwrap_or_default();
    let mut wrong = Vec::new();
    let mut n = 0;
    for sub in ["gpx", "tcx"] {
        for path in files(&dir, sub) {
            n += 1;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let tags = tags(&sources, &format!("{sub}/{name}"));
            let has = |t: &str| tags.iter().any(|x| x == t);
            let outcome = match run(&path) {
                Err(panic) => {
                    wrong.push(panic);
                    continue;
                }
                Ok(o) => o,
            };
            let shown = match &outcome {
                Ok(d) => format!(
                    "ok: {} activities, {} samples, {:.0} m, warnings {:?}",
                    d.activities.len(),
                    d.activities.iter().map(|a| a.samples.len()).sum::<usize>(),
                    d.activities
                        .iter()
                        .filter_map(|a| a.distance_m)
                        .sum::<f64>(),
                    d.warnings
                ),
                Err(e) => format!("{}: {e}", if e.is_skip() { "skip" } else { "error" }),
            };
            println!("{sub}/{name} [{}] -> {shown}", tags.join(","));
            // What SOURCES.md says the file is decides what we must answer.
            let ok = match &outcome {
                _ if has("xml-error") => true,
                Err(e) if e.is_skip() => {
                    untimed_track(&raw(&path))
                        || has("waypoints-only")
                        || has("route-only")
                        || has("course")
                        || has("no-records")
                        || has("no-timestamps")
                }
                Err(_) => has("no-records"),
                Ok(d) => {
                    !(has("waypoints-only")
                        || has("route-only")
                        || has("course")
                        || has("no-records")
                        || has("no-timestamps"))
                        && d.activities.iter().all(|a| !a.samples.is_empty())
                }
            };
            if !ok {
                wrong.push(format!("{sub}/{name}: unexpected {shown}"));
            }
        }
    }
    assert!(n > 50, "only {n} files found");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Whether a GPX has track points and none of them has a `<time>`, by plain string search.
fn untimed_track(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let points: Vec<&str> = text
        .split("<trkpt")
        .skip(1)
        .map(|p| p.split("</trkpt>").next().unwrap_or(p))
        .collect();
    !points.is_empty() && points.iter().all(|p| !p.contains("<time>"))
}

/// Sums `TotalTimeSeconds` and `DistanceMeters` of every `<Lap` in the `Activities` part of a
/// TCX by plain string search: a lap's own totals come before its `<Track>`.
fn scan_lap_totals(text: &str) -> (usize, f64, Option<f64>) {
    let acts = text.split("<Courses").next().unwrap_or("");
    let (mut laps, mut time, mut dist, mut all_dist) = (0, 0.0, 0.0, true);
    for chunk in acts.split("<Lap ").skip(1) {
        laps += 1;
        let head = chunk.split("<Track>").next().unwrap_or(chunk);
        let head = head.split("</Lap>").next().unwrap_or(head);
        let field = |tag: &str| -> Option<f64> {
            let open = format!("<{tag}>");
            let from = head.find(&open)? + open.len();
            head[from..].split('<').next()?.trim().parse().ok()
        };
        time += field("TotalTimeSeconds").unwrap_or(0.0);
        match field("DistanceMeters") {
            Some(d) => dist += d,
            None => all_dist = false,
        }
    }
    (laps, time, all_dist.then_some(dist))
}

#[test]
fn tcx_totals_are_the_sums_of_the_file_own_lap_totals() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for path in files(&dir, "tcx") {
        // The TCX decoder's own reading of the laps, before the totals are checked against
        // the trackpoints (which may change them, with a warning: see tests/totals.rs).
        let Ok(d) = soleus_formats::tcx::decode(&raw(&path), &Limits::default()) else {
            continue;
        };
        let text = String::from_utf8_lossy(&raw(&path)).into_owned();
        let (laps, time, dist) = scan_lap_totals(&text);
        let our_laps: usize = d.activities.iter().map(|a| a.laps.len()).sum();
        let our_time: f64 = d.activities.iter().filter_map(|a| a.moving_s).sum();
        println!(
            "{}: laps {our_laps}/{laps}, timer {our_time:.3}/{time:.3} s",
            path.display()
        );
        assert_eq!(our_laps, laps, "{}", path.display());
        // The same decimal numbers added in the same order: equal to rounding, 1 µs / 1 µm.
        assert!((our_time - time).abs() < 1e-6, "{}", path.display());
        if let Some(dist) = dist {
            let ours: f64 = d.activities.iter().filter_map(|a| a.distance_m).sum();
            println!("    distance {ours:.3}/{dist:.3} m");
            assert!((ours - dist).abs() < 1e-6, "{}", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} TCX files checked");
}

/// Great-circle distance on a sphere of the mean Earth radius (IUGG R1 = 6 371 008.8 m).
fn haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = (p2 - p1, (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

fn rfc3339_ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .timestamp_millis()
}

#[test]
fn gpx_points_time_and_distance_agree_with_the_gpx_crate() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for path in files(&dir, "gpx") {
        let Ok(Ok(d)) = run(&path) else { continue };
        let a = &d.activities[0];
        let Ok(theirs) = gpx::read(raw(&path).as_slice()) else {
            println!("{}: the gpx crate cannot read it", path.display());
            continue;
        };
        let pts: Vec<&gpx::Waypoint> = theirs
            .tracks
            .iter()
            .flat_map(|t| &t.segments)
            .flat_map(|s| &s.points)
            .collect();
        assert_eq!(a.samples.len(), pts.len(), "{}", path.display());
        let first = pts
            .iter()
            .find_map(|p| p.time.as_ref())
            .map(|t| rfc3339_ms(&t.format().unwrap()));
        assert_eq!(
            first,
            Some(a.start.timestamp_millis()),
            "{}",
            path.display()
        );
        let sphere: f64 = pts
            .windows(2)
            .map(|w| {
                let (p, q) = (w[0].point(), w[1].point());
                haversine(p.y(), p.x(), q.y(), q.x())
            })
            .sum();
        let ours = a.distance_m.unwrap_or(0.0);
        let ratio = if sphere > 0.0 { ours / sphere } else { 1.0 };
        println!(
            "{}: {} points, ours {ours:.0} m, haversine {sphere:.0} m, ratio {ratio:.4}",
            path.display(),
            pts.len()
        );
        // Why they differ: the ellipsoid is up to ±0.5 % longer or shorter than the sphere
        // depending on latitude and heading; the jitter rule only counts movement of more than
        // 2.5 m from the last counted fix, which removes the zig-zag of a slow or standing
        // receiver (1–2 % on the 1 s Polar tracks here), and fixes implying more than the
        // sport's plausible speed are skipped as glitches. So ours may be a few per cent
        // shorter, but not longer beyond the ellipsoid's 0.6 %. Tracks whose haversine length
        // over their duration is already above 70 m/s (the most lenient plausible speed) are
        // synthetic glitches, which we rightly do not count, so they are left out.
        let elapsed = a.elapsed_s.unwrap_or(0.0);
        let plausible = elapsed > 0.0 && sphere / elapsed < 70.0;
        if sphere > 500.0 && plausible {
            assert!(
                (0.95..=1.006).contains(&ratio),
                "{}: ours {ours} m vs haversine {sphere} m",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} GPX files checked");
}
