//! The frames the parent and its children exchange: chapter 4's length-prefixed frames, with their
//! errors turned into this chapter's [`StartError`].

use std::io::{Read, Write};

use lesson_04_pipes::{read_frame, write_frame};

use crate::error::StartError;

/// Writes one frame.
pub fn send(to: impl Write, bytes: &[u8]) -> Result<(), StartError> {
    write_frame(to, bytes).map_err(|e| StartError::Os(e.to_string()))
}

/// Reads one frame; `None` at end-of-file before a frame begins.
pub fn receive(from: impl Read) -> Result<Option<Vec<u8>>, StartError> {
    read_frame(from).map_err(|e| StartError::Encoding(e.to_string()))
}
