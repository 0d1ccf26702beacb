//! Listing 10-4: a process of a timely computation killed in the middle of its work. Run alone, the
//! program starts itself as two processes over loopback; process 1 says when it runs item 3 and
//! then waits at its gate, and this driver kills it there. Process 0 loses its connection, and the
//! whole computation fails.

use std::cell::RefCell;
use std::io::BufRead;
use std::rc::Rc;
use std::time::Duration;

use lesson_10_beyond::cluster::{self, Cluster};
use lesson_10_beyond::hosts::HostFile;
use lesson_10_beyond::work::square;
use timely::dataflow::InputHandleVec;
use timely::dataflow::operators::vec::{Input, Map};
use timely::dataflow::operators::{Exchange, Inspect};

/// How long the driver waits for a process to print, or to end.
const LIMIT: Duration = Duration::from_secs(10);

/// One process of the computation: squares 0..6 spread by index, as Listing 10-1 does.
fn process() -> Result<(), String> {
    timely::execute_from_args(std::env::args(), |worker| {
        let mut input = InputHandleVec::<u64, u64>::new();
        let results = Rc::new(RefCell::new(Vec::new()));
        let gathered = Rc::clone(&results);
        worker.dataflow(|scope| {
            scope
                .input_from(&mut input)
                .exchange(|&x| x)
                .map(|x| {
                    if x == 3 {
                        println!("item 3 runs in process {}", std::process::id());
                        let _ = std::io::stdin().lock().read_line(&mut String::new()); // the gate
                    }
                    (x, square(x))
                })
                .exchange(|_| 0)
                .inspect(move |&pair| gathered.borrow_mut().push(pair));
        });
        if worker.index() == 0 {
            (0..6).for_each(|x| input.send(x));
        }
        input.close();
        while worker.step_or_park(None) {}
        if worker.index() == 0 {
            results.borrow_mut().sort_unstable();
            println!("results: {:?}", results.borrow());
        }
    })
    .map(drop)
}

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    if cluster::started_as_process() {
        return Ok(process()?);
    }
    let hosts = HostFile::loopback(2)?;
    let mut cluster = Cluster::start(&std::env::current_exe()?, hosts.path(), 2, &[])?;
    let victim = loop {
        let (index, line) = cluster.line(LIMIT)?;
        println!("process {index}: {line}");
        if line.starts_with("item 3 runs") {
            break index;
        }
    };
    println!("killed process {victim}: {}", cluster.kill(victim)?);
    let run = cluster.wait(LIMIT)?;
    for (index, (status, errors)) in run.statuses.iter().zip(&run.errors).enumerate() {
        if index == victim {
            continue;
        }
        println!("process {index} {}", if status.success() { "succeeded" } else { "failed" });
        // Its first panic, without the cause (socket closed, or reset), which depends on timing.
        if let Some(line) = errors.lines().find(|l| l.starts_with("timely communication error")) {
            println!("process {index} said: {}", line.splitn(3, ": ").take(2).collect::<Vec<_>>().join(": "));
        }
    }
    Ok(())
}
// ANCHOR_END: main
