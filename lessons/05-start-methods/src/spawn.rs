//! The spawn method: start this program afresh and have it run one task.
//!
//! The new process runs `main` from the top, like any program. [`init`], called first thing in `main`,
//! notices that it was started to run a task, runs it, and ends the process before the rest of `main`
//! can run: the Rust twin of Python's `if __name__ == '__main__':` guard, which keeps a spawned
//! child from running the parent's program again.

use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::Command;

use nix::fcntl::OFlag;

use crate::error::StartError;
use crate::registry::Registry;
use crate::{channel, child};

/// The environment variable that tells a spawned program which task to run.
pub const TASK_VARIABLE: &str = "FORK_TO_POOL_TASK";
/// The descriptor a spawned program reads its input from (for a task: its arguments).
pub const INPUT_FD: i32 = 3;
/// The descriptor a spawned program writes its output to (for a task: its outcome).
pub const OUTPUT_FD: i32 = 4;

// ANCHOR: init
/// Call this first thing in `main`. In a process started by the spawn method it runs the requested
/// task from `registry` and ends the process; anywhere else it returns at once.
pub fn init(registry: &Registry) {
    let Ok(name) = std::env::var(TASK_VARIABLE) else { return };
    // SAFETY: the spawning parent put the read end of the arguments pipe at INPUT_FD and the write
    // end of the outcome pipe at OUTPUT_FD for exactly this process, which owns them from here on.
    let (args_pipe, outcome_pipe) = unsafe { (File::from_raw_fd(INPUT_FD), File::from_raw_fd(OUTPUT_FD)) };
    let args = channel::receive(args_pipe).ok().flatten().unwrap_or_default();
    let code = child::serve(registry.find(&name), &args, outcome_pipe);
    std::process::exit(code);
}
// ANCHOR_END: init

// ANCHOR: this_program_with_pipes
/// The command that starts this program afresh with `input` at [`INPUT_FD`] and `output` at
/// [`OUTPUT_FD`]: the only descriptors it inherits, the rest being close-on-exec.
pub fn this_program_with_pipes(input: &OwnedFd, output: &OwnedFd) -> std::io::Result<Command> {
    let (from, to) = (input.as_raw_fd(), output.as_raw_fd());
    let mut command = Command::new(std::env::current_exe()?);
    // SAFETY: the closure runs in the child between fork and exec and only calls fcntl and dup2,
    // which are async-signal-safe, on descriptors that are open in the child.
    unsafe {
        command.pre_exec(move || {
            // Move both out of the way first, in case either already is 3 or 4; dup2 then gives
            // copies without close-on-exec, the only descriptors the new program inherits.
            let from = nix::libc::fcntl(from, nix::libc::F_DUPFD_CLOEXEC, 10);
            let to = nix::libc::fcntl(to, nix::libc::F_DUPFD_CLOEXEC, 10);
            if from < 0 || to < 0 || nix::libc::dup2(from, INPUT_FD) < 0 || nix::libc::dup2(to, OUTPUT_FD) < 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    Ok(command)
}
// ANCHOR_END: this_program_with_pipes

/// Starts this program afresh to run `name` on `args`, and returns its encoded result.
pub fn run_spawned(name: &str, args: &[u8]) -> Result<Vec<u8>, StartError> {
    let (args_read, args_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
    let (outcome_read, outcome_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
    let mut command = this_program_with_pipes(&args_read, &outcome_write)?;
    command.env(TASK_VARIABLE, name);
    let mut child = command.spawn()?;
    drop((args_read, outcome_write));
    // A child that never reads its arguments (it did not call `init`, or it failed first) may have
    // ended already, so the write can fail; what the child sent, or how it ended, says more.
    let _ = channel::send(File::from(args_write), args);
    let frame = channel::receive(File::from(outcome_read));
    let status = child.wait()?;
    child::outcome(frame?, || match status.code() {
        Some(code) => format!("exited with code {code}"),
        None => format!("was killed ({status})"),
    })
}
