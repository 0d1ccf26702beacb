//! Graded tests for chapter 6, compiled against `exercises` (yours) and `solutions`.
//!
//! Each exercise is graded on its own where it can be: the tests bring their own workers, dispatch and
//! collect (the `reference_*` helpers below), so that only the part under test is yours. The queuing
//! properties that prove chapter 6's `Pool` prove yours too, for a fixed set of (k workers, n tasks,
//! finish order) cases. Gates — pipes the test writes to — decide when each task may finish; a time
//! limit only turns a hang into a failure, it never orders anything.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::mem::ManuallyDrop;
use std::os::fd::{FromRawFd, IntoRawFd};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use lesson_01_fork::{Fork, Pid, exit_now, fork, getpid, wait_for};
use lesson_03_process::pidfd;
use lesson_04_pipes::{bytes_waiting, read_within};
use lesson_06_pool::PoolError;
use nix::sys::signal::{Signal, kill, raise};
use testkit::sandbox::{self, call};
use workbook::ch06_pool::*;

/// How long a test waits for something that should happen at once before it calls it a failure.
const PATIENCE: Duration = Duration::from_secs(3);

/// Runs `code` in a sandbox and gives its value; on a failure, panics with `context` and the advice.
/// (A macro, so that this file needs no serde of its own to name the value's traits.)
macro_rules! sandboxed {
    ($context:expr, $code:expr) => {{
        let outcome = sandbox::run(sandbox::DEFAULT_LIMIT, $code);
        let left = outcome.left_behind;
        match outcome.result {
            Ok(value) if left == 0 => value,
            Ok(_) => {
                panic!("{}: {left} process(es) were left behind: reap every worker (wait_for)", $context)
            }
            Err(failure) => panic!("{}: {failure}", $context),
        }
    }};
}

/// A raw descriptor borrowed as a `File`, left open when the borrow ends.
fn raw_file(fd: i32) -> ManuallyDrop<File> {
    // SAFETY: `fd` is one end of a pipe this test made (`raw_pipe`) and never closes, in this process
    // or in a worker forked from it; ManuallyDrop keeps it open when the `File` goes.
    ManuallyDrop::new(unsafe { File::from_raw_fd(fd) })
}

/// A pipe as raw descriptors (read, write), open for the whole sandboxed run and inherited by every
/// worker forked after it.
fn raw_pipe() -> (i32, i32) {
    let (read, write) = nix::unistd::pipe().expect("pipe");
    (read.into_raw_fd(), write.into_raw_fd())
}

/// The pipes of the gated tasks: made before the workers are forked, so each worker has them too.
#[derive(Clone)]
struct Gates {
    /// Each task reports here that it started: its index and its worker's pid, 4 bytes each.
    report: (i32, i32),
    /// Task `i` waits for a byte on `gates[i]`.
    gates: Vec<(i32, i32)>,
}

static GATES: Mutex<Option<Gates>> = Mutex::new(None);

fn set_up_gates(n: usize) -> Gates {
    let gates = Gates { report: raw_pipe(), gates: (0..n).map(|_| raw_pipe()).collect() };
    *GATES.lock().unwrap_or_else(|e| e.into_inner()) = Some(gates.clone());
    gates
}

fn gates() -> Gates {
    GATES.lock().unwrap_or_else(|e| e.into_inner()).clone().expect("the gates are set up")
}

/// What the gated task `i` returns.
fn value_of(index: usize) -> u32 {
    1000 + index as u32
}

/// The gated task: report "task `index` started on this worker", wait at its gate, return.
fn gated(index: u32) -> u32 {
    let gates = gates();
    let mut report = [0u8; 8];
    report[..4].copy_from_slice(&index.to_le_bytes());
    report[4..].copy_from_slice(&getpid().as_raw().to_le_bytes());
    let _ = raw_file(gates.report.1).write_all(&report);
    let _ = raw_file(gates.gates[index as usize].0).read_exact(&mut [0u8; 1]);
    value_of(index as usize)
}

/// Opens the gate of task `index`: it may finish.
fn open_gate(gates: &Gates, index: usize) {
    raw_file(gates.gates[index].1).write_all(b"!").expect("open a gate");
}

