//! The timed round on timely: Listing 10-1's dataflow, kept for the whole run, with one epoch (one
//! logical time) a round. Worker 0 waits at a gate before each round, feeds the items in, advances
//! its input to the next epoch, and steps until the probe says the epoch is complete: every result
//! of the round has then reached worker 0. The other workers only step.
//!
//! Every worker steps with `step_or_park`, not Listing 10-1's `step`: an idle worker sleeps until
//! data comes instead of spinning. The figures take turns, and a spinning worker would take a core
//! from the one being timed: measured so, `Pool(2)`'s map took twice as long.
//!
//! The same function serves every timely figure: worker threads of one process (timely's `-w 1`
//! or `-w 2`) and two processes over loopback TCP (`-n 2 -p i -h hosts`).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use timely::dataflow::operators::vec::{Input, Map};
use timely::dataflow::operators::{Exchange, Inspect, Probe};
use timely::dataflow::{InputHandleVec, ProbeHandle};
use timely::worker::Worker;

use crate::work::square;

/// What worker 0 measured in one round.
#[derive(Debug)]
pub struct Round {
    /// From the first item fed in to the results in input order, in seconds.
    pub seconds: f64,
    /// The results, in input order.
    pub values: Vec<u64>,
}

/// Runs rounds on `worker` until `gate` says stop: each round maps `items` items and, on worker 0,
/// is given to `report`. `gate` is only called on worker 0, before each round.
pub fn serve_rounds(
    worker: &mut Worker,
    items: u64,
    mut gate: impl FnMut() -> bool,
    mut report: impl FnMut(Round),
) {
    let mut input = InputHandleVec::<u64, (u64, u64)>::new();
    let probe = ProbeHandle::new();
    let gathered = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&gathered);
    worker.dataflow(|scope| {
        scope
            .input_from(&mut input)
            .exchange(|&(index, _)| index)
            .map(|(index, x)| (index, square(x)))
            .exchange(|_| 0)
            .inspect(move |&pair| sink.borrow_mut().push(pair))
            .probe_with(&probe);
    });
    if worker.index() == 0 {
        while gate() {
            // ANCHOR: round
            let began = Instant::now();
            for index in 0..items {
                input.send((index, index));
            }
            let next = input.time() + 1;
            input.advance_to(next); // this round's epoch is closed: no more items at its time
            while probe.less_than(input.time()) {
                worker.step_or_park(None); // until every result of the epoch has reached worker 0
            }
            let values = in_order(&mut gathered.borrow_mut(), items);
            let seconds = began.elapsed().as_secs_f64();
            // ANCHOR_END: round
            report(Round { seconds, values });
        }
    }
    input.close();
    while !probe.done() {
        worker.step_or_park(None);
    }
}

/// The round's results, taken out of `pairs` and put in input order by their index. If they are not
/// exactly one for each index, they come back as they arrived, which no check takes for right.
fn in_order(pairs: &mut Vec<(u64, u64)>, items: u64) -> Vec<u64> {
    let mut values = vec![u64::MAX; pairs.len()]; // no square of an index below 2^32 is u64::MAX
    if pairs.len() as u64 == items {
        for &(index, value) in pairs.iter() {
            if let Some(slot) = values.get_mut(index as usize) {
                *slot = value;
            }
        }
    } else {
        values = pairs.iter().map(|&(_, value)| value).collect();
    }
    pairs.clear();
    values
}
