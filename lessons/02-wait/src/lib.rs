//! Chapter 2 of *From fork to Pool*: wait, exit statuses, zombies and orphans.
//!
//! - [`ExitStatus`](status::ExitStatus): what `waitpid` says about a child — exited with a code,
//!   killed by a signal (with or without a core dump), stopped, continued — and its Python-style
//!   exit code;
//! - [`wait_for`](wait::wait_for), [`try_wait`](wait::try_wait), [`wait_any`](wait::wait_any):
//!   waiting for one child, polling without blocking (`WNOHANG`), waiting for whichever ends first.

pub mod status;
pub mod wait;

pub use status::ExitStatus;
pub use wait::{WaitError, try_wait, wait_any, wait_for, wait_for_change};
