//! Long-lived children: a process that is not started for one task but lives on, running an
//! [`Entry`] with descriptors its starter handed over (a pool's worker reads its tasks from them).
//!
//! Whichever the method, the child keeps descriptors 0, 1 and 2 and copies of the ones it was handed,
//! and nothing else: a spawned child inherits nothing else across `exec`; a forked or served one
//! closes everything else it was copied with, so a pipe end it was not handed can never hold off
//! another process's end-of-file.

use std::io::Write;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::panic::{self, AssertUnwindSafe};

use lesson_01_fork::{Fork, Pid, exit_now, fork};
use lesson_02_wait::wait_for;

use crate::error::StartError;
use crate::method::StartMethod;
use crate::registry::{Entry, Registry};
use crate::spawn;

/// The exit code of a long-lived child whose entry panicked, as of a Rust program whose `main` did.
pub const PANIC_EXIT_CODE: i32 = 101;
/// The exit code of a spawned or served child asked for an entry its registry does not have.
pub const UNKNOWN_ENTRY_EXIT_CODE: i32 = 2;

// ANCHOR: start_child
/// Starts a long-lived child that runs the registry's entry `entry` with (copies of) `fds` and
/// `message`, by `method`: fork (forks this process; the child calls the entry's main directly and
/// ends with `exit_now`, a panic becoming exit code 101), spawn (starts this program afresh with the
/// descriptors at 3, 4, 5, … and the entry's name, the descriptor count and the message in its
/// environment; `init` runs the entry there and exits), or the fork server (which forks the child and
/// is its parent). Returns the child's pid.
///
/// An unknown entry is [`StartError::UnknownEntry`] under fork; a spawned or served child says so on
/// standard error and exits with code 2, since only it looks the name up.
pub fn start_child(
    method: &StartMethod,
    registry: &Registry,
    entry: &str,
    fds: &[BorrowedFd<'_>],
    message: &[u8],
) -> Result<Pid, StartError> {
    match method {
        StartMethod::Fork => fork_entry(Ok(registry.entry(entry)?), fds, message),
        StartMethod::Spawn => spawn::start_spawned_child(entry, fds, message),
        StartMethod::Forkserver(server) => server.start_child(entry, fds, message),
    }
}
// ANCHOR_END: start_child

// ANCHOR: reap_child
/// Waits for a child that [`start_child`] started and says how it ended, in chapter 2's words
/// ("exited with code 0", "killed by SIGKILL"). Under forkserver the server, the child's parent, reaps it.
pub fn reap_child(method: &StartMethod, pid: Pid) -> Result<String, StartError> {
    match method {
        StartMethod::Fork | StartMethod::Spawn => {
            wait_for(pid).map(|status| status.to_string()).map_err(|e| StartError::Os(e.to_string()))
        }
        StartMethod::Forkserver(server) => server.reap(pid),
    }
}
// ANCHOR_END: reap_child

// ANCHOR: fork_entry
/// Forks a long-lived child that keeps only copies of `fds` (and 0, 1, 2), runs `entry` with them and
/// `message`, and ends with `exit_now`. The fork method calls it in the caller, the fork server in
/// itself; an `Err` entry makes a child that reports it and exits with code 2.
pub fn fork_entry(
    entry: Result<Entry, StartError>,
    fds: &[BorrowedFd<'_>],
    message: &[u8],
) -> Result<Pid, StartError> {
    match fork().map_err(|e| StartError::Os(e.to_string()))? {
        Fork::Child => {
            let code = match keep_only(fds) {
                Ok(fds) => run_entry(entry, fds, message),
                Err(error) => {
                    eprintln!("cannot take the descriptors handed over: {error}");
                    1
                }
            };
            exit_now(code)
        }
        Fork::Parent { child } => Ok(child),
    }
}
// ANCHOR_END: fork_entry

// ANCHOR: run_entry
/// Runs `entry` with `fds` and `message` and returns the exit code the child should end with: what
/// the entry returned, 101 if it panicked, or 2 after a message on standard error if there is no such
/// entry. Every kind of long-lived child ends through here.
pub fn run_entry(entry: Result<Entry, StartError>, fds: Vec<OwnedFd>, message: &[u8]) -> i32 {
    let code = match entry {
        Ok(entry) => {
            panic::catch_unwind(AssertUnwindSafe(|| (entry.main)(fds, message))).unwrap_or(PANIC_EXIT_CODE)
        }
        Err(error) => {
            eprintln!("{error}");
            UNKNOWN_ENTRY_EXIT_CODE
        }
    };
    let _ = std::io::stdout().flush();
    code
}
// ANCHOR_END: run_entry

/// In a child just forked: makes copies of `fds`, then closes every other descriptor above 2, the
/// originals included. Returns the copies, in the order of `fds`.
fn keep_only(fds: &[BorrowedFd<'_>]) -> std::io::Result<Vec<OwnedFd>> {
    let kept = fds.iter().map(BorrowedFd::try_clone_to_owned).collect::<std::io::Result<Vec<_>>>()?;
    let keep: Vec<RawFd> = kept.iter().map(AsRawFd::as_raw_fd).collect();
    // Listed first, then closed: the listing's own descriptor is among them.
    let open: Vec<RawFd> = std::fs::read_dir("/proc/self/fd")?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    for fd in open.into_iter().filter(|fd| *fd > 2 && !keep.contains(fd)) {
        // SAFETY: this process is a fresh fork that ends with exit_now after the entry: it never
        // returns into the frames whose objects own these descriptors, nor drops them, so nothing will
        // use the numbers closed here. The entry gets only `kept`, which stay open.
        unsafe { nix::libc::close(fd) };
    }
    Ok(kept)
}
