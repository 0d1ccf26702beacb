//! Waiting for children: [waitpid(2)](https://man7.org/linux/man-pages/man2/waitpid.2.html).

use nix::errno::Errno;
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::Pid;

use crate::status::ExitStatus;

/// Why a wait failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitError {
    /// `pid` is not a child of this process (or was already reaped): `ECHILD`.
    NotAChild(Pid),
    /// This process has no children left to wait for: `ECHILD` from a wait for any child.
    NoChildren,
    /// Another error from the system call.
    Sys(Errno),
}

impl std::fmt::Display for WaitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitError::NotAChild(pid) => {
                write!(f, "process {pid} is not a child of this process, or was already reaped")
            }
            WaitError::NoChildren => write!(f, "this process has no children to wait for"),
            WaitError::Sys(errno) => write!(f, "waitpid failed: {errno}"),
        }
    }
}

impl std::error::Error for WaitError {}

/// Calls waitpid, retrying when a signal interrupts it.
fn waitpid_retrying(pid: Option<Pid>, flags: Option<WaitPidFlag>) -> Result<WaitStatus, WaitError> {
    loop {
        match waitpid(pid, flags) {
            Err(Errno::EINTR) => continue,
            Err(Errno::ECHILD) => return Err(pid.map_or(WaitError::NoChildren, WaitError::NotAChild)),
            Err(errno) => return Err(WaitError::Sys(errno)),
            Ok(status) => return Ok(status),
        }
    }
}

// ANCHOR: wait_for
/// Blocks until `child` ends, reaps it, and returns how it ended.
pub fn wait_for(child: Pid) -> Result<ExitStatus, WaitError> {
    loop {
        let status = waitpid_retrying(Some(child), None)?;
        if let Some(status) = ExitStatus::from_wait_status(status).filter(|s| s.has_ended()) {
            return Ok(status);
        }
    }
}
// ANCHOR_END: wait_for

// ANCHOR: try_wait
/// Reaps `child` if it has ended, without blocking (`WNOHANG`); `Ok(None)` while it runs.
pub fn try_wait(child: Pid) -> Result<Option<ExitStatus>, WaitError> {
    let status = waitpid_retrying(Some(child), Some(WaitPidFlag::WNOHANG))?;
    Ok(ExitStatus::from_wait_status(status).filter(|s| s.has_ended()))
}
// ANCHOR_END: try_wait

// ANCHOR: wait_any
/// Blocks until any child ends, reaps it, and returns its pid and how it ended.
pub fn wait_any() -> Result<(Pid, ExitStatus), WaitError> {
    loop {
        let status = waitpid_retrying(None, None)?;
        if let (Some(pid), Some(decoded)) = (status.pid(), ExitStatus::from_wait_status(status))
            && decoded.has_ended()
        {
            return Ok((pid, decoded));
        }
    }
}
// ANCHOR_END: wait_any

/// Waits for the next change of `child`: an end, a stop or a continue (`WUNTRACED | WCONTINUED`).
/// Reaps the child only if it ended.
pub fn wait_for_change(child: Pid) -> Result<ExitStatus, WaitError> {
    loop {
        let flags = WaitPidFlag::WUNTRACED | WaitPidFlag::WCONTINUED;
        if let Some(status) = ExitStatus::from_wait_status(waitpid_retrying(Some(child), Some(flags))?) {
            return Ok(status);
        }
    }
}

// ANCHOR: wait_without_reaping
/// Blocks until `child` has ended and returns how, but leaves it unreaped: a zombie, which a later
/// [`wait_for`] or [`try_wait`] reaps. This is `waitid(P_PID, child, WEXITED | WNOWAIT)`.
///
/// See [waitid(2)](https://man7.org/linux/man-pages/man2/waitid.2.html).
pub fn wait_without_reaping(child: Pid) -> Result<ExitStatus, WaitError> {
    loop {
        match waitid(Id::Pid(child), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT) {
            Err(Errno::EINTR) => continue,
            Err(Errno::ECHILD) => return Err(WaitError::NotAChild(child)),
            Err(errno) => return Err(WaitError::Sys(errno)),
            Ok(status) => {
                if let Some(status) = ExitStatus::from_wait_status(status).filter(|s| s.has_ended()) {
                    return Ok(status);
                }
            }
        }
    }
}
// ANCHOR_END: wait_without_reaping
