//! Finding and checking the files a chapter refers to.

use crate::HELPER;
use crate::snapshot::parse_snapshot;
use regex::Regex;
use std::fmt;
use std::fs;
use std::path::Path;
use std::sync::LazyLock;

/// Which helper a [`Reference`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferenceKind {
    /// `{{#snapshot PATH}}`, expanded by this crate.
    Snapshot,
    /// mdBook's `{{#include PATH}}`, optionally with `:ANCHOR` or a line range.
    Include,
    /// mdBook's `{{#rustdoc_include PATH}}`, optionally with `:ANCHOR` or a
    /// line range.
    RustdocInclude,
}

impl ReferenceKind {
    /// The helper's name as written after `{{#`.
    pub fn helper_name(self) -> &'static str {
        match self {
            ReferenceKind::Snapshot => "snapshot",
            ReferenceKind::Include => "include",
            ReferenceKind::RustdocInclude => "rustdoc_include",
        }
    }

    fn from_helper_name(name: &str) -> Option<Self> {
        match name {
            "snapshot" => Some(ReferenceKind::Snapshot),
            "include" => Some(ReferenceKind::Include),
            "rustdoc_include" => Some(ReferenceKind::RustdocInclude),
            _ => None,
        }
    }
}

/// A file that a chapter refers to through a `{{#snapshot}}`, `{{#include}}`
/// or `{{#rustdoc_include}}` helper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The helper used.
    pub kind: ReferenceKind,
    /// The path as written, relative to the chapter's directory, without any
    /// `:ANCHOR` or `:START:END` suffix.
    pub path: String,
    /// The anchor named after the path (`{{#include file.rs:main}}` gives
    /// `main`); `None` for a whole file or a numeric line range.
    pub anchor: Option<String>,
    /// The 1-based line of the chapter on which the helper starts.
    pub line: usize,
}

impl fmt::Display for Reference {
    /// Shows the helper as written, e.g. `{{#include file.rs:main}}` (line 3).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{{{{#{} {}", self.kind.helper_name(), self.path)?;
        if let Some(anchor) = &self.anchor {
            write!(f, ":{anchor}")?;
        }
        write!(f, "}}}}` (line {})", self.line)
    }
}

/// Lists every `{{#snapshot}}`, `{{#include}}` and `{{#rustdoc_include}}`
/// helper in a chapter's Markdown, in order of appearance.
///
/// Helpers are recognised exactly as mdBook's `links` preprocessor recognises
/// them, anywhere in the text (including inside code blocks); escaped ones
/// (`\{{#include ...}}`) are skipped. For includes, the part after the first
/// `:` is an anchor unless it is a line number or range (`10`, `3:8`, `:5`,
/// `4:`).
pub fn references(markdown: &str) -> Vec<Reference> {
    let mut found = Vec::new();
    for captures in HELPER.captures_iter(markdown) {
        let (Some(whole), Some(name), Some(arguments)) = (captures.get(0), captures.get(1), captures.get(2))
        else {
            continue;
        };
        let Some(kind) = ReferenceKind::from_helper_name(name.as_str()) else {
            continue;
        };
        let Some(target) = arguments.as_str().split_whitespace().next() else {
            continue;
        };
        let (path, anchor) = match kind {
            ReferenceKind::Snapshot => (target, None),
            ReferenceKind::Include | ReferenceKind::RustdocInclude => split_include_target(target),
        };
        found.push(Reference {
            kind,
            path: path.to_string(),
            anchor,
            line: markdown[..whole.start()].matches('\n').count() + 1,
        });
    }
    found
}

/// Splits `PATH[:ANCHOR | :START[:END]]` the way mdBook does.
fn split_include_target(target: &str) -> (&str, Option<String>) {
    let Some((path, selector)) = target.split_once(':') else {
        return (target, None);
    };
    let first = selector.split(':').next().unwrap_or("");
    let is_range = first.is_empty() || first.parse::<usize>().is_ok();
    (path, (!is_range).then(|| first.to_string()))
}

/// Checks that a reference found in a chapter whose Markdown file lives in
/// `chapter_dir` points at something usable.
///
/// The file must exist and be readable as UTF-8 text; for an anchor it must
/// contain an `ANCHOR: name` line followed later by an `ANCHOR_END: name` line
/// (mdBook's convention, written in a comment); for a snapshot it must parse
/// with [`parse_snapshot`]. The error names the helper, its line and the file.
pub fn check_reference(chapter_dir: &Path, r: &Reference) -> Result<(), String> {
    let file = chapter_dir.join(&r.path);
    let text =
        fs::read_to_string(&file).map_err(|e| format!("{r}: cannot read `{}`: {e}", file.display()))?;
    match (r.kind, &r.anchor) {
        (ReferenceKind::Snapshot, _) => parse_snapshot(&text)
            .map(drop)
            .map_err(|e| format!("{r}: `{}` is not a valid insta snapshot: {e}", file.display())),
        (_, Some(anchor)) => {
            check_anchor(&text, anchor).map_err(|e| format!("{r}: `{}` {e}", file.display()))
        }
        (_, None) => Ok(()),
    }
}

static ANCHOR_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ANCHOR:\s*(?P<anchor_name>[\w_-]+)").expect("the anchor pattern is a valid regex")
});
static ANCHOR_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ANCHOR_END:\s*(?P<anchor_name>[\w_-]+)").expect("the anchor pattern is a valid regex")
});

