//! Chapter 3 exercises: a Process like multiprocessing.Process.
//!
//! As in chapter 1, every child you fork ends with `exit_now` and every child is reaped before your
//! function returns. `Process` (lesson_03_process) does both for you where an exercise uses it.

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
    let pidfd = pidfd::open(child).expect("pidfd_open");
    // No deadline if it is too far to name: wait for as long as it takes.
    let deadline = Instant::now().checked_add(limit);
    loop {
        let left = deadline.map_or(Duration::MAX, |at| at.saturating_duration_since(Instant::now()));
        let millis = i32::try_from(left.as_nanos().div_ceil(1_000_000)).unwrap_or(i32::MAX);
        let mut fds = [PollFd::new(std::os::fd::AsFd::as_fd(&pidfd), PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::try_from(millis).unwrap_or(PollTimeout::MAX)) {
            Ok(0) if left.is_zero() => return None,
            // Time out of a shorter wait than the limit, or a signal: wait for what is left.
            Ok(0) | Err(Errno::EINTR) => {}
            Ok(_) => return wait_for(child).expect("reap the child").exitcode(),
            Err(error) => panic!("poll failed: {error}"),
        }
    }
}
// ANCHOR_END: join_with_timeout

// ANCHOR: terminate_and_reap
/// Ask `child` to stop with SIGTERM, reap it, and return its exit code the Python way: -15 when the
/// signal ended it, or its own code if it had already ended.
pub fn terminate_and_reap(child: Pid) -> i32 {
    kill(child, Signal::SIGTERM).expect("signal the child");
    wait_for(child).expect("reap the child").exitcode().expect("the child has ended")
}
// ANCHOR_END: terminate_and_reap

// ANCHOR: exit_codes_in_start_order
/// Start one `Process` for each code in `codes`, each ending with its code; start them all before
/// joining any, then join them all and return their exit codes in the order they were started.
pub fn exit_codes_in_start_order(codes: &[i32]) -> Vec<i32> {
    let mut processes: Vec<Process> = codes.iter().map(|&code| Process::new(move || code)).collect();
    for process in &mut processes {
        process.start().expect("start");
    }
    processes.iter_mut().map(|process| process.join().expect("join")).collect()
}
// ANCHOR_END: exit_codes_in_start_order

// ANCHOR: panic_message_of
/// Run `task` in a child process and report its panic: if it panics, the child sends the panic's
/// message to the parent through a pipe and ends with exit code 1, and you return `Some(message)`;
/// if it returns, the child ends with 0 and you return `None`.
pub fn panic_message_of(task: fn()) -> Option<String> {
    let (read_end, write_end) = nix::unistd::pipe().expect("pipe");
    let (mut read_end, mut write_end) = (std::fs::File::from(read_end), std::fs::File::from(write_end));
    match fork().expect("fork") {
        Fork::Child => {
            let Err(payload) = std::panic::catch_unwind(task) else { exit_now(0) };
            let message = match payload.downcast_ref::<&str>() {
                Some(text) => text.to_string(),
                None => payload.downcast_ref::<String>().cloned().unwrap_or_default(),
            };
            let _ = write_end.write_all(message.as_bytes());
            exit_now(1)
        }
        Fork::Parent { child } => {
            drop(write_end);
            let mut message = String::new();
            read_end.read_to_string(&mut message).expect("read the message");
            let status = wait_for(child).expect("reap the child");
            (status.exitcode() == Some(1)).then_some(message)
        }
    }
}
// ANCHOR_END: panic_message_of
