//! Misusing a `Process`: each mistake is a value, with the words CPython uses for it.

use lesson_01_fork::ForkError;
use nix::errno::Errno;

// ANCHOR: errors
/// What went wrong with a [`Process`](crate::Process) call. The messages are CPython's where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessError {
    /// `start()` on a process that was already started.
    StartedTwice,
    /// `join()` or `join_timeout()` before `start()`.
    JoinBeforeStart,
    /// `terminate()` or `kill()` before `start()` (CPython fails here with an AttributeError).
    SignalBeforeStart,
    /// A call that needs the child's parent, made by another process (a copy of the handle inherited
    /// by a fork): which call, as CPython's message names it.
    NotOurChild(Call),
    /// `close()` while the child is still running.
    CloseWhileRunning,
    /// Any call after `close()`.
    Closed,
    /// `set_daemon()` after `start()`.
    AlreadyStarted,
    /// `start()` inside a daemon process.
    DaemonWithChildren,
    /// `fork` refused or failed.
    Fork(ForkError),
    /// A system call failed.
    Sys(Errno),
}

/// What a call that only the child's parent may make does with the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `join()`, `join_timeout()`: CPython says "can only join a child process".
    Join,
    /// `is_alive()`, `exitcode()`, `close()`: CPython's `is_alive` says "can only test a child process".
    Test,
    /// `terminate()`, `kill()`: CPython sends the signal anyway; ours refuses, in the same words.
    Signal,
}

impl std::fmt::Display for ProcessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ProcessError::StartedTwice => "cannot start a process twice",
            ProcessError::JoinBeforeStart => "can only join a started process",
            ProcessError::SignalBeforeStart => "can only signal a started process",
            ProcessError::NotOurChild(Call::Join) => "can only join a child process",
            ProcessError::NotOurChild(Call::Test) => "can only test a child process",
            ProcessError::NotOurChild(Call::Signal) => "can only signal a child process",
            ProcessError::CloseWhileRunning => {
                "Cannot close a process while it is still running. You should first call join() or terminate()."
            }
            ProcessError::Closed => "process object is closed",
            ProcessError::AlreadyStarted => "process has already started",
            ProcessError::DaemonWithChildren => "daemonic processes are not allowed to have children",
            ProcessError::Fork(e) => return write!(f, "{e}"),
            ProcessError::Sys(e) => return write!(f, "{e}"),
        })
    }
}
// ANCHOR_END: errors

impl std::error::Error for ProcessError {}

impl From<ForkError> for ProcessError {
    fn from(e: ForkError) -> Self {
        ProcessError::Fork(e)
    }
}

impl From<Errno> for ProcessError {
    fn from(e: Errno) -> Self {
        ProcessError::Sys(e)
    }
}
