//! Starting a worker, by one of chapter 5's start methods.

use std::collections::VecDeque;
use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};

use lesson_01_fork::{ForkError, fork_and_run};
use lesson_03_process::pidfd;
use lesson_05_start_methods::registry::current;
use lesson_05_start_methods::{StartMethod, start_child};
use nix::fcntl::{FcntlArg, OFlag, fcntl};

use crate::error::PoolError;
use crate::state::{Channel, Settings, Worker};
use crate::worker::{Pipes, Setup, WORKER, work};

// ANCHOR: start_worker
/// Starts one worker by `method`. It gets the queue and its lock, and the write ends of a took pipe
/// and a report pipe of its own, whose read ends the pool keeps.
pub fn start_worker(
    method: &StartMethod,
    settings: &Settings,
    channel: &Channel,
) -> Result<Worker, PoolError> {
    let (took_read, took_write) = pipe().map_err(|e| PoolError::os("making a took pipe", e))?;
    let (report_read, report_write) = pipe().map_err(|e| PoolError::os("making a report pipe", e))?;
    let pipes = Pipes { took: File::from(took_write), reports: File::from(report_write) };
    let pid = match method {
        // A fork has the pool's memory: the initializer closure, and the queue and lock themselves.
        StartMethod::Fork => {
            let initializer = settings.initializer.as_ref();
            fork_and_run(|| work(&channel.packets, &channel.lock, &pipes, settings.maxtasks, initializer))
                .map_err(|e| match e {
                    ForkError::Threaded { threads } => PoolError::Threaded(threads),
                    ForkError::Sys(errno) => PoolError::os("fork", errno),
                })?
        }
        // A spawned or served worker is a fresh copy: it is handed the descriptors, and runs the
        // WORKER entry of the program's registry, which cannot carry a closure.
        _ => {
            if settings.initializer.is_some() {
                return Err(PoolError::InitializerCannotCross(method.name().into()));
            }
            let registry = current().ok_or(PoolError::NoRegistry)?;
            let fds = [
                channel.packets.sending(),
                channel.packets.receiving(),
                channel.lock.as_fd(),
                pipes.took.as_fd(),
                pipes.reports.as_fd(),
            ];
            let setup = postcard::to_stdvec(&Setup { maxtasks: settings.maxtasks })?;
            start_child(method, registry, WORKER.name, &fds, &setup)?
        }
    };
    drop(pipes);
    let pidfd = pidfd::open(pid).map_err(|e| PoolError::os("opening a worker's pidfd", e))?;
    Ok(Worker {
        pid,
        pidfd,
        took: nonblocking(took_read)?,
        reports: nonblocking(report_read)?,
        took_inbox: Vec::new(),
        report_inbox: Vec::new(),
        taken: VecDeque::new(),
        stopped: false,
        failed_start: None,
    })
}
// ANCHOR_END: start_worker

/// A pipe whose ends are closed in a program this process starts (`exec`).
fn pipe() -> nix::Result<(OwnedFd, OwnedFd)> {
    nix::unistd::pipe2(OFlag::O_CLOEXEC)
}

/// The read end `fd`, made non-blocking: the parent reads only what has arrived, and never waits on
/// a half-written report.
fn nonblocking(fd: OwnedFd) -> Result<File, PoolError> {
    fcntl(&fd, FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).map_err(|e| PoolError::os("setting O_NONBLOCK", e))?;
    Ok(File::from(fd))
}
