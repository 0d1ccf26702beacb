//! Chapter 5 of *From fork to Pool*: the three start methods of Python's multiprocessing.
//!
//! - [`StartMethod`]: fork, spawn or forkserver, and [`run`] to run a registered task in a new
//!   process started by any of them;
//! - [`Registry`] and the [`task!`] macro: the functions a spawned or forkserver-started process can
//!   run, found by name, since a fresh program cannot receive a function pointer, and found in the
//!   parent by the function's own type ([`Registry::task_of`]);
//! - [`init`]: the Rust twin of Python's `if __name__ == '__main__':` guard;
//! - [`Forkserver`]: a small single-threaded process, started early, that forks workers on request;
//! - [`start_child`] and [`reap_child`]: long-lived children, such as a pool's workers, that run an
//!   [`Entry`] with descriptors handed over by any of the three methods ([`fd_passing`] for the fork
//!   server's way);
//! - [`channel`]: the length-prefixed frames (chapter 4's) the parent and its children exchange.

pub mod channel;
pub mod child;
pub mod error;
pub mod fd_passing;
pub mod forkserver;
pub mod long_lived;
pub mod method;
pub mod registry;
pub mod spawn;

pub use error::StartError;
pub use forkserver::Forkserver;
pub use long_lived::{reap_child, start_child};
pub use method::{StartMethod, run};
pub use registry::{Entry, Function, Registry, Task};
pub use spawn::init;
