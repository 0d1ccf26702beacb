//! Listing 6-1: a pool of 4 workers and 5 tasks. Tasks 0–3 start at once; task 4 waits until a worker
//! is free, and runs on that worker. Gates decide when each task ends — here in the order 2, 3, 0, 1, 4
//! — so the run is the same every time. Given a path, it also draws the run as an SVG timeline there.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{BorrowedFd, FromRawFd, IntoRawFd};

use lesson_01_fork::getpid;
use lesson_05_start_methods::{Registry, init, task};
use lesson_06_pool::job::Event;
use lesson_06_pool::{Pool, timeline};

/// A task: say "task `index` runs in this worker", then wait for the gate, then end.
fn long_time_task((index, report, gate): (u32, i32, i32)) -> u32 {
    // SAFETY: main made these pipes before the pool forked this worker; ManuallyDrop only borrows
    // the descriptors, which stay open for the worker's next task.
    let (mut report, mut gate) = unsafe {
        let files = (File::from_raw_fd(report), File::from_raw_fd(gate));
        (std::mem::ManuallyDrop::new(files.0), std::mem::ManuallyDrop::new(files.1))
    };
    let mut line = [0u8; 8];
    line[..4].copy_from_slice(&index.to_le_bytes());
    line[4..].copy_from_slice(&getpid().as_raw().to_le_bytes());
    let _ = report.write_all(&line);
    let _ = gate.read_exact(&mut [0u8; 1]);
    index
}

/// Reads one "task started" report: (task, worker pid).
fn started(reports: &mut File) -> std::io::Result<(u32, i32)> {
    let mut line = [0u8; 8];
    reports.read_exact(&mut line)?;
    let field = |at: usize| <[u8; 4]>::try_from(&line[at..at + 4]).unwrap_or_default();
    Ok((u32::from_le_bytes(field(0)), i32::from_le_bytes(field(4))))
}

/// The functions this program's pool runs, by name (chapter 5).
static REGISTRY: Registry = Registry { tasks: &[task!(long_time_task)], entries: &[] };

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    println!("Parent process {}.", getpid());
    // Pipes made before the pool, so every worker holds them: one for "started" reports, one gate a task.
    let (reports, report_end) = nix::unistd::pipe()?;
    let (mut reports, report_end) = (File::from(reports), report_end.into_raw_fd());
    let gates: Vec<(i32, i32)> = (0..5)
        .map(|_| nix::unistd::pipe().map(|(read, write)| (read.into_raw_fd(), write.into_raw_fd())))
        .collect::<Result<_, _>>()?;

    let pool = Pool::new(Some(4))?;
    let tasks: Vec<_> = (0..5)
        .map(|i| pool.apply_async(long_time_task, (i as u32, report_end, gates[i].0)))
        .collect::<Result<_, _>>()?;
    println!("Waiting for all subprocesses done...");
    let mut first: Vec<(u32, i32)> = (0..4).map(|_| started(&mut reports)).collect::<Result<_, _>>()?;
    first.sort(); // they start together; print them in task order
    // What this program sees, in order, for the timeline picture: each start its workers report, each end.
    let mut seen = Vec::new();
    for (task, worker) in first {
        println!("Run task {task} ({worker})...");
        seen.push(Event { job: task.into(), worker, started: true });
    }
    for task in [2, 3, 0, 1, 4] {
        // SAFETY: the gate's write end stays open until the program ends.
        nix::unistd::write(unsafe { BorrowedFd::borrow_raw(gates[task].1) }, b"!")?;
        tasks[task].get()?;
        println!("Task {task} is done.");
        seen.push(Event { job: task as u64, worker: 0, started: false });
        if task == 2 {
            let (next, worker) = started(&mut reports)?;
            println!("Run task {next} ({worker})...");
            seen.push(Event { job: next.into(), worker, started: true });
        }
    }
    pool.close();
    pool.join()?;
    println!("All subprocesses done.");
    if let Some(path) = std::env::args().nth(1) {
        std::fs::write(path, timeline::svg(&seen, |job| format!("task {job}")))?;
    }
    Ok(())
}
// ANCHOR_END: main
