//! Ctrl-C through a pool. A terminal sends SIGINT to every process of its foreground group: the
//! pool's parent and every worker. Here the parent blocks SIGINT and SIGTERM before it starts the
//! pool, and reads them from a signalfd that the pool's waits watch (chapter 6's
//! `PoolOptions::interrupt`). The workers, forked after the block, inherit it: the signal stays
//! pending in them, and they go on until the parent, told by the error its call returned, ends them.

use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd};

use nix::errno::Errno;
use nix::sys::signal::{Signal, raise};

use crate::handler::reset;
use crate::signalfd::SignalReader;

// ANCHOR: interrupts
/// SIGINT and SIGTERM, blocked, and readable from a descriptor for a pool to watch.
pub struct Interrupts {
    reader: SignalReader,
}

impl Interrupts {
    /// The signals a program is asked to stop with.
    pub const SIGNALS: [Signal; 2] = [Signal::SIGINT, Signal::SIGTERM];

    /// Blocks SIGINT and SIGTERM in the calling process and opens a signalfd for them. Make it
    /// before the pool, so that its workers inherit the block.
    pub fn new() -> Result<Interrupts, Errno> {
        Ok(Interrupts { reader: SignalReader::new(&Self::SIGNALS)? })
    }

    /// The descriptor to give the pool: `PoolOptions { interrupt: Some(interrupts.fd()), .. }`.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.reader.as_fd()
    }

    /// Takes the signal that came, if one did.
    pub fn take(&self) -> Option<Signal> {
        self.reader.take().ok().flatten().map(|received| received.signal)
    }

    /// Ends the process as `signal` would have ended it, so that its parent — a shell, say — sees
    /// "killed by SIGINT", not an exit code: sets the signal's default action, unblocks it and
    /// sends it to the calling process. Flushes standard output first.
    pub fn exit_by(self, signal: Signal) -> ! {
        let _ = std::io::stdout().flush();
        let _ = reset(signal);
        drop(self); // unblocks SIGINT and SIGTERM
        let _ = raise(signal);
        // Only if the signal did not end the process: the shell's convention for it.
        lesson_01_fork::exit_now(128 + signal as i32)
    }
}
// ANCHOR_END: interrupts
