//! Role 2: read finished results and complete their jobs.

use crate::job::{Callback, Event, JobId, Outcome};
use crate::pool::Inner;

// ANCHOR: collect
/// Reads the result the worker at `index` has sent, records it, and frees the worker. Returns the
/// job's callback, to run once the pool is no longer borrowed; `None` if the worker sent nothing
/// whole (it died: the watcher deals with it).
pub fn collect(inner: &mut Inner, index: usize) -> Option<(JobId, Option<Callback>, Outcome)> {
    let worker = &mut inner.workers[index];
    let job = worker.job?;
    let outcome = worker.receive()?;
    worker.job = None;
    worker.done += 1;
    let pid = worker.pid.as_raw();
    Some(complete(inner, job, pid, outcome))
}
// ANCHOR_END: collect

/// Records `outcome` as the end of `job` on worker `pid` and takes its callback.
pub fn complete(
    inner: &mut Inner,
    job: JobId,
    pid: i32,
    outcome: Outcome,
) -> (JobId, Option<Callback>, Outcome) {
    let at = inner.began.elapsed();
    inner.events.push(Event { job, worker: pid, started: false, at });
    inner.outcomes.insert(job, outcome.clone());
    (job, inner.callbacks.remove(&job), outcome)
}
