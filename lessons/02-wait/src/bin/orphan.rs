//! Listing 2-7: an orphan is re-parented. The middle child forks a grandchild and exits without
//! waiting for it; the grandchild's parent becomes the main process, a child subreaper, which
//! reaps it. Without `become_subreaper`, the orphan would go to an ancestor that is a subreaper, or
//! to the init of the PID namespace.

use lesson_01_fork::{Fork, Gate, exit_now, fork, getpid, getppid};
use lesson_02_wait::{become_subreaper, wait_any, wait_for};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    become_subreaper()?;
    println!("main {} is a child subreaper", getpid());
    // The grandchild looks at its parent again only once main has reaped the middle child.
    let middle_reaped = Gate::new()?;
    let middle = match fork()? {
        Fork::Child => middle_child(middle_reaped),
        Fork::Parent { child } => child,
    };
    println!("main reaped the middle child {middle}: {}", wait_for(middle)?);
    middle_reaped.open();
    // The orphan is main's child now, so main may wait for it.
    let (orphan, status) = wait_any()?;
    println!("main reaped the orphan {orphan}: {status}");
    Ok(())
}

/// Forks the grandchild, lets it see its parent, then exits without waiting for it.
fn middle_child(middle_reaped: Gate) -> ! {
    let grandchild_has_looked = Gate::new().expect("gate");
    match fork().expect("fork") {
        Fork::Child => {
            let first_parent = getppid();
            grandchild_has_looked.open();
            middle_reaped.wait();
            println!("grandchild {}: my parent was {first_parent}, now it is {}", getpid(), getppid());
            exit_now(0);
        }
        Fork::Parent { child } => {
            println!("middle child {}, child of {}, forked grandchild {child}", getpid(), getppid());
            grandchild_has_looked.wait();
            println!("middle child {} exits without waiting for its child", getpid());
            exit_now(0);
        }
    }
}
// ANCHOR_END: main
