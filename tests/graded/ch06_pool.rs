//! Graded tests for chapter 6, compiled against `exercises` (yours) and `solutions`.
//!
//! Each exercise is graded on its own where it can be: the tests bring their own workers, dispatch and
//! collect (the `reference_*` helpers below), so that only the part under test is yours. The queuing
//! properties that prove chapter 6's `Pool` prove yours too, for a fixed set of (k workers, n tasks,
//! finish order) cases, judged from the workers' own reports of what they started. Gates — pipes the
//! test writes to — decide when each task may finish; a time limit only turns a hang into a failure,
//! it never orders anything.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::mem::ManuallyDrop;
use std::os::fd::{AsFd, FromRawFd, IntoRawFd, OwnedFd};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lesson_01_fork::{Fork, Pid, exit_now, fork, getpid, wait_for};
use lesson_03_process::pidfd;
use lesson_04_pipes::{bytes_waiting, panic_message, read_within, readable_within, wait_for_bytes};
use lesson_06_pool::PoolError;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
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

// ---------------------------------------------------------------------------------------------------
// The tasks: the table the tests' pools share with their workers.

const DOUBLE: u32 = 0;
const SQUARE: u32 = 1;
const ADD_ONE: u32 = 2;
const GATED: u32 = 3;
const DIES: u32 = 4;
const OUT_OF_ORDER: u32 = 5;
const PANICS: u32 = 6;
/// A number no function of the table has.
const UNKNOWN: u32 = 99;

static TABLE: [fn(u32) -> u32; 7] = [double, square, add_one, gated, dies, out_of_order, panics];

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

fn panics(_: u32) -> u32 {
    panic!("a task that panics")
}

/// The result a worker reports for a number its table does not have.
fn unknown_function_error(function: u32) -> Result<u32, PoolError> {
    Report::NoSuchFunction { function }.outcome().expect("a report that finishes its task")
}

// ---------------------------------------------------------------------------------------------------
// Gates.

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

/// Fails with `why` if a "task started" report is waiting: a task started that should not have.
fn assert_no_other_start(gates: &Gates, why: &str) {
    let waiting = bytes_waiting(&*raw_file(gates.report.0)).expect("FIONREAD");
    assert_eq!(waiting, 0, "{why}");
}

// ---------------------------------------------------------------------------------------------------
// The test's own parts, independent of your code.

/// The test's own worker loop.
fn reference_serve(shared: &Shared, mut reports: &File) -> std::io::Result<()> {
    loop {
        shared.queue.readable_within(Duration::MAX)?;
        let held = shared.lock.acquire()?;
        let Some(bytes) = shared.queue.try_recv()? else { continue };
        let packet = Packet::from_bytes(&bytes).ok_or_else(|| std::io::Error::other("not a packet"))?;
        reports.write_all(&Report::Took { seq: packet.seq() }.to_bytes())?;
        drop(held);
        let Packet::Run { function, argument, .. } = packet else { return Ok(()) };
        let report = match shared.table.get(function as usize) {
            Some(task) => Report::Done { value: task(argument) },
            None => Report::NoSuchFunction { function },
        };
        reports.write_all(&report.to_bytes())?;
    }
}

/// A worker of the test's own.
fn reference_worker(shared: &Shared) -> MiniWorker {
    let (read, write) = nix::unistd::pipe().expect("pipe");
    match fork().expect("fork") {
        Fork::Child => {
            drop(read);
            let reports = File::from(write);
            let served = panic::catch_unwind(AssertUnwindSafe(|| reference_serve(shared, &reports)));
            exit_now(if matches!(served, Ok(Ok(()))) { 0 } else { 1 })
        }
        Fork::Parent { child } => {
            drop(write);
            MiniWorker { pid: child, reports: File::from(read), holding: None }
        }
    }
}

/// A pool of `k` of the test's own workers.
fn reference_pool(k: usize) -> MiniPool {
    let mut pool = MiniPool::empty(&TABLE);
    for _ in 0..k {
        let worker = reference_worker(&pool.shared);
        pool.workers.push(worker);
    }
    pool
}

/// The test's own dispatch.
fn reference_dispatch(pool: &mut MiniPool) {
    while let Some(&(index, function, argument)) = pool.backlog.front() {
        let seq = pool.next_seq;
        let packet = Packet::Run { seq, function, argument };
        if !pool.shared.queue.try_send(&packet.to_bytes()).expect("send a packet") {
            return;
        }
        pool.backlog.pop_front();
        pool.sent.insert(seq, index);
        pool.next_seq += 1;
    }
}

/// The test's own collect: the reports waiting on the first worker that has some, within
/// [`PATIENCE`]. Its workers do not die.
fn reference_collect(pool: &mut MiniPool) {
    let ready = {
        let mut fds: Vec<PollFd> =
            pool.workers.iter().map(|w| PollFd::new(w.reports.as_fd(), PollFlags::POLLIN)).collect();
        let millis = u16::try_from(PATIENCE.as_millis()).unwrap_or(u16::MAX);
        let _ = poll(&mut fds, PollTimeout::from(millis));
        fds.iter().position(|fd| fd.revents().is_some_and(|r| !r.is_empty()))
    };
    let ready = ready.expect("a report from one of the test's workers within the patience");
    loop {
        let report = read_report(&pool.workers[ready].reports).expect("a report from the test's worker");
        match report {
            Report::Took { seq } => {
                if let Some(index) = pool.sent.remove(&seq) {
                    pool.workers[ready].holding = Some(index);
                }
            }
            report => {
                let index = pool.workers[ready].holding.take().expect("the test's worker held a task");
                pool.results[index] = report.outcome();
            }
        }
        if !readable_within(&pool.workers[ready].reports, Duration::ZERO).unwrap_or(false) {
            return;
        }
    }
}

/// Calls `collect` until `done` holds, at most `most` times. It looks before each call, so that no
/// call waits for a report that will never come. Returns whether `done` holds.
fn settle(
    pool: &mut MiniPool,
    most: usize,
    collect: &mut dyn FnMut(&mut MiniPool),
    done: impl Fn(&MiniPool) -> bool,
) -> bool {
    for _ in 0..most {
        if done(pool) {
            return true;
        }
        collect(pool);
    }
    done(pool)
}

/// Kills and reaps every worker still in the pool.
fn shut_down(pool: &mut MiniPool) {
    for worker in std::mem::take(&mut pool.workers) {
        let _ = kill(worker.pid, Signal::SIGKILL);
        let _ = wait_for(worker.pid);
    }
}

