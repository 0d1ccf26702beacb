//! Chapter 8 exercises: signals and process groups. Replace each `todo!()` with your code.
//!
//! Every child you fork must end with `_exit` (`exit_now`); reap every child you are asked to reap.
//! A process that waits sleeps in `poll` or a wait: never in a loop that asks again and again.

// The imports and parameters are the ones your code will need; until then they are unused.
#![allow(unused_imports, unused_variables, unused_mut)]

use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use lesson_01_fork::Pid;
use lesson_02_wait::{ExitStatus, wait_for};
use lesson_03_process::pidfd;
use lesson_08_signals::group::{members, signal_group};
use lesson_08_signals::signalfd::SignalReader;
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::Signal;

// ANCHOR: signals_in_mask
/// Return the standard signals (1 to 31) in `mask`, the value of a line of `/proc/PID/status` such
/// as `0000000000001000` in the line `SigIgn: 0000000000001000`, lowest signal first. Bit n-1
/// (counting from the right, from 0) stands for signal n.
///
/// Leave out the real-time signals (32 and up) and numbers that are no signal; text that is not
/// hexadecimal gives no signals.
pub fn signals_in_mask(mask: &str) -> Vec<Signal> {
    let Ok(bits) = u64::from_str_radix(mask.trim(), 16) else { return Vec::new() };
    (1..32).filter(|n| bits & (1 << (n - 1)) != 0).filter_map(|n| Signal::try_from(n).ok()).collect()
}
// ANCHOR_END: signals_in_mask

// ANCHOR: wait_for_signal
/// Wait at most `limit` for one of `signals` to come to this process, and return which one came, or
/// `None` at the limit. A signal that was already pending when you were called counts: take it.
///
/// While you wait, the signals must not run their handlers or their default actions: block them,
/// and read the one that comes. Before you return, put the signal mask back exactly as it was —
/// including the signals of `signals` that were blocked already. Take one signal, and only one.
pub fn wait_for_signal(signals: &[Signal], limit: Duration) -> Result<Option<Signal>, Errno> {
    let reader = SignalReader::new(signals)?;
    let mut fds = [PollFd::new(reader.as_fd(), PollFlags::POLLIN)];
    let deadline = Instant::now() + limit;
    loop {
        if let Some(received) = reader.take()? {
            return Ok(Some(received.signal));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        let millis = left.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as i32;
        match poll(&mut fds, PollTimeout::try_from(millis).unwrap_or(PollTimeout::MAX)) {
            Ok(_) | Err(Errno::EINTR) => {}
            Err(error) => return Err(error),
        }
    }
}
// ANCHOR_END: wait_for_signal

// ANCHOR: stop_group
/// Stop every process of process group `group`, each of which is a child of yours, as a careful
/// supervisor does: send SIGTERM to the whole group; wait until they have all ended, but no longer
/// than `grace`; then send SIGKILL to the group, for those still running. Reap them all and return
/// each one's pid and how it ended, in any order.
///
/// Return as soon as every process has ended: do not wait out the whole grace when there is no need.
pub fn stop_group(group: Pid, grace: Duration) -> Vec<(Pid, ExitStatus)> {
    let members = members(group);
    let _ = signal_group(group, Signal::SIGTERM);
    let deadline = Instant::now() + grace;
    for &pid in &members {
        if let Ok(fd) = pidfd::open(pid) {
            let _ = pidfd::wait_until_ended(&fd, deadline.saturating_duration_since(Instant::now()));
        }
    }
    let _ = signal_group(group, Signal::SIGKILL);
    members.into_iter().filter_map(|pid| Some((pid, wait_for(pid).ok()?))).collect()
}
// ANCHOR_END: stop_group
