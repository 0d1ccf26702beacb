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

/// Runs the listing `bin` (at `path`) with `args`, snapshots its output as `name`, and, when it has a
/// Python twin, checks that the twin prints the same.
fn check(name: &str, bin: &str, path: &str, args: &[&str], twin: Option<&str>) {
    let run = run_listing(path, args);
    let mut command = format!("cargo run -q -p lesson-01-fork --bin {bin}");
    if !args.is_empty() {
        command = format!("{command} -- {}", args.join(" "));
    }
    snapshot(name, &command, &run);
    if let Some(file) = twin {
        python_twin(file, &run);
    }
}

fn first_fork() {
    check("first_fork", "first_fork", env!("CARGO_BIN_EXE_first_fork"), &[], Some("first_fork.py"));
}

fn two_returns() {
    check("two_returns", "two_returns", env!("CARGO_BIN_EXE_two_returns"), &[], Some("two_returns.py"));
}

fn fork_loop() {
    check("fork_loop", "fork_loop", env!("CARGO_BIN_EXE_fork_loop"), &[], Some("fork_loop.py"));
}

fn buffered_trap() {
    check(
        "buffered_trap",
        "buffered_trap",
        env!("CARGO_BIN_EXE_buffered_trap"),
        &[],
        Some("buffered_trap.py"),
    );
}

fn return_into_caller_mistake() {
    let path = env!("CARGO_BIN_EXE_return_into_caller");
    check("return_into_caller_mistake", "return_into_caller", path, &["mistake"], None);
}

fn return_into_caller_fixed() {
    let path = env!("CARGO_BIN_EXE_return_into_caller");
    check("return_into_caller_fixed", "return_into_caller", path, &["fixed"], None);
}

fn threaded_fork() {
    check("threaded_fork", "threaded_fork", env!("CARGO_BIN_EXE_threaded_fork"), &[], None);
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
