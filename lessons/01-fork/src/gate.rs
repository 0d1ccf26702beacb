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
