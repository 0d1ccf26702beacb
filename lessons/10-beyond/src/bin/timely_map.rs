//! Listing 10-1: the book's map on timely dataflow. Run alone, it starts itself as two processes over
//! loopback and passes on what they print. Each process runs with `-n PROCESSES -p INDEX -h
//! HOSTFILE` (timely's options) and the number of items: process 0 feeds the items in, the exchange
//! spreads them over every worker by their index, each worker squares its share, and a second
//! exchange sends every result to worker 0, which prints them in input order.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use lesson_10_beyond::cluster;
use lesson_10_beyond::work::square;
use timely::dataflow::operators::vec::{Input, Map};
use timely::dataflow::operators::{Exchange, Inspect, Probe};
use timely::dataflow::{InputHandleVec, ProbeHandle};

// ANCHOR: process
/// One process of the computation: squares `items` items with the other processes.
fn process(items: u64) -> Result<(), String> {
    timely::execute_from_args(std::env::args(), move |worker| {
        let me = worker.index();
        // Items go in as (index, item), at one logical time, 0.
        let mut input = InputHandleVec::<u64, (u64, u64)>::new();
        let probe = ProbeHandle::new();
        let results = Rc::new(RefCell::new(Vec::new()));
        let gathered = Rc::clone(&results);
        worker.dataflow(|scope| {
            scope
                .input_from(&mut input)
                .exchange(|&(index, _)| index) // like chunks to workers: the index picks one
                .map(|(index, x)| (index, square(x)))
                .exchange(|_| 0) // every result goes back to worker 0, the "result handler"
                .inspect(move |&pair| gathered.borrow_mut().push(pair))
                .probe_with(&probe);
        });
        if me == 0 {
            for index in 0..items {
                input.send((index, index));
            }
        }
        input.close();
        while !probe.done() {
            worker.step_or_park(None);
        }
        if me == 0 {
            let mut results = results.borrow_mut();
            results.sort_unstable(); // back into input order, by index
            let values: Vec<u64> = results.iter().map(|&(_, value)| value).collect();
            println!("{values:?}");
        }
    })
    .map(drop)
}
// ANCHOR_END: process

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let items: u64 = std::env::args().next_back().and_then(|n| n.parse().ok()).unwrap_or(10);
    if cluster::started_as_process() {
        return Ok(process(items)?);
    }
    // Run alone: be the driver, and start this program as two processes over loopback.
    let run = cluster::run_self(2, &[&items.to_string()], Duration::from_secs(20))?;
    print!("{}", run.outputs.concat());
    if !run.succeeded() {
        return Err(format!("a process failed: {:?}", run.errors).into());
    }
    Ok(())
}
// ANCHOR_END: main
