//! Chapter 6 exercises: a small pool of your own. Replace each `todo!()` with your code.
//!
//! [`MiniPool`] is chapter 6's `Pool` in miniature: k worker processes that share one queue of
//! packets (chapter 4's [`PacketQueue`]) and one lock (chapter 4's [`RecordLock`]). An idle worker
//! takes the next packet itself, under the lock, and tells the pool on a report pipe of its own which
//! packet it took, then how the task ended. The pool numbers its packets, so the reports tell it which
//! worker holds which task, and when a worker dies it fails exactly the task that worker held. A task
//! names its function by its place in a [`Table`] that the pool and its workers share, and crosses as
//! a [`Packet`] of 17 bytes; a report is a [`Report`] of 9 bytes. The types are given; the exercises
//! are the pool's parts, in the order the pool needs them. The graded tests prove your pool with the
//! queuing properties that prove the chapter's.
//!
//! As before, every child you fork ends with `exit_now`, every child is reaped, and no sleep orders
//! anything: a process that waits sleeps in `poll`, a lock or `waitpid`.

// The imports and parameters are the ones your code will need; until then they are unused.
#![allow(unused_imports, unused_variables)]

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use lesson_01_fork::{Fork, Pid, exit_now, fork};
use lesson_02_wait::wait_for;
use lesson_04_pipes::{PacketQueue, RecordLock, readable_within};
use lesson_05_start_methods::StartError;
use lesson_06_pool::PoolError;
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

// ANCHOR: task_record
/// The functions a pool's workers can run, each named by its place in the table. A worker is a fork
/// of the pool's process, so both have the same table: only the number crosses, and a worker calls
/// nothing that is not in its table.
pub type Table = &'static [fn(u32) -> u32];

/// A packet in the shared queue: what the pool asks of whichever worker takes it. The pool numbers
/// its packets (`seq`) in the order it sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packet {
    /// Run `table[function](argument)`.
    Run {
        /// The packet's number.
        seq: u64,
        /// The function's place in the table.
        function: u32,
        /// Its argument.
        argument: u32,
    },
    /// Leave the loop and end: `close_and_join` sends one per worker.
    Stop {
        /// The packet's number.
        seq: u64,
    },
}

impl Packet {
    /// The size of a packet: a kind byte (1 run, 2 stop), then `seq`, `function` and `argument`,
    /// little-endian (a stop's last 8 bytes are 0).
    pub const SIZE: usize = 17;

    /// The packet's number.
    pub fn seq(self) -> u64 {
        match self {
            Packet::Run { seq, .. } | Packet::Stop { seq } => seq,
        }
    }

    /// The packet's bytes.
    pub fn to_bytes(self) -> [u8; Packet::SIZE] {
        let (kind, seq, function, argument) = match self {
            Packet::Run { seq, function, argument } => (1, seq, function, argument),
            Packet::Stop { seq } => (2, seq, 0, 0),
        };
        let mut bytes = [0; Packet::SIZE];
        bytes[0] = kind;
        bytes[1..9].copy_from_slice(&seq.to_le_bytes());
        bytes[9..13].copy_from_slice(&function.to_le_bytes());
        bytes[13..].copy_from_slice(&argument.to_le_bytes());
        bytes
    }

    /// The packet these bytes encode; `None` if they are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Packet> {
        let bytes: &[u8; Packet::SIZE] = bytes.try_into().ok()?;
        let seq = u64::from_le_bytes(std::array::from_fn(|i| bytes[1 + i]));
        let function = u32::from_le_bytes(std::array::from_fn(|i| bytes[9 + i]));
        let argument = u32::from_le_bytes(std::array::from_fn(|i| bytes[13 + i]));
        match bytes[0] {
            1 => Some(Packet::Run { seq, function, argument }),
            2 => Some(Packet::Stop { seq }),
            _ => None,
        }
    }
}

/// What a worker tells the pool, on its own report pipe. A report is [`Report::SIZE`] bytes, far
/// below `PIPE_BUF` (chapter 4), so one `write` puts it in the pipe whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// "I took packet `seq`": written while the worker holds the lock, before it runs anything.
    Took {
        /// The packet's number.
        seq: u64,
    },
    /// "The task I took returned `value`."
    Done {
        /// What it returned.
        value: u32,
    },
    /// "The task I took names no function of my table": nothing was called.
    NoSuchFunction {
        /// The number it named.
        function: u32,
    },
}

impl Report {
    /// The size of a report: a kind byte (1 took, 2 done, 3 no such function), then the `seq`, or the
    /// `value` or `function` and 4 zero bytes, little-endian.
    pub const SIZE: usize = 9;

    /// The report's bytes.
    pub fn to_bytes(self) -> [u8; Report::SIZE] {
        let (kind, payload) = match self {
            Report::Took { seq } => (1, seq),
            Report::Done { value } => (2, u64::from(value)),
            Report::NoSuchFunction { function } => (3, u64::from(function)),
        };
        let mut bytes = [0; Report::SIZE];
        bytes[0] = kind;
        bytes[1..].copy_from_slice(&payload.to_le_bytes());
        bytes
    }

