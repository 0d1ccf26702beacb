//! Role 3: a worker has ended. Read what it reported last, reap it, fail the task it held, and
//! start workers in place of the ones gone, backing off when starting fails.

use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use lesson_05_start_methods::{StartMethod, reap_child};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::collect::{Ended, collect};
use crate::error::PoolError;
use crate::protocol::{SEQ_BYTES, seq_of};
use crate::start::start_worker;
use crate::state::{Channel, Ledger, Restarts, Settings, Worker};

/// Failed starts in a row, with no worker left, after which the pool gives up.
pub const GIVE_UP_AFTER: u32 = 5;

// ANCHOR: bury
/// The worker at `index` has ended (its pidfd is readable). Reads its last reports, reaps it, and
/// fails the job it held, if any, with [`PoolError::WorkerDied`]. If it may have died between taking a packet
/// and reporting it, finds that packet's job too (see [`find_lost`]). Returns why it could not start,
/// if it said so.
pub fn bury(
    workers: &mut Vec<Worker>,
    index: usize,
    method: &StartMethod,
    channel: &Channel,
    ledger: &mut Ledger,
    ended: &mut Vec<Ended>,
) -> Option<PoolError> {
    let _ = collect(&mut workers[index], ledger, ended);
    let worker = workers.remove(index);
    let how = reap_child(method, worker.pid).unwrap_or_else(|e| e.to_string());
    for &job in &worker.taken {
        ended.extend(ledger.jobs.complete(job, Err(PoolError::WorkerDied(how.clone()))));
    }
    if !worker.stopped {
        find_lost(workers, channel, ledger, ended, &how);
    }
    worker.failed_start
}
// ANCHOR_END: bury

// ANCHOR: find_lost
/// Fails the job of every packet that has left the queue but that no live worker reported taking:
/// a dead worker took it and died before it could say so. The pool holds the queue's lock meanwhile,
/// so no live worker is between taking a packet and reporting it, and every report written before
/// the lock was free has been read. Every packet before the one now at the head of the queue has
/// been taken; the ones among them nobody reported are the lost ones.
pub fn find_lost(
    workers: &mut [Worker],
    channel: &Channel,
    ledger: &mut Ledger,
    ended: &mut Vec<Ended>,
    how: &str,
) {
    if ledger.queue.sent.is_empty() {
        return;
    }
    let _held = loop {
        // A worker that holds the lock may be waiting for room in its report pipe: read them all.
        for worker in workers.iter_mut() {
            let _ = collect(worker, ledger, ended);
        }
        match channel.lock.try_acquire() {
            Ok(Some(held)) => break held,
            Ok(None) => wait_for_reports(workers),
            Err(_) => return,
        }
    };
    for worker in workers.iter_mut() {
        let _ = collect(worker, ledger, ended);
    }
    let head = match channel.packets.peek(SEQ_BYTES) {
        Ok(Some(prefix)) => seq_of(&prefix).unwrap_or(u64::MAX),
        Ok(None) => u64::MAX,
        Err(_) => return,
    };
    let lost: Vec<u64> = ledger.queue.sent.range(..head).map(|(&seq, _)| seq).collect();
    for seq in lost {
        if let Some(Some(job)) = ledger.queue.sent.remove(&seq) {
            ledger.queue.waiting -= 1;
            ended.extend(ledger.jobs.complete(job, Err(PoolError::WorkerDied(how.to_string()))));
        }
    }
}
// ANCHOR_END: find_lost

/// Sleeps until a worker's report arrives, or a millisecond has passed.
fn wait_for_reports(workers: &[Worker]) {
    let mut fds: Vec<PollFd> = workers
        .iter()
        .flat_map(|w| {
            [
                PollFd::new(w.reports.as_fd(), PollFlags::POLLIN),
                PollFd::new(w.took.as_fd(), PollFlags::POLLIN),
            ]
        })
        .collect();
    let _ = poll(&mut fds, PollTimeout::from(1u8));
}

// ANCHOR: hire
/// Starts workers until there are `wanted`. After a failed start, the next try waits: 10 ms, then
/// twice as long each time, at most a second. Returns when to try again, if a start failed.
pub fn hire(
    workers: &mut Vec<Worker>,
    wanted: usize,
    method: &StartMethod,
    settings: &Settings,
    channel: &Channel,
    restarts: &mut Restarts,
) -> usize {
    let mut started = 0;
    while workers.len() < wanted {
        if restarts.next_try.is_some_and(|at| Instant::now() < at) {
            break;
        }
        match start_worker(method, settings, channel) {
            Ok(worker) => {
                workers.push(worker);
                restarts.next_try = None;
                started += 1;
            }
            Err(error) => failed_start(restarts, error),
        }
    }
    started
}
// ANCHOR_END: hire

/// Records a failed start and when to try again.
pub fn failed_start(restarts: &mut Restarts, error: PoolError) {
    restarts.failures += 1;
    let wait = Duration::from_millis(10) * 2u32.saturating_pow(restarts.failures - 1);
    restarts.next_try = Some(Instant::now() + wait.min(Duration::from_secs(1)));
    restarts.last_error = Some(error);
}
