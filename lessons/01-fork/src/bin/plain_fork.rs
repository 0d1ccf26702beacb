//! Listing 1-1: the classic first example of fork, as it is usually written. Nothing orders the
//! parent's line and the child's: they come in whichever order the scheduler gives them.

use lesson_01_fork::{Fork, exit_now, fork, getpid, getppid, wait_for};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("Process ({}) start...", getpid());
    match fork()? {
        Fork::Child => {
            println!("I am child process ({}) and my parent is {}.", getpid(), getppid());
            exit_now(0);
        }
        Fork::Parent { child } => {
            println!("I ({}) just created a child process ({}).", getpid(), child);
            wait_for(child)?;
        }
    }
    Ok(())
}
// ANCHOR_END: main
