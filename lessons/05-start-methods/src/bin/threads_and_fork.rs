//! Listing 5-4: why fork in a threaded process is hazardous. A thread holds a lock at the instant of
//! the fork; the child gets the lock held, and no thread to release it. The child waits for ever;
//! the parent notices no result came, kills it and reaps it. Spawn and forkserver are not affected.

use std::fs::File;
use std::os::fd::AsFd;
use std::sync::Mutex;
use std::time::Duration;

use lesson_01_fork::{Gate, exit_now, wait_until_single_threaded};
use lesson_02_wait::wait_for;
use lesson_05_start_methods::{Forkserver, Registry, StartMethod, init, run, task};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{Signal, kill};

/// A lock the program's threads share.
static LOCK: Mutex<u32> = Mutex::new(0);

/// The task: take the lock, add one, report.
fn use_the_lock((): ()) -> String {
    let mut count = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    *count += 1;
    "the task took the lock".to_string()
}

static REGISTRY: Registry = Registry { tasks: &[task!(use_the_lock)], entries: &[] };

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    let server = Forkserver::start(&REGISTRY)?; // while this process has one thread

    // A second thread takes the lock and holds it until the gate opens.
    let (locked, is_locked) = Gate::new()?.split();
    let (release, released) = Gate::new()?.split();
    let holder = std::thread::spawn(move || {
        let _guard = LOCK.lock();
        locked.open();
        released.wait();
    });
    is_locked.wait();

    // Our safe fork() refuses here; nix's unsafe fork does not.
    let refused = run::<(), String>(&StartMethod::Fork, &REGISTRY, "use_the_lock", &());
    println!("fork(), ours: {}", refused.unwrap_err());
    let (read_end, write_end) = nix::unistd::pipe()?;
    // SAFETY: this breaks fork's rule on purpose, to show what happens: the child calls Mutex::lock,
    // which is not async-signal-safe, on a lock another thread holds at this instant. The child can
    // only block there; the parent kills it and reaps it, and nothing the child holds is shared.
    match unsafe { nix::unistd::fork() }? {
        nix::unistd::ForkResult::Child => {
            let answer = use_the_lock(());
            let _ = nix::unistd::write(&write_end, answer.as_bytes());
            exit_now(0);
        }
        nix::unistd::ForkResult::Parent { child } => {
            drop(write_end);
            let reader = File::from(read_end);
            let mut fds = [PollFd::new(reader.as_fd(), PollFlags::POLLIN)];
            let answered = poll(&mut fds, PollTimeout::from(500u16))? > 0;
            println!("fork(), nix's: {}", if answered { "the task answered" } else { "no answer in 0.5 s" });
            kill(child, Signal::SIGKILL)?;
            println!("fork(), nix's: the stuck child was {}", wait_for(child)?);
        }
    }
    for method in [StartMethod::Spawn, StartMethod::Forkserver(&server)] {
        let answer: String = run(&method, &REGISTRY, "use_the_lock", &())?;
        println!("{}: {answer}", method.name());
    }
    release.open();
    holder.join().ok();
    wait_until_single_threaded(Duration::from_secs(5));
    Ok(())
}
// ANCHOR_END: main
