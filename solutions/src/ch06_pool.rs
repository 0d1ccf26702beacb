//! Chapter 6 exercises: a small pool of your own.
//!
//! [`MiniPool`] is chapter 6's `Pool` in miniature: k worker processes that each run one task at a
//! time, a queue of the tasks not yet handed out, and a slot for each task's result. A task is a
//! `fn(u32) -> u32` with its argument, sent down a worker's task pipe as a [`TaskRecord`] of 12
//! bytes; the worker answers on its result pipe with the 4 bytes of the `u32` it returned. The types
//! are given; the exercises are the pool's parts, in the order the pool needs them. The graded tests
//! prove your pool with the queuing properties that prove the chapter's.
//!
//! As before, every child you fork ends with `exit_now` and every child is reaped.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::panic::{self, AssertUnwindSafe};

use lesson_01_fork::{Fork, Pid, exit_now, fork};
use lesson_02_wait::wait_for;
use lesson_06_pool::PoolError;
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

// ANCHOR: task_record
/// A task as it crosses a worker's task pipe: the address of a `fn(u32) -> u32` and its argument.
///
/// A worker is a fork of the pool's process, so the function lives at the same address in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskRecord {
    /// The address of the function.
    pub function: usize,
    /// Its argument.
    pub argument: u32,
}

impl TaskRecord {
    /// The size of a record: the address as a `u64`, then the argument, both little-endian.
    pub const SIZE: usize = 12;

    /// A record that calls `function(argument)`.
    pub fn new(function: fn(u32) -> u32, argument: u32) -> TaskRecord {
        TaskRecord { function: function as usize, argument }
    }

    /// The record's bytes.
    pub fn to_bytes(self) -> [u8; TaskRecord::SIZE] {
        let mut bytes = [0; TaskRecord::SIZE];
        bytes[..8].copy_from_slice(&(self.function as u64).to_le_bytes());
        bytes[8..].copy_from_slice(&self.argument.to_le_bytes());
        bytes
    }

    /// The record these bytes encode.
    pub fn from_bytes(bytes: [u8; TaskRecord::SIZE]) -> TaskRecord {
        let function = u64::from_le_bytes(std::array::from_fn(|i| bytes[i])) as usize;
        let argument = u32::from_le_bytes(std::array::from_fn(|i| bytes[8 + i]));
        TaskRecord { function, argument }
    }

    /// Calls the function on the argument.
    ///
    /// # Safety
    ///
    /// The record must have been made by [`TaskRecord::new`] in this process, or in a process of which
    /// this one is a fork, so that `function` is the address of a `fn(u32) -> u32`.
    pub unsafe fn run(self) -> u32 {
        // SAFETY: by this function's contract, `function` is the address of a `fn(u32) -> u32`.
        let function = unsafe { std::mem::transmute::<usize, fn(u32) -> u32>(self.function) };
        function(self.argument)
    }
}

/// The size of a result: the `u32` the task returned, little-endian.
pub const RESULT_SIZE: usize = 4;
// ANCHOR_END: task_record

// ANCHOR: mini_pool
/// The pool's side of one worker.
#[derive(Debug)]
pub struct MiniWorker {
    /// The worker's pid.
    pub pid: Pid,
    /// The write end of the worker's task pipe: task records go out here.
    pub tasks: File,
    /// The read end of the worker's result pipe: results come back here.
    pub results: File,
    /// The index of the task the worker is running; `None` when it is idle.
    pub busy: Option<usize>,
}

/// A pool of worker processes that each run one task at a time.
#[derive(Debug)]
pub struct MiniPool {
    /// The workers.
    pub workers: Vec<MiniWorker>,
    /// The tasks not yet handed to a worker, oldest first, each with its index.
    pub queue: VecDeque<(usize, TaskRecord)>,
    /// Each task's result, by index: `None` until the task has finished.
    pub results: Vec<Option<Result<u32, PoolError>>>,
    /// Whether the pool was closed: it takes no more tasks.
    pub closed: bool,
}

