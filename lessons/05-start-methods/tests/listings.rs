//! Snapshot tests: every listing of chapter 5 runs as a real process; what it printed, with pids
//! normalised to P1, P2, …, is compared with the reviewed snapshot the book shows. The Python twins
//! run too: the twin of Listing 5-2 must print the same lines; the twin of Listing 5-1 shows where
//! Python's forkserver differs, so only its own snapshot holds it.

use std::process::ExitCode;

use testkit::listing::Lesson;

const LESSON: Lesson = Lesson { package: "lesson-05-start-methods", dir: env!("CARGO_MANIFEST_DIR") };

fn three_methods() {
    LESSON.check("three_methods", "three_methods", env!("CARGO_BIN_EXE_three_methods"), &[], None);
    LESSON.python("three_methods", "three_methods.py");
}

fn main_guard() {
    let path = env!("CARGO_BIN_EXE_main_guard");
    LESSON.check("main_guard", "main_guard", path, &[], Some("main_guard.py"));
}

fn no_main_guard() {
    LESSON.check("no_main_guard", "no_main_guard", env!("CARGO_BIN_EXE_no_main_guard"), &[], None);
}

fn threads_and_fork() {
    LESSON.check("threads_and_fork", "threads_and_fork", env!("CARGO_BIN_EXE_threads_and_fork"), &[], None);
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![three_methods, main_guard, no_main_guard, threads_and_fork])
}
