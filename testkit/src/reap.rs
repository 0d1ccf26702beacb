//! Ending and reaping every process a piece of code left behind.

use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

/// Makes this process a child subreaper: orphaned descendants are re-parented to it, not to init.
///
/// Linux only (`prctl(PR_SET_CHILD_SUBREAPER)`); it lasts for the life of the process.
pub fn become_subreaper() {
    // SAFETY: PR_SET_CHILD_SUBREAPER takes one integer argument and touches no memory of ours.
    let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    assert_eq!(rc, 0, "prctl(PR_SET_CHILD_SUBREAPER) failed: {}", Errno::last());
}

/// What [`kill_group_and_reap`] found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reaped {
    /// How the group's leader ended, if it was among the processes reaped.
    pub leader: Option<WaitStatus>,
    /// How many other processes were reaped: children that were never waited for.
    pub others: usize,
}

// ANCHOR: kill_group_and_reap
/// Sends SIGKILL to process group `group` until it is empty, and reaps every child this process
/// has meanwhile, counting the ones other than the group's leader.
///
/// Call it from a subreaper (see [`become_subreaper`]) so that the group's orphans come back here.
pub fn kill_group_and_reap(group: Pid) -> Reaped {
    let mut reaped = Reaped::default();
    loop {
        let group_alive = killpg(group, Signal::SIGKILL).is_ok();
        match waitpid(None, None) {
            Ok(status) => {
                if status.pid() == Some(group) {
                    reaped.leader = Some(status);
                } else if status.pid().is_some() {
                    reaped.others += 1;
                }
            }
            Err(Errno::ECHILD) if !group_alive => return reaped,
            // Members remain but none is our child yet: their parents are still being killed.
            Err(Errno::ECHILD) => std::thread::sleep(Duration::from_millis(1)),
            Err(Errno::EINTR) => {}
            Err(e) => panic!("waitpid failed while reaping group {group}: {e}"),
        }
    }
}
// ANCHOR_END: kill_group_and_reap