/// The next report on `reports`, within [`PATIENCE`]; or what came instead.
fn read_report(reports: &File) -> Result<Report, String> {
    let mut bytes = [0u8; Report::SIZE];
    let mut got = 0;
    while got < bytes.len() {
        match read_within(reports, &mut bytes[got..], PATIENCE) {
            Ok(Some(0)) if got == 0 => return Err("the report pipe ended".into()),
            Ok(Some(0)) => return Err(format!("the report pipe ended after {got} bytes of a report")),
            Ok(Some(n)) => got += n,
            Ok(None) => return Err(format!("no report came within {}s", PATIENCE.as_secs())),
            Err(e) => return Err(format!("reading the report pipe failed: {e}")),
        }
    }
    Report::from_bytes(bytes).ok_or_else(|| format!("the bytes {bytes:?} are not a report"))
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

/// The index of the pool's worker with this pid.
fn worker_with(pool: &MiniPool, pid: i32) -> Option<usize> {
    pool.workers.iter().position(|w| w.pid.as_raw() == pid)
}

/// The pool's books: each worker's pid and the task it holds.
fn holdings(pool: &MiniPool) -> Vec<(i32, Option<usize>)> {
    pool.workers.iter().map(|w| (w.pid.as_raw(), w.holding)).collect()
}

// ---------------------------------------------------------------------------------------------------
// A worker of the test's making whose loop is your `serve_tasks`.

struct Served {
    pid: Pid,
    pidfd: OwnedFd,
    reports: File,
    /// Carries the message of a panic in the worker, or of the error `serve_tasks` returned.
    trouble: File,
}

fn serve_in_child(shared: &Shared) -> Served {
    let (report_read, report_write) = nix::unistd::pipe().expect("pipe");
    let (trouble_read, trouble_write) = nix::unistd::pipe().expect("pipe");
    match fork().expect("fork") {
        Fork::Child => {
            drop((report_read, trouble_read));
            let mut reports = File::from(report_write);
            let served = panic::catch_unwind(AssertUnwindSafe(|| serve_tasks(shared, &mut reports)));
            let (code, trouble) = match served {
                Ok(Ok(())) => (0, String::new()),
                Ok(Err(e)) => (2, format!("serve_tasks returned an error: {e}")),
                Err(payload) => (1, format!("serve_tasks panicked: {}", panic_message(&*payload))),
            };
            let _ = File::from(trouble_write).write_all(trouble.as_bytes());
            exit_now(code)
        }
        Fork::Parent { child } => {
            drop((report_write, trouble_write));
            Served {
                pid: child,
                pidfd: pidfd::open(child).expect("pidfd_open"),
                reports: File::from(report_read),
                trouble: File::from(trouble_read),
            }
        }
    }
}

impl Served {
    fn has_ended(&self) -> bool {
        pidfd::wait_until_ended(&self.pidfd, Duration::ZERO).unwrap_or(true)
    }

    /// What became of the worker, for a failure message.
    fn trouble(&self) -> String {
        if !self.has_ended() {
            return "the worker still runs".into();
        }
        let mut text = String::new();
        let _ = (&self.trouble).read_to_string(&mut text);
        if text.is_empty() { "serve_tasks returned Ok and the worker ended".into() } else { text }
    }

    /// Reads the next reports and checks them against `expected`.
    fn expect_reports(&self, expected: &[Report], when: &str) {
        for want in expected {
            match read_report(&self.reports) {
                Ok(got) => assert_eq!(got, *want, "{when}, the worker should report {want:?}, not {got:?}"),
                Err(why) => {
                    panic!("{when}, the worker should report {want:?}, but {why}: {}", self.trouble())
                }
            }
        }
    }

    /// The next task that starts, from the gates' reports, or a failure that says why none did.
    fn expect_start(&self, gates: &Gates, when: &str) -> (usize, i32) {
        let starts = raw_file(gates.report.0);
        let mut fds = [
            PollFd::new(starts.as_fd(), PollFlags::POLLIN),
            PollFd::new(self.pidfd.as_fd(), PollFlags::POLLIN),
        ];
        let millis = u16::try_from(PATIENCE.as_millis()).unwrap_or(u16::MAX);
        let _ = poll(&mut fds, PollTimeout::from(millis));
        if fds[0].revents().is_some_and(|r| r.contains(PollFlags::POLLIN))
            && let Some(start) = next_start(gates)
        {
            return start;
        }
        panic!("{when}, the task did not start: {}", self.trouble())
    }

    /// The system call the worker is blocked in now (`/proc/PID/syscall`), if it is blocked in one.
    fn blocked_in(&self) -> Option<i64> {
        let text = std::fs::read_to_string(format!("/proc/{}/syscall", self.pid)).ok()?;
        let number: i64 = text.split_whitespace().next()?.parse().ok()?;
        (number >= 0).then_some(number)
    }

    /// Waits until `state` holds, looking every millisecond, for at most [`PATIENCE`]; false if it
    /// did not, or if the worker ended first.
    fn wait_until(&self, state: impl Fn(&Served) -> bool) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if state(self) {
                return true;
            }
            if pidfd::wait_until_ended(&self.pidfd, Duration::from_millis(1)).unwrap_or(true) {
                return false;
            }
        }
        false
    }

    /// Waits for the worker to end and reaps it: its exit code, or `None` if it had to be killed.
    fn finish(self) -> Option<i32> {
        let ended = pidfd::wait_until_ended(&self.pidfd, PATIENCE).unwrap_or(false);
        if !ended {
            let _ = kill(self.pid, Signal::SIGKILL);
        }
        let code = wait_for(self.pid).ok();
        ended.then_some(code).flatten()
    }
}

/// A queue holding `packets`, with its lock, for the tests that run `serve_tasks` here.
fn shared_with(packets: &[Packet]) -> Shared {
    let shared = Shared::new(&TABLE);
    for packet in packets {
        shared.queue.send(&packet.to_bytes()).expect("send a packet");
    }
    shared
}

/// The reports `serve_tasks` wrote to a byte vector.
fn reports_in(bytes: &[u8]) -> Vec<Option<Report>> {
    bytes
        .chunks(Report::SIZE)
        .map(|c| c.try_into().ok().and_then(|c: [u8; Report::SIZE]| Report::from_bytes(c)))
        .collect()
}

fn run(seq: u64, function: u32, argument: u32) -> Packet {
    Packet::Run { seq, function, argument }
}

fn took(seq: u64) -> Option<Report> {
    Some(Report::Took { seq })
}

fn done(value: u32) -> Option<Report> {
    Some(Report::Done { value })
}

mod serve_tasks {
    use super::*;

