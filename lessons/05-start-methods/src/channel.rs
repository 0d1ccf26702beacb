//! Length-prefixed frames over a pipe: a 4-byte little-endian length, then that many bytes.
//! Chapter 4 explains framing in full; this is the least the start methods need.

use std::io::{ErrorKind, Read, Write};

use crate::error::StartError;

/// The largest frame accepted: a bigger length is a corrupt frame, not a reason to allocate.
pub const MAX_FRAME: usize = 64 << 20;

/// Writes one frame.
pub fn send(mut to: impl Write, bytes: &[u8]) -> Result<(), StartError> {
    let mut frame = Vec::with_capacity(4 + bytes.len());
    frame.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    frame.extend_from_slice(bytes);
    to.write_all(&frame)?;
    Ok(())
}

/// Reads one frame; `None` at end-of-file before a frame begins.
pub fn receive(mut from: impl Read) -> Result<Option<Vec<u8>>, StartError> {
    let mut length = [0u8; 4];
    match from.read_exact(&mut length) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let length = u32::from_le_bytes(length) as usize;
    if length > MAX_FRAME {
        return Err(StartError::Encoding(format!("a frame of {length} bytes is over the limit")));
    }
    let mut bytes = vec![0u8; length];
    from.read_exact(&mut bytes).map_err(|e| StartError::Encoding(format!("truncated frame: {e}")))?;
    Ok(Some(bytes))
}
