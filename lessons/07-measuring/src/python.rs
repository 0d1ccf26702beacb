//! CPython's side: `python3` runs `python/measure.py`, which does one figure's work a number of times
//! with `multiprocessing` and prints what it measured as JSON on its standard output.
//!
//! The interpreter's own start (tens of milliseconds) is never timed: the script times the work
//! inside itself, as the Rust side does. Like the parity tests of the twins, the benchmark runs
//! `$PYTHON` if set, else `python3`; without one, the CPython column stays empty, except under
//! `CI=true`, where that is an error.

use std::path::PathBuf;
use std::process::Command;

use serde::Deserialize;

use crate::floors::Error;

/// `$PYTHON`, else `python3`, if it runs `args` successfully: the interpreter, and what it printed.
/// Otherwise `Ok(None)`, with a note that the interpreter `missing.0` and what to do, `missing.1`;
/// under `CI=true`, an error instead, so that a benchmark cannot pass CI with a column left empty.
pub fn interpreter_running(args: &[&str], missing: (&str, &str)) -> Result<Option<(String, String)>, Error> {
    let interpreter = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    match Command::new(&interpreter).args(args).output() {
        Ok(out) if out.status.success() => {
            Ok(Some((interpreter, String::from_utf8_lossy(&out.stdout).trim().to_string())))
        }
        _ => {
            let reason = format!("{interpreter} {}", missing.0);
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                return Err(format!("{reason}, and under CI=true that is an error").into());
            }
            eprintln!("note: {reason} ({})", missing.1);
            Ok(None)
        }
    }
}

/// What the script printed for one run of a figure.
#[derive(Debug, Clone, Deserialize)]
pub struct Measured {
    /// The time of each repetition, in seconds.
    pub times: Vec<f64>,
    /// The script's peak resident memory (`VmHWM`), in bytes, for the figures that ask for it.
    #[serde(default)]
    pub peak_bytes: Option<f64>,
    /// What the work computed, for the figures that compare it with ours.
    #[serde(default)]
    pub result: Option<u64>,
}

/// A working Python interpreter and the script it runs.
#[derive(Debug, Clone)]
pub struct Python {
    interpreter: String,
    script: PathBuf,
    /// The interpreter's `--version`, e.g. `Python 3.11.7`.
    pub version: String,
}

impl Python {
    /// Finds the interpreter. `Ok(None)` with a printed reason when there is none, an error under CI.
    pub fn find() -> Result<Option<Python>, Error> {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/measure.py");
        let missing = ("was not found: CPython's column stays empty", "install python3 or set PYTHON");
        Ok(interpreter_running(&["--version"], missing)?.map(|(interpreter, version)| Python {
            interpreter,
            script,
            version,
        }))
    }

    // ANCHOR: run
    /// Runs `figure` `reps` times in a fresh interpreter: `python3 measure.py FIGURE REPS ARGS…`.
    pub fn run(&self, figure: &str, reps: usize, args: &[String]) -> Result<Measured, Error> {
        let out = Command::new(&self.interpreter)
            .arg(&self.script)
            .arg(figure)
            .arg(reps.to_string())
            .args(args)
            .output()?;
        if !out.status.success() {
            let said = String::from_utf8_lossy(&out.stderr);
            return Err(format!("measure.py {figure} failed ({}): {said}", out.status).into());
        }
        Ok(serde_json::from_slice(&out.stdout)?)
    }
    // ANCHOR_END: run
}
