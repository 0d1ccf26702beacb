//! Jobs: the pool's bookkeeping words for each task submitted.

use crate::error::PoolError;

/// The number the pool gives each task it accepts, in order of submission.
pub type JobId = u64;

/// What a job ends with: the encoded result, or why there is none.
pub type Outcome = Result<Vec<u8>, PoolError>;

/// Code the parent runs when a job ends (the typed callback and error callback, wrapped).
pub type Callback = Box<dyn FnOnce(&Outcome)>;

/// Something that happened to a job, recorded when the pool is made with `record_events`, for the
/// chapter's timeline picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// The job.
    pub job: JobId,
    /// The worker's pid.
    pub worker: i32,
    /// Whether the worker took the job (true) or finished it (false).
    pub started: bool,
}
