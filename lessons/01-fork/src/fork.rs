//! `fork`: one call, two returns.

use std::panic::{self, AssertUnwindSafe};

use nix::errno::Errno;
use nix::unistd::Pid;

use crate::exit::exit_now;
use crate::threads::thread_count;

/// What `fork` returned in *this* process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fork {
    /// We are the original process; `child` is the pid of the new copy.
    Parent {
        /// The new process's pid.
        child: Pid,
    },
    /// We are the new copy.
    Child,
}

impl Fork {
    /// The number the C call returned: the child's pid in the parent, 0 in the child.
    pub fn returned(self) -> i32 {
        match self {
            Fork::Parent { child } => child.as_raw(),
            Fork::Child => 0,
        }
    }
}

/// Why [`fork()`] did not fork.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForkError {
    /// The process has other threads: a lock one of them holds would stay locked forever in the child.
    Threaded {
        /// How many threads the process had.
        threads: usize,
    },
    /// The system call failed (`EAGAIN`: too many processes; `ENOMEM`: out of memory).
    Sys(Errno),
}

impl std::fmt::Display for ForkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ForkError::Threaded { threads } => write!(
                f,
                "refusing to fork a process with {threads} threads: the child could inherit a lock \
                 that no thread will ever release"
            ),
            ForkError::Sys(errno) => write!(f, "fork failed: {errno}"),
        }
    }
}

impl std::error::Error for ForkError {}

// ANCHOR: fork
/// Copies this process, as [fork(2)](https://man7.org/linux/man-pages/man2/fork.2.html) does.
///
/// Returns twice: [`Fork::Parent`] in the original process, [`Fork::Child`] in the copy.
/// Refuses with [`ForkError::Threaded`] when the process has more than one thread, which is what
/// makes this wrapper safe where `nix::unistd::fork` is `unsafe`.
pub fn fork() -> Result<Fork, ForkError> {
    let threads = thread_count();
    if threads > 1 {
        return Err(ForkError::Threaded { threads });
    }
    // SAFETY: this process has a single thread (checked just above, and no other thread can
    // start one meanwhile), so no lock can be held by another thread at the instant of the fork.
    match unsafe { nix::unistd::fork() } {
        Ok(nix::unistd::ForkResult::Parent { child }) => Ok(Fork::Parent { child }),
        Ok(nix::unistd::ForkResult::Child) => Ok(Fork::Child),
        Err(errno) => Err(ForkError::Sys(errno)),
    }
}
// ANCHOR_END: fork

// ANCHOR: fork_and_run
/// Forks a child that runs `body` and ends with `_exit(code)`, where `code` is what `body`
/// returned, or 1 if it panicked (as an uncaught exception gives exit status 1 in Python).
///
/// The child never returns into the caller. Returns the child's pid, in the parent only.
pub fn fork_and_run(body: impl FnOnce() -> i32) -> Result<Pid, ForkError> {
    match fork()? {
        Fork::Parent { child } => Ok(child),
        Fork::Child => {
            let code = panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or(1);
            exit_now(code)
        }
    }
}
// ANCHOR_END: fork_and_run
