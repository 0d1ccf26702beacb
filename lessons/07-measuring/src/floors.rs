//! The floors: what the machine charges for the two things every process-based call is made of, a
//! fork and a round trip on a pipe, with nothing of ours around them.
//!
//! They call the system directly (nix, and libc for `_exit`): no thread check, no encoding, no
//! bookkeeping. A figure of ours divided by its floor says how much our layers add to the kernel's
//! own price. Both floors fork, so they are only called while this process has a single thread, and
//! both reap their child; the child ends with `_exit`.

use std::fs::File;
use std::io::{Read, Write};
use std::time::Instant;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, pipe};

use crate::pin::{Placement, Restore, pin_to};

/// An error of the floors, or of any figure: a failed system call, mostly.
pub type Error = Box<dyn std::error::Error>;

/// Refuses to go on if another thread exists: a fork would copy the locks it holds.
pub fn check_single_threaded() -> Result<(), Error> {
    let threads = lesson_01_fork::thread_count();
    if threads != 1 {
        return Err(format!("this process has {threads} threads; the floors fork only with one").into());
    }
    Ok(())
}

// ANCHOR: fork_floor
/// One raw fork, `_exit(0)` in the child, and `waitpid` in the parent: the time, in seconds.
pub fn fork_exit_wait() -> Result<f64, Error> {
    check_single_threaded()?;
    let began = Instant::now();
    // SAFETY: this process has a single thread (checked above), so the child holds no lock another
    // thread took; the child calls only `_exit`, which is async-signal-safe.
    match unsafe { fork() }? {
        ForkResult::Child => {
            // SAFETY: `_exit` ends the child at once, running nothing of the parent's.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            waitpid(child, None)?;
        }
    }
    Ok(began.elapsed().as_secs_f64())
}
// ANCHOR_END: fork_floor

// ANCHOR: pipe_floor
/// `count` round trips of one byte on a pair of pipes between this process, pinned to CPU 0, and a
/// forked child, pinned as `placement` says: the time of each, in seconds.
pub fn pipe_round_trips(placement: Placement, count: usize) -> Result<Vec<f64>, Error> {
    let (from_parent, to_child) = pipe()?;
    let (from_child, to_parent) = pipe()?;
    let near = Duplex { input: File::from(from_child), output: File::from(to_child) };
    let far = Duplex { input: File::from(from_parent), output: File::from(to_parent) };
    round_trips(placement, count, near, far)
}
// ANCHOR_END: pipe_floor

// ANCHOR: round_trips
/// `count` round trips of one byte between this process, pinned to CPU 0, talking on `near`, and a
/// forked child, pinned as `placement` says, that sends back on `far` every byte it reads there: the
/// time of each, in seconds. A few untimed trips come first. Any two-way byte stream will do: a pair
/// of pipes here, a TCP connection in chapter 10.
pub fn round_trips<S: Read + Write>(
    placement: Placement,
    count: usize,
    near: S,
    far: S,
) -> Result<Vec<f64>, Error> {
    check_single_threaded()?;
    let _restore = Restore::save()?;
    pin_to(0)?;
    // SAFETY: single-threaded (checked above); the child makes only system calls that are
    // async-signal-safe (sched_setaffinity, read, write) and ends with `_exit`.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(near);
            let code = match echo(placement, far) {
                Ok(()) => 0,
                Err(_) => 1,
            };
            // SAFETY: `_exit` ends the child at once, running nothing of the parent's.
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => {
            drop(far);
            let mut near = near;
            let times = time_trips(&mut near, count);
            // End of file tells the child to end; reap it whatever happened.
            drop(near);
            let status = waitpid(child, None);
            let times = times?;
            status?;
            Ok(times)
        }
    }
}

/// The child's side: pin, then send back every byte that comes, until end of file.
fn echo(placement: Placement, mut stream: impl Read + Write) -> std::io::Result<()> {
    pin_to(placement.child_cpu())?;
    let mut byte = [0u8; 1];
    while stream.read(&mut byte)? == 1 {
        stream.write_all(&byte)?;
    }
    Ok(())
}

/// The parent's side: a byte there and back, timed one trip at a time.
fn time_trips(stream: &mut (impl Read + Write), count: usize) -> Result<Vec<f64>, Error> {
    let mut byte = [7u8; 1];
    let mut trip = || -> Result<(), Error> {
        stream.write_all(&byte)?;
        stream.read_exact(&mut byte).map_err(|_| "the echoing child ended early")?;
        Ok(())
    };
    for _ in 0..WARM_UP {
        trip()?;
    }
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        let began = Instant::now();
        trip()?;
        times.push(began.elapsed().as_secs_f64());
    }
    Ok(times)
}
// ANCHOR_END: round_trips

/// One end of two pipes, as one two-way stream: read from one, write to the other.
struct Duplex {
    input: File,
    output: File,
}

impl Read for Duplex {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.input.read(buf)
    }
}

impl Write for Duplex {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.output.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.output.flush()
    }
}

/// Untimed round trips before the timed ones: the first trips fault in pages and caches.
const WARM_UP: usize = 50;
