//! Self-check: the grader has its Chinese for everything it says. Every `tr("…")` sentence in
//! `src/` is translated in `po/zh-CN.po`, every hint and chapter title in the book's
//! `book/po/zh-CN.po`, none of them fuzzy; and the grader's Chinese uses the book's words for the
//! things both name.

use std::path::Path;

use fork_to_pool::words::translation;
use polib::catalog::Catalog;
use regex::Regex;

/// The words the grader and the book both use, in English and as the book's glossary has them.
const SHARED_WORDS: [(&str, &str); 5] = [
    ("graded test", "评分测试"),
    ("exercise", "练习"),
    ("hint", "提示"),
    ("stub", "存根"),
    ("process group", "进程组"),
];

fn catalogue(path: &str) -> Catalog {
    fork_to_pool::words::read_catalogue(&fork_to_pool::workspace_root().join(path))
        .unwrap_or_else(|why| panic!("cannot read {path}: {why}"))
}

/// Every sentence of the grader: the string in each `tr("…")` call of `src/`, as Rust reads it.
fn grader_sentences() -> Vec<String> {
    let call = Regex::new(r#"\btr\(\s*"((?:[^"\\]|\\.)*)""#).expect("a valid pattern");
    let mut sentences = Vec::new();
    let src = fork_to_pool::workspace_root().join("src");
    for entry in std::fs::read_dir(&src).expect("src/") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("read a source file");
        let code: String =
            text.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        for found in call.captures_iter(&code) {
            sentences.push(found[1].replace("\\\"", "\"").replace("\\n", "\n"));
        }
    }
    assert!(
        sentences.len() > 40,
        "only {} sentences found in src/: is tr(\"…\") still the call?",
        sentences.len()
    );
    sentences
}

#[test]
fn every_sentence_of_the_grader_is_translated() {
    let chinese = catalogue("po/zh-CN.po");
    let missing: Vec<String> =
        grader_sentences().into_iter().filter(|sentence| translation(&chinese, sentence).is_none()).collect();
    assert!(
        missing.is_empty(),
        "po/zh-CN.po has no translation (or a fuzzy one) for these sentences of the grader: run po/update.sh and \
         translate them:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_place_in_a_sentence_is_kept_by_its_translation() {
    let chinese = catalogue("po/zh-CN.po");
    let place = Regex::new(r"\{[a-z]+\}").expect("a valid pattern");
    for sentence in grader_sentences() {
        let Some(translated) = translation(&chinese, &sentence) else { continue };
        let mut english: Vec<&str> = place.find_iter(&sentence).map(|m| m.as_str()).collect();
        let mut ours: Vec<&str> = place.find_iter(translated).map(|m| m.as_str()).collect();
        english.sort_unstable();
        ours.sort_unstable();
        assert_eq!(english, ours, "the places of {sentence:?} differ in its translation {translated:?}");
    }
}

#[test]
fn every_hint_and_chapter_title_has_the_books_chinese() {
    let root = fork_to_pool::workspace_root();
    let book = catalogue("book/po/zh-CN.po");
    let exercises = fork_to_pool::catalogue::exercises(&root, "exercises").expect("read the exercises");
    let mut missing = Vec::new();
    for exercise in &exercises {
        for hint in &exercise.hints {
            if translation(&book, hint).is_none() {
                missing.push(format!("a hint of {}: {hint}", exercise.name));
            }
        }
    }
    let summary = std::fs::read_to_string(root.join("book/src/SUMMARY.md")).expect("read SUMMARY.md");
    let titles = fork_to_pool::words::chapter_titles(&summary);
    assert!(titles.len() >= 10, "SUMMARY.md gave {} chapter titles", titles.len());
    for title in titles.values() {
        if translation(&book, title).is_none() {
            missing.push(format!("a chapter's title: {title}"));
        }
    }
    assert!(
        missing.is_empty(),
        "book/po/zh-CN.po has no translation for what the grader prints from the book (a hint's text must be \
         the message po/update.sh extracts):\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_graders_chinese_uses_the_books_words() {
    let book =
        std::fs::read_to_string(fork_to_pool::workspace_root().join("book/po/zh-CN.po")).expect("read");
    let glossary: String =
        book.lines().take_while(|line| line.starts_with('#')).collect::<Vec<_>>().join("\n");
    for (english, chinese) in SHARED_WORDS {
        assert!(
            glossary.contains(&format!("{english} {chinese}")),
            "the book's glossary has no \"{english} {chinese}\""
        );
    }
    let chinese = catalogue("po/zh-CN.po");
    // Code, paths and places are not words: `cargo run -- hint`, exercises/src/, {name}.
    let not_words = Regex::new(r"`[^`]*`|\S*/\S*|\{[a-z]+\}").expect("a valid pattern");
    let mut checked = 0;
    for sentence in grader_sentences() {
        let Some(translated) = translation(&chinese, &sentence) else { continue };
        let words = not_words.replace_all(&sentence, " ").to_lowercase();
        for (english, chinese) in SHARED_WORDS {
            if Regex::new(&format!(r"\b{english}")).expect("a valid pattern").is_match(&words) {
                checked += 1;
                assert!(
                    translated.contains(chinese),
                    "{sentence:?} says {english}, so its Chinese must say {chinese}: {translated:?}"
                );
            }
        }
    }
    assert!(checked >= 10, "only {checked} sentences use the shared words");
}

#[test]
fn a_catalogue_whose_header_lacks_a_field_is_an_error_not_a_panic() {
    let path = std::env::temp_dir().join(format!("no-plural-forms-{}.po", std::process::id()));
    std::fs::write(&path, "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n")
        .expect("write");
    let read = fork_to_pool::words::read_catalogue(Path::new(&path));
    std::fs::remove_file(&path).expect("clean up");
    let why = read.err().expect("an error");
    assert!(why.contains("Plural-Forms"), "{why}");
}
