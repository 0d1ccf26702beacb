//! Role 2: read what workers report, and complete the jobs that ended.

use lesson_04_pipes::{read_available, split_frame};

use crate::job::{Callback, Event, Outcome};
use crate::protocol::{Report, TOOK_BYTES};
use crate::state::{Ledger, Worker};

/// A job's callback and outcome, for the loop to run once the state is no longer borrowed.
pub type Ended = (Callback, Outcome);

// ANCHOR: collect
/// Reads what `worker` has written and acts on it. The reports come first, then the took pipe: a
/// worker writes a packet's number before it runs the task, so the number of every task whose report
/// has arrived is there too. A worker that took a packet holds its job (or is stopping); each report
/// that a task ended completes the oldest job the worker holds. Returns whether the worker took a
/// packet: then it is working, and starting workers is not failing.
pub fn collect(worker: &mut Worker, ledger: &mut Ledger, ended: &mut Vec<Ended>) -> bool {
    read_available(&worker.reports, &mut worker.report_inbox);
    read_available(&worker.took, &mut worker.took_inbox);
    let pid = worker.pid.as_raw();
    let whole = worker.took_inbox.len() / TOOK_BYTES * TOOK_BYTES;
    let took = whole > 0;
    for took in worker.took_inbox[..whole].chunks_exact(TOOK_BYTES) {
        let seq = u64::from_le_bytes(took.try_into().expect("8 bytes"));
        match ledger.queue.sent.remove(&seq) {
            Some(Some(job)) => {
                worker.taken.push_back(job);
                ledger.queue.waiting -= 1;
                record(&mut ledger.events, Event { job, worker: pid, started: true });
            }
            Some(None) => worker.stopped = true,
            None => {}
        }
    }
    worker.took_inbox.drain(..whole);
    while let Ok(Some(frame)) = split_frame(&mut worker.report_inbox) {
        match postcard::from_bytes::<Report>(&frame) {
            Ok(Report::Done { outcome }) => {
                let Some(job) = worker.taken.pop_front() else { continue };
                record(&mut ledger.events, Event { job, worker: pid, started: false });
                ended.extend(ledger.jobs.complete(job, outcome));
            }
            Ok(Report::InitializerFailed { error }) => worker.failed_start = Some(error),
            Err(_) => {}
        }
    }
    // A large report may have left the inbox with a large allocation: give it back.
    if worker.report_inbox.capacity() > 1 << 20 {
        worker.report_inbox.shrink_to(1 << 16);
    }
    took
}
// ANCHOR_END: collect

/// Records `event` if the pool records events.
fn record(events: &mut Option<Vec<Event>>, event: Event) {
    if let Some(events) = events {
        events.push(event);
    }
}
