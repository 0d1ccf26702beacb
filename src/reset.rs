//! `cargo run -- reset EXERCISE`: gives one exercise its stub back, and leaves the rest of its file as
//! it is.
//!
//! The stub is rebuilt, not fetched from git: its doc comment and signature are the ones in
//! `solutions/src/`, which are the exercises' own (a self-check compares them), and its body is
//! `todo!()`, as every stub's is.

use std::path::Path;

use crate::catalogue::{self, Exercise};
use crate::words::{fill, tr};

/// The lines of `exercise`'s item in `source`: from the first line of its doc comment to the `}` that
/// closes its body, as a range of 0-based line numbers.
fn item_lines(source: &[&str], exercise: &Exercise) -> Option<std::ops::Range<usize>> {
    let signature = exercise.line.checked_sub(1)?;
    let start =
        (0..signature).rev().take_while(|&i| source[i].starts_with("///")).last().unwrap_or(signature);
    let end = (signature..source.len()).find(|&i| source[i] == "}")?;
    Some(start..end + 1)
}

/// The stub of `name` in `chapter`: the solutions' doc comment and signature, and `todo!()`.
pub fn stub(root: &Path, chapter: &str, name: &str) -> Result<Vec<String>, String> {
    let file = Path::new("solutions/src").join(format!("{chapter}.rs"));
    let source = std::fs::read_to_string(root.join(&file))
        .map_err(|e| fill(tr("cannot read {file}: {e}"), &[("file", &file.display()), ("e", &e)]))?;
    let lines: Vec<&str> = source.lines().collect();
    let exercise =
        catalogue::parse(chapter, &file, &source).into_iter().find(|e| e.name == name).ok_or_else(|| {
            fill(tr("{file} has no exercise named {name}"), &[("file", &file.display()), ("name", &name)])
        })?;
    let range = item_lines(&lines, &exercise).ok_or_else(|| {
        fill(tr("cannot find the end of {name} in {file}"), &[("name", &name), ("file", &file.display())])
    })?;
    let signature = exercise.line - 1;
    let mut stub: Vec<String> = lines[range.start..=signature].iter().map(|l| l.to_string()).collect();
    stub.extend(["    todo!()".to_string(), "}".to_string()]);
    Ok(stub)
}

/// Puts the stub of `exercise` back in its file, in place of what is there now.
pub fn reset(root: &Path, exercise: &Exercise) -> Result<(), String> {
    let path = root.join(&exercise.file);
    let source = std::fs::read_to_string(&path)
        .map_err(|e| fill(tr("cannot read {file}: {e}"), &[("file", &path.display()), ("e", &e)]))?;
    let lines: Vec<&str> = source.lines().collect();
    let range = item_lines(&lines, exercise).ok_or_else(|| {
        fill(
            tr("cannot find the end of {name} in {file}"),
            &[("name", &exercise.name), ("file", &exercise.file.display())],
        )
    })?;
    let stub = stub(root, &exercise.chapter, &exercise.name)?;
    let mut out: Vec<String> = lines[..range.start].iter().map(|l| l.to_string()).collect();
    out.extend(stub);
    out.extend(lines[range.end..].iter().map(|l| l.to_string()));
    let mut text = out.join("\n");
    if source.ends_with('\n') {
        text.push('\n');
    }
    std::fs::write(&path, text)
        .map_err(|e| fill(tr("cannot write {file}: {e}"), &[("file", &path.display()), ("e", &e)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A learner's body in a copy of chapter 1's file goes, its stub comes back, and every other line
    /// of the file is as it was.
    #[test]
    fn reset_puts_the_stub_back_and_leaves_the_rest() {
        let root = crate::workspace_root();
        let scratch = std::env::temp_dir().join(format!("reset-test-{}", std::process::id()));
        for dir in ["exercises/src", "solutions/src"] {
            std::fs::create_dir_all(scratch.join(dir)).expect("mkdir");
            let file = format!("{dir}/ch01_fork.rs");
            std::fs::copy(root.join(&file), scratch.join(&file)).expect("copy");
        }
        let file = scratch.join("exercises/src/ch01_fork.rs");
        let pristine = std::fs::read_to_string(&file).expect("read");
        let exercise = &catalogue::parse("ch01_fork", Path::new("exercises/src/ch01_fork.rs"), &pristine)[1];
        let edited = pristine.replacen(
            &format!("{}\n    todo!()\n}}", exercise.signature),
            &format!("{}\n    let mine = 1;\n    let _ = mine;\n    todo!()\n}}", exercise.signature),
            1,
        );
        assert_ne!(edited, pristine, "the edit did not apply");
        std::fs::write(&file, &edited).expect("write");
        reset(&scratch, exercise).expect("reset");
        let after = std::fs::read_to_string(&file).expect("read");
        std::fs::remove_dir_all(&scratch).expect("clean up");
        assert_eq!(after, pristine);
    }

    /// Every exercise's stub, rebuilt from the solutions, is exactly its item in the untouched
    /// `exercises/src/`: resetting a fresh clone changes nothing.
    #[test]
    fn every_rebuilt_stub_is_the_exercise_as_shipped() {
        let root = crate::workspace_root();
        for exercise in catalogue::exercises(&root, "exercises").expect("read the exercises") {
            let source = std::fs::read_to_string(root.join(&exercise.file)).expect("read");
            let lines: Vec<&str> = source.lines().collect();
            let shipped: Vec<String> = lines[item_lines(&lines, &exercise).expect("an item")]
                .iter()
                .map(|l| l.to_string())
                .collect();
            let rebuilt = stub(&root, &exercise.chapter, &exercise.name).expect("a stub");
            assert_eq!(rebuilt, shipped, "the stub of {} differs from exercises/src/", exercise.name);
        }
    }
}
