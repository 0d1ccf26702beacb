//! What can go wrong with a pool or one of its tasks. Every message lives here; where CPython has one,
//! it is CPython's, word for word.

use lesson_05_start_methods::StartError;
use nix::errno::Errno;
use serde::{Deserialize, Serialize};

// ANCHOR: errors
/// A misuse of the pool, or the failure of one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PoolError {
    /// `Pool::new` with 0 processes.
    NoProcesses,
    /// `maxtasksperchild` of 0.
    NoTasksPerChild,
    /// A chunk size of 0 for `map`, `imap` and their relatives.
    ChunkSize(usize),
    /// A call after `close` or `terminate`.
    NotRunning,
    /// `join` before `close` or `terminate`.
    StillRunning,
    /// `get_timeout` ran out of time (CPython's `multiprocessing.TimeoutError`).
    Timeout,
    /// `successful` before the result was ready.
    NotReady,
    /// The task panicked in its worker: its message, and where (file:line:column), as CPython keeps
    /// the remote traceback.
    Panicked {
        /// The panic's message.
        message: String,
        /// Where the panic happened.
        location: String,
    },
    /// The worker running the task died before it finished: how it ended.
    WorkerDied(String),
    /// The arguments or the result could not be encoded or decoded.
    Encoding(String),
    /// The pool was terminated before the task finished.
    Terminated,
    /// A wait stopped because the pool's interrupt descriptor became readable (chapter 8 makes it a
    /// signalfd, so that Ctrl-C reaches the caller as this error). The task may still be running.
    Interrupted,
    /// A forked worker could not start: the pool's process has this many threads (chapter 1).
    Threaded(usize),
    /// An initializer closure was given with the spawn or forkserver start method, whose workers
    /// are not copies of this process.
    InitializerCannotCross(String),
    /// No worker could be started, so the task could not run: why.
    NoWorkers(Box<PoolError>),
    /// The program has not called `init` (chapter 5), so no function can be found by name.
    NoRegistry,
    /// Finding the task's function, or starting a worker, failed (chapter 5's error).
    Start(StartError),
    /// A system call failed.
    Os {
        /// What the pool was doing.
        doing: String,
        /// The error number.
        errno: i32,
    },
}

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PoolError::NoProcesses => write!(f, "Number of processes must be at least 1"),
            PoolError::NoTasksPerChild => write!(f, "maxtasksperchild must be a positive int or None"),
            PoolError::ChunkSize(size) => write!(f, "Chunksize must be 1+, not {size}"),
            PoolError::NotRunning => write!(f, "Pool not running"),
            PoolError::StillRunning => write!(f, "Pool is still running"),
            PoolError::Timeout => write!(f, "timed out waiting for the result"),
            PoolError::NotReady => write!(f, "the result is not ready"),
            PoolError::Panicked { message, location } => {
                write!(f, "the task panicked at {location}: {message}")
            }
            PoolError::WorkerDied(how) => write!(f, "the worker running the task died ({how})"),
            PoolError::Encoding(why) => write!(f, "cannot encode or decode the task's data: {why}"),
            PoolError::Terminated => write!(f, "the pool was terminated before the task finished"),
            PoolError::Interrupted => write!(f, "interrupted while waiting for the pool"),
            PoolError::Threaded(threads) => write!(
                f,
                "refusing to fork a worker from a process with {threads} threads: use the forkserver start method"
            ),
            PoolError::InitializerCannotCross(method) => {
                write!(f, "an initializer closure cannot cross to a worker started by {method}")
            }
            PoolError::NoWorkers(why) => write!(f, "no worker could be started: {why}"),
            PoolError::NoRegistry => {
                write!(f, "this program has no registry of tasks: call init(&REGISTRY) first in main")
            }
            PoolError::Start(error) => write!(f, "{error}"),
            PoolError::Os { doing, errno } => write!(f, "{doing}: {}", Errno::from_raw(*errno).desc()),
        }
    }
}
// ANCHOR_END: errors

impl std::error::Error for PoolError {}

impl PoolError {
    /// The error of a system call that failed while the pool was `doing` something.
    pub fn os(doing: &str, error: impl Into<std::io::Error>) -> PoolError {
        let error = error.into();
        PoolError::Os { doing: doing.into(), errno: error.raw_os_error().unwrap_or(libc::EIO) }
    }
}

impl From<postcard::Error> for PoolError {
    fn from(e: postcard::Error) -> Self {
        PoolError::Encoding(e.to_string())
    }
}

impl From<StartError> for PoolError {
    fn from(e: StartError) -> Self {
        match e {
            StartError::Encoding(why) => PoolError::Encoding(why),
            other => PoolError::Start(other),
        }
    }
}
