//! Listing 2-3: polling a child without blocking (`WNOHANG`), as Python's `Popen.poll()` and
//! `Process.is_alive()` do. The child ends only when its parent opens a gate.

use lesson_01_fork::{Fork, Gate, exit_now, fork, getpid};
use lesson_02_wait::try_wait;

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let may_end = Gate::new()?;
    let child = match fork()? {
        Fork::Child => {
            may_end.wait();
            exit_now(3);
        }
        Fork::Parent { child } => child,
    };
    println!("parent {} forked child {child}", getpid());
    // The child is waiting at the gate: each poll returns at once, with nothing to report.
    for _ in 0..2 {
        if try_wait(child)?.is_none() {
            println!("poll: still running");
        }
    }
    may_end.open();
    println!("opened its gate");
    // Poll until the child has ended; a real program would do other work between polls.
    let status = loop {
        if let Some(status) = try_wait(child)? {
            break status;
        }
        std::thread::yield_now();
    };
    println!("poll: {status}");
    // That poll reaped the child: it is no longer ours to wait for.
    if let Err(error) = try_wait(child) {
        println!("poll again: {error}");
    }
    Ok(())
}
// ANCHOR_END: main
