//! What can go wrong with a pool or one of its tasks. The messages are CPython's where it has one.

use serde::{Deserialize, Serialize};

// ANCHOR: errors
/// A misuse of the pool, or the failure of one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PoolError {
    /// `Pool::new` with 0 processes.
    NoProcesses,
    /// `maxtasksperchild` of 0.
    NoTasksPerChild,
    /// A submission after `close` or `terminate`.
    NotRunning,
    /// `join` before `close` or `terminate`.
    StillRunning,
    /// `get_timeout` ran out of time (CPython's `multiprocessing.TimeoutError`).
    Timeout,
    /// `successful` before the result was ready.
    NotReady,
    /// The task panicked in its worker; its message.
    Panicked(String),
    /// The worker running the task died before it finished: how it ended.
    WorkerDied(String),
    /// The arguments or the result could not be encoded or decoded.
    Encoding(String),
    /// The pool was terminated before the task finished.
    Terminated,
    /// Starting or talking to a worker failed.
    Os(String),
}

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PoolError::NoProcesses => write!(f, "Number of processes must be at least 1"),
            PoolError::NoTasksPerChild => write!(f, "maxtasksperchild must be a positive int or None"),
            PoolError::NotRunning => write!(f, "Pool not running"),
            PoolError::StillRunning => write!(f, "Pool is still running"),
            PoolError::Timeout => write!(f, "timed out waiting for the result"),
            PoolError::NotReady => write!(f, "the result is not ready"),
            PoolError::Panicked(message) => write!(f, "the task panicked: {message}"),
            PoolError::WorkerDied(how) => write!(f, "the worker running the task died ({how})"),
            PoolError::Encoding(why) => write!(f, "cannot encode or decode the task's data: {why}"),
            PoolError::Terminated => write!(f, "the pool was terminated before the task finished"),
            PoolError::Os(why) => write!(f, "{why}"),
        }
    }
}
// ANCHOR_END: errors

impl std::error::Error for PoolError {}

impl From<postcard::Error> for PoolError {
    fn from(e: postcard::Error) -> Self {
        PoolError::Encoding(e.to_string())
    }
}
