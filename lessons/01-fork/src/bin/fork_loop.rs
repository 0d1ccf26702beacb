//! Listing 1-5: fork in a loop. Every process, parent and child alike, goes on with the loop, so
//! k forks make 2^k processes. Each reports once.
//!
//! To keep the output in one order, each process waits for a child as soon as it has forked it,
//! before it forks again. The children then run one at a time; the count stays the same.

use lesson_01_fork::{Fork, exit_now, fork, getpid, getppid, wait_for};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let k: u32 = std::env::args().nth(1).map_or(Ok(3), |arg| arg.parse())?;
    let root = getpid();
    println!("process {root} starts a loop of {k} forks");
    // How many processes this process and its descendants make, itself included.
    let mut in_my_tree = 1;
    let mut forks_made = 0;
    for _ in 0..k {
        match fork()? {
            Fork::Parent { child } => {
                forks_made += 1;
                // A child ends with the size of its own tree as its exit code.
                in_my_tree += wait_for(child)?;
            }
            Fork::Child => {
                // A copy goes on with the rest of the loop, starting a tree of its own.
                in_my_tree = 1;
                forks_made = 0;
            }
        }
    }
    println!("process {}, child of {}, forks made: {forks_made}", getpid(), getppid());
    if getpid() != root {
        exit_now(in_my_tree);
    }
    println!("{in_my_tree} processes in all, 2^{k} = {}", 2u32.pow(k));
    Ok(())
}
// ANCHOR_END: main
