//! Listing 1-2: the first fork. The process prints its pid and forks; the parent says which child
//! it created, the child says its own pid and its parent's.

use lesson_01_fork::{Fork, Gate, exit_now, fork, getpid, getppid, wait_for};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("Process ({}) start...", getpid());
    // The child waits at this gate until the parent has printed, so the lines come in one order.
    let parent_has_spoken = Gate::new()?;
    match fork()? {
        Fork::Child => {
            parent_has_spoken.wait();
            println!("I am child process ({}) and my parent is {}.", getpid(), getppid());
            exit_now(0);
        }
        Fork::Parent { child } => {
            println!("I ({}) just created a child process ({}).", getpid(), child);
            parent_has_spoken.open();
            wait_for(child)?;
        }
    }
    Ok(())
}
// ANCHOR_END: main
