//! Building the graded tests of the `exercises` or `solutions` crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::words::{fill, tr};

/// The graded test binaries of a crate, by target name (the chapter, e.g. `ch01_fork`).
pub type TestBinaries = BTreeMap<String, PathBuf>;

/// Builds `package`'s test targets with `cargo test --no-run` and returns their executables.
///
/// `target_dir` overrides cargo's target directory (the self-checks use their own, to build
/// alongside a running `cargo test`); `only` builds that one test target (a chapter) and no other.
/// On a compile error returns rustc's diagnostics as text, each once, coloured only when standard
/// error is a terminal.
pub fn graded_tests(
    root: &Path,
    package: &str,
    target_dir: Option<&Path>,
    only: Option<&str>,
) -> Result<TestBinaries, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command.current_dir(root).args(["test", "--no-run", "--quiet", "-p", package]);
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    command.arg(if colour {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    });
    if let Some(target) = only {
        command.args(["--test", target]);
    }
    if let Some(dir) = target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    let output = command.output().map_err(|e| fill(tr("cannot run cargo: {e}"), &[("e", &e)]))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut binaries = TestBinaries::new();
    let mut diagnostics = String::new();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                let kinds = &message["target"]["kind"];
                let is_test = kinds.as_array().is_some_and(|k| k.iter().any(|k| k == "test"));
                if let (true, Some(name), Some(path)) =
                    (is_test, message["target"]["name"].as_str(), message["executable"].as_str())
                {
                    binaries.insert(name.to_string(), PathBuf::from(path));
                }
            }
            Some("compiler-message") => {
                // The library is compiled for each test target that uses it: keep each message once.
                if let Some(text) = message["message"]["rendered"].as_str()
                    && !diagnostics.contains(text)
                {
                    diagnostics.push_str(text);
                }
            }
            _ => {}
        }
    }
    if output.status.success() {
        Ok(binaries)
    } else {
        diagnostics.push_str(&String::from_utf8_lossy(&output.stderr));
        Err(diagnostics)
    }
}
