//! signalfd(2): signals as something to read. The signals are blocked, so they stay pending and no
//! handler runs; reading the descriptor takes one pending signal, with who sent it.

use std::os::fd::{AsFd, BorrowedFd};

use nix::errno::Errno;
use nix::sys::signal::{SigSet, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};

use crate::mask::Blocked;

/// A signal taken from a [`SignalReader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// Which signal.
    pub signal: Signal,
    /// The pid of the process that sent it (0 when the kernel did, as for a terminal's Ctrl-C
    /// the sender is the kernel too).
    pub sender: i32,
}

// ANCHOR: reader
/// Some signals, blocked and readable from a descriptor. Dropping it unblocks them.
pub struct SignalReader {
    fd: SignalFd,
    _blocked: Blocked,
}

impl SignalReader {
    /// Blocks `signals` and opens a signalfd (non-blocking, closed on exec) that reads them.
    pub fn new(signals: &[Signal]) -> Result<SignalReader, Errno> {
        let blocked = Blocked::new(signals)?;
        let set: SigSet = signals.iter().copied().collect();
        let fd = SignalFd::with_flags(&set, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)?;
        Ok(SignalReader { fd, _blocked: blocked })
    }

    /// Takes one pending signal, if there is one.
    pub fn take(&self) -> Result<Option<Received>, Errno> {
        let Some(info) = self.fd.read_signal()? else { return Ok(None) };
        let signal = Signal::try_from(info.ssi_signo as i32)?;
        Ok(Some(Received { signal, sender: info.ssi_pid as i32 }))
    }
}
// ANCHOR_END: reader

impl AsFd for SignalReader {
    /// The descriptor, readable while a signal is pending.
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}
