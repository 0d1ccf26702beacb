//! A task as it crosses to a worker: the name of a function in the program's registry (chapter 5),
//! and its arguments, encoded.
//!
//! A worker may be a fork of the pool's process, a fresh start of the program (spawn) or a copy of a
//! fork server, so the task cannot carry a function's address: in a spawned worker that address
//! means nothing. It carries the name under which `task!` registered the function, which every
//! copy of the program finds in the same table, compiled into it. The pool finds that name from the
//! function itself, by the function's own type (chapter 5's `Registry::task_of`); a worker that does
//! not know a name fails the task with a clear error, and never calls anything else.

use lesson_05_start_methods::registry::{Registry, current, with_room_for};
use serde::{Deserialize, Serialize};

use crate::error::PoolError;

// ANCHOR: task
/// One task for a worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Task {
    /// The registered name of the function.
    pub name: String,
    /// The arguments, encoded with postcard: one argument tuple, or a list of them for a chunk.
    /// They travel as one block of bytes (`serde_bytes`), not as a list of numbers.
    #[serde(with = "serde_bytes")]
    pub args: Vec<u8>,
    /// Whether `args` is a chunk: a list of argument tuples, each called in turn.
    pub chunk: bool,
}
// ANCHOR_END: task

/// The registry this program passed to `init`.
fn registry() -> Result<&'static Registry, PoolError> {
    current().ok_or(PoolError::NoRegistry)
}

impl Task {
    /// A task that calls `function` on `args` (a one-argument function's argument).
    pub fn call<F: 'static, A: Serialize>(function: &F, args: &A) -> Result<Task, PoolError> {
        let name = registry()?.task_of(function)?.name;
        Ok(Task { name: name.into(), args: postcard::to_stdvec(args)?, chunk: false })
    }

    /// A task that calls `function` on each of `items`, in order: one chunk of a `map`, or of a
    /// `starmap` when the items are tuples of arguments.
    pub fn chunk<F: 'static, A: Serialize>(function: &F, items: &[A]) -> Result<Task, PoolError> {
        let name = registry()?.task_of(function)?.name;
        Ok(Task { name: name.into(), args: postcard::to_extend(items, with_room_for(items))?, chunk: true })
    }

    // ANCHOR: run
    /// Runs the task, in a worker: finds its function by name in this program's registry.
    pub fn run(&self) -> Result<Vec<u8>, PoolError> {
        let task = registry()?.find(&self.name)?;
        let call = if self.chunk { task.call_each } else { task.call };
        Ok(call(&self.args)?)
    }
    // ANCHOR_END: run
}
