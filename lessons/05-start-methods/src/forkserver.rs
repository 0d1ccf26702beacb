//! The forkserver method: a small process, started while the program is still single-threaded, that
//! forks a worker for each request. Workers are copies of the server, which holds no lock and has no
//! thread but its own, so they are as clean as a spawned process and start as fast as a forked one.
//!
//! The program and its server talk over a Unix socket pair: requests go one way and replies the other,
//! each a chapter 4 frame holding a postcard-encoded value, and a request to start a long-lived child
//! carries that child's descriptors with it (`SCM_RIGHTS`, see [`fd_passing`]).

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::{Mutex, PoisonError};

use lesson_01_fork::{Fork, Pid, exit_now, fork};
use lesson_02_wait::wait_for;
use nix::sys::signal::{Signal, kill};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::StartError;
use crate::fd_passing::{self, Receiver};
use crate::registry::Registry;
use crate::{channel, child, long_lived};

// ANCHOR: request
/// What the program asks its fork server; each request has one reply, a `Result` of the type noted.
#[derive(Debug, Serialize, Deserialize)]
enum Request {
    /// Run the task `name` on `args` in a new worker, reap it, and reply its outcome (`Vec<u8>`).
    Run {
        /// The task's name in the registry.
        name: String,
        /// The encoded argument tuple.
        args: Vec<u8>,
    },
    /// Fork a long-lived child that runs `entry` with the descriptors attached to this request and
    /// `message`, and reply its pid (`i32`).
    Start {
        /// The entry's name in the registry.
        entry: String,
        /// The message for the entry.
        message: Vec<u8>,
    },
    /// Wait for the long-lived child `pid` and reply how it ended (`String`).
    Reap {
        /// The child's pid.
        pid: i32,
    },
}
// ANCHOR_END: request

/// A running fork server. Dropping it ends the server and reaps it; the server first kills and reaps
/// every long-lived child it started and nobody reaped.
#[derive(Debug)]
pub struct Forkserver {
    pid: Pid,
    /// Requests out, replies in; the lock keeps each request with its reply when threads share the
    /// server.
    socket: Mutex<UnixStream>,
}

impl Forkserver {
    // ANCHOR: start
    /// Starts the server. Call it early, while the program has a single thread: every worker will be a
    /// copy of the process as it is now.
    pub fn start(registry: &'static Registry) -> Result<Forkserver, StartError> {
        let (ours, theirs) = UnixStream::pair()?;
        match fork().map_err(|e| StartError::Os(e.to_string()))? {
            Fork::Child => {
                drop(ours);
                serve_requests(registry, theirs)
            }
            Fork::Parent { child } => Ok(Forkserver { pid: child, socket: Mutex::new(ours) }),
        }
    }
    // ANCHOR_END: start

    /// The server's pid.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// Asks the server to run `name` on `args` in a new worker, and returns the encoded result.
    pub fn run(&self, name: &str, args: &[u8]) -> Result<Vec<u8>, StartError> {
        self.ask(&Request::Run { name: name.into(), args: args.into() }, &[])
    }

    /// Asks the server to fork a long-lived child that runs the entry `entry` with copies of `fds`
    /// and `message`, and returns its pid. The child is the server's: reap it with [`Forkserver::reap`].
    pub fn start_child(
        &self,
        entry: &str,
        fds: &[BorrowedFd<'_>],
        message: &[u8],
    ) -> Result<Pid, StartError> {
        let pid: i32 = self.ask(&Request::Start { entry: entry.into(), message: message.into() }, fds)?;
        Ok(Pid::from_raw(pid))
    }

    /// Asks the server to wait for its long-lived child `pid` and returns how it ended. The server
    /// serves nobody else meanwhile: reap a child that has ended, or that you have killed.
    pub fn reap(&self, pid: Pid) -> Result<String, StartError> {
        self.ask(&Request::Reap { pid: pid.as_raw() }, &[])
    }

    /// Sends `request` with `fds` attached and returns the server's reply.
    fn ask<R: DeserializeOwned>(&self, request: &Request, fds: &[BorrowedFd<'_>]) -> Result<R, StartError> {
        let mut frame = Vec::new();
        channel::send(&mut frame, &postcard::to_stdvec(request)?)?;
        let socket = self.socket.lock().unwrap_or_else(PoisonError::into_inner);
        fd_passing::send_with_fds(&socket, &frame, fds).map_err(|_| ended())?;
        let reply = channel::receive(&*socket)?.ok_or_else(ended)?;
        postcard::from_bytes::<Result<R, StartError>>(&reply)?
    }
}

/// The error for a server that is gone.
fn ended() -> StartError {
    StartError::Os("the fork server has ended".into())
}

impl Drop for Forkserver {
    /// Shuts the socket down, which the server takes as the signal to end, and reaps it.
    fn drop(&mut self) {
        let socket = self.socket.get_mut().unwrap_or_else(PoisonError::into_inner);
        let _ = socket.shutdown(std::net::Shutdown::Both);
        let _ = wait_for(self.pid);
    }
}

// ANCHOR: serve_requests
/// The server's loop: answer each request (a task, a long-lived child, a reap) until the socket
/// closes; then kill and reap the long-lived children nobody reaped, so nothing is left behind.
fn serve_requests(registry: &Registry, socket: UnixStream) -> ! {
    let mut children: Vec<Pid> = Vec::new();
    let mut receiver = Receiver::new(&socket);
    while let Ok(Some(request)) = channel::receive(&mut receiver) {
        // Descriptors attached to the request; the server's copies close at the end of the turn.
        let fds = receiver.take_fds();
        let reply = match postcard::from_bytes::<Request>(&request) {
            Ok(Request::Run { name, args }) => encode(child::run_in_forked_child(registry, &name, &args)),
            Ok(Request::Start { entry, message }) => {
                let started = start_served_child(registry, &entry, fds, &message);
                children.extend(started.as_ref().ok());
                encode(started.map(Pid::as_raw))
            }
            Ok(Request::Reap { pid }) => {
                let pid = Pid::from_raw(pid);
                children.retain(|child| *child != pid);
                encode(
                    wait_for(pid).map(|status| status.to_string()).map_err(|e| StartError::Os(e.to_string())),
                )
            }
            Err(error) => encode(Err::<(), _>(StartError::from(error))),
        };
        if channel::send(&socket, &reply).is_err() {
            break;
        }
    }
    for child in children {
        let _ = kill(child, Signal::SIGKILL);
        let _ = wait_for(child);
    }
    exit_now(0)
}
// ANCHOR_END: serve_requests

/// Forks a long-lived child for `entry`, handing it `fds`, and closes the server's copies of them (by
/// dropping `fds`) before the reply goes out. The child keeps nothing else, not the server's socket.
fn start_served_child(
    registry: &Registry,
    entry: &str,
    fds: Vec<OwnedFd>,
    message: &[u8],
) -> Result<Pid, StartError> {
    let borrowed: Vec<BorrowedFd<'_>> = fds.iter().map(AsFd::as_fd).collect();
    long_lived::fork_entry(registry.entry(entry), &borrowed, message)
}

/// A reply's bytes: the postcard encoding of `outcome`.
fn encode<T: Serialize>(outcome: Result<T, StartError>) -> Vec<u8> {
    postcard::to_stdvec(&outcome).unwrap_or_default()
}
