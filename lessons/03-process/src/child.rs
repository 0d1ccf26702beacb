//! What runs inside the child, between `fork` and `_exit`.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use lesson_01_fork::{Pid, exit_now, getppid};
use nix::sys::signal::{Signal, raise};

use crate::names;
use crate::target::Run;

/// Whether this process is the child side of a daemon `Process`.
static DAEMON: AtomicBool = AtomicBool::new(false);

/// Whether this process is a daemon, which may not start processes of its own.
pub fn is_daemon() -> bool {
    DAEMON.load(Ordering::Relaxed)
}

// ANCHOR: run_in_child
/// Runs `target` in the freshly forked child of `parent` and ends the child with its exit code.
///
/// A panic becomes exit code 1, its message printed on stderr under `Process NAME:` as CPython prints
/// a traceback. Standard output and error are flushed, since `_exit` would drop what is buffered.
/// A daemon child asks the kernel for SIGTERM when its parent ends. Never returns.
pub fn run_in_child(
    name: String,
    identity: Vec<usize>,
    daemon: bool,
    parent: Pid,
    target: &mut dyn Run,
) -> ! {
    names::adopt(identity, name);
    if daemon {
        DAEMON.store(true, Ordering::Relaxed);
        // SAFETY: PR_SET_PDEATHSIG takes a signal number and touches no memory of ours.
        unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM, 0, 0, 0) };
        // The parent may have ended before the request was in place: then act on it ourselves.
        if getppid() != parent {
            let _ = raise(Signal::SIGTERM);
        }
    }
    panic::set_hook(Box::new(|info| eprintln!("Process {}:\n{info}", names::current_process_name())));
    let code = panic::catch_unwind(AssertUnwindSafe(|| target.run())).unwrap_or(1);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    exit_now(code)
}
// ANCHOR_END: run_in_child
