//! Snapshot tests: every listing of chapter 3 runs as a real process; what it printed, with pids
//! normalised to P1, P2, …, is compared with the reviewed snapshot the book shows. The Python twins
//! run too, and must print the same lines.

use std::process::ExitCode;

use testkit::listing::Lesson;

const LESSON: Lesson = Lesson { package: "lesson-03-process", dir: env!("CARGO_MANIFEST_DIR") };

fn first_process() {
    let path = env!("CARGO_BIN_EXE_first_process");
    LESSON.check("first_process", "first_process", path, &[], Some("first_process.py"));
}

fn join_timeout() {
    LESSON.check("join_timeout", "join_timeout", env!("CARGO_BIN_EXE_join_timeout"), &[], None);
}

fn terminate() {
    LESSON.check("terminate", "terminate", env!("CARGO_BIN_EXE_terminate"), &[], Some("terminate.py"));
}

fn panicking_target() {
    LESSON.check("panicking_target", "panicking_target", env!("CARGO_BIN_EXE_panicking_target"), &[], None);
}

fn run_trait() {
    LESSON.check("run_trait", "run_trait", env!("CARGO_BIN_EXE_run_trait"), &[], Some("run_trait.py"));
}

fn daemon() {
    LESSON.check("daemon", "daemon", env!("CARGO_BIN_EXE_daemon"), &[], None);
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        first_process,
        join_timeout,
        terminate,
        panicking_target,
        run_trait,
        daemon
    ])
}
