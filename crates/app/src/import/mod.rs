//! Importing a batch of files: every file gets exactly one outcome — imported, duplicate,
//! skipped or failed — and one bad file never stops the batch.
//!
//! Reading and decoding run on a worker thread while the importer stores, so decoding and
//! database writes overlap. The worker hashes each file first and decodes only files whose
//! hash is not stored yet, so importing the same export again costs little more than reading
//! it. Each file is stored in one transaction: a crash mid-import leaves no partial activity,
//! and importing again completes the job (stored files are recognised by their content hash).
//!
//! What a person gives is walked by [`App::import`]: files, folders (recursively), `.gz`, zip
//! archives and zips inside them, Strava and Garmin bulk exports (see
//! [`soleus_formats::export`]). The limits that keep a hostile archive from filling memory or
//! the disk are in [`limits`].

mod archive;
mod dedupe;
mod pool;
mod prepare;
mod report;
mod save;
mod walk;

use std::path::PathBuf;
use std::sync::Arc;

pub use report::{FileReport, ImportReport, ImportStatus, Outcome};
pub use walk::Census;

use crate::{App, AppError, Result};

/// The limits of one import, in bytes.
pub mod limits {
    pub use super::archive::{MAX_NESTED_ZIP_BYTES, MAX_UNPACKED_BYTES, MAX_ZIP_DEPTH};
    pub use super::walk::MAX_ENTRY_BYTES;

    /// Most bytes of read and decoded files waiting to be stored: the reader waits when more
    /// are.
    pub const MAX_IN_FLIGHT_BYTES: u64 = 256 * 1024 * 1024;
}

/// How to walk what the person gave.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Follow links to folders inside the folders given (by default they are skipped); a
    /// folder already visited is never visited again.
    pub follow_links: bool,
    /// This import is a job tried again after an attempt that stopped part-way: a file whose
    /// copy was stored from this time on is reported as stored by that earlier attempt (its
    /// reason begins with [`EARLIER_ATTEMPT`]) rather than as an old duplicate.
    pub earlier_attempt_since: Option<chrono::DateTime<chrono::Utc>>,
}

/// How the reason of a file that an earlier attempt of the same job stored begins.
pub const EARLIER_ATTEMPT: &str =
    "stored by an earlier attempt of this import, which stopped before it ended, at";

/// What a front end hears while an import runs: the CLI draws a progress bar, a web upload
/// could stream the same. Every method has a default that does nothing.
pub trait ImportProgress: Send {
    /// The walk is planned: how many files and bytes to expect.
    fn planned(&mut self, census: Census) {
        let _ = census;
    }
    /// A file was read and is about to be stored; `bytes` is its share of the census's total.
    fn reading(&mut self, bytes: u64, name: &str) {
        let _ = (bytes, name);
    }
    /// A file has its outcome (a file imported now may still become a duplicate of a richer
    /// copy later in the batch: the final word is the report's).
    fn done(&mut self, file: &FileReport) {
        let _ = file;
    }
}

/// No progress to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl ImportProgress for NoProgress {}

