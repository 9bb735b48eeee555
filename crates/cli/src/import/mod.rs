//! `soleus import`: every file gets exactly one outcome — imported, duplicate, skipped or
//! failed — and one bad file never stops the batch.
//!
//! Reading and decoding run on a worker thread while the main task stores, so decoding and
//! database writes overlap. The worker hashes each file first and decodes only files whose hash
//! is not stored yet, so importing the same export again costs little more than reading it. Each file is stored in one transaction: a crash mid-import leaves
//! no partial activity, and importing again completes the job (stored files are recognised by
//! their content hash).

mod dedupe;
mod report;
mod strava;
mod walk;

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use sha2::{Digest, Sha256};
use soleus_formats::{DecodeError, Decoded, Format, Limits};
use soleus_model::load::{HrProfile, RunSummary};
use soleus_model::{Activity, Sport};
use soleus_store::{NewActivity, NewFile, Store};

pub use report::{FileReport, ImportReport};
use strava::StravaMeta;

/// `soleus import PATH...`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files, folders (searched recursively), .gz files, .zip archives, Strava or Garmin
    /// bulk exports (folder or zip).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print one JSON document with every file's outcome, and nothing else.
    #[arg(long)]
    pub json: bool,
    /// List every file, not only the ones that were not imported or had warnings.
    #[arg(long, short)]
    pub verbose: bool,
    /// Follow links to folders inside the folders given (by default they are skipped); a
    /// folder already visited is never visited again.
    #[arg(long)]
    pub follow_links: bool,
}

/// What every file's import needs from the store, read once per batch.
struct Batch {
    /// The athlete's heart-rate anchors, for TRIMP and hard time in the load summaries.
    hr: Option<HrProfile>,
    /// The shoe given to on-foot activities that name none.
    default_shoe: Option<i64>,
}

impl Batch {
    async fn load(store: &dyn Store) -> anyhow::Result<Batch> {
        let athlete = crate::profile::load(store).await?;
        let observed = crate::profile::observed_max_hr(store).await?;
        let default_shoe = store
            .shoes()
            .await?
            .into_iter()
            .find(|s| s.is_default)
            .map(|s| s.id);
        Ok(Batch {
            hr: athlete.hr_anchors(observed).map(|a| a.profile),
            default_shoe,
        })
    }
}

/// A file's SHA-256.
type Digest32 = [u8; 32];

/// The hashes of the files already stored, read once per batch so the worker thread can tell a
/// re-import without asking the database.
async fn stored_hashes(store: &dyn Store) -> anyhow::Result<HashSet<Digest32>> {
    let mut known = HashSet::new();
    for f in store.files().await? {
        if let Some(d) = unhex(&f.sha256) {
            known.insert(d);
        }
    }
    Ok(known)
}

fn unhex(s: &str) -> Option<Digest32> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *o = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// A file read and decoded by the worker thread.
struct Prepared {
    name: String,
    size: u64,
    bytes: Result<Vec<u8>, String>,
    sha256: String,
    format: Format,
    decoded: Option<Result<Decoded, DecodeError>>,
    /// One load summary per decoded activity, computed here on the worker thread.
    summaries: Vec<RunSummary>,
    /// The original packed for storage, and each activity's samples encoded (worker thread).
    packed: Option<soleus_store::Packed>,
    encoded: Vec<Vec<u8>>,
    strava: Option<StravaMeta>,
    /// Why the walk did not read it (a FIFO, a link not followed).
    skipped: Option<String>,
    /// Its hash was stored already (or came earlier in this batch): not decoded, because it
    /// is most likely a duplicate; the importer decodes it after all if the store disagrees.
    known: bool,
}

