//! Self-check: the grader, run on the untouched stubs, reports no exercise done, names the next one
//! with its file and hint, and exits with a failure status.

use std::process::Command;

#[test]
fn on_the_stubs_the_grader_reports_zero_done_with_a_hint_and_fails() {
    let root = fork_to_pool::workspace_root();
    let exercises = fork_to_pool::catalogue::exercises(&root, "exercises").expect("read exercises");
    let output = Command::new(env!("CARGO_BIN_EXE_grader"))
        .current_dir(&root)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
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

/// Runs the grader with `args` in the workspace, building into the self-checks' own target directory,
/// in English; returns its exit status's success, its standard output and its standard error.
fn grader(args: &[&str], stdin: &str) -> (bool, String, String) {
    grader_in(&[("LANG", "C.UTF-8")], args, stdin)
}

/// Runs the grader as [`grader`] does, with the locale variables `locale` and no others.
fn grader_in(locale: &[(&str, &str)], args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let root = fork_to_pool::workspace_root();
    let mut child = Command::new(env!("CARGO_BIN_EXE_grader"))
        .args(args)
        .current_dir(&root)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(locale.iter().copied())
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

/// The Chinese of `english` in the catalogue at `path` (under the workspace).
fn chinese(path: &str, english: &str) -> String {
    let catalogue =
        fork_to_pool::words::read_catalogue(&fork_to_pool::workspace_root().join(path)).expect("read");
    let chinese = fork_to_pool::words::translation(&catalogue, english);
    chinese.unwrap_or_else(|| panic!("{path} lacks {english:?}")).to_string()
}

#[test]
fn with_a_chinese_locale_the_grader_speaks_chinese_in_the_books_words() {
    use fork_to_pool::words::fill;
    let root = fork_to_pool::workspace_root();
    let exercises = fork_to_pool::catalogue::exercises(&root, "exercises").expect("read exercises");
    let chapter: Vec<_> = exercises.iter().filter(|e| e.chapter == "ch02_wait").collect();
    let (ok, text, _) = grader_in(&[("LANG", "zh_CN.UTF-8")], &["check", "2"], "");
    assert!(!ok, "check exits non-zero while the chapter has exercises left:\n{text}");
    // The chapter as the book's Chinese edition calls it, in the grader's own words around it.
    let title = chinese("book/po/zh-CN.po", "wait: exit statuses, zombies, orphans");
    let heading =
        fill(chinese("po/zh-CN.po", "Chapter {number} — {title}"), &[("number", &2), ("title", &title)]);
    assert!(text.contains(&heading), "no {heading:?} in:\n{text}");
    let count = chapter.len();
    let progress =
        fill(chinese("po/zh-CN.po", "{done} of {total} exercises done"), &[("done", &0), ("total", &count)]);
    assert!(text.contains(&progress), "no {progress:?} in:\n{text}");
    let not_yet = chinese("po/zh-CN.po", "not yet");
    for exercise in &chapter {
        let line = text.lines().find(|line| line.contains(&format!("· {} ", exercise.name)));
        assert!(
            line.is_some_and(|line| line.ends_with(&not_yet)),
            "{} is not {not_yet:?}:\n{text}",
            exercise.name
        );
    }
    let next = fill(chinese("po/zh-CN.po", "Next: {place}"), &[("place", &"")]);
    assert!(text.contains(&format!("{next}{}", chapter[0].name)), "no {next:?} in:\n{text}");
    // Nothing of the grader's English is left; the task stays English, as the exercise's doc comment.
    for english in ["exercises done", "graded tests pass", "Next:", "not yet", "Change the code"] {
        assert!(!text.contains(english), "{english:?} is still English in:\n{text}");
    }
    assert!(text.contains(&chapter[0].task.lines().next().expect("a task")[..20]), "no task in:\n{text}");
    // The help says what each command does in Chinese too (clap's own words stay English).
    let (ok, help, _) = grader_in(&[("LANG", "zh_CN.UTF-8")], &["--help"], "");
    let check =
        chinese("po/zh-CN.po", "Grade one chapter only, e.g. `check 3`: faster while you work on it.");
    assert!(ok && help.contains(&format!("check  {check}")), "no {check:?} in:\n{help}");
}

#[test]
fn a_chinese_hint_is_the_books_chinese_and_lc_all_comes_first() {
    let root = fork_to_pool::workspace_root();
    let exercises = fork_to_pool::catalogue::exercises(&root, "exercises").expect("read exercises");
    let exercise = exercises.iter().find(|e| e.name == "exit_code_of").expect("exit_code_of");
    let _ = std::fs::remove_file(root.join("target/selfcheck/grader/hints-given.txt"));
    let (ok, text, _) = grader_in(&[("LANG", "zh_CN.UTF-8")], &["hint", &exercise.name], "");
    let hint = chinese("book/po/zh-CN.po", &exercise.hints[0]);
    assert!(ok && text.contains(&hint), "the hint is not the book's Chinese {hint:?}:\n{text}");
    // POSIX: LC_ALL overrides LANG, so C means English whatever LANG says.
    let (ok, text, _) = grader_in(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")], &["hint", &exercise.name], "");
    assert!(ok && text.contains(&format!("Hint 2 of 2: {}", exercise.hints[1])), "{text}");
    // LC_MESSAGES, the locale of messages, overrides LANG too.
    let (ok, _, error) =
        grader_in(&[("LC_MESSAGES", "zh_CN.UTF-8"), ("LANG", "en_GB.UTF-8")], &["hint", "nothing"], "");
    let unknown = fork_to_pool::words::fill(
        chinese("po/zh-CN.po", "There is no exercise named {name}. The exercises are: {names}."),
        &[("name", &"\"nothing\""), ("names", &"")],
    );
    assert!(!ok && error.starts_with(unknown.trim_end_matches('。')), "not {unknown:?}: {error}");
}
