//! Listing 10-3: the worker running item 3 of an `imap` is killed mid-task, on chapter 6's pool.
//! Item 3's task says where it runs and waits at a gate that never opens; the program kills that
//! worker there. The pool fails that item alone and goes on with the others. The Python twin shows
//! CPython's pool on the same run: item 3 never comes, and the items after it wait with it.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{FromRawFd, IntoRawFd};

use lesson_01_fork::getpid;
use lesson_05_start_methods::{Registry, init, task};
use lesson_06_pool::Pool;

/// Item `x`'s square; item 3 first says where it runs, then waits at the gate.
fn square_at_gate((x, report, gate): (u64, i32, i32)) -> u64 {
    if x == 3 {
        // SAFETY: main made these pipes before the pool forked this worker, and ManuallyDrop only
        // borrows the descriptors, which stay open for the worker's next task.
        let (mut report, mut gate) = unsafe {
            let files = (File::from_raw_fd(report), File::from_raw_fd(gate));
            (std::mem::ManuallyDrop::new(files.0), std::mem::ManuallyDrop::new(files.1))
        };
        let _ = writeln!(report, "item 3 runs in process {}", getpid());
        let _ = gate.read_exact(&mut [0u8; 1]);
    }
    x * x
}

/// The functions this program's pool runs, by name (chapter 5).
static REGISTRY: Registry = Registry { tasks: &[task!(square_at_gate)], entries: &[] };

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    // Pipes made before the pool, so every worker holds them: one for the report, one the gate.
    let (reports, report_end) = nix::unistd::pipe()?;
    let (gate, _gate_end) = nix::unistd::pipe()?; // the gate's write end: held, never written
    let (report_end, gate) = (report_end.into_raw_fd(), gate.into_raw_fd());
    let pool = Pool::new(Some(2))?;
    let mut results = pool.imap(square_at_gate, (0..6).map(|x| (x, report_end, gate)))?.enumerate();
    let mut show = |(x, result): (usize, Result<u64, _>)| match result {
        Ok(value) => println!("square({x}) = {value}"),
        Err(error) => println!("square({x}): {error}"),
    };
    results.by_ref().take(3).for_each(&mut show); // by now, item 3 is out to a worker
    let mut line = String::new();
    BufReader::new(File::from(reports)).read_line(&mut line)?;
    print!("{line}");
    let worker = line.rsplit(' ').next().and_then(|pid| pid.trim().parse().ok()).ok_or("no pid")?;
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(worker), nix::sys::signal::Signal::SIGKILL)?;
    println!("killed process {worker}");
    results.for_each(show);
    Ok(())
}
// ANCHOR_END: main
