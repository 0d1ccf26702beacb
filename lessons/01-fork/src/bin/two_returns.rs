//! Listing 1-3: one call, two returns. What `fork()` returned, in each process.

use lesson_01_fork::{Fork, Gate, exit_now, fork, getpid, getppid, wait_for};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("before fork: one process, pid {}", getpid());
    let parent_has_spoken = Gate::new()?;
    let returned = fork()?;
    // From here on two processes run the same code, each with its own value of `returned`.
    match returned {
        Fork::Parent { child } => {
            println!("in the parent: fork() returned {}; getpid() is {}", returned.returned(), getpid());
            parent_has_spoken.open();
            wait_for(child)?;
        }
        Fork::Child => {
            parent_has_spoken.wait();
            println!(
                "in the child: fork() returned {}; getpid() is {}, getppid() is {}",
                returned.returned(),
                getpid(),
                getppid()
            );
            exit_now(0);
        }
    }
    Ok(())
}
// ANCHOR_END: main
