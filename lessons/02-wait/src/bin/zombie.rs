//! Listing 2-5: a zombie. The child exits at once; until its parent waits for it, it stays in the
//! process table in state `Z`, and not even SIGKILL removes it.

use lesson_01_fork::{fork_and_run, getpid};
use lesson_02_wait::{proc_state, wait_for, wait_without_reaping};
use nix::sys::signal::{Signal, kill};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let child = fork_and_run(|| 7)?;
    println!("parent {} forked child {child}, which exits at once", getpid());
    // Block until the child has ended, but leave it unreaped (waitid with WNOWAIT).
    let status = wait_without_reaping(child)?;
    println!("the child has {status}, and is not reaped yet");
    println!("/proc/{child}/stat: {}", shown(proc_state(child)));
    kill(child, Signal::SIGKILL)?;
    println!("sent SIGKILL; /proc/{child}/stat: {}", shown(proc_state(child)));
    println!("wait_for reaps it: {}", wait_for(child)?);
    println!("/proc/{child}/stat: {}", shown(proc_state(child)));
    Ok(())
}

/// How `/proc` shows a process: its state letter, or that there is no such process.
fn shown(state: Option<char>) -> String {
    state.map_or("gone".to_string(), |letter| format!("state {letter}"))
}
// ANCHOR_END: main
