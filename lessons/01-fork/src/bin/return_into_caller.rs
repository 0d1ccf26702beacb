//! Listing 1-7: why a child must end with `_exit` and never return into its caller.
//!
//! Run with `mistake` to see the MISTAKE this listing warns about: the child returns from
//! `start_helper`, runs the rest of `main` a second time and removes the parent's scratch file.
//! Run with `fixed` to see the child end with `exit_now`.

use lesson_01_fork::{Fork, exit_now, fork, getpid, wait_for};
use nix::unistd::Pid;

/// Stands for something the parent owns: a file it removes when it is done.
struct ScratchFile;

impl Drop for ScratchFile {
    fn drop(&mut self) {
        println!("{}: removing the scratch file", getpid());
    }
}

/// Forks a helper that does some work. Returns the helper's pid in the parent.
fn start_helper(end_with_exit: bool) -> Result<Option<Pid>, Box<dyn std::error::Error>> {
    match fork()? {
        Fork::Parent { child } => Ok(Some(child)),
        Fork::Child => {
            println!("{}: the helper does its work", getpid());
            if end_with_exit {
                exit_now(0); // the fix: the child ends here, whatever its caller does next
            }
            Ok(None) // the MISTAKE: the child returns into main, as if it were the parent
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fixed = std::env::args().nth(1).as_deref() == Some("fixed");
    let _scratch = ScratchFile;
    println!("{}: main starts a helper", getpid());
    if let Some(helper) = start_helper(fixed)? {
        wait_for(helper)?;
    }
    println!("{}: main is done", getpid());
    Ok(())
}
