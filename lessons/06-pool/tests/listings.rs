//! Snapshot tests: every listing of chapter 6 runs as a real process; what it printed, with pids
//! normalised, is compared with the reviewed snapshot the book shows, and the Python twin of the seed's
//! pool must print the same. The timeline picture in the book is redrawn from a real run and compared.

use std::path::Path;
use std::process::ExitCode;

use testkit::listing::Lesson;

const LESSON: Lesson = Lesson { package: "lesson-06-pool", dir: env!("CARGO_MANIFEST_DIR") };

fn seed_pool() {
    LESSON.check("seed_pool", "seed_pool", env!("CARGO_BIN_EXE_seed_pool"), &[], Some("seed_pool.py"));
}

fn callbacks() {
    LESSON.check("callbacks", "callbacks", env!("CARGO_BIN_EXE_callbacks"), &[], None);
}

fn failures() {
    LESSON.check("failures", "failures", env!("CARGO_BIN_EXE_failures"), &[], None);
}

fn map_and_imap() {
    LESSON.check("map_and_imap", "map_and_imap", env!("CARGO_BIN_EXE_map_and_imap"), &[], None);
}

/// Listing 6-5 names the lost task; its twin shows CPython's pool timing out on the same task.
fn lost_task() {
    LESSON.check("lost_task", "lost_task", env!("CARGO_BIN_EXE_lost_task"), &[], None);
    LESSON.python("lost_task", "lost_task.py");
}

/// The book's picture of Listing 6-1's run is the one a run draws now. Set `UPDATE_TIMELINE=1` to
/// redraw it after a change, then look at it and commit it.
fn the_books_timeline_is_drawn_from_a_real_run() {
    let drawn = std::env::temp_dir().join(format!("pool-timeline-{}.svg", std::process::id()));
    let run = testkit::listing::run(env!("CARGO_BIN_EXE_seed_pool"), &[drawn.to_str().expect("utf-8 path")]);
    run.assert_clean_exit();
    let svg = std::fs::read_to_string(&drawn).expect("the listing drew the timeline");
    let _ = std::fs::remove_file(&drawn);
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src/pool-timeline.svg");
    if std::env::var("UPDATE_TIMELINE").is_ok_and(|v| v == "1") {
        std::fs::write(&book, &svg).expect("write the book's timeline");
    }
    let committed = std::fs::read_to_string(&book).unwrap_or_default();
    assert_eq!(
        committed, svg,
        "book/src/pool-timeline.svg is not the picture a run draws: UPDATE_TIMELINE=1"
    );
}

fn main() -> ExitCode {
    testkit::harness::run(testkit::trials![
        seed_pool,
        callbacks,
        failures,
        map_and_imap,
        lost_task,
        the_books_timeline_is_drawn_from_a_real_run
    ])
}
