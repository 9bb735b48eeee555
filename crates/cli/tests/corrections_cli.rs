//! `soleus edit`, `delete` and `merge` on real files of the shared corpus: an edit shows and
//! survives a reparse, a deletion leaves the load by exactly the run's distance and comes back
//! on undo, a re-import of a deleted run's file stores nothing, and two recordings of one run
//! merged count once.

mod common;

use common::{Sandbox, corpus};
use serde_json::Value;

const RUN_A: &str = "tcx/trackeR__2013-06-11-181035.TCX.gz";
const RUN_B: &str = "tcx/trackeR__2013-06-06-124422.TCX.gz";

fn import(sb: &Sandbox, path: &str) -> Value {
    let (code, doc) = sb.json(&["import", path, "--json"]);
    assert_eq!(code, 0, "{doc}");
    doc
}

fn activities(sb: &Sandbox) -> Vec<Value> {
    sb.value(&["activities", "--json"])["activities"]
        .as_array()
        .unwrap()
        .clone()
}

fn by_id(list: &[Value], id: u64) -> Option<Value> {
    list.iter().find(|a| a["id"] == id).cloned()
}

/// The load's distance over June 2013, km.
fn june_km(sb: &Sandbox) -> f64 {
    let doc = sb.value(&[
        "load",
        "--from",
        "2013-06-01",
        "--to",
        "2013-06-30",
        "--json",
    ]);
    doc["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["distance_km"].as_f64().unwrap())
        .sum()
}

fn imported_id(doc: &Value) -> u64 {
    assert_eq!(doc["imported"], 1, "{doc}");
    doc["files"][0]["activity_id"].as_u64().unwrap()
}

#[test]
fn an_edit_shows_beside_what_the_file_said_and_survives_reparse() {
    let Some(corpus) = corpus() else { return };
    let sb = Sandbox::new();
    let id = imported_id(&import(&sb, corpus.join(RUN_A).to_str().unwrap()));
    let before = by_id(&activities(&sb), id).unwrap();
    assert_eq!(before["sport"], "run");
    let ids = id.to_string();
    let report = sb.value(&[
        "edit",
        &ids,
        "--name",
        "Track session",
        "--sport",
        "track",
        "--shoe",
        "Spikes",
        "--json",
    ]);
    assert_eq!(report["action"], "edited");
    let after = by_id(&activities(&sb), id).unwrap();
    assert_eq!(after["name"], "Track session");
    assert_eq!(after["sport"], "track");
    assert_eq!(after["shoe"], "Spikes");
    // Only what was edited changed.
    assert_eq!(after["distance_km"], before["distance_km"]);

    // show says what was edited and what the file said.
    let shown = sb.value(&["show", &ids, "--json"]);
    let edits = shown["edits"].as_array().unwrap();
    let sport = edits.iter().find(|e| e["field"] == "sport").unwrap();
    assert_eq!(sport["device"], "run");
    assert_eq!(sport["after"], "track");
    let text = sb.ok(&["show", &ids]);
    assert!(text.contains("the file said: run"), "{text}");

    // Re-decoding the original does not undo the correction.
    sb.ok(&["reparse"]);
    let reparsed = by_id(&activities(&sb), id).unwrap();
    assert_eq!(reparsed["name"], "Track session");
    assert_eq!(reparsed["sport"], "track");
    assert_eq!(reparsed["shoe"], "Spikes");

    // A shoe can be taken off again; an unknown sport is refused, naming the known ones.
    sb.ok(&["edit", &ids, "--shoe", "none"]);
    assert_eq!(by_id(&activities(&sb), id).unwrap()["shoe"], Value::Null);
    sb.ok(&["reparse"]);
    assert_eq!(by_id(&activities(&sb), id).unwrap()["shoe"], Value::Null);
    let err = sb.fails(&["edit", &ids, "--sport", "skating"]);
    assert!(err.contains("trail_run"), "{err}");
}

#[test]
fn a_deleted_run_leaves_the_load_by_its_distance_and_comes_back_on_undo() {
    let Some(corpus) = corpus() else { return };
    let sb = Sandbox::new();
    let a = imported_id(&import(&sb, corpus.join(RUN_A).to_str().unwrap()));
    let b = imported_id(&import(&sb, corpus.join(RUN_B).to_str().unwrap()));
    let km_a = by_id(&activities(&sb), a).unwrap()["distance_km"]
        .as_f64()
        .unwrap();
    assert!(km_a > 5.0);
    let total = june_km(&sb);
    let ids = a.to_string();

    let report = sb.value(&["delete", &ids, "--json"]);
    assert_eq!(report["action"], "deleted");
    assert_eq!(report["undo"], format!("soleus delete --undo {a}"));
    let list = activities(&sb);
    assert!(by_id(&list, a).is_none());
    assert!(by_id(&list, b).is_some());
    assert!((june_km(&sb) - (total - km_a)).abs() < 1e-9);
    let err = sb.fails(&["show", &ids]);
    assert!(err.contains("delete --undo"), "{err}");

    // The same file again stores nothing and says how to bring the run back.
    let again = import(&sb, corpus.join(RUN_A).to_str().unwrap());
    assert_eq!(again["imported"], 0);
    assert_eq!(again["duplicate"], 1);
    let reason = again["files"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("deleted") && reason.contains(&format!("soleus delete --undo {a}")),
        "{reason}"
    );
    assert_eq!(activities(&sb).len(), 1);
    assert!((june_km(&sb) - (total - km_a)).abs() < 1e-9);

    // A reparse does not bring it back either; the undo does.
    sb.ok(&["reparse"]);
    assert!(by_id(&activities(&sb), a).is_none());
    sb.ok(&["delete", "--undo", &ids]);
    assert!(by_id(&activities(&sb), a).is_some());
    assert!((june_km(&sb) - total).abs() < 1e-9);
    let err = sb.fails(&["delete", "--undo", &ids]);
    assert!(err.contains("not deleted"), "{err}");
}

#[test]
fn unknown_ids_exit_2_naming_the_id() {
    let Some(corpus) = corpus() else { return };
    let sb = Sandbox::new();
    import(&sb, corpus.join(RUN_A).to_str().unwrap());
    for args in [
        vec!["edit", "41", "--name", "x"],
        vec!["delete", "41"],
        vec!["delete", "--undo", "41"],
        vec!["merge", "41", "42"],
    ] {
        let err = sb.fails(&args);
        assert!(
            err.contains("no activity 41") && err.contains("soleus activities"),
            "{args:?}: {err}"
        );
    }
}

/// A second watch's GPX of the same run: the same span, three points, a distance far from the
/// TCX's, so the import does not take it for the same run.
fn second_watch_gpx(start: &str, elapsed_s: f64) -> String {
    let t0 = chrono::DateTime::parse_from_rfc3339(start).unwrap();
    let pts: String = [0.0, 0.5, 1.0]
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let t = t0 + chrono::Duration::seconds((elapsed_s * f) as i64);
            format!(
                "<trkpt lat=\"47.{:04}\" lon=\"8.5000\"><time>{}</time></trkpt>",
                1000 + i * 9,
                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"Second watch\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><type>running</type><trkseg>{pts}\
         </trkseg></trk></gpx>"
    )
}

#[test]
fn two_recordings_of_one_run_merged_count_once() {
    let Some(corpus) = corpus() else { return };
    let sb = Sandbox::new();
    let tcx = imported_id(&import(&sb, corpus.join(RUN_A).to_str().unwrap()));
    let row = by_id(&activities(&sb), tcx).unwrap();
    let km_tcx = row["distance_km"].as_f64().unwrap();
    let gpx = sb.path("second-watch.gpx");
    std::fs::write(
        &gpx,
        second_watch_gpx(
            row["start"].as_str().unwrap(),
            row["elapsed_s"].as_f64().unwrap(),
        ),
    )
    .unwrap();
    let other = imported_id(&import(&sb, gpx.to_str().unwrap()));
    let km_other = by_id(&activities(&sb), other).unwrap()["distance_km"]
        .as_f64()
        .unwrap();
    assert!(km_other > 0.0);
    assert!((june_km(&sb) - (km_tcx + km_other)).abs() < 1e-9);

    // Named in either order, the richer TCX (heart rate, cadence, altitude) is kept.
    let (o, t) = (other.to_string(), tcx.to_string());
    let report = sb.value(&["merge", &o, &t, "--json"]);
    assert_eq!(report["action"], "merged");
    assert_eq!(report["kept"], tcx);
    assert_eq!(report["id"], other);
    let list = activities(&sb);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], tcx);
    assert!((june_km(&sb) - km_tcx).abs() < 1e-9);

    // The second file stays linked: importing it again stores nothing and names the merge.
    let again = import(&sb, gpx.to_str().unwrap());
    assert_eq!(again["imported"], 0);
    assert_eq!(again["files"][0]["activity_id"], tcx);
    assert!(
        again["files"][0]["reason"]
            .as_str()
            .unwrap()
            .contains(&format!("soleus merge --undo {other}"))
    );

    // The merge is undone.
    sb.ok(&["merge", "--undo", &o]);
    assert_eq!(activities(&sb).len(), 2);
    assert!((june_km(&sb) - (km_tcx + km_other)).abs() < 1e-9);
}
