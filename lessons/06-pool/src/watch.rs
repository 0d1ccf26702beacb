//! Role 3: notice a worker that died, fail the task it held, reap it and start another.

use crate::error::PoolError;
use crate::job::{Callback, JobId, Outcome};
use crate::pool::{Inner, State};
use crate::worker::Worker;

// ANCHOR: replace
/// The worker at `index` has ended (its pidfd is readable). If it held a task and sent no result, that
/// task fails with [`PoolError::WorkerDied`]; the worker is reaped, and, unless the pool was terminated,
/// a new one takes its place. CPython's pool waits for ever on such a task; this one cannot, because the
/// pidfd tells it at once that the worker has gone.
pub fn replace(inner: &mut Inner, index: usize) -> Option<(JobId, Option<Callback>, Outcome)> {
    let mut ended = None;
    if inner.workers[index].job.is_some() {
        // A worker that sent its result and then ended (maxtasksperchild) still completes its task.
        ended = crate::collect::collect(inner, index);
    }
    let worker = inner.workers.remove(index);
    let how = inner.reap(worker.pid).unwrap_or_else(|e| e.to_string());
    if ended.is_none()
        && let Some(job) = worker.job
    {
        ended =
            Some(crate::collect::complete(inner, job, worker.pid.as_raw(), Err(PoolError::WorkerDied(how))));
    }
    drop(worker);
    if inner.state != State::Terminated {
        let initializer = inner.initializer.clone();
        let (method, maxtasks) = (inner.method, inner.maxtasks);
        let started =
            Worker::start(method, initializer.as_ref(), maxtasks, &mut inner.workers, inner.server.as_ref());
        if let Ok(new) = started {
            inner.workers.push(new);
        }
    }
    ended
}
// ANCHOR_END: replace
