//! Listing 2-4: waiting for whichever child ends first. Three children wait at gates; the parent
//! lets them end one at a time, in an order of its choosing, and `wait_any` reports each.

use lesson_01_fork::{Fork, Gate, exit_now, fork, getpid};
use lesson_02_wait::wait_any;

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One gate per child, all made before the first fork.
    let mut gates = Vec::new();
    for _ in 0..3 {
        gates.push(Some(Gate::new()?));
    }
    println!("parent {} forks children 0, 1 and 2", getpid());
    for (i, gate) in gates.iter_mut().enumerate() {
        match fork()? {
            Fork::Child => {
                gate.take().expect("each gate is used once").wait();
                exit_now(10 + i as i32);
            }
            Fork::Parent { child } => println!("child {i} is {child} and will exit with {}", 10 + i),
        }
    }
    for i in [2, 0, 1] {
        gates[i].take().expect("each gate is opened once").open();
        let (pid, status) = wait_any()?;
        println!("opened gate {i}; wait_any: {pid} {status}");
    }
    if let Err(error) = wait_any() {
        println!("wait_any: {error}");
    }
    Ok(())
}
// ANCHOR_END: main