    pub fn runs_each_task_and_reports_took_then_done() {
        sandboxed!("serve_tasks on double(21), square(7), add_one(41), then a stop", || {
            let shared = shared_with(&[
                run(10, DOUBLE, 21),
                run(11, SQUARE, 7),
                run(12, ADD_ONE, 41),
                Packet::Stop { seq: 13 },
            ]);
            let mut reports = Vec::new();
            let returned = call(|| serve_tasks(&shared, &mut reports));
            assert!(returned.is_ok(), "serve_tasks should return Ok at a stop, not {returned:?}");
            let got = reports_in(&reports);
            let expected = vec![took(10), done(42), took(11), done(49), took(12), done(42), took(13)];
            assert_eq!(
                got, expected,
                "for each packet, report Took with its number, then, for a run, Done with the value"
            );
        });
    }

    pub fn returns_at_a_stop_and_takes_nothing_after_it() {
        sandboxed!("serve_tasks on a run, a stop, and another run", || {
            let shared = shared_with(&[run(0, DOUBLE, 1), Packet::Stop { seq: 1 }, run(2, DOUBLE, 2)]);
            let mut reports = Vec::new();
            let returned = call(|| serve_tasks(&shared, &mut reports));
            assert!(returned.is_ok(), "serve_tasks should return Ok at a stop, not {returned:?}");
            assert_eq!(reports_in(&reports), vec![took(0), done(2), took(1)], "the reports");
            let left = shared.queue.try_recv().expect("receive").and_then(|b| Packet::from_bytes(&b));
            assert_eq!(
                left,
                Some(run(2, DOUBLE, 2)),
                "the packet after the stop belongs to another worker: take nothing after a stop"
            );
        });
    }

    pub fn an_unknown_function_gives_an_error_report_never_a_call() {
        sandboxed!("serve_tasks on packets that name functions past the end of the table", || {
            let past = TABLE.len() as u32;
            let shared = shared_with(&[
                run(0, UNKNOWN, 5),
                run(1, u32::MAX, 5),
                run(2, past, 5),
                run(3, DOUBLE, 4),
                Packet::Stop { seq: 4 },
            ]);
            let mut reports = Vec::new();
            let returned = call(|| serve_tasks(&shared, &mut reports));
            assert!(returned.is_ok(), "serve_tasks should return Ok at a stop, not {returned:?}");
            let no_such = |function| Some(Report::NoSuchFunction { function });
            let expected = vec![
                took(0),
                no_such(UNKNOWN),
                took(1),
                no_such(u32::MAX),
                took(2),
                no_such(past),
                took(3),
                done(8),
                took(4),
            ];
            assert_eq!(
                reports_in(&reports),
                expected,
                "a function the table does not have is reported as NoSuchFunction, and the worker goes on"
            );
        });
    }

    pub fn takes_one_packet_and_reports_it_before_running_it() {
        sandboxed!("serve_tasks in a worker, running a task that waits at its gate", || {
            let gates = set_up_gates(1);
            let shared = shared_with(&[run(5, GATED, 0), run(6, DOUBLE, 3)]);
            let worker = serve_in_child(&shared);
            let (task, pid) = worker.expect_start(&gates, "with two packets in the queue");
            assert_eq!((task, pid), (0, worker.pid.as_raw()), "the gated task should start in the worker");
            // The task runs: by now the worker has said which packet it took, and nothing more.
            let waiting = bytes_waiting(&worker.reports).expect("FIONREAD");
            assert_eq!(
                waiting,
                Report::SIZE,
                "while its first task ran, the worker had written {waiting} bytes of reports: write \
                 Took, one report of {} bytes, before you run the task",
                Report::SIZE
            );
            worker.expect_reports(&[Report::Took { seq: 5 }], "while the task ran");
            let head = shared.queue.peek(Packet::SIZE).expect("peek").and_then(|b| Packet::from_bytes(&b));
            assert_eq!(
                head,
                Some(run(6, DOUBLE, 3)),
                "while its first task ran, the worker had taken the next packet too: take one packet, \
                 run it and report it, then take the next"
            );
            let free = shared.lock.try_acquire().expect("try the lock").is_some();
            assert!(free, "the worker held the lock while it ran the task: let it go once Took is written");
            open_gate(&gates, 0);
            let later = "after the gate opened";
            worker.expect_reports(&[Report::Done { value: value_of(0) }], later);
            worker.expect_reports(&[Report::Took { seq: 6 }, Report::Done { value: 6 }], later);
            shared.queue.send(&Packet::Stop { seq: 7 }.to_bytes()).expect("send a stop");
            worker.expect_reports(&[Report::Took { seq: 7 }], "after a stop");
            let code = worker.finish();
            assert_eq!(code, Some(0), "the worker should end after a stop, with serve_tasks returning Ok");
        });
    }

    pub fn waits_for_the_lock_and_again_when_another_worker_was_faster() {
        let context = "serve_tasks in a worker while the test holds the queue's lock, then takes the packet \
                       itself (another worker was faster)";
        sandboxed!(context, || {
            let shared = Shared::new(&TABLE);
            // A record lock is not inherited: the worker forked now does not hold the test's.
            let held = shared.lock.acquire().expect("the test takes the lock");
            let worker = serve_in_child(&shared);
            shared.queue.send(&run(0, DOUBLE, 1).to_bytes()).expect("send a packet");
            // The packet wakes the worker, which must wait for the lock before it takes anything.
            let reports = |w: &Served| bytes_waiting(&w.reports).unwrap_or(0);
            let waits = worker.wait_until(|w| w.blocked_in() == Some(libc::SYS_fcntl) || reports(w) > 0);
            assert_eq!(
                reports(&worker),
                0,
                "the worker took a packet while the test held the lock: take the lock \
                 (shared.lock.acquire()) before you take a packet"
            );
            assert!(
                waits,
                "the worker did not wait for the lock the test held ({}): take it with \
                 shared.lock.acquire() before you take a packet",
                worker.trouble()
            );
            let head = shared.queue.peek(Packet::SIZE).expect("peek").and_then(|b| Packet::from_bytes(&b));
            assert_eq!(
                head,
                Some(run(0, DOUBLE, 1)),
                "the worker took the packet before it had the lock: take the lock first"
            );
            // Another worker is faster: the test takes the packet, then lets the lock go.
            let stolen = shared.queue.try_recv().expect("receive");
            assert!(stolen.is_some(), "the test takes the packet");
            drop(held);
            // The worker finds the queue empty; it must let the lock go and wait for the next packet.
            let waits_again =
                worker.wait_until(|w| w.blocked_in().is_some_and(|call| call != libc::SYS_fcntl));
            assert!(
                waits_again,
                "after another worker took the packet, the worker did not go back to waiting for the \
                 next one ({}): when try_recv gives None, let the lock go and wait again",
                worker.trouble()
            );
            let reported = bytes_waiting(&worker.reports).expect("FIONREAD");
            assert_eq!(reported, 0, "the worker reported a packet it never took");
            let free = shared.lock.try_acquire().expect("try the lock").is_some();
            assert!(
                free,
                "the worker waits for the next packet while it holds the lock: let the lock go first, \
                 or no other worker can take anything"
            );
            shared.queue.send(&run(1, DOUBLE, 21).to_bytes()).expect("send a packet");
            shared.queue.send(&Packet::Stop { seq: 2 }.to_bytes()).expect("send a stop");
            let expected = [Report::Took { seq: 1 }, Report::Done { value: 42 }, Report::Took { seq: 2 }];
            worker.expect_reports(&expected, "after two more packets");
            let code = worker.finish();
            assert_eq!(code, Some(0), "the worker should end after a stop, with serve_tasks returning Ok");
        });
    }
}

