//! The tasks a new process can run, found by name.
//!
//! A forked child shares its parent's code at the same addresses, so a function pointer is enough to
//! tell it what to run. A spawned child is a fresh start of the program: addresses may differ
//! (address-space layout randomisation), and nothing of the parent's memory is there. It needs a
//! name it can look up, which is what Python's pickle sends for a function: its module and name.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::StartError;

/// A function a child can run: its name, and a wrapper that decodes its arguments and encodes its
/// result with postcard.
#[derive(Clone, Copy)]
pub struct Task {
    /// The name a child looks the task up by.
    pub name: &'static str,
    /// Decodes the arguments, calls the function, encodes the result.
    pub call: fn(&[u8]) -> Result<Vec<u8>, StartError>,
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Task({})", self.name)
    }
}

/// Decodes `args`, calls `function`, encodes its result. What [`task!`](crate::task) wraps each
/// function in.
pub fn call_with<A: DeserializeOwned, R: Serialize>(
    function: fn(A) -> R,
    args: &[u8],
) -> Result<Vec<u8>, StartError> {
    let args: A = postcard::from_bytes(args)?;
    Ok(postcard::to_stdvec(&function(args))?)
}

// ANCHOR: task_macro
/// A [`Task`] for a function `fn(A) -> R` whose `A` and `R` are serde types, named after it:
/// `task!(square)`.
#[macro_export]
macro_rules! task {
    ($function:path) => {
        $crate::registry::Task {
            name: stringify!($function),
            call: |args| $crate::registry::call_with($function, args),
        }
    };
}
// ANCHOR_END: task_macro

/// The tasks this program can run in a child, by name.
#[derive(Debug, Clone, Copy)]
pub struct Registry {
    /// The tasks.
    pub tasks: &'static [Task],
}

impl Registry {
    /// The task called `name`.
    pub fn find(&self, name: &str) -> Result<Task, StartError> {
        self.tasks
            .iter()
            .copied()
            .find(|task| task.name == name)
            .ok_or_else(|| StartError::UnknownTask(name.into()))
    }
}
