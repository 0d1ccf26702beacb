//! Snapshot tests: every listing of chapter 1 runs as a real process; what it printed, with pids
//! normalised to P1, P2, …, is compared with the reviewed snapshot the book shows.
//! The Python twins run too, and must print the same lines.

use std::process::ExitCode;

use testkit::listing::{self, Run};

/// Runs a listing binary with `args` and checks it exited cleanly and left nothing behind.
fn run_listing(path: &str, args: &[&str]) -> Run {
    let run = listing::run(path, args);
    run.assert_clean_exit();
    run
}

/// Snapshots `run`'s output under `name`, with the command that produced it as the description.
fn snapshot(name: &str, command: &str, run: &Run) {
    insta::with_settings!({ description => command, omit_expression => true, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, run.output);
    });
}

/// Runs the Python twin `file` and checks it printed what the Rust listing printed.
fn python_twin(file: &str, rust: &Run) {
    let Some(python) = testkit::python::interpreter() else { return };
    let path = format!("{}/python/{file}", env!("CARGO_MANIFEST_DIR"));
    let run = listing::run(&python, &[&path]);
    run.assert_clean_exit();
    assert_eq!(run.output, rust.output, "the Python twin {file} printed other lines than its Rust listing");
    let stem = file.trim_end_matches(".py");
    snapshot(&format!("{stem}_python"), &format!("python3 lessons/01-fork/python/{file}"), &run);
}

fn first_fork() {
    let run = run_listing(env!("CARGO_BIN_EXE_first_fork"), &[]);
    snapshot("first_fork", "cargo run -q -p lesson-01-fork --bin first_fork", &run);
    python_twin("first_fork.py", &run);
}

fn two_returns() {
    let run = run_listing(env!("CARGO_BIN_EXE_two_returns"), &[]);
    snapshot("two_returns", "cargo run -q -p lesson-01-fork --bin two_returns", &run);
    python_twin("two_returns.py", &run);
}

fn fork_loop() {
    let run = run_listing(env!("CARGO_BIN_EXE_fork_loop"), &[]);
    snapshot("fork_loop", "cargo run -q -p lesson-01-fork --bin fork_loop", &run);
    python_twin("fork_loop.py", &run);
}

fn buffered_trap() {
    let run = run_listing(env!("CARGO_BIN_EXE_buffered_trap"), &[]);
    snapshot("buffered_trap", "cargo run -q -p lesson-01-fork --bin buffered_trap", &run);
    python_twin("buffered_trap.py", &run);
}

fn return_into_caller_mistake() {
    let run = run_listing(env!("CARGO_BIN_EXE_return_into_caller"), &["mistake"]);
    snapshot(
        "return_into_caller_mistake",
        "cargo run -q -p lesson-01-fork --bin return_into_caller -- mistake",
        &run,
    );
}

fn return_into_caller_fixed() {
    let run = run_listing(env!("CARGO_BIN_EXE_return_into_caller"), &["fixed"]);
    snapshot(
        "return_into_caller_fixed",
        "cargo run -q -p lesson-01-fork --bin return_into_caller -- fixed",
        &run,
    );
}

fn threaded_fork() {
    let run = run_listing(env!("CARGO_BIN_EXE_threaded_fork"), &[]);
    snapshot("threaded_fork", "cargo run -q -p lesson-01-fork --bin threaded_fork", &run);
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        first_fork,
        two_returns,
        fork_loop,
        buffered_trap,
        return_into_caller_mistake,
        return_into_caller_fixed,
        threaded_fork,
    ])
}