mod start_worker {
    use super::*;

    pub fn starts_a_child_that_serves_the_shared_queue_and_reports_on_its_own_pipe() {
        sandboxed!("start_worker, then double(21) and a stop in the queue", || {
            let shared = Shared::new(&TABLE);
            let worker = call(|| start_worker(&shared));
            assert_eq!(worker.holding, None, "a new worker holds no task yet: its `holding` is None");
            let parent = lesson_02_wait::proc_stat(worker.pid).map(|stat| stat.parent);
            assert_eq!(parent, Some(getpid()), "the worker should be a child of the process that started it");
            shared.queue.send(&run(0, DOUBLE, 21).to_bytes()).expect("send a packet");
            shared.queue.send(&Packet::Stop { seq: 1 }.to_bytes()).expect("send a stop");
            for want in [Report::Took { seq: 0 }, Report::Done { value: 42 }, Report::Took { seq: 1 }] {
                let got = read_report(&worker.reports);
                assert_eq!(
                    got,
                    Ok(want),
                    "the worker's report pipe should carry {want:?} (a worker that ended with code 1 \
                     at once: is serve_tasks done?)"
                );
            }
            let ended = ends_within_patience(worker.pid);
            if !ended {
                let _ = kill(worker.pid, Signal::SIGKILL);
            }
            let code = wait_for(worker.pid).ok();
            assert!(ended, "the worker did not end after it took a stop: end it with exit_now");
            assert_eq!(code, Some(0), "a worker whose serve_tasks returned Ok should end with exit code 0");
            let end = read_within(&worker.reports, &mut [0u8; 1], PATIENCE).ok().flatten();
            assert_eq!(
                end,
                Some(0),
                "the worker has ended, yet its report pipe does not say so: the parent must close its \
                 copy of the write end after the fork"
            );
        });
    }

    pub fn a_dead_workers_report_pipe_reports_end_of_file() {
        sandboxed!("two workers from start_worker, the first killed", || {
            let mut pool = MiniPool::empty(&TABLE);
            for _ in 0..2 {
                let worker = call(|| start_worker(&pool.shared));
                pool.workers.push(worker);
            }
            let first = pool.workers.remove(0);
            let _ = kill(first.pid, Signal::SIGKILL);
            let _ = wait_for(first.pid);
            let end = read_within(&first.reports, &mut [0u8; Report::SIZE], PATIENCE).ok().flatten();
            shut_down(&mut pool);
            assert_eq!(
                end,
                Some(0),
                "the first worker was killed, yet its report pipe did not report end-of-file: the \
                 parent must close the pipe's write end after forking"
            );
        });
    }

    pub fn a_panic_in_the_worker_becomes_exit_code_1() {
        sandboxed!("start_worker, then a task that panics", || {
            let shared = Shared::new(&TABLE);
            let worker = call(|| start_worker(&shared));
            shared.queue.send(&run(0, PANICS, 0).to_bytes()).expect("send a packet");
            let first = read_report(&worker.reports);
            assert_eq!(first, Ok(Report::Took { seq: 0 }), "the worker should report taking the packet");
            let ended = ends_within_patience(worker.pid);
            if !ended {
                let _ = kill(worker.pid, Signal::SIGKILL);
            }
            let code = wait_for(worker.pid).ok();
            assert!(ended, "the worker whose task panicked did not end");
            assert_eq!(
                code,
                Some(1),
                "a worker whose task panicked should end with exit code 1: catch the panic and exit_now(1)"
            );
        });
    }
}

mod dispatch {
    use super::*;

    pub fn numbers_each_packet_and_stops_when_the_queue_is_full() {
        let context = "dispatch with no worker and more tasks than the queue holds (never wait for room: \
                       try_send, and stop when it says the queue is full)";
        sandboxed!(context, || {
            // How many packets a queue holds.
            let probe = Shared::new(&TABLE);
            let mut room = 0;
            while probe.queue.try_send(&run(room, 0, 0).to_bytes()).expect("send") {
                room += 1;
            }
            let total = room as usize + 40;
            let mut pool = MiniPool::empty(&TABLE);
            for i in 0..total {
                pool.submit((i % 3) as u32, i as u32).expect("submit");
            }
            let mut received: Vec<Packet> = Vec::new();
            for round in 0..total {
                call(|| dispatch(&mut pool));
                let before = received.len();
                while let Some(bytes) = pool.shared.queue.try_recv().expect("receive") {
                    received.push(Packet::from_bytes(&bytes).expect("a packet of dispatch"));
                }
                let sent = received.len() - before;
                if round == 0 {
                    assert!(
                        !pool.backlog.is_empty(),
                        "the first dispatch took every task out of the backlog, though the queue holds \
                         only {room}"
                    );
                }
                assert_eq!(
                    sent + pool.backlog.len() + before,
                    total,
                    "after dispatch, {sent} packet(s) were in the queue and {} task(s) in the backlog, of \
                     {} not sent before: leave in the backlog what the queue has no room for",
                    pool.backlog.len(),
                    total - before
                );
                assert!(sent > 0, "dispatch sent nothing, though the queue was empty");
                if pool.backlog.is_empty() {
                    break;
                }
            }
            assert_eq!(received.len(), total, "every task should cross once");
            let mut last = None;
            for (index, packet) in received.iter().enumerate() {
                let Packet::Run { seq, function, argument } = *packet else {
                    panic!("dispatch sent {packet:?}: a task crosses as a Packet::Run");
                };
                assert_eq!(
                    (function, argument),
                    ((index % 3) as u32, index as u32),
                    "packet {index} in the queue should carry task {index}: send the oldest first"
                );
                assert!(
                    last < Some(seq),
                    "packet numbers should grow from one packet to the next, not {last:?} then {seq}: give \
                     each packet pool.next_seq, then add 1 to it"
                );
                last = Some(seq);
                assert_eq!(
                    pool.sent.get(&seq),
                    Some(&index),
                    "packet {seq} carries task {index}: remember it in pool.sent until a worker reports \
                     taking it"
                );
            }
            assert_eq!(pool.sent.len(), total, "pool.sent should hold one entry per packet sent");
            assert!(
                last.is_some_and(|last| pool.next_seq > last),
                "pool.next_seq should be past the last number given"
            );
        });
    }

