//! Listing 2-1: how children end, as `waitpid` reports it. Three children exit with a code; the
//! parent kills two, as Python's `terminate()` and `kill()` do; one aborts. The parent waits for each
//! in turn and prints the decoded status and the exit code Python would give.

use lesson_01_fork::{fork_and_run, getpid};
use lesson_02_wait::{ExitStatus, disable_core_dumps, wait_for};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Pid, pause};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("parent {} waits for each child in turn", getpid());
    // Three children end normally, each with its own exit code.
    for code in [0, 3, 42] {
        let child = fork_and_run(move || code)?;
        report(child, wait_for(child)?);
    }
    // Two children wait for a signal; their parent sends SIGTERM to one, SIGKILL to the other.
    for signal in [Signal::SIGTERM, Signal::SIGKILL] {
        let child = fork_and_run(|| {
            loop {
                pause();
            }
        })?;
        kill(child, signal)?;
        report(child, wait_for(child)?);
    }
    // One child aborts (SIGABRT), with core dumps turned off so that no core file is written.
    let child = fork_and_run(|| {
        disable_core_dumps().ok();
        std::process::abort()
    })?;
    report(child, wait_for(child)?);
    Ok(())
}

/// Prints how `child` ended, and its exit code as Python's `Process.exitcode` gives it.
fn report(child: Pid, status: ExitStatus) {
    let exitcode = status.exitcode().expect("wait_for returns only ended children");
    println!("child {child} {status}; exitcode {exitcode}");
}
// ANCHOR_END: main
