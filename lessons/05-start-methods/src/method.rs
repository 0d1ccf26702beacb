//! The three start methods, and running a task in a new process started by any of them.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::StartError;
use crate::forkserver::Forkserver;
use crate::registry::Registry;
use crate::{child, spawn};

// ANCHOR: start_method
/// How a new process comes to be, as in `multiprocessing.set_start_method`.
#[derive(Debug, Clone, Copy)]
pub enum StartMethod<'a> {
    /// Copy this process with `fork()`: fast, and the child has all of the parent's memory — including
    /// locks other threads held at that instant.
    Fork,
    /// Start this program afresh (`current_exe()`), which runs only the requested task: slow, clean.
    Spawn,
    /// Ask a small single-threaded server, started early, to fork a worker: clean, and fast once running.
    Forkserver(&'a Forkserver),
}
// ANCHOR_END: start_method

impl StartMethod<'_> {
    /// The method's name, as Python spells it.
    pub fn name(&self) -> &'static str {
        match self {
            StartMethod::Fork => "fork",
            StartMethod::Spawn => "spawn",
            StartMethod::Forkserver(_) => "forkserver",
        }
    }
}

// ANCHOR: run
/// Runs the task `name` of `registry` on `args` in a new process started by `method`, waits for it,
/// and returns its result.
pub fn run<A: Serialize, R: DeserializeOwned>(
    method: &StartMethod,
    registry: &Registry,
    name: &str,
    args: &A,
) -> Result<R, StartError> {
    let args = postcard::to_stdvec(args)?;
    let result = match method {
        StartMethod::Fork => child::run_in_forked_child(registry, name, &args)?,
        StartMethod::Spawn => spawn::run_spawned(name, &args)?,
        StartMethod::Forkserver(server) => server.run(name, &args)?,
    };
    Ok(postcard::from_bytes(&result)?)
}
// ANCHOR_END: run