    pub fn keeps_the_queuing_properties() {
        queuing_properties(Yours::Dispatch);
    }
}

mod collect_one {
    use super::*;

    pub fn applies_took_then_done_from_the_worker_that_reported() {
        let context = "collect_one with 3 gated tasks running, finishing one at a time (did it read from a \
                       worker that had not reported? read only those poll says are ready)";
        sandboxed!(context, || {
            let gates = set_up_gates(3);
            let mut pool = reference_pool(3);
            for i in 0..3 {
                pool.submit(GATED, i).expect("submit");
            }
            reference_dispatch(&mut pool);
            let mut worker_of = HashMap::new();
            for _ in 0..3 {
                let (task, pid) = next_start(&gates).expect("a task started");
                worker_of.insert(task, worker_with(&pool, pid).expect("a worker of the pool"));
            }
            let mut collect = |pool: &mut MiniPool| {
                call(|| collect_one(pool));
            };
            let holds = |pool: &MiniPool| worker_of.iter().all(|(&t, &w)| pool.workers[w].holding == Some(t));
            let settled = settle(&mut pool, 3, &mut collect, holds);
            assert!(
                settled,
                "each worker reported taking its task, yet after 3 calls of collect_one the pool's books \
                 say {:?}: a Took report means its worker holds the task pool.sent gives for the number",
                holdings(&pool)
            );
            assert!(pool.sent.is_empty(), "a packet reported taken should leave pool.sent");
            for (step, j) in [2, 0, 1].into_iter().enumerate() {
                open_gate(&gates, j);
                let got = call(|| collect_one(&mut pool));
                assert_eq!(
                    got,
                    vec![j],
                    "step {step}: only task {j} had finished, collect_one returned {got:?}"
                );
                assert_eq!(
                    pool.results[j],
                    Some(Ok(value_of(j))),
                    "collect_one returned {j}: results[{j}] should be Some(Ok({}))",
                    value_of(j)
                );
                assert_eq!(
                    pool.workers[worker_of[&j]].holding, None,
                    "task {j} finished: its worker is idle"
                );
                let still = pool.workers.iter().filter(|w| w.holding.is_some()).count();
                assert_eq!(
                    still,
                    2 - step,
                    "collect_one freed more than the one worker: {:?}",
                    holdings(&pool)
                );
            }
            shut_down(&mut pool);
        });
    }

    pub fn an_unknown_function_gives_an_error_result() {
        sandboxed!("collect_one after a task that names no function of the table", || {
            let mut pool = reference_pool(1);
            pool.submit(UNKNOWN, 5).expect("submit");
            pool.submit(DOUBLE, 4).expect("submit");
            reference_dispatch(&mut pool);
            let mut collect = |pool: &mut MiniPool| {
                call(|| collect_one(pool));
            };
            settle(&mut pool, 4, &mut collect, |pool| pool.results.iter().all(Option::is_some));
            let expected = vec![Some(unknown_function_error(UNKNOWN)), Some(Ok(8))];
            assert_eq!(
                pool.results, expected,
                "a NoSuchFunction report finishes its task with the report's outcome(), an error"
            );
            shut_down(&mut pool);
        });
    }

    pub fn keeps_the_queuing_properties() {
        queuing_properties(Yours::Collect);
    }
}

mod map_in_order {
    use super::*;

    pub fn keeps_input_order_whatever_order_tasks_finish_in() {
        sandboxed!("map_in_order over tasks that finish in the order 1, 2, 0", || {
            set_up_gates(1);
            let mut pool = reference_pool(2);
            let got = call(|| map_in_order(&mut pool, OUT_OF_ORDER, &[0, 1, 2]));
            shut_down(&mut pool);
            assert_eq!(
                got,
                vec![Ok(100), Ok(101), Ok(102)],
                "the tasks for inputs 0, 1, 2 finished in the order 1, 2, 0: put each result at its \
                 input's place"
            );
        });
    }

    pub fn equals_a_local_map_call_after_call() {
        sandboxed!("map_in_order(square, …) four times on one pool of 3 workers", || {
            let inputs: Vec<Vec<u32>> = vec![vec![], vec![5], (0..40).collect(), vec![7, 7, 0, u32::MAX]];
            let mut pool = reference_pool(3);
            for xs in &inputs {
                let got = call(|| map_in_order(&mut pool, SQUARE, xs));
                let want: Vec<Result<u32, PoolError>> = xs.iter().map(|&x| Ok(square(x))).collect();
                assert_eq!(
                    got, want,
                    "map_in_order(square, {xs:?}) on a pool that may have run tasks before: use the indices \
                     that submit gives"
                );
            }
            shut_down(&mut pool);
        });
    }

    pub fn an_unknown_function_fails_each_task_in_its_place() {
        sandboxed!("map_in_order with a function number the table does not have", || {
            let mut pool = reference_pool(2);
            let got = call(|| map_in_order(&mut pool, UNKNOWN, &[1, 2, 3]));
            assert_eq!(got, vec![unknown_function_error(UNKNOWN); 3], "each task should fail with its error");
            let after = call(|| map_in_order(&mut pool, DOUBLE, &[5, 6]));
            assert_eq!(after, vec![Ok(10), Ok(12)], "the pool should go on after tasks that failed");
            shut_down(&mut pool);
        });
    }
}

mod close_and_join {
    use super::*;

