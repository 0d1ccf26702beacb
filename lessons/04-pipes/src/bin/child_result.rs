//! Listing 4-5: children that hand back a result, or an error saying how they ended instead: one
//! returns a value, one panics, one exits without a result, and one is killed by a signal.

use lesson_01_fork::exit_now;
use lesson_04_pipes::ResultProcess;
use nix::sys::signal::{Signal, raise};

// ANCHOR: main
fn squares() -> Vec<u32> {
    (1..=4).map(|n| n * n).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut children = vec![
        ResultProcess::new(squares)?,
        ResultProcess::new(|| -> Vec<u32> { panic!("the task failed") })?,
        ResultProcess::new(|| -> Vec<u32> { exit_now(3) })?,
        ResultProcess::new(|| -> Vec<u32> {
            let _ = raise(Signal::SIGKILL);
            unreachable!("SIGKILL cannot be caught")
        })?,
    ];
    for child in &mut children {
        child.start()?;
    }
    for child in children {
        let name = child.name().to_string();
        match child.join() {
            Ok(value) => println!("{name} returned {value:?}"),
            Err(error) => println!("{error}"),
        }
    }
    Ok(())
}
// ANCHOR_END: main
