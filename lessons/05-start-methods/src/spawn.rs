//! The spawn method: start this program afresh and have it run one task, or one long-lived entry.
//!
//! The new process runs `main` from the top, like any program. [`init`], called first thing in `main`,
//! notices that it was started to run a task or an entry, runs it, and ends the process before the
//! rest of `main` can run: the Rust twin of Python's `if __name__ == '__main__':` guard, which keeps a
//! spawned child from running the parent's program again.

use std::fs::File;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::Command;

use lesson_01_fork::Pid;
use lesson_02_wait::wait_for;
use nix::fcntl::OFlag;

use crate::error::StartError;
use crate::registry::{self, Registry};
use crate::{channel, child, long_lived};

/// The environment variable that tells a spawned program which task to run.
pub const TASK_VARIABLE: &str = "FORK_TO_POOL_TASK";
/// The environment variable that tells a spawned program which entry to run, as a long-lived child.
pub const ENTRY_VARIABLE: &str = "FORK_TO_POOL_ENTRY";
/// The environment variable that tells a spawned entry how many descriptors it was handed.
pub const FD_COUNT_VARIABLE: &str = "FORK_TO_POOL_FD_COUNT";
/// The environment variable that holds a spawned entry's message, in hexadecimal.
pub const MESSAGE_VARIABLE: &str = "FORK_TO_POOL_MESSAGE";
/// Where a spawned program finds the first descriptor it was handed; the others follow at 4, 5, ….
pub const FIRST_FD: RawFd = 3;
/// The descriptor a spawned program reads its input from (for a task: its arguments).
pub const INPUT_FD: RawFd = 3;
/// The descriptor a spawned program writes its output to (for a task: its outcome).
pub const OUTPUT_FD: RawFd = 4;

// ANCHOR: init
/// Call this first thing in `main`. It records `registry` as this program's (see
/// [`registry::current`]). In a process started by the spawn method it then runs the requested task
/// or entry from `registry` and ends the process; anywhere else it returns at once.
pub fn init(registry: &'static Registry) {
    registry::remember(registry);
    if let Ok(entry) = std::env::var(ENTRY_VARIABLE) {
        run_spawned_entry(registry, &entry);
    }
    let Ok(name) = std::env::var(TASK_VARIABLE) else { return };
    // SAFETY: the spawning parent put the read end of the arguments pipe at INPUT_FD and the write
    // end of the outcome pipe at OUTPUT_FD for exactly this process, which owns them from here on.
    let (args_pipe, outcome_pipe) = unsafe { (File::from_raw_fd(INPUT_FD), File::from_raw_fd(OUTPUT_FD)) };
    let args = channel::receive(args_pipe).ok().flatten().unwrap_or_default();
    let code = child::serve(registry.find(&name), &args, outcome_pipe);
    std::process::exit(code);
}
// ANCHOR_END: init

