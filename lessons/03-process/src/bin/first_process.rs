//! Listing 3-1: the first Process. The parent prints its pid; a child runs a function that prints its
//! argument and its own pid; the parent waits for it and reports the end.

use lesson_01_fork::getpid;
use lesson_03_process::Process;

// ANCHOR: main
/// The code the child runs.
fn run_proc(name: &str) {
    println!("Run child process {name} ({})...", getpid());
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("Parent process {}.", getpid());
    let mut p = Process::new(|| run_proc("test"));
    println!("Child process will start.");
    p.start()?;
    p.join()?;
    println!("Child process end.");
    Ok(())
}
// ANCHOR_END: main
