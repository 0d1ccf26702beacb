//! A gate: processes wait at it until another process opens it.
//!
//! Two processes print in whatever order the scheduler picks. To make a listing's output the same on
//! every run, and a test's order the one it asserts, a process waits at a gate that another opens.
//!
//! A gate is a pipe. Waiting is reading one byte; `open` writes that byte, which lets one waiter go.
//! A read also returns, with end-of-file, once *every* copy of the pipe's write end is closed: `wait`
//! closes the waiter's own copy first and `open` closes the opener's, so when the opener was the last
//! holder, every other waiter goes too — and if the opener ends without opening, its copy closes with
//! it and the gate opens all the same. A gate shared by several children, where each child holds
//! copies of the gates made before it, still lets its own waiter go: the byte does not need every copy
//! closed.

use std::io::Read;

use nix::errno::Errno;
use nix::fcntl::OFlag;

/// A one-shot gate between processes, shared by forking after [`Gate::new`].
#[derive(Debug)]
pub struct Gate {
    read_end: std::fs::File,
    write_end: std::fs::File,
}

impl Gate {
    /// A new, shut gate. Fork after creating it, so that every process holds it.
    pub fn new() -> Result<Gate, Errno> {
        let (read_end, write_end) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
        Ok(Gate { read_end: read_end.into(), write_end: write_end.into() })
    }

    /// Blocks until the gate is open. Call it in each waiting process.
    pub fn wait(self) {
        let Gate { mut read_end, write_end } = self;
        // Close our own copy of the write end first, or we would be waiting for ourselves.
        drop(write_end);
        let mut byte = [0u8; 1];
        while let Err(e) = read_end.read(&mut byte) {
            if e.kind() != std::io::ErrorKind::Interrupted {
                break;
            }
        }
    }

    /// Opens the gate: one waiter reads the byte; any others see end-of-file once no other process
    /// holds the write end. Call it in the one process that opens.
    pub fn open(self) {
        let Gate { read_end, mut write_end } = self;
        drop(read_end);
        // The write fails only if every waiter has already ended; then nobody needs the byte.
        let _ = std::io::Write::write_all(&mut write_end, &[1]);
    }
}

impl Gate {
    /// Splits the gate into the side that opens it and the side that waits at it, for when the waiting
    /// side moves into a closure that a child runs later (chapter 3's `Process`).
    pub fn split(self) -> (Opener, Waiter) {
        (Opener(self.write_end), Waiter(self.read_end))
    }
}

/// The side of a split [`Gate`] that opens it.
#[derive(Debug)]
pub struct Opener(std::fs::File);

impl Opener {
    /// Opens the gate: writes the byte one waiter reads.
    pub fn open(mut self) {
        let _ = std::io::Write::write_all(&mut self.0, &[1]);
    }
}

/// The side of a split [`Gate`] that waits at it.
#[derive(Debug)]
pub struct Waiter(std::fs::File);

impl Waiter {
    /// Blocks until the gate opens: a byte arrives, or every copy of the write end is closed.
    ///
    /// A waiter in a forked child still holds its copy of the opener's write end, so only the byte
    /// lets it go: the opener must call [`Opener::open`].
    pub fn wait(&self) {
        let mut byte = [0u8; 1];
        while let Err(e) = (&self.0).read(&mut byte) {
            if e.kind() != std::io::ErrorKind::Interrupted {
                break;
            }
        }
    }
}
