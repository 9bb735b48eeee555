//! Decoding on several threads while the files keep their order.
//!
//! Decoding is most of an import's work, and one thread of it cannot keep up with the disk.
//! The reader still reads and hashes every file in order (so a copy later in the batch is
//! always the one found known), hands each new file to a few decoding threads, and passes the
//! importer a [`Receipt`] per file, in the files' order; the importer waits on each receipt in
//! turn. A file known by its hash needs no decoding: its receipt is filled at once.

use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use soleus_model::load::HrProfile;
use tokio::sync::oneshot;

use super::prepare::Prepared;

/// The most decoding threads, whatever the machine has: beyond this the single importer
/// storing the files is the limit, and more threads only hold more files in memory.
pub const MAX_DECODERS: usize = 4;

/// A file on its way to the importer: wait on it for the prepared file.
pub(crate) type Receipt = oneshot::Receiver<Prepared>;

/// One file to decode and where to hand it when done.
type Job = (Prepared, oneshot::Sender<Prepared>);

/// How many decoding threads to start: one per core, at least one, at most [`MAX_DECODERS`].
pub(crate) fn decoders() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, MAX_DECODERS)
}

/// Runs `read` with a function that turns each hashed file into its receipt, with `threads`
/// decoding threads behind it. `done` is told how much more memory a file holds once
/// decoded. Returns what `read` returns, once every decoding thread has finished.
pub(crate) fn with_decoders<T>(
    threads: usize,
    hr: Option<&HrProfile>,
    done: &(dyn Fn(u64) + Sync),
    read: impl FnOnce(&mut dyn FnMut(Prepared) -> Receipt) -> T,
) -> T {
    // Room for one waiting file per thread: the reader stays a little ahead, no more.
    let (jobs, queue) = sync_channel::<Job>(threads);
    // Owned by the decoding threads alone: should every one of them die (a panic), the queue
    // goes with the last, the files in it are dropped with their receipts unfilled, and the
    // reader's next send fails instead of waiting for ever.
    let queue = Arc::new(Mutex::new(queue));
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            scope.spawn(move || decode_jobs(&queue, hr, done));
        }
        drop(queue);
        let mut submit = |p: Prepared| -> Receipt {
            let (tx, rx) = oneshot::channel();
            if p.needs_decoding() {
                // Fails only when every decoding thread is gone (they panicked): the receipt
                // is then dropped unfilled and the importer stops.
                let _ = jobs.send((p, tx));
            } else {
                let _ = tx.send(p);
            }
            rx
        };
        let out = read(&mut submit);
        // Closing the queue ends the decoding threads once it is empty.
        drop(jobs);
        out
    })
}

/// One decoding thread: takes jobs until the queue closes.
fn decode_jobs(queue: &Mutex<Receiver<Job>>, hr: Option<&HrProfile>, done: &(dyn Fn(u64) + Sync)) {
    loop {
        let job = {
            let queue = queue
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            queue.recv()
        };
        let Ok((mut p, tx)) = job else {
            return;
        };
        let before = p.weight();
        p.decode(hr);
        done(p.weight().saturating_sub(before));
        // The importer may have stopped; then nobody wants the file.
        let _ = tx.send(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::prepare::hashed;
    use crate::import::prepare::tests::{item, sample};
    use std::collections::HashSet;

    /// However the decoding threads finish, the importer gets the files in the order read,
    /// each decoded exactly when its hash was new.
    #[test]
    fn files_come_out_in_the_order_read_and_only_new_ones_are_decoded() {
        let fit = sample();
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for i in 0..24 {
            // A new file (the sample with bytes after its end), a copy of one read before,
            // and one that is no activity at all.
            let bytes = match i % 3 {
                0 => [fit.as_slice(), &[i as u8]].concat(),
                1 => [fit.as_slice(), &[(i - 1) as u8]].concat(),
                _ => format!("not an activity {i}").into_bytes(),
            };
            files.push((format!("{i}.fit"), bytes));
        }
        let mut known = HashSet::new();
        let added = std::sync::atomic::AtomicU64::new(0);
        let grown = |n: u64| {
            added.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        };
        let receipts = with_decoders(3, None, &grown, |submit| {
            files
                .iter()
                .map(|(name, bytes)| {
                    let mut it = item(bytes);
                    it.name = name.clone();
                    submit(hashed(it, 0, &mut known))
                })
                .collect::<Vec<_>>()
        });
        let out: Vec<Prepared> = receipts
            .into_iter()
            .map(|r| r.blocking_recv().unwrap())
            .collect();
        let names: Vec<&str> = out.iter().map(|p| p.name.as_str()).collect();
        let want: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, want);
        for (i, p) in out.iter().enumerate() {
            match i % 3 {
                0 => assert!(
                    matches!(p.decoded, Some(Ok(_))) && p.packed.is_some(),
                    "{i}"
                ),
                1 => assert!(p.known && p.decoded.is_none(), "{i}"),
                _ => assert!(matches!(p.decoded, Some(Err(_))), "{i}"),
            }
        }
        assert!(added.into_inner() > 0, "decoding grows what a file holds");
    }
}
