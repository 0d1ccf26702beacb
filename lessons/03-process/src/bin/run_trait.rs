//! Listing 3-5: a process defined by a type with a `run` method, as Python code subclasses `Process`
//! and overrides `run()`. Calling `run()` directly runs it here; `start()` runs it in a child.

use lesson_01_fork::getpid;
use lesson_03_process::{Process, Run};

// ANCHOR: main
/// Counts down from `from`, saying which process does the counting.
struct Countdown {
    from: u32,
}

impl Run for Countdown {
    fn run(&mut self) -> i32 {
        let counted: Vec<String> = (1..=self.from).rev().map(|n| n.to_string()).collect();
        println!("{} counts {}", getpid(), counted.join(" "));
        0
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("main process is {}", getpid());
    let mut p = Process::new(Countdown { from: 3 });
    p.run(); // in this process, like calling run() in Python
    p.start()?; // in a child
    p.join()?;
    Ok(())
}
// ANCHOR_END: main
