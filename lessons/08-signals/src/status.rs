//! A process's signal state, as the kernel shows it: the `SigBlk`, `SigIgn`, `SigCgt` and `SigPnd`
//! lines of `/proc/PID/status`, each a mask in hexadecimal where bit n-1 stands for signal n.

use nix::sys::signal::Signal;
use nix::unistd::Pid;

// ANCHOR: state
/// What a process does with each signal, read from `/proc/PID/status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalState {
    /// Blocked by its (main) thread: `SigBlk`.
    pub blocked: Vec<Signal>,
    /// Ignored (`SIG_IGN`): `SigIgn`.
    pub ignored: Vec<Signal>,
    /// Caught by a handler: `SigCgt`.
    pub caught: Vec<Signal>,
    /// Pending for its thread or for the whole process: `SigPnd` and `ShdPnd`.
    pub pending: Vec<Signal>,
}
// ANCHOR_END: state

impl SignalState {
    /// The signal state of process `pid` (of its main thread).
    pub fn of(pid: Pid) -> std::io::Result<SignalState> {
        Ok(SignalState::parse(&std::fs::read_to_string(format!("/proc/{pid}/status"))?))
    }

    /// The signal state of the calling process.
    pub fn of_self() -> std::io::Result<SignalState> {
        SignalState::of(nix::unistd::getpid())
    }

    /// Reads the four masks out of the text of a `/proc/PID/status` file.
    pub fn parse(status: &str) -> SignalState {
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
                .map_or_else(Vec::new, |hex| signals_in_mask(hex.trim()))
        };
        let mut pending = field("SigPnd");
        pending.extend(field("ShdPnd"));
        pending.sort_by_key(|&s| s as i32);
        pending.dedup();
        SignalState { blocked: field("SigBlk"), ignored: field("SigIgn"), caught: field("SigCgt"), pending }
    }
}

/// The standard signals in a hexadecimal mask where bit n-1 stands for signal n, lowest first.
/// Real-time signals (32 and up) are left out; so is text that is not hexadecimal. (Chapter 8's
/// first exercise asks you to write this.)
fn signals_in_mask(hex: &str) -> Vec<Signal> {
    let bits = u64::from_str_radix(hex, 16).unwrap_or(0);
    (1..32).filter(|n| bits & (1 << (n - 1)) != 0).filter_map(|n| Signal::try_from(n).ok()).collect()
}
