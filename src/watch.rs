//! `cargo run -- watch`: grades a chapter again each time its file in `exercises/src/` is saved.
//!
//! The watching is the `notify` crate's (inotify on Linux), through its debouncer, so that an editor
//! that writes a file in several steps causes one grading, not several. The debouncer reports reads
//! too (cargo and the grader read every chapter's file), so a chapter is graded only when its file's
//! modification time has changed. Grading is the same as the other commands': each test contained,
//! so a compile error, a hang or a fork bomb in the learner's code is reported and the watcher goes on.

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use notify_debouncer_mini::new_debouncer;
use notify_debouncer_mini::notify::RecursiveMode;

use crate::words::{fill, tr};

/// How long the files must be quiet before a change is graded.
const QUIET: Duration = Duration::from_millis(300);

/// The chapter whose file `path` is: `ch03_process` for `…/exercises/src/ch03_process.rs`.
pub fn chapter_of(path: &Path) -> Option<String> {
    let chapter = path.file_name()?.to_str()?.strip_suffix(".rs")?;
    let number = chapter.strip_prefix("ch")?.get(..2)?;
    number.chars().all(|c| c.is_ascii_digit()).then(|| chapter.to_string())
}

// ANCHOR: watch
/// Calls `grade` with the chapter of each file saved in `root/exercises/src/`, a chapter at a time,
/// until the process is stopped.
pub fn watch(root: &Path, mut grade: impl FnMut(&str)) -> Result<(), String> {
    let (changes, changed) = mpsc::channel();
    let mut debouncer =
        new_debouncer(QUIET, changes).map_err(|e| fill(tr("cannot watch the files: {e}"), &[("e", &e)]))?;
    let directory = root.join("exercises/src");
    debouncer.watcher().watch(&directory, RecursiveMode::NonRecursive).map_err(|e| {
        fill(tr("cannot watch {directory}: {e}"), &[("directory", &directory.display()), ("e", &e)])
    })?;
    let modified = |chapter: &str| {
        std::fs::metadata(directory.join(format!("{chapter}.rs"))).and_then(|m| m.modified()).ok()
    };
    // Each chapter's file as it was when last graded: as it is now, since the caller graded them all.
    let mut graded: HashMap<String, Option<SystemTime>> = std::fs::read_dir(&directory)
        .map_err(|e| fill(tr("cannot read {file}: {e}"), &[("file", &directory.display()), ("e", &e)]))?
        .filter_map(|entry| chapter_of(&entry.ok()?.path()))
        .map(|chapter| (chapter.clone(), modified(&chapter)))
        .collect();
    for events in changed {
        let Ok(events) = events else { continue };
        let mut chapters: Vec<String> = events.iter().filter_map(|event| chapter_of(&event.path)).collect();
        chapters.sort();
        chapters.dedup();
        for chapter in chapters {
            let now = modified(&chapter);
            // Read, not written, since it was last graded: nothing to grade.
            if graded.get(&chapter) == Some(&now) {
                continue;
            }
            graded.insert(chapter.clone(), now);
            grade(&chapter);
        }
    }
    Ok(())
}
// ANCHOR_END: watch

#[cfg(test)]
mod tests {
    use super::chapter_of;
    use std::path::Path;

    #[test]
    fn only_a_chapter_file_names_a_chapter() {
        assert_eq!(
            chapter_of(Path::new("/w/exercises/src/ch03_process.rs")).as_deref(),
            Some("ch03_process")
        );
        assert_eq!(chapter_of(Path::new("/w/exercises/src/lib.rs")), None);
        assert_eq!(chapter_of(Path::new("/w/exercises/src/.ch03_process.rs.swp")), None);
        assert_eq!(chapter_of(Path::new("/w/exercises/src/chapter.rs")), None);
    }
}
