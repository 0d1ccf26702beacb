//! Role 2: read what workers report, and complete the jobs that ended.

use std::time::Duration;

use lesson_04_pipes::{read_frame, readable_within};

use crate::job::{Callback, Event, Outcome};
use crate::protocol::Report;
use crate::state::{Ledger, Worker};

/// A job's callback and outcome, for the loop to run once the state is no longer borrowed.
pub type Ended = (Callback, Outcome);

// ANCHOR: collect
/// Reads every report waiting on `worker`'s pipe and acts on it: a worker that took a packet now
/// holds its job (or is stopping); a worker that finished holds nothing, and its job is complete.
pub fn collect(worker: &mut Worker, ledger: &mut Ledger, ended: &mut Vec<Ended>) {
    let Ledger { queue, jobs, events } = ledger;
    while readable_within(&worker.reports, Duration::ZERO).unwrap_or(false) {
        // A report is written whole, so once one has begun to arrive the rest follows.
        let Ok(Some(frame)) = read_frame(&worker.reports) else { return };
        let Ok(report) = postcard::from_bytes::<Report>(&frame) else { return };
        let worker_pid = worker.pid.as_raw();
        match report {
            Report::Took { seq } => match queue.sent.remove(&seq) {
                Some(Some(job)) => {
                    worker.holding = Some(job);
                    if let Some(events) = events {
                        events.push(Event { job, worker: worker_pid, started: true });
                    }
                }
                Some(None) => worker.stopped = true,
                None => {}
            },
            Report::Done { outcome } => {
                let Some(job) = worker.holding.take() else { continue };
                if let Some(events) = events {
                    events.push(Event { job, worker: worker_pid, started: false });
                }
                ended.extend(jobs.complete(job, outcome));
            }
            Report::InitializerFailed { error } => worker.failed_start = Some(error),
        }
    }
}
// ANCHOR_END: collect
