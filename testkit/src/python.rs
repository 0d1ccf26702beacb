//! Finding `python3` for the parity tests of the Python twins.

use std::process::Command;

/// The Python interpreter to run the twins with: `$PYTHON` or `python3`, if it runs.
///
/// Returns `None` with a printed reason when there is none, so a parity test can skip; under CI
/// (`CI=true`) a missing interpreter is an error instead, so a skipped parity test cannot pass CI.
pub fn interpreter() -> Option<String> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let works =
        Command::new(&python).arg("--version").output().map(|out| out.status.success()).unwrap_or(false);
    if works {
        return Some(python);
    }
    let reason = format!("{python} was not found: the Python twins cannot be compared");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{reason}, and under CI=true that is an error");
    }
    eprintln!("skipped: {reason} (install python3 or set PYTHON)");
    None
}
