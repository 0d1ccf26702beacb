//! Expanding `{{#snapshot PATH}}` lines, and the mdBook preprocessor doing it
//! for every chapter.

use crate::HELPER;
use crate::snapshot::{load_snapshot, render_snapshot};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::{self, Error};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// A line holding nothing but a snapshot directive (indentation allowed).
static SNAPSHOT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<indent>[ \t]*)\{\{\s*#snapshot\s+(?P<path>[^\s}]+)\s*\}\}[ \t]*$")
        .expect("the snapshot directive pattern is a valid regex")
});

/// Replaces every `{{#snapshot PATH}}` line of a chapter with the code block
/// made by [`render_snapshot`] from the snapshot file at `chapter_dir/PATH`.
///
/// The directive must stand alone on its line; leading indentation (inside a
/// list item, say) is kept on every line of the block. An escaped directive
/// (`\{{#snapshot ...}}`) is left for mdBook's `links` preprocessor to
/// unescape. The error lists every directive that failed, one per line, each
/// with its line number: a snapshot that cannot be read or parsed, or a
/// directive that is not alone on its line.
pub fn expand_snapshots(markdown: &str, chapter_dir: &Path) -> Result<String, String> {
    let (expanded, errors) = expand(markdown, chapter_dir);
    if errors.is_empty() { Ok(expanded) } else { Err(errors.join("\n")) }
}

/// Expands what it can and collects one message per failed directive.
fn expand(markdown: &str, chapter_dir: &Path) -> (String, Vec<String>) {
    let mut out = String::with_capacity(markdown.len());
    let mut errors = Vec::new();
    for (index, line) in markdown.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        let content = line.trim_end_matches(['\n', '\r']);
        let ending = &line[content.len()..];

        if let Some(captures) = SNAPSHOT_LINE.captures(content) {
            let indent = &captures["indent"];
            let path = &captures["path"];
            match load_snapshot(&chapter_dir.join(path)) {
                Ok(snapshot) => {
                    push_indented(&mut out, &render_snapshot(&snapshot), indent);
                    out.push_str(ending);
                }
                Err(e) => {
                    errors.push(format!("line {line_no}: `{{{{#snapshot {path}}}}}`: {e}"));
                    out.push_str(line);
                }
            }
            continue;
        }

        let stray = HELPER
            .captures_iter(content)
            .any(|captures| captures.get(1).is_some_and(|name| name.as_str() == "snapshot"));
        if stray {
            errors.push(format!(
                "line {line_no}: a `{{{{#snapshot PATH}}}}` directive must stand alone on its \
                 own line with a single path (escape it as `\\{{{{#snapshot ...}}}}` to show it \
                 literally): `{}`",
                content.trim()
            ));
        }
        out.push_str(line);
    }
    (out, errors)
}

/// Appends `block` to `out`, putting `indent` before each non-empty line.
fn push_indented(out: &mut String, block: &str, indent: &str) {
    for (index, line) in block.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if !line.is_empty() {
            out.push_str(indent);
        }
        out.push_str(line);
    }
}

/// The `workbook` preprocessor: expands `{{#snapshot}}` directives in every
/// chapter (see [`expand_snapshots`]).
///
/// It supports every renderer. A snapshot that is missing or unparsable fails
/// the build with a message naming the chapter, its file, the line and the
/// snapshot's path; all failures in the book are reported at once.
#[derive(Debug, Default, Clone, Copy)]
pub struct Workbook;

impl Workbook {
    /// The preprocessor's name, as in `[preprocessor.workbook]`.
    pub const NAME: &'static str = "workbook";
}

impl Preprocessor for Workbook {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> errors::Result<Book> {
        let src = &ctx.config.book.src;
        let src_dir = ctx.root.join(src);
        let mut failures = Vec::new();
        book.for_each_chapter_mut(|chapter| {
            let Some(file) = chapter.source_path.as_ref().or(chapter.path.as_ref()) else {
                return;
            };
            let chapter_dir = src_dir.join(file.parent().unwrap_or(Path::new("")));
            let (expanded, errors) = expand(&chapter.content, &chapter_dir);
            if errors.is_empty() {
                chapter.content = expanded;
            }
            for error in errors {
                failures.push(format!(
                    "chapter \"{}\" ({}), {error}",
                    chapter.name,
                    src.join(file).display()
                ));
            }
        });
        if failures.is_empty() { Ok(book) } else { Err(Error::msg(failures.join("\n"))) }
    }

