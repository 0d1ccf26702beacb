//! A lock between processes, made of a pipe that holds one byte: the token.
//!
//! Acquiring is reading the token: only one process can read it, and the others wait until it is back.
//! Releasing is writing it back. Like every pipe, the lock is shared by forking after making it.
//! (GNU make's jobserver hands out job slots to its child processes the same way, with one token per slot.)
//!
//! The lock has one weakness, which CPython's `multiprocessing.Lock` (a POSIX semaphore) shares: a
//! process that dies while it holds the token takes the token with it, and the others then wait
//! forever. [`TokenLock::acquire_timeout`] is the way to notice.

use std::fs::File;
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use nix::fcntl::OFlag;

use crate::pipe::readable_within;

/// The byte that travels.
const TOKEN: u8 = b'T';

// ANCHOR: token_lock
/// A lock shared by processes: a pipe holding one token byte.
#[derive(Debug)]
pub struct TokenLock {
    // Both ends non-blocking: a process that finds the pipe empty waits in poll, not in read, so it
    // can give up at a deadline.
    read_end: File,
    write_end: File,
}

/// A held [`TokenLock`]; dropping it releases the lock.
///
/// Hold no guard across a fork: the child's copy of the guard would release the lock a second time
/// if it were dropped. (Children that end with `exit_now` drop nothing.)
#[derive(Debug)]
pub struct LockGuard<'a> {
    lock: &'a TokenLock,
}

impl TokenLock {
    /// A new lock, free: its pipe holds the token.
    pub fn new() -> io::Result<TokenLock> {
        let (read_end, write_end) = nix::unistd::pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK)?;
        let lock = TokenLock { read_end: read_end.into(), write_end: write_end.into() };
        lock.put_token_back()?;
        Ok(lock)
    }

    /// Takes the lock, waiting as long as another process holds it.
    pub fn acquire(&self) -> io::Result<LockGuard<'_>> {
        loop {
            if let Some(guard) = self.acquire_timeout(Duration::MAX)? {
                return Ok(guard);
            }
        }
    }

    /// Takes the lock if it is free within `limit`; `None` if it was not.
    pub fn acquire_timeout(&self, limit: Duration) -> io::Result<Option<LockGuard<'_>>> {
        let deadline = Instant::now().checked_add(limit);
        loop {
            match (&self.read_end).read(&mut [0u8]) {
                Ok(1) => return Ok(Some(LockGuard { lock: self })),
                // Only the end-of-file of a pipe whose write end we hold ourselves: it cannot happen.
                Ok(_) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the lock's pipe closed")),
                // Another process holds the token.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            let left = deadline.map_or(Duration::MAX, |d| d.saturating_duration_since(Instant::now()));
            if left.is_zero() {
                return Ok(None);
            }
            // Sleep until the token is back. Several processes may wake for it; one wins the read,
            // and the others come back here.
            readable_within(&self.read_end, left)?;
        }
    }

    fn put_token_back(&self) -> io::Result<()> {
        loop {
            match (&self.write_end).write(&[TOKEN]) {
                Ok(_) => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for LockGuard<'_> {
    /// Releases the lock: writes the token back.
    fn drop(&mut self) {
        // A pipe that holds at most one byte always has room for it.
        let _ = self.lock.put_token_back();
    }
}
// ANCHOR_END: token_lock
