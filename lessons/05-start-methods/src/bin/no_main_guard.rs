//! Listing 5-3: a MISTAKE on purpose: `main` without `init()`. A spawned copy of the program runs
//! `main` from the top, which starts another copy, and so on: a fork bomb. A depth counter in the
//! environment stops this listing at depth 3; each copy then ends without running its task.

use lesson_01_fork::getpid;
use lesson_05_start_methods::{Registry, StartMethod, run, task};

/// The task nobody gets to run.
fn greet(name: String) -> String {
    format!("hello, {name}")
}

static REGISTRY: Registry = Registry { tasks: &[task!(greet)], entries: &[] };

/// How deep the chain of copies is, carried from copy to copy in the environment.
const DEPTH: &str = "NO_MAIN_GUARD_DEPTH";

// ANCHOR: main
fn main() {
    // The MISTAKE: no `init(&REGISTRY)` here, so a spawned copy carries on into the code below.
    let depth: u32 = std::env::var(DEPTH).ok().and_then(|d| d.parse().ok()).unwrap_or(0);
    println!("depth {depth}: main runs in {}", getpid());
    if depth == 3 {
        println!("depth 3: stopping the chain here, or it would never end");
        return;
    }
    // SAFETY: set before any thread exists; `run` reads it when it starts the next copy.
    unsafe { std::env::set_var(DEPTH, (depth + 1).to_string()) };
    match run::<String, String>(&StartMethod::Spawn, &REGISTRY, "greet", &"world".to_string()) {
        Ok(reply) => println!("depth {depth}: the child answered {reply:?}"),
        Err(error) => println!("depth {depth}: {error}"),
    }
}
// ANCHOR_END: main