    fn supports_renderer(&self, _renderer: &str) -> errors::Result<bool> {
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_preprocessor::book::{BookItem, Chapter};
    use mdbook_preprocessor::config::Config;
    use std::fs;
    use std::path::PathBuf;

    /// A scratch directory under the system's temporary directory.
    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("book-preprocessor-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    const SNAP: &str = "---\nsource: lessons/01-fork/tests/listings.rs\ndescription: cargo run -p lesson-01-fork --bin first_fork\nexpression: output\n---\nProcess (P1) start...\nI (P1) just created a child process (P2).\n";

    #[test]
    fn expands_a_directive_line() {
        let dir = scratch_dir("expand");
        fs::create_dir_all(dir.join("snapshots")).unwrap();
        fs::write(dir.join("snapshots/first_fork.snap"), SNAP).unwrap();

        let markdown = "Before.\n\n{{#snapshot snapshots/first_fork.snap}}\n\nAfter.\n";
        let expanded = expand_snapshots(markdown, &dir).unwrap();
        assert_eq!(
            expanded,
            "Before.\n\n```console\n$ cargo run -p lesson-01-fork --bin first_fork\nProcess (P1) start...\nI (P1) just created a child process (P2).\n```\n\nAfter.\n"
        );

        let indented = "- item\n\n  {{ #snapshot  snapshots/first_fork.snap }}\r\n";
        let expanded = expand_snapshots(indented, &dir).unwrap();
        assert_eq!(
            expanded,
            "- item\n\n  ```console\n  $ cargo run -p lesson-01-fork --bin first_fork\n  Process (P1) start...\n  I (P1) just created a child process (P2).\n  ```\r\n"
        );

        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn leaves_other_text_alone() {
        let markdown =
            "No directive.\n\\{{#snapshot shown/literally.snap}}\n{{#include a.rs}}\nno final newline";
        assert_eq!(expand_snapshots(markdown, Path::new("/nonexistent")).unwrap(), markdown);
    }

    #[test]
    fn missing_snapshot_is_an_error() {
        let markdown = "text\n{{#snapshot missing/one.snap}}\n";
        let error = expand_snapshots(markdown, Path::new("/nonexistent")).unwrap_err();
        assert!(error.starts_with("line 2: `{{#snapshot missing/one.snap}}`"), "{error}");
        assert!(error.contains("/nonexistent/missing/one.snap"), "{error}");
    }

    #[test]
    fn directive_not_alone_on_its_line_is_an_error() {
        for markdown in ["see {{#snapshot a.snap}} here\n", "{{#snapshot a.snap b}}\n"] {
            let error = expand_snapshots(markdown, Path::new("/nonexistent")).unwrap_err();
            assert!(error.contains("must stand alone"), "{error}");
        }
    }

    #[test]
    fn preprocessor_expands_chapters_and_names_failures() {
        let root = scratch_dir("book");
        fs::create_dir_all(root.join("src/part")).unwrap();
        fs::write(root.join("src/part/out.snap"), SNAP).unwrap();
        let ctx = PreprocessorContext::new(root.clone(), Config::default(), "html".to_string());

        let good = Chapter::new("Fork", "{{#snapshot out.snap}}\n".to_string(), "part/fork.md", Vec::new());
        let mut book = Book::new();
        book.push_item(good);
        let book = Workbook.run(&ctx, book).unwrap();
        let BookItem::Chapter(chapter) = &book.items[0] else {
            panic!("expected a chapter");
        };
        assert!(chapter.content.starts_with("```console\n$ cargo run"), "{}", chapter.content);

        let bad =
            Chapter::new("Broken", "{{#snapshot gone.snap}}\n".to_string(), "part/broken.md", Vec::new());
        let mut book = Book::new();
        book.push_item(bad);
        let error = format!("{:#}", Workbook.run(&ctx, book).unwrap_err());
        assert!(error.contains("chapter \"Broken\""), "{error}");
        assert!(error.contains("src/part/broken.md"), "{error}");
        assert!(error.contains("gone.snap"), "{error}");

        fs::remove_dir_all(&root).unwrap();
    }
}
