//! Listing 9-2: a plain variable is copied by the fork, a `Value` is shared. The child sets both
//! to 42; the parent sees the change in the `Value` only.

use lesson_01_fork::{fork_and_run, wait_for};
use lesson_09_shared_state::Value;

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut plain: i64 = 0;
    // An anonymous MAP_SHARED mapping, made before the fork: the child maps the same page.
    let shared = Value::<i64>::new(0)?;
    let child = fork_and_run(|| {
        plain = 42;
        shared.set(42);
        println!("child: set both to 42");
        0
    })?;
    wait_for(child)?;
    println!("parent: the plain variable holds {plain}");
    println!("parent: the Value holds {}", shared.get());
    Ok(())
}
// ANCHOR_END: main
