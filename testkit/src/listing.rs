//! Running a listing as a real program, for its snapshot.

use std::io::Read;
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::reap::{become_subreaper, kill_group_and_reap};

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

/// Runs `program` with `args` in its own process group and returns what it printed.
///
/// Panics if it is still running after [`LISTING_LIMIT`] (after killing its whole group).
pub fn run(program: impl AsRef<Path>, args: &[&str]) -> Run {
    become_subreaper();
    let (mut reader, writer) = std::io::pipe().expect("pipe");
    let child = Command::new(program.as_ref())
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer.try_clone().expect("dup"))
        .stderr(writer)
        .env("RUST_BACKTRACE", "0")
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.as_ref().display()));
    let pid = Pid::from_raw(child.id() as i32);
    let deadline = Instant::now() + LISTING_LIMIT;
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let millis = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
        let mut fds = [PollFd::new(reader.as_fd(), PollFlags::POLLIN)];
        let ready = poll(&mut fds, PollTimeout::from(millis)).unwrap_or(1);
        if ready == 0 && left.is_zero() {
            kill_group_and_reap(pid);
            panic!(
                "{} was still running after {:?}; it printed:\n{}",
                program.as_ref().display(),
                LISTING_LIMIT,
                String::from_utf8_lossy(&bytes)
            );
        }
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("reading the listing's output failed: {e}"),
        }
    }
    let status = waitpid(pid, None).expect("waitpid on the listing");
    let left_behind = kill_group_and_reap(pid).others;
    Run { output: crate::pids::normalise(&String::from_utf8_lossy(&bytes)), status, left_behind }
}
