//! Storing one prepared file: the duplicate checks (by hash, then by the runs it holds), which
//! copy of a run is kept, the shoe, and one transaction per file.

use soleus_store::{ActivityId, ShoeId};
use std::collections::HashMap;

use soleus_formats::DecodeError;
use soleus_formats::export::StravaMeta;
use soleus_model::Activity;
use soleus_model::load::{HrProfile, RunSummary};
use soleus_store::{NewActivity, NewFile, Store, StoreError};

use super::dedupe;
use super::prepare::{Digest32, Prepared, format_name, unhex};
use super::report::FileReport;
use crate::{App, Result};

/// What every file's import needs from the store, read once per batch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Batch {
    /// The athlete's heart-rate anchors, for TRIMP and hard time in the load summaries.
    pub hr: Option<HrProfile>,
    /// The shoe given to on-foot activities that name none.
    pub default_shoe: Option<ShoeId>,
    /// A job tried again: files stored from this time on were stored by its earlier attempt.
    pub earlier_since: Option<chrono::DateTime<chrono::Utc>>,
}

impl Batch {
    pub async fn load(app: &App) -> Result<Batch> {
        let athlete = app.athlete().await?;
        let observed = app.observed_max_hr().await?;
        let default_shoe = app
            .store
            .shoes()
            .await?
            .into_iter()
            .find(|s| s.is_default)
            .map(|s| s.id);
        Ok(Batch {
            hr: athlete.hr_anchors(observed).map(|a| a.profile),
            default_shoe,
            earlier_since: None,
        })
    }
}

/// A file stored before the batch began: what its copies' reports say of it.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    name: Box<str>,
    imported_at: chrono::DateTime<chrono::Utc>,
    duplicate_of: Option<soleus_store::ActivityId>,
    /// An activity of the file the person deleted (or merged: into the second id).
    deleted: Option<(soleus_store::ActivityId, Option<soleus_store::ActivityId>)>,
}

impl From<&soleus_store::FileRow> for StoredFile {
    fn from(f: &soleus_store::FileRow) -> StoredFile {
        StoredFile {
            name: f.name.as_str().into(),
            imported_at: f.imported_at,
            duplicate_of: f.duplicate_of,
            deleted: None,
        }
    }
}

/// The files already stored, by hash, read once per batch: the worker thread tells a
/// re-import by them without asking the database, and the importer reports it from them.
pub(crate) async fn stored_files(store: &dyn Store) -> Result<HashMap<Digest32, StoredFile>> {
    let mut stored = HashMap::new();
    let deleted = store.deleted_activities().await?;
    for f in store.files().await? {
        if let Some(d) = unhex(&f.sha256) {
            let mut file = StoredFile::from(&f);
            file.deleted = deleted
                .iter()
                .find(|a| a.row.file_id == f.id)
                .map(|a| (a.row.id, a.merged_into));
            stored.insert(d, file);
        }
    }
    Ok(stored)
}

