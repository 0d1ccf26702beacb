//! Which exercise comes next: the one the learner is working on, not always the first unfinished one.

use std::path::Path;
use std::time::SystemTime;

use crate::catalogue::Exercise;
use crate::grade::Status;

/// Whether the learner has started `exercise`: its body in its file is no longer the stub's `todo!()`.
pub fn started(root: &Path, exercise: &Exercise) -> bool {
    let Ok(source) = std::fs::read_to_string(root.join(&exercise.file)) else { return false };
    let body: Vec<&str> =
        source.lines().skip(exercise.line).take_while(|line| *line != "}").map(str::trim).collect();
    body != ["todo!()"]
}

/// The chapter file the learner changed last, among those with an exercise they have started.
pub fn chapter_in_progress(root: &Path, exercises: &[Exercise]) -> Option<String> {
    let modified = |exercise: &Exercise| {
        std::fs::metadata(root.join(&exercise.file))
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH)
    };
    exercises
        .iter()
        .filter(|exercise| started(root, exercise))
        .max_by_key(|exercise| modified(exercise))
        .map(|exercise| exercise.chapter.clone())
}

// ANCHOR: next
/// The next exercise: the first unfinished one in the chapter file the learner changed last, if it has
/// one; otherwise the first unfinished one in book order. `statuses` go with `exercises`, and `None`
/// is an exercise that was not graded.
pub fn next<'e, 's>(
    root: &Path,
    exercises: &'e [Exercise],
    statuses: &'s [Option<Status>],
) -> Option<(&'e Exercise, &'s Status)> {
    let unfinished = || {
        exercises
            .iter()
            .zip(statuses)
            .filter_map(|(exercise, status)| Some((exercise, status.as_ref()?)))
            .filter(|(_, status)| **status != Status::Done)
    };
    let current = chapter_in_progress(root, exercises);
    unfinished()
        .find(|(exercise, _)| Some(&exercise.chapter) == current.as_ref())
        .or_else(|| unfinished().next())
}
// ANCHOR_END: next
