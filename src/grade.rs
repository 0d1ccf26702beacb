//! Running the graded tests and deciding each exercise's status.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::catalogue::Exercise;
use crate::containment::Containment;
use crate::words::{fill, tr};

/// How long one graded test may run. The sandbox inside the test stops the learner's code sooner
/// (testkit::sandbox::DEFAULT_LIMIT); this limit is the grader's backstop.
pub const TEST_LIMIT: Duration = Duration::from_secs(30);

/// The failure of a test that ran past [`TEST_LIMIT`].
pub fn hung_message() -> String {
    let seconds = TEST_LIMIT.as_secs();
    fill(
        tr("still running after {seconds}s and stopped: an endless loop, or a fork bomb?"),
        &[("seconds", &seconds)],
    )
}

/// Whether a test failed because it did not end in time: stopped by the grader, or by the sandbox
/// inside the test (`testkit::sandbox::TIMED_OUT`).
pub fn hung(why: &str) -> bool {
    why == hung_message() || why.contains(testkit::sandbox::TIMED_OUT)
}

/// Where an exercise stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Every graded test of the exercise passes.
    Done,
    /// The exercise still has its `todo!()`.
    NotYet,
    /// A graded test fails: the test's name and the failure's first useful line.
    Failing(String),
}

/// How one graded test ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestResult {
    /// It passed.
    Passed,
    /// It failed; the first useful line of its failure.
    Failed(String),
}

/// The names of the tests in a graded test binary (`--list`).
pub fn list(binary: &Path) -> Result<Vec<String>, String> {
    let output = Command::new(binary)
        .arg("--list")
        .output()
        .map_err(|e| fill(tr("cannot run {binary}: {e}"), &[("binary", &binary.display()), ("e", &e)]))?;
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Runs the test `name` of `binary`, contained, with the [`TEST_LIMIT`].
pub fn run(containment: &Containment, binary: &Path, name: &str) -> TestResult {
    let done = testkit::contained::run(containment.command(binary, name), TEST_LIMIT);
    let passed = done.output.lines().any(|line| line.starts_with("test ") && line.ends_with("... ok"));
    match done.status {
        None => TestResult::Failed(hung_message()),
        Some(nix::sys::wait::WaitStatus::Exited(_, 0)) if passed => TestResult::Passed,
        Some(status) => TestResult::Failed(first_useful_line(&done.output, name).unwrap_or_else(|| {
            let status = format!("{status:?}");
            fill(tr("the test process ended with {status} before it could report"), &[("status", &status)])
        })),
    }
}

/// The first line of a failing test's report that says what went wrong.
pub fn first_useful_line(output: &str, name: &str) -> Option<String> {
    let header = format!("---- {name} ----");
    let mut lines = output.lines().skip_while(|line| line.trim() != header).skip(1);
    lines.find(|line| !line.trim().is_empty()).map(|line| {
        line.trim().trim_start_matches("test panicked: ").trim_start_matches("test failed: ").to_string()
    })
}

/// The status of `exercise` from the results of its graded tests (tests named `exercise::…`).
pub fn status(exercise: &Exercise, results: &[(String, TestResult)]) -> Status {
    let prefix = format!("{}::", exercise.name);
    let mine: Vec<&(String, TestResult)> =
        results.iter().filter(|(name, _)| name.starts_with(&prefix)).collect();
    if mine.is_empty() {
        return Status::Failing(fill(tr("no graded test found for {name}"), &[("name", &exercise.name)]));
    }
    let failures: Vec<(&String, &String)> = mine
        .iter()
        .filter_map(|(name, result)| match result {
            TestResult::Failed(why) => Some((name, why)),
            TestResult::Passed => None,
        })
        .collect();
    match failures.first() {
        None => Status::Done,
        // A todo!() still in the way, here or in code this exercise runs: not started, or not finished.
        Some(_) if failures.iter().any(|(_, why)| why.contains("not yet implemented")) => Status::NotYet,
        Some((name, why)) => Status::Failing(format!("{}: {why}", name.trim_start_matches(&prefix))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_failure_message_under_the_test_header() {
        let output = "running 1 test\ntest a::b ... FAILED\n\nfailures:\n\n---- a::b ----\ntest panicked: not yet implemented (at x.rs:3)\n\n";
        assert_eq!(first_useful_line(output, "a::b").as_deref(), Some("not yet implemented (at x.rs:3)"));
        assert_eq!(first_useful_line(output, "a::c"), None);
    }
}