    pub fn finishes_every_task_then_stops_and_reaps_every_worker() {
        let context = "close_and_join with 5 queued tasks (a worker ends when it takes a stop: send one per \
                       worker after the last task)";
        sandboxed!(context, || {
            let mut pool = reference_pool(2);
            let pids: Vec<Pid> = pool.workers.iter().map(|w| w.pid).collect();
            for x in 0..5 {
                pool.submit(DOUBLE, x).expect("submit");
            }
            let codes = call(|| close_and_join(&mut pool));
            let unreaped: Vec<Pid> = pids.iter().copied().filter(|&pid| exists(pid)).collect();
            for &pid in &unreaped {
                let _ = kill(pid, Signal::SIGKILL);
                let _ = wait_for(pid);
            }
            let left = pool.workers.len();
            shut_down(&mut pool);
            let expected: Vec<Option<Result<u32, PoolError>>> = (0..5).map(|x| Some(Ok(double(x)))).collect();
            assert_eq!(pool.results, expected, "close_and_join should let every queued task finish first");
            assert!(unreaped.is_empty(), "workers {unreaped:?} were not reaped: wait_for each one");
            assert_eq!(
                codes,
                vec![0, 0],
                "each worker should end by itself with exit code 0 (-9 means it was killed): send it a stop"
            );
            let extra = pool.shared.queue.try_recv().expect("receive").and_then(|b| Packet::from_bytes(&b));
            assert_eq!(extra, None, "a packet was left in the queue after join: send one stop per worker");
            assert_eq!(left, 0, "after close_and_join, `pool.workers` should be empty");
            assert!(pool.closed, "close_and_join should set `closed`");
            assert_eq!(pool.submit(DOUBLE, 1), Err(PoolError::NotRunning), "a closed pool refuses new tasks");
        });
    }

    pub fn returns_while_another_process_holds_the_pools_descriptors() {
        let context = "close_and_join while another process holds copies of the queue, the lock and the \
                       report pipes (end-of-file never comes: stop each worker with a stop packet)";
        sandboxed!(context, || {
            let mut pool = reference_pool(2);
            let (gate_read, gate_write) = nix::unistd::pipe().expect("pipe");
            let holder = match fork().expect("fork") {
                Fork::Child => {
                    drop(gate_write);
                    let _ = File::from(gate_read).read(&mut [0u8; 1]);
                    exit_now(0)
                }
                Fork::Parent { child } => child,
            };
            drop(gate_read);
            for x in 0..4 {
                pool.submit(DOUBLE, x).expect("submit");
            }
            let codes = call(|| close_and_join(&mut pool));
            drop(gate_write);
            let _ = wait_for(holder);
            shut_down(&mut pool);
            assert_eq!(codes, vec![0, 0], "each worker should end with exit code 0 after its stop");
            let expected: Vec<Option<Result<u32, PoolError>>> = (0..4).map(|x| Some(Ok(double(x)))).collect();
            assert_eq!(pool.results, expected, "every task should finish before join returns");
        });
    }

    pub fn a_pool_of_all_your_parts_keeps_the_queuing_properties() {
        queuing_properties(Yours::All);
    }
}

mod fail_dead_worker {
    use super::*;

    fn died(how: &str) -> Option<Result<u32, PoolError>> {
        Some(Err(PoolError::WorkerDied(how.into())))
    }

    pub fn fails_exactly_the_task_the_dead_worker_held() {
        sandboxed!("fail_dead_worker after the worker running task 1 was killed", || {
            let gates = set_up_gates(3);
            let mut pool = reference_pool(2);
            for i in 0..3 {
                pool.submit(GATED, i).expect("submit");
            }
            reference_dispatch(&mut pool);
            for _ in 0..2 {
                next_start(&gates).expect("a task started");
            }
            let both = |pool: &MiniPool| pool.workers.iter().all(|w| w.holding.is_some());
            assert!(settle(&mut pool, 2, &mut reference_collect, both), "the test's books");
            let w = pool.workers.iter().position(|w| w.holding == Some(1)).expect("the worker of task 1");
            let (dead, other) = (pool.workers[w].pid, &pool.workers[1 - w]);
            let other = (other.pid, other.holding);
            kill(dead, Signal::SIGKILL).expect("kill");
            let got = call(|| fail_dead_worker(&mut pool, w));
            assert_eq!(got, Some(1), "the dead worker held task 1, fail_dead_worker returned {got:?}");
            assert_eq!(
                pool.results[1],
                died("killed by SIGKILL"),
                "the task should fail with how its worker ended"
            );
            assert_eq!((&pool.results[0], &pool.results[2]), (&None, &None), "no other task should fail");
            assert!(!exists(dead), "the dead worker was not reaped: wait_for it");
            assert_eq!(pool.workers.len(), 2, "the pool should have 2 workers again");
            assert!(pool.workers[w].pid != dead, "no new worker took the dead one's place at index {w}");
            assert_eq!(pool.workers[w].holding, None, "the new worker holds no task yet");
            let kept = (pool.workers[1 - w].pid, pool.workers[1 - w].holding);
            assert_eq!(kept, other, "the other worker, still running task 0, should be left as it was");
            let (task, pid) = next_start(&gates).expect("the new worker should take the queued task 2");
            assert_eq!((task, pid), (2, pool.workers[w].pid.as_raw()), "the new worker takes task 2");
            open_gate(&gates, 0);
            open_gate(&gates, 2);
            let finished = |pool: &MiniPool| pool.results.iter().all(Option::is_some);
            assert!(settle(&mut pool, 4, &mut reference_collect, finished), "tasks 0 and 2 finish");
            assert_eq!(pool.results[2], Some(Ok(value_of(2))), "the new worker's task gives its value");
            shut_down(&mut pool);
        });
    }

    pub fn reads_the_last_reports_first_so_only_the_held_task_fails() {
        let context = "fail_dead_worker on two killed workers whose reports the pool had not read: one \
                       running task 0, one idle after finishing task 1";
        sandboxed!(context, || {
            let gates = set_up_gates(2);
            let mut pool = reference_pool(2);
            pool.submit(GATED, 0).expect("submit");
            pool.submit(GATED, 1).expect("submit");
            reference_dispatch(&mut pool);
            let mut pid_of = HashMap::new();
            for _ in 0..2 {
                let (task, pid) = next_start(&gates).expect("a task started");
                pid_of.insert(task, pid);
            }
            let (running, idle) = (
                worker_with(&pool, pid_of[&0]).expect("a worker"),
                worker_with(&pool, pid_of[&1]).expect("a worker"),
            );
            open_gate(&gates, 1);
            let both = wait_for_bytes(&pool.workers[idle].reports, 2 * Report::SIZE, PATIENCE);
            assert!(both.unwrap_or(false), "the test's worker reports Took and Done for task 1");
            kill(pool.workers[running].pid, Signal::SIGKILL).expect("kill");
            kill(pool.workers[idle].pid, Signal::SIGKILL).expect("kill");
            let dead = [pool.workers[running].pid, pool.workers[idle].pid];
            let got = call(|| fail_dead_worker(&mut pool, running));
            assert_eq!(
                got,
                Some(0),
                "the worker killed while it ran task 0 had reported taking it, though the pool had not read \
                 the report yet: read the dead worker's last reports before you decide what it held"
            );
            let got = call(|| fail_dead_worker(&mut pool, idle));
            assert_eq!(
                got, None,
                "the worker killed after it finished task 1 held nothing: its death costs no task"
            );
            assert_eq!(
                pool.results,
                vec![died("killed by SIGKILL"), Some(Ok(value_of(1)))],
                "only the task held fails; a Done the dead worker wrote keeps its result"
            );
            assert!(
                pool.sent.is_empty(),
                "a Took the dead worker wrote should take its packet out of pool.sent"
            );
            assert!(dead.iter().all(|&pid| !exists(pid)), "every dead worker should be reaped");
            assert_eq!(pool.workers.len(), 2, "the pool should have 2 workers again");
            shut_down(&mut pool);
        });
    }

