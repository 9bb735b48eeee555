//! Numbers no sensor could have measured are left out at decode, and totals are checked before
//! they reach load, energy or risk. Each expected value comes from how the test track is built.

use soleus_formats::{Limits, decode};

/// A GPX run due north from (50, 8): `n` points 10 s apart, each 40 m (0.000359 degrees of
/// latitude, 40 m at 111.3 km per degree) beyond the last, at 100 m altitude; `edit` may
/// change point `i`'s (lat, lon, ele) text.
fn gpx(n: usize, edit: impl Fn(usize, &mut (String, String, String))) -> Vec<u8> {
    let mut s = String::from(
        r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><type>running</type><trkseg>"#,
    );
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-05-01T07:00:00Z").unwrap();
    for i in 0..n {
        let mut p = (
            format!("{:.7}", 50.0 + 0.000_359 * i as f64),
            "8.0".to_string(),
            "100".to_string(),
        );
        edit(i, &mut p);
        let t = t0 + chrono::Duration::seconds(10 * i as i64);
        s.push_str(&format!(
            r#"<trkpt lat="{}" lon="{}"><ele>{}</ele><time>{}</time></trkpt>"#,
            p.0,
            p.1,
            p.2,
            t.format("%Y-%m-%dT%H:%M:%SZ")
        ));
    }
    s.push_str("</trkseg></trk></gpx>");
    s.into_bytes()
}

#[test]
fn one_altitude_glitch_adds_no_ascent() {
    // 10 km flat (251 points, 40 m apart) with one 9,999 m reading: the ascent is that of a
    // flat track, 0 m, not 9,899 m.
    let out = decode(
        &gpx(251, |i, p| {
            if i == 120 {
                p.2 = "9999".into();
            }
        }),
        &Limits::default(),
    )
    .unwrap();
    let a = &out.activities[0];
    assert!(a.ascent_m.unwrap() < 1.0, "{:?}", a.ascent_m);
    assert!(a.descent_m.unwrap() < 1.0, "{:?}", a.descent_m);
    assert!(
        (a.distance_m.unwrap() - 10_000.0).abs() < 50.0,
        "{:?}",
        a.distance_m
    );
    assert!(
        out.warnings.iter().any(|w| w.contains("1 altitudes")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn huge_and_non_finite_numbers_are_left_out() {
    // 1e308 m is finite but above any place on Earth; NaN and inf are not numbers at all.
    let out = decode(
        &gpx(30, |i, p| match i {
            5 => p.2 = "1e308".into(),
            9 => p.2 = "NaN".into(),
            12 => p.2 = "-inf".into(),
            _ => {}
        }),
        &Limits::default(),
    )
    .unwrap();
    let a = &out.activities[0];
    assert!(a.ascent_m.unwrap() < 1.0, "{:?}", a.ascent_m);
    assert!(a.samples.iter().all(|s| s.alt.is_none_or(|v| v == 100.0)));
}

#[test]
fn a_point_at_null_island_makes_no_giant_split() {
    // 1.12 km (28 steps of 40 m) with one point at (0, 0): the splits are one kilometre (it
    // ends at the first point past 1,000 m, so up to one 40 m step more) and the remainder,
    // not a split of 5,593 km.
    let out = decode(
        &gpx(29, |i, p| {
            if i == 14 {
                p.0 = "0".into();
                p.1 = "0".into();
            }
        }),
        &Limits::default(),
    )
    .unwrap();
    let a = &out.activities[0];
    let splits = soleus_model::splits::splits(&a.samples, 1000.0);
    let total: f64 = splits.iter().map(|s| s.distance_m).sum();
    assert!((total - 1120.0).abs() < 50.0, "{splits:?}");
    assert!(splits.iter().all(|s| s.distance_m <= 1041.0), "{splits:?}");
    assert!(
        (a.distance_m.unwrap() - 1120.0).abs() < 50.0,
        "{:?}",
        a.distance_m
    );
}

#[test]
fn splits_skip_a_position_glitch_even_in_stored_samples() {
    // Samples as stored before this check existed: one fix 50 km off. The splits must follow
    // the 1,120 m track (expected from the construction above), as the distance total does.
    let out = decode(&gpx(29, |_, _| {}), &Limits::default()).unwrap();
    let mut samples = out.activities[0].samples.clone();
    samples[14].lat = Some(50.5);
    let splits = soleus_model::splits::splits(&samples, 1000.0);
    let total: f64 = splits.iter().map(|s| s.distance_m).sum();
    assert!((total - 1120.0).abs() < 50.0, "{splits:?}");
}

#[test]
fn a_huge_name_is_cut_with_a_warning() {
    // A 4 MB <name>: kept are the first MAX_TEXT_CHARS (256) characters and an ellipsis.
    let mut bytes = gpx(5, |_, _| {});
    let at = bytes.windows(5).position(|w| w == b"<trk>").unwrap() + 5;
    let name = format!("<name>{}</name>", "é".repeat(2 << 20));
    bytes.splice(at..at, name.into_bytes());
    let out = decode(&bytes, &Limits::default()).unwrap();
    let a = &out.activities[0];
    let kept = a.name.as_deref().unwrap();
    assert_eq!(kept.chars().count(), soleus_formats::MAX_TEXT_CHARS + 1);
    assert!(kept.ends_with('…'));
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("name was cut after 256 characters")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn a_gpx_with_a_doctype_is_read() {
    // A DOCTYPE (with an internal subset, as some exporters write) is allowed before the root
    // by XML 1.0 (production [28]); the file is an ordinary GPX after it.
    for doctype in [
        "<!DOCTYPE gpx>",
        "<!DOCTYPE gpx [\n  <!ENTITY who \"me\">\n]>",
    ] {
        let bytes = gpx(5, |_, _| {});
        let text = String::from_utf8(bytes).unwrap();
        let text = text.replacen("?><gpx", &format!("?>\n{doctype}\n<gpx"), 1);
        let out = decode(text.as_bytes(), &Limits::default());
        assert!(out.is_ok(), "{doctype}: {out:?}");
        assert_eq!(out.unwrap().activities[0].samples.len(), 5);
    }
}
