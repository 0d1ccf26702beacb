//! Snapshot tests: every listing of chapter 8 runs as a real program in its own process group; what
//! it printed, pids normalised, is compared with the reviewed snapshot the book shows. The Python
//! twins run too, and must print the same lines, except where the chapter shows how they differ.

use std::process::{Command, ExitCode};
use std::time::Duration;

use nix::sys::signal::Signal;
use nix::sys::wait::WaitStatus;
use testkit::contained::{self, Streams};
use testkit::listing::{Lesson, Run, Target, run_interrupted, signal_when_ready};

const LESSON: Lesson = Lesson { package: "lesson-08-signals", dir: env!("CARGO_MANIFEST_DIR") };

fn default_actions() {
    let path = env!("CARGO_BIN_EXE_default_actions");
    LESSON.check("default_actions", "default_actions", path, &[], Some("default_actions.py"));
}

fn self_pipe() {
    LESSON.check("self_pipe", "self_pipe", env!("CARGO_BIN_EXE_self_pipe"), &[], Some("self_pipe.py"));
}

fn mask_pending() {
    let path = env!("CARGO_BIN_EXE_mask_pending");
    LESSON.check("mask_pending", "mask_pending", path, &[], Some("mask_pending.py"));
}

fn fork_and_exec() {
    let path = env!("CARGO_BIN_EXE_fork_and_exec");
    LESSON.check("fork_and_exec", "fork_and_exec", path, &[], Some("fork_and_exec.py"));
}

fn terminal_ctrl_c() {
    let path = env!("CARGO_BIN_EXE_terminal_ctrl_c");
    LESSON.check("terminal_ctrl_c", "terminal_ctrl_c", path, &[], Some("terminal_ctrl_c.py"));
}

fn group_kill() {
    LESSON.check("group_kill", "group_kill", env!("CARGO_BIN_EXE_group_kill"), &[], None);
}

/// Checks that an interrupted listing ended as `signal` ends a process, left nothing behind and
/// printed nothing on standard error; snapshots its output as `name`.
fn check_interrupted(name: &str, run: &Run, signal: Signal, command: &str) {
    assert!(
        matches!(run.status, WaitStatus::Signaled(_, s, _) if s == signal),
        "{name} ended with {:?}, not by {signal}; it printed:\n{}{}",
        run.status,
        run.output,
        run.errors
    );
    assert_eq!(run.left_behind, 0, "{name} left processes behind");
    assert_eq!(run.errors, "", "{name} printed on standard error");
    LESSON.snapshot(name, command, &run.output);
}

/// Ctrl-C, sent to the whole group once the four tasks run: `map` returns an error, the pool is
/// terminated, the program ends by SIGINT, nothing is left and nothing is printed on stderr.
fn interrupted_pool_sigint() {
    let path = env!("CARGO_BIN_EXE_interrupted_pool");
    let run = run_interrupted(path, &[], ("is running", 4), Signal::SIGINT, Target::Group);
    let command = "cargo run -q -p lesson-08-signals --bin interrupted_pool   # then Ctrl-C";
    check_interrupted("interrupted_pool_sigint", &run, Signal::SIGINT, command);
}

/// SIGTERM, sent to the parent alone once the four tasks run: the same clean end, by SIGTERM.
fn interrupted_pool_sigterm() {
    let path = env!("CARGO_BIN_EXE_interrupted_pool");
    let run = run_interrupted(path, &[], ("is running", 4), Signal::SIGTERM, Target::Leader);
    let command = "cargo run -q -p lesson-08-signals --bin interrupted_pool   # then kill PID";
    check_interrupted("interrupted_pool_sigterm", &run, Signal::SIGTERM, command);
}

/// How long CPython's pool is given, from its start, to be interrupted and end.
const CPYTHON_LIMIT: Duration = Duration::from_secs(10);

/// How CPython's pool took the Ctrl-C, in one run.
#[derive(Debug, PartialEq, Eq)]
enum CpythonOutcome {
    /// `map` raised KeyboardInterrupt, `with` terminated the pool, the parent ended by SIGINT.
    Ended,
    /// `map` raised KeyboardInterrupt, then leaving `with` hung in `terminate`.
    HungInTerminate,
    /// `map` never raised: the parent went on waiting for results that will never come.
    HungInMap,
}

/// CPython's pool under the same Ctrl-C: the four workers' lines, then one of the outcomes of
/// [`CpythonOutcome`], which vary from run to run; the test kills whatever still runs at
/// [`CPYTHON_LIMIT`] (with its group: `contained::run_with` leaves nothing behind). When the
/// parent ended, nothing may be left. Standard output up to the Ctrl-C is snapshotted.
fn interrupted_pool_python() {
    let Some(python) = testkit::python::interpreter() else { return };
    let mut command = Command::new(python);
    command.arg(format!("{}/python/interrupted_pool.py", LESSON.dir)).env_remove("PYTHONUNBUFFERED");
    let when_ready = signal_when_ready(("is running", 4), Signal::SIGINT, Target::Group);
    let done = contained::run_with(command, CPYTHON_LIMIT, Streams::Separate, when_ready);
    let printed = format!("{}{}", done.output, done.errors);
    let running = "a task is running\n".repeat(4);
    let raised = done.output == format!("{running}map: KeyboardInterrupt\n");
    let outcome = match done.status {
        Some(WaitStatus::Signaled(_, Signal::SIGINT, _)) if raised => CpythonOutcome::Ended,
        None if raised => CpythonOutcome::HungInTerminate,
        None if done.output == running => CpythonOutcome::HungInMap,
        other => panic!("CPython's pool ended with {other:?}, having printed:\n{printed}"),
    };
    if outcome == CpythonOutcome::Ended {
        assert_eq!(done.left_behind, 0, "CPython's pool ended, but left processes behind");
        let traceback =
            done.errors.contains("in map\n") && done.errors.trim_end().ends_with("KeyboardInterrupt");
        assert!(
            traceback,
            "the parent's traceback, from pool.map to KeyboardInterrupt, is missing:\n{printed}"
        );
    }
    let workers = done.errors.matches("Process ForkPoolWorker-").count();
    assert!(workers <= 4, "{workers} worker tracebacks from a pool of 4:\n{printed}");
    println!("  CPython's pool: {outcome:?}");
    let command = format!("python3 {}/python/interrupted_pool.py   # then Ctrl-C", LESSON.relative_dir());
    LESSON.snapshot("interrupted_pool_python", &command, &running);
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        default_actions,
        self_pipe,
        mask_pending,
        fork_and_exec,
        terminal_ctrl_c,
        group_kill,
        interrupted_pool_sigint,
        interrupted_pool_sigterm,
        interrupted_pool_python
    ])
}
