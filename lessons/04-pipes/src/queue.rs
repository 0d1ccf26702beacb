//! A queue between processes: many producers and one or more consumers share one pipe.
//!
//! Each message is one frame. A frame of at most `PIPE_BUF` bytes, written with one `write`, reaches
//! the pipe in one piece, whatever other writers do. A longer one may be split while its writer waits
//! for room, and another writer's frame may land between the parts, which leaves the reader with a
//! torn message and a stream it can no longer follow. So every `put` holds a lock while it writes, as
//! CPython's `Queue` does; and every `get` holds another while it reads, so that two consumers cannot
//! each read part of one frame.

use std::io::{PipeReader, PipeWriter};
use std::marker::PhantomData;
use std::rc::Rc;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::frame::{encode_frame, read_frame};
use crate::lock::TokenLock;
use crate::message::{PipeError, decode, encode};
use crate::pipe::readable_within;
use crate::short_io::write_all;

// ANCHOR: queue
/// A queue of messages of type `T` shared by processes, like Python's `multiprocessing.Queue`.
///
/// Make it, then fork (or start `Process`es whose targets own a clone): every process holds the same
/// pipe and the same two locks. Clones within one process share them too.
pub struct Queue<T> {
    shared: Rc<Shared>,
    _type: PhantomData<fn(T) -> T>,
}

#[derive(Debug)]
struct Shared {
    reader: PipeReader,
    writer: PipeWriter,
    /// Held by `put` around each write of a frame.
    write_lock: TokenLock,
    /// Held by `get` around each read of a frame.
    read_lock: TokenLock,
}
// ANCHOR_END: queue

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        Queue { shared: Rc::clone(&self.shared), _type: PhantomData }
    }
}

impl<T> std::fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue").field("shared", &self.shared).finish()
    }
}

impl<T: Serialize + DeserializeOwned> Queue<T> {
    /// A new, empty queue.
    pub fn new() -> Result<Queue<T>, PipeError> {
        let (reader, writer) = std::io::pipe()?;
        let shared = Shared { reader, writer, write_lock: TokenLock::new()?, read_lock: TokenLock::new()? };
        Ok(Queue { shared: Rc::new(shared), _type: PhantomData })
    }

    // ANCHOR: put
    /// Puts `item` at the end of the queue. Blocks while the pipe is full, until a consumer reads.
    pub fn put(&self, item: &T) -> Result<(), PipeError> {
        // Encode before taking the lock: other producers wait only for the write itself.
        let frame = encode_frame(&encode(item)?)?;
        let _writing = self.shared.write_lock.acquire()?;
        write_all(&self.shared.writer, &frame)?;
        Ok(())
    }
    // ANCHOR_END: put

    // ANCHOR: get
    /// Takes the item at the head of the queue, waiting as long as the queue is empty.
    pub fn get(&self) -> Result<T, PipeError> {
        let body = {
            let _reading = self.shared.read_lock.acquire()?;
            read_frame(&self.shared.reader)?
        };
        // Decode after releasing the lock: other consumers wait only for the read itself.
        decode(&body.ok_or(PipeError::Closed)?)
    }

    /// Takes the item at the head of the queue if one comes within `limit`; `None` if none did, like
    /// Python's `get(timeout=...)` raising `queue.Empty`.
    pub fn get_timeout(&self, limit: Duration) -> Result<Option<T>, PipeError> {
        let deadline = Instant::now().checked_add(limit);
        let left = || deadline.map_or(Duration::MAX, |d| d.saturating_duration_since(Instant::now()));
        let body = {
            let Some(_reading) = self.shared.read_lock.acquire_timeout(limit)? else { return Ok(None) };
            if !readable_within(&self.shared.reader, left())? {
                return Ok(None);
            }
            read_frame(&self.shared.reader)?
        };
        decode(&body.ok_or(PipeError::Closed)?).map(Some)
    }
    // ANCHOR_END: get
}
