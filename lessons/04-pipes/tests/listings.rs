//! Snapshot tests: every listing of chapter 4 runs as a real process; what it printed, with pids
//! normalised to P1, P2, …, is compared with the reviewed snapshot the book shows. The Python twins
//! run too, and must print the same lines. Listing 4-4 is Python only: its output is snapshotted alone.

use std::process::ExitCode;

use testkit::listing::Lesson;

const LESSON: Lesson = Lesson { package: "lesson-04-pipes", dir: env!("CARGO_MANIFEST_DIR") };

fn eof() {
    LESSON.check("eof", "eof", env!("CARGO_BIN_EXE_eof"), &[], Some("eof.py"));
}

fn framing() {
    LESSON.check("framing", "framing", env!("CARGO_BIN_EXE_framing"), &[], Some("framing.py"));
}

fn message_pipe() {
    let path = env!("CARGO_BIN_EXE_message_pipe");
    LESSON.check("message_pipe", "message_pipe", path, &[], Some("message_pipe.py"));
}

/// Listing 4-4 has no Rust twin (its Rust side is a doc test that must not compile): the Python
/// program runs alone and its output is snapshotted for the book.
fn pickle_functions_python() {
    LESSON.python("pickle_functions", "pickle_functions.py");
}

/// A lambda as a `Process` target under each start method: it runs in a fork, and is refused where
/// the target must be pickled.
fn lambda_target_python() {
    LESSON.python("lambda_target", "lambda_target.py");
}

fn child_result() {
    let path = env!("CARGO_BIN_EXE_child_result");
    LESSON.check("child_result", "child_result", path, &[], Some("child_result.py"));
}

fn torn_message() {
    let path = env!("CARGO_BIN_EXE_torn_message");
    LESSON.check("torn_message", "torn_message", path, &[], Some("torn_message.py"));
}

fn many_producers() {
    let path = env!("CARGO_BIN_EXE_many_producers");
    LESSON.check("many_producers", "many_producers", path, &[], Some("many_producers.py"));
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        eof,
        framing,
        message_pipe,
        pickle_functions_python,
        lambda_target_python,
        child_result,
        torn_message,
        many_producers,
    ])
}
