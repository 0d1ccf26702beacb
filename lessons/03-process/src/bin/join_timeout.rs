//! Listing 3-2: joining with a time limit. `join_timeout` returns when the time is up even though the
//! child still runs; the child here waits at a gate the parent opens later.

use std::time::Duration;

use lesson_01_fork::Gate;
use lesson_03_process::Process;

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (opener, waiter) = Gate::new()?.split();
    let mut p = Process::new(move || {
        waiter.wait();
        println!("child: the gate opened, I end with code 3");
        3
    });
    p.start()?;
    println!("join_timeout(0 s)   -> {:?}", p.join_timeout(Duration::ZERO)?);
    println!("join_timeout(0.2 s) -> {:?}", p.join_timeout(Duration::from_millis(200))?);
    println!("is_alive() -> {}, exitcode() -> {:?}", p.is_alive()?, p.exitcode()?);
    opener.open();
    println!("join() -> {:?}", p.join()?);
    println!("is_alive() -> {}, exitcode() -> {:?}", p.is_alive()?, p.exitcode()?);
    Ok(())
}
// ANCHOR_END: main
