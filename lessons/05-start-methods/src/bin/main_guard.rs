//! Listing 5-2: `init()` at the top of `main`, the Rust twin of `if __name__ == '__main__':`.
//! A spawned copy of this program runs only its task; `main` itself runs once.

use lesson_01_fork::getpid;
use lesson_05_start_methods::{Registry, StartMethod, init, run, task};

/// The task the spawned child runs.
fn greet(name: String) -> String {
    println!("child {}: running greet", getpid());
    format!("hello, {name}")
}

static REGISTRY: Registry = Registry { tasks: &[task!(greet)], entries: &[] };

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    println!("main {}: starts", getpid());
    let reply: String = run(&StartMethod::Spawn, &REGISTRY, "greet", &"world".to_string())?;
    println!("main {}: the child answered: {reply}", getpid());
    Ok(())
}
// ANCHOR_END: main
