//! The forkserver start method for the pool: a small process, forked while the pool's process is
//! still single-threaded, that forks each worker on request and hands the pool the worker's two pipe
//! ends over a Unix socket (`SCM_RIGHTS`). Later replacements come from that clean copy even if the
//! pool's process has started threads since. The workers are the server's children, so the server
//! reaps them and tells the pool how each ended.

use std::fs::File;
use std::io::{IoSlice, IoSliceMut, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;

use lesson_01_fork::{Fork, Pid, exit_now, fork};
use lesson_02_wait::wait_for;
use nix::fcntl::OFlag;
use nix::sys::socket::{ControlMessage, ControlMessageOwned, MsgFlags, recvmsg, sendmsg};

use crate::error::PoolError;

/// The pool's side of its fork server.
#[derive(Debug)]
pub struct Server {
    pid: Pid,
    socket: UnixStream,
}

/// A request: 0 = start a worker with the given maxtasks (0: none), 1 = reap the given pid.
const START: u8 = 0;
const REAP: u8 = 1;

fn os(e: impl std::fmt::Display) -> PoolError {
    PoolError::Os(e.to_string())
}

impl Server {
    // ANCHOR: server_start
    /// Forks the server. Call it while this process has a single thread.
    pub fn start() -> Result<Server, PoolError> {
        let (ours, theirs) = UnixStream::pair().map_err(os)?;
        match fork().map_err(os)? {
            Fork::Child => {
                drop(ours);
                serve(theirs)
            }
            Fork::Parent { child } => Ok(Server { pid: child, socket: ours }),
        }
    }
    // ANCHOR_END: server_start

    /// Asks for a new worker; returns its pid, the write end of its task pipe and the read end of its
    /// result pipe.
    pub fn start_worker(&self, maxtasks: Option<usize>) -> Result<(Pid, File, File), PoolError> {
        let mut request = [START; 9];
        request[1..].copy_from_slice(&(maxtasks.unwrap_or(0) as u64).to_le_bytes());
        (&self.socket).write_all(&request).map_err(os)?;
        let mut pid = [0u8; 4];
        let mut iov = [IoSliceMut::new(&mut pid)];
        let mut space = nix::cmsg_space!([RawFd; 2]);
        let message =
            recvmsg::<()>(self.socket.as_raw_fd(), &mut iov, Some(&mut space), MsgFlags::MSG_CMSG_CLOEXEC)
                .map_err(os)?;
        let mut fds = Vec::new();
        for cmsg in message.cmsgs().map_err(os)? {
            if let ControlMessageOwned::ScmRights(received) = cmsg {
                fds.extend(received);
            }
        }
        let [tasks, results] = fds[..] else { return Err(os("the fork server sent no worker")) };
        // SAFETY: the kernel just installed these two descriptors in this process for us alone.
        let (tasks, results) = unsafe { (File::from_raw_fd(tasks), File::from_raw_fd(results)) };
        Ok((Pid::from_raw(i32::from_le_bytes(pid)), tasks, results))
    }

    /// Asks the server to reap `pid`, one of its workers, and returns how it ended.
    pub fn reap(&self, pid: Pid) -> Result<String, PoolError> {
        let mut request = [REAP; 9];
        request[1..5].copy_from_slice(&pid.as_raw().to_le_bytes());
        (&self.socket).write_all(&request).map_err(os)?;
        let mut length = [0u8; 2];
        (&self.socket).read_exact(&mut length).map_err(os)?;
        let mut text = vec![0u8; u16::from_le_bytes(length) as usize];
        (&self.socket).read_exact(&mut text).map_err(os)?;
        Ok(String::from_utf8_lossy(&text).into_owned())
    }
}

impl Drop for Server {
    /// Closes the socket, which the server takes as the signal to end, and reaps it.
    fn drop(&mut self) {
        let _ = self.socket.shutdown(std::net::Shutdown::Both);
        let _ = wait_for(self.pid);
    }
}

// ANCHOR: serve
/// The server's loop: start workers and reap them on request, until the pool closes the socket.
fn serve(socket: UnixStream) -> ! {
    let mut request = [0u8; 9];
    while (&socket).read_exact(&mut request).is_ok() {
        let answered = match request[0] {
            START => {
                let maxtasks = u64::from_le_bytes(request[1..].try_into().unwrap_or_default()) as usize;
                start_worker(&socket, (maxtasks > 0).then_some(maxtasks))
            }
            _ => {
                let pid = Pid::from_raw(i32::from_le_bytes(request[1..5].try_into().unwrap_or_default()));
                let how = wait_for(pid).map_or_else(|e| e.to_string(), |status| status.to_string());
                let mut reply = (how.len() as u16).to_le_bytes().to_vec();
                reply.extend_from_slice(how.as_bytes());
                (&socket).write_all(&reply).is_ok()
            }
        };
        if !answered {
            break;
        }
    }
    exit_now(0)
}

/// Forks one worker and sends the pool its pid and its two pipe ends.
fn start_worker(socket: &UnixStream, maxtasks: Option<usize>) -> bool {
    let Ok((task_read, task_write)) = nix::unistd::pipe2(OFlag::O_CLOEXEC) else { return false };
    let Ok((result_read, result_write)) = nix::unistd::pipe2(OFlag::O_CLOEXEC) else { return false };
    match fork() {
        Ok(Fork::Child) => {
            // The worker keeps only its own two ends: not the socket, not the pool's ends.
            let _ = nix::unistd::close(socket.as_raw_fd());
            drop((task_write, result_read));
            crate::worker::work(None, maxtasks, File::from(task_read), File::from(result_write))
        }
        Ok(Fork::Parent { child }) => {
            drop((task_read, result_write));
            let pid = child.as_raw().to_le_bytes();
            let fds = [task_write.as_raw_fd(), result_read.as_raw_fd()];
            let sent = sendmsg::<()>(
                socket.as_raw_fd(),
                &[IoSlice::new(&pid)],
                &[ControlMessage::ScmRights(&fds)],
                MsgFlags::empty(),
                None,
            );
            drop::<(OwnedFd, OwnedFd)>((task_write, result_read));
            sent.is_ok()
        }
        Err(_) => false,
    }
}
// ANCHOR_END: serve
