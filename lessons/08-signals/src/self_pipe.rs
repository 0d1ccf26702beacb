//! The self-pipe trick: a handler cannot take part in a program's event loop, but it can write one
//! byte to a pipe whose other end the loop polls. Python's `signal.set_wakeup_fd` is this trick.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicI32, Ordering};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
use nix::unistd::{pipe2, read};

/// The write end of the one self-pipe, for the handler; -1 when there is none.
static WRITE_END: AtomicI32 = AtomicI32::new(-1);

// ANCHOR: wake
/// The handler: writes the signal's number, one byte, to the self-pipe. `write` is
/// async-signal-safe; the pipe does not block, so a full pipe loses a byte, never hangs the handler.
extern "C" fn wake(signal: libc::c_int) {
    let saved = Errno::last_raw(); // a handler must not change errno under the code it interrupts
    let fd = WRITE_END.load(Ordering::SeqCst);
    let byte = signal as u8;
    // SAFETY: `fd` is the self-pipe's write end, open for the life of the SelfPipe that stored it,
    // and `byte` is one valid byte on this stack.
    unsafe { libc::write(fd, (&raw const byte).cast(), 1) };
    Errno::set_raw(saved);
}
// ANCHOR_END: wake

/// The self-pipe: its read end becomes readable when one of its signals arrives.
pub struct SelfPipe {
    read_end: OwnedFd,
    _write_end: OwnedFd,
}

impl SelfPipe {
    // ANCHOR: install
    /// Makes the pipe (non-blocking, closed on exec) and installs the handler for `signals`.
    /// There is one self-pipe per process: a second `install` replaces the first's write end.
    pub fn install(signals: &[Signal]) -> Result<SelfPipe, Errno> {
        let (read_end, write_end) = pipe2(OFlag::O_NONBLOCK | OFlag::O_CLOEXEC)?;
        WRITE_END.store(write_end.as_raw_fd(), Ordering::SeqCst);
        let action = SigAction::new(SigHandler::Handler(wake), SaFlags::SA_RESTART, SigSet::empty());
        for &signal in signals {
            // SAFETY: `wake` only reads an atomic, calls write(2) and restores errno, all
            // async-signal-safe.
            unsafe { sigaction(signal, &action) }?;
        }
        Ok(SelfPipe { read_end, _write_end: write_end })
    }
    // ANCHOR_END: install

    /// The signals whose bytes are in the pipe now, in the order they came; empty if none.
    pub fn drain(&self) -> Vec<Signal> {
        let mut bytes = [0u8; 64];
        let mut signals = Vec::new();
        while let Ok(n @ 1..) = read(&self.read_end, &mut bytes) {
            signals.extend(bytes[..n].iter().filter_map(|&b| Signal::try_from(i32::from(b)).ok()));
        }
        signals
    }
}

impl AsFd for SelfPipe {
    /// The read end, to poll.
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.read_end.as_fd()
    }
}

impl Drop for SelfPipe {
    /// Forgets the write end before it closes, so a late signal writes to no descriptor at all.
    fn drop(&mut self) {
        WRITE_END.store(-1, Ordering::SeqCst);
    }
}
