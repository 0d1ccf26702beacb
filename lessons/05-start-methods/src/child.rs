//! What a new process does with a task, whichever way it was started.

use std::fs::File;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};

use lesson_01_fork::{Fork, exit_now, fork};
use lesson_02_wait::wait_for;
use nix::fcntl::OFlag;

use crate::channel;
use crate::error::StartError;
use crate::registry::{Registry, Task};

/// Runs `task` on `args` and sends the outcome as one frame to `out`: the encoded result, or the
/// error (a panic's message, a decoding failure). Returns the exit code the process should end with.
/// Call it only in the process that exists to run the task: it replaces the panic hook.
pub fn serve(task: Result<Task, StartError>, args: &[u8], out: impl Write) -> i32 {
    // A panic's message travels back to the parent as the error; this process prints nothing.
    panic::set_hook(Box::new(|_| {}));
    let outcome: Result<Vec<u8>, StartError> = task.and_then(|task| {
        panic::catch_unwind(AssertUnwindSafe(|| (task.call)(args)))
            .unwrap_or_else(|payload| Err(StartError::Panicked(lesson_04_pipes::panic_message(&*payload))))
    });
    let code = i32::from(outcome.is_err());
    let sent =
        postcard::to_stdvec(&outcome).map_err(StartError::from).and_then(|bytes| channel::send(out, &bytes));
    let _ = std::io::stdout().flush();
    if sent.is_err() { 2 } else { code }
}

/// Decodes the outcome frame a child sent; `how_it_ended` describes the child for a missing frame.
pub fn outcome(frame: Option<Vec<u8>>, how_it_ended: impl FnOnce() -> String) -> Result<Vec<u8>, StartError> {
    match frame {
        Some(bytes) => postcard::from_bytes::<Result<Vec<u8>, StartError>>(&bytes)?,
        None => Err(StartError::NoResult(how_it_ended())),
    }
}

/// Forks a child that finds `name` in its copy of `registry` and runs it on `args`; collects the
/// outcome and reaps the child. The fork method does this in the caller, the fork server in itself.
pub fn run_in_forked_child(registry: &Registry, name: &str, args: &[u8]) -> Result<Vec<u8>, StartError> {
    let (read_end, write_end) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
    match fork().map_err(|e| StartError::Os(e.to_string()))? {
        Fork::Child => {
            drop(read_end);
            exit_now(serve(registry.find(name), args, File::from(write_end)))
        }
        Fork::Parent { child } => {
            drop(write_end);
            let frame = channel::receive(File::from(read_end));
            let status = wait_for(child).map_err(|e| StartError::Os(e.to_string()))?;
            outcome(frame?, || status.to_string())
        }
    }
}
