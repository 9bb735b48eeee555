//! Upgrade without loss (issue 10, item 8). `fixtures/upgrade/v0004.sql` is a database made by
//! the release whose store ends at migration 0004: five original files (three TCX.gz runs, a FIT
//! run and a GPX copy of it kept as a duplicate), a profile in miles and pounds, three shoes,
//! RPE, check-ins, a saved assessment and the plan it started, checklists, a clearance,
//! questionnaire scores, an energy goal, intake and weighings. Its header lists the commands
//! that made it. The goldens beside it are what that release printed for every report.
//!
//! This release loads the dump into a fresh file, opens it (applying only its newer
//! migrations) and must print the same documents, compared as JSON values. Then it opens the
//! file again and compares again (a second opening loses nothing either), re-reads every
//! stored original with `soleus reparse`, and compares a third time. Last, when the corpus is
//! there, it imports the fixture's files again: each must be found stored by its content, with
//! the day it was first imported.
//!
//! Nothing is excused but the few values that are the real date or the test's temporary
//! folder (see [`time_dependent`], [`html_report`] and [`document`]), and after `reparse` the
//! climb recomputed by this release's altitude filter (see [`follows_the_altitude_filter`]);
//! every day a command takes is pinned.
//!
//! `SOLEUS_BLESS_UPGRADE=1` writes the goldens instead; it refuses unless the store applied no
//! migration to the fixture, so only the release that made the fixture can write them.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::Sandbox;
use serde_json::Value;
use sqlx::Connection as _;

/// The database as the release before migration 0005 left it.
const FIXTURE: &str = include_str!("fixtures/upgrade/v0004.sql");

/// The migrations the fixture's store had applied.
const FIXTURE_MIGRATIONS: [i64; 4] = [1, 2, 3, 4];

/// One report and the golden it must match.
struct Report {
    /// The golden's file name in the fixture folder.
    golden: &'static str,
    /// The command line (after `--db`).
    args: &'static [&'static str],
    /// Values that depend on the real date, removed from both sides (see [`time_dependent`]).
    drop: &'static [&'static str],
}

