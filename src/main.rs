//! The grader: `cargo run` at the workspace root.
//!
//! Builds your exercises' graded tests, runs each one contained and with a time limit, and prints
//! every exercise as done, not yet or failing, a progress bar, and the next exercise with its hint.
//! Exits with status 0 when every exercise is done.

use std::process::ExitCode;

use fork_to_pool::catalogue::{self, Exercise};
use fork_to_pool::compile;
use fork_to_pool::containment::Containment;
use fork_to_pool::grade::{self, Status, TestResult};
use fork_to_pool::report;
use indicatif::{ProgressBar, ProgressStyle};

fn main() -> ExitCode {
    let root = fork_to_pool::workspace_root();
    println!("From fork to Pool — grading your exercises in exercises/src/");
    let exercises = match catalogue::exercises(&root, "exercises") {
        Ok(exercises) => exercises,
        Err(e) => {
            eprintln!("Cannot read the exercises under {}: {e}", root.join("exercises").display());
            return ExitCode::FAILURE;
        }
    };
    println!("Building the graded tests of your exercises…");
    let binaries = match compile::graded_tests(&root, "exercises", None) {
        Ok(binaries) => binaries,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            println!(
                "Your exercises do not compile yet: fix the first error above, then run `cargo run` again."
            );
            return ExitCode::FAILURE;
        }
    };
    testkit::reap::become_subreaper();
    let containment = Containment::detect();

    // Run every graded test, chapter by chapter.
    let mut tests = Vec::new();
    for chapter in chapters_of(&exercises) {
        let Some(binary) = binaries.get(&chapter) else {
            eprintln!("No graded test target named {chapter}: is it listed in exercises/Cargo.toml?");
            return ExitCode::FAILURE;
        };
        match grade::list(binary) {
            Ok(names) => tests.extend(names.into_iter().map(|name| (binary.clone(), name))),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let bar = ProgressBar::new(tests.len() as u64).with_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} graded tests  {msg}").expect("valid template"),
    );
    let mut results = Vec::new();
    for (binary, name) in tests {
        bar.set_message(name.clone());
        let result = grade::run(&containment, &binary, &name);
        results.push((name, result));
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!();

    // Report.
    let width = exercises.iter().map(|e| e.name.len()).max().unwrap_or(0);
    let statuses: Vec<Status> = exercises.iter().map(|e| grade::status(e, &results)).collect();
    for chapter in chapters_of(&exercises) {
        let file = exercises.iter().find(|e| e.chapter == chapter).map(|e| e.file.display().to_string());
        println!("{} ({})", report::chapter_title(&chapter), file.unwrap_or_default());
        for (exercise, status) in exercises.iter().zip(&statuses).filter(|(e, _)| e.chapter == chapter) {
            println!("{}", report::exercise_line(exercise, status, width));
        }
        println!();
    }
    let done = statuses.iter().filter(|s| **s == Status::Done).count();
    println!("{}\n", report::progress_line(done, exercises.len()));
    let passed = results.iter().filter(|(_, r)| *r == TestResult::Passed).count();
    println!("{passed} of {} graded tests pass; each ran in {}.", results.len(), containment.describe());
    match exercises.iter().zip(&statuses).find(|(_, s)| **s != Status::Done) {
        Some((exercise, status)) => {
            println!("\n{}", report::next_exercise(exercise, status));
            ExitCode::FAILURE
        }
        None => {
            println!("\nEvery exercise is done. Well done!");
            ExitCode::SUCCESS
        }
    }
}

/// The chapters that have exercises, in order.
fn chapters_of(exercises: &[Exercise]) -> Vec<String> {
    let mut chapters: Vec<String> = exercises.iter().map(|e| e.chapter.clone()).collect();
    chapters.dedup();
    chapters
}
