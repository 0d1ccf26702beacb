//! A child that hands back a result: a chapter-3 `Process` with a pipe for its return value.
//!
//! The child runs the task and sends one message: the value it returned, or the message of its panic.
//! The parent reads that message first and only then waits for the child, because a child whose
//! result is larger than the pipe can hold blocks in its write until someone reads, and would never
//! end if the parent waited for it first. If no message comes, the child's exit status says why: it
//! exited without sending one, or a signal killed it.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;

use lesson_03_process::{Pid, Process, ProcessError};
use nix::sys::signal::Signal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::message::{PipeError, Receiver, Sender, message_pipe};

/// The one message a child sends back.
#[derive(Debug, Serialize, Deserialize)]
enum Report<T> {
    /// The task returned this value.
    Returned(T),
    /// The task panicked with this message.
    Panicked(String),
}

// ANCHOR: child_error
/// How a child ended when it did not hand back a result.
#[derive(Debug)]
pub enum ChildError {
    /// The task panicked; the child sent the panic's message.
    Panicked {
        /// The process's name.
        name: String,
        /// The panic's message.
        message: String,
    },
    /// The child exited without sending a result (it called `exit_now`, for instance).
    Exited {
        /// The process's name.
        name: String,
        /// Its exit code.
        code: i32,
    },
    /// A signal killed the child before it had sent its result.
    Killed {
        /// The process's name.
        name: String,
        /// The signal's number.
        signal: i32,
    },
    /// The child's message could not be read: it was cut short or is not a value of the right type.
    Broken {
        /// The process's name.
        name: String,
        /// What was wrong with it.
        error: PipeError,
    },
    /// Starting or joining the process failed.
    Process(ProcessError),
}

impl std::fmt::Display for ChildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChildError::Panicked { name, message } => write!(f, "{name} panicked: {message}"),
            ChildError::Exited { name, code } => write!(f, "{name} exited with code {code} without a result"),
            ChildError::Killed { name, signal } => match Signal::try_from(*signal) {
                Ok(signal) => write!(f, "{name} was killed by {signal}"),
                Err(_) => write!(f, "{name} was killed by signal {signal}"),
            },
            ChildError::Broken { name, error } => write!(f, "{name} sent a broken result: {error}"),
            ChildError::Process(e) => write!(f, "{e}"),
        }
    }
}
// ANCHOR_END: child_error

impl std::error::Error for ChildError {}

impl From<ProcessError> for ChildError {
    fn from(e: ProcessError) -> Self {
        ChildError::Process(e)
    }
}

// ANCHOR: result_process
/// A child process that runs a task and hands back what it returned, or why it did not.
///
/// ```
/// use lesson_04_pipes::ResultProcess;
///
/// let mut p = ResultProcess::new(|| (1..=4).map(|n| n * n).collect::<Vec<u32>>())?;
/// p.start()?;
/// assert_eq!(p.join()?, [1, 4, 9, 16]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ResultProcess<T> {
    /// The pipe's two ends, shared with the target closure: after the fork, parent and child each
    /// take out the end they do not use and close it.
    ends: Rc<RefCell<Ends<T>>>,
    process: Process,
}

/// The ends of a `ResultProcess`'s pipe that a process still holds.
struct Ends<T> {
    receiver: Option<Receiver<Report<T>>>,
    sender: Option<Sender<Report<T>>>,
}
// ANCHOR_END: result_process

impl<T> std::fmt::Debug for ResultProcess<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultProcess").field("process", &self.process).finish()
    }
}

