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
    assert!(text.contains(&first.task.lines().next().expect("a task")[..20]), "no task in:\n{text}");
    assert!(text.contains("`cargo run -- hint` gives a hint"), "no word on hints in:\n{text}");
    assert!(!text.contains(&first.hints[0]), "the grader gave a hint nobody asked for:\n{text}");
    for exercise in &exercises {
        assert!(
            text.contains(&format!("· {}", exercise.name)),
            "{} is not shown as not yet:\n{text}",
            exercise.name
        );
    }
}

/// Runs the grader with `args` in the workspace, building into the self-checks' own target directory;
/// returns its exit status's success, its standard output and its standard error.
fn grader(args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let root = fork_to_pool::workspace_root();
    let mut child = Command::new(env!("CARGO_BIN_EXE_grader"))
        .args(args)
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target/selfcheck"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run the grader");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write the answer");
    let output = child.wait_with_output().expect("the grader ends");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.success(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn check_grades_one_chapter_and_names_its_next_exercise() {
    let root = fork_to_pool::workspace_root();
    let exercises = fork_to_pool::catalogue::exercises(&root, "exercises").expect("read exercises");
    let chapter: Vec<_> = exercises.iter().filter(|e| e.chapter == "ch02_wait").collect();
    let (ok, text, _) = grader(&["check", "2"], "");
    assert!(!ok, "check exits non-zero while the chapter has exercises left:\n{text}");
    assert!(text.contains("Chapter 2 — wait") && !text.contains("Chapter 1 — fork"), "{text}");
    assert!(text.contains(&format!("0 of {} exercises done", chapter.len())), "{text}");
    assert!(text.contains(&format!("Next: {} in", chapter[0].name)), "{text}");
}

#[test]
fn list_shows_each_exercise_with_its_failing_graded_tests() {
    let root = fork_to_pool::workspace_root();
    let exercises = fork_to_pool::catalogue::exercises(&root, "exercises").expect("read exercises");
    let (ok, text, _) = grader(&["list"], "");
    assert!(!ok, "list exits non-zero while exercises remain:\n{text}");
    let lines: Vec<&str> = text.lines().collect();
    for exercise in &exercises {
        let at = lines.iter().position(|l| l.contains(&format!("· {}", exercise.name)));
        let under = at.and_then(|i| lines.get(i + 1)).copied().unwrap_or_default();
        assert!(under.starts_with("      ✘ "), "no failing test listed under {}:\n{text}", exercise.name);
    }
    assert!(!text.contains('✔'), "a graded test passes on a stub:\n{text}");
}

#[test]
fn hint_gives_the_next_hint_each_time_and_an_unknown_name_gets_the_list() {
    let root = fork_to_pool::workspace_root();
    let exercises = fork_to_pool::catalogue::exercises(&root, "exercises").expect("read exercises");
    let exercise = &exercises[2];
    // The grader remembers the hints it gave, in its target directory: start from none given.
    let _ = std::fs::remove_file(root.join("target/selfcheck/grader/hints-given.txt"));
    let place = format!("{} in {}:{}", exercise.name, exercise.file.display(), exercise.line);
    for (level, hint) in [(1, &exercise.hints[0]), (2, &exercise.hints[1]), (2, &exercise.hints[1])] {
        let (ok, text, _) = grader(&["hint", &exercise.name], "");
        assert!(ok && text.contains(&place), "{text}");
        assert!(text.contains(&format!("Hint {level} of 2: {hint}")), "hint {level} expected:\n{text}");
    }
    let (ok, _, error) = grader(&["hint", "no_such_exercise"], "");
    assert!(!ok && error.contains("There is no exercise named") && error.contains(&exercise.name), "{error}");
}

#[test]
fn reset_asks_first_and_changes_nothing_without_a_yes() {
    let root = fork_to_pool::workspace_root();
    let exercises = fork_to_pool::catalogue::exercises(&root, "exercises").expect("read exercises");
    let file = root.join(&exercises[0].file);
    let before = std::fs::read_to_string(&file).expect("read");
    let (ok, text, _) = grader(&["reset", &exercises[0].name], "n\n");
    assert!(
        !ok && text.contains("Your code in it will be lost. [y/N]") && text.contains("Nothing changed."),
        "{text}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("read"), before, "the file changed without a yes");
}
