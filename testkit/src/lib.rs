//! What the workbook's tests share.
//!
//! - [`harness`]: a test harness that runs every test on the main thread of a single-threaded
//!   process, so that `fork()` in a test is safe (see the book's chapter 1, "Forking inside a test").
//! - [`sandbox`]: runs code in a contained child process with a time limit, and reports panics,
//!   children that returned into their caller, and children left behind.
//! - [`contained`]: runs a command in its own process group with a time limit, leaving nothing behind.
//! - [`limits`]: a cap on the number of processes (a pids cgroup, or RLIMIT_NPROC).
//! - [`listing`]: runs a listing as a real program and normalises its output for a snapshot.
//! - [`machine`]: where and when a benchmark ran, for a recorded run's header.
//! - [`pids`]: replaces pids with stable labels P1, P2, … in order of first appearance.
//! - [`python`]: finds `python3` for the parity tests of the Python twins.

pub mod contained;
pub mod harness;
pub mod limits;
pub mod listing;
pub mod machine;
pub mod pids;
pub mod python;
pub mod reap;
pub mod sandbox;
