//! A pipe: a one-way channel of bytes between processes, and what the kernel can tell about one.
//!
//! `std::io::pipe()` makes one ([pipe(2)](https://man7.org/linux/man-pages/man2/pipe.2.html)): a read
//! end and a write end, both close-on-exec. What is written to the write end comes out of the read end,
//! in order. A read blocks while the pipe is empty and returns 0 bytes, end-of-file, only once every
//! copy of the write end, in every process, is closed. A write blocks while the pipe is full.

use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::{FcntlArg, fcntl};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

// ANCHOR: pipe_buf
/// The most bytes one `write` puts into a pipe in one piece. POSIX promises that a write of at most
/// `PIPE_BUF` bytes is never interleaved with another writer's bytes; a longer one may be split, and
/// other writers' bytes may land between its parts. 4096 on Linux.
pub const PIPE_BUF: usize = libc::PIPE_BUF;
// ANCHOR_END: pipe_buf

/// How many bytes the pipe holds before a write blocks: 64 KiB for a new pipe on Linux
/// (`F_GETPIPE_SZ`, see [fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)).
pub fn capacity(end: impl AsFd) -> io::Result<usize> {
    let bytes = fcntl(end, FcntlArg::F_GETPIPE_SZ)?;
    Ok(bytes as usize)
}

/// Sets how many bytes the pipe holds (`F_SETPIPE_SZ`); the kernel rounds it up to a power of two
/// pages. Returns the capacity now in force.
pub fn set_capacity(end: impl AsFd, bytes: usize) -> io::Result<usize> {
    let wanted = i32::try_from(bytes).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let bytes = fcntl(end, FcntlArg::F_SETPIPE_SZ(wanted))?;
    Ok(bytes as usize)
}

/// How many bytes are in the pipe, written and not yet read (`FIONREAD`, see
/// [pipe(7)](https://man7.org/linux/man-pages/man7/pipe.7.html)).
pub fn bytes_waiting(read_end: impl AsFd) -> io::Result<usize> {
    let mut count: libc::c_int = 0;
    // SAFETY: FIONREAD stores one c_int through the pointer, which points to `count`, alive for the call.
    let rc = unsafe { libc::ioctl(read_end.as_fd().as_raw_fd(), libc::FIONREAD, &mut count) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(count as usize)
}

/// Waits until at least `count` bytes are in the pipe, or `limit` has passed; returns whether they
/// are. There is no call that sleeps until a pipe is full, so this one checks and yields the CPU in
/// a loop: use it only where a process is known to be writing that much.
pub fn wait_for_bytes(read_end: impl AsFd, count: usize, limit: Duration) -> io::Result<bool> {
    let deadline = Instant::now() + limit;
    loop {
        if bytes_waiting(read_end.as_fd())? >= count {
            return Ok(true);
        }
        if Instant::now() >= deadline {
            return Ok(false);
        }
        std::thread::yield_now();
    }
}

// ANCHOR: readable_within
/// Waits at most `limit` for the read end to become readable, and returns whether it did. Readable
/// means a read will not block: there are bytes to read, or every write end is closed and the read
/// will return end-of-file. The process sleeps meanwhile, in
/// [poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html). A zero limit only looks.
pub fn readable_within(read_end: impl AsFd, limit: Duration) -> io::Result<bool> {
    let deadline = Instant::now().checked_add(limit);
    loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let timeout = match left {
            // Rounded up to whole milliseconds, so that poll does not wake before the deadline.
            Some(left) => {
                PollTimeout::try_from(left.as_nanos().div_ceil(1_000_000)).unwrap_or(PollTimeout::MAX)
            }
            None => PollTimeout::NONE,
        };
        let mut fds = [PollFd::new(read_end.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, timeout) {
            // POLLIN for data, POLLHUP for end-of-file: either way a read returns at once.
            Ok(ready) if ready > 0 => return Ok(true),
            Ok(_) if left.is_some_and(|left| left.is_zero()) => return Ok(false),
            // A signal interrupted the wait, or poll woke a moment early: wait for what is left.
            Ok(_) | Err(Errno::EINTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}
// ANCHOR_END: readable_within

/// Reads into `buffer` what arrives within `limit`: `Some(n)` for a read of `n` bytes (0 meaning
/// end-of-file), `None` if nothing arrived in time.
pub fn read_within(
    mut read_end: impl Read + AsFd,
    buffer: &mut [u8],
    limit: Duration,
) -> io::Result<Option<usize>> {
    if !readable_within(read_end.as_fd(), limit)? {
        return Ok(None);
    }
    loop {
        match read_end.read(buffer) {
            Ok(n) => return Ok(Some(n)),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
