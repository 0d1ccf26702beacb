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
    /// Standard output, and standard error too unless it was kept apart ([`Streams::Separate`]).
    pub output: String,
    /// Standard error, when it was kept apart; empty otherwise.
    pub errors: String,
    /// How the command's process ended; `None` when it was killed at the time limit.
    pub status: Option<WaitStatus>,
    /// Processes left behind after the command's own process ended (killed and reaped here).
    pub left_behind: usize,
}

/// Whether standard error goes into the same pipe as standard output, or a pipe of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streams {
    /// One pipe: the two streams interleaved as written.
    Merged,
    /// Two pipes: [`Contained::output`] and [`Contained::errors`].
    Separate,
}

/// Runs `command` in a new process group, with stdin closed and stdout and stderr captured in one
/// pipe. At `limit`, or when the command has ended, kills whatever is left in its group and reaps it.
///
/// The calling process becomes a child subreaper, so descendants orphaned on the way are reaped too.
/// It must have no other children running meanwhile: reaping waits for any child.
pub fn run(command: Command, limit: Duration) -> Contained {
    run_with(command, limit, Streams::Merged, |_, _| {})
}

/// As [`run`], with the streams as `streams` says; after each read, `on_output` is given the
/// standard output so far and the command's pid (which is also its process group), so that a test
/// can act — send a signal, say — once the command has printed that it is ready.
pub fn run_with(
    mut command: Command,
    limit: Duration,
    streams: Streams,
    mut on_output: impl FnMut(&str, Pid),
) -> Contained {
    become_subreaper();
    let (mut reader, writer) = std::io::pipe().expect("pipe");
    let (mut error_reader, error_writer) = match streams {
        Streams::Merged => (None, writer.try_clone().expect("dup")),
        Streams::Separate => {
            let (reader, writer) = std::io::pipe().expect("pipe");
            (Some(reader), writer)
        }
    };
    // ANCHOR: own_group
    // The child is reaped below with waitpid and kill_group_and_reap, not through `Child::wait`.
    #[allow(clippy::zombie_processes)]
    let child = command
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(error_writer)
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", command.get_program()));
    // ANCHOR_END: own_group
    drop(command);
    let pid = Pid::from_raw(child.id() as i32);
    let deadline = Instant::now() + limit;
    let mut bytes = Vec::new();
    let mut error_bytes = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut timed_out = false;
    let mut open = [true, error_reader.is_some()];
    while open[0] || open[1] {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            timed_out = true;
            break;
        }
        let millis = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
        let mut fds =
            vec![PollFd::new(reader.as_fd(), if open[0] { PollFlags::POLLIN } else { PollFlags::empty() })];
        if let Some(errors) = &error_reader {
            fds.push(PollFd::new(
                errors.as_fd(),
                if open[1] { PollFlags::POLLIN } else { PollFlags::empty() },
            ));
        }
        if poll(&mut fds, PollTimeout::from(millis)).unwrap_or(1) == 0 {
            continue;
        }
        let ready: Vec<bool> = fds.iter().map(|fd| fd.revents().is_some_and(|r| !r.is_empty())).collect();
        drop(fds);
        if open[0] && ready[0] {
            match reader.read(&mut chunk) {
                Ok(0) => open[0] = false,
                Ok(n) => {
                    bytes.extend_from_slice(&chunk[..n]);
                    on_output(&String::from_utf8_lossy(&bytes), pid);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => panic!("reading the output of {pid} failed: {e}"),
            }
        }
        if let Some(errors) = error_reader.as_mut().filter(|_| open[1] && ready[1]) {
            match errors.read(&mut chunk) {
                Ok(0) => open[1] = false,
                Ok(n) => error_bytes.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => panic!("reading the errors of {pid} failed: {e}"),
            }
        }
    }
    let status = if timed_out { None } else { waitpid(pid, None).ok() };
    let reaped = kill_group_and_reap(pid);
    Contained {
        output: String::from_utf8_lossy(&bytes).into_owned(),
        errors: String::from_utf8_lossy(&error_bytes).into_owned(),
        status,
        left_behind: reaped.others,
    }
}
