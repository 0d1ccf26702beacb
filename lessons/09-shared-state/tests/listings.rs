//! Snapshot tests: every listing of chapter 9 runs as a real process; what it printed, with pids
//! normalised to P1, P2, …, is compared with the reviewed snapshot the book shows. The Python twins
//! run too: those that show the same thing must print the same lines; those that show where Python
//! differs (Listings 9-1, 9-4 and 9-5) are snapshotted on their own.

use std::process::ExitCode;

use testkit::listing::Lesson;

const LESSON: Lesson = Lesson { package: "lesson-09-shared-state", dir: env!("CARGO_MANIFEST_DIR") };

fn copy_on_write() {
    LESSON.check("copy_on_write", "copy_on_write", env!("CARGO_BIN_EXE_copy_on_write"), &[], None);
}

/// The twin of Listing 9-1 shows what Rust's does not: reading writes to CPython's objects, and
/// `gc.freeze()` keeps only the collector off them.
fn copy_on_write_python() {
    LESSON.python("copy_on_write", "copy_on_write.py");
}

fn shared_value() {
    let path = env!("CARGO_BIN_EXE_shared_value");
    LESSON.check("shared_value", "shared_value", path, &[], Some("shared_value.py"));
}

fn spawned_array() {
    let path = env!("CARGO_BIN_EXE_spawned_array");
    LESSON.check("spawned_array", "spawned_array", path, &[], Some("spawned_array.py"));
}

fn lost_update() {
    LESSON.check("lost_update", "lost_update", env!("CARGO_BIN_EXE_lost_update"), &[], None);
}

/// Python's `Value` has no `fetch_add`: its twin shows the other two schedules only.
fn lost_update_python() {
    LESSON.python("lost_update", "lost_update.py");
}

fn dead_holder() {
    LESSON.check("dead_holder", "dead_holder", env!("CARGO_BIN_EXE_dead_holder"), &[], None);
}

/// Python's lock stays held when its holder is killed: its twin shows a bounded `acquire` give up.
fn dead_holder_python() {
    LESSON.python("dead_holder", "dead_holder.py");
}

fn event_semaphore() {
    let path = env!("CARGO_BIN_EXE_event_semaphore");
    LESSON.check("event_semaphore", "event_semaphore", path, &[], Some("event_semaphore.py"));
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        copy_on_write,
        copy_on_write_python,
        shared_value,
        spawned_array,
        lost_update,
        lost_update_python,
        dead_holder,
        dead_holder_python,
        event_semaphore,
    ])
}
