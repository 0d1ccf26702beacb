//! Chapter 3 of *From fork to Pool*: a [`Process`] like Python's `multiprocessing.Process`.
//!
//! Built on chapter 1's `fork` and chapter 2's `waitpid`, one concept a file:
//!
//! - [`Process`](process::Process): start, is_alive, join, join_timeout, terminate, kill, exitcode,
//!   close, daemon — with CPython's exit-code convention and error messages;
//! - [`Run`](target::Run): what a process runs — a closure, or a type of yours with a `run` method,
//!   as Python code subclasses `Process` and overrides `run()`;
//! - [`ProcessError`](error::ProcessError): misuse, with CPython's words;
//! - [`names`]: `Process-1`, `Process-2`, … and `Process-1:1` for a child's own children;
//! - [`pidfd`]: waiting for a child with a time limit, without busy-waiting;
//! - [`child`]: what happens inside the child between `fork` and `_exit`.

pub mod child;
pub mod error;
pub mod names;
pub mod pidfd;
pub mod process;
pub mod target;

pub use error::{Call, ProcessError};
pub use lesson_01_fork::Pid;
pub use names::current_process_name;
pub use process::Process;
pub use target::{Outcome, Run};
