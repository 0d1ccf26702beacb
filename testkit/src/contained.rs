//! Running a command in its own process group with a time limit, and leaving nothing behind.

use std::io::Read;
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::reap::{become_subreaper, kill_group_and_reap};

/// What a contained run did.
#[derive(Debug)]
pub struct Contained {
    /// Standard output and standard error, interleaved as written.
    pub output: String,
    /// How the command's process ended; `None` when it was killed at the time limit.
    pub status: Option<WaitStatus>,
    /// Processes left behind after the command's own process ended (killed and reaped here).
    pub left_behind: usize,
}

/// Runs `command` in a new process group, with stdin closed and stdout and stderr captured in one
/// pipe. At `limit`, or when the command has ended, kills whatever is left in its group and reaps it.
///
/// The calling process becomes a child subreaper, so descendants orphaned on the way are reaped too.
/// It must have no other children running meanwhile: reaping waits for any child.
pub fn run(mut command: Command, limit: Duration) -> Contained {
    become_subreaper();
    let (mut reader, writer) = std::io::pipe().expect("pipe");
    // The child is reaped below with waitpid and kill_group_and_reap, not through `Child::wait`.
    #[allow(clippy::zombie_processes)]
    let child = command
        .stdin(Stdio::null())
        .stdout(writer.try_clone().expect("dup"))
        .stderr(writer)
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", command.get_program()));
    drop(command);
    let pid = Pid::from_raw(child.id() as i32);
    let deadline = Instant::now() + limit;
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut timed_out = false;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            timed_out = true;
            break;
        }
        let millis = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
        let mut fds = [PollFd::new(reader.as_fd(), PollFlags::POLLIN)];
        if poll(&mut fds, PollTimeout::from(millis)).unwrap_or(1) == 0 {
            continue;
        }
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!("reading the output of {pid} failed: {e}"),
        }
    }
    let status = if timed_out { None } else { waitpid(pid, None).ok() };
    let reaped = kill_group_and_reap(pid);
    Contained { output: String::from_utf8_lossy(&bytes).into_owned(), status, left_behind: reaped.others }
}
