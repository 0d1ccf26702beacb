//! Waiting for a child with a time limit, without busy-waiting: a pidfd.
//!
//! [pidfd_open(2)](https://man7.org/linux/man-pages/man2/pidfd_open.2.html) (Linux 5.3) gives a file
//! descriptor that refers to one process and becomes readable when it ends. `poll` on it with a
//! timeout sleeps in the kernel until the child ends or the time is up. The alternative, a SIGCHLD
//! handler writing to a self-pipe, needs a process-wide signal handler that every `Process` would
//! share; a pidfd belongs to one child and nothing else.

use std::os::fd::{AsFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::unistd::Pid;

/// Opens a pidfd for `pid` (close-on-exec).
pub fn open(pid: Pid) -> Result<OwnedFd, Errno> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1; no memory is shared.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid.as_raw(), 0) };
    if fd < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel just returned this descriptor to us, and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

// ANCHOR: wait_until_ended
/// Waits until the process behind `pidfd` has ended or `limit` has passed; returns whether it ended.
/// A zero limit never blocks.
pub fn wait_until_ended(pidfd: &OwnedFd, limit: Duration) -> Result<bool, Errno> {
    // No deadline if it is too far to name (`Duration::MAX`): wait for as long as it takes.
    let deadline = Instant::now().checked_add(limit);
    loop {
        let left = deadline.map_or(Duration::MAX, |at| at.saturating_duration_since(Instant::now()));
        let millis = i32::try_from(left.as_millis()).unwrap_or(i32::MAX);
        let mut fds = [PollFd::new(pidfd.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::try_from(millis).unwrap_or(PollTimeout::MAX)) {
            Ok(0) if left.is_zero() => return Ok(false),
            Ok(0) => continue,
            Ok(_) => return Ok(true),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: wait_until_ended
