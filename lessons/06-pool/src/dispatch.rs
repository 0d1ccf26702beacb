//! Role 1: hand queued tasks to idle workers.

use crate::job::Event;
use crate::pool::Inner;

// ANCHOR: dispatch
/// Gives each idle worker the next queued task, in order of submission. A worker holds one task at a
/// time, so no more tasks run at once than there are workers, and a queued task starts only when a
/// worker has finished the one before. A worker that has done its `maxtasksperchild` is left alone:
/// it is ending, and the watcher will start its replacement.
pub fn dispatch(inner: &mut Inner) {
    for index in 0..inner.workers.len() {
        let worker = &inner.workers[index];
        // A worker that has run its `maxtasksperchild` tasks is ending: it reads no more tasks.
        let retiring = inner.maxtasks.is_some_and(|most| worker.done >= most);
        if worker.job.is_some() || retiring {
            continue;
        }
        let Some((job, task)) = inner.queue.pop_front() else { return };
        let at = inner.began.elapsed();
        let worker = &mut inner.workers[index];
        match worker.send(job, &task) {
            Ok(()) => inner.events.push(Event { job, worker: worker.pid.as_raw(), started: true, at }),
            // The worker is gone; it will be noticed, reaped and replaced, and the task tried again.
            Err(_) => inner.queue.push_front((job, task)),
        }
    }
}
// ANCHOR_END: dispatch
