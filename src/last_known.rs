//! The results of the last grading that compiled, kept in `grader/last-results.txt` in cargo's target
//! directory, so that a compile error in one chapter's file does not hide the learner's progress in
//! the others: the grader shows them beside the error, and says where they come from. They decide
//! nothing: every grading that compiles runs the tests again.

use std::collections::BTreeMap;
use std::path::Path;

use crate::grade::TestResult;

/// Records `results` over what was kept (a test graded now replaces its old result).
pub fn save(root: &Path, results: &[(String, TestResult)]) -> std::io::Result<()> {
    let mut kept: BTreeMap<String, TestResult> = load(root).into_iter().collect();
    kept.extend(results.iter().cloned());
    let directory = crate::grader_dir(root);
    std::fs::create_dir_all(&directory)?;
    let text: String = kept
        .iter()
        .map(|(name, result)| match result {
            TestResult::Passed => format!("passed\t{name}\n"),
            TestResult::Failed(why) => format!("failed\t{name}\t{}\n", why.replace(['\t', '\n'], " ")),
        })
        .collect();
    std::fs::write(directory.join("last-results.txt"), text)
}

/// What was kept: each test's name and result; nothing if no grading has compiled yet.
pub fn load(root: &Path) -> Vec<(String, TestResult)> {
    let text = std::fs::read_to_string(crate::grader_dir(root).join("last-results.txt")).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let mut fields = line.splitn(3, '\t');
            match (fields.next()?, fields.next()?, fields.next()) {
                ("passed", name, None) => Some((name.to_string(), TestResult::Passed)),
                ("failed", name, Some(why)) => Some((name.to_string(), TestResult::Failed(why.to_string()))),
                _ => None,
            }
        })
        .collect()
}
