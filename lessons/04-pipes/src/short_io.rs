//! Short reads and short writes: one `read` or `write` call may move fewer bytes than it was given.
//!
//! A read returns what the pipe holds now, up to the size of the buffer: part of a message, if its
//! writer has written only part of it so far. A write may take only part of its buffer: a write to a
//! non-blocking pipe with little room, or a blocking write interrupted by a signal after it had written
//! some. Either call may also fail with `EINTR`, having moved nothing, when a signal arrives. Whoever
//! sends or receives messages calls them again until the whole message has moved.
//!
//! std's `write_all` and `read_exact` loop in the same way; `read_full` also says how much arrived
//! before end-of-file, which a frame reader needs to tell a clean end from a truncated message.

use std::io::{self, Read, Write};

// ANCHOR: write_all
/// Writes all of `bytes`: after a short write, writes the rest; after `EINTR`, tries again.
pub fn write_all(mut writer: impl Write, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        match writer.write(bytes) {
            Ok(0) => return Err(io::Error::new(io::ErrorKind::WriteZero, "the pipe took no bytes")),
            Ok(written) => bytes = &bytes[written..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
// ANCHOR_END: write_all

// ANCHOR: read_full
/// Reads until `buffer` is full or the stream ends, and returns how many bytes it read: fewer than
/// `buffer.len()` only if end-of-file came first. After a short read it reads again; after `EINTR`,
/// it tries again.
pub fn read_full(mut reader: impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
// ANCHOR_END: read_full

// ANCHOR: read_available
/// Appends to `inbox` whatever has arrived on `reader`, a non-blocking read end, without waiting:
/// one small read, which is all a short message needs; if it came back full, more reads, straight
/// into `inbox`, until end-of-file or `WouldBlock`. With
/// [`split_frame`](crate::split_frame), the reader of a process that must never wait on one pipe.
pub fn read_available(mut reader: impl Read, inbox: &mut Vec<u8>) {
    // A small first read: most messages are short, and a large buffer would be zeroed for each.
    let mut piece = [0u8; 1024];
    loop {
        match reader.read(&mut piece) {
            Ok(n) if n < piece.len() => return inbox.extend_from_slice(&piece[..n]), // all there is now
            Ok(n) => {
                inbox.extend_from_slice(&piece[..n]);
                // More is waiting: read it straight into the inbox, which grows as it needs, until
                // nothing more has arrived (WouldBlock) or the stream ends. What was read stays.
                let _ = reader.read_to_end(inbox);
                return;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return, // WouldBlock: nothing more has arrived
        }
    }
}
// ANCHOR_END: read_available
