//! Listing 2-2: a child is stopped and continued before it ends. `wait_for_change` asks `waitpid`
//! to report stops (`WUNTRACED`) and continues (`WCONTINUED`) as well as the end.

use lesson_01_fork::{Fork, Gate, exit_now, fork, getpid};
use lesson_02_wait::{try_wait, wait_for_change};
use nix::sys::signal::{Signal, kill};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The child ends only once its parent opens this gate.
    let may_end = Gate::new()?;
    let child = match fork()? {
        Fork::Child => {
            may_end.wait();
            exit_now(5);
        }
        Fork::Parent { child } => child,
    };
    println!("parent {} forked child {child}", getpid());
    kill(child, Signal::SIGSTOP)?;
    println!("sent SIGSTOP: {}", wait_for_change(child)?);
    // A stopped child has not ended: polling for an end finds nothing.
    let ended = try_wait(child)?;
    println!("has it ended? {}", if ended.is_some() { "yes" } else { "no" });
    kill(child, Signal::SIGCONT)?;
    println!("sent SIGCONT: {}", wait_for_change(child)?);
    may_end.open();
    println!("opened its gate: {}", wait_for_change(child)?);
    Ok(())
}
// ANCHOR_END: main
