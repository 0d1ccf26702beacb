//! Listing 3-4: a target that panics. The child prints the panic under `Process NAME:` and ends with
//! exit code 1, as an uncaught exception does in Python; the parent goes on.

use lesson_03_process::Process;

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut p = Process::new(|| -> i32 { panic!("the target failed") });
    p.start()?;
    let code = p.join()?;
    println!("parent: {} ended with exit code {code}", p.name());
    Ok(())
}
// ANCHOR_END: main