const fn report(golden: &'static str, args: &'static [&'static str]) -> Report {
    Report {
        golden,
        args,
        drop: &[],
    }
}

/// Every report that prints JSON, with every day pinned. Left out: `shoes drops`, whose weeks
/// are counted back from the real week with no way to pin them (`--weeks` only sets how many),
/// so every week it prints lies after the fixture's runs; `scores --list`, which prints the
/// built-in questionnaires and reads nothing stored.
const REPORTS: &[Report] = &[
    report("activities.json", &["activities", "--json"]),
    report("show-1.json", &["show", "1", "--json"]),
    report("show-2.json", &["show", "2", "--json"]),
    report("show-3.json", &["show", "3", "--json"]),
    report("show-4.json", &["show", "4", "--json"]),
    report("profile.json", &["profile", "--json"]),
    report("config.json", &["config", "show", "--json"]),
    report(
        "load-km.json",
        &[
            "load",
            "--from",
            "2013-06-01",
            "--to",
            "2013-07-07",
            "--json",
        ],
    ),
    report(
        "load-trimp.json",
        &[
            "load",
            "--from",
            "2013-06-01",
            "--to",
            "2013-07-07",
            "--unit",
            "trimp",
            "--json",
        ],
    ),
    report(
        "load-srpe.json",
        &[
            "load",
            "--from",
            "2013-06-10",
            "--to",
            "2013-06-30",
            "--unit",
            "srpe",
            "--json",
        ],
    ),
    report(
        "load-minutes-on.json",
        &["load", "--on", "2013-06-23", "--unit", "minutes", "--json"],
    ),
    report(
        "load-2017.json",
        &[
            "load",
            "--from",
            "2017-09-18",
            "--to",
            "2017-10-15",
            "--json",
        ],
    ),
    report("risk-2013.json", &["risk", "--on", "2013-06-23", "--json"]),
    report("risk-2017.json", &["risk", "--on", "2017-10-08", "--json"]),
    report("shoes.json", &["shoes", "list", "--json"]),
    Report {
        golden: "shoes-transition.json",
        args: &["shoes", "transition", "--json"],
        drop: &["this_week"],
    },
    report("checkins.json", &["checkins", "--json"]),
    Report {
        golden: "assess.json",
        args: &["assess", "--json"],
        // The advice is worded from the rules at reading time, and this release changed them
        // on purpose (a low clot match no longer reads as "no appointment needed"); what was
        // stored (the triage, its red flags, the conditions and their scores) is compared.
        drop: &["next_steps", "triage_advice"],
    },
    report("scores.json", &["scores", "--json"]),
    Report {
        golden: "plan.json",
        args: &["plan", "--json"],
        drop: &["today"],
    },
    report("plan-history.json", &["plan", "--history", "--json"]),
    report(
        "today-2013-06-18.json",
        &["today", "--on", "2013-06-18", "--json"],
    ),
    report(
        "today-2013-06-29.json",
        &["today", "--on", "2013-06-29", "--json"],
    ),
    report(
        "today-2013-07-02.json",
        &["today", "--on", "2013-07-02", "--json"],
    ),
    report(
        "energy-goal.json",
        &[
            "energy",
            "goal",
            "--on",
            "2013-06-20",
            "--dry-run",
            "--json",
        ],
    ),
    report(
        "energy-week-2013-06-12.json",
        &["energy", "week", "--of", "2013-06-12", "--json"],
    ),
    report(
        "energy-week-2013-06-19.json",
        &["energy", "week", "--of", "2013-06-19", "--json"],
    ),
    report("energy-history.json", &["energy", "history", "--json"]),
];

/// The clinic report (HTML), compared as text; its "Made on" line names the real day.
const HTML_REPORT: &str = "report.html";

/// `soleus reparse`: every stored original read back and decoded again.
const REPARSE: Report = report("reparse.json", &["reparse", "--json"]);

/// The files the fixture imported, as named from the corpus's parent folder. Importing them
/// again must find every one stored, by its content: the duplicate GPX too, which no report
/// shows (it holds no activity of its own, and `reparse` skips it).
const IMPORTED: &[&str] = &[
    "corpus/tcx/trackeR__2013-06-14-105252.TCX.gz",
    "corpus/tcx/trackeR__2013-06-19-183041.TCX.gz",
    "corpus/tcx/trackeR__2013-06-23-080959.TCX.gz",
    "corpus/fit/sportslib__2067489619.fit",
    "corpus/gpx/sportslib__2067489619.gpx",
];

/// The golden of importing [`IMPORTED`] again.
const REIMPORT: &str = "reimport.json";

/// At most this many differences are printed per golden and pass.
const SHOWN: usize = 12;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade")
}

/// Loads the dump into a new SQLite file, as SQL, with no `sqlite3` program.
fn load_fixture(db: &Path) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        // The dump inserts rows table by table (activities before the files they point at),
        // as `sqlite3 .dump` does: constraints are the store's business once it is loaded.
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(db)
            .create_if_missing(true)
            .foreign_keys(false);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .expect("create the fixture database");
        sqlx::raw_sql(FIXTURE)
            .execute(&mut conn)
            .await
            .expect("load the fixture's SQL");
        conn.close().await.expect("close the fixture database");
    });
}

/// The migrations recorded as applied in the database.
fn applied_migrations(db: &Path) -> Vec<i64> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(db);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .expect("open the database");
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&mut conn)
            .await
            .expect("read _sqlx_migrations")
    })
}

/// Removes the values that depend on the real date. `plan --json`'s `today` is the
/// prescription for the day the command runs (it has no `--on`; `today --on DAY` prints the
/// same prescription for pinned days, and is compared). `shoes transition --json`'s
/// `this_week` checks the seven days up to the real today; the schedule (`plan`) is compared.
fn time_dependent(r: &Report, mut doc: Value) -> Value {
    if let Some(o) = doc.as_object_mut() {
        for key in r.drop {
            assert!(
                o.remove(*key).is_some(),
                "{:?} no longer prints {key:?}: update the test",
                r.args
            );
        }
    }
    doc
}

