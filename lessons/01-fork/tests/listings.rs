//! Snapshot tests: every listing of chapter 1 runs as a real process; what it printed, with pids
//! normalised to P1, P2, …, is compared with the reviewed snapshot the book shows.
//! The Python twins run too, and must print the same lines.

use std::process::ExitCode;

use testkit::listing::Lesson;

const LESSON: Lesson = Lesson { package: "lesson-01-fork", dir: env!("CARGO_MANIFEST_DIR") };

/// Listing 1-1 has no gate: its last two lines come in either order. Twenty runs of it, and twenty of
/// its Python twin, each print the same three lines, the first one first.
fn plain_fork() {
    let path = env!("CARGO_BIN_EXE_plain_fork");
    let orders = LESSON.check_any_order("plain_fork", "plain_fork", path, Some("plain_fork.py"), 1, 20);
    println!("plain_fork: {orders} different order(s) of its lines seen");
}

fn first_fork() {
    LESSON.check("first_fork", "first_fork", env!("CARGO_BIN_EXE_first_fork"), &[], Some("first_fork.py"));
}

fn two_returns() {
    LESSON.check(
        "two_returns",
        "two_returns",
        env!("CARGO_BIN_EXE_two_returns"),
        &[],
        Some("two_returns.py"),
    );
}

fn fork_loop() {
    LESSON.check("fork_loop", "fork_loop", env!("CARGO_BIN_EXE_fork_loop"), &[], Some("fork_loop.py"));
}

/// The book's picture of Listing 1-5's processes is the one a run draws now. Set `UPDATE_TREE=1` to
/// redraw it after a change, then look at it and commit it.
fn the_books_process_tree_is_drawn_from_a_real_run() {
    let run = testkit::listing::run(env!("CARGO_BIN_EXE_fork_loop"), &[]);
    run.assert_clean_exit();
    let svg = lesson_01_fork::tree::svg(&lesson_01_fork::tree::nodes(&run.output));
    let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src/fork-loop-tree.svg");
    if std::env::var("UPDATE_TREE").is_ok_and(|v| v == "1") {
        std::fs::write(&book, &svg).expect("write the book's process tree");
    }
    let committed = std::fs::read_to_string(&book).unwrap_or_default();
    assert_eq!(committed, svg, "book/src/fork-loop-tree.svg is not the picture a run draws: UPDATE_TREE=1");
}

fn buffered_trap() {
    let path = env!("CARGO_BIN_EXE_buffered_trap");
    LESSON.check("buffered_trap", "buffered_trap", path, &[], Some("buffered_trap.py"));
}

fn return_into_caller_mistake() {
    let path = env!("CARGO_BIN_EXE_return_into_caller");
    LESSON.check("return_into_caller_mistake", "return_into_caller", path, &["mistake"], None);
}

fn return_into_caller_fixed() {
    let path = env!("CARGO_BIN_EXE_return_into_caller");
    LESSON.check("return_into_caller_fixed", "return_into_caller", path, &["fixed"], None);
}

fn threaded_fork() {
    LESSON.check("threaded_fork", "threaded_fork", env!("CARGO_BIN_EXE_threaded_fork"), &[], None);
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        plain_fork,
        first_fork,
        two_returns,
        fork_loop,
        the_books_process_tree_is_drawn_from_a_real_run,
        buffered_trap,
        return_into_caller_mistake,
        return_into_caller_fixed,
        threaded_fork,
    ])
}
