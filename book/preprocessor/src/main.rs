//! `mdbook-workbook`: the book's mdBook preprocessor (see the `book_preprocessor`
//! library for what it does).
//!
//! mdBook runs it as `mdbook-workbook supports RENDERER` (exit status 0 means
//! "yes"), then with no arguments, the `[context, book]` JSON on standard input
//! and the processed book expected as JSON on standard output.

use book_preprocessor::Workbook;
use mdbook_preprocessor::{MDBOOK_VERSION, Preprocessor, parse_input};
use std::io::{self, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: mdbook-workbook [supports RENDERER]\n\
    Run by mdBook as the `workbook` preprocessor: with no arguments it reads \
    mdBook's [context, book] JSON on stdin and writes the book JSON to stdout.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["supports", renderer] => match Workbook.supports_renderer(renderer) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => fail(&format!("{e:#}")),
        },
        [] => match preprocess() {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => fail(&message),
        },
        ["-h" | "--help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("mdbook-workbook: unexpected arguments {args:?}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Reads the book from stdin, expands it and writes it to stdout.
fn preprocess() -> Result<(), String> {
    let (ctx, book) = parse_input(io::stdin().lock())
        .map_err(|e| format!("cannot read mdBook's JSON input from stdin: {e:#}"))?;

    if major_minor(&ctx.mdbook_version) != major_minor(MDBOOK_VERSION) {
        eprintln!(
            "mdbook-workbook: warning: built against mdBook {MDBOOK_VERSION}, \
             but called from mdBook {}",
            ctx.mdbook_version
        );
    }

    let book = Workbook.run(&ctx, book).map_err(|e| format!("{e:#}"))?;

    let mut stdout = io::stdout().lock();
    serde_json::to_writer(&mut stdout, &book)
        .map_err(|e| format!("cannot write the book JSON to stdout: {e}"))?;
    stdout.flush().map_err(|e| format!("cannot write the book JSON to stdout: {e}"))
}

/// `"0.5.4"` → `"0.5"`: versions that share it speak the same protocol.
fn major_minor(version: &str) -> &str {
    match version.match_indices('.').nth(1) {
        Some((second_dot, _)) => &version[..second_dot],
        None => version,
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("mdbook-workbook: error: {message}");
    ExitCode::FAILURE
}
