//! What the grader prints.

use crate::catalogue::Exercise;
use crate::grade::{Status, TestResult};

/// Width of the progress bar, in cells.
const BAR_WIDTH: usize = 30;

/// "Chapter 1 — fork" from a chapter module's name, `ch01_fork`.
pub fn chapter_title(chapter: &str) -> String {
    let rest = chapter.trim_start_matches("ch");
    let (number, topic) = rest.split_once('_').unwrap_or((rest, ""));
    let number = number.trim_start_matches('0');
    format!("Chapter {number} — {}", topic.replace('_', " "))
}

/// One exercise's line: a mark, its name and its status.
pub fn exercise_line(exercise: &Exercise, status: &Status, name_width: usize) -> String {
    let name = &exercise.name;
    match status {
        Status::Done => format!("  ✔ {name:name_width$}  done"),
        Status::NotYet => format!("  · {name:name_width$}  not yet"),
        Status::Failing(why) => format!("  ✘ {name:name_width$}  failing: {why}"),
    }
}

/// The progress bar with its count, e.g. `[██████░░░…] 1 of 4 exercises done`.
pub fn progress_line(done: usize, total: usize) -> String {
    let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(BAR_WIDTH);
    format!("[{}{}] {done} of {total} exercises done", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

/// Where the learner goes next: the exercise's file and line, and its task; hints are asked for.
pub fn next_exercise(exercise: &Exercise, status: &Status) -> String {
    let mut text = format!("Next: {} in {}:{}\n", exercise.name, exercise.file.display(), exercise.line);
    if let Status::Failing(why) = status {
        text.push_str(&format!("  It is failing: {why}\n"));
    }
    for paragraph in exercise.task.lines() {
        text.push_str(&format!("  {paragraph}\n"));
    }
    text.push_str("Change the code, then grade again. Stuck? `cargo run -- hint` gives a hint, and the next one if you ask again.");
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
    let mut text = format!("{} in {}:{}\n", exercise.name, exercise.file.display(), exercise.line);
    if let Some(Status::Failing(why)) = status {
        text.push_str(&format!("  It is failing: {why}\n"));
    }
    for paragraph in exercise.task.lines() {
        text.push_str(&format!("  {paragraph}\n"));
    }
    let count = exercise.hints.len();
    match exercise.hints.get(level.saturating_sub(1)) {
        Some(hint) => text.push_str(&format!("  Hint {level} of {count}: {hint}\n")),
        None => text.push_str("  This exercise has no hint.\n"),
    }
    if level < count {
        text.push_str("Ask again, `cargo run -- hint`, for the next hint.");
    } else {
        text.push_str(&format!(
            "That was the last hint. A solution is in solutions/src/{}.rs, and the book's chapter explains it.",
            exercise.chapter
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_bars() {
        assert_eq!(chapter_title("ch01_fork"), "Chapter 1 — fork");
        assert_eq!(chapter_title("ch05_start_methods"), "Chapter 5 — start methods");
        assert!(progress_line(0, 4).starts_with(&format!("[{}]", "░".repeat(BAR_WIDTH))));
        assert!(progress_line(4, 4).ends_with("] 4 of 4 exercises done"));
    }
}
