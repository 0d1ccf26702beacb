//! A queue of whole messages between processes: a `SOCK_SEQPACKET` Unix socket pair.
//!
//! A pipe carries a stream of bytes, and a message on it is a frame that a reader takes in several
//! `read` calls: a reader killed between them leaves the rest of the frame in the pipe, and the next
//! reader takes those bytes for a header. A sequenced-packet socket
//! ([unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)) keeps the boundaries of what was
//! sent: each `send` is one packet, queued whole or not at all, and each receive takes one whole packet
//! or nothing. Nothing of a message can be left behind for the next reader.
//!
//! A packet must fit in the socket's send buffer (about 200 KB unless raised), so a long message does
//! not travel in its packet. Its body goes into an anonymous file
//! ([memfd_create(2)](https://man7.org/linux/man-pages/man2/memfd_create.2.html)), and the packet
//! carries the file's descriptor (`SCM_RIGHTS`, see
//! [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)), with a copy of the body's first bytes
//! for [`PacketQueue::peek`]. The reader that takes the packet receives a descriptor of its own, reads
//! the body and closes it; if it dies first, the kernel closes it, and the file is freed.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::FileExt;
use std::time::Duration;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::memfd::{MFdFlags, memfd_create};
use nix::sys::socket::{
    AddressFamily, ControlMessage, ControlMessageOwned, MsgFlags, SockFlag, SockType, recvmsg, sendmsg,
    setsockopt, socketpair, sockopt,
};

use crate::pipe::readable_within;
use crate::short_io::write_all;

// ANCHOR: packet_queue
/// The longest body that travels inside its packet; a longer one travels in an anonymous file. It
/// fits in the send buffer a kernel grants by default (`net.core.wmem_max`, 208 KiB, doubled).
pub const INLINE_MAX: usize = 128 * 1024;

/// How many of a long body's first bytes its packet carries, for [`PacketQueue::peek`].
const PREFIX: usize = 64;

/// The first byte of every packet: where the body is.
const INLINE: u8 = 0;
const IN_FILE: u8 = 1;

/// The send buffer asked for at creation; the kernel caps it (`net.core.wmem_max`).
const SEND_BUFFER: usize = 1024 * 1024;

thread_local! {
    /// Where `try_recv` receives a packet, before copying out its body.
    static SCRATCH: RefCell<Option<Box<[u8]>>> = const { RefCell::new(None) };
}

/// A queue of whole messages shared by processes: a `SOCK_SEQPACKET` Unix socket pair (close-on-exec).
///
/// One end sends, the other receives; every process that forks after [`PacketQueue::new`] holds both.
/// A receive takes one whole message or nothing, so a reader that dies can lose only the message it
/// took, never leave half of one behind for the next reader (a pipe could).
#[derive(Debug)]
pub struct PacketQueue {
    /// Every process sends here...
    sending: OwnedFd,
    /// ...and receives here. Both are blocking sockets; each call says `MSG_DONTWAIT` itself.
    receiving: OwnedFd,
}
// ANCHOR_END: packet_queue

