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
    missing(
        &format!("{python} was not found: the Python twins cannot be compared"),
        "install python3 or set PYTHON",
    )
}

/// The interpreter of [`interpreter`], if it can import `module`: for twins that need a package from
/// PyPI, listed in their crate's `python/requirements.txt` (`pip install -r` it, as `.ci/run` does).
///
/// Returns `None` with a printed reason when the module is missing; under CI an error, as for a
/// missing interpreter.
pub fn interpreter_with(module: &str, requirements: &str) -> Option<String> {
    let python = interpreter()?;
    let imports = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|out| out.status.success())
        .unwrap_or(false);
    if imports {
        return Some(python);
    }
    missing(
        &format!("{python} cannot import {module}: the twins that use it cannot run"),
        &format!("pip install -r {requirements}, or set PYTHON to an interpreter that has it"),
    )
}

/// Skips with `reason` and what to do about it; under CI (`CI=true`), panics instead.
fn missing(reason: &str, remedy: &str) -> Option<String> {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{reason}, and under CI=true that is an error");
    }
    eprintln!("skipped: {reason} ({remedy})");
    None
}
