//! The grader's words, in the learner's language: English, or Chinese when the locale asks for it
//! (`LANG=zh_CN.UTF-8`).
//!
//! Every sentence the grader prints is written in English, as `tr("…")`, with `{name}` places that
//! [`fill`] fills. Its Chinese is in `po/zh-CN.po`, a gettext catalogue that `po/update.sh` keeps in
//! step with the `tr("…")` calls (GNU xgettext reads them, as C: a `tr("…")` call must not share its
//! line with a lifetime). The hints and the chapters' titles come from the book's own catalogue,
//! `book/po/zh-CN.po`, so the grader gives them in the book's words; the catalogues share one
//! glossary, at the top of the book's.
//!
//! The language is chosen once, by [`choose`], from the locale: the first of `LC_ALL`, `LC_MESSAGES`
//! and `LANG` that is set and not empty, as POSIX orders them; Chinese if it begins with `zh`. A
//! sentence without a translation (or with a fuzzy one) stays English, as gettext leaves it.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::Path;
use std::sync::OnceLock;

use polib::catalog::Catalog;

/// The languages the grader speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// The default.
    English,
    /// Simplified Chinese, the book's zh-CN edition.
    Chinese,
}

impl Language {
    /// The language the locale asks for: see the module's documentation.
    pub fn from_locale() -> Language {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty())
            .unwrap_or_default();
        if locale.starts_with("zh") { Language::Chinese } else { Language::English }
    }
}

/// What the grader says with: the two catalogues of the learner's language (none for English), and
/// the book's chapter titles.
struct Words {
    grader: Option<Catalog>,
    book: Option<Catalog>,
    /// Each chapter's title in the book's table of contents (`book/src/SUMMARY.md`), by number.
    titles: BTreeMap<u32, String>,
}

static WORDS: OnceLock<Words> = OnceLock::new();

/// Chooses the language from the locale and reads what it needs under `root`: call it first thing.
/// Without it, the grader speaks English and names chapters after their modules.
pub fn choose(root: &Path) {
    let language = Language::from_locale();
    let catalogue = |path: &str| {
        let path = root.join(path);
        read_catalogue(&path)
            .map_err(|why| eprintln!("(cannot read {}: {why}; the grader speaks English)", path.display()))
            .ok()
    };
    let (grader, book) = match language {
        Language::English => (None, None),
        Language::Chinese => (catalogue("po/zh-CN.po"), catalogue("book/po/zh-CN.po")),
    };
    let summary = std::fs::read_to_string(root.join("book/src/SUMMARY.md")).unwrap_or_default();
    let titles = chapter_titles(&summary);
    let _ = WORDS.set(Words { grader, book, titles });
}

/// The gettext catalogue at `path`. polib panics on a header that lacks a field it expects (such as
/// `Plural-Forms`): that becomes an error here, like any other. The panic hook is silent meanwhile,
/// for the whole process: read catalogues before starting threads, as [`choose`] does.
pub fn read_catalogue(path: &Path) -> Result<Catalog, String> {
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let parsed = std::panic::catch_unwind(|| polib::po_file::parse(path));
    std::panic::set_hook(quiet);
    match parsed {
        Ok(Ok(catalogue)) => Ok(catalogue),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => {
            Err("its header lacks a field (every PO header needs Plural-Forms, among others)".to_string())
        }
    }
}

/// The chapters' titles in a table of contents: `- [Title](chNN-topic.md)` lines, by NN.
pub fn chapter_titles(summary: &str) -> BTreeMap<u32, String> {
    summary
        .lines()
        .filter_map(|line| {
            let (title, link) = line.trim().strip_prefix("- [")?.split_once("](ch")?;
            Some((link.get(..2)?.parse().ok()?, title.to_string()))
        })
        .collect()
}

/// `msgid` translated by `catalogue`, if it has a translation that is not fuzzy.
pub fn translation<'c>(catalogue: &'c Catalog, msgid: &str) -> Option<&'c str> {
    let message = catalogue.find_message(None, msgid, None)?;
    let text = message.msgstr().ok()?;
    (message.is_translated() && !message.is_fuzzy()).then_some(text)
}

/// The grader's sentence `english`, in the learner's language.
pub fn tr(english: &str) -> String {
    let words = WORDS.get();
    words.and_then(|w| translation(w.grader.as_ref()?, english)).unwrap_or(english).to_string()
}

/// A text of the book (a hint, a title), in the learner's language: as the book's edition in that
/// language has it.
pub fn from_book(english: &str) -> String {
    let words = WORDS.get();
    words.and_then(|w| translation(w.book.as_ref()?, english)).unwrap_or(english).to_string()
}

/// The title of chapter `number` in the book, in the learner's language; `None` if it was not read.
pub fn chapter_title(number: u32) -> Option<String> {
    WORDS.get()?.titles.get(&number).map(|title| from_book(title))
}

/// `template` with each `{name}` replaced by its value, in one pass: a value is never read again, so
/// one that holds braces (a name the learner typed) comes out as it went in.
pub fn fill(template: String, values: &[(&str, &dyn Display)]) -> String {
    let mut text = String::with_capacity(template.len());
    let mut rest = template.as_str();
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let (name, value) = values.iter().find(|(name, _)| *name == &after[..close])?;
            Some((name.len(), value))
        });
        match value {
            Some((length, value)) => {
                text.push_str(&value.to_string());
                rest = &after[length + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_filled_by_name_in_any_order() {
        let text = fill("已完成 {done} / {total}".to_string(), &[("total", &4), ("done", &1)]);
        assert_eq!(text, "已完成 1 / 4");
    }

    #[test]
    fn a_value_with_braces_is_not_filled_again_and_unknown_places_stay() {
        let values: [(&str, &dyn Display); 2] = [("name", &"{names}"), ("names", &"a, b")];
        let text = fill("no {name}; the names: {names} {other} {".to_string(), &values);
        assert_eq!(text, "no {names}; the names: a, b {other} {");
    }

    #[test]
    fn the_table_of_contents_gives_each_chapter_its_title() {
        let titles = chapter_titles(
            "# Summary\n\n[Introduction](introduction.md)\n\n- [fork: one call](ch01-fork.md)\n- [Pool](ch06-pool.md)\n\n[Appendix A](appendix-a.md)\n",
        );
        assert_eq!(
            titles.into_iter().collect::<Vec<_>>(),
            [(1, "fork: one call".into()), (6, "Pool".into())]
        );
    }
}
