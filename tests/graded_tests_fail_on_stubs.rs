//! Self-check: every graded test fails against the pristine stubs in `exercises`, and passes against
//! `solutions`; both crates expose the same exercises, each with a task, a hint and graded tests.
//!
//! A graded test that passes on a stub proves nothing, so this check fails the build if one does.
//! The stubs are built in a target directory of their own (`target/selfcheck`), so this test can run
//! cargo while the outer `cargo test` holds the main one.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use fork_to_pool::catalogue;
use fork_to_pool::compile;

fn selfcheck_target() -> PathBuf {
    fork_to_pool::workspace_root().join("target/selfcheck")
}

/// Runs a graded test binary whole and returns (passed, failed) test names from its report.
fn run_binary(binary: &std::path::Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let output = Command::new(binary).env("RUST_BACKTRACE", "0").output().expect("run the graded tests");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut passed = BTreeSet::new();
    let mut failed = BTreeSet::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("test ") else { continue };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            passed.insert(name.trim().to_string());
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            failed.insert(name.trim().to_string());
        }
    }
    (passed, failed)
}

#[test]
fn every_graded_test_fails_on_the_stubs_and_passes_on_the_solutions() {
    let root = fork_to_pool::workspace_root();
    let stubs = compile::graded_tests(&root, "exercises", Some(&selfcheck_target()), None)
        .expect("exercises compile");
    let solved = compile::graded_tests(&root, "solutions", Some(&selfcheck_target()), None)
        .expect("solutions compile");
    assert_eq!(
        stubs.keys().collect::<Vec<_>>(),
        solved.keys().collect::<Vec<_>>(),
        "both crates have the same graded test targets"
    );
    assert!(!stubs.is_empty(), "no graded test target found");
    for (chapter, binary) in &stubs {
        let listed: BTreeSet<String> = fork_to_pool::grade::list(binary).expect("list").into_iter().collect();
        assert!(!listed.is_empty(), "{chapter} has no graded tests");
        let (passed, failed) = run_binary(binary);
        assert!(passed.is_empty(), "graded tests of {chapter} that pass on the untouched stubs: {passed:?}");
        assert_eq!(failed, listed, "every graded test of {chapter} fails on the stubs");

        let (passed, failed) = run_binary(&solved[chapter]);
        assert!(failed.is_empty(), "graded tests of {chapter} that fail on the solutions: {failed:?}");
        assert_eq!(passed, listed, "every graded test of {chapter} passes on the solutions");
    }
}

#[test]
fn both_crates_expose_the_same_exercises_each_with_a_task_hints_and_tests() {
    let root = fork_to_pool::workspace_root();
    let exercises = catalogue::exercises(&root, "exercises").expect("read exercises");
    let solutions = catalogue::exercises(&root, "solutions").expect("read solutions");
    let shape = |list: &[catalogue::Exercise]| -> Vec<(String, String, String, String)> {
        list.iter()
            .map(|e| (e.chapter.clone(), e.name.clone(), e.signature.clone(), e.task.clone()))
            .collect()
    };
    assert_eq!(shape(&exercises), shape(&solutions), "exercises/ and solutions/ declare the same exercises");
    assert!(!exercises.is_empty());
    for exercise in &exercises {
        assert!(!exercise.task.is_empty(), "{} has no task in its doc comment", exercise.name);
        assert_eq!(exercise.hints.len(), 2, "{} needs two hints in exercises/hints/", exercise.name);
        let source = std::fs::read_to_string(root.join(&exercise.file)).expect("read the exercise file");
        let body = source.lines().nth(exercise.line).unwrap_or_default();
        assert_eq!(body.trim(), "todo!()", "the stub of {} is a single todo!()", exercise.name);
    }
    // Every exercise has graded tests, and every graded test belongs to an exercise.
    let graded_dir = root.join("tests/graded");
    for chapter in catalogue::chapters(&root.join("exercises")).expect("chapters") {
        let graded = std::fs::read_to_string(graded_dir.join(format!("{chapter}.rs"))).expect("graded file");
        let names: BTreeSet<&str> =
            exercises.iter().filter(|e| e.chapter == chapter).map(|e| e.name.as_str()).collect();
        for name in &names {
            assert!(
                graded.contains(&format!("mod {name} {{")),
                "{chapter}::{name} has no graded test module"
            );
        }
        for line in
            graded.lines().filter(|l| l.trim_start().starts_with("mod ") && l.trim_end().ends_with('{'))
        {
            let module = line.trim().trim_start_matches("mod ").trim_end_matches(" {");
            assert!(names.contains(module), "graded module {module} in {chapter} is not an exercise");
        }
    }
}
