//! One grading session: build the graded tests of some chapters, run each test contained, and keep
//! every result. Every command of the grader that needs results goes through here.

use crate::catalogue::Exercise;
use crate::compile;
use crate::containment::Containment;
use crate::grade::{self, Status, TestResult};
use crate::words::{fill, tr};
use indicatif::{ProgressBar, ProgressStyle};

/// The results of the graded tests of `chapters`, and how they were contained.
pub struct Session {
    /// Each test's full name (`exercise::test`) and result, in the order they ran.
    pub results: Vec<(String, TestResult)>,
    /// How each test was contained, in words.
    pub containment: String,
}

impl Session {
    /// The status of `exercise` (whose chapter was graded).
    pub fn status(&self, exercise: &Exercise) -> Status {
        grade::status(exercise, &self.results)
    }

    /// Each graded test of `exercise`, by its short name, with its result.
    pub fn tests_of<'a>(&'a self, exercise: &Exercise) -> Vec<(&'a str, &'a TestResult)> {
        let prefix = format!("{}::", exercise.name);
        self.results.iter().filter_map(|(name, result)| Some((name.strip_prefix(&prefix)?, result))).collect()
    }
}

/// The chapters that have exercises, in order.
pub fn chapters_of(exercises: &[Exercise]) -> Vec<String> {
    let mut chapters: Vec<String> = exercises.iter().map(|e| e.chapter.clone()).collect();
    chapters.dedup();
    chapters
}

/// Why a grading could not run.
#[derive(Debug)]
pub enum Failed {
    /// The exercises do not compile: rustc's diagnostics, each once.
    Compile(String),
    /// Anything else, in words.
    Other(String),
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::Compile(diagnostics) => write!(
                f,
                "{diagnostics}\n{}",
                tr("Your exercises do not compile yet: fix the first error above, then grade again.")
            ),
            Failed::Other(why) => f.write_str(why),
        }
    }
}

/// Builds and runs the graded tests of `chapters` in the `exercises` crate, with a progress bar, and
/// keeps the results as the last known ones.
pub fn grade(root: &std::path::Path, chapters: &[String]) -> Result<Session, Failed> {
    let only = match chapters {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let binaries = compile::graded_tests(root, "exercises", None, only).map_err(Failed::Compile)?;
    testkit::reap::become_subreaper();
    let containment = Containment::detect();
    let mut tests = Vec::new();
    for chapter in chapters {
        let binary = binaries.get(chapter).ok_or_else(|| {
            Failed::Other(fill(
                tr("No graded test target named {chapter}: is it listed in exercises/Cargo.toml?"),
                &[("chapter", chapter)],
            ))
        })?;
        tests.extend(
            grade::list(binary).map_err(Failed::Other)?.into_iter().map(|name| (binary.clone(), name)),
        );
    }
    let bar = ProgressBar::new(tests.len() as u64).with_style(
        ProgressStyle::with_template(&format!("{{bar:30}} {{pos}}/{{len}} {}  {{msg}}", tr("graded tests")))
            .expect("valid template"),
    );
    let mut results: Vec<(String, TestResult)> = Vec::new();
    for (binary, name) in tests {
        bar.set_message(name.clone());
        // An exercise whose test hung is not run again: its other tests would hang too.
        let exercise = name.split("::").next().unwrap_or_default();
        let hung = results.iter().any(|(other, result)| {
            other.split("::").next() == Some(exercise)
                && matches!(result, TestResult::Failed(why) if grade::hung(why))
        });
        let result = if hung {
            TestResult::Failed(tr("not run: another test of this exercise did not finish in time"))
        } else {
            grade::run(&containment, &binary, &name)
        };
        results.push((name, result));
        bar.inc(1);
    }
    bar.finish_and_clear();
    if let Err(e) = crate::last_known::save(root, &results) {
        eprintln!("({})", fill(tr("cannot keep these results: {e}"), &[("e", &e)]));
    }
    Ok(Session { results, containment: containment.describe() })
}
