//! Self-check: the grader, run on the untouched stubs, reports no exercise done, names the next one
//! with its file and hint, and exits with a failure status.

use std::process::Command;

#[test]
fn on_the_stubs_the_grader_reports_zero_done_with_a_hint_and_fails() {
    let root = fork_to_pool::workspace_root();
    let exercises = fork_to_pool::catalogue::exercises(&root, "exercises").expect("read exercises");
    let output = Command::new(env!("CARGO_BIN_EXE_grader"))
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target/selfcheck"))
        .output()
        .expect("run the grader");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "the grader exits non-zero while exercises remain:\n{text}");
    let total = exercises.len();
    assert!(text.contains(&format!("0 of {total} exercises done")), "no progress line in:\n{text}");
    let first = &exercises[0];
    assert!(
        text.contains(&format!("Next: {} in {}:{}", first.name, first.file.display(), first.line)),
        "{text}"
    );
    assert!(text.contains(&format!("Hint: {}", first.hint)), "no hint in:\n{text}");
    for exercise in &exercises {
        assert!(
            text.contains(&format!("· {}", exercise.name)),
            "{} is not shown as not yet:\n{text}",
            exercise.name
        );
    }
}
