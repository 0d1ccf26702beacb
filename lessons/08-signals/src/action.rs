//! What a signal does to a process that has neither a handler for it nor asked to ignore it: its
//! default action, from the table in signal(7).

use nix::sys::signal::Signal;

// ANCHOR: default_action
/// A signal's default action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultAction {
    /// The process ends, killed by the signal.
    Terminate,
    /// The process ends, killed by the signal, and may leave a core dump.
    CoreDump,
    /// The process stops until a SIGCONT.
    Stop,
    /// A stopped process continues; a running one goes on as if nothing happened.
    Continue,
    /// Nothing happens.
    Ignore,
}

/// The default action of `signal` (signal(7), Linux on x86-64 and arm64).
pub fn default_action(signal: Signal) -> DefaultAction {
    use DefaultAction::*;
    use Signal::*;
    match signal {
        SIGCHLD | SIGURG | SIGWINCH => Ignore,
        SIGCONT => Continue,
        SIGSTOP | SIGTSTP | SIGTTIN | SIGTTOU => Stop,
        SIGQUIT | SIGILL | SIGTRAP | SIGABRT | SIGBUS | SIGFPE | SIGSEGV | SIGSYS | SIGXCPU | SIGXFSZ => {
            CoreDump
        }
        _ => Terminate,
    }
}
// ANCHOR_END: default_action