// ANCHOR: this_program_with_fds
/// The command that starts this program afresh with `fds` at 3, 4, 5, … in their order: the only
/// descriptors it inherits besides 0, 1 and 2, the rest being close-on-exec.
pub fn this_program_with_fds(fds: &[BorrowedFd<'_>]) -> std::io::Result<Command> {
    let from: Vec<RawFd> = fds.iter().map(AsRawFd::as_raw_fd).collect();
    let mut moved: Vec<RawFd> = vec![-1; from.len()];
    // Above the last place one of them goes.
    let floor = FIRST_FD + RawFd::try_from(from.len()).map_err(std::io::Error::other)?;
    let mut command = Command::new(std::env::current_exe()?);
    // SAFETY: the closure runs in the child between fork and exec and only calls fcntl and dup2,
    // which are async-signal-safe, on descriptors that are open in the child; it writes into a vector
    // allocated before the fork and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            // Move them all out of the way first, in case one already is where another goes; dup2
            // then gives copies without close-on-exec, the only descriptors the new program inherits.
            for (moved, &from) in moved.iter_mut().zip(&from) {
                *moved = nix::libc::fcntl(from, nix::libc::F_DUPFD_CLOEXEC, floor);
                if *moved < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            for (place, &moved) in (FIRST_FD..).zip(&moved) {
                if nix::libc::dup2(moved, place) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
    Ok(command)
}
// ANCHOR_END: this_program_with_fds

// ANCHOR: this_program_with_pipes
/// The command that starts this program afresh with `input` at [`INPUT_FD`] and `output` at
/// [`OUTPUT_FD`]: the only descriptors it inherits besides 0, 1 and 2.
pub fn this_program_with_pipes(input: &OwnedFd, output: &OwnedFd) -> std::io::Result<Command> {
    this_program_with_fds(&[input.as_fd(), output.as_fd()])
}
// ANCHOR_END: this_program_with_pipes

/// Starts `command` and returns its pid. The child stays ours to reap with `waitpid` (chapter 2's
/// `wait_for`): std's `Child` handle is let go, since dropping it neither waits nor kills.
fn start(command: &mut Command) -> Result<Pid, StartError> {
    let child = command.spawn()?;
    Ok(Pid::from_raw(child.id() as i32))
}

/// Starts this program afresh to run `name` on `args`, and returns its encoded result.
pub fn run_spawned(name: &str, args: &[u8]) -> Result<Vec<u8>, StartError> {
    let (args_read, args_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
    let (outcome_read, outcome_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
    let mut command = this_program_with_pipes(&args_read, &outcome_write)?;
    command.env(TASK_VARIABLE, name).env_remove(ENTRY_VARIABLE);
    let child = start(&mut command)?;
    drop((args_read, outcome_write));
    // A child that never reads its arguments (it did not call `init`, or it failed first) may have
    // ended already, so the write can fail; what the child sent, or how it ended, says more.
    let _ = channel::send(File::from(args_write), args);
    let frame = channel::receive(File::from(outcome_read));
    let status = wait_for(child).map_err(|e| StartError::Os(e.to_string()))?;
    child::outcome(frame?, || status.to_string())
}

// ANCHOR: spawned_child
/// Starts this program afresh to run the entry `entry` as a long-lived child, with `fds` at 3, 4, …
/// and the entry's name, the number of descriptors and `message` in its environment. Returns its pid.
pub fn start_spawned_child(entry: &str, fds: &[BorrowedFd<'_>], message: &[u8]) -> Result<Pid, StartError> {
    let mut command = this_program_with_fds(fds)?;
    command
        .env(ENTRY_VARIABLE, entry)
        .env(FD_COUNT_VARIABLE, fds.len().to_string())
        .env(MESSAGE_VARIABLE, to_hex(message))
        .env_remove(TASK_VARIABLE);
    start(&mut command)
}

/// The spawned child's side, called by [`init`]: takes the descriptors at 3, 4, …, runs the entry
/// called `name` (or says on standard error that there is none, exit code 2), and ends the process.
fn run_spawned_entry(registry: &Registry, name: &str) -> ! {
    let count: RawFd = std::env::var(FD_COUNT_VARIABLE).ok().and_then(|n| n.parse().ok()).unwrap_or(0);
    // SAFETY: the starter put `count` descriptors at FIRST_FD, FIRST_FD + 1, … for exactly this
    // process, and told it how many in the same environment; this process owns them from here on.
    let fds = (FIRST_FD..FIRST_FD + count).map(|fd| unsafe { OwnedFd::from_raw_fd(fd) }).collect();
    let message = std::env::var(MESSAGE_VARIABLE).map(|hex| from_hex(&hex)).unwrap_or_default();
    std::process::exit(long_lived::run_entry(registry.entry(name), fds, &message))
}
// ANCHOR_END: spawned_child

/// `bytes` in hexadecimal, two digits a byte: an environment variable cannot hold every byte.
fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The bytes [`to_hex`] wrote; a pair of digits that is not hexadecimal is skipped.
fn from_hex(text: &str) -> Vec<u8> {
    let digits = text.as_bytes();
    digits
        .chunks(2)
        .filter_map(|pair| std::str::from_utf8(pair).ok().and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect()
}
