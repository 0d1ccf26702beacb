//! Handlers installed with `sigaction`. A handler may run between any two instructions of the
//! program, even inside `malloc` or while `println!` holds stdout's lock, so it may only call
//! async-signal-safe functions (signal-safety(7)) and touch atomics. Ours adds one to a counter.

use std::sync::atomic::{AtomicU32, Ordering};

use nix::errno::Errno;
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};

/// How many times each standard signal (1 to 31) has run the handler since it was last taken.
static COUNTS: [AtomicU32; 32] = [const { AtomicU32::new(0) }; 32];

// ANCHOR: note
/// The handler: counts `signal`, with one atomic operation, and returns.
extern "C" fn note(signal: libc::c_int) {
    if let Some(count) = COUNTS.get(signal as usize) {
        count.fetch_add(1, Ordering::SeqCst);
    }
}
// ANCHOR_END: note

// ANCHOR: catch
/// Installs the handler that counts `signal`. Interrupted system calls are restarted
/// (`SA_RESTART`), so the rest of the program need not handle `EINTR` because of it.
pub fn catch(signal: Signal) -> Result<(), Errno> {
    let action = SigAction::new(SigHandler::Handler(note), SaFlags::SA_RESTART, SigSet::empty());
    // SAFETY: `note` only performs an atomic add on a static, which is
    // async-signal-safe; it touches no lock, allocation or other state of the program.
    unsafe { sigaction(signal, &action) }.map(drop)
}
// ANCHOR_END: catch

/// Sets `signal` back to its default action.
pub fn reset(signal: Signal) -> Result<(), Errno> {
    set_without_code(signal, SigHandler::SigDfl)
}

/// Asks the kernel to discard `signal` whenever it is sent to this process.
pub fn ignore(signal: Signal) -> Result<(), Errno> {
    set_without_code(signal, SigHandler::SigIgn)
}

/// Sets `signal`'s disposition to `disposition`, SIG_DFL or SIG_IGN.
fn set_without_code(signal: Signal, disposition: SigHandler) -> Result<(), Errno> {
    let action = SigAction::new(disposition, SaFlags::empty(), SigSet::empty());
    // SAFETY: SIG_DFL and SIG_IGN, the only dispositions given here, install no code of ours.
    unsafe { sigaction(signal, &action) }.map(drop)
}

/// How many times the handler has run for `signal` since this was last called; starts again from 0.
pub fn take_count(signal: Signal) -> u32 {
    COUNTS[signal as usize].swap(0, Ordering::SeqCst)
}
