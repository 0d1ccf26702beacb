//! The grader: `cargo run` at the workspace root.
//!
//! With no command, builds your exercises' graded tests, runs each one contained and with a time
//! limit, and prints every exercise as done, not yet or failing, a progress bar, and the next exercise
//! with its task. Exits with status 0 when every exercise is done. `cargo run -- --help` lists the
//! other commands: `watch`, `check`, `list`, `hint` and `reset`.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use fork_to_pool::catalogue::{self, Exercise};
use fork_to_pool::command_line::{self, Command};
use fork_to_pool::grade::{Status, TestResult};
use fork_to_pool::session::{self, Failed, Session};
use fork_to_pool::words::{fill, tr};
use fork_to_pool::{hints, next, report, reset, watch, words};

fn main() -> ExitCode {
    let root = fork_to_pool::workspace_root();
    words::choose(&root);
    let cli = command_line::parse();
    let exercises = match catalogue::exercises(&root, "exercises") {
        Ok(exercises) => exercises,
        Err(e) => {
            let directory = root.join("exercises").display().to_string();
            eprintln!(
                "{}",
                fill(
                    tr("Cannot read the exercises under {directory}: {e}"),
                    &[("directory", &directory), ("e", &e)]
                )
            );
            return ExitCode::FAILURE;
        }
    };
    let done = match cli.command {
        None => progress(&root, &exercises, &session::chapters_of(&exercises)),
        Some(Command::Check { chapter }) => match chapter_named(&exercises, chapter) {
            Ok(chapter) => progress(&root, &exercises, &[chapter]),
            Err(e) => Err(e),
        },
        Some(Command::Watch) => watch(&root, &exercises),
        Some(Command::List) => list(&root, &exercises),
        Some(Command::Hint { exercise }) => hint(&root, &exercises, exercise.as_deref()),
        Some(Command::Reset { exercise, yes }) => reset_one(&root, &exercises, &exercise, yes),
    };
    match done {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Grades `chapters`, prints each with its exercises, the progress and what comes next. Returns
/// whether every exercise graded is done.
fn progress(root: &Path, exercises: &[Exercise], chapters: &[String]) -> Result<bool, String> {
    println!("{}", tr("From fork to Pool — grading your exercises in exercises/src/"));
    println!("{}", tr("Building the graded tests of your exercises…"));
    let session = match session::grade(root, chapters) {
        Ok(session) => session,
        Err(Failed::Compile(diagnostics)) => return compile_error(root, exercises, chapters, &diagnostics),
        Err(other) => return Err(other.to_string()),
    };
    println!();
    let statuses = print_progress(exercises, chapters, &session);
    let graded = statuses.iter().flatten().count();
    let passed = session.results.iter().filter(|(_, r)| *r == TestResult::Passed).count();
    let total = session.results.len();
    let values: [(&str, &dyn std::fmt::Display); 3] =
        [("passed", &passed), ("total", &total), ("containment", &session.containment)];
    println!("{}", fill(tr("{passed} of {total} graded tests pass; each ran in {containment}."), &values));
    match next::next(root, exercises, &statuses) {
        Some((exercise, status)) => {
            println!("\n{}", report::next_exercise(exercise, status));
            Ok(false)
        }
        None if graded == exercises.len() => {
            println!("\n{}", tr("Every exercise is done. Well done!"));
            Ok(true)
        }
        None => {
            println!("\n{}", tr("Every exercise of this chapter is done. `cargo run` grades them all."));
            Ok(true)
        }
    }
}

/// Grades every chapter, then a chapter again each time its file is saved, until stopped.
fn watch(root: &Path, exercises: &[Exercise]) -> Result<bool, String> {
    if let Err(message) = progress(root, exercises, &session::chapters_of(exercises)) {
        eprintln!("{message}");
    }
    let watching = tr(
        "Watching exercises/src/: save a chapter's file and its exercises are graded again. Ctrl-C stops.",
    );
    println!("\n{watching}");
    watch::watch(root, |chapter| {
        let file = format!("exercises/src/{chapter}.rs");
        println!("\n── {} ──", fill(tr("{file} was saved"), &[("file", &file)]));
        // Read again: the learner's edits move the exercises' lines.
        let graded = catalogue::exercises(root, "exercises")
            .map_err(|e| fill(tr("cannot read the exercises: {e}"), &[("e", &e)]))
            .and_then(|exercises| progress(root, &exercises, &[chapter.to_string()]));
        if let Err(message) = graded {
            eprintln!("{message}");
        }
        println!("\n{watching}");
    })?;
    Ok(false)
}

/// Prints rustc's diagnostics, then the progress of the last grading that compiled, if there was one,
/// so that an error in one chapter's file does not hide the others.
fn compile_error(
    root: &Path,
    exercises: &[Exercise],
    chapters: &[String],
    diagnostics: &str,
) -> Result<bool, String> {
    eprintln!("{diagnostics}");
    let last = fork_to_pool::last_known::load(root);
    if !last.is_empty() {
        let session = Session { results: last, containment: String::new() };
        println!("\n{}\n", tr("Your exercises as they were at the last grading that compiled:"));
        print_progress(exercises, chapters, &session);
    }
    println!("{}", tr("Your exercises do not compile: fix the first error above, then grade again."));
    Ok(false)
}

/// Grades every chapter and prints each exercise with each of its graded tests.
fn list(root: &Path, exercises: &[Exercise]) -> Result<bool, String> {
    let chapters = session::chapters_of(exercises);
    let session = session::grade(root, &chapters).map_err(|e| e.to_string())?;
    let statuses = statuses(exercises, &chapters, &session);
    let width = exercises.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for chapter in &chapters {
        print_chapter(exercises, &statuses, chapter, width, |exercise| {
            for (test, result) in session.tests_of(exercise) {
                println!("{}", report::test_line(test, result));
            }
        });
    }
    Ok(statuses.iter().flatten().all(|s| *s == Status::Done))
}

/// Prints the task and the next hint of `name`, or of the exercise the learner is working on.
fn hint(root: &Path, exercises: &[Exercise], name: Option<&str>) -> Result<bool, String> {
    let (exercise, status) = match name {
        Some(name) => (find(exercises, name)?, None),
        None => {
            // Grade only the chapter the learner is working on, if there is one: it is quicker.
            let chapters = match next::chapter_in_progress(root, exercises) {
                Some(chapter) => vec![chapter],
                None => session::chapters_of(exercises),
            };
            let session = session::grade(root, &chapters).map_err(|e| e.to_string())?;
            let statuses = statuses(exercises, &chapters, &session);
            match next::next(root, exercises, &statuses) {
                Some((exercise, status)) => (exercise, Some(status.clone())),
                None => {
                    println!(
                        "{}",
                        tr(
                            "Every exercise graded is done: name one, as in `cargo run -- hint fork_children`."
                        )
                    );
                    return Ok(true);
                }
            }
        }
    };
    let mut given = hints::Given::load(root);
    let level = given.next(&exercise.name, exercise.hints.len());
    if let Err(e) = given.save() {
        eprintln!("({})", fill(tr("cannot remember the hints given: {e}"), &[("e", &e)]));
    }
    println!("{}", report::hint(exercise, status.as_ref(), level));
    Ok(true)
}

/// Puts the stub of `name` back, after asking, unless `yes`.
fn reset_one(root: &Path, exercises: &[Exercise], name: &str, yes: bool) -> Result<bool, String> {
    let exercise = find(exercises, name)?;
    let place = report::place(exercise);
    if !yes {
        print!(
            "{} ",
            fill(tr("Reset {place} to its stub? Your code in it will be lost. [y/N]"), &[("place", &place)])
        );
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("{}", tr("Nothing changed."));
            return Ok(false);
        }
    }
    reset::reset(root, exercise)?;
    println!("{}", fill(tr("{place} is its stub again: its body is `todo!()`."), &[("place", &place)]));
    Ok(true)
}

/// The exercise called `name`, or an error that lists the names.
fn find<'a>(exercises: &'a [Exercise], name: &str) -> Result<&'a Exercise, String> {
    exercises.iter().find(|e| e.name == name).ok_or_else(|| {
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        let (quoted, names) = (format!("{name:?}"), names.join(", "));
        fill(
            tr("There is no exercise named {name}. The exercises are: {names}."),
            &[("name", &quoted), ("names", &names)],
        )
    })
}

