//! `_exit`: ending a forked child without touching what belongs to its parent.

// ANCHOR: exit_now
/// Ends this process at once with `code`, as [_exit(2)](https://man7.org/linux/man-pages/man2/_exit.2.html).
///
/// Unlike `std::process::exit` it runs no `atexit` handlers and flushes no buffers: in a forked
/// child those are copies of the parent's, and running them would repeat the parent's work.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit is async-signal-safe and takes no pointers; it cannot fail or return.
    unsafe { libc::_exit(code) }
}
// ANCHOR_END: exit_now
