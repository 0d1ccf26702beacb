//! Handing descriptors to another process over a Unix socket: `SCM_RIGHTS`.
//!
//! A descriptor is an index into one process's table, so the number itself means nothing elsewhere.
//! Sent as an `SCM_RIGHTS` control message with some bytes on a Unix socket, it makes the kernel
//! install a copy of each descriptor in the receiver's table, under numbers the receiver learns from
//! the message: the same open file, as a fork would have shared it. See
//! [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html).

use std::io::{IoSlice, IoSliceMut, Read, Write};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;

use nix::errno::Errno;
use nix::sys::socket::{ControlMessage, ControlMessageOwned, MsgFlags, recvmsg, sendmsg};

/// The most descriptors one message may carry: Linux's `SCM_MAX_FD`.
pub const MAX_FDS: usize = 253;

// ANCHOR: send_with_fds
/// Writes all of `bytes` to `socket`, with copies of `fds` attached to them.
pub fn send_with_fds(socket: &UnixStream, bytes: &[u8], fds: &[BorrowedFd<'_>]) -> std::io::Result<()> {
    if fds.len() > MAX_FDS {
        return Err(std::io::Error::other(format!("at most {MAX_FDS} descriptors can travel at once")));
    }
    let raw: Vec<RawFd> = fds.iter().map(AsRawFd::as_raw_fd).collect();
    let rights = [ControlMessage::ScmRights(&raw)];
    let control: &[ControlMessage] = if raw.is_empty() { &[] } else { &rights };
    let sent = loop {
        // MSG_NOSIGNAL: a server that has ended is an error here, not a SIGPIPE that ends us.
        match sendmsg::<()>(socket.as_raw_fd(), &[IoSlice::new(bytes)], control, MsgFlags::MSG_NOSIGNAL, None)
        {
            Err(Errno::EINTR) => continue,
            sent => break sent?,
        }
    };
    // The descriptors went with the first byte; a signal may have cut the rest short.
    let mut socket = socket;
    socket.write_all(&bytes[sent..])
}
// ANCHOR_END: send_with_fds

// ANCHOR: receiver
/// Reads a Unix socket with `recvmsg`, keeping the descriptors that arrive with the bytes (a plain
/// `read` would have the kernel close them). Chapter 4's frames read from it as from any stream.
#[derive(Debug)]
pub struct Receiver<'a> {
    socket: &'a UnixStream,
    fds: Vec<OwnedFd>,
}

impl<'a> Receiver<'a> {
    /// A receiver on `socket`, holding no descriptor yet.
    pub fn new(socket: &'a UnixStream) -> Receiver<'a> {
        Receiver { socket, fds: Vec::new() }
    }

    /// The descriptors received since the last call, in the order they were sent.
    pub fn take_fds(&mut self) -> Vec<OwnedFd> {
        std::mem::take(&mut self.fds)
    }
}

impl Read for Receiver<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let mut space = nix::cmsg_space!([RawFd; MAX_FDS]);
        let mut iov = [IoSliceMut::new(buffer)];
        // MSG_CMSG_CLOEXEC: the copies close on exec, as every descriptor of ours does.
        let message =
            recvmsg::<()>(self.socket.as_raw_fd(), &mut iov, Some(&mut space), MsgFlags::MSG_CMSG_CLOEXEC)?;
        for control in message.cmsgs()? {
            if let ControlMessageOwned::ScmRights(received) = control {
                // SAFETY: the kernel has just installed these descriptors in this process for this
                // message; nothing else knows their numbers, so each gets exactly one owner.
                self.fds.extend(received.into_iter().map(|fd| unsafe { OwnedFd::from_raw_fd(fd) }));
            }
        }
        Ok(message.bytes)
    }
}
// ANCHOR_END: receiver
