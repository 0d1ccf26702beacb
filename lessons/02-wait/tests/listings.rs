//! Snapshot tests: every listing of chapter 2 runs as a real process; what it printed, with pids
//! normalised to P1, P2, …, is compared with the reviewed snapshot the book shows.
//! The Python twins run too, and must print the same lines.

use std::process::ExitCode;

use testkit::listing::Lesson;

const LESSON: Lesson = Lesson { package: "lesson-02-wait", dir: env!("CARGO_MANIFEST_DIR") };

fn exit_statuses() {
    let path = env!("CARGO_BIN_EXE_exit_statuses");
    LESSON.check("exit_statuses", "exit_statuses", path, &[], Some("exit_statuses.py"));
}

fn stop_continue() {
    let path = env!("CARGO_BIN_EXE_stop_continue");
    LESSON.check("stop_continue", "stop_continue", path, &[], Some("stop_continue.py"));
}

fn poll() {
    LESSON.check("poll", "poll", env!("CARGO_BIN_EXE_poll"), &[], Some("poll.py"));
}

fn wait_any() {
    LESSON.check("wait_any", "wait_any", env!("CARGO_BIN_EXE_wait_any"), &[], Some("wait_any.py"));
}

fn zombie() {
    LESSON.check("zombie", "zombie", env!("CARGO_BIN_EXE_zombie"), &[], Some("zombie.py"));
}

/// Listing 2-6 is Python only: multiprocessing reaps finished processes as a side effect.
fn active_children_python() {
    LESSON.python("active_children", "active_children.py");
}

fn orphan() {
    LESSON.check("orphan", "orphan", env!("CARGO_BIN_EXE_orphan"), &[], Some("orphan.py"));
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        exit_statuses,
        stop_continue,
        poll,
        wait_any,
        zombie,
        active_children_python,
        orphan,
    ])
}
