//! Starting a worker, by one of chapter 5's start methods.

use std::fs::File;
use std::os::fd::AsFd;

use lesson_01_fork::{ForkError, fork_and_run};
use lesson_03_process::pidfd;
use lesson_05_start_methods::registry::current;
use lesson_05_start_methods::{StartMethod, start_child};
use nix::fcntl::OFlag;

use crate::error::PoolError;
use crate::state::{Channel, Settings, Worker};
use crate::worker::{Setup, WORKER, work};

// ANCHOR: start_worker
/// Starts one worker by `method`. It gets the queue's receiving end and lock, and the write end of a
/// report pipe of its own, whose read end the pool keeps.
pub fn start_worker(
    method: &StartMethod,
    settings: &Settings,
    channel: &Channel,
) -> Result<Worker, PoolError> {
    let (report_read, report_write) =
        nix::unistd::pipe2(OFlag::O_CLOEXEC).map_err(|e| PoolError::os("making a report pipe", e))?;
    let report_write = File::from(report_write);
    let pid = match method {
        // A fork has the pool's memory: the initializer closure, and the queue and lock themselves.
        StartMethod::Fork => {
            let initializer = settings.initializer.as_ref();
            fork_and_run(|| {
                work(&channel.packets, &channel.lock, &report_write, settings.maxtasks, initializer)
            })
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
                report_write.as_fd(),
            ];
            let setup = postcard::to_stdvec(&Setup { maxtasks: settings.maxtasks })?;
            start_child(method, registry, WORKER.name, &fds, &setup)?
        }
    };
    drop(report_write);
    let pidfd = pidfd::open(pid).map_err(|e| PoolError::os("opening a worker's pidfd", e))?;
    Ok(Worker {
        pid,
        pidfd,
        reports: File::from(report_read),
        holding: None,
        stopped: false,
        failed_start: None,
    })
}
// ANCHOR_END: start_worker
