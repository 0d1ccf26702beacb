//! Listing 5-1: one task, three start methods. What the child sees of the parent's memory depends on
//! how it was started: fork copies the parent as it is now, spawn starts the program afresh, and
//! forkserver copies the server, which is a copy of the parent as it was when the server started.

use std::sync::atomic::{AtomicU32, Ordering};

use lesson_05_start_methods::{Forkserver, Registry, StartMethod, init, run, task};

/// A setting the parent changes as it goes.
static SETTING: AtomicU32 = AtomicU32::new(0);

/// The task: report the setting as this process sees it.
fn read_setting((): ()) -> u32 {
    SETTING.load(Ordering::Relaxed)
}

static REGISTRY: Registry = Registry { tasks: &[task!(read_setting)], entries: &[] };

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY); // a spawned copy of this program runs its task here, and ends
    SETTING.store(1, Ordering::Relaxed);
    let server = Forkserver::start(&REGISTRY)?; // a copy of this process as it is now
    SETTING.store(2, Ordering::Relaxed);
    println!("the parent's setting is now {}", SETTING.load(Ordering::Relaxed));
    for method in [StartMethod::Fork, StartMethod::Spawn, StartMethod::Forkserver(&server)] {
        let seen: u32 = run(&method, &REGISTRY, "read_setting", &())?;
        println!("{:>10}: the child sees setting {seen}", method.name());
    }
    Ok(())
}
// ANCHOR_END: main
