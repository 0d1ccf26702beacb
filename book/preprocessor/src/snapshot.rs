//! Reading insta snapshot files and turning them into Markdown code blocks.

use crate::HELPER;
use std::fs;
use std::path::Path;

/// An insta snapshot, reduced to what the book shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The header's `description`: the command line that produced the output.
    pub description: Option<String>,
    /// The recorded output: everything after the header's closing `---` line,
    /// with `\r\n` turned into `\n`, leading blank lines and trailing
    /// whitespace removed (the same normalisation insta applies when it
    /// compares snapshots).
    pub body: String,
}

/// Parses the text of an insta snapshot file (`*.snap`).
///
/// The file must open with a `---` line and have a YAML-like header of
/// `key: value` lines closed by a second `---` line. Only `description`
/// (plain, `"double-quoted"` with backslash escapes, or `'single-quoted'`) and
/// `snapshot_kind` (which must not be `binary`) are read; other keys, including
/// nested ones, are ignored.
pub fn parse_snapshot(text: &str) -> Result<Snapshot, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let mut consumed = 0;

    match lines.next() {
        Some(first) if is_separator(first) => consumed += first.len(),
        _ => return Err("it does not start with insta's `---` header line".to_string()),
    }

    let mut description = None;
    let mut closed = false;
    for (index, line) in lines.enumerate() {
        consumed += line.len();
        if is_separator(line) {
            closed = true;
            break;
        }
        let line_no = index + 2;
        let Some((key, value)) = header_entry(line).map_err(|e| format!("header line {line_no}: {e}"))?
        else {
            continue;
        };
        match key {
            "description" => {
                description = parse_scalar(value).map_err(|e| format!("header line {line_no}: {e}"))?;
            }
            "snapshot_kind" => {
                let kind = parse_scalar(value).map_err(|e| format!("header line {line_no}: {e}"))?;
                if kind.as_deref() == Some("binary") {
                    return Err("it is a binary snapshot; only text snapshots can be shown".to_string());
                }
            }
            _ => {}
        }
    }
    if !closed {
        return Err("its header is not closed by a second `---` line".to_string());
    }

    let body = text[consumed..].replace("\r\n", "\n");
    let body = body.trim_start_matches(['\n', '\r']).trim_end().to_string();
    Ok(Snapshot { description, body })
}

/// Reads and parses the snapshot file at `path`.
///
/// The error names the file and says whether it could not be read or could
/// not be parsed.
pub fn load_snapshot(path: &Path) -> Result<Snapshot, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read snapshot `{}`: {e}", path.display()))?;
    parse_snapshot(&text).map_err(|e| format!("`{}` is not a valid insta snapshot: {e}", path.display()))
}

/// Renders a snapshot as a fenced Markdown code block, without a trailing
/// newline.
///
/// With a description the block is a `console` block whose first line is
/// `$ DESCRIPTION`; without one it is a `text` block holding only the body.
/// The fence is longer than any run of backticks in the block. Helper syntax
/// that mdBook's `links` preprocessor would expand (`{{#...}}`) is escaped with
/// a backslash, which that preprocessor (run after this one) removes again.
pub fn render_snapshot(snapshot: &Snapshot) -> String {
    let command = snapshot.description.as_deref().map(str::trim).filter(|command| !command.is_empty());

    let mut content = String::new();
    if let Some(command) = command {
        content.push_str("$ ");
        content.push_str(command);
        content.push('\n');
    }
    if !snapshot.body.is_empty() {
        content.push_str(&snapshot.body);
        content.push('\n');
    }
    let content = escape_helpers(&content);

    let fence = "`".repeat(longest_backtick_run(&content).max(2) + 1);
    let language = if command.is_some() { "console" } else { "text" };
    format!("{fence}{language}\n{content}{fence}")
}

