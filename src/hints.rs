//! The hints: two for each exercise, in `exercises/hints/chNN_topic.md`, the first the gentler.
//!
//! The book includes each hint, folded, by its mdBook anchor (`fork_children_1`, `fork_children_2`);
//! the grader reads the same anchors, and gives the hints one at a time: each `cargo run -- hint` for
//! an exercise shows the next. Which hints it has given is kept in `target/grader/hints-given.txt`,
//! a line per exercise (in cargo's target directory); progress never is: it comes from the graded
//! tests alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The hints of `name`, in order, from the text of its chapter's hints file: the lines between
/// `ANCHOR: name_1` and `ANCHOR_END: name_1`, then `name_2`, and so on, each joined into one paragraph.
pub fn hints_of(text: &str, name: &str) -> Vec<String> {
    let mut hints = Vec::new();
    for level in 1.. {
        let (start, end) = (format!("ANCHOR: {name}_{level} "), format!("ANCHOR_END: {name}_{level} "));
        let lines: Vec<&str> = text
            .lines()
            .skip_while(|line| !line.contains(&start))
            .skip(1)
            .take_while(|line| !line.contains(&end))
            .map(str::trim)
            .collect();
        if lines.is_empty() {
            return hints;
        }
        hints.push(lines.join(" "));
    }
    hints
}

/// The hints file of `chapter`.
pub fn file_of(root: &Path, chapter: &str) -> PathBuf {
    root.join("exercises/hints").join(format!("{chapter}.md"))
}

/// How many hints the grader has given for each exercise, kept between runs.
#[derive(Debug, Default)]
pub struct Given {
    path: PathBuf,
    counts: BTreeMap<String, usize>,
}

impl Given {
    /// What `grader/hints-given.txt` in cargo's target directory (`root/target`, or
    /// `CARGO_TARGET_DIR`) holds; nothing if it is not there.
    pub fn load(root: &Path) -> Given {
        let path = crate::grader_dir(root).join("hints-given.txt");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let counts = text
            .lines()
            .filter_map(|line| {
                let (name, count) = line.split_once(' ')?;
                Some((name.to_string(), count.parse().ok()?))
            })
            .collect();
        Given { path, counts }
    }

    /// The next hint to give for `exercise`, which has `available` hints: 1 the first time, then the
    /// next each time, and the last again once all have been given. Records it.
    pub fn next(&mut self, exercise: &str, available: usize) -> usize {
        let count = self.counts.entry(exercise.to_string()).or_insert(0);
        *count = (*count + 1).min(available.max(1));
        *count
    }

    /// Writes the counts back.
    pub fn save(&self) -> std::io::Result<()> {
        if let Some(directory) = self.path.parent() {
            std::fs::create_dir_all(directory)?;
        }
        let text: String = self.counts.iter().map(|(name, count)| format!("{name} {count}\n")).collect();
        std::fs::write(&self.path, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_level_between_its_anchors() {
        let text = "## a\n\n<!-- ANCHOR: a_1 -->\nFirst,\ngently.\n<!-- ANCHOR_END: a_1 -->\n\n\
                    <!-- ANCHOR: a_2 -->\nThen more.\n<!-- ANCHOR_END: a_2 -->\n\
                    <!-- ANCHOR: ab_1 -->\nNot a's.\n<!-- ANCHOR_END: ab_1 -->\n";
        assert_eq!(hints_of(text, "a"), vec!["First, gently.".to_string(), "Then more.".to_string()]);
        assert_eq!(hints_of(text, "ab"), vec!["Not a's.".to_string()]);
        assert!(hints_of(text, "b").is_empty());
    }

    #[test]
    fn gives_the_next_hint_each_time_and_then_the_last_again() {
        let mut given = Given::default();
        assert_eq!([given.next("a", 2), given.next("a", 2), given.next("a", 2)], [1, 2, 2]);
        assert_eq!(given.next("b", 2), 1);
    }
}