impl MiniPool {
    /// A pool of `k` workers, each started with your [`start_worker`].
    pub fn new(k: usize) -> MiniPool {
        let mut workers = Vec::with_capacity(k);
        for _ in 0..k {
            let worker = start_worker(&mut workers);
            workers.push(worker);
        }
        MiniPool { workers, queue: VecDeque::new(), results: Vec::new(), closed: false }
    }

    /// Queues `function(argument)` and returns the task's index: its place in `results`. A closed pool
    /// refuses, with CPython's "Pool not running".
    pub fn submit(&mut self, function: fn(u32) -> u32, argument: u32) -> Result<usize, PoolError> {
        if self.closed {
            return Err(PoolError::NotRunning);
        }
        let index = self.results.len();
        self.results.push(None);
        self.queue.push_back((index, TaskRecord::new(function, argument)));
        Ok(index)
    }

    /// Whether any task is queued or running.
    pub fn has_work(&self) -> bool {
        !self.queue.is_empty() || self.workers.iter().any(|worker| worker.busy.is_some())
    }
}
// ANCHOR_END: mini_pool

// ANCHOR: serve_tasks
/// Be a worker: read a task record from `tasks`, run it, write its result to `results`, and again,
/// until `tasks` ends; then return.
///
/// A record is [`TaskRecord::SIZE`] bytes, and a `read` may return fewer: read whole records. Write
/// each result, [`RESULT_SIZE`] bytes, before you read the next record: the pool reads it before it
/// sends another task. The end of `tasks` means "no more tasks": return, even if it cuts a record.
///
/// Hint: `tasks.read_exact(&mut record)` fills a `[0u8; TaskRecord::SIZE]` or fails at the end, so
/// `while tasks.read_exact(&mut record).is_ok()` is the loop. `TaskRecord::from_bytes(record)` decodes
/// it; `unsafe { record.run() }` runs it, with a `// SAFETY:` line saying why the address is good in
/// this process; `results.write_all(&value.to_le_bytes())` answers.
pub fn serve_tasks(tasks: &mut impl Read, results: &mut impl Write) {
    let mut record = [0u8; TaskRecord::SIZE];
    while tasks.read_exact(&mut record).is_ok() {
        // SAFETY: the pool made this record with TaskRecord::new, in this process or before it forked
        // this worker, so the address is that of a `fn(u32) -> u32` here too.
        let value = unsafe { TaskRecord::from_bytes(record).run() };
        if results.write_all(&value.to_le_bytes()).is_err() {
            return;
        }
    }
}
// ANCHOR_END: serve_tasks

// ANCHOR: start_worker
/// Start one worker: make its task pipe and its result pipe, fork a child that serves tasks with your
/// `serve_tasks`, and return the pool's side of it, idle.
///
/// The child ends with `exit_now`: 0 once `serve_tasks` returns, 1 if a task panicked. A read end
/// reports end-of-file only when every copy of the write end is closed, in every process, so close
/// each end where it is not used: the child closes the task pipe's write end, the result pipe's read
/// end, and its copies of the pipes of `others`, the workers started before it (else closing one
/// worker's task pipe would not end it, and a dead worker's result pipe would never say so); the
/// parent closes the task pipe's read end and the result pipe's write end.
///
/// Hint: `nix::unistd::pipe()` gives `(read, write)`, and `File::from` makes a `File` of an end.
/// `match fork()` as in chapter 1; in `Fork::Child`, `drop((task_write, result_read,
/// std::mem::take(others)))`, then run `serve_tasks` inside `std::panic::catch_unwind` and end with
/// `exit_now`. In `Fork::Parent { child }`, drop the child's two ends and build the `MiniWorker`.
pub fn start_worker(others: &mut Vec<MiniWorker>) -> MiniWorker {
    let (task_read, task_write) = nix::unistd::pipe().expect("a task pipe");
    let (result_read, result_write) = nix::unistd::pipe().expect("a result pipe");
    match fork().expect("fork a worker") {
        Fork::Child => {
            drop((task_write, result_read, std::mem::take(others)));
            let (mut tasks, mut results) = (File::from(task_read), File::from(result_write));
            let served = panic::catch_unwind(AssertUnwindSafe(|| serve_tasks(&mut tasks, &mut results)));
            exit_now(if served.is_ok() { 0 } else { 1 })
        }
        Fork::Parent { child } => {
            drop((task_read, result_write));
            MiniWorker {
                pid: child,
                tasks: File::from(task_write),
                results: File::from(result_read),
                busy: None,
            }
        }
    }
}
// ANCHOR_END: start_worker

