//! Waiting for a child: just enough for chapter 1. Chapter 2 decodes every kind of status.

use nix::errno::Errno;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

/// Waits until `child` ends, reaps it, and returns its exit code; a child killed by a signal gives
/// the negated signal number, as Python's `exitcode` does (-9 for SIGKILL).
///
/// See [waitpid(2)](https://man7.org/linux/man-pages/man2/waitpid.2.html).
pub fn wait_for(child: Pid) -> Result<i32, Errno> {
    loop {
        match waitpid(child, None)? {
            WaitStatus::Exited(_, code) => return Ok(code),
            WaitStatus::Signaled(_, signal, _) => return Ok(-(signal as i32)),
            // Stopped or continued: the child has not ended yet.
            _ => continue,
        }
    }
}