impl<T: Serialize + DeserializeOwned + 'static> ResultProcess<T> {
    // ANCHOR: new
    /// A process that will run `task` and hand back its value, named `Process-N` like any `Process`.
    pub fn new(task: impl FnOnce() -> T + 'static) -> Result<ResultProcess<T>, PipeError> {
        let (receiver, sender) = message_pipe()?;
        let ends = Rc::new(RefCell::new(Ends { receiver: Some(receiver), sender: Some(sender) }));
        let in_child = Rc::clone(&ends);
        let mut task = Some(task);
        let process = Process::new(move || -> i32 {
            // This runs in the child, which has its own copy of the cell: what it takes out and closes
            // here stays open in the parent. The child closes its read end, so that if the parent
            // stops reading, the child's write fails instead of waiting for a reader forever.
            let (receiver, sender) = {
                let mut ends = in_child.borrow_mut();
                (ends.receiver.take(), ends.sender.take())
            };
            drop(receiver);
            match (sender, task.take()) {
                (Some(sender), Some(task)) => run_and_report(task, &sender),
                _ => 1,
            }
        });
        Ok(ResultProcess { ends, process })
    }
    // ANCHOR_END: new

    /// The process's name.
    pub fn name(&self) -> &str {
        self.process.name()
    }

    /// The child's pid once started.
    pub fn pid(&self) -> Option<Pid> {
        self.process.pid()
    }

    // ANCHOR: start
    /// Starts the child, then closes the parent's copy of the write end.
    pub fn start(&mut self) -> Result<(), ChildError> {
        self.process.start()?;
        // The child has its own copy now. Without this line a child that died without sending would
        // leave `join` waiting forever: the parent's copy would keep the pipe from reaching end-of-file.
        self.ends.borrow_mut().sender.take();
        Ok(())
    }
    // ANCHOR_END: start

    // ANCHOR: join
    /// Waits for the child's result and reaps the child. Returns the value the task returned, or an
    /// error that says how the child ended instead.
    pub fn join(mut self) -> Result<T, ChildError> {
        if self.process.pid().is_none() {
            return Err(ProcessError::JoinBeforeStart.into());
        }
        self.process.is_alive()?; // fails in a process other than the one that started the child
        // Read first, then wait: a result larger than the pipe can only be written while we read.
        let report = match &self.ends.borrow().receiver {
            Some(receiver) => receiver.recv(),
            None => Err(PipeError::Closed),
        };
        let code = self.process.join()?;
        let name = self.process.name().to_string();
        match report {
            Ok(Report::Returned(value)) => Ok(value),
            Ok(Report::Panicked(message)) => Err(ChildError::Panicked { name, message }),
            Err(_) if code < 0 => Err(ChildError::Killed { name, signal: -code }),
            Err(PipeError::Closed) => Err(ChildError::Exited { name, code }),
            Err(error) => Err(ChildError::Broken { name, error }),
        }
    }
    // ANCHOR_END: join

    /// Asks the child to stop with SIGTERM (see `Process::terminate`).
    pub fn terminate(&mut self) -> Result<(), ChildError> {
        Ok(self.process.terminate()?)
    }

    /// Ends the child with SIGKILL (see `Process::kill`).
    pub fn kill(&mut self) -> Result<(), ChildError> {
        Ok(self.process.kill()?)
    }
}

impl<T> Drop for ResultProcess<T> {
    /// Closes the read end before the `Process` is dropped and joins its child: a child still writing
    /// a result nobody will read then fails with EPIPE and ends, instead of blocking the join forever.
    fn drop(&mut self) {
        self.ends.borrow_mut().receiver.take();
    }
}

// ANCHOR: run_and_report
/// Runs `task` in the child and sends what happened through `sender`; returns the exit code.
fn run_and_report<T: Serialize>(task: impl FnOnce() -> T, sender: &Sender<Report<T>>) -> i32 {
    // The parent reports a panic, with its message: the child stays quiet.
    panic::set_hook(Box::new(|_| {}));
    let (report, code) = match panic::catch_unwind(AssertUnwindSafe(task)) {
        Ok(value) => (Report::Returned(value), 0),
        Err(payload) => (Report::Panicked(panic_message(payload.as_ref())), 1),
    };
    match sender.send(&report) {
        Ok(()) => code,
        Err(PipeError::Encode(e)) => {
            let _ = sender.send(&Report::Panicked(format!("its result cannot be encoded: {e}")));
            1
        }
        Err(_) => 1,
    }
}
// ANCHOR_END: run_and_report

/// The message a panic was raised with (`panic!("...")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    match payload.downcast_ref::<&str>() {
        Some(text) => text.to_string(),
        None => payload.downcast_ref::<String>().cloned().unwrap_or_else(|| "Box<dyn Any>".to_string()),
    }
}
