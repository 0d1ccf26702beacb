//! Messages: values encoded with serde and postcard and sent in frames, the twin of Python's pickle.
//!
//! `multiprocessing.Connection.send(obj)` pickles `obj` into bytes and sends them in a frame; `recv()`
//! reads a frame and unpickles it. Here serde describes a value's shape (`#[derive(Serialize,
//! Deserialize)]`) and postcard turns it into compact bytes and back. Unlike pickle, the bytes say
//! nothing about the type: both ends must agree on it, and in Rust the type of [`Sender`] and
//! [`Receiver`] makes them agree.

use std::io::{self, PipeReader, PipeWriter};
use std::marker::PhantomData;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::frame::{FrameError, HEADER, MAX_FRAME, read_frame, write_frame};
use crate::pipe::readable_within;

// ANCHOR: pipe_error
/// Why a message could not be sent or received.
#[derive(Debug)]
pub enum PipeError {
    /// Every write end is closed and no message is left: none will ever come. Python's `recv` raises
    /// `EOFError` here.
    Closed,
    /// The frame could not be read or written: an I/O error, a truncated frame, a corrupt header.
    Frame(FrameError),
    /// The value could not be encoded.
    Encode(postcard::Error),
    /// A whole frame arrived, but its bytes are not a value of the expected type.
    Corrupt(postcard::Error),
    /// A whole frame arrived and began with a value of the expected type, but bytes were left over.
    TrailingBytes {
        /// How many bytes were left over.
        extra: usize,
    },
}

impl std::fmt::Display for PipeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PipeError::Closed => write!(f, "end of file: every write end of the pipe is closed"),
            PipeError::Frame(e) => write!(f, "{e}"),
            PipeError::Encode(e) => write!(f, "cannot encode the message: {e}"),
            PipeError::Corrupt(e) => write!(f, "corrupt message: not a value of the expected type ({e})"),
            PipeError::TrailingBytes { extra } => {
                write!(f, "corrupt message: {extra} bytes left over after the value")
            }
        }
    }
}
// ANCHOR_END: pipe_error

impl std::error::Error for PipeError {}

impl From<FrameError> for PipeError {
    fn from(e: FrameError) -> Self {
        PipeError::Frame(e)
    }
}

impl From<io::Error> for PipeError {
    fn from(e: io::Error) -> Self {
        PipeError::Frame(FrameError::Io(e))
    }
}

// ANCHOR: encode
/// The bytes of `value`, as postcard encodes it: what `pickle.dumps` is to Python.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, PipeError> {
    postcard::to_stdvec(value).map_err(PipeError::Encode)
}

/// The frame (chapter 4's header, then the body) of `value`, encoded straight into one buffer: the
/// header's room is kept at the front and filled in once the body's length is known, so the body is
/// never copied. What a sender of large messages uses instead of `encode` then `encode_frame`.
pub fn encode_as_frame<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, PipeError> {
    let mut frame = postcard::to_extend(value, vec![0u8; HEADER]).map_err(PipeError::Encode)?;
    let body = frame.len() - HEADER;
    if body > MAX_FRAME {
        return Err(PipeError::Frame(FrameError::TooLarge { len: body }));
    }
    frame[..HEADER].copy_from_slice(&(body as u32).to_le_bytes());
    Ok(frame)
}

/// The value of type `T` that `bytes` encode, all of them: what `pickle.loads` is to Python.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, PipeError> {
    let (value, rest) = postcard::take_from_bytes(bytes).map_err(PipeError::Corrupt)?;
    if !rest.is_empty() {
        return Err(PipeError::TrailingBytes { extra: rest.len() });
    }
    Ok(value)
}
// ANCHOR_END: encode

// ANCHOR: message_pipe
/// A pipe for messages of type `T`: `(receiver, sender)`, in the order of `os.pipe()` and of Python's
/// `multiprocessing.Pipe(duplex=False)`. Fork after making it, and each process keeps the end it uses.
pub fn message_pipe<T>() -> Result<(Receiver<T>, Sender<T>), PipeError> {
    let (reader, writer) = std::io::pipe()?;
    Ok((Receiver { reader, _type: PhantomData }, Sender { writer, _type: PhantomData }))
}

/// The sending end of a [`message_pipe`].
#[derive(Debug)]
pub struct Sender<T> {
    writer: PipeWriter,
    _type: PhantomData<fn(&T)>,
}

/// The receiving end of a [`message_pipe`].
#[derive(Debug)]
pub struct Receiver<T> {
    reader: PipeReader,
    _type: PhantomData<fn() -> T>,
}

impl<T> Sender<T> {
    /// Encodes `value` and writes it as one frame; blocks while the pipe is full.
    pub fn send(&self, value: &T) -> Result<(), PipeError>
    where
        T: Serialize,
    {
        write_frame(&self.writer, &encode(value)?)?;
        Ok(())
    }
}

impl<T> Receiver<T> {
    /// Reads one frame and decodes it; blocks until one comes. `Err(PipeError::Closed)` once every
    /// sender is closed and nothing is left to read.
    pub fn recv(&self) -> Result<T, PipeError>
    where
        T: DeserializeOwned,
    {
        match read_frame(&self.reader)? {
            Some(body) => decode(&body),
            None => Err(PipeError::Closed),
        }
    }

    /// Whether `recv` would return at once, waiting at most `limit`: a message has begun to arrive,
    /// or every sender is closed. Python's `Connection.poll(timeout)`.
    pub fn poll(&self, limit: Duration) -> io::Result<bool> {
        readable_within(&self.reader, limit)
    }
}
// ANCHOR_END: message_pipe

impl<T> AsFd for Sender<T> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.writer.as_fd()
    }
}

impl<T> AsFd for Receiver<T> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.reader.as_fd()
    }
}

// ANCHOR: closures
/// What can be sent is data. A value whose type implements `Serialize` can be sent:
///
/// ```
/// let (receiver, sender) = lesson_04_pipes::message_pipe::<Vec<String>>()?;
/// sender.send(&vec!["tea".to_string(), "cake".to_string()])?;
/// assert_eq!(receiver.recv()?, ["tea", "cake"]);
/// # Ok::<(), lesson_04_pipes::PipeError>(())
/// ```
///
/// A closure cannot: no closure type implements `Serialize`, so this does not compile. Its code is an
/// address that means something only in this program, and what it captured may be anything, a
/// reference or an open file among them.
///
/// ```compile_fail,E0277
/// let (receiver, sender) = lesson_04_pipes::message_pipe()?;
/// let offset = 10;
/// sender.send(&move |x: i32| x + offset)?;
/// # Ok::<(), lesson_04_pipes::PipeError>(())
/// ```
pub mod closures {}
// ANCHOR_END: closures