/// Whether `line` (possibly with its line ending) is insta's `---` separator.
fn is_separator(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits a header line into key and raw value; `None` for lines that carry
/// no top-level key (blank lines, comments, nested or list lines).
fn header_entry(line: &str) -> Result<Option<(&str, &str)>, String> {
    let line = line.trim_end_matches(['\n', '\r']);
    let trimmed = line.trim();
    if trimmed.is_empty()
        || trimmed.starts_with('#')
        || line.starts_with([' ', '\t'])
        || trimmed == "-"
        || trimmed.starts_with("- ")
    {
        return Ok(None);
    }
    match line.split_once(':') {
        Some((key, value)) if !key.trim().is_empty() => Ok(Some((key.trim(), value.trim()))),
        _ => Err(format!("expected `key: value`, found `{line}`")),
    }
}

/// Parses a one-line YAML scalar. `Ok(None)` stands for YAML's null (an empty
/// value, `~` or `null`).
fn parse_scalar(value: &str) -> Result<Option<String>, String> {
    if let Some(quoted) = value.strip_prefix('"') {
        return parse_double_quoted(quoted).map(Some);
    }
    if let Some(quoted) = value.strip_prefix('\'') {
        return parse_single_quoted(quoted).map(Some);
    }
    if value.starts_with(['|', '>']) {
        return Err("block scalars (`|`, `>`) are not supported here".to_string());
    }
    let plain = match value.find(" #") {
        Some(comment) => value[..comment].trim_end(),
        None => value,
    };
    Ok(match plain {
        "" | "~" | "null" | "Null" | "NULL" => None,
        plain => Some(plain.to_string()),
    })
}

/// Parses the rest of a double-quoted scalar (after the opening quote).
fn parse_double_quoted(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => {
                after_closing_quote(&text[index + 1..])?;
                return Ok(out);
            }
            '\\' => {
                let Some((_, escape)) = chars.next() else {
                    break;
                };
                let decoded = match escape {
                    '0' => '\0',
                    'a' => '\x07',
                    'b' => '\x08',
                    't' | '\t' => '\t',
                    'n' => '\n',
                    'v' => '\x0b',
                    'f' => '\x0c',
                    'r' => '\r',
                    'e' => '\x1b',
                    ' ' => ' ',
                    '"' => '"',
                    '/' => '/',
                    '\\' => '\\',
                    'N' => '\u{85}',
                    '_' => '\u{a0}',
                    'L' => '\u{2028}',
                    'P' => '\u{2029}',
                    'x' => hex_escape(&mut chars, 2)?,
                    'u' => hex_escape(&mut chars, 4)?,
                    'U' => hex_escape(&mut chars, 8)?,
                    other => return Err(format!("unknown escape `\\{other}` in a quoted value")),
                };
                out.push(decoded);
            }
            c => out.push(c),
        }
    }
    Err("a double-quoted value is not closed".to_string())
}

/// Decodes the `digits` hexadecimal digits of a `\x`, `\u` or `\U` escape.
fn hex_escape(chars: &mut std::str::CharIndices<'_>, digits: usize) -> Result<char, String> {
    let hex: String = chars.by_ref().take(digits).map(|(_, c)| c).collect();
    if hex.len() != digits || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("bad escape: expected {digits} hex digits, found `{hex}`"));
    }
    u32::from_str_radix(&hex, 16)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| format!("escape `{hex}` is not a Unicode scalar value"))
}

/// Parses the rest of a single-quoted scalar (after the opening quote).
fn parse_single_quoted(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c != '\'' {
            out.push(c);
        } else if chars.peek().is_some_and(|&(_, next)| next == '\'') {
            chars.next();
            out.push('\'');
        } else {
            after_closing_quote(&text[index + 1..])?;
            return Ok(out);
        }
    }
    Err("a single-quoted value is not closed".to_string())
}

/// Accepts only whitespace or a comment after a quoted value.
fn after_closing_quote(rest: &str) -> Result<(), String> {
    let trimmed = rest.trim_start();
    if trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len()) {
        Ok(())
    } else {
        Err(format!("unexpected `{}` after a quoted value", rest.trim_end()))
    }
}

/// Prefixes every mdBook helper (`{{#...}}`) in `text` with a backslash so
/// that the `links` preprocessor shows it verbatim instead of expanding it.
fn escape_helpers(text: &str) -> String {
    HELPER.replace_all(text, "\\$0").into_owned()
}

