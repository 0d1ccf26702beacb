//! What a distributed engine costs on one machine: the book's map (square each item) run
//! sequentially, on chapter 6's `Pool`, on timely dataflow as one or two threads and as two
//! processes over loopback TCP, and on Dask distributed; next to them, a round trip over loopback
//! TCP against chapter 7's pipe floor, and what each engine takes to start.
//!
//! One command runs it all (a release build; under a minute on two cores, Dask's side included)
//! and prints a table of medians and ratios:
//!
//! ```text
//! cargo run --release -p lesson-10-beyond --bin measure_beyond
//! ```
//!
//! With `-- --record` it also writes `recorded/run.txt`, which the book includes; with `-- --smoke`
//! it runs every figure once with tiny inputs, which is what `cargo test` does. Chapter 7's library
//! gives the medians, the table's cells, the machine line and the pipe floor.
//!
//! The code, one concept a file:
//!
//! - [`sizes`]: how much work each figure does, in the benchmark and in the smoke run;
//! - [`check`]: a result's fingerprint, so that a wrong engine cannot look fast;
//! - [`dataflow`]: the timed round on timely, one epoch a round;
//! - [`threads`]: that round on timely's worker threads in this process, one or two;
//! - [`processes`]: that round on two timely processes over loopback TCP, and their start;
//! - [`network`]: a one-byte round trip over loopback TCP, the network's floor;
//! - [`dask`]: running `python/measure_dask.py`, Dask's side;
//! - [`figures`]: every figure, round by round;
//! - [`table`]: the printed table, and the notes that divide its medians.

pub mod check;
pub mod dask;
pub mod dataflow;
pub mod figures;
pub mod network;
pub mod processes;
pub mod sizes;
pub mod table;
pub mod threads;

use lesson_05_start_methods::{Registry, task};

use crate::work::square;

/// The command that runs the benchmark, as the recorded table states it.
pub const COMMAND: &str = "cargo run --release -p lesson-10-beyond --bin measure_beyond";

/// The functions the benchmark's pool runs, by name (chapter 5): `main` passes it to `init` first.
pub static REGISTRY: Registry = Registry { tasks: &[task!(square)], entries: &[] };

/// An error of any figure: a failed system call, a process that did not answer, a wrong result.
pub type Error = Box<dyn std::error::Error>;