/// The clinic report over the fixture's weeks, with its "Made on DAY." masked: the one value
/// that is the real date.
fn html_report(sb: &Sandbox) -> String {
    let out = sb.path("report.html");
    let path = out.to_str().unwrap();
    sb.ok(&[
        "report",
        "--from",
        "2013-06-01",
        "--to",
        "2013-07-07",
        "--html",
        path,
    ]);
    let text = std::fs::read_to_string(&out).expect("read the report");
    let at = text
        .find("Made on ")
        .expect("the report says when it was made")
        + "Made on ".len();
    let day = text.get(at..at + 10).expect("a day after 'Made on'");
    assert!(
        chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok(),
        "{day}"
    );
    format!("{}DAY{}", &text[..at], &text[at + 10..])
}

/// A report's JSON document. The sandbox's folder (in `config show`'s `db`, the URL given with
/// `--db`) is a different temporary folder on each run: it reads `SANDBOX`.
fn document(sb: &Sandbox, r: &Report) -> Value {
    let text = sb
        .ok(r.args)
        .replace(sb.dir.path().to_str().unwrap(), "SANDBOX");
    let doc = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{:?}: not JSON ({e}): {text}", r.args));
    time_dependent(r, doc)
}

/// Every report's output, by golden name.
fn run_all(sb: &Sandbox) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = REPORTS
        .iter()
        .map(|r| (r.golden, pretty(&document(sb, r))))
        .collect();
    out.push((HTML_REPORT, html_report(sb)));
    out
}

/// `soleus import --json` of the fixture's files again, from the corpus's parent folder, or
/// `None` (with a note) when the corpus is absent.
fn reimport(sb: &Sandbox) -> Option<String> {
    let corpus = common::corpus()?;
    let mut cmd = sb.cmd(&[&["import", "--json"][..], IMPORTED].concat());
    let out = cmd
        .current_dir(corpus.parent().unwrap())
        .output()
        .expect("run soleus import");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "import again: {text}");
    Some(pretty(
        &serde_json::from_str(&text).expect("import --json prints JSON"),
    ))
}

fn pretty(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).unwrap() + "\n"
}

/// Where two JSON values differ, one line per difference, with its path.
fn diff(path: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = format!("{path}.{k}");
                match g.get(k) {
                    Some(gv) => diff(&p, wv, gv, out),
                    None => out.push(format!("{p}: missing (was {wv})")),
                }
            }
            for (k, gv) in g.iter().filter(|(k, _)| !w.contains_key(*k)) {
                out.push(format!("{path}.{k}: new (is {gv})"));
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                diff(&format!("{path}[{i}]"), wv, gv, out);
            }
            if w.len() != g.len() {
                out.push(format!("{path}: {} items, was {}", g.len(), w.len()));
            }
        }
        _ if want == got => {}
        (Value::Number(w), Value::Number(g)) if same_float(w, g) => {}
        _ => out.push(format!("{path}: was {want}, is {got}")),
    }
}

/// Two numbers equal but for the last bits of a double: the previous release read JSON numbers
/// with serde_json's fast path, which can be off by an ulp; Soleus now reads them correctly
/// rounded (`float_roundtrip`). Anything beyond rounding is a difference.
fn same_float(w: &serde_json::Number, g: &serde_json::Number) -> bool {
    match (w.as_f64(), g.as_f64()) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300),
        _ => false,
    }
}

/// Where two texts first differ (the report is one long line of HTML), with some context.
fn text_diff(want: &str, got: &str) -> String {
    let at = want
        .char_indices()
        .zip(got.chars())
        .find(|((_, w), g)| w != g)
        .map_or(want.len().min(got.len()), |((i, _), _)| i);
    let around = |t: &str| {
        let from = t.floor_char_boundary(at.saturating_sub(60));
        let to = t.ceil_char_boundary((at + 60).min(t.len()));
        t[from..to].to_owned()
    };
    format!(
        "differs at byte {at} ({} bytes, was {}):\n  was: …{}…\n  is:  …{}…",
        got.len(),
        want.len(),
        around(want),
        around(got)
    )
}

