//! Chapter 4 exercises: pipes, frames and a child's result. Replace each `todo!()` with your code.
//!
//! As before, every child you fork ends with `exit_now` (`fork_and_run` does it for you) and is reaped
//! before your function returns. And now one rule more: a read end reports end-of-file only once every
//! copy of the write end is closed, your own included.

// The imports and parameters are the ones your code will need; until then they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::Read;

use lesson_01_fork::fork_and_run;
use lesson_02_wait::wait_for;
use lesson_04_pipes::{FrameError, FramePart, HEADER, MAX_FRAME, message_pipe};

// ANCHOR: read_message
/// Read one message framed as in this chapter (a 4-byte little-endian length, then that many bytes)
/// and return its body; `Ok(None)` if the stream ends before the first byte of a header.
///
/// A `read` may return fewer bytes than asked for, or fail with `ErrorKind::Interrupted` and deserve
/// another try: read until you have what you need. A stream that ends inside the header or the body
/// is `FrameError::Truncated`, saying where and how many of how many bytes came; a header declaring
/// more than `MAX_FRAME` bytes is `FrameError::BadHeader`, returned before reading any of the body.
/// Read nothing past the end of the frame. Write it yourself, without `read_frame`.
pub fn read_message(reader: &mut impl Read) -> Result<Option<Vec<u8>>, FrameError> {
    todo!()
}
// ANCHOR_END: read_message

// ANCHOR: value_from_child
/// Run `task` in a child process and return the value it returned, sent to the parent through a
/// pipe; `None` if the child ended without sending it (the task panicked, or a signal killed it).
///
/// The value may be far larger than the pipe holds. Whatever the child does, do not wait forever,
/// and reap it.
pub fn value_from_child(task: fn() -> Vec<u32>) -> Option<Vec<u32>> {
    todo!()
}
// ANCHOR_END: value_from_child

// ANCHOR: fan_out
/// Compute `task(input)` for every one of `inputs` in `workers` child processes, and return the
/// answers in the order of the inputs. Child k takes the inputs at positions k, k + workers,
/// k + 2 × workers, …; start no child that would have nothing to do. Each child sends every answer,
/// with its position, through one pipe that all the children share; the parent reads answers until
/// end-of-file.
///
/// `workers` is at least 1. Start every child before you read; reap every child; expect many more
/// answers than the pipe can hold at once.
pub fn fan_out(inputs: &[u64], workers: usize, task: fn(u64) -> u64) -> Vec<u64> {
    todo!()
}
// ANCHOR_END: fan_out
