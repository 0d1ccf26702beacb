//! The signal mask: signals a thread has blocked stay pending, neither delivered nor lost, until it
//! unblocks them. A standard signal is pending once, however many times it was sent.

use nix::errno::Errno;
use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};

// ANCHOR: blocked
/// Blocks some signals while it lives; dropping it restores the mask it replaced.
pub struct Blocked {
    previous: SigSet,
}

impl Blocked {
    /// Blocks `signals` for the calling thread (in a single-threaded program: the process).
    pub fn new(signals: &[Signal]) -> Result<Blocked, Errno> {
        let set: SigSet = signals.iter().copied().collect();
        let mut previous = SigSet::empty();
        pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut previous))?;
        Ok(Blocked { previous })
    }
}

impl Drop for Blocked {
    /// Restores the previous mask; any of the signals still pending is delivered now.
    fn drop(&mut self) {
        let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&self.previous), None);
    }
}
// ANCHOR_END: blocked

// ANCHOR: pending
/// The signals pending for the calling thread or its process: sent, blocked, not yet delivered.
pub fn pending() -> Result<Vec<Signal>, Errno> {
    let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: sigpending writes a whole sigset_t into the pointer it is given, which points to
    // enough space for one; nix has no wrapper for it.
    if unsafe { libc::sigpending(set.as_mut_ptr()) } != 0 {
        return Err(Errno::last());
    }
    // SAFETY: sigpending returned 0, so it initialised the set.
    let set = unsafe { SigSet::from_sigset_t_unchecked(set.assume_init()) };
    Ok(set.iter().collect())
}
// ANCHOR_END: pending
