//! Runs a piece of code in a contained child process, so that whatever it does — panic, loop forever,
//! fork without waiting, let a child return into its caller — the test reports it and goes on.
//!
//! The sandbox forks a *runner* process in a new process group. The runner calls the code, catches a
//! panic, and sends one frame back through a pipe: the value (encoded with postcard) or the panic's
//! message. The test process waits for that frame until a time limit, then kills the runner's whole
//! process group and reaps every process in it. Children the code forked and never reaped come back to
//! the test process (a child subreaper) and are counted in [`Outcome::left_behind`].
//!
//! A forked child of the code that returns into the code's caller would go on running the test in a
//! second process. Wrap each call of learner code in [`call`]: it ends such a stray child at once and
//! reports it, as it does a child that panics.

use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use nix::fcntl::OFlag;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::wait::WaitStatus;
use nix::unistd::{ForkResult, Pid, fork, getpid, pipe2, setpgid};
use serde::Serialize;
use serde::de::DeserializeOwned;

mod cap;
mod outcome;

pub use cap::release_cap;
use cap::{enter_cap, prepare_cap};
pub use outcome::{Failure, Outcome, TIMED_OUT};

use crate::reap::{become_subreaper, kill_group_and_reap};

/// The time limit tests use unless they need another.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(5);

/// The pid of the runner of the current sandbox, in the runner and its descendants; 0 elsewhere.
static RUNNER: AtomicI32 = AtomicI32::new(0);
/// The last panic's message with its location, recorded by the runner's panic hook.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Frame kinds, one byte each, sent from the runner (or a stray child) to the test.
const VALUE: u8 = 0;
const PANICKED: u8 = 1;
const CHILD_RETURNED: u8 = 2;
const CHILD_PANICKED: u8 = 3;
/// Frame header: kind (1 byte), sender pid (4 bytes), payload length (4 bytes).
const HEADER: usize = 9;

/// Runs `code` in a contained runner process and returns what it gave back within `limit`.
pub fn run<T, F>(limit: Duration, code: F) -> Outcome<T>
where
    T: Serialize + DeserializeOwned,
    F: FnOnce() -> T,
{
    become_subreaper();
    prepare_cap();
    // What this process has buffered would be copied into the runner and written twice.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    let (read_end, write_end) = pipe2(OFlag::O_CLOEXEC).expect("pipe2");
    // SAFETY: the test harness runs tests on the only thread of the process (see `harness`), so no
    // lock is held by another thread at this instant; the child ends with `_exit` in `runner`.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            drop(read_end);
            runner(write_end, code)
        }
        ForkResult::Parent { child } => {
            drop(write_end);
            // Also set here, so the group exists before the parent may need to kill it.
            let _ = setpgid(child, child);
            let frames = collect_frames(read_end, child, limit);
            let reaped = kill_group_and_reap(child);
            let result = match frames {
                Collected::Value(bytes) => postcard::from_bytes(&bytes).map_err(|e| {
                    Failure::RunnerEnded(format!("sent a value that could not be decoded ({e})"))
                }),
                Collected::Failed(failure) => Err(failure),
                Collected::Nothing => Err(Failure::RunnerEnded(describe(reaped.leader))),
            };
            Outcome { result, left_behind: reaped.others }
        }
    }
}

/// Runs `code` in a contained runner with the [`DEFAULT_LIMIT`] and returns its value, panicking
/// with advice if it failed or left a child behind.
#[track_caller]
pub fn expect<T, F>(code: F) -> T
where
    T: Serialize + DeserializeOwned,
    F: FnOnce() -> T,
{
    run(DEFAULT_LIMIT, code).value_with_children_reaped()
}

/// Runs `check` in a contained runner with the [`DEFAULT_LIMIT`]; `check` records what it found wrong
/// in the list it is given, and the test fails with every line of it (or with the runner's failure).
#[track_caller]
pub fn check_in_runner(check: impl FnOnce(&mut Vec<String>)) {
    let violations = expect(|| {
        let mut violations = Vec::new();
        check(&mut violations);
        violations
    });
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// Calls learner code inside a sandbox; a child process that returns from it is reported and ended.
pub fn call<T>(code: impl FnOnce() -> T) -> T {
    let value = code();
    let runner = RUNNER.load(Ordering::Relaxed);
    if runner != 0 && getpid().as_raw() != runner {
        send_and_exit(CHILD_RETURNED, &[]);
    }
    value
}

fn runner<T: Serialize, F: FnOnce() -> T>(pipe: OwnedFd, code: F) -> ! {
    let _ = setpgid(Pid::from_raw(0), Pid::from_raw(0));
    enter_cap();
    RUNNER.store(getpid().as_raw(), Ordering::Relaxed);
    PIPE.store(into_raw(pipe), Ordering::Relaxed);
    panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => info.payload().downcast_ref::<String>().cloned().unwrap_or_default(),
        };
        let at = info.location().map(|l| format!(" (at {}:{})", l.file(), l.line()));
        let text = format!("{message}{}", at.unwrap_or_default());
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(text);
        }
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(code));
    let in_runner = getpid().as_raw() == RUNNER.load(Ordering::Relaxed);
    match (result, in_runner) {
        (Ok(value), true) => {
            let bytes = postcard::to_stdvec(&value).unwrap_or_default();
            send_and_exit(VALUE, &bytes)
        }
        (Ok(_), false) => send_and_exit(CHILD_RETURNED, &[]),
        (Err(_), true) => send_and_exit(PANICKED, last_panic().as_bytes()),
        (Err(_), false) => send_and_exit(CHILD_PANICKED, last_panic().as_bytes()),
    }
}

