//! Listing 6-5: a worker killed in the middle of its task. The pool names the lost task at once and
//! goes on. Its Python twin shows CPython's pool waiting on the same task until a timeout gives up.

use lesson_05_start_methods::{Registry, init, task};
use lesson_06_pool::Pool;

fn square(n: u64) -> u64 {
    n * n
}

/// Kills its own worker, mid-task.
fn dies(_: u64) -> u64 {
    // SAFETY: raise sends a signal to this process only.
    unsafe { libc::raise(libc::SIGKILL) };
    0
}

/// The functions this program's pool runs, by name (chapter 5).
static REGISTRY: Registry = Registry { tasks: &[task!(square), task!(dies)], entries: &[] };

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    let pool = Pool::new(Some(1))?;
    let lost = pool.apply_async(dies, 0)?;
    println!("get: {}", lost.get().unwrap_err());
    println!("the pool goes on: square(7) = {}", pool.apply(square, 7)?);
    Ok(())
}
// ANCHOR_END: main
