//! The exercises, read from the learner's crate.
//!
//! The doc comment of each exercise is its single source of truth for the task and its rules: the
//! grader shows it, and the book includes it. The hints are in `exercises/hints/` (see [`crate::hints`]).

use std::path::{Path, PathBuf};

/// One exercise: a `pub fn` with a doc comment in a chapter module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    /// The chapter module, e.g. `ch01_fork`; also the name of its graded test target.
    pub chapter: String,
    /// The function's name, e.g. `fork_children`; its graded tests live in a module of that name.
    pub name: String,
    /// The function's signature line, e.g. `pub fn fork_children(n: usize) -> Vec<Pid> {`.
    pub signature: String,
    /// The file, relative to the workspace root.
    pub file: PathBuf,
    /// The 1-based line of the `pub fn`.
    pub line: usize,
    /// The task and its rules: the doc comment's paragraphs.
    pub task: String,
    /// The hints, the gentler first, from the chapter's file in `exercises/hints/`.
    pub hints: Vec<String>,
}

/// The chapter modules a crate declares in `src/lib.rs`, in order (`pub mod chNN_topic;`).
pub fn chapters(crate_dir: &Path) -> std::io::Result<Vec<String>> {
    let lib = std::fs::read_to_string(crate_dir.join("src/lib.rs"))?;
    Ok(lib
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub mod ")?.strip_suffix(';'))
        .map(str::to_string)
        .collect())
}

/// Every exercise of every chapter in `crate_dir` (`exercises` or `solutions`), in file order.
pub fn exercises(root: &Path, crate_name: &str) -> std::io::Result<Vec<Exercise>> {
    let crate_dir = root.join(crate_name);
    let mut all = Vec::new();
    for chapter in chapters(&crate_dir)? {
        let file = Path::new(crate_name).join("src").join(format!("{chapter}.rs"));
        let source = std::fs::read_to_string(root.join(&file))?;
        let hints = std::fs::read_to_string(crate::hints::file_of(root, &chapter)).unwrap_or_default();
        all.extend(
            parse(&chapter, &file, &source).into_iter().map(|exercise| Exercise {
                hints: crate::hints::hints_of(&hints, &exercise.name),
                ..exercise
            }),
        );
    }
    Ok(all)
}

/// The exercises in one chapter file's source, without their hints.
pub fn parse(chapter: &str, file: &Path, source: &str) -> Vec<Exercise> {
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = line.strip_prefix("pub fn ") else { continue };
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let doc: Vec<&str> = lines[..index]
            .iter()
            .rev()
            .take_while(|l| l.starts_with("///"))
            .map(|l| l.trim_start_matches("///").strip_prefix(' ').unwrap_or(l.trim_start_matches("///")))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let paragraphs: Vec<String> =
            doc.split(|l| l.trim().is_empty()).filter(|p| !p.is_empty()).map(|p| p.join(" ")).collect();
        found.push(Exercise {
            chapter: chapter.to_string(),
            name,
            signature: line.trim().to_string(),
            file: file.to_path_buf(),
            line: index + 1,
            task: paragraphs.join("\n"),
            hints: Vec::new(),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_task_from_the_doc_comment() {
        let source = "use x;\n\n/// Do the thing.\n/// Carefully.\n///\n/// Rules here.\npub fn do_it(n: usize) -> usize {\n    todo!()\n}\n";
        let found = parse("ch01_fork", Path::new("exercises/src/ch01_fork.rs"), source);
        assert_eq!(found.len(), 1);
        let exercise = &found[0];
        assert_eq!(exercise.name, "do_it");
        assert_eq!(exercise.line, 7);
        assert_eq!(exercise.task, "Do the thing. Carefully.\nRules here.");
    }

    /// Every exercise has its two hints in `exercises/hints/`.
    #[test]
    fn every_exercise_has_two_hints() {
        for exercise in exercises(&crate::workspace_root(), "exercises").expect("read the exercises") {
            assert_eq!(exercise.hints.len(), 2, "{} has {} hints", exercise.name, exercise.hints.len());
        }
    }
}
