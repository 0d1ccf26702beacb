//! Listing 10-2: the seed's pool of 4 and 5 tasks, on timely dataflow. Run alone, the program starts
//! itself as four processes over loopback and drives them. The exchange gives task `i` to worker
//! `i % 4` before anything runs, so task 4 waits for task 0's worker, not for the first worker that
//! is free. Each task says when it starts, waits at its process's gate, then says it is done; the
//! driver opens the gates in the order 2, 3, 0, 1, 4, as Listing 6-1 does.

use std::io::BufRead;
use std::time::Duration;

use lesson_10_beyond::cluster::{self, Cluster};
use lesson_10_beyond::hosts::HostFile;
use timely::dataflow::InputHandleVec;
use timely::dataflow::ProbeHandle;
use timely::dataflow::operators::vec::{Input, Map};
use timely::dataflow::operators::{Exchange, Probe};

/// How long the driver waits for a process to print, or to end.
const LIMIT: Duration = Duration::from_secs(10);

// ANCHOR: process
/// One process of the computation: runs the tasks the exchange gives its worker, one by one.
fn process() -> Result<(), String> {
    timely::execute_from_args(std::env::args(), |worker| {
        let mut input = InputHandleVec::<u32, u32>::new();
        let probe = ProbeHandle::new();
        worker.dataflow(|scope| {
            scope
                .input_from(&mut input)
                .exchange(|&task| task.into()) // task i to worker i % 4, decided up front
                .map(|task| {
                    println!("Run task {task} ({})...", std::process::id());
                    let _ = std::io::stdin().lock().read_line(&mut String::new()); // the gate
                    println!("Task {task} is done.");
                })
                .probe_with(&probe);
        });
        if worker.index() == 0 {
            (0..5).for_each(|task| input.send(task));
        }
        input.close();
        while !probe.done() {
            worker.step_or_park(None);
        }
    })
    .map(drop)
}
// ANCHOR_END: process

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    if cluster::started_as_process() {
        return Ok(process()?);
    }
    println!("Driver process {}.", std::process::id());
    let hosts = HostFile::loopback(4)?;
    let mut cluster = Cluster::start(&std::env::current_exe()?, hosts.path(), 4, &[])?;
    let mut first = Vec::new();
    for _ in 0..4 {
        first.push(cluster.line(LIMIT)?.1);
    }
    first.sort(); // they start together; print them in task order
    first.iter().for_each(|line| println!("{line}"));
    for task in [2, 3, 0, 1, 4] {
        cluster.open_gate(task % 4)?;
        println!("{}", cluster.line(LIMIT)?.1); // "Task {task} is done."
        if task == 0 {
            println!("{}", cluster.line(LIMIT)?.1); // task 4 starts on task 0's worker
        }
    }
    let run = cluster.wait(LIMIT)?;
    println!("All processes {}.", if run.succeeded() { "succeeded" } else { "did not succeed" });
    Ok(())
}
// ANCHOR_END: main
