//! Running a listing as a real program, for its snapshot.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use nix::sys::wait::WaitStatus;

/// How long a listing may run before it is killed and its test fails.
pub const LISTING_LIMIT: Duration = Duration::from_secs(20);

/// What one run of a listing did.
#[derive(Debug)]
pub struct Run {
    /// Standard output and standard error, interleaved as written, with pids normalised.
    pub output: String,
    /// How the listing's main process ended (an exit code, or a signal).
    pub status: WaitStatus,
    /// Processes the listing left behind (killed and reaped after it ended). Should be 0.
    pub left_behind: usize,
}

impl Run {
    /// Checks that the listing exited with status 0 and left no process behind.
    #[track_caller]
    pub fn assert_clean_exit(&self) -> &Self {
        assert!(
            matches!(self.status, WaitStatus::Exited(_, 0)),
            "the listing ended with {:?}; it printed:\n{}",
            self.status,
            self.output
        );
        assert_eq!(self.left_behind, 0, "the listing left processes behind");
        self
    }
}

/// Runs `program` with `args` in its own process group and returns what it printed, pids normalised.
///
/// Panics if it is still running after [`LISTING_LIMIT`] (after killing its whole group).
pub fn run(program: impl AsRef<Path>, args: &[&str]) -> Run {
    let mut command = Command::new(program.as_ref());
    command.args(args).env("RUST_BACKTRACE", "0");
    let done = crate::contained::run(command, LISTING_LIMIT);
    let output = crate::pids::normalise(&done.output);
    let Some(status) = done.status else {
        panic!(
            "{} was still running after {LISTING_LIMIT:?}; it printed:\n{output}",
            program.as_ref().display()
        );
    };
    Run { output, status, left_behind: done.left_behind }
}
