//! What the grader prints.

use crate::catalogue::Exercise;
use crate::grade::{Status, TestResult};
use crate::words::{fill, tr};

/// Width of the progress bar, in cells.
const BAR_WIDTH: usize = 30;

/// "Chapter 1 — fork: one call, two returns" for a chapter module's name, `ch01_fork`: the title
/// the book gives the chapter, or, if the book's table of contents was not read, the module's topic.
pub fn chapter_title(chapter: &str) -> String {
    let rest = chapter.trim_start_matches("ch");
    let (number, topic) = rest.split_once('_').unwrap_or((rest, ""));
    let number: u32 = number.parse().unwrap_or_default();
    let title = crate::words::chapter_title(number).unwrap_or_else(|| topic.replace('_', " "));
    fill(tr("Chapter {number} — {title}"), &[("number", &number), ("title", &title)])
}

/// One exercise's line: a mark, its name and its status.
pub fn exercise_line(exercise: &Exercise, status: &Status, name_width: usize) -> String {
    let name = &exercise.name;
    match status {
        Status::Done => format!("  ✔ {name:name_width$}  {}", tr("done")),
        Status::NotYet => format!("  · {name:name_width$}  {}", tr("not yet")),
        Status::Failing(why) => {
            format!("  ✘ {name:name_width$}  {}", fill(tr("failing: {why}"), &[("why", why)]))
        }
    }
}

/// The progress bar with its count, e.g. `[██████░░░…] 1 of 4 exercises done`.
pub fn progress_line(done: usize, total: usize) -> String {
    let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(BAR_WIDTH);
    let count = fill(tr("{done} of {total} exercises done"), &[("done", &done), ("total", &total)]);
    format!("[{}{}] {count}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

/// Where the learner goes next: the exercise's file and line, and its task; hints are asked for.
pub fn next_exercise(exercise: &Exercise, status: &Status) -> String {
    let mut text = fill(tr("Next: {place}"), &[("place", &place(exercise))]) + "\n";
    text.push_str(&task(exercise, Some(status)));
    text.push_str(&tr(
        "Change the code, then grade again. Stuck? `cargo run -- hint` gives a hint, and the next one if you ask again.",
    ));
    text
}

/// Where an exercise is: `fork_children in exercises/src/ch01_fork.rs:17`.
pub fn place(exercise: &Exercise) -> String {
    let file = format!("{}:{}", exercise.file.display(), exercise.line);
    fill(tr("{name} in {file}"), &[("name", &exercise.name), ("file", &file)])
}

/// An exercise's failure, if it is failing, then its task (from its doc comment, in English: it is
/// code), each line indented.
fn task(exercise: &Exercise, status: Option<&Status>) -> String {
    let mut text = String::new();
    if let Some(Status::Failing(why)) = status {
        text.push_str(&format!("  {}\n", fill(tr("It is failing: {why}"), &[("why", why)])));
    }
    for paragraph in exercise.task.lines() {
        text.push_str(&format!("  {paragraph}\n"));
    }
    text
}

/// One graded test's line under its exercise, for `list`: a mark, its name, and why it fails.
pub fn test_line(test: &str, result: &TestResult) -> String {
    match result {
        TestResult::Passed => format!("      ✔ {test}"),
        TestResult::Failed(why) => format!("      ✘ {test}: {why}"),
    }
}

/// An exercise's place and task, with its hint number `level` (from 1), for `hint`; with its failure,
/// if it is failing; and what to do next.
pub fn hint(exercise: &Exercise, status: Option<&Status>, level: usize) -> String {
    let mut text = place(exercise) + "\n";
    text.push_str(&task(exercise, status));
    let count = exercise.hints.len();
    match exercise.hints.get(level.saturating_sub(1)) {
        Some(hint) => {
            let hint = crate::words::from_book(hint);
            let line = fill(
                tr("Hint {level} of {count}: {hint}"),
                &[("level", &level), ("count", &count), ("hint", &hint)],
            );
            text.push_str(&format!("  {line}\n"));
        }
        None => text.push_str(&format!("  {}\n", tr("This exercise has no hint."))),
    }
    if level < count {
        text.push_str(&tr("Ask again, `cargo run -- hint`, for the next hint."));
    } else {
        let file = format!("solutions/src/{}.rs", exercise.chapter);
        text.push_str(&fill(
            tr("That was the last hint. A solution is in {file}, and the book's chapter explains it."),
            &[("file", &file)],
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_bars() {
        // Before words::choose has read the book's table of contents: the module's topic.
        assert_eq!(chapter_title("ch01_fork"), "Chapter 1 — fork");
        assert_eq!(chapter_title("ch05_start_methods"), "Chapter 5 — start methods");
        assert!(progress_line(0, 4).starts_with(&format!("[{}]", "░".repeat(BAR_WIDTH))));
        assert!(progress_line(4, 4).ends_with("] 4 of 4 exercises done"));
    }
}
