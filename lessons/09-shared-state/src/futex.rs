//! Sleeping until a word of shared memory changes: the futex system call
//! ([futex(2)](https://man7.org/linux/man-pages/man2/futex.2.html)).
//!
//! `FUTEX_WAIT` puts the caller to sleep *if* the word still holds the value it expects, checked by
//! the kernel atomically with going to sleep, so a change made just before cannot be missed.
//! `FUTEX_WAKE` wakes the sleepers on a word. The kernel finds the sleepers of a word by the physical
//! page behind it, so processes that map the same shared page meet on the same word. That is why these
//! calls use `FUTEX_WAIT` and `FUTEX_WAKE`, and not their `_PRIVATE` forms, which only the threads of
//! one process can meet on.

use std::sync::atomic::AtomicU32;
use std::time::Duration;

// ANCHOR: futex
/// Sleeps while `word` holds `expected`, until a [`wake_all`] on it, a signal, or `limit` passes
/// (`None`: no limit). Returns at once if `word` holds something else. It may also return for no
/// reason at all, so callers check the word again, in a loop.
pub(crate) fn wait(word: &AtomicU32, expected: u32, limit: Option<Duration>) {
    let timeout = limit.map(|limit| libc::timespec {
        tv_sec: libc::time_t::try_from(limit.as_secs()).unwrap_or(libc::time_t::MAX),
        // Below 10^9, so it fits a c_long of 32 bits too.
        tv_nsec: limit.subsec_nanos() as libc::c_long,
    });
    let timeout_ptr = timeout.as_ref().map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `word` is a valid, aligned u32 for the whole call (a shared reference to it is alive);
    // `timeout_ptr` is null or points to a timespec on this stack frame. FUTEX_WAIT reads both and
    // writes neither. Its errors (EAGAIN: the word changed; EINTR; ETIMEDOUT) all mean "check again".
    unsafe {
        libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAIT, expected, timeout_ptr);
    }
}

/// Wakes every process sleeping in [`wait`] on `word`.
pub(crate) fn wake_all(word: &AtomicU32) {
    // SAFETY: `word` is a valid, aligned u32; FUTEX_WAKE reads no other argument that is a pointer.
    unsafe {
        libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE, i32::MAX);
    }
}
// ANCHOR_END: futex