/// The length of the longest run of consecutive backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquoted_description() {
        let text = "---\nsource: lessons/01-fork/tests/listings.rs\ndescription: cargo run -p lesson-01-fork --bin first_fork\nexpression: output\n---\nProcess (P1) start...\nI (P1) just created a child process (P2).\n";
        let snapshot = parse_snapshot(text).unwrap();
        assert_eq!(snapshot.description.as_deref(), Some("cargo run -p lesson-01-fork --bin first_fork"));
        assert_eq!(snapshot.body, "Process (P1) start...\nI (P1) just created a child process (P2).");
    }

    #[test]
    fn quoted_description_with_escapes() {
        let text = "---\nsource: tests/listings.rs\ndescription: \"cargo run --bin echo -- \\\"a: b\\\" \\\\n\\tend\"\nexpression: output\n---\nout\n";
        let snapshot = parse_snapshot(text).unwrap();
        assert_eq!(snapshot.description.as_deref(), Some("cargo run --bin echo -- \"a: b\" \\n\tend"));
        assert_eq!(snapshot.body, "out");
    }

    #[test]
    fn quoted_description_with_unicode_escape_and_comment() {
        let text = "---\ndescription: \"caf\\u00e9 \\x41\" # a comment\n---\nx\n";
        let snapshot = parse_snapshot(text).unwrap();
        assert_eq!(snapshot.description.as_deref(), Some("café A"));
    }

    #[test]
    fn single_quoted_description() {
        let text = "---\ndescription: 'it''s: here'\n---\nx\n";
        let snapshot = parse_snapshot(text).unwrap();
        assert_eq!(snapshot.description.as_deref(), Some("it's: here"));
    }

    #[test]
    fn missing_description() {
        let text = "---\nsource: tests/listings.rs\nexpression: output\n---\nhello\n";
        let snapshot = parse_snapshot(text).unwrap();
        assert_eq!(snapshot.description, None);
        assert_eq!(render_snapshot(&snapshot), "```text\nhello\n```");
    }

    #[test]
    fn null_description_counts_as_missing() {
        let snapshot = parse_snapshot("---\ndescription: ~\n---\nhello\n").unwrap();
        assert_eq!(snapshot.description, None);
    }

    #[test]
    fn old_style_file_with_snapshot_kind_and_leading_blank_line() {
        let text = "---\nsource: tests/listings.rs\nexpression: output\nsnapshot_kind: text\n---\n\nline one\n  line two  \n\n";
        let snapshot = parse_snapshot(text).unwrap();
        assert_eq!(snapshot.body, "line one\n  line two");
    }

    #[test]
    fn unknown_and_nested_keys_are_ignored() {
        let text = "---\nsource: a.rs\ninfo:\n  env:\n    - FOO=1\n  weird: \"unclosed\ninput_file: x.txt\ndescription: run it\n---\nbody\n";
        let snapshot = parse_snapshot(text).unwrap();
        assert_eq!(snapshot.description.as_deref(), Some("run it"));
    }

    #[test]
    fn crlf_line_endings() {
        let text = "---\r\ndescription: run it\r\n---\r\na\r\nb\r\n";
        let snapshot = parse_snapshot(text).unwrap();
        assert_eq!(snapshot.description.as_deref(), Some("run it"));
        assert_eq!(snapshot.body, "a\nb");
    }

    #[test]
    fn empty_body() {
        let snapshot = parse_snapshot("---\ndescription: \"true\"\n---\n").unwrap();
        assert_eq!(snapshot.body, "");
        assert_eq!(render_snapshot(&snapshot), "```console\n$ true\n```");
    }

    #[test]
    fn unparsable_files_are_errors() {
        for (text, expected) in [
            ("", "does not start"),
            ("hello\n", "does not start"),
            ("---\ndescription: x\n", "not closed"),
            ("---\njust words\n---\nbody\n", "header line 2"),
            ("---\ndescription: \"open\n---\nbody\n", "not closed"),
            ("---\ndescription: \"bad \\q\"\n---\nbody\n", "unknown escape"),
            ("---\ndescription: \"a\" b\n---\nbody\n", "after a quoted value"),
            ("---\ndescription: |\n---\nbody\n", "block scalars"),
            ("---\nsnapshot_kind: binary\nextension: png\n---\n", "binary snapshot"),
        ] {
            let error = parse_snapshot(text).unwrap_err();
            assert!(error.contains(expected), "{text:?}: `{error}` should contain `{expected}`");
        }
    }

    #[test]
    fn renders_console_block() {
        let snapshot = Snapshot {
            description: Some("cargo run --bin first_fork".to_string()),
            body: "Process (P1) start...\ndone".to_string(),
        };
        assert_eq!(
            render_snapshot(&snapshot),
            "```console\n$ cargo run --bin first_fork\nProcess (P1) start...\ndone\n```"
        );
    }

    #[test]
    fn body_with_backticks_gets_a_longer_fence() {
        let snapshot =
            Snapshot { description: None, body: "```rust\nfn main() {}\n```\nand ````four````".to_string() };
        let rendered = render_snapshot(&snapshot);
        assert!(rendered.starts_with("`````text\n"), "{rendered}");
        assert!(rendered.ends_with("\n`````"), "{rendered}");
        assert!(rendered.contains("\n```rust\nfn main() {}\n```\n"));

        let short = Snapshot { description: None, body: "a `b` c".to_string() };
        assert!(render_snapshot(&short).starts_with("```text\n"));
    }

    #[test]
    fn mdbook_helpers_in_output_are_escaped() {
        let snapshot =
            Snapshot { description: None, body: "printed {{#include x.rs}} and \\{{#title t}}".to_string() };
        assert_eq!(
            render_snapshot(&snapshot),
            "```text\nprinted \\{{#include x.rs}} and \\\\{{#title t}}\n```"
        );
    }

    #[test]
    fn missing_file_is_an_error_naming_it() {
        let error = load_snapshot(Path::new("/nonexistent/dir/missing.snap")).unwrap_err();
        assert!(error.contains("cannot read snapshot"), "{error}");
        assert!(error.contains("/nonexistent/dir/missing.snap"), "{error}");
    }
}