    pub fn collect_one_fails_a_killed_workers_task_and_the_pool_goes_on() {
        sandboxed!("a pool of your parts running tasks that kill or panic their worker", || {
            let mut pool = call(|| MiniPool::new(2, &TABLE));
            pool.submit(DIES, 0).expect("submit");
            for x in 1..6 {
                pool.submit(DOUBLE, x).expect("submit");
            }
            pool.submit(PANICS, 0).expect("submit");
            pool.submit(DOUBLE, 6).expect("submit");
            pool.submit(DIES, 0).expect("submit");
            while pool.has_work() {
                call(|| dispatch(&mut pool));
                call(|| collect_one(&mut pool));
            }
            let workers = pool.workers.len();
            shut_down(&mut pool);
            let mut expected: Vec<Option<Result<u32, PoolError>>> =
                (0..9).map(|x| Some(Ok(double(x)))).collect();
            expected[0] = died("killed by SIGKILL");
            expected[6] = died("exited with code 1");
            expected[7] = Some(Ok(double(6)));
            expected[8] = died("killed by SIGKILL");
            assert_eq!(
                pool.results, expected,
                "tasks 0 and 8 killed their workers and task 6 panicked in its own: collect_one should hand \
                 such a worker to fail_dead_worker, and the other tasks should run as ever"
            );
            assert_eq!(workers, 2, "after three workers died, the pool should still have 2 workers");
        });
    }

    pub fn killing_workers_fails_exactly_the_tasks_they_held() {
        let context = "a pool of your parts, 3 workers and 5 gated tasks: the worker of task 1 killed, later \
                       an idle worker killed";
        sandboxed!(context, || {
            let gates = set_up_gates(5);
            let mut pool = call(|| MiniPool::new(3, &TABLE));
            let first: Vec<i32> = pool.workers.iter().map(|w| w.pid.as_raw()).collect();
            for i in 0..5 {
                pool.submit(GATED, i).expect("submit");
            }
            call(|| dispatch(&mut pool));
            let mut pid_of = HashMap::new();
            for _ in 0..3 {
                let (task, pid) = next_start(&gates).expect("the first three tasks start");
                pid_of.insert(task, pid);
            }
            let victim = Pid::from_raw(pid_of[&1]);
            kill(victim, Signal::SIGKILL).expect("kill");
            let mut collect = |pool: &mut MiniPool| {
                call(|| collect_one(pool));
            };
            let noticed = settle(&mut pool, 8, &mut collect, |pool| pool.results[1].is_some());
            assert!(noticed, "the worker running task 1 was killed, and collect_one did not notice");
            assert_eq!(
                pool.results[1],
                died("killed by SIGKILL"),
                "task 1 should fail with how its worker died"
            );
            let others: Vec<usize> = (0..5).filter(|&i| i != 1 && pool.results[i].is_some()).collect();
            assert!(others.is_empty(), "tasks {others:?} have results, yet none of them had finished");
            assert!(!exists(victim), "the dead worker should be reaped");
            assert_eq!(pool.workers.len(), 3, "the dead worker should be replaced");
            let (task, pid) = next_start(&gates).expect("the new worker should take task 3");
            assert!(
                task == 3 && !first.contains(&pid),
                "task 3 should start on the new worker, not {task} on {pid}"
            );
            for j in [0, 2, 3, 4] {
                open_gate(&gates, j);
                if j == 0 {
                    let (task, pid) = next_start(&gates).expect("task 4 starts once task 0 has finished");
                    assert_eq!((task, pid), (4, pid_of[&0]), "task 4 starts on the worker task 0 freed");
                }
                let finished = |pool: &MiniPool| pool.results[j].is_some();
                assert!(settle(&mut pool, 8, &mut collect, finished), "task {j} finishes");
            }
            let settled = settle(&mut pool, 8, &mut collect, |pool| !pool.has_work());
            assert!(settled, "every task has finished; the pool's books say {:?}", holdings(&pool));
            // An idle worker killed costs no task.
            let idle = pool.workers[0].pid;
            kill(idle, Signal::SIGKILL).expect("kill");
            let failed = call(|| collect_one(&mut pool));
            assert!(
                failed.is_empty(),
                "an idle worker was killed, and collect_one failed the tasks {failed:?}"
            );
            assert!(!exists(idle), "the dead idle worker should be reaped");
            assert_eq!(pool.workers.len(), 3, "the dead idle worker should be replaced");
            let mut expected: Vec<Option<Result<u32, PoolError>>> =
                (0..5).map(|i| Some(Ok(value_of(i)))).collect();
            expected[1] = died("killed by SIGKILL");
            assert_eq!(pool.results, expected, "only the task the killed worker held should fail");
            let codes = call(|| close_and_join(&mut pool));
            assert_eq!(codes, vec![0, 0, 0], "close_and_join after the deaths");
        });
    }
}

// ---------------------------------------------------------------------------------------------------
// The queuing properties.

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

/// The queuing properties, for every case, judged from the workers' own start reports: exactly
/// min(k, n) tasks start before any finishes, each on a worker of its own; each further task starts
/// only after one finished, on the worker that task freed, and it is the oldest queued; all n run
/// exactly once and give their own value; at most k workers serve them. And the pool's books follow:
/// each worker holds the task it runs, and each task's result is in its slot.
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

fn dispatch_with(yours: Yours, pool: &mut MiniPool) {
    match yours {
        Yours::Collect => reference_dispatch(pool),
        Yours::Dispatch | Yours::All => call(|| dispatch(pool)),
    }
}

fn collect_with(yours: Yours, pool: &mut MiniPool) {
    match yours {
        Yours::Dispatch => reference_collect(pool),
        Yours::Collect | Yours::All => {
            call(|| collect_one(pool));
        }
    }
}