/// A message made ready to send.
enum Packet<'a> {
    /// The body travels in the packet, after the tag.
    Inline(&'a [u8]),
    /// The body is in `file`; the packet carries the tag, a copy of the body's first bytes, and the
    /// file's descriptor.
    InFile { prefix: &'a [u8], file: File },
}

impl PacketQueue {
    /// A new, empty queue.
    pub fn new() -> io::Result<PacketQueue> {
        let (sending, receiving) =
            socketpair(AddressFamily::Unix, SockType::SeqPacket, None, SockFlag::SOCK_CLOEXEC)?;
        // More room than the default, so senders wait less; a kernel that refuses keeps its default.
        let _ = setsockopt(&sending, sockopt::SndBuf, &SEND_BUFFER);
        Ok(PacketQueue { sending, receiving })
    }

    /// The queue whose sockets `sending` and `receiving` are: how a process started by `exec`, which
    /// has no copy of the parent's [`PacketQueue`], gets one from the two descriptors handed to it
    /// (those of [`PacketQueue::sending`] and [`PacketQueue::receiving`] of a queue made by `new`).
    pub fn from_fds(sending: OwnedFd, receiving: OwnedFd) -> PacketQueue {
        PacketQueue { sending, receiving }
    }

    // ANCHOR: send
    /// Sends `message` whole without blocking: `Ok(true)` if sent, `Ok(false)` if the queue has no
    /// room now (nothing was sent).
    pub fn try_send(&self, message: &[u8]) -> io::Result<bool> {
        self.send_packet(&Packet::new(message)?)
    }

    /// Sends `message` whole, waiting while the queue is full.
    pub fn send(&self, message: &[u8]) -> io::Result<()> {
        // Made once: a long body is written to its file once, however long the queue stays full.
        let packet = Packet::new(message)?;
        while !self.send_packet(&packet)? {
            wait_for(self.sending(), PollFlags::POLLOUT)?;
        }
        Ok(())
    }

    /// One `sendmsg` of `packet`, which the kernel queues whole or not at all.
    fn send_packet(&self, packet: &Packet<'_>) -> io::Result<bool> {
        let fds: [RawFd; 1];
        let (parts, rights) = match packet {
            Packet::Inline(body) => ([IoSlice::new(&[INLINE]), IoSlice::new(body)], None),
            Packet::InFile { prefix, file } => {
                fds = [file.as_raw_fd()];
                ([IoSlice::new(&[IN_FILE]), IoSlice::new(prefix)], Some(ControlMessage::ScmRights(&fds)))
            }
        };
        // MSG_NOSIGNAL: were no process left to receive, an error (EPIPE), not a SIGPIPE.
        let flags = MsgFlags::MSG_DONTWAIT | MsgFlags::MSG_NOSIGNAL;
        loop {
            match sendmsg::<()>(self.sending.as_raw_fd(), &parts, rights.as_slice(), flags, None) {
                Ok(_) => return Ok(true),
                // The send buffer is full: the readers have not taken enough yet.
                Err(Errno::EAGAIN) => return Ok(false),
                Err(Errno::EINTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    // ANCHOR_END: send

    // ANCHOR: recv
    /// Takes the message at the head without blocking; `Ok(None)` if the queue is empty now.
    /// `Err` with `ErrorKind::UnexpectedEof` once every copy of the sending socket is closed and
    /// nothing is left (so never while this queue holds its own copy).
    pub fn try_recv(&self) -> io::Result<Option<Vec<u8>>> {
        // Received into this thread's scratch buffer, made once, then copied into a buffer of the
        // body's own size: no buffer of the largest size is made, and zeroed, for every packet.
        let received = SCRATCH.with_borrow_mut(|scratch| {
            let scratch = scratch.get_or_insert_with(|| vec![0u8; INLINE_MAX].into_boxed_slice());
            let received = self.receive(scratch, MsgFlags::empty(), true)?;
            Ok::<_, io::Error>(received.map(|(tag, len, file)| (tag, scratch[..len].to_vec(), file)))
        })?;
        let Some((tag, body, file)) = received else {
            return Ok(None);
        };
        match (tag, file) {
            (INLINE, None) => Ok(Some(body)),
            // This process alone holds the file now; it is freed when `file` is dropped, here.
            (IN_FILE, Some(file)) => read_file(&file, usize::MAX).map(Some),
            _ => Err(not_ours()),
        }
    }

    /// Takes the message at the head, waiting while the queue is empty.
    pub fn recv(&self) -> io::Result<Vec<u8>> {
        loop {
            if let Some(message) = self.try_recv()? {
                return Ok(message);
            }
            // Another reader may take what wakes us: then we wait again.
            readable_within(self.receiving(), Duration::MAX)?;
        }
    }
    // ANCHOR_END: recv

    /// The first `n` bytes (fewer if the message is shorter) of the message at the head, without
    /// taking it (`MSG_PEEK`); `Ok(None)` if the queue is empty now, and `try_recv`'s error at its
    /// end. Up to 64 bytes come from the packet alone. More of a long message come from its file:
    /// for a peek, the kernel gives the peeking process a copy of the descriptor, closed at once.
    pub fn peek(&self, n: usize) -> io::Result<Option<Vec<u8>>> {
        let mut body = vec![0u8; n.min(INLINE_MAX)];
        let from_file = n > PREFIX;
        let Some((tag, len, file)) = self.receive(&mut body, MsgFlags::MSG_PEEK, from_file)? else {
            return Ok(None);
        };
        match (tag, file) {
            (INLINE, None) => {
                body.truncate(len);
                Ok(Some(body))
            }
            // The packet's copy of the body's first bytes is enough.
            (IN_FILE, None) if !from_file => {
                body.truncate(len);
                Ok(Some(body))
            }
            (IN_FILE, Some(file)) => read_file(&file, n).map(Some),
            _ => Err(not_ours()),
        }
    }

    /// Waits at most `limit` for a message to arrive (`poll` on the receiving socket); returns whether
    /// one may be there: another reader may take it first. A zero limit only looks.
    pub fn readable_within(&self, limit: Duration) -> io::Result<bool> {
        readable_within(self.receiving(), limit)
    }

    /// The sending socket, to poll for `POLLOUT` (room to send).
    pub fn sending(&self) -> BorrowedFd<'_> {
        self.sending.as_fd()
    }

    /// The receiving socket, to poll for `POLLIN`.
    pub fn receiving(&self) -> BorrowedFd<'_> {
        self.receiving.as_fd()
    }

    /// One `recvmsg` of the packet at the head, with `flags` and `MSG_DONTWAIT`: its tag, then its
    /// body (or as much as fits) into `body`. Returns the tag, the body's length, and the descriptor the
    /// packet carried if `with_file` (without, a peek leaves it with the packet, and a receive lets the
    /// kernel close it); `None` if the queue is empty.
    fn receive(
        &self,
        body: &mut [u8],
        flags: MsgFlags,
        with_file: bool,
    ) -> io::Result<Option<(u8, usize, Option<File>)>> {
        // A received descriptor is close-on-exec from the start, as every descriptor of this crate.
        let flags = flags | MsgFlags::MSG_DONTWAIT | MsgFlags::MSG_CMSG_CLOEXEC;
        let mut space = nix::cmsg_space!([RawFd; 1]);
        let mut tag = [0u8; 1];
        loop {
            let mut parts = [IoSliceMut::new(&mut tag), IoSliceMut::new(body)];
            let control = if with_file { Some(space.as_mut_slice()) } else { None };
            let received = match recvmsg::<()>(self.receiving.as_raw_fd(), &mut parts, control, flags) {
                Ok(received) => received,
                Err(Errno::EAGAIN) => return Ok(None),
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            };
            // Own every descriptor that came, first, so that none leaks whatever follows.
            let mut files = Vec::new();
            for cmsg in received.cmsgs().into_iter().flatten() {
                if let ControlMessageOwned::ScmRights(fds) = cmsg {
                    // SAFETY: the kernel has just installed these descriptors in this process for this
                    // call; nothing else knows them, so each gets exactly one owner.
                    files.extend(fds.into_iter().map(|fd| File::from(unsafe { OwnedFd::from_raw_fd(fd) })));
                }
            }
            let (len, truncated) = (received.bytes, received.flags.contains(MsgFlags::MSG_TRUNC));
            // Every packet of ours holds at least its tag: 0 bytes is the end of the queue.
            if len == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "every sending socket is closed"));
            }
            // A peek may cut a packet short on purpose; a receive must not.
            if (truncated && !flags.contains(MsgFlags::MSG_PEEK)) || files.len() > 1 {
                return Err(not_ours());
            }
            return Ok(Some((tag[0], len - 1, files.pop())));
        }
    }
}