// ANCHOR: dispatch
/// Hand queued tasks to idle workers, oldest task first, one task to a worker: write the task's record
/// to the worker's task pipe and mark the worker busy with the task's index.
///
/// A busy worker gets nothing, so no more tasks run at once than there are workers, and a queued task
/// waits until a worker is free. Stop when every worker is busy or the queue is empty.
///
/// Hint: for each worker whose `busy` is `None`, take `pool.queue.pop_front()` (return at `None`), then
/// `worker.tasks.write_all(&record.to_bytes())` and `worker.busy = Some(index)`.
pub fn dispatch(pool: &mut MiniPool) {
    for worker in &mut pool.workers {
        if worker.busy.is_some() {
            continue;
        }
        let Some((index, record)) = pool.queue.pop_front() else { return };
        worker.tasks.write_all(&record.to_bytes()).expect("send a task to a worker");
        worker.busy = Some(index);
    }
}
// ANCHOR_END: dispatch

// ANCHOR: collect_one
/// Wait until a busy worker has answered, take its result, and return its task's index: the result
/// goes to `pool.results[index]` as `Ok(value)`, and the worker is free again (`busy` is `None`).
///
/// Sleep in `poll` on the result pipes of the busy workers until one is readable, and read only from
/// a readable one: another's task may not end for a long time. If that pipe ends before a whole
/// result, the worker died mid-task: hand it to your `fail_dead_worker` and return what it returns.
/// Call `collect_one` only while a task is running.
///
/// Hint: make one `PollFd::new(worker.results.as_fd(), PollFlags::POLLIN)` for each busy worker,
/// remembering which worker each one watches, and `poll(&mut fds, PollTimeout::NONE)`; a ready one has
/// a non-empty `revents()` (POLLIN, or POLLHUP at the end). Then `read_exact` a `[0u8; RESULT_SIZE]`:
/// an error means end-of-file. `u32::from_le_bytes` decodes the result.
pub fn collect_one(pool: &mut MiniPool) -> usize {
    let busy: Vec<usize> = (0..pool.workers.len()).filter(|&w| pool.workers[w].busy.is_some()).collect();
    assert!(!busy.is_empty(), "collect_one was called with no task running");
    let ready = loop {
        let mut fds: Vec<PollFd> =
            busy.iter().map(|&w| PollFd::new(pool.workers[w].results.as_fd(), PollFlags::POLLIN)).collect();
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) => {
                if let Some(p) = fds.iter().position(|fd| fd.revents().is_some_and(|r| !r.is_empty())) {
                    break busy[p];
                }
            }
            Err(Errno::EINTR) => {}
            Err(e) => panic!("poll on the result pipes failed: {e}"),
        }
    };
    let mut bytes = [0u8; RESULT_SIZE];
    if pool.workers[ready].results.read_exact(&mut bytes).is_err() {
        return fail_dead_worker(pool, ready);
    }
    let index = pool.workers[ready].busy.take().expect("the worker is busy");
    pool.results[index] = Some(Ok(u32::from_le_bytes(bytes)));
    index
}
// ANCHOR_END: collect_one