/// Reads and hashes one file and, unless its hash is in `known`, decodes it, applies what
/// Strava's CSV says, and computes the load summaries: all the CPU work, done on the worker
/// thread so the importer only stores. Adds the hash to `known`.
fn prepare(
    item: walk::Item,
    size: u64,
    hr: Option<&HrProfile>,
    known: &mut HashSet<Digest32>,
) -> Prepared {
    let walk::Item {
        name,
        bytes,
        strava,
        skipped,
    } = item;
    let mut p = Prepared {
        name,
        size,
        bytes,
        sha256: String::new(),
        format: Format::Unknown,
        decoded: None,
        summaries: Vec::new(),
        packed: None,
        encoded: Vec::new(),
        strava,
        skipped,
        known: false,
    };
    let Ok(raw) = &p.bytes else {
        return p;
    };
    let digest: Digest32 = Sha256::digest(raw).into();
    p.sha256 = hex(&digest);
    p.known = !known.insert(digest);
    if !p.known {
        p.decode(hr);
    }
    p
}

impl Prepared {
    /// Decodes the file and does what the store would otherwise do on the importer's task:
    /// the load summaries, the samples' encoding and the original's packing.
    fn decode(&mut self, hr: Option<&HrProfile>) {
        let Ok(raw) = &self.bytes else {
            return;
        };
        let name = &self.name;
        let mut format = soleus_formats::sniff(raw);
        if format == Format::Gzip {
            // Name the format inside, for the store.
            let lower = name.to_ascii_lowercase();
            format = [
                (".fit.gz", Format::Fit),
                (".gpx.gz", Format::Gpx),
                (".tcx.gz", Format::Tcx),
            ]
            .iter()
            .find(|(ext, _)| lower.ends_with(ext))
            .map_or(Format::Gzip, |(_, f)| *f);
        }
        self.format = format;
        let mut decoded = soleus_formats::decode(raw, &Limits::default());
        if let Ok(d) = &mut decoded {
            for a in &mut d.activities {
                apply_strava(a, self.strava.as_ref());
                sanitise(a);
                self.summaries.push(RunSummary::from_activity(a, hr));
            }
            // An error here is left for the save to report.
            self.encoded = d
                .activities
                .iter()
                .map(|a| soleus_store::codec::encode(&a.samples))
                .collect::<Result<_, _>>()
                .unwrap_or_default();
            let file = NewFile {
                name,
                sha256: &self.sha256,
                format: "",
                bytes: raw,
                packed: None,
            };
            self.packed = soleus_store::pack(&file).ok();
        }
        self.decoded = Some(decoded);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn format_name(f: Format, decoded: Option<&Decoded>) -> &'static str {
    match f {
        Format::Fit => "fit",
        Format::Gpx => "gpx",
        Format::Tcx => "tcx",
        _ if decoded.is_some() => "gz",
        _ => "unknown",
    }
}

/// Runs an import and prints its report. Returns the exit code.
pub async fn run(store: &dyn Store, args: &ImportArgs) -> anyhow::Result<u8> {
    // Nothing given exists: a usage error (exit 2), not a batch with failures.
    if !args.paths.is_empty() && args.paths.iter().all(|p| p.symlink_metadata().is_err()) {
        let names: Vec<String> = args
            .paths
            .iter()
            .map(|p| crate::output::printable(&p.display().to_string()).into_owned())
            .collect();
        anyhow::bail!(
            "nothing to import: {} does not exist; check the path",
            names.join(", ")
        );
    }
    let plan = walk::plan(&args.paths, args.follow_links)?;
    let ctx = Batch::load(store).await?;
    let mut known = stored_hashes(store).await?;
    let progress = report::Progress::new(plan.census, args.json);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Prepared>(8);
    let hr = ctx.hr;
    let in_flight = std::sync::Arc::new(InFlight::default());
    let reader_in_flight = in_flight.clone();
    let worker = std::thread::spawn(move || {
        let mut notes = plan.notes.clone();
        notes.extend(plan.visit(&mut |item, size| {
            reader_in_flight.wait_for_room();
            // A closed channel means the importer stopped; nothing more to do.
            if !tx.is_closed() {
                let p = prepare(item, size, hr.as_ref(), &mut known);
                reader_in_flight.add(p.weight());
                let _ = tx.blocking_send(p);
            }
        }));
        (plan.ignored, notes)
    });
    let mut report = ImportReport::default();
    let mut stopped = None;
    while let Some(p) = rx.recv().await {
        progress.advance(p.size, &p.name);
        let weight = p.weight();
        let file = import_one(store, &ctx, p).await;
        in_flight.remove(weight);
        progress.note(&file);
        let why = file.unwritable;
        report.push(file);
        if let Some(why) = why {
            // Every later file would fail the same way: stop with one message.
            stopped = Some(why);
            rx.close();
            break;
        }
    }
    // Drop what the reader already prepared, so it sees the closed channel and stops.
    while let Some(p) = rx.recv().await {
        in_flight.remove(p.weight());
    }
    let (ignored, mut notes) = worker
        .join()
        .map_err(|_| anyhow::anyhow!("the file reader crashed"))?;
    if let Some(why) = stopped {
        notes.push(format!(
            "{why}: the import stopped after {} files (those imported are stored \
             completely); free some space and run the same import again to finish",
            report.files.len()
        ));
    }
    report.ignored = ignored;
    report.warnings = notes;
    progress.finish();
    report.print(args.json, args.verbose)?;
    Ok(if stopped.is_some() {
        crate::EXIT_ERROR
    } else if report.failed > 0 {
        crate::EXIT_SOME_FAILED
    } else {
        0
    })
}

/// Most bytes of read and decoded files waiting to be stored: the reader waits when more are.
const MAX_IN_FLIGHT_BYTES: u64 = 256 * 1024 * 1024;

/// The memory held by files the reader prepared and the importer has not stored yet.
#[derive(Debug, Default)]
struct InFlight {
    bytes: std::sync::Mutex<u64>,
    freed: std::sync::Condvar,
}

impl InFlight {
    fn lock(&self) -> std::sync::MutexGuard<'_, u64> {
        self.bytes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits (on the reader's thread) until what is in flight is under the limit.
    fn wait_for_room(&self) {
        let mut held = self.lock();
        while *held > MAX_IN_FLIGHT_BYTES {
            held = self
                .freed
                .wait(held)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    fn add(&self, n: u64) {
        *self.lock() += n;
    }

    fn remove(&self, n: u64) {
        let mut held = self.lock();
        *held = held.saturating_sub(n);
        self.freed.notify_all();
    }
}

impl Prepared {
    /// About how much memory the prepared file holds: its bytes, their packed copy, and the
    /// decoded samples with their encoding.
    fn weight(&self) -> u64 {
        let raw = self.bytes.as_ref().map_or(0, Vec::len);
        let packed = self.packed.as_ref().map_or(0, |_| raw);
        let encoded: usize = self.encoded.iter().map(Vec::len).sum();
        let samples: usize = match &self.decoded {
            Some(Ok(d)) => d.activities.iter().map(|a| a.samples.len()).sum(),
            _ => 0,
        };
        (raw + packed + encoded + samples * std::mem::size_of::<soleus_model::Sample>()) as u64
    }
}

/// Imports one prepared file and says what became of it.
async fn import_one(store: &dyn Store, ctx: &Batch, mut p: Prepared) -> FileReport {
    let mut out = FileReport::new(&p.name);
    if let Some(why) = p.skipped.take() {
        return out.skipped(why);
    }
    if let Err(reason) = &p.bytes {
        return out.failed(reason.clone());
    }
    match store.file_by_hash(&p.sha256).await {
        Ok(Some(prev)) => {
            let when = prev.imported_at.format("%Y-%m-%d");
            return out.duplicate(
                format!("the same file as {} (imported {when})", prev.name),
                prev.duplicate_of,
            );
        }
        // Known to the worker but not stored: an earlier copy in this batch failed.
        Ok(None) if p.known => p.decode(ctx.hr.as_ref()),
        Ok(None) => {}
        Err(e) => {
            out.unwritable = e.unwritable();
            return out.failed(format!("database error while checking for duplicates: {e}"));
        }
    }
    let Ok(raw) = &p.bytes else {
        return out.failed("could not be read".into());
    };
    let decoded = match p.decoded {
        Some(Ok(d)) => d,
        Some(Err(e)) if e.is_skip() => return out.skipped(e.to_string()),
        Some(Err(e)) => return out.failed(failure_advice(&e)),
        None => return out.failed("could not be read".into()),
    };
    out.warnings = decoded.warnings.clone();
    let activities = decoded.activities;
    let file = NewFile {
        name: &p.name,
        sha256: &p.sha256,
        format: format_name(p.format, None),
        bytes: raw,
        packed: p.packed.as_ref(),
    };
    let strava = p.strava.as_ref();
    let pre = Precomputed {
        summaries: &p.summaries,
        encoded: &p.encoded,
    };
    match save(store, ctx, &file, &activities, pre, strava, &mut out).await {
        Ok(()) => out,
        Err(e) => {
            out.unwritable = e.chain().find_map(|c| {
                c.downcast_ref::<soleus_store::StoreError>()
                    .and_then(soleus_store::StoreError::unwritable)
            });
            out.failed(format!(
                "database error, nothing was stored for this file: {}",
                crate::output::error_text(&e)
            ))
        }
    }
}

async fn save(
    store: &dyn Store,
    ctx: &Batch,
    file: &NewFile<'_>,
    activities: &[Activity],
    pre: Precomputed<'_>,
    strava: Option<&StravaMeta>,
    out: &mut FileReport,
) -> anyhow::Result<()> {
    let mut keep: Vec<(u32, &Activity)> = Vec::new();
    let mut replaces = Vec::new();
    let mut dup_of = None;
    let mut dup_desc: Option<String> = None;
    for (session, a) in (0u32..).zip(activities) {
        let end = a.end().unwrap_or(a.start);
        let stored = store.activities_overlapping(a.start, end).await?;
        match dedupe::verdict(a, &stored) {
            dedupe::Verdict::New => keep.push((session, a)),
            dedupe::Verdict::DuplicateOf(id) => {
                if dup_of.is_none() {
                    dup_of = Some(id);
                    dup_desc = stored.iter().find(|r| r.id == id).map(|r| {
                        format!(
                            "{} of {}",
                            r.sport.label().to_lowercase(),
                            r.start.format("%Y-%m-%d %H:%M UTC")
                        )
                    });
                }
                // The Strava copy may be the only one that knows the shoe: give it to the
                // stored activity when that has none.
                let unshod = stored.iter().any(|r| r.id == id && r.shoe_id.is_none());
                if let (true, Some(gear)) = (
                    unshod && a.sport.is_on_foot(),
                    strava.and_then(|m| m.gear.as_deref()),
                ) {
                    let shoe = store.shoe_by_name(gear).await?;
                    store.set_activity_shoe(id, Some(shoe)).await?;
                    out.warnings.push(format!(
                        "gave activity {id} the shoe {gear:?} from activities.csv"
                    ));
                }
                if activities.len() > 1 {
                    out.warnings.push(format!(
                        "session starting {} is already stored as activity {id}; not imported again",
                        a.start.format("%Y-%m-%d %H:%M UTC")
                    ));
                }
            }
            dedupe::Verdict::Replaces(ids) => {
                for id in &ids {
                    out.warnings.push(format!(
                        "replaces activity {id}, a copy of the same run with less data (its file is kept)"
                    ));
                }
                keep.push((session, a));
                out.replaced.extend(&ids);
                replaces.extend(ids);
            }
        }
    }
    if keep.is_empty() {
        let Some(id) = dup_of else {
            out.skip_empty();
            return Ok(());
        };
        store
            .save_duplicate_file(file, id)
            .await
            .context("storing the duplicate's file")?;
        let what = dup_desc.map_or_else(String::new, |d| format!(" (the {d})"));
        out.mark_duplicate(
            format!("the same run as activity {id}{what}, which has as much data or more"),
            Some(id),
        );
        return Ok(());
    }
    let shoe = match strava.and_then(|m| m.gear.as_deref()) {
        Some(gear) if keep.iter().any(|(_, a)| a.sport.is_on_foot()) => {
            Some(store.shoe_by_name(gear).await?)
        }
        _ => ctx.default_shoe,
    };
    let new: Vec<NewActivity<'_>> = keep
        .iter()
        .map(|(session, a)| NewActivity {
            activity: a,
            shoe: if a.sport.is_on_foot() { shoe } else { None },
            session: *session,
            summary: pre.summaries.get(*session as usize),
            encoded: pre.encoded.get(*session as usize).map(Vec::as_slice),
        })
        .collect();
    let (_, ids) = store.save_import(file, &new, &replaces).await?;
    out.imported(ids);
    Ok(())
}

/// Per-activity work the worker thread already did, indexed by session.
#[derive(Debug, Clone, Copy)]
struct Precomputed<'a> {
    summaries: &'a [RunSummary],
    encoded: &'a [Vec<u8>],
}

/// Strava's own name, type and gear win over what the file says: the runner may have renamed
/// the activity or corrected its type on Strava.
fn apply_strava(a: &mut Activity, meta: Option<&StravaMeta>) {
    let Some(m) = meta else { return };
    if let Some(name) = &m.name {
        a.name = Some(name.clone());
    }
    if let Some(t) = &m.activity_type {
        let sport = Sport::from_name(t);
        if sport != Sport::Other || a.sport == Sport::Other {
            a.sport = sport;
        }
    }
}

/// Control characters (a NUL in a device name) are refused by PostgreSQL text columns, and
/// they and bidirectional overrides would reach the terminal with every table.
fn sanitise(a: &mut Activity) {
    for s in [&mut a.name, &mut a.device, &mut a.sport_detail]
        .into_iter()
        .flatten()
    {
        if s.chars().any(crate::output::hostile) {
            *s = s.chars().filter(|c| !crate::output::hostile(*c)).collect();
        }
    }
}

/// A failure's reason plus what the person can do about it.
fn failure_advice(e: &DecodeError) -> String {
    match e {
        DecodeError::UnknownFormat { .. } => format!(
            "{e}; Soleus reads FIT, GPX and TCX (optionally .gz), zip archives and Strava/Garmin exports"
        ),
        DecodeError::TooLarge { .. } => e.to_string(),
        _ => format!("{e}; the file is damaged — export it again from the watch or the website"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use report::Outcome;

    fn item(bytes: &[u8]) -> walk::Item {
        walk::Item {
            name: "tempo.fit".into(),
            bytes: Ok(bytes.to_vec()),
            strava: None,
            skipped: None,
        }
    }

    fn sample() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/2026-08-27-1830-tempo-run.fit"
        );
        std::fs::read(path).unwrap()
    }

    #[test]
    fn a_file_seen_before_is_hashed_but_not_decoded() {
        let bytes = sample();
        let mut known = HashSet::new();
        let first = prepare(item(&bytes), 0, None, &mut known);
        assert!(!first.known);
        assert!(matches!(first.decoded, Some(Ok(_))) && first.packed.is_some());
        let again = prepare(item(&bytes), 0, None, &mut known);
        assert!(again.known && again.decoded.is_none() && again.packed.is_none());
        assert!(again.encoded.is_empty() && again.summaries.is_empty());
        assert_eq!(again.sha256, first.sha256);
        assert_eq!(unhex(&first.sha256).map(|d| hex(&d)), Some(first.sha256));
        assert_eq!(unhex("abc"), None);
    }

    #[tokio::test]
    async fn a_known_hash_the_store_lacks_is_decoded_after_all_and_a_stored_one_is_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let db = soleus_store::connect(&url).await.unwrap();
        let store = db.athlete(db.local_athlete().await.unwrap());
        let ctx = Batch::load(store.as_ref()).await.unwrap();
        let bytes = sample();
        // As when an earlier copy in the same batch failed to store.
        let mut known = HashSet::from([Sha256::digest(&bytes).into()]);
        let p = prepare(item(&bytes), 0, None, &mut known);
        assert!(p.known && p.decoded.is_none());
        let r = import_one(store.as_ref(), &ctx, p).await;
        assert_eq!(r.outcome, Outcome::Imported, "{r:?}");
        // A new batch reads the stored hashes: the same bytes are a duplicate, not decoded.
        let mut known = stored_hashes(store.as_ref()).await.unwrap();
        let p = prepare(item(&bytes), 0, None, &mut known);
        assert!(p.known && p.decoded.is_none());
        let r = import_one(store.as_ref(), &ctx, p).await;
        assert_eq!(r.outcome, Outcome::Duplicate, "{r:?}");
    }
}
