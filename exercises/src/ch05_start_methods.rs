//! Chapter 5 exercises: the three start methods. Replace each `todo!()` with your code.
//!
//! The first two exercises build the spawn method by hand: a program that, started with a task's
//! name in its environment, runs only that task (the `init()` dispatch), and the parent side that
//! starts it. Do `serve_if_spawned` first: `spawn_task` starts a program that relies on it.

// The imports and parameters are the ones your code will need; until then they are unused.
#![allow(unused_imports, unused_variables)]

use std::process::Command;

use lesson_05_start_methods::{Forkserver, StartMethod};

/// The environment variable that names the task a spawned program runs.
pub const TASK_VARIABLE: &str = "EXERCISE_TASK";
/// The environment variable that holds the task's input, in decimal.
pub const INPUT_VARIABLE: &str = "EXERCISE_INPUT";

/// A task: a function from a number to a number.
pub type NumberTask = fn(u64) -> u64;

/// The tasks a spawned program can run, by name.
pub const TASKS: &[(&str, NumberTask)] = &[("square", |n| n * n), ("double", |n| 2 * n)];

// ANCHOR: serve_if_spawned
/// If this program was started to run a task — `EXERCISE_TASK` is set — run it and end the process;
/// otherwise return at once. The test binary calls this first thing in `main`, as Listing 5-2 calls
/// `init()`.
///
/// Look the task up by name in `TASKS`, run it on the number in `EXERCISE_INPUT`, print the result in
/// decimal on a line of its own on standard output, and end with `std::process::exit(0)`. For a name
/// not in `TASKS`, or an input that is not a number, print a message on standard error and end with
/// exit code 2. Never return when the variable is set.
pub fn serve_if_spawned() {
    todo!()
}
// ANCHOR_END: serve_if_spawned

// ANCHOR: spawn_task
/// Run the task `name` on `input` in a fresh start of this program — the spawn method — and return
/// the number it printed; `Err` with a message if it ended with another exit code than 0.
///
/// Start `std::env::current_exe()` with `EXERCISE_TASK` and `EXERCISE_INPUT` set, wait for it, and
/// parse what it printed on standard output.
pub fn spawn_task(name: &str, input: u64) -> Result<u64, String> {
    todo!()
}
// ANCHOR_END: spawn_task

// ANCHOR: method_beside_threads
/// Choose the start method for a program in which another thread may hold a lock when a child
/// starts, and whose children need that lock. `server` was started before any thread existed.
/// Of the methods whose children cannot inherit a held lock, choose the one that starts faster
/// (the chapter's benchmark measures them).
pub fn method_beside_threads(server: &Forkserver) -> StartMethod<'_> {
    todo!()
}
// ANCHOR_END: method_beside_threads
