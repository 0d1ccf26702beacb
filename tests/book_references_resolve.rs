//! Self-check: every listing, anchor and snapshot the book names exists, and the chapter files in
//! SUMMARY.md exist.

use std::path::Path;

#[test]
fn every_include_anchor_and_snapshot_in_the_book_exists() {
    let src = fork_to_pool::workspace_root().join("book/src");
    let mut problems = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&src).expect("book/src") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read chapter");
        for reference in book_preprocessor::references(&text) {
            checked += 1;
            if let Err(why) = book_preprocessor::check_reference(&src, &reference) {
                problems.push(format!("{}: {why}", path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "the book names what does not exist:\n{}", problems.join("\n"));
    assert!(checked > 0, "the book references no listing or snapshot at all");
}

#[test]
fn every_chapter_in_the_summary_exists() {
    let src = fork_to_pool::workspace_root().join("book/src");
    let summary = std::fs::read_to_string(src.join("SUMMARY.md")).expect("SUMMARY.md");
    let links = regex::Regex::new(r"\]\(([^)]+\.md)\)").expect("regex");
    for found in links.captures_iter(&summary) {
        let chapter = Path::new(&found[1]);
        assert!(src.join(chapter).is_file(), "SUMMARY.md lists {} which does not exist", chapter.display());
    }
}
