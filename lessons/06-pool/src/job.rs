//! Jobs: the pool's bookkeeping for each task submitted.

use crate::error::PoolError;

/// The number the pool gives each task it accepts, in order of submission.
pub type JobId = u64;

/// What a job ends with: the encoded result, or why there is none.
pub type Outcome = Result<Vec<u8>, PoolError>;

/// Code the parent runs when a job ends (the typed callback and error callback, wrapped).
pub type Callback = Box<dyn FnOnce(&Outcome)>;

/// Something that happened to a job, recorded for tests and for the chapter's timeline picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// The job.
    pub job: JobId,
    /// The worker's pid.
    pub worker: i32,
    /// Whether the job was handed to the worker (true) or ended there (false).
    pub started: bool,
    /// When, since the pool was created.
    pub at: std::time::Duration,
}
