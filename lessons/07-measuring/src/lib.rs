//! Chapter 7 of *From fork to Pool*: measuring the book's `Process` and `Pool` against CPython's
//! `multiprocessing`, against Rust's threads, and against the machine's own floors.
//!
//! One command runs the whole benchmark (a release build; a few minutes on two cores, CPython's
//! side included) and prints a table of medians and ratios:
//!
//! ```text
//! cargo run --release -p lesson-07-measuring --bin measure
//! ```
//!
//! With `-- --record` it also writes `recorded/run.json` and `recorded/run.txt` (the printed table,
//! headed by the machine, the date and the command) and draws the plots into `book/src/`; with
//! `-- --plot` it measures nothing, and writes `recorded/run.txt` and the plots again from
//! `recorded/run.json`; with `-- --smoke` it runs every figure once with tiny inputs, which is what
//! `cargo test` does.
//!
//! The code, one concept a file:
//!
//! - [`floors`]: a raw fork, and a round trip on a pipe — the kernel's price, nothing of ours;
//! - [`faults`]: page faults, counted around a piece of work;
//! - [`pin`]: pinning to a core, and the two placements of a round trip;
//! - [`tasks`]: the work itself, and the registry the pools find it in;
//! - [`threads`]: the same work on `std::thread::scope` and rayon;
//! - [`python`]: running `python/measure.py`, CPython's side;
//! - [`memory`]: peak memory, measured in a fresh process;
//! - [`figures`]: each figure, measured round by round, ours, CPython's and threads' in turn;
//! - [`stats`], [`results`], [`machine`]: medians, ratios, and where they were measured;
//! - [`goals`]: the ratios the book's code is held to, and whether a run meets them;
//! - [`table`] and [`plots`]: the printed table and the SVG plots.

pub mod faults;
pub mod figures;
pub mod floors;
pub mod goals;
pub mod machine;
pub mod memory;
pub mod pin;
pub mod plots;
pub mod python;
pub mod results;
pub mod stats;
pub mod table;
pub mod tasks;
pub mod threads;

pub use tasks::REGISTRY;

/// The command that runs the benchmark, as the recorded table states it.
pub const COMMAND: &str = "cargo run --release -p lesson-07-measuring --bin measure";
