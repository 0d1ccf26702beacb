//! Listing 6-2: `apply_async` with a callback and an error callback. They run in the parent, during its
//! next call into the pool. One worker runs the tasks one after another, so they end in submission order.

use lesson_05_start_methods::{Registry, init, task};
use lesson_06_pool::{AsyncResult, Pool, PoolError};

fn square(n: u64) -> u64 {
    n * n
}

fn fail(n: u64) -> u64 {
    panic!("no square for {n} today")
}

/// The functions this program's pool runs, by name (chapter 5).
static REGISTRY: Registry = Registry { tasks: &[task!(square), task!(fail)], entries: &[] };

/// Submits `function(n)` with a callback and an error callback that print what happened.
fn submit<'p>(
    pool: &'p Pool,
    function: impl Fn(u64) -> u64 + 'static,
    n: u64,
) -> Result<AsyncResult<'p, u64>, PoolError> {
    pool.apply_async_with(
        function,
        n,
        move |value| println!("callback: {n} gave {value}"),
        move |error| println!("error callback: {n} failed: {error}"),
    )
}

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    let pool = Pool::new(Some(1))?;
    let pending = [submit(&pool, square, 3)?, submit(&pool, fail, 4)?, submit(&pool, square, 5)?];
    println!("three tasks submitted; waiting");
    for result in &pending {
        result.wait();
    }
    println!("successful: {:?}", pending.iter().map(|r| r.successful()).collect::<Result<Vec<_>, _>>()?);
    Ok(())
}
// ANCHOR_END: main
