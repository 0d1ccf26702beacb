//! Listing 1-4: our `fork()` refuses to copy a process that has other threads.

use std::sync::mpsc;

use std::time::Duration;

use lesson_01_fork::{fork, thread_count, wait_until_single_threaded};

// ANCHOR: main
fn main() {
    let (stop, stopped) = mpsc::channel::<()>();
    let helper = std::thread::spawn(move || stopped.recv());
    println!("threads before fork: {}", thread_count());
    match fork() {
        Ok(_) => println!("forked"),
        Err(refused) => println!("{refused}"),
    }
    stop.send(()).ok();
    helper.join().ok();
    // `join` returns a moment before the kernel has removed the thread: wait until it is gone.
    wait_until_single_threaded(Duration::from_secs(5));
    println!("threads after the helper ended: {}", thread_count());
}
// ANCHOR_END: main