static PIPE: AtomicI32 = AtomicI32::new(-1);

fn into_raw(fd: OwnedFd) -> i32 {
    use std::os::fd::IntoRawFd;
    fd.into_raw_fd()
}

fn last_panic() -> String {
    LAST_PANIC.lock().ok().and_then(|mut m| m.take()).unwrap_or_else(|| "a panic".into())
}

/// Writes one frame to the sandbox's pipe and ends this process with `_exit`.
fn send_and_exit(kind: u8, payload: &[u8]) -> ! {
    let mut frame = Vec::with_capacity(HEADER + payload.len());
    frame.push(kind);
    frame.extend_from_slice(&getpid().as_raw().to_le_bytes());
    frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    frame.extend_from_slice(payload);
    let fd = PIPE.load(Ordering::Relaxed);
    if fd >= 0 {
        // SAFETY: `fd` is the write end of the sandbox pipe, opened before the runner was forked
        // and never closed in this process; ManuallyDrop keeps it open for other writers.
        let mut file = std::mem::ManuallyDrop::new(unsafe {
            <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(fd)
        });
        let _ = file.write_all(&frame);
    }
    // SAFETY: _exit ends the process without running destructors or atexit handlers, which belong
    // to the test process this one was copied from.
    unsafe { libc::_exit(0) }
}

enum Collected {
    Value(Vec<u8>),
    Failed(Failure),
    Nothing,
}

/// How long, after the runner's value, the sandbox waits for the pipe to close. Correct code has
/// reaped its children by then and the pipe closes at once; a child that returned into the caller
/// may still be on its way with its report.
const STRAGGLERS: Duration = Duration::from_millis(500);

/// Reads frames until the runner's own frame has arrived and the pipe has closed (or
/// [`STRAGGLERS`] has passed since), a child reports a mistake, or the limit passes.
fn collect_frames(read_end: OwnedFd, runner: Pid, limit: Duration) -> Collected {
    let mut deadline = Instant::now() + limit;
    let mut pipe = std::fs::File::from(read_end);
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut value = None;
    loop {
        while let Some((kind, pid, payload)) = take_frame(&mut buffer) {
            let text = String::from_utf8_lossy(&payload).into_owned();
            match kind {
                CHILD_PANICKED => return Collected::Failed(Failure::ChildPanicked(text)),
                PANICKED if pid == runner.as_raw() => return Collected::Failed(Failure::Panicked(text)),
                VALUE if pid == runner.as_raw() => {
                    value = Some(payload);
                    deadline = deadline.min(Instant::now() + STRAGGLERS);
                }
                _ => return Collected::Failed(Failure::ChildReturned),
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let millis = left.as_millis().min(i32::MAX as u128) as i32;
        let mut fds = [PollFd::new(pipe.as_fd(), PollFlags::POLLIN)];
        let ready = match poll(&mut fds, PollTimeout::try_from(millis).unwrap_or(PollTimeout::MAX)) {
            Ok(ready) => ready,
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => panic!("poll on the sandbox pipe failed: {e}"),
        };
        if ready == 0 {
            return match value {
                Some(value) => Collected::Value(value),
                None => Collected::Failed(Failure::TimedOut(limit)),
            };
        }
        match pipe.read(&mut chunk) {
            Ok(0) => {
                return match value {
                    Some(value) => Collected::Value(value),
                    None => Collected::Nothing,
                };
            }
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!("reading the sandbox pipe failed: {e}"),
        }
    }
}

/// Removes one whole frame from the front of `buffer`, if one is there.
fn take_frame(buffer: &mut Vec<u8>) -> Option<(u8, i32, Vec<u8>)> {
    if buffer.len() < HEADER {
        return None;
    }
    let pid = i32::from_le_bytes(buffer[1..5].try_into().ok()?);
    let len = u32::from_le_bytes(buffer[5..9].try_into().ok()?) as usize;
    if buffer.len() < HEADER + len {
        return None;
    }
    let kind = buffer[0];
    let payload = buffer[HEADER..HEADER + len].to_vec();
    buffer.drain(..HEADER + len);
    Some((kind, pid, payload))
}

fn describe(status: Option<WaitStatus>) -> String {
    match status {
        Some(WaitStatus::Exited(_, code)) => format!("exited with status {code}"),
        Some(WaitStatus::Signaled(_, signal, _)) => format!("was killed by {signal}"),
        _ => "ended".to_string(),
    }
}