/// The next "task started" report: (task, worker pid), or `None` if none came in time.
fn next_start(gates: &Gates) -> Option<(usize, i32)> {
    let mut report = [0u8; 8];
    let mut got = 0;
    while got < report.len() {
        match read_within(&*raw_file(gates.report.0), &mut report[got..], PATIENCE) {
            Ok(Some(n)) if n > 0 => got += n,
            _ => return None,
        }
    }
    let index = u32::from_le_bytes(std::array::from_fn(|i| report[i])) as usize;
    Some((index, i32::from_le_bytes(std::array::from_fn(|i| report[4 + i]))))
}

fn double(x: u32) -> u32 {
    x.wrapping_mul(2)
}

fn square(x: u32) -> u32 {
    x.wrapping_mul(x)
}

fn add_one(x: u32) -> u32 {
    x.wrapping_add(1)
}

/// Ends the worker that runs it, as a crash would.
fn dies(_: u32) -> u32 {
    let _ = raise(Signal::SIGKILL);
    0
}

/// A worker of the test's own, independent of your code: serves task records until end-of-file.
fn reference_worker(others: &mut Vec<MiniWorker>) -> MiniWorker {
    let (task_read, task_write) = nix::unistd::pipe().expect("pipe");
    let (result_read, result_write) = nix::unistd::pipe().expect("pipe");
    match fork().expect("fork") {
        Fork::Child => {
            drop((task_write, result_read, std::mem::take(others)));
            let (mut tasks, mut results) = (File::from(task_read), File::from(result_write));
            let served = panic::catch_unwind(AssertUnwindSafe(|| {
                let mut record = [0u8; TaskRecord::SIZE];
                while tasks.read_exact(&mut record).is_ok() {
                    // SAFETY: the test made this record with TaskRecord::new before forking this worker.
                    let value = unsafe { TaskRecord::from_bytes(record).run() };
                    if results.write_all(&value.to_le_bytes()).is_err() {
                        break;
                    }
                }
            }));
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

/// A pool of `k` of the test's own workers.
fn reference_pool(k: usize) -> MiniPool {
    let mut workers = Vec::new();
    for _ in 0..k {
        let worker = reference_worker(&mut workers);
        workers.push(worker);
    }
    MiniPool { workers, queue: Default::default(), results: Vec::new(), closed: false }
}

/// The test's own dispatch.
fn reference_dispatch(pool: &mut MiniPool) {
    for worker in &mut pool.workers {
        if worker.busy.is_none() {
            let Some((index, record)) = pool.queue.pop_front() else { return };
            worker.tasks.write_all(&record.to_bytes()).expect("send a task");
            worker.busy = Some(index);
        }
    }
}

/// Reads one result from `pool.workers[w]`, within [`PATIENCE`].
fn read_result(worker: &mut MiniWorker) -> Option<u32> {
    let mut bytes = [0u8; RESULT_SIZE];
    let mut got = 0;
    while got < bytes.len() {
        match read_within(&worker.results, &mut bytes[got..], PATIENCE) {
            Ok(Some(n)) if n > 0 => got += n,
            _ => return None,
        }
    }
    Some(u32::from_le_bytes(bytes))
}

/// The test's own collect, from the worker at `w`.
fn reference_collect(pool: &mut MiniPool, w: usize) -> usize {
    let value = read_result(&mut pool.workers[w]).expect("a result from the test's worker");
    let index = pool.workers[w].busy.take().expect("the worker was busy");
    pool.results[index] = Some(Ok(value));
    index
}

/// Kills and reaps every worker still in the pool.
fn shut_down(pool: &mut MiniPool) {
    for worker in std::mem::take(&mut pool.workers) {
        let _ = kill(worker.pid, Signal::SIGKILL);
        let _ = wait_for(worker.pid);
    }
}

/// Whether `pid` has ended within [`PATIENCE`] (it is not reaped).
fn ends_within_patience(pid: Pid) -> bool {
    let fd = pidfd::open(pid).expect("pidfd_open");
    pidfd::wait_until_ended(&fd, PATIENCE).expect("poll a pidfd")
}

/// Whether `/proc` still shows `pid`: running, or a zombie nobody reaped.
fn exists(pid: Pid) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Whose parts run the pool in a queuing case; the rest are the test's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Yours {
    /// Your `dispatch`, with the test's workers and collect.
    Dispatch,
    /// Your `collect_one`, with the test's workers and dispatch.
    Collect,
    /// Everything: `MiniPool::new` (your `start_worker` and `serve_tasks`), `dispatch`, `collect_one`,
    /// and `close_and_join` at the end.
    All,
}

/// (k workers, the order in which the n tasks' gates may open). Only a running task's gate is
/// opened: each step opens the gate of the running task that comes first in this order.
const CASES: &[(usize, &[usize])] = &[
    (1, &[]),
    (1, &[0, 1, 2]),
    (2, &[1, 0, 3, 2, 4]),
    (3, &[1, 0]),
    (3, &[6, 5, 4, 3, 2, 1, 0]),
    (4, &[2, 7, 0, 5, 1, 8, 3, 6, 4]),
];

/// The queuing properties, for every case: never more than k tasks run at once; exactly min(k, n)
/// start before any finishes; each further task starts only after one finished, and the oldest
/// queued one; all n run exactly once; at most k distinct workers serve them.
fn queuing_properties(yours: Yours) {
    for &(k, order) in CASES {
        let order = order.to_vec();
        let context = format!(
            "with k = {k} worker(s) and n = {} task(s) finishing in the order {order:?}",
            order.len()
        );
        sandboxed!(&context, || queuing_case(k, order, yours));
    }
}

fn queuing_case(k: usize, order: Vec<usize>, yours: Yours) {
    let n = order.len();
    let gates = set_up_gates(n);
    let mut pool = if yours == Yours::All { call(|| MiniPool::new(k)) } else { reference_pool(k) };
    assert_eq!(pool.workers.len(), k, "MiniPool::new({k}) made {} workers", pool.workers.len());
    for i in 0..n {
        pool.submit(gated, i as u32).expect("submit");
    }
    let dispatch_step = |pool: &mut MiniPool| match yours {
        Yours::Collect => reference_dispatch(pool),
        Yours::Dispatch | Yours::All => call(|| dispatch(pool)),
    };
    let mut started: Vec<(usize, i32)> = Vec::new();
    // Reads `count` start reports and checks the pool against them.
    let expect_starts = |pool: &MiniPool, started: &mut Vec<(usize, i32)>, count: usize, when: &str| {
        let first = started.len();
        for got in 0..count {
            let Some((index, pid)) = next_start(&gates) else {
                panic!(
                    "{when}, {got} of {count} task(s) started: give each idle worker the next queued task"
                );
            };
            let worker = pool.workers.iter().position(|w| w.pid.as_raw() == pid);
            let busy = worker.map(|w| pool.workers[w].busy);
            assert_eq!(
                busy,
                Some(Some(index)),
                "{when}, task {index} started on worker {worker:?}, whose `busy` is {busy:?}: mark the \
                 worker busy with the index of the task you sent it"
            );
            started.push((index, pid));
        }
        let mut batch: Vec<usize> = started[first..].iter().map(|&(index, _)| index).collect();
        batch.sort();
        let oldest: Vec<usize> = (first..first + count).collect();
        assert_eq!(batch, oldest, "{when}, tasks {batch:?} started, but the oldest queued were {oldest:?}");
        let queued = n - started.len();
        assert_eq!(
            pool.queue.len(),
            queued,
            "{when}, {} task(s) were taken from the queue, but only {} could start: a busy worker \
             must get no task",
            n - pool.queue.len(),
            started.len()
        );
        for (w, worker) in pool.workers.iter().enumerate() {
            let waiting = bytes_waiting(&worker.tasks).expect("FIONREAD");
            assert_eq!(
                waiting, 0,
                "{when}, a task record waits in the task pipe of worker {w}, which is still running \
                 a task: send a task only to an idle worker"
            );
        }
    };
    dispatch_step(&mut pool);
    expect_starts(
        &pool,
        &mut started,
        k.min(n),
        &format!("after the first dispatch with {k} idle worker(s)"),
    );
    let rank = |task: usize| order.iter().position(|&t| t == task).expect("a task of the case");
    let mut running: Vec<usize> = started.iter().map(|&(index, _)| index).collect();
    while let Some(position) = (0..running.len()).min_by_key(|&p| rank(running[p])) {
        let j = running.swap_remove(position);
        let w = pool.workers.iter().position(|w| w.busy == Some(j)).expect("the worker running the task");
        open_gate(&gates, j);
        let got = match yours {
            Yours::Dispatch => reference_collect(&mut pool, w),
            Yours::Collect | Yours::All => call(|| collect_one(&mut pool)),
        };
        assert_eq!(got, j, "collect_one returned task {got}, but only task {j} had finished");
        assert_eq!(
            pool.results[j],
            Some(Ok(value_of(j))),
            "after collect_one returned {j}, results[{j}] should hold the task's value {}",
            value_of(j)
        );
        assert_eq!(pool.workers[w].busy, None, "after collect_one returned {j}, its worker is still busy");
        dispatch_step(&mut pool);
        let before = started.len();
        expect_starts(&pool, &mut started, usize::from(before < n), &format!("after task {j} finished"));
        running.extend(started[before..].iter().map(|&(index, _)| index));
    }
    let tasks: HashSet<usize> = started.iter().map(|&(index, _)| index).collect();
    assert!(tasks.len() == n && started.len() == n, "not every task ran exactly once: {started:?}");
    let pids: HashSet<i32> = started.iter().map(|&(_, pid)| pid).collect();
    assert!(pids.len() <= k, "{} distinct workers served a pool of {k}", pids.len());
    if yours == Yours::All {
        let codes = call(|| close_and_join(&mut pool));
        assert_eq!(codes, vec![0; k], "close_and_join: each worker should end with exit code 0");
    } else {
        shut_down(&mut pool);
    }
}

/// A `Read` that gives at most 5 bytes a call, once fails with `Interrupted`, and checks that every
/// whole record it gave has its result written before it gives more.
struct Trickle {
    input: Vec<u8>,
    at: usize,
    interrupted: bool,
    output: std::rc::Rc<std::cell::RefCell<Vec<u8>>>,
}

impl Read for Trickle {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let answered = self.output.borrow().len() / RESULT_SIZE;
        let whole = self.at / TaskRecord::SIZE;
        assert!(
            answered >= whole,
            "serve_tasks asked for more input before it wrote the result of task {answered}: write each \
             result as soon as its task has run — the pool reads it before it sends another task"
        );
        if !self.interrupted && self.at == 7 {
            self.interrupted = true;
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let n = buffer.len().min(5).min(self.input.len() - self.at);
        buffer[..n].copy_from_slice(&self.input[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A `Write` whose bytes the test can see while `serve_tasks` runs.
struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A task for a record: a function and its argument.
type Call = (fn(u32) -> u32, u32);

fn records(tasks: &[Call]) -> Vec<u8> {
    tasks.iter().flat_map(|&(function, argument)| TaskRecord::new(function, argument).to_bytes()).collect()
}

fn results_of(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks(RESULT_SIZE)
        .map(|c| u32::from_le_bytes(std::array::from_fn(|i| c.get(i).copied().unwrap_or(0))))
        .collect()
}

mod serve_tasks {
    use super::*;

    pub fn runs_each_task_and_writes_its_result() {
        let got = sandboxed!("serve_tasks on double(21), square(7), add_one(41)", || {
            let input = records(&[(double, 21), (square, 7), (add_one, 41)]);
            let mut output = Vec::new();
            call(|| serve_tasks(&mut &input[..], &mut output));
            results_of(&output)
        });
        assert_eq!(got, vec![42, 49, 42], "serve_tasks on double(21), square(7), add_one(41) wrote {got:?}");
    }

    pub fn returns_at_the_end_of_its_tasks_even_inside_a_record() {
        let (none, cut) =
            sandboxed!("serve_tasks on an empty stream, then on one cut inside a record", || {
                let mut output = Vec::new();
                call(|| serve_tasks(&mut &[][..], &mut output));
                let none = output.clone();
                let input = records(&[(double, 5), (double, 6)]);
                let mut output = Vec::new();
                call(|| serve_tasks(&mut &input[..TaskRecord::SIZE + 5], &mut output));
                (none, results_of(&output))
            });
        assert!(none.is_empty(), "serve_tasks on no tasks wrote {none:?}");
        assert_eq!(cut, vec![10], "a stream with one whole record and part of another gave {cut:?}");
    }

    pub fn reads_whole_records_and_answers_each_before_reading_on() {
        let got = sandboxed!("serve_tasks reading 5 bytes at a time", || {
            let output = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
            let input = records(&[(square, 3), (add_one, 9), (double, 50), (square, 12)]);
            let mut tasks = Trickle { input, at: 0, interrupted: false, output: output.clone() };
            call(|| serve_tasks(&mut tasks, &mut Shared(output.clone())));
            let bytes = output.borrow().clone();
            results_of(&bytes)
        });
        assert_eq!(
            got,
            vec![9, 10, 100, 144],
            "reads that return 5 bytes at a time (and one Interrupted) gave {got:?}: read whole records"
        );
    }
}

mod start_worker {
    use super::*;

    pub fn starts_an_idle_child_that_runs_tasks_sent_down_its_pipe() {
        let (idle, parent_ok, result, ended, code) = sandboxed!("start_worker", || {
            let mut others = Vec::new();
            let mut worker = call(|| start_worker(&mut others));
            let idle = worker.busy.is_none();
            let parent = lesson_02_wait::proc_stat(worker.pid).map(|stat| stat.parent);
            worker.tasks.write_all(&TaskRecord::new(double, 21).to_bytes()).expect("send a task");
            let result = read_result(&mut worker);
            let pid = worker.pid;
            drop(worker);
            let ended = ends_within_patience(pid);
            if !ended {
                let _ = kill(pid, Signal::SIGKILL);
            }
            let code = wait_for(pid).ok();
            (idle, parent == Some(getpid()), result, ended, code)
        });
        assert!(idle, "a new worker runs no task yet: its `busy` is None");
        assert!(parent_ok, "the worker should be a child of the process that called start_worker");
        assert_eq!(result, Some(42), "sent double(21) down the task pipe, the result pipe gave {result:?}");
        assert!(
            ended,
            "the worker did not end when its task pipe closed: the child must close its copy of the \
             task pipe's write end, and end with exit_now once serve_tasks returns"
        );
        assert_eq!(code, Some(0), "the worker should end with exit code 0 after its last task");
    }

    pub fn each_worker_ends_when_its_own_task_pipe_closes() {
        let ended = sandboxed!("three workers from start_worker", || {
            let mut workers = Vec::new();
            for _ in 0..3 {
                let worker = call(|| start_worker(&mut workers));
                workers.push(worker);
            }
            let first = workers.remove(0);
            let pid = first.pid;
            drop(first);
            let ended = ends_within_patience(pid);
            let _ = kill(pid, Signal::SIGKILL);
            let _ = wait_for(pid);
            shut_down(&mut MiniPool {
                workers,
                queue: Default::default(),
                results: Vec::new(),
                closed: false,
            });
            ended
        });
        assert!(
            ended,
            "closing the first worker's task pipe did not end it: a worker started later still holds a \
             copy of that pipe's write end — in each new worker, drop the pipes of `others`"
        );
    }

    pub fn a_dead_workers_result_pipe_reports_end_of_file() {
        let read = sandboxed!("two workers from start_worker, the first killed", || {
            let mut workers = Vec::new();
            for _ in 0..2 {
                let worker = call(|| start_worker(&mut workers));
                workers.push(worker);
            }
            let _ = kill(workers[0].pid, Signal::SIGKILL);
            let _ = wait_for(workers[0].pid);
            let read = read_within(&workers[0].results, &mut [0u8; RESULT_SIZE], PATIENCE).ok().flatten();
            shut_down(&mut MiniPool {
                workers,
                queue: Default::default(),
                results: Vec::new(),
                closed: false,
            });
            read
        });
        assert_eq!(
            read,
            Some(0),
            "the first worker was killed, yet its result pipe did not report end-of-file: the parent \
             must close the result pipe's write end after forking, and each later worker its copy"
        );
    }
}

mod dispatch {
    use super::*;

    pub fn gives_queued_tasks_to_idle_workers_only() {
        sandboxed!("dispatch with 2 workers and 5 tasks", || {
            let gates = set_up_gates(5);
            let mut pool = reference_pool(2);
            for i in 0..5 {
                pool.submit(gated, i).expect("submit");
            }
            call(|| dispatch(&mut pool));
            let mut first: Vec<usize> = (0..2).filter_map(|_| next_start(&gates).map(|(i, _)| i)).collect();
            first.sort();
            assert_eq!(first, vec![0, 1], "after dispatch to 2 idle workers, these tasks started: {first:?}");
            let busy: Vec<Option<usize>> = pool.workers.iter().map(|w| w.busy).collect();
            assert_eq!(busy, vec![Some(0), Some(1)], "after dispatch, the workers' `busy` are {busy:?}");
            call(|| dispatch(&mut pool));
            let queued: Vec<usize> = pool.queue.iter().map(|&(i, _)| i).collect();
            assert_eq!(
                queued,
                vec![2, 3, 4],
                "dispatch with every worker busy took tasks from the queue: skip a worker whose `busy` is Some"
            );
            open_gate(&gates, 1);
            reference_collect(&mut pool, 1);
            call(|| dispatch(&mut pool));
            let next = next_start(&gates);
            assert_eq!(
                next.map(|(i, pid)| (i, pid == pool.workers[1].pid.as_raw())),
                Some((2, true)),
                "worker 1 finished task 1: dispatch should give it task 2, the oldest queued"
            );
            let busy: Vec<Option<usize>> = pool.workers.iter().map(|w| w.busy).collect();
            assert_eq!(
                busy,
                vec![Some(0), Some(2)],
                "after the second dispatch, the workers' `busy` are {busy:?}"
            );
            shut_down(&mut pool);
        });
    }

    pub fn keeps_the_queuing_properties() {
        queuing_properties(Yours::Dispatch);
    }
}

mod collect_one {
    use super::*;

    pub fn returns_the_task_whose_worker_answered() {
        let context = "collect_one with 3 tasks running and only one finished (did it read from a worker \
                       that had not answered? read only those poll says are ready)";
        sandboxed!(context, || {
            let gates = set_up_gates(3);
            let mut pool = reference_pool(3);
            for i in 0..3 {
                pool.submit(gated, i).expect("submit");
            }
            reference_dispatch(&mut pool);
            for _ in 0..3 {
                next_start(&gates).expect("a task started");
            }
            for (step, j) in [2, 0, 1].into_iter().enumerate() {
                open_gate(&gates, j);
                let got = call(|| collect_one(&mut pool));
                assert_eq!(got, j, "step {step}: only task {j} had finished, collect_one returned {got}");
                assert_eq!(
                    pool.results[j],
                    Some(Ok(value_of(j))),
                    "collect_one returned {j}: results[{j}] should be Some(Ok({}))",
                    value_of(j)
                );
                assert_eq!(pool.workers[j].busy, None, "collect_one returned {j}: its worker should be idle");
                let still: Vec<usize> = pool.workers.iter().filter_map(|w| w.busy).collect();
                assert_eq!(
                    still.len(),
                    2 - step,
                    "collect_one freed more than the one worker: {still:?} busy"
                );
            }
            shut_down(&mut pool);
        });
    }

    pub fn keeps_the_queuing_properties() {
        queuing_properties(Yours::Collect);
    }
}

/// Finishes in the order 1, 2, 0 when inputs 0, 1, 2 run on two workers: 0 waits until 2 has run.
fn out_of_order(x: u32) -> u32 {
    let gates = gates();
    match x {
        0 => {
            let _ = raw_file(gates.gates[0].0).read_exact(&mut [0u8; 1]);
        }
        2 => open_gate(&gates, 0),
        _ => {}
    }
    100 + x
}

mod map_in_order {
    use super::*;

    pub fn keeps_input_order_whatever_order_tasks_finish_in() {
        let got = sandboxed!("map_in_order over tasks that finish in the order 1, 2, 0", || {
            set_up_gates(1);
            let mut pool = reference_pool(2);
            let got = call(|| map_in_order(&mut pool, out_of_order, &[0, 1, 2]));
            shut_down(&mut pool);
            got
        });
        assert_eq!(
            got,
            vec![100, 101, 102],
            "the tasks for inputs 0, 1, 2 finished in the order 1, 2, 0, and map_in_order returned {got:?}: \
             put each result at its input's place"
        );
    }

    pub fn equals_a_local_map_call_after_call() {
        let inputs: Vec<Vec<u32>> = vec![vec![], vec![5], (0..40).collect(), vec![7, 7, 0, u32::MAX]];
        let expected: Vec<Vec<u32>> =
            inputs.iter().map(|xs| xs.iter().map(|&x| square(x)).collect()).collect();
        let got = sandboxed!("map_in_order(square, …) four times on one pool of 3 workers", || {
            let mut pool = reference_pool(3);
            let got: Vec<Vec<u32>> =
                inputs.iter().map(|xs| call(|| map_in_order(&mut pool, square, xs))).collect();
            shut_down(&mut pool);
            got
        });
        for ((xs, want), got) in inputs.iter().zip(&expected).zip(&got) {
            assert_eq!(
                got, want,
                "map_in_order(square, {xs:?}) on a pool that had run tasks before returned {got:?}: use the \
                 indices that submit gives"
            );
        }
    }
}

mod close_and_join {
    use super::*;

    pub fn finishes_every_task_then_reaps_every_worker() {
        let context = "close_and_join with 5 queued tasks (a worker ends only when its task pipe is \
                       closed: drop `tasks` before you wait for it)";
        let (codes, left, unreaped, results, closed, refused) = sandboxed!(context, || {
            let mut pool = reference_pool(2);
            let pids: Vec<Pid> = pool.workers.iter().map(|w| w.pid).collect();
            for x in 0..5 {
                pool.submit(double, x).expect("submit");
            }
            let codes = call(|| close_and_join(&mut pool));
            let unreaped: Vec<i32> =
                pids.iter().filter(|&&pid| exists(pid)).map(|pid| pid.as_raw()).collect();
            for &pid in &unreaped {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
                let _ = wait_for(Pid::from_raw(pid));
            }
            let left = pool.workers.len();
            shut_down(&mut pool);
            let results: Vec<Option<Result<u32, PoolError>>> = pool.results.clone();
            let refused = pool.submit(double, 1).err();
            (codes, left, unreaped, results, pool.closed, refused)
        });
        let expected: Vec<Option<Result<u32, PoolError>>> = (0..5).map(|x| Some(Ok(double(x)))).collect();
        assert_eq!(results, expected, "close_and_join should let every queued task finish first");
        assert!(unreaped.is_empty(), "workers {unreaped:?} were not reaped: wait_for each one");
        assert_eq!(
            codes,
            vec![0, 0],
            "each worker should end by itself with exit code 0 (-9 means it was killed): close its task pipe"
        );
        assert_eq!(left, 0, "after close_and_join, `pool.workers` should be empty");
        assert!(closed, "close_and_join should set `closed`");
        assert_eq!(refused, Some(PoolError::NotRunning), "a closed pool should refuse new tasks");
    }

    pub fn a_pool_of_all_your_parts_keeps_the_queuing_properties() {
        queuing_properties(Yours::All);
    }
}

mod fail_dead_worker {
    use super::*;

    pub fn fails_the_task_then_reaps_and_replaces_the_worker() {
        sandboxed!("fail_dead_worker after worker 0 was killed running task 0", || {
            let gates = set_up_gates(2);
            let mut pool = reference_pool(2);
            pool.submit(gated, 0).expect("submit");
            pool.submit(gated, 1).expect("submit");
            reference_dispatch(&mut pool);
            for _ in 0..2 {
                next_start(&gates).expect("a task started");
            }
            let (dead, other) = (pool.workers[0].pid, pool.workers[1].pid);
            kill(dead, Signal::SIGKILL).expect("kill");
            let got = call(|| fail_dead_worker(&mut pool, 0));
            assert_eq!(got, 0, "the dead worker ran task 0, fail_dead_worker returned {got}");
            let expected = Some(Err(PoolError::WorkerDied("killed by SIGKILL".into())));
            assert_eq!(pool.results[0], expected, "the dead worker's task should fail with how it ended");
            assert!(!exists(dead), "the dead worker was not reaped: wait_for it");
            assert_eq!(pool.workers.len(), 2, "the pool should have 2 workers again");
            assert!(pool.workers[0].pid != dead, "no new worker took the dead one's place at index 0");
            assert_eq!(pool.workers[0].busy, None, "the new worker should be idle");
            assert_eq!(
                (pool.workers[1].pid, pool.workers[1].busy),
                (other, Some(1)),
                "the other worker, still running task 1, should be left as it was"
            );
            pool.workers[0].tasks.write_all(&TaskRecord::new(double, 4).to_bytes()).expect("send a task");
            let result = read_result(&mut pool.workers[0]);
            assert_eq!(result, Some(8), "the new worker, sent double(4), answered {result:?}");
            shut_down(&mut pool);
        });
    }

    pub fn the_new_worker_holds_no_other_workers_pipes() {
        let ended = sandboxed!("fail_dead_worker, then closing the other worker's task pipe", || {
            let gates = set_up_gates(1);
            let mut pool = reference_pool(2);
            pool.submit(gated, 0).expect("submit");
            reference_dispatch(&mut pool);
            next_start(&gates).expect("a task started");
            kill(pool.workers[0].pid, Signal::SIGKILL).expect("kill");
            call(|| fail_dead_worker(&mut pool, 0));
            let other = pool.workers.remove(1);
            let pid = other.pid;
            drop(other);
            let ended = ends_within_patience(pid);
            let _ = kill(pid, Signal::SIGKILL);
            let _ = wait_for(pid);
            shut_down(&mut pool);
            ended
        });
        assert!(
            ended,
            "closing the other worker's task pipe did not end it: the new worker holds a copy — start it \
             with start_worker(&mut pool.workers), which drops the other workers' pipes in the child"
        );
    }

    pub fn collect_one_fails_a_killed_workers_task_and_the_pool_goes_on() {
        let (results, workers) =
            sandboxed!("a pool of your parts running a task that kills its worker", || {
                let mut pool = call(|| MiniPool::new(2));
                pool.submit(dies, 0).expect("submit");
                for x in 1..6 {
                    pool.submit(double, x).expect("submit");
                }
                pool.submit(dies, 0).expect("submit");
                pool.submit(double, 6).expect("submit");
                while pool.has_work() {
                    call(|| dispatch(&mut pool));
                    call(|| collect_one(&mut pool));
                }
                let workers = pool.workers.len();
                shut_down(&mut pool);
                (pool.results.clone(), workers)
            });
        let died = Some(Err(PoolError::WorkerDied("killed by SIGKILL".into())));
        let mut expected: Vec<Option<Result<u32, PoolError>>> = (0..8).map(|x| Some(Ok(double(x)))).collect();
        expected[0] = died.clone();
        expected[6] = died;
        expected[7] = Some(Ok(double(6)));
        assert_eq!(
            results, expected,
            "tasks 0 and 6 killed their workers: collect_one should hand such a worker to fail_dead_worker, \
             and the other tasks should run as ever"
        );
        assert_eq!(workers, 2, "after two workers died, the pool should still have 2 workers");
    }
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        serve_tasks::runs_each_task_and_writes_its_result,
        serve_tasks::returns_at_the_end_of_its_tasks_even_inside_a_record,
        serve_tasks::reads_whole_records_and_answers_each_before_reading_on,
        start_worker::starts_an_idle_child_that_runs_tasks_sent_down_its_pipe,
        start_worker::each_worker_ends_when_its_own_task_pipe_closes,
        start_worker::a_dead_workers_result_pipe_reports_end_of_file,
        dispatch::gives_queued_tasks_to_idle_workers_only,
        dispatch::keeps_the_queuing_properties,
        collect_one::returns_the_task_whose_worker_answered,
        collect_one::keeps_the_queuing_properties,
        map_in_order::keeps_input_order_whatever_order_tasks_finish_in,
        map_in_order::equals_a_local_map_call_after_call,
        close_and_join::finishes_every_task_then_reaps_every_worker,
        close_and_join::a_pool_of_all_your_parts_keeps_the_queuing_properties,
        fail_dead_worker::fails_the_task_then_reaps_and_replaces_the_worker,
        fail_dead_worker::the_new_worker_holds_no_other_workers_pipes,
        fail_dead_worker::collect_one_fails_a_killed_workers_task_and_the_pool_goes_on,
    ])
}
