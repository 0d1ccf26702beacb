//! Chapter 4 of *From fork to Pool*: pipes, and what Python's `multiprocessing` builds on them.
//!
//! One concept a file:
//!
//! - [`pipe`]: a pipe's facts — [`PIPE_BUF`], its capacity, the bytes waiting in it — and waiting for
//!   its read end with a time limit ([`readable_within`]);
//! - [`short_io`]: short reads and short writes, and the loops that finish them;
//! - [`frame`]: messages on a byte stream, as length-prefixed frames; a truncated or corrupt frame is
//!   a [`FrameError`];
//! - [`message`]: pickling's twin — values encoded with serde and postcard, sent through a
//!   [`message_pipe`] of a given type;
//! - [`returning`]: [`ResultProcess`], a chapter-3 `Process` that hands back its task's value, or a
//!   [`ChildError`] saying how it ended instead;
//! - [`lock`]: [`TokenLock`], a lock between processes made of a pipe holding one byte;
//! - [`queue`]: [`Queue`], many producers and consumers sharing one pipe, like `multiprocessing.Queue`;
//! - [`record_lock`]: [`RecordLock`], a lock between processes that the kernel releases when its holder
//!   dies (a POSIX record lock);
//! - [`packet`]: [`PacketQueue`], whole messages shared by processes on a `SOCK_SEQPACKET` socket pair,
//!   of any length: a reader that dies loses only the message it took.

pub mod frame;
pub mod lock;
pub mod message;
pub mod packet;
pub mod pipe;
pub mod queue;
pub mod record_lock;
pub mod returning;
pub mod short_io;

pub use frame::{
    FrameError, FramePart, HEADER, MAX_FRAME, encode_frame, read_frame, split_frame, write_frame,
};
pub use lock::{LockGuard, TokenLock};
pub use message::{PipeError, Receiver, Sender, decode, encode, encode_as_frame, message_pipe};
pub use packet::{INLINE_MAX, PacketQueue};
pub use pipe::{
    PIPE_BUF, bytes_waiting, capacity, read_within, readable_within, set_capacity, wait_for_bytes,
};
pub use queue::Queue;
pub use record_lock::{RecordGuard, RecordLock};
pub use returning::{ChildError, ResultProcess, panic_message};
pub use short_io::{read_available, read_full, write_all};
