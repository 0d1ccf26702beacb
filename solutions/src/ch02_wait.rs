//! Chapter 2 exercises: wait, exit statuses, zombies and orphans.
//!
//! Every child you fork must end with `_exit` (`exit_now`) and never return into its caller; reap
//! every child you are asked to reap, and only those.

use lesson_01_fork::{Pid, getpid};
use lesson_02_wait::{WaitError, proc_stat, try_wait, wait_any};

// ANCHOR: waitstatus_to_exitcode
/// Turn a raw wait status, the `int` that C's `waitpid` and Python's `os.waitpid` give, into a
/// Python-style exit code, as `os.waitstatus_to_exitcode` does: the code for a normal exit, minus
/// the signal's number for a child killed by a signal, and `None` for a stop or a continue.
///
/// Decode the bits yourself, or with the C macros the `libc` crate has: do not call `waitpid`.
/// A killed child's status may carry the core-dump flag; it does not change the exit code.
pub fn waitstatus_to_exitcode(status: i32) -> Option<i32> {
    if libc::WIFEXITED(status) {
        Some(libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        Some(-libc::WTERMSIG(status))
    } else {
        None
    }
}
// ANCHOR_END: waitstatus_to_exitcode

// ANCHOR: active_children
/// Reap, without blocking, those of `children` that have ended, and return the ones still running,
/// in the order given, as Python's `multiprocessing.active_children()` does.
///
/// Never block: a child that is still running must not make you wait. Reap every child of the list
/// that has ended, and no other process.
pub fn active_children(children: &[Pid]) -> Vec<Pid> {
    children.iter().copied().filter(|&child| matches!(try_wait(child), Ok(None))).collect()
}
// ANCHOR_END: active_children

// ANCHOR: reap_all
/// Reap every child of this process in the order they end, calling `on_end(pid, exitcode)` as each
/// is reaped, with its Python-style exit code (minus the signal for a killed child); return once
/// this process has no child left.
///
/// The children end in an order you cannot know in advance, and one may end only after you have
/// reported another: report each as soon as it has ended.
pub fn reap_all(mut on_end: impl FnMut(Pid, i32)) {
    loop {
        match wait_any() {
            Ok((pid, status)) => on_end(pid, status.exitcode().expect("wait_any reports ends only")),
            Err(WaitError::NoChildren) => return,
            Err(error) => panic!("{error}"),
        }
    }
}
// ANCHOR_END: reap_all

// ANCHOR: find_zombies
/// Return the pids of this process's zombies: its children that have ended and were not reaped,
/// in any order. Reap none of them.
///
/// Leave out running children, and zombies whose parent is another process.
pub fn find_zombies() -> Vec<Pid> {
    let me = getpid();
    let entries = std::fs::read_dir("/proc").expect("read /proc");
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .map(Pid::from_raw)
        .filter(|&pid| proc_stat(pid).is_some_and(|stat| stat.state == 'Z' && stat.parent == me))
        .collect()
}
// ANCHOR_END: find_zombies
