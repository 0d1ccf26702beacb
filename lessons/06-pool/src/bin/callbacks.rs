//! Listing 6-2: `apply_async` with a callback and an error callback. They run in the parent, while it
//! waits on the pool. One worker runs the tasks one after another, so they end in submission order.

use lesson_06_pool::Pool;

fn square(n: u64) -> u64 {
    n * n
}

fn fail(n: u64) -> u64 {
    panic!("no square for {n} today")
}

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool = Pool::new(Some(1))?;
    let mut pending = Vec::new();
    for (function, n) in [(square as fn(u64) -> u64, 3), (fail, 4), (square, 5)] {
        let result = pool.apply_async_with(
            function,
            n,
            move |value| println!("callback: {n} gave {value}"),
            move |error| println!("error callback: {n} failed: {error}"),
        )?;
        pending.push(result);
    }
    println!("three tasks submitted; waiting");
    for result in &pending {
        result.wait();
    }
    println!("successful: {:?}", pending.iter().map(|r| r.successful()).collect::<Result<Vec<_>, _>>()?);
    Ok(())
}
// ANCHOR_END: main