    /// The report these bytes encode; `None` if they are not one.
    pub fn from_bytes(bytes: [u8; Report::SIZE]) -> Option<Report> {
        let payload = u64::from_le_bytes(std::array::from_fn(|i| bytes[1 + i]));
        let small = u32::try_from(payload).ok();
        match bytes[0] {
            1 => Some(Report::Took { seq: payload }),
            2 => Some(Report::Done { value: small? }),
            3 => Some(Report::NoSuchFunction { function: small? }),
            _ => None,
        }
    }

    /// The result this report gives the task the worker held: its value, or chapter 5's error for a
    /// name no registry knows; `None` for `Took`, which finishes nothing.
    pub fn outcome(self) -> Option<Result<u32, PoolError>> {
        match self {
            Report::Took { .. } => None,
            Report::Done { value } => Some(Ok(value)),
            Report::NoSuchFunction { function } => {
                Some(Err(PoolError::Start(StartError::UnknownTask(format!("number {function}")))))
            }
        }
    }
}
// ANCHOR_END: task_record

// ANCHOR: mini_pool
/// The pool's side of one worker.
#[derive(Debug)]
pub struct MiniWorker {
    /// The worker's pid.
    pub pid: Pid,
    /// The read end of the worker's report pipe: its reports arrive here, then end-of-file when it
    /// has ended.
    pub reports: File,
    /// The task (its index in `results`) the worker reported taking and has not finished; `None`
    /// while it is idle, as far as the pool has read.
    pub holding: Option<usize>,
}

/// What the pool shares with every worker: a worker is a fork of the pool's process, made after
/// these, so it has them too.
#[derive(Debug)]
pub struct Shared {
    /// The functions a task can name.
    pub table: Table,
    /// The queue every worker takes its packets from.
    pub queue: PacketQueue,
    /// The lock a worker holds while it takes a packet and reports it.
    pub lock: RecordLock,
}

impl Shared {
    /// A new queue, empty, and a new lock, free, for workers that run the functions of `table`.
    pub fn new(table: Table) -> Shared {
        Shared {
            table,
            queue: PacketQueue::new().expect("make the task queue"),
            lock: RecordLock::new().expect("make the queue's lock"),
        }
    }
}

/// A pool of worker processes that take their tasks from one shared queue.
#[derive(Debug)]
pub struct MiniPool {
    /// The queue, its lock and the table, shared with the workers.
    pub shared: Shared,
    /// The workers.
    pub workers: Vec<MiniWorker>,
    /// The tasks not yet in the queue, oldest first, each as (its index, function, argument).
    pub backlog: VecDeque<(usize, u32, u32)>,
    /// The packets in the queue that no worker has reported taking: number → task index.
    pub sent: HashMap<u64, usize>,
    /// The next packet's number.
    pub next_seq: u64,
    /// Each task's result, by index: `None` until the task has finished.
    pub results: Vec<Option<Result<u32, PoolError>>>,
    /// Whether the pool was closed: it takes no more tasks.
    pub closed: bool,
}

impl MiniPool {
    /// A pool of `k` workers, each started with your [`start_worker`], that run the functions of
    /// `table`.
    pub fn new(k: usize, table: Table) -> MiniPool {
        let mut pool = MiniPool::empty(table);
        for _ in 0..k {
            let worker = start_worker(&pool.shared);
            pool.workers.push(worker);
        }
        pool
    }

    /// A pool with no worker yet: its queue empty, its lock free.
    pub fn empty(table: Table) -> MiniPool {
        MiniPool {
            shared: Shared::new(table),
            workers: Vec::new(),
            backlog: VecDeque::new(),
            sent: HashMap::new(),
            next_seq: 0,
            results: Vec::new(),
            closed: false,
        }
    }

    /// Queues `table[function](argument)` and returns the task's index: its place in `results`. The
    /// number is not checked here: a worker that does not know it says so. A closed pool refuses,
    /// with CPython's "Pool not running".
    pub fn submit(&mut self, function: u32, argument: u32) -> Result<usize, PoolError> {
        if self.closed {
            return Err(PoolError::NotRunning);
        }
        let index = self.results.len();
        self.results.push(None);
        self.backlog.push_back((index, function, argument));
        Ok(index)
    }

    /// Whether any task waits (in the backlog, or in the queue untaken) or runs.
    pub fn has_work(&self) -> bool {
        !self.backlog.is_empty()
            || !self.sent.is_empty()
            || self.workers.iter().any(|worker| worker.holding.is_some())
    }
}
// ANCHOR_END: mini_pool

