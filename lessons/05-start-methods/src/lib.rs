//! Chapter 5 of *From fork to Pool*: the three start methods of Python's multiprocessing.
//!
//! - [`StartMethod`](method::StartMethod): fork, spawn or forkserver, and [`run`](method::run) to run
//!   a registered task in a new process started by any of them;
//! - [`Registry`](registry::Registry) and the [`task!`] macro: the functions a spawned or
//!   forkserver-started process can run, found by name, since a fresh program cannot receive a
//!   function pointer;
//! - [`init`](spawn::init): the Rust twin of Python's `if __name__ == '__main__':` guard;
//! - [`Forkserver`](forkserver::Forkserver): a small single-threaded process, started early, that
//!   forks workers on request;
//! - [`channel`]: the length-prefixed frames (chapter 4's) the parent and its children exchange.

pub mod channel;
pub mod child;
pub mod error;
pub mod forkserver;
pub mod method;
pub mod registry;
pub mod spawn;

pub use error::StartError;
pub use forkserver::Forkserver;
pub use method::{StartMethod, run};
pub use registry::{Registry, Task};
pub use spawn::init;
