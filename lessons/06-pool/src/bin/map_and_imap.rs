//! Listing 6-3: `map` with a chunk size, and `imap` over a large input. `map` sends one task per chunk
//! and returns the results in input order; `imap` takes its input a few chunks at a time, so the input
//! and the results never sit in memory whole.

use lesson_05_start_methods::{Registry, init, task};
use lesson_06_pool::{Pool, PoolOptions};

fn square(n: u64) -> u64 {
    n * n
}

/// The functions this program's pool runs, by name (chapter 5).
static REGISTRY: Registry = Registry { tasks: &[task!(square)], entries: &[] };

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    // Recording events lets the program count the tasks `map` made.
    let pool =
        Pool::with_options(PoolOptions { processes: Some(4), record_events: true, ..Default::default() })?;
    let squares = pool.map_chunked(square, 1..=40, 5)?;
    let tasks = pool.events().iter().filter(|event| event.started).count();
    println!("map of 40 items in chunks of 5: {} results from {tasks} tasks", squares.len());
    println!("in input order: {:?} …", &squares[..6]);

    let count = 200_000u64;
    let mut total = 0u64;
    for square in pool.imap_chunked(square, 1..=count, 1_000)? {
        total += square?;
    }
    let local: u64 = (1..=count).map(square).sum();
    println!(
        "imap over two hundred thousand numbers, summed as they come: same as a local sum? {}",
        total == local
    );
    Ok(())
}
// ANCHOR_END: main
