//! The workbook's grader (`cargo run` at the root) and what its self-checks share.
//!
//! - [`command_line`]: the grader's commands and their help;
//! - [`catalogue`]: the exercises, read from the doc comments in `exercises/src/chNN_*.rs`;
//! - [`hints`]: their hints, from `exercises/hints/`, given one at a time;
//! - [`last_known`]: the last results that compiled, shown beside a compile error;
//! - [`compile`]: building the graded tests of a crate (`exercises` or `solutions`);
//! - [`containment`]: running one graded test so that a hang or a fork bomb cannot escape;
//! - [`grade`]: running every graded test and deciding each exercise's status;
//! - [`session`]: one grading run over some chapters, with its results;
//! - [`next`]: which exercise comes next (the one the learner is working on);
//! - [`reset`]: giving one exercise its stub back;
//! - [`report`]: printing the statuses, the progress bar and the next exercise;
//! - [`watch`]: grading a chapter again whenever its file is saved;
//! - [`words`]: what it says, in English or, when the locale asks for it, in Chinese.

pub mod catalogue;
pub mod command_line;
pub mod compile;
pub mod containment;
pub mod grade;
pub mod hints;
pub mod last_known;
pub mod next;
pub mod report;
pub mod reset;
pub mod session;
pub mod watch;
pub mod words;

use std::path::{Path, PathBuf};

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Where the grader keeps what it remembers between runs (hints given, the last results that
/// compiled): `grader/` in cargo's target directory (`root/target`, or `CARGO_TARGET_DIR`).
pub fn grader_dir(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    root.join(target).join("grader")
}
