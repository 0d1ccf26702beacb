//! The forkserver method: a small process, started while the program is still single-threaded, that
//! forks a worker for each request. Workers are copies of the server, which holds no lock and has no
//! thread but its own, so they are as clean as a spawned process and start as fast as a forked one.

use std::cell::RefCell;
use std::fs::File;

use lesson_01_fork::{Fork, Pid, exit_now, fork};
use lesson_02_wait::wait_for;
use nix::fcntl::OFlag;

use crate::error::StartError;
use crate::registry::Registry;
use crate::{channel, child};

/// A running fork server. Dropping it ends the server and reaps it.
#[derive(Debug)]
pub struct Forkserver {
    pid: Pid,
    /// Requests out, replies in; a RefCell so that `run` can take `&self`.
    pipes: RefCell<Option<(File, File)>>,
}

impl Forkserver {
    // ANCHOR: start
    /// Starts the server. Call it early, while the program has a single thread: every worker will be a
    /// copy of the process as it is now.
    pub fn start(registry: &'static Registry) -> Result<Forkserver, StartError> {
        let (request_read, request_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
        let (reply_read, reply_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
        match fork().map_err(|e| StartError::Os(e.to_string()))? {
            Fork::Child => {
                drop((request_write, reply_read));
                serve_requests(registry, File::from(request_read), File::from(reply_write))
            }
            Fork::Parent { child } => Ok(Forkserver {
                pid: child,
                pipes: RefCell::new(Some((File::from(request_write), File::from(reply_read)))),
            }),
        }
    }
    // ANCHOR_END: start

    /// The server's pid.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// Asks the server to run `name` on `args` in a new worker, and returns the encoded result.
    pub fn run(&self, name: &str, args: &[u8]) -> Result<Vec<u8>, StartError> {
        let pipes = self.pipes.borrow();
        let (requests, replies) =
            pipes.as_ref().ok_or_else(|| StartError::Os("the fork server has ended".into()))?;
        channel::send(requests, &postcard::to_stdvec(&(name, args))?)?;
        let reply =
            channel::receive(replies)?.ok_or_else(|| StartError::Os("the fork server has ended".into()))?;
        postcard::from_bytes::<Result<Vec<u8>, StartError>>(&reply)?
    }
}

impl Drop for Forkserver {
    /// Closes the request pipe, which the server takes as the signal to end, and reaps it.
    fn drop(&mut self) {
        if self.pipes.get_mut().take().is_some() {
            let _ = wait_for(self.pid);
        }
    }
}

// ANCHOR: serve_requests
/// The server's loop: for each request, fork a worker that runs the task and sends its outcome to
/// the server, reap the worker, and pass the outcome on. Ends when the request pipe closes.
fn serve_requests(registry: &Registry, mut requests: File, mut replies: File) -> ! {
    while let Ok(Some(request)) = channel::receive(&mut requests) {
        let outcome = match postcard::from_bytes::<(String, Vec<u8>)>(&request) {
            Ok((name, args)) => child::run_in_forked_child(registry, &name, &args),
            Err(e) => Err(StartError::from(e)),
        };
        let reply = postcard::to_stdvec(&outcome).unwrap_or_default();
        if channel::send(&mut replies, &reply).is_err() {
            break;
        }
    }
    exit_now(0)
}
// ANCHOR_END: serve_requests
