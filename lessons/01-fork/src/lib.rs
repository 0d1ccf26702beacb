//! Chapter 1 of *From fork to Pool*: `fork`, one call with two returns.
//!
//! Small, safe wrappers over the system calls the chapter is about, each in its own file:
//!
//! - [`fork()`](fork::fork): copy this process; refuses when the process has other threads;
//! - [`fork_and_run`](fork::fork_and_run): fork a child that runs a function and never returns;
//! - [`getpid`](ids::getpid) and [`getppid`](ids::getppid): who am I, who is my parent;
//! - [`exit_now`](exit::exit_now): end this process at once with `_exit`;
//! - [`wait_for`](wait::wait_for): wait for a child and get its exit code (chapter 2 has the whole story);
//! - [`Gate`](gate::Gate): a pipe one process waits on until another opens it, to order output;
//! - [`tree`]: the picture of a run of the fork loop, drawn from what its processes printed.

pub mod exit;
pub mod fork;
pub mod gate;
pub mod ids;
pub mod threads;
pub mod tree;
pub mod wait;

pub use exit::exit_now;
pub use fork::{Fork, ForkError, fork, fork_and_run};
pub use gate::{Gate, Opener, Waiter};
pub use ids::{getpid, getppid};
pub use nix::unistd::Pid;
pub use threads::{thread_count, wait_until_single_threaded};
pub use wait::wait_for;