/// Whether each running task is held by the worker it started on, and no other worker holds one.
fn books_match(pool: &MiniPool, worker_of: &HashMap<usize, i32>, running: &[usize]) -> bool {
    pool.workers.iter().all(|w| match w.holding {
        Some(task) => running.contains(&task) && worker_of.get(&task) == Some(&w.pid.as_raw()),
        None => !running.iter().any(|task| worker_of.get(task) == Some(&w.pid.as_raw())),
    })
}

fn queuing_case(k: usize, order: Vec<usize>, yours: Yours) {
    let n = order.len();
    let gates = set_up_gates(n);
    let mut pool = if yours == Yours::All { call(|| MiniPool::new(k, &TABLE)) } else { reference_pool(k) };
    assert_eq!(pool.workers.len(), k, "MiniPool::new({k}, …) made {} workers", pool.workers.len());
    for i in 0..n {
        pool.submit(GATED, i as u32).expect("submit");
    }
    let mut collect = |pool: &mut MiniPool| collect_with(yours, pool);
    dispatch_with(yours, &mut pool);
    assert!(pool.backlog.is_empty(), "dispatch left tasks in the backlog, though the queue had room");

    // The first min(k, n) start at once, each on a worker of its own, the oldest first.
    let first = k.min(n);
    let mut worker_of: HashMap<usize, i32> = HashMap::new();
    for got in 0..first {
        let Some((task, pid)) = next_start(&gates) else {
            panic!(
                "after the first dispatch, {got} of {first} task(s) started on {k} idle worker(s): every \
                 idle worker should take a packet"
            );
        };
        assert!(
            worker_with(&pool, pid).is_some(),
            "task {task} started in {pid}, not one of the pool's workers"
        );
        assert!(worker_of.insert(task, pid).is_none(), "task {task} started twice");
    }
    let mut running: Vec<usize> = worker_of.keys().copied().collect();
    running.sort();
    assert_eq!(running, (0..first).collect::<Vec<_>>(), "the first tasks to start should be the oldest");
    let pids: HashSet<i32> = worker_of.values().copied().collect();
    assert_eq!(pids.len(), first, "the first {first} tasks should start on {first} different workers");
    assert_no_other_start(&gates, "more than min(k, n) tasks started before any finished");
    let settled = settle(&mut pool, 2 * k + 2, &mut collect, |p| books_match(p, &worker_of, &running));
    assert!(
        settled,
        "the first tasks started on {worker_of:?} (task: pid), yet the pool's books say {:?} (pid, task): \
         a Took report means its worker holds the task pool.sent gives for that number",
        holdings(&pool)
    );
    assert_eq!(pool.sent.len(), n - first, "pool.sent should hold the packets no worker has taken yet");

    // Only a running task can finish: each step opens the gate of the running task that comes first
    // in `order`, reads which task starts next and where, and lets the pool catch up.
    let rank = |task: usize| order.iter().position(|&t| t == task).expect("a task of the case");
    while let Some(position) = (0..running.len()).min_by_key(|&p| rank(running[p])) {
        let j = running.swap_remove(position);
        let freed = worker_of[&j];
        open_gate(&gates, j);
        let when = format!("after task {j} finished");
        if worker_of.len() < n {
            let Some((task, pid)) = next_start(&gates) else {
                panic!("{when}, no other task started: the worker it freed should take the next packet");
            };
            assert_eq!(
                pid, freed,
                "{when}, task {task} started on worker {pid}, not on {freed}, the one it freed"
            );
            assert_eq!(task, worker_of.len(), "{when}, task {task} started, not the oldest queued");
            assert!(worker_of.insert(task, pid).is_none(), "task {task} started twice");
            running.push(task);
        }
        assert_no_other_start(&gates, &format!("{when}, more than one task started"));
        dispatch_with(yours, &mut pool);
        let caught_up = settle(&mut pool, 4, &mut collect, |p| {
            p.results[j].is_some() && books_match(p, &worker_of, &running)
        });
        assert_eq!(
            pool.results[j],
            Some(Ok(value_of(j))),
            "{when}, its result should be in results[{j}]: a Done report finishes the task its worker held"
        );
        assert!(
            caught_up,
            "{when}, the tasks running are {running:?} on {worker_of:?} (task: pid), yet the pool's books say \
             {:?} (pid, task)",
            holdings(&pool)
        );
    }
    assert_eq!(worker_of.len(), n, "not every task ran: {worker_of:?}");
    let served: HashSet<i32> = worker_of.values().copied().collect();
    assert!(served.len() <= k, "{} distinct workers served a pool of {k}", served.len());
    assert!(!pool.has_work(), "every task has finished, yet the pool has work: {:?}", holdings(&pool));
    if yours == Yours::All {
        let codes = call(|| close_and_join(&mut pool));
        assert_eq!(codes, vec![0; k], "close_and_join: each worker should end with exit code 0");
    } else {
        shut_down(&mut pool);
    }
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        serve_tasks::runs_each_task_and_reports_took_then_done,
        serve_tasks::returns_at_a_stop_and_takes_nothing_after_it,
        serve_tasks::an_unknown_function_gives_an_error_report_never_a_call,
        serve_tasks::takes_one_packet_and_reports_it_before_running_it,
        serve_tasks::waits_for_the_lock_and_again_when_another_worker_was_faster,
        start_worker::starts_a_child_that_serves_the_shared_queue_and_reports_on_its_own_pipe,
        start_worker::a_dead_workers_report_pipe_reports_end_of_file,
        start_worker::a_panic_in_the_worker_becomes_exit_code_1,
        dispatch::numbers_each_packet_and_stops_when_the_queue_is_full,
        dispatch::keeps_the_queuing_properties,
        collect_one::applies_took_then_done_from_the_worker_that_reported,
        collect_one::an_unknown_function_gives_an_error_result,
        collect_one::keeps_the_queuing_properties,
        map_in_order::keeps_input_order_whatever_order_tasks_finish_in,
        map_in_order::equals_a_local_map_call_after_call,
        map_in_order::an_unknown_function_fails_each_task_in_its_place,
        close_and_join::finishes_every_task_then_stops_and_reaps_every_worker,
        close_and_join::returns_while_another_process_holds_the_pools_descriptors,
        close_and_join::a_pool_of_all_your_parts_keeps_the_queuing_properties,
        fail_dead_worker::fails_exactly_the_task_the_dead_worker_held,
        fail_dead_worker::reads_the_last_reports_first_so_only_the_held_task_fails,
        fail_dead_worker::collect_one_fails_a_killed_workers_task_and_the_pool_goes_on,
        fail_dead_worker::killing_workers_fails_exactly_the_tasks_they_held,
    ])
}
