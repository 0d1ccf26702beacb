//! Graded tests for chapter 5, compiled against `exercises` (yours) and `solutions`.
//!
//! This test binary is also the program your `spawn_task` starts afresh: started with
//! `EXERCISE_TASK` set, its `main` hands over to your `serve_if_spawned` and runs no test.

use std::process::{Command, ExitCode};
use std::sync::Mutex;
use std::time::Duration;

use lesson_01_fork::Gate;
use lesson_05_start_methods::{Forkserver, Registry, run, task};
use nix::sys::wait::WaitStatus;
use testkit::sandbox::{self, call};
use workbook::ch05_start_methods::*;

/// Runs this test binary afresh with the task variables set, contained; returns (status, output).
fn start_this_program(task: &str, input: &str) -> (Option<i32>, String) {
    let mut command = Command::new(std::env::current_exe().expect("current_exe"));
    command.env(TASK_VARIABLE, task).env(INPUT_VARIABLE, input).env("RUST_BACKTRACE", "0");
    let done = testkit::contained::run(command, Duration::from_secs(20));
    let code = match done.status {
        Some(WaitStatus::Exited(_, code)) => Some(code),
        _ => None,
    };
    (code, done.output)
}

mod serve_if_spawned {
    use super::*;

    pub fn returns_when_not_spawned() {
        sandbox::expect(|| call(serve_if_spawned));
    }

    pub fn runs_the_named_task_and_prints_its_result() {
        let (code, output) = start_this_program("square", "7");
        assert_eq!(output.trim(), "49", "started to run square on 7, the program printed: {}", output.trim());
        assert_eq!(code, Some(0), "the program should end with exit code 0; it printed {output:?}");
        let (_, output) = start_this_program("double", "21");
        assert_eq!(
            output.trim(),
            "42",
            "started to run double on 21, the program printed: {}",
            output.trim()
        );
    }

    pub fn an_unknown_task_ends_with_exit_code_2() {
        let (code, output) = start_this_program("cube", "3");
        assert_eq!(
            code,
            Some(2),
            "an unknown task should end the program with exit code 2; it printed {output:?}"
        );
        let (code, output) = start_this_program("square", "seven");
        assert_eq!(
            code,
            Some(2),
            "an input that is no number should give exit code 2; it printed {output:?}"
        );
    }
}

mod spawn_task {
    use super::*;

    pub fn returns_what_the_spawned_program_computed() {
        let got = sandbox::expect(|| call(|| spawn_task("square", 12)));
        assert_eq!(got, Ok(144), "spawn_task(\"square\", 12) returned {got:?} (does serve_if_spawned work?)");
        let got = sandbox::expect(|| call(|| spawn_task("double", 50)));
        assert_eq!(got, Ok(100), "spawn_task(\"double\", 50) returned {got:?}");
    }

    pub fn a_failing_child_is_an_error() {
        let got = sandbox::expect(|| call(|| spawn_task("cube", 3)));
        assert!(got.is_err(), "the spawned program ended with code 2, yet spawn_task returned {got:?}");
    }
}

/// A lock the lesson's task takes.
static LOCK: Mutex<u32> = Mutex::new(0);

/// Takes the lock and reports how many times it was taken in this process.
fn take_the_lock((): ()) -> u32 {
    let mut count = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    *count += 1;
    *count
}

static REGISTRY: Registry = Registry { tasks: &[task!(take_the_lock)], entries: &[] };

mod method_beside_threads {
    use super::*;

    pub fn the_child_gets_the_lock_a_thread_holds_and_starts_fast() {
        let (worked, name) = sandbox::expect(|| {
            let server = Forkserver::start(&REGISTRY).expect("start the fork server");
            let (locked, is_locked) = Gate::new().expect("gate").split();
            let (release, released) = Gate::new().expect("gate").split();
            let holder = std::thread::spawn(move || {
                let _guard = LOCK.lock();
                locked.open();
                released.wait();
            });
            is_locked.wait();
            let method = call(|| method_beside_threads(&server));
            let result = run::<(), u32>(&method, &REGISTRY, "take_the_lock", &());
            release.open();
            let _ = holder.join();
            (result.map_err(|e| e.to_string()), method.name().to_string())
        });
        assert_eq!(worked, Ok(1), "under {name}, the task could not take the lock");
        assert_eq!(name, "forkserver", "spawn is safe too, but the benchmark shows it starts far slower");
    }
}

fn main() -> ExitCode {
    if std::env::var(TASK_VARIABLE).is_ok() {
        // Started by spawn_task or by a test: only the task runs here.
        std::panic::set_hook(Box::new(|info| {
            eprintln!(
                "serve_if_spawned() panicked: {}",
                info.payload().downcast_ref::<&str>().copied().unwrap_or("(no message)")
            );
        }));
        let _ = std::panic::catch_unwind(serve_if_spawned);
        eprintln!("serve_if_spawned() returned in a spawned program: it must end the process");
        std::process::exit(3);
    }
    lesson_05_start_methods::init(&REGISTRY);
    testkit::harness::run(testkit::trials![
        serve_if_spawned::returns_when_not_spawned,
        serve_if_spawned::runs_the_named_task_and_prints_its_result,
        serve_if_spawned::an_unknown_task_ends_with_exit_code_2,
        spawn_task::returns_what_the_spawned_program_computed,
        spawn_task::a_failing_child_is_an_error,
        method_beside_threads::the_child_gets_the_lock_a_thread_holds_and_starts_fast,
    ])
}