/// The chapter module numbered `number` (`ch03_process` for 3), or an error that lists them.
fn chapter_named(exercises: &[Exercise], number: u32) -> Result<String, String> {
    let chapters = session::chapters_of(exercises);
    let wanted = format!("ch{number:02}_");
    chapters.iter().find(|c| c.starts_with(&wanted)).cloned().ok_or_else(|| {
        let numbers: Vec<String> = chapters
            .iter()
            .filter_map(|c| c.get(2..4)?.trim_start_matches('0').parse::<u32>().ok())
            .map(|n| n.to_string())
            .collect();
        let numbers = numbers.join(", ");
        fill(
            tr("Chapter {number} has no exercises. Chapters with exercises: {numbers}."),
            &[("number", &number), ("numbers", &numbers)],
        )
    })
}

/// Prints each of `chapters` with its exercises' statuses in `session`, then the progress bar; returns
/// the statuses.
fn print_progress(exercises: &[Exercise], chapters: &[String], session: &Session) -> Vec<Option<Status>> {
    let statuses = statuses(exercises, chapters, session);
    let width = exercises.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for chapter in chapters {
        print_chapter(exercises, &statuses, chapter, width, |_| {});
    }
    let done = statuses.iter().flatten().filter(|s| **s == Status::Done).count();
    println!("{}\n", report::progress_line(done, statuses.iter().flatten().count()));
    statuses
}

/// Each exercise's status if its chapter was graded, `None` if not.
fn statuses(exercises: &[Exercise], chapters: &[String], session: &Session) -> Vec<Option<Status>> {
    exercises.iter().map(|e| chapters.contains(&e.chapter).then(|| session.status(e))).collect()
}

/// Prints one chapter's title and its exercises' lines, with `under` called after each line.
fn print_chapter(
    exercises: &[Exercise],
    statuses: &[Option<Status>],
    chapter: &str,
    width: usize,
    under: impl Fn(&Exercise),
) {
    let file = exercises.iter().find(|e| e.chapter == chapter).map(|e| e.file.display().to_string());
    println!("{} ({})", report::chapter_title(chapter), file.unwrap_or_default());
    for (exercise, status) in exercises.iter().zip(statuses).filter(|(e, _)| e.chapter == chapter) {
        if let Some(status) = status {
            println!("{}", report::exercise_line(exercise, status, width));
            under(exercise);
        }
    }
    println!();
}