// ANCHOR: serve_tasks
/// Be a worker: take packets from the shared queue one at a time and write a report of each to
/// `reports`, `Took` first, then, for a run, how it ended; return `Ok` once you have taken a stop.
///
/// Take a packet only while you hold `shared.lock`, and write its `Took` before you let the lock go,
/// so that no worker is ever between taking a packet and saying so without the lock. Let it go before
/// you run the task, or no other worker could take a packet meanwhile. Another worker may take the
/// packet that woke you: then let the lock go and wait again. Call only what `shared.table` holds: a
/// `function` past its end gets a `NoSuchFunction` report, never a call. While the queue is empty,
/// sleep in `poll`; never spin, never sleep in a loop.
pub fn serve_tasks(shared: &Shared, reports: &mut impl Write) -> io::Result<()> {
    todo!()
}
// ANCHOR_END: serve_tasks

// ANCHOR: start_worker
/// Start one worker: make its report pipe, fork a child that serves the `shared` queue with your
/// `serve_tasks`, and return the pool's side of it, idle.
///
/// The child has the queue, the lock and the table by being a fork, and writes its reports to the
/// pipe's write end. It ends with `exit_now`: 0 once `serve_tasks` returns `Ok`, 1 if it returns an
/// error or panics. Catch the panic: it must never unwind into the caller. The parent keeps the read
/// end and closes its copy of the write end at once, or the pipe would never report end-of-file when
/// the worker dies; the child closes its copy of the read end.
pub fn start_worker(shared: &Shared) -> MiniWorker {
    todo!()
}
// ANCHOR_END: start_worker

// ANCHOR: dispatch
/// Put the backlog's tasks into the shared queue, oldest first, each as a `Packet::Run` with the next
/// number, and remember in `pool.sent` which task each number carries, until a worker reports taking
/// it.
///
/// Never wait for room: when the queue is full, leave the rest in the backlog, first in line, for a
/// later call. There is no worker to choose: an idle worker takes the next packet itself, so a task
/// waits in the queue until a worker is free.
pub fn dispatch(pool: &mut MiniPool) {
    todo!()
}
// ANCHOR_END: dispatch

// ANCHOR: collect_one
/// Wait until a worker has reported, apply every report waiting on that worker's pipe, and return
/// the indices of the tasks that finished: `Took { seq }` means the worker now holds the task that
/// `pool.sent` gives for `seq` (take it out; a stop's number is not there), and `Done` or
/// `NoSuchFunction` finishes the task the worker held, with the report's `outcome()` as its result.
///
/// Sleep in `poll` on every worker's report pipe, not only the busy ones': a worker the pool thinks
/// idle may have taken a packet already. Read only from a pipe `poll` says is ready, and only the
/// reports waiting there. If the pipe ends, the worker has died: hand it to your `fail_dead_worker`,
/// and count the task it failed as finished. Call `collect_one` only while a task waits or runs.
pub fn collect_one(pool: &mut MiniPool) -> Vec<usize> {
    todo!()
}
// ANCHOR_END: collect_one

// ANCHOR: map_in_order
/// Apply `table[function]` to every input on the pool's workers and return the results in the order
/// of the inputs, whatever order the tasks finish in: submit a task for each input, then dispatch and
/// collect until every one of them has finished.
///
/// Use your `dispatch` and `collect_one`. The pool may have run tasks before: the results you want
/// are at the indices `submit` gave. A task that failed keeps its error, in its place.
pub fn map_in_order(pool: &mut MiniPool, function: u32, inputs: &[u32]) -> Vec<Result<u32, PoolError>> {
    todo!()
}
// ANCHOR_END: map_in_order

// ANCHOR: close_and_join
/// Close the pool and wait for it, as Python's `close()` then `join()`: take no more tasks (`closed`),
/// let every queued and running task finish, then send one `Packet::Stop` per worker, wait for each
/// worker to end, reap it, and return the workers' exit codes in their order, leaving `pool.workers`
/// empty.
///
/// Do not wait for end-of-file, and do not kill. Every worker holds the queue's sending end itself,
/// as may any process forked from the pool, so the queue never ends; a worker ends, with exit code 0,
/// when it takes a stop, and since it takes nothing after that, one stop per worker ends them all.
/// Reap every worker, or it stays a zombie.
pub fn close_and_join(pool: &mut MiniPool) -> Vec<i32> {
    todo!()
}
// ANCHOR_END: close_and_join

// ANCHOR: fail_dead_worker
/// The worker at index `worker` has died: reap it, read the reports it left, fail the task it still
/// held (if any) with an error, start a new worker in its place, and return that task's index.
///
/// Read its last reports as `collect_one` does: a `Took` the pool had not read yet names a task it
/// held, and a `Done` is a task that finished and keeps its result. Only the task it still held fails,
/// with `Err(PoolError::WorkerDied(how))`, where `how` is how the worker ended as `ExitStatus` prints
/// it ("killed by SIGKILL"); a worker that died idle costs no task. The new worker takes the dead
/// one's place in `pool.workers`. CPython's pool waits for ever on such a task; yours goes on. (One
/// narrow case is left to the chapter's `find_lost`: a worker killed between taking a packet and
/// writing its `Took`.)
pub fn fail_dead_worker(pool: &mut MiniPool, worker: usize) -> Option<usize> {
    todo!()
}
// ANCHOR_END: fail_dead_worker