// ANCHOR: map_in_order
/// Apply `function` to every input on the pool's workers and return the results in the order of the
/// inputs, whatever order the tasks finish in: submit a task for each input, then dispatch and collect
/// until every one of them has finished.
///
/// Use your `dispatch` and `collect_one`, so that no more tasks run at once than there are workers.
/// The pool may have run tasks before: the results you want are at the indices `submit` gave. A task
/// that failed has no value: panic with its error.
///
/// Hint: keep the index `submit` returns for each input. While any of them is still `None` in
/// `pool.results`, `dispatch(pool)` then `collect_one(pool)`. Then read the results at those indices.
pub fn map_in_order(pool: &mut MiniPool, function: fn(u32) -> u32, inputs: &[u32]) -> Vec<u32> {
    let indices: Vec<usize> =
        inputs.iter().map(|&input| pool.submit(function, input).expect("the pool is running")).collect();
    while indices.iter().any(|&index| pool.results[index].is_none()) {
        dispatch(pool);
        collect_one(pool);
    }
    indices
        .iter()
        .map(|&index| match &pool.results[index] {
            Some(Ok(value)) => *value,
            Some(Err(error)) => panic!("task {index} failed: {error}"),
            None => unreachable!("every task has finished"),
        })
        .collect()
}
// ANCHOR_END: map_in_order

// ANCHOR: close_and_join
/// Close the pool and wait for it, as Python's `close()` then `join()`: take no more tasks (`closed`),
/// let every queued and running task finish, then end each worker by closing its task pipe, reap it,
/// and return the workers' exit codes in their order, leaving `pool.workers` empty.
///
/// Do not kill a worker: it ends by itself, with exit code 0, when it reads end-of-file from its task
/// pipe. Reap every worker, or it stays a zombie.
///
/// Hint: `dispatch` then `collect_one` while `pool.has_work()`. Then, for each worker of
/// `std::mem::take(&mut pool.workers)`, `drop(worker.tasks)` closes its task pipe, and `wait_for` from
/// lesson_02_wait gives an `ExitStatus` whose `exitcode()` is the code.
pub fn close_and_join(pool: &mut MiniPool) -> Vec<i32> {
    pool.closed = true;
    while pool.has_work() {
        dispatch(pool);
        collect_one(pool);
    }
    let mut codes = Vec::new();
    for worker in std::mem::take(&mut pool.workers) {
        drop(worker.tasks);
        let status = wait_for(worker.pid).expect("reap a worker");
        codes.push(status.exitcode().expect("the worker has ended"));
    }
    codes
}
// ANCHOR_END: close_and_join

// ANCHOR: fail_dead_worker
/// The worker at index `worker` died while it ran a task: fail that task, reap the dead worker, start
/// a new one in its place, and return the failed task's index.
///
/// The task's result becomes `Err(PoolError::WorkerDied(how))`, where `how` is how the worker ended as
/// `ExitStatus` prints it ("killed by SIGKILL"). The new worker takes the dead one's place in
/// `pool.workers`, idle, and holds no other worker's pipes. CPython's pool waits for ever on such a
/// task; yours goes on.
///
/// Hint: `pool.workers.remove(worker)` takes the dead worker out (and, dropped, closes its pipes);
/// `wait_for` from lesson_02_wait reaps it and gives its `ExitStatus`, whose `to_string()` is `how`.
/// Your `start_worker(&mut pool.workers)` starts the new one; `insert` it at the same index.
pub fn fail_dead_worker(pool: &mut MiniPool, worker: usize) -> usize {
    let dead = pool.workers.remove(worker);
    let index = dead.busy.expect("a worker that died mid-task");
    let how = wait_for(dead.pid).map_or_else(|e| e.to_string(), |status| status.to_string());
    drop(dead);
    pool.results[index] = Some(Err(PoolError::WorkerDied(how)));
    let new = start_worker(&mut pool.workers);
    pool.workers.insert(worker, new);
    index
}
// ANCHOR_END: fail_dead_worker
