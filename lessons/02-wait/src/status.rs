//! What `waitpid` reports about a child, decoded.

use nix::sys::signal::Signal;
use nix::sys::wait::WaitStatus;

// ANCHOR: exit_status
/// How a child ended, or what happened to it, as `waitpid` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// It called `exit` or `_exit` (or returned from `main`) with this code, 0 to 255.
    Exited(i32),
    /// A signal ended it; `core_dumped` when the kernel also wrote a core file.
    Signaled {
        /// The signal that ended it.
        signal: Signal,
        /// Whether a core dump was written.
        core_dumped: bool,
    },
    /// A signal stopped it (SIGSTOP, SIGTSTP, …); it can be continued. Only reported with `WUNTRACED`.
    Stopped(Signal),
    /// SIGCONT continued it after a stop. Only reported with `WCONTINUED`.
    Continued,
}
// ANCHOR_END: exit_status

impl ExitStatus {
    /// Decodes nix's [`WaitStatus`]; `None` for "still running" (`WNOHANG`) and ptrace events.
    pub fn from_wait_status(status: WaitStatus) -> Option<ExitStatus> {
        match status {
            WaitStatus::Exited(_, code) => Some(ExitStatus::Exited(code)),
            WaitStatus::Signaled(_, signal, core_dumped) => {
                Some(ExitStatus::Signaled { signal, core_dumped })
            }
            WaitStatus::Stopped(_, signal) => Some(ExitStatus::Stopped(signal)),
            WaitStatus::Continued(_) => Some(ExitStatus::Continued),
            _ => None,
        }
    }

    // ANCHOR: exitcode
    /// The exit code as Python's `Process.exitcode` gives it: the code after a normal exit, the
    /// negated signal number after a fatal signal (-15 for SIGTERM, -9 for SIGKILL), and `None` for
    /// a child that has not ended (stopped or continued).
    pub fn exitcode(self) -> Option<i32> {
        match self {
            ExitStatus::Exited(code) => Some(code),
            ExitStatus::Signaled { signal, .. } => Some(-(signal as i32)),
            ExitStatus::Stopped(_) | ExitStatus::Continued => None,
        }
    }
    // ANCHOR_END: exitcode

    /// Whether the child has ended (exited or was killed), as opposed to stopped or continued.
    pub fn has_ended(self) -> bool {
        self.exitcode().is_some()
    }
}

impl std::fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExitStatus::Exited(code) => write!(f, "exited with code {code}"),
            ExitStatus::Signaled { signal, core_dumped: false } => write!(f, "killed by {signal}"),
            ExitStatus::Signaled { signal, core_dumped: true } => {
                write!(f, "killed by {signal} (core dumped)")
            }
            ExitStatus::Stopped(signal) => write!(f, "stopped by {signal}"),
            ExitStatus::Continued => write!(f, "continued"),
        }
    }
}
