//! Frames: messages on a stream of bytes.
//!
//! A pipe carries bytes, not messages: two writes of 5 bytes may come out as one read of 10, or as
//! reads of 3 and 7. To carry messages, each one travels in a *frame*: a 4-byte header that holds the
//! length of the body (a little-endian `u32`), then the body. The reader reads the header, then exactly
//! that many bytes, and knows where the next message starts. Python's `multiprocessing.Connection`
//! frames its messages the same way, with a big-endian signed header.

use std::io::{self, Read, Write};

use crate::short_io::{read_full, write_all};

/// The size of a frame's header: the body's length as a little-endian `u32`.
pub const HEADER: usize = 4;

/// The largest body a frame may hold: 1 GiB. A header that declares more is a sign that the stream is
/// corrupt (text written into the pipe by mistake, or a reader that lost its place), not a message.
pub const MAX_FRAME: usize = 1 << 30;

/// A body is read in pieces of at most this size, so that a corrupt header cannot make the reader
/// allocate a large buffer for bytes that will never come.
const PIECE: usize = 64 * 1024;

/// The part of a frame the stream ended in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FramePart {
    /// The 4-byte header.
    Header,
    /// The body the header announced.
    Body,
}

impl std::fmt::Display for FramePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FramePart::Header => "header",
            FramePart::Body => "body",
        })
    }
}

// ANCHOR: frame_error
/// Why a frame could not be read or written.
#[derive(Debug)]
pub enum FrameError {
    /// The stream ended inside a frame: its writer died, or closed the pipe, in the middle of a message.
    Truncated {
        /// Where the stream ended.
        part: FramePart,
        /// How many bytes that part has.
        expected: usize,
        /// How many of them arrived.
        got: usize,
    },
    /// A header declares a body larger than [`MAX_FRAME`]: the stream is corrupt.
    BadHeader {
        /// The length the header declares.
        declared: usize,
    },
    /// A body larger than [`MAX_FRAME`] was to be written.
    TooLarge {
        /// The body's length.
        len: usize,
    },
    /// A read or a write failed.
    Io(io::Error),
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::Truncated { part, expected, got } => {
                write!(
                    f,
                    "truncated frame: the stream ended after {got} of the {expected} bytes of its {part}"
                )
            }
            FrameError::BadHeader { declared } => write!(
                f,
                "corrupt frame header: it declares a body of {}, over the limit of {}",
                gib(*declared),
                gib(MAX_FRAME)
            ),
            FrameError::TooLarge { len } => {
                write!(f, "a message of {} is over the {} a frame may hold", gib(*len), gib(MAX_FRAME))
            }
            FrameError::Io(e) => write!(f, "{e}"),
        }
    }
}
// ANCHOR_END: frame_error

impl std::error::Error for FrameError {}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> Self {
        FrameError::Io(e)
    }
}

/// A size in GiB with one decimal (`1.7 GiB`); whole numbers without one (`1 GiB`).
fn gib(bytes: usize) -> String {
    let gib = bytes as f64 / (1u64 << 30) as f64;
    if gib.fract() == 0.0 { format!("{gib} GiB") } else { format!("{gib:.1} GiB") }
}

// ANCHOR: write_frame
/// The frame for `body`: the header, then the body, in one buffer, so that one `write` can carry both.
pub fn encode_frame(body: &[u8]) -> Result<Vec<u8>, FrameError> {
    if body.len() > MAX_FRAME {
        return Err(FrameError::TooLarge { len: body.len() });
    }
    let mut frame = Vec::with_capacity(HEADER + body.len());
    frame.extend_from_slice(&(body.len() as u32).to_le_bytes());
    frame.extend_from_slice(body);
    Ok(frame)
}

/// Writes `body` as one frame.
pub fn write_frame(writer: impl Write, body: &[u8]) -> Result<(), FrameError> {
    write_all(writer, &encode_frame(body)?)?;
    Ok(())
}
// ANCHOR_END: write_frame

// ANCHOR: read_frame
/// Reads one frame and returns its body, or `None` if the stream ended cleanly, between two frames.
/// A stream that ends inside a frame, or a header over [`MAX_FRAME`], is an error.
pub fn read_frame(mut reader: impl Read) -> Result<Option<Vec<u8>>, FrameError> {
    let mut header = [0u8; HEADER];
    let got = read_full(&mut reader, &mut header)?;
    if got == 0 {
        return Ok(None);
    }
    if got < HEADER {
        return Err(FrameError::Truncated { part: FramePart::Header, expected: HEADER, got });
    }
    let declared = u32::from_le_bytes(header) as usize;
    if declared > MAX_FRAME {
        return Err(FrameError::BadHeader { declared });
    }
    // The body grows piece by piece as its bytes arrive, rather than on the header's word alone.
    let mut body = Vec::new();
    while body.len() < declared {
        let start = body.len();
        let wanted = (declared - start).min(PIECE);
        body.resize(start + wanted, 0);
        let got = read_full(&mut reader, &mut body[start..])?;
        if got < wanted {
            return Err(FrameError::Truncated {
                part: FramePart::Body,
                expected: declared,
                got: start + got,
            });
        }
    }
    Ok(Some(body))
}
// ANCHOR_END: read_frame

// ANCHOR: split_frame
/// Takes the first whole frame out of `buffer`, the bytes received so far from a stream, and returns
/// its body; `None` while that frame has not fully arrived. This is the reader for a process that
/// must never block on a half-written frame: it reads whatever has arrived into a buffer, then takes
/// out each frame that is whole, and keeps the rest for later.
pub fn split_frame(buffer: &mut Vec<u8>) -> Result<Option<Vec<u8>>, FrameError> {
    let Some(header) = buffer.first_chunk::<HEADER>() else { return Ok(None) };
    let declared = u32::from_le_bytes(*header) as usize;
    if declared > MAX_FRAME {
        return Err(FrameError::BadHeader { declared });
    }
    if buffer.len() < HEADER + declared {
        return Ok(None);
    }
    if buffer.len() == HEADER + declared {
        // The buffer holds this frame alone: its body is the buffer, without the header. No copy,
        // and the buffer is left empty, holding no memory.
        buffer.drain(..HEADER);
        return Ok(Some(std::mem::take(buffer)));
    }
    let body = buffer[HEADER..HEADER + declared].to_vec();
    buffer.drain(..HEADER + declared);
    Ok(Some(body))
}
// ANCHOR_END: split_frame