/// Nothing is excused but the fields documents gained after the fixture was made, empty
/// for its activities: the corrections a runner made (`show`'s `edits`, migration 0015),
/// none in a database from before them.
fn nothing(golden: &str, line: &str) -> bool {
    golden.starts_with("show-") && line.ends_with("$.edits: new (is [])")
}

/// After `reparse` only: the climb recomputed for files without a device total (the fixture's
/// TCX runs) follows the altitude filter of this release (`soleus_model::altitude`, which
/// reads the channel's resolution and noise), and what climbing feeds moves with it: the days'
/// and weeks' climb in `load`, and a run's energy cost. Nothing else may change.
fn follows_the_altitude_filter(golden: &str, line: &str) -> bool {
    let Some(field) = line
        .split(':')
        .next()
        .and_then(|path| path.rsplit('.').next())
    else {
        return false;
    };
    nothing(golden, line)
        || matches!(field, "ascent_m" | "descent_m")
        || (golden.starts_with("energy-")
            && (field.ends_with("_kcal") || field.ends_with("energy_availability")))
}

/// Compares each output with its golden; returns what differs, named by golden and path,
/// leaving out the differences `excused` accepts.
fn compare(
    outputs: &[(&'static str, String)],
    when: &str,
    excused: &dyn Fn(&str, &str) -> bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (golden, got) in outputs {
        let want = std::fs::read_to_string(folder().join(golden))
            .unwrap_or_else(|e| panic!("golden {golden}: {e} (bless with SOLEUS_BLESS_UPGRADE=1)"));
        if golden.ends_with(".json") {
            let want: Value = serde_json::from_str(&want).expect("golden is JSON");
            let got: Value = serde_json::from_str(got).unwrap();
            let mut lines = Vec::new();
            diff("$", &want, &got, &mut lines);
            lines.retain(|l| !excused(golden, l));
            let more = lines.len().saturating_sub(SHOWN);
            lines.truncate(SHOWN);
            if more > 0 {
                lines.push(format!("… and {more} more"));
            }
            problems.extend(lines.into_iter().map(|l| format!("{when}: {golden}: {l}")));
        } else if &want != got {
            problems.push(format!("{when}: {golden}: {}", text_diff(&want, got)));
        }
    }
    problems
}

/// Writes the goldens, after checking that this release is the one that made the fixture.
fn bless(sb: &Sandbox, outputs: &[(&'static str, String)]) {
    let applied = applied_migrations(&sb.path("t.db"));
    assert_eq!(
        applied, FIXTURE_MIGRATIONS,
        "this release migrated the fixture: only the release that made it may write its goldens"
    );
    for (golden, text) in outputs {
        std::fs::write(folder().join(golden), text).unwrap();
    }
}

#[test]
fn a_database_from_before_migration_0005_upgrades_with_nothing_lost() {
    let sb = Sandbox::new();
    load_fixture(&sb.path("t.db"));
    let first = run_all(&sb);
    if std::env::var_os("SOLEUS_BLESS_UPGRADE").is_some() {
        let mut outputs = first;
        outputs.push((REPARSE.golden, pretty(&document(&sb, &REPARSE))));
        let again = reimport(&sb).expect("blessing needs the corpus, to import its files again");
        outputs.push((REIMPORT, again));
        bless(&sb, &outputs);
        return;
    }
    let mut problems = compare(&first, "first opening", &nothing);
    problems.extend(compare(&run_all(&sb), "second opening", &nothing));
    // The originals are still there and still decode to the same activities, whose ids,
    // shoes and RPE survive the re-read.
    let reparsed = pretty(&document(&sb, &REPARSE));
    problems.extend(compare(&[(REPARSE.golden, reparsed)], "reparse", &nothing));
    problems.extend(compare(
        &run_all(&sb),
        "after reparse",
        &follows_the_altitude_filter,
    ));
    if let Some(again) = reimport(&sb) {
        problems.extend(compare(&[(REIMPORT, again)], "import again", &nothing));
    }
    let mut msg = String::new();
    for p in &problems {
        let _ = writeln!(msg, "{p}");
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{msg}",
        problems.len()
    );
}