impl<'a> Packet<'a> {
    /// The packet for `message`: inline up to [`INLINE_MAX`] bytes; beyond, its body in a new file.
    fn new(message: &'a [u8]) -> io::Result<Packet<'a>> {
        if message.len() <= INLINE_MAX {
            return Ok(Packet::Inline(message));
        }
        let file = File::from(memfd_create(c"packet-body", MFdFlags::MFD_CLOEXEC)?);
        write_all(&file, message)?;
        Ok(Packet::InFile { prefix: &message[..PREFIX], file })
    }
}

/// The first `most` bytes of a body's file (fewer if it is shorter). Every descriptor of the file
/// shares one offset, which the sender's writes moved to the end: read from offset 0 explicitly.
fn read_file(file: &File, most: usize) -> io::Result<Vec<u8>> {
    let size = usize::try_from(file.metadata()?.len()).map_err(|_| not_ours())?;
    let mut body = vec![0u8; size.min(most)];
    file.read_exact_at(&mut body, 0)?;
    Ok(body)
}

/// Blocks until `fd` is ready for `events`, retrying `EINTR`.
fn wait_for(fd: BorrowedFd<'_>, events: PollFlags) -> io::Result<()> {
    loop {
        match poll(&mut [PollFd::new(fd, events)], PollTimeout::NONE) {
            Ok(_) => return Ok(()),
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// A packet that none of our senders could have sent: someone else wrote to the socket.
fn not_ours() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "a packet this queue did not send")
}