impl App {
    /// Imports files, folders, `.gz` files, zip archives and Strava or Garmin exports.
    ///
    /// Errors only when nothing can be imported at all: no given path exists
    /// ([`AppError::Invalid`]), or the profile or the stored files cannot be read
    /// ([`AppError::Storage`]). Everything else is one file's outcome in the report (a folder
    /// that cannot be listed is one `failed` entry naming it), and a full disk ends the batch
    /// early with [`ImportStatus::Stopped`].
    pub async fn import(
        &self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &mut dyn ImportProgress,
    ) -> Result<ImportReport> {
        // Nothing given exists: the person mistyped, rather than a batch with failures.
        if !paths.is_empty() && paths.iter().all(|p| p.symlink_metadata().is_err()) {
            let names: Vec<String> = paths
                .iter()
                .map(|p| soleus_formats::text::printable(&p.display().to_string()).into_owned())
                .collect();
            let what = match names.as_slice() {
                [one] => format!("{one} does not exist"),
                many => format!("none of {} exists", many.join(", ")),
            };
            return Err(AppError::invalid(
                "paths",
                format!("nothing was imported: {what}; check the path"),
            ));
        }
        let plan = walk::plan(paths, options.follow_links);
        let mut ctx = save::Batch::load(self).await?;
        ctx.earlier_since = options.earlier_attempt_since;
        let stored = save::stored_files(self.store.as_ref()).await?;
        let mut known: std::collections::HashSet<_> = stored.keys().copied().collect();
        progress.planned(plan.census);
        // Receipts, in the files' order: the reader may run this far ahead of the importer.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<pool::Receipt>(8);
        let hr = ctx.hr;
        let in_flight = Arc::new(InFlight::default());
        let reader_in_flight = in_flight.clone();
        let _importer = Importer(in_flight.clone());
        let worker = tokio::task::spawn_blocking(move || {
            let mut notes = plan.notes.clone();
            let grown = |n: u64| reader_in_flight.add(n);
            let found = pool::with_decoders(pool::decoders(), hr.as_ref(), &grown, |submit| {
                plan.visit(&mut |item, size| {
                    reader_in_flight.wait_for_room();
                    // A closed channel means the importer stopped; nothing more to do.
                    if !tx.is_closed() {
                        let p = prepare::hashed(item, size, &mut known);
                        reader_in_flight.add(p.weight());
                        let _ = tx.blocking_send(submit(p));
                    }
                })
            });
            notes.extend(found);
            (plan.ignored, notes)
        });
        let mut report = ImportReport::default();
        while let Some(receipt) = rx.recv().await {
            // An unfilled receipt: a decoding thread crashed; the worker's result says so.
            let Ok(p) = receipt.await else {
                rx.close();
                break;
            };
            progress.reading(p.size, &p.name);
            let weight = p.weight();
            let file = save::import_one(self.store.as_ref(), &ctx, &stored, p).await;
            in_flight.remove(weight);
            progress.done(&file);
            let why = file.unwritable;
            report.push(file);
            if let Some(why) = why {
                // Every later file would fail the same way: stop with one message.
                report.stopped = Some(why);
                rx.close();
                break;
            }
        }
        // Drop what the reader already prepared, so it sees the closed channel and stops.
        while let Some(receipt) = rx.recv().await {
            if let Ok(p) = receipt.await {
                in_flight.remove(p.weight());
            }
        }
        let (ignored, mut notes) = worker
            .await
            .map_err(|_| AppError::Internal("the file reader crashed".into()))?;
        if let Some(why) = report.stopped {
            notes.push(format!(
                "{why}: the import stopped after {} files (those imported are stored \
                 completely); free some space and run the same import again to finish",
                report.files.len()
            ));
        }
        report.ignored = ignored;
        report.warnings = notes;
        if report.files.iter().any(|f| !f.activity_ids.is_empty()) {
            self.notify_training_news().await;
        }
        Ok(report)
    }
}

/// The memory held by files the reader prepared and the importer has not stored yet.
#[derive(Debug, Default)]
struct InFlight {
    state: std::sync::Mutex<Held>,
    freed: std::sync::Condvar,
}

#[derive(Debug, Default)]
struct Held {
    bytes: u64,
    /// The importer is gone (its future was dropped, say by a web request that ended): the
    /// reader must not wait for room that will never be made.
    closed: bool,
}

impl InFlight {
    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits (on the reader's thread) until what is in flight is under the limit.
    fn wait_for_room(&self) {
        let mut held = self.lock();
        while held.bytes > limits::MAX_IN_FLIGHT_BYTES && !held.closed {
            held = self
                .freed
                .wait(held)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    fn add(&self, n: u64) {
        self.lock().bytes += n;
    }

    fn remove(&self, n: u64) {
        let mut held = self.lock();
        held.bytes = held.bytes.saturating_sub(n);
        self.freed.notify_all();
    }
}

/// Held by the importer: when it ends, however it ends, the reader stops waiting.
#[derive(Debug)]
struct Importer(Arc<InFlight>);

impl Drop for Importer {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_waiting_for_room_goes_on_when_the_importer_is_gone() {
        let in_flight = Arc::new(InFlight::default());
        in_flight.add(limits::MAX_IN_FLIGHT_BYTES + 1);
        let importer = Importer(in_flight.clone());
        let (done, waited) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            in_flight.wait_for_room();
            done.send(()).unwrap();
        });
        // Still over the limit and the importer still there: the reader waits.
        let timeout = std::time::Duration::from_millis(200);
        assert!(waited.recv_timeout(timeout).is_err());
        drop(importer);
        assert!(
            waited
                .recv_timeout(std::time::Duration::from_secs(10))
                .is_ok()
        );
        reader.join().unwrap();
    }
}
