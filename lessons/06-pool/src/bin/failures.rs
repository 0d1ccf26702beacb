//! Listing 6-4: failure. A task that panics fails only its own result; a worker killed in the middle of
//! a task fails that task with "worker died", is replaced, and the pool goes on. (CPython's pool would
//! wait for ever on that task.) Then close versus terminate.

use lesson_05_start_methods::{Registry, init, task};
use lesson_06_pool::Pool;

fn square(n: u64) -> u64 {
    n * n
}

fn panics(_: u64) -> u64 {
    panic!("this task panics")
}

fn killed(_: u64) -> u64 {
    // SAFETY: raise sends a signal to this process only: the worker dies here, mid-task.
    unsafe { libc::raise(libc::SIGKILL) };
    0
}

/// The functions this program's pool runs, by name (chapter 5).
static REGISTRY: Registry = Registry { tasks: &[task!(square), task!(panics), task!(killed)], entries: &[] };

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    let pool = Pool::new(Some(2))?;
    let workers = pool.pids();
    println!("panicking task: {}", pool.apply(panics, 1).unwrap_err());
    println!("killed worker:  {}", pool.apply(killed, 2).unwrap_err());
    let replaced = pool.pids().iter().filter(|pid| !workers.contains(pid)).count();
    println!("workers replaced: {replaced}; the pool goes on: square(7) = {}", pool.apply(square, 7)?);

    let queued: Vec<_> = (0..6).map(|n| pool.apply_async(square, n)).collect::<Result<_, _>>()?;
    pool.close();
    println!("after close, a new task: {}", pool.apply(square, 1).unwrap_err());
    pool.join()?;
    println!(
        "join after close: queued tasks finished: {:?}",
        queued.iter().map(|r| r.get()).collect::<Result<Vec<_>, _>>()?
    );

    let other = Pool::new(Some(2))?;
    let stopped: Vec<_> = (0..4).map(|n| other.apply_async(square, n)).collect::<Result<_, _>>()?;
    other.terminate();
    let failed = stopped.iter().filter(|r| r.get().is_err()).count();
    println!("terminate: {failed} of 4 unfinished tasks failed: {}", stopped[3].get().unwrap_err());
    other.join()?;
    Ok(())
}
// ANCHOR_END: main
