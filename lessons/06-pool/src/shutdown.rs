//! Ending work: killing every worker, and failing every task that waits.

use lesson_05_start_methods::{StartMethod, reap_child};
use nix::sys::signal::{Signal, kill};

use crate::collect::Ended;
use crate::error::PoolError;
use crate::state::{Channel, Ledger, Pending, Worker};

/// Kills every worker, reaps it, and fails the job it held with [`PoolError::Terminated`].
pub fn dismiss(workers: &mut Vec<Worker>, method: &StartMethod, ledger: &mut Ledger, ended: &mut Vec<Ended>) {
    let workers = std::mem::take(workers);
    for worker in &workers {
        let _ = kill(worker.pid, Signal::SIGKILL);
    }
    for worker in workers {
        let _ = reap_child(method, worker.pid);
        for job in worker.taken {
            ended.extend(ledger.jobs.complete(job, Err(PoolError::Terminated)));
        }
    }
}

/// Fails with `error` every task that no worker has taken: those waiting in the backlog, and those
/// in the shared queue, which is emptied.
pub fn fail_queued(channel: &Channel, ledger: &mut Ledger, error: &PoolError, ended: &mut Vec<Ended>) {
    for pending in std::mem::take(&mut ledger.queue.backlog) {
        if let Pending::Run(job, _) = pending {
            ended.extend(ledger.jobs.complete(job, Err(error.clone())));
        }
    }
    while let Ok(Some(_)) = channel.packets.try_recv() {}
    ledger.queue.waiting = 0;
    for (_, job) in std::mem::take(&mut ledger.queue.sent) {
        if let Some(job) = job {
            ended.extend(ledger.jobs.complete(job, Err(error.clone())));
        }
    }
}