/// Checks for `ANCHOR: anchor` and a later `ANCHOR_END: anchor`, matching
/// names exactly as mdBook does.
fn check_anchor(text: &str, anchor: &str) -> Result<(), String> {
    let names = |pattern: &Regex, line: &str| {
        pattern.captures(line).is_some_and(|captures| &captures["anchor_name"] == anchor)
    };
    let mut lines = text.lines();
    if !lines.by_ref().any(|line| names(&ANCHOR_START, line)) {
        return Err(format!("has no `ANCHOR: {anchor}` line"));
    }
    if !lines.any(|line| names(&ANCHOR_END, line)) {
        return Err(format!("has `ANCHOR: {anchor}` but no `ANCHOR_END: {anchor}` after it"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn reference(kind: ReferenceKind, path: &str, anchor: Option<&str>, line: usize) -> Reference {
        Reference { kind, path: path.to_string(), anchor: anchor.map(str::to_string), line }
    }

    #[test]
    fn finds_snapshots_and_includes() {
        let markdown = "# Fork\n\n```rust\n{{#include ../../lessons/01-fork/src/bin/first_fork.rs}}\n```\n\n{{#snapshot ../../lessons/01-fork/tests/snapshots/first_fork.snap}}\n\n```rust\n{{#rustdoc_include src/lib.rs:setup}}\n{{ #include  a.rs:main  }}\n```\n";
        assert_eq!(
            references(markdown),
            vec![
                reference(ReferenceKind::Include, "../../lessons/01-fork/src/bin/first_fork.rs", None, 4),
                reference(
                    ReferenceKind::Snapshot,
                    "../../lessons/01-fork/tests/snapshots/first_fork.snap",
                    None,
                    7
                ),
                reference(ReferenceKind::RustdocInclude, "src/lib.rs", Some("setup"), 10),
                reference(ReferenceKind::Include, "a.rs", Some("main"), 11),
            ]
        );
    }

    #[test]
    fn numeric_line_ranges_are_not_anchors() {
        let markdown = "{{#include a.rs:10}}\n{{#include b.rs:3:8}}\n{{#include c.rs::5}}\n{{#include d.rs:4:}}\n{{#rustdoc_include e.rs:2:9}}\n{{#include f.rs:name:ignored}}\n";
        let found: Vec<(String, Option<String>)> =
            references(markdown).into_iter().map(|r| (r.path, r.anchor)).collect();
        assert_eq!(
            found,
            vec![
                ("a.rs".to_string(), None),
                ("b.rs".to_string(), None),
                ("c.rs".to_string(), None),
                ("d.rs".to_string(), None),
                ("e.rs".to_string(), None),
                ("f.rs".to_string(), Some("name".to_string())),
            ]
        );
    }

    #[test]
    fn escaped_and_other_helpers_are_skipped() {
        let markdown =
            "\\{{#include not_me.rs}}\n{{#playground p.rs}}\n{{#title T}}\n{{#snapshot yes.snap}}\n";
        let found = references(markdown);
        assert_eq!(found, vec![reference(ReferenceKind::Snapshot, "yes.snap", None, 4)]);
    }

    #[test]
    fn display_shows_the_helper() {
        let r = reference(ReferenceKind::Include, "a.rs", Some("main"), 3);
        assert_eq!(r.to_string(), "`{{#include a.rs:main}}` (line 3)");
    }

    #[test]
    fn missing_file_is_an_error() {
        let r = reference(ReferenceKind::Include, "nope/missing.rs", None, 1);
        let error = check_reference(Path::new("/nonexistent-chapter-dir"), &r).unwrap_err();
        assert!(error.contains("cannot read"), "{error}");
        assert!(error.contains("/nonexistent-chapter-dir/nope/missing.rs"), "{error}");

        let r = reference(ReferenceKind::Snapshot, "missing.snap", None, 2);
        let error = check_reference(Path::new("/nonexistent-chapter-dir"), &r).unwrap_err();
        assert!(error.contains("missing.snap"), "{error}");
    }

    /// A scratch directory under the system's temporary directory.
    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("book-preprocessor-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn checks_files_anchors_and_snapshots() {
        let dir = scratch_dir("check");
        fs::write(
            dir.join("listing.rs"),
            "// ANCHOR: all\nfn main() {\n    // ANCHOR: body\n    println!();\n    // ANCHOR_END: body\n}\n// ANCHOR_END: all\n// ANCHOR: open_only\n// ANCHOR_END: before\n// ANCHOR: before\n",
        )
        .unwrap();
        fs::write(dir.join("good.snap"), "---\ndescription: run\n---\nout\n").unwrap();
        fs::write(dir.join("bad.snap"), "no header\n").unwrap();

        let check = |kind, path, anchor| check_reference(&dir, &reference(kind, path, anchor, 1));
        assert_eq!(check(ReferenceKind::Include, "listing.rs", None), Ok(()));
        assert_eq!(check(ReferenceKind::Include, "listing.rs", Some("all")), Ok(()));
        assert_eq!(check(ReferenceKind::RustdocInclude, "listing.rs", Some("body")), Ok(()));
        assert_eq!(check(ReferenceKind::Snapshot, "good.snap", None), Ok(()));

        let error = check(ReferenceKind::Include, "listing.rs", Some("bod")).unwrap_err();
        assert!(error.contains("no `ANCHOR: bod` line"), "{error}");
        let error = check(ReferenceKind::Include, "listing.rs", Some("open_only")).unwrap_err();
        assert!(error.contains("no `ANCHOR_END: open_only`"), "{error}");
        let error = check(ReferenceKind::Include, "listing.rs", Some("before")).unwrap_err();
        assert!(error.contains("no `ANCHOR_END: before` after it"), "{error}");
        let error = check(ReferenceKind::Snapshot, "bad.snap", None).unwrap_err();
        assert!(error.contains("not a valid insta snapshot"), "{error}");

        fs::remove_dir_all(&dir).unwrap();
    }
}
