//! Listing 8-7: Ctrl-C through a pool. Four tasks of an hour each run in a pool of four; the test
//! that runs this listing waits until all four say they run (in whatever order; the lines are
//! alike), then sends SIGINT to the listing's whole
//! process group, as a terminal's Ctrl-C does (or, in a second test, SIGTERM to the parent alone).
//! `map` returns an error; the program terminates the pool, which kills and reaps the workers, and
//! ends as the signal would have ended it.

use std::time::Duration;

use lesson_05_start_methods::{Registry, init, task};
use lesson_06_pool::{Pool, PoolOptions};
use lesson_08_signals::Interrupts;

/// A task that runs for an hour, unless the pool is terminated first.
fn an_hour_of_work(index: u32) -> u32 {
    println!("a task is running");
    std::thread::sleep(Duration::from_secs(3600));
    index
}

/// The functions this program's pool runs, by name (chapter 5).
static REGISTRY: Registry = Registry { tasks: &[task!(an_hour_of_work)], entries: &[] };

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    let interrupts = Interrupts::new()?; // before the pool: its workers inherit the block
    let options = PoolOptions { processes: Some(4), interrupt: Some(interrupts.fd()), ..Default::default() };
    let pool = Pool::with_options(options)?;
    match pool.map(an_hour_of_work, 0..4) {
        Ok(results) => println!("{results:?}"),
        Err(error) => {
            let signal = interrupts.take().ok_or("interrupted, but by no signal")?;
            println!("map: {error} ({signal})");
            pool.terminate();
            println!("terminated: {} workers left", pool.pids().len());
            drop(pool);
            interrupts.exit_by(signal);
        }
    }
    Ok(())
}
// ANCHOR_END: main
