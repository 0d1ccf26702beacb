//! A worker's life, in the worker: take a packet from the shared queue, report it, run it, report
//! how it ended; again, until a stop, or `maxtasksperchild` tasks.

use std::cell::RefCell;
use std::fs::File;
use std::io;
use std::os::fd::OwnedFd;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;

use lesson_04_pipes::{PacketQueue, RecordLock, encode_as_frame, panic_message, write_all};
use lesson_05_start_methods::registry::Entry;
use serde::{Deserialize, Serialize};

use crate::error::PoolError;
use crate::job::Outcome;
use crate::protocol::{Order, Packet, Report, SEQ_BYTES, seq_of};
use crate::wake_one::QueueWaiter;

/// Code run once in each new forked worker before its first task: Python's `initializer` with its
/// `initargs` (a forked worker has a copy of the closure, captures and all).
pub type Initializer = Rc<dyn Fn()>;

/// What a spawned or served worker is told when it starts: the message of chapter 5's `start_child`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Setup {
    /// End after this many tasks; `None` for never.
    pub maxtasks: Option<usize>,
}

/// The entry a spawned or served worker runs (chapter 5's long-lived children). A program whose pools
/// use the spawn or forkserver start method lists it in its registry's `entries`.
pub const WORKER: Entry = Entry { name: "lesson_06_pool::worker", main: worker_main };

/// The entry's main: the descriptors are the queue's two sockets, the lock's file, and the write
/// ends of this worker's took pipe and report pipe, in that order.
fn worker_main(fds: Vec<OwnedFd>, message: &[u8]) -> i32 {
    let Ok([sending, receiving, lock, took, reports]) = <[OwnedFd; 5]>::try_from(fds) else { return 2 };
    let Ok(setup) = postcard::from_bytes::<Setup>(message) else { return 2 };
    let queue = PacketQueue::from_fds(sending, receiving);
    let pipes = Pipes { took: File::from(took), reports: File::from(reports) };
    work(&queue, &RecordLock::from_fd(lock), &pipes, setup.maxtasks, None)
}

/// A worker's two pipes to the pool.
#[derive(Debug)]
pub struct Pipes {
    /// The number of each packet taken.
    pub took: File,
    /// How each task ended.
    pub reports: File,
}

thread_local! {
    /// Where the last panic in this worker happened, recorded by the panic hook.
    static LOCATION: RefCell<String> = const { RefCell::new(String::new()) };
}

// ANCHOR: work
/// The worker's loop. Returns the exit code; the caller ends the process with it.
pub fn work(
    queue: &PacketQueue,
    lock: &RecordLock,
    pipes: &Pipes,
    maxtasks: Option<usize>,
    initializer: Option<&Initializer>,
) -> i32 {
    die_with_parent();
    // A panic's message and place travel back as the task's error; the worker prints nothing.
    panic::set_hook(Box::new(|info| {
        let at = info.location().map(ToString::to_string).unwrap_or_default();
        LOCATION.with(|location| *location.borrow_mut() = at);
    }));
    if let Some(initializer) = initializer
        && let Err(error) = guarded(|| {
            initializer();
            Ok(Vec::new())
        })
    {
        let _ = report(&pipes.reports, &Report::InitializerFailed { error });
        return 1;
    }
    let Ok(waiter) = QueueWaiter::new(queue) else { return 1 };
    let mut done = 0;
    while maxtasks != Some(done) {
        let Ok(packet) = take(queue, &waiter, lock, &pipes.took) else { return 1 };
        let outcome: Outcome = match packet {
            Ok(Packet { order: Order::Stop, .. }) => return 0,
            Ok(Packet { order: Order::Run { task, .. }, .. }) => guarded(|| task.run()),
            Err(error) => Err(error),
        };
        if report(&pipes.reports, &Report::Done { outcome }).is_err() {
            return 1;
        }
        done += 1;
    }
    0
}
// ANCHOR_END: work

// ANCHOR: take
/// Takes the next packet from the queue and writes its number on the took pipe, both under the
/// queue's lock. The lock is a record lock: if this worker dies holding it, the kernel releases it.
fn take(
    queue: &PacketQueue,
    waiter: &QueueWaiter,
    lock: &RecordLock,
    took: &File,
) -> io::Result<Result<Packet, PoolError>> {
    loop {
        let held = lock.acquire()?;
        let Some(bytes) = queue.try_recv()? else {
            drop(held);
            // Sleep until a packet may be there: the kernel wakes one sleeping worker for each packet.
            waiter.wait()?;
            continue;
        };
        let seq = seq_of(&bytes[..bytes.len().min(SEQ_BYTES)]).unwrap_or(u64::MAX);
        write_all(took, &seq.to_le_bytes())?;
        return Ok(postcard::from_bytes::<Packet>(&bytes).map_err(PoolError::from));
    }
}
// ANCHOR_END: take

/// Runs `body`, turning a panic into [`PoolError::Panicked`] with its message and place.
fn guarded(body: impl FnOnce() -> Outcome) -> Outcome {
    panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        Err(PoolError::Panicked {
            message: panic_message(&*payload),
            location: LOCATION.with(|location| location.borrow().clone()),
        })
    })
}

/// Sends one report to the pool, as one frame on this worker's report pipe.
fn report(reports: &File, report: &Report) -> io::Result<()> {
    let frame = encode_as_frame(report).map_err(io::Error::other)?;
    write_all(reports, &frame)
}

/// Asks the kernel to kill this worker if its parent dies first: nothing else would ever tell it to
/// stop, since it holds a copy of the queue's sending end itself.
fn die_with_parent() {
    // SAFETY: PR_SET_PDEATHSIG takes a signal number and changes only this process's settings.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
}
