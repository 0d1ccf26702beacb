//! The pool's state, at the bottom of the crate: the workers as the parent sees them, the parent's
//! side of the shared queue, and the table of jobs. Nothing here acts; the roles above act on it.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fs::File;
use std::os::fd::OwnedFd;
use std::time::Instant;

use lesson_01_fork::Pid;
use lesson_04_pipes::{PacketQueue, RecordLock};

use crate::error::PoolError;
use crate::job::{Callback, Event, JobId, Outcome};
use crate::task::Task;
use crate::worker::Initializer;

// ANCHOR: life
/// Where a pool is in its life, as CPython's `RUN`, `CLOSE` and `TERMINATE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Life {
    /// Accepting tasks.
    Running,
    /// `close` was called: no new tasks; queued ones still run.
    Closed,
    /// `terminate` was called: the workers are gone; unfinished tasks failed.
    Terminated,
}
// ANCHOR_END: life

/// One worker, as the parent sees it.
#[derive(Debug)]
pub struct Worker {
    /// Its pid.
    pub pid: Pid,
    /// Readable once it has ended (chapter 3).
    pub pidfd: OwnedFd,
    /// The read end of its took pipe (non-blocking).
    pub took: File,
    /// The read end of its report pipe (non-blocking).
    pub reports: File,
    /// Bytes read from the took pipe and not yet used: a part of a number, at most.
    pub took_inbox: Vec<u8>,
    /// Bytes read from the report pipe and not yet a whole frame.
    pub report_inbox: Vec<u8>,
    /// The jobs it took and has not finished, oldest first: one at most, once both pipes are read.
    pub taken: VecDeque<JobId>,
    /// Whether it took a stop packet.
    pub stopped: bool,
    /// Why it could not start, if it said so.
    pub failed_start: Option<PoolError>,
}

/// Something the pool will put into the shared queue when there is room.
#[derive(Debug)]
pub enum Pending {
    /// A task for job `.0`.
    Run(JobId, Task),
    /// A stop.
    Stop,
}

/// What the pool and every worker share: the queue and its lock.
#[derive(Debug)]
pub struct Channel {
    /// The queue itself (chapter 4), whose receiving end every worker shares.
    pub packets: PacketQueue,
    /// The lock a worker holds while it takes a packet and reports it (chapter 4).
    pub lock: RecordLock,
}

/// The parent's bookkeeping of the shared queue.
#[derive(Debug, Default)]
pub struct Queue {
    /// What waits for room in the queue, oldest first.
    pub backlog: VecDeque<Pending>,
    /// Packets in the queue that no worker has reported taking: their job, or `None` for a stop.
    pub sent: BTreeMap<u64, Option<JobId>>,
    /// The next packet's number.
    pub next_seq: u64,
    /// How many tasks wait in the backlog or in the queue, taken by no worker yet.
    pub waiting: usize,
    /// Whether the last send found the queue full: no send is tried again until `poll` says the
    /// queue has room, so that a long backlog costs no failed system call per turn.
    pub full: bool,
}

impl Queue {
    /// Whether a task is waiting in the backlog or in the queue.
    pub fn has_tasks(&self) -> bool {
        self.waiting > 0
    }
}

/// One job's entry in the table, from its submission until its outcome has been taken.
pub struct JobEntry {
    /// Run when it ends.
    pub callback: Option<Callback>,
    /// How it ended, once it has, until its handle takes it.
    pub outcome: Option<Outcome>,
    /// Whether a handle still wants the outcome; if not, it is dropped when it arrives.
    pub wanted: bool,
}

/// The table of jobs not yet ended, or ended and not yet taken.
#[derive(Default)]
pub struct Jobs {
    /// The entries.
    pub table: HashMap<JobId, JobEntry>,
    /// The next job's number.
    pub next: JobId,
}

/// How often starting a worker has failed in a row, and when to try again.
#[derive(Debug, Default)]
pub struct Restarts {
    /// Failures in a row.
    pub failures: u32,
    /// When to try again.
    pub next_try: Option<Instant>,
    /// Why the last one failed.
    pub last_error: Option<PoolError>,
    /// Set once no worker could be started at all: every task fails with this.
    pub gave_up: Option<PoolError>,
}

/// How the pool was made.
#[derive(Clone)]
pub struct Settings {
    /// How many workers.
    pub processes: usize,
    /// Tasks per worker before it is replaced.
    pub maxtasks: Option<usize>,
    /// Run in each new forked worker.
    pub initializer: Option<Initializer>,
    /// Whether to record events for the timeline.
    pub record_events: bool,
}

/// What the roles write down: the queue's bookkeeping, the jobs, and the events if recorded.
#[derive(Default)]
pub struct Ledger {
    /// The shared queue's bookkeeping.
    pub queue: Queue,
    /// The jobs.
    pub jobs: Jobs,
    /// What happened, when the pool records events.
    pub events: Option<Vec<Event>>,
}

/// Everything the pool knows.
pub struct State {
    /// Where the pool is in its life.
    pub life: Life,
    /// Whether `join` has sent its stops.
    pub stopping: bool,
    /// The live workers.
    pub workers: Vec<Worker>,
    /// The bookkeeping.
    pub ledger: Ledger,
    /// Failed starts.
    pub restarts: Restarts,
    /// How the pool was made.
    pub settings: Settings,
}

impl Jobs {
    /// Records that `job` ended with `outcome`; returns its callback, to run once the state is no
    /// longer borrowed. The outcome is kept only while a handle wants it.
    pub fn complete(&mut self, job: JobId, outcome: Outcome) -> Option<(Callback, Outcome)> {
        let entry = self.table.get_mut(&job)?;
        let callback = entry.callback.take();
        let for_callback = callback.is_some().then(|| outcome.clone());
        if entry.wanted {
            entry.outcome = Some(outcome);
        } else {
            self.table.remove(&job);
        }
        callback.zip(for_callback)
    }

    /// Takes `job`'s outcome out of the table, if it has ended.
    pub fn take(&mut self, job: JobId) -> Option<Outcome> {
        self.table.get(&job)?.outcome.as_ref()?;
        self.table.remove(&job).and_then(|entry| entry.outcome)
    }

    /// The handle of `job` is gone: forget its outcome now, or when it arrives.
    pub fn forget(&mut self, job: JobId) {
        match self.table.get_mut(&job) {
            Some(entry) if entry.outcome.is_some() => {
                self.table.remove(&job);
            }
            Some(entry) => entry.wanted = false,
            None => {}
        }
    }
}
