//! Chapter 3 exercises: a Process like multiprocessing.Process. Replace each `todo!()` with your code.
//!
//! As in chapter 1, every child you fork ends with `exit_now` and every child is reaped before your
//! function returns. `Process` (lesson_03_process) does both for you where an exercise uses it.

// The imports and parameters are the ones your code will need; until then they are unused.
#![allow(unused_imports, unused_variables)]

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use lesson_01_fork::{Fork, Pid, exit_now, fork};
use lesson_02_wait::wait_for;
use lesson_03_process::{Process, pidfd};
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{Signal, kill};

// ANCHOR: join_with_timeout
/// Wait at most `limit` for `child` to end; if it did, reap it and return its exit code the Python
/// way (the code, or the negated signal number); if not, return `None` and leave it running.
///
/// Do not busy-wait: the process must sleep in the kernel while it waits. A zero `limit` never blocks.
/// Any `limit` is allowed, up to `Duration::MAX`, and a signal may cut a wait short: keep waiting
/// until the child ends or the whole `limit` has passed.
pub fn join_with_timeout(child: Pid, limit: Duration) -> Option<i32> {
    todo!()
}
// ANCHOR_END: join_with_timeout

// ANCHOR: terminate_and_reap
/// Ask `child` to stop with SIGTERM, reap it, and return its exit code the Python way: -15 when the
/// signal ended it, or its own code if it had already ended.
pub fn terminate_and_reap(child: Pid) -> i32 {
    todo!()
}
// ANCHOR_END: terminate_and_reap

// ANCHOR: exit_codes_in_start_order
/// Start one `Process` for each code in `codes`, each ending with its code; start them all before
/// joining any, then join them all and return their exit codes in the order they were started.
pub fn exit_codes_in_start_order(codes: &[i32]) -> Vec<i32> {
    todo!()
}
// ANCHOR_END: exit_codes_in_start_order

// ANCHOR: panic_message_of
/// Run `task` in a child process and report its panic: if it panics, the child sends the panic's
/// message to the parent through a pipe and ends with exit code 1, and you return `Some(message)`;
/// if it returns, the child ends with 0 and you return `None`.
pub fn panic_message_of(task: fn()) -> Option<String> {
    todo!()
}
// ANCHOR_END: panic_message_of