/// Imports one prepared file and says what became of it.
pub(crate) async fn import_one(
    store: &dyn Store,
    ctx: &Batch,
    stored: &HashMap<Digest32, StoredFile>,
    mut p: Prepared,
) -> FileReport {
    let mut out = FileReport::new(&p.name);
    if let Some(why) = p.skipped.take() {
        return out.skipped(why);
    }
    if let Err(reason) = &p.bytes {
        return out.failed(reason.clone());
    }
    // A hash the worker had not seen is not stored (the batch read every stored hash before
    // it began), unless another import stored it since: then the insert's unique hash says
    // so below. Asking the database only for known hashes spares a round trip per new file.
    // A file stored before the batch began is reported from what the batch read then, with
    // no round trip per duplicate: a re-import costs little more than hashing.
    if p.known
        && let Some(prev) = unhex(&p.sha256).and_then(|d| stored.get(&d))
    {
        return same_file(out, prev, ctx);
    }
    if p.known {
        match store.file_by_hash(&p.sha256).await {
            Ok(Some(prev)) => return same_file(out, &StoredFile::from(&prev), ctx),
            // Known to the worker but not stored: an earlier copy in this batch failed.
            Ok(None) => p.decode(ctx.hr.as_ref()),
            Err(e) => {
                out.unwritable = e.unwritable();
                return out.failed(format!("database error while checking for duplicates: {e}"));
            }
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
        format: format_name(p.format),
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
        Err(SaveError {
            source: StoreError::DuplicateFile { .. },
            ..
        }) => match store.file_by_hash(&p.sha256).await {
            // Stored by another import while this one ran.
            Ok(Some(prev)) => same_file(FileReport::new(&p.name), &StoredFile::from(&prev), ctx),
            _ => out.failed("the same file was being stored by another import".into()),
        },
        Err(e) => {
            out.unwritable = e.source.unwritable();
            out.failed(format!(
                "database error, nothing was stored for this file: {}",
                e.sentence()
            ))
        }
    }
}

/// The report of a file whose bytes are stored already.
fn same_file(out: FileReport, prev: &StoredFile, ctx: &Batch) -> FileReport {
    if ctx
        .earlier_since
        .is_some_and(|since| prev.imported_at >= since)
    {
        return out.duplicate(
            format!(
                "{} {}; stored once, not again",
                super::EARLIER_ATTEMPT,
                prev.imported_at.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            prev.duplicate_of,
        );
    }
    let when = prev.imported_at.format("%Y-%m-%d");
    let same = format!("the same file as {} (imported {when})", prev.name);
    match prev.deleted {
        // Stored again it would bring the run back silently: nothing is stored, and the
        // report says how to bring it back on purpose.
        Some((id, None)) if prev.duplicate_of.is_none() => out.duplicate(
            format!(
                "{same}, whose activity {id} you deleted; nothing was stored. To bring it \
                 back: soleus delete --undo {id}"
            ),
            Some(id),
        ),
        Some((id, Some(kept))) if prev.duplicate_of.is_none() => out.duplicate(
            format!(
                "{same}, whose activity {id} was merged into activity {kept}; nothing was \
                 stored. To undo the merge: soleus merge --undo {id}"
            ),
            Some(kept),
        ),
        _ => out.duplicate(same, prev.duplicate_of),
    }
}

/// A store failure while saving one file, with what was being done when it is not plain.
#[derive(Debug)]
struct SaveError {
    context: Option<&'static str>,
    source: StoreError,
}

impl From<StoreError> for SaveError {
    fn from(source: StoreError) -> SaveError {
        SaveError {
            context: None,
            source,
        }
    }
}

impl SaveError {
    /// The error and its causes on one line, each said once: a cause whose text the message
    /// before it already includes (a database error quoting the driver's) is not repeated.
    fn sentence(&self) -> String {
        let mut out = self.context.unwrap_or_default().to_string();
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&self.source);
        while let Some(c) = cause {
            let text = c.to_string();
            if !out.contains(text.as_str()) {
                if !out.is_empty() {
                    out.push_str(": ");
                }
                out.push_str(&text);
            }
            cause = c.source();
        }
        out
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
) -> std::result::Result<(), SaveError> {
    let mut keep: Vec<(u32, &Activity)> = Vec::new();
    // The stored activities each kept session replaces, by its place in `keep`.
    let mut replaces: Vec<(usize, ActivityId)> = Vec::new();
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
                for id in ids {
                    // Two sessions of one file that both replace a stored copy (copies of one
                    // run): it is replaced once, by the first.
                    if replaces.iter().any(|(_, r)| *r == id) {
                        continue;
                    }
                    out.warnings.push(format!(
                        "replaces activity {id}, a copy of the same run with less data (its file is kept)"
                    ));
                    replaces.push((keep.len(), id));
                }
                keep.push((session, a));
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
            .map_err(|source| SaveError {
                context: Some("storing the duplicate's file"),
                source,
            })?;
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
    let gone: Vec<ActivityId> = replaces.iter().map(|(_, id)| *id).collect();
    let (_, ids) = store.save_import(file, &new, &gone).await?;
    // Only now, once stored, has anything been replaced: the report names what replaced it.
    out.replaced = replaces
        .iter()
        .filter_map(|(k, old)| Some((*old, *ids.get(*k)?)))
        .collect();
    out.imported(ids);
    Ok(())
}

/// Per-activity work the worker thread already did, indexed by session.
#[derive(Debug, Clone, Copy)]
struct Precomputed<'a> {
    summaries: &'a [RunSummary],
    encoded: &'a [Vec<u8>],
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
    use crate::import::prepare::prepare;
    use crate::import::prepare::tests::{item, sample};
    use crate::import::report::Outcome;
    use sha2::{Digest, Sha256};
    use std::collections::HashSet;

    #[tokio::test]
    async fn a_known_hash_the_store_lacks_is_decoded_after_all_and_a_stored_one_is_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let app = App::open(&url).await.unwrap();
        let store = app.store.as_ref();
        let ctx = Batch::load(&app).await.unwrap();
        let bytes = sample();
        // As when an earlier copy in the same batch failed to store.
        let mut known = HashSet::from([Sha256::digest(&bytes).into()]);
        let p = prepare(item(&bytes), 0, None, &mut known);
        assert!(p.known && p.decoded.is_none());
        let r = import_one(store, &ctx, &HashMap::new(), p).await;
        assert_eq!(r.outcome, Outcome::Imported, "{r:?}");
        // A new batch reads the stored files: the same bytes are a duplicate, not decoded.
        let stored = stored_files(store).await.unwrap();
        let mut known = stored.keys().copied().collect();
        let p = prepare(item(&bytes), 0, None, &mut known);
        assert!(p.known && p.decoded.is_none());
        let r = import_one(store, &ctx, &stored, p).await;
        assert_eq!(r.outcome, Outcome::Duplicate, "{r:?}");
    }

    /// A hash the worker never saw is not looked up before storing; when another import
    /// stored the same bytes meanwhile, the insert's unique hash makes it a duplicate, not a
    /// failure.
    #[tokio::test]
    async fn bytes_stored_meanwhile_by_another_import_are_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let app = App::open(&url).await.unwrap();
        let store = app.store.as_ref();
        let ctx = Batch::load(&app).await.unwrap();
        let bytes = sample();
        // Two batches that each began before either stored the file.
        let first = prepare(item(&bytes), 0, None, &mut HashSet::new());
        let second = prepare(item(&bytes), 0, None, &mut HashSet::new());
        assert!(!first.known && !second.known);
        let r = import_one(store, &ctx, &HashMap::new(), first).await;
        assert_eq!(r.outcome, Outcome::Imported, "{r:?}");
        let r = import_one(store, &ctx, &HashMap::new(), second).await;
        assert_eq!(r.outcome, Outcome::Duplicate, "{r:?}");
        assert!(r.reason.unwrap().starts_with("the same file as"));
    }

    /// A file stored before the batch began is reported from what the batch read then: the
    /// database is not asked again (here it no longer holds the file, and is not consulted).
    #[tokio::test]
    async fn a_file_stored_before_the_batch_is_a_duplicate_without_asking_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let app = App::open(&url).await.unwrap();
        let ctx = Batch::load(&app).await.unwrap();
        let bytes = sample();
        let digest: Digest32 = Sha256::digest(&bytes).into();
        let when = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let stored = HashMap::from([(
            digest,
            StoredFile {
                name: "earlier.fit".into(),
                imported_at: when,
                duplicate_of: None,
                deleted: None,
            },
        )]);
        let mut known = stored.keys().copied().collect();
        let p = prepare(item(&bytes), 0, None, &mut known);
        let r = import_one(app.store.as_ref(), &ctx, &stored, p).await;
        assert_eq!(r.outcome, Outcome::Duplicate, "{r:?}");
        assert_eq!(
            r.reason.as_deref(),
            Some("the same file as earlier.fit (imported 2023-11-14)")
        );
    }

    #[test]
    fn a_store_error_is_said_once_with_what_was_being_done() {
        let e = SaveError {
            context: Some("storing the duplicate's file"),
            source: StoreError::Invalid("the hash does not match".into()),
        };
        assert_eq!(
            e.sentence(),
            "storing the duplicate's file: invalid store request: the hash does not match"
        );
        let e = SaveError::from(StoreError::Corrupt("blob".into()));
        assert_eq!(e.sentence(), "stored data is corrupt: blob");
    }
}
