//! Round trips: the pipe floor, and `apply` of a tiny task on a pool of one, each with both ends on
//! one core and on two.

use std::time::Instant;

use lesson_06_pool::Pool;

use super::{Bench, Row};
use crate::floors::{Error, pipe_round_trips};
use crate::pin::{Placement, Restore, pin_to};
use crate::tasks::square;
use crate::threads;

// ANCHOR: apply
/// `count` calls of `apply(square, n)` on a pool of one worker, timed one by one. The pool's process
/// is pinned before the pool is made, so that its worker inherits the mask — CPU 0 for one core,
/// CPU 1 for two — and then pinned to CPU 0.
pub fn apply_round_trips(placement: Placement, count: usize) -> Result<Vec<f64>, Error> {
    let _restore = Restore::save()?;
    pin_to(placement.child_cpu())?;
    let pool = Pool::new(Some(1))?;
    pin_to(0)?;
    let mut times = Vec::with_capacity(count);
    for n in 0..(WARM_UP + count) as u64 {
        let began = Instant::now();
        let squared: u64 = pool.apply(square, n)?;
        let took = began.elapsed().as_secs_f64();
        if squared != n * n {
            return Err(format!("apply(square, {n}) gave {squared}").into());
        }
        if n >= WARM_UP as u64 {
            times.push(took);
        }
    }
    pool.close();
    pool.join()?;
    Ok(times)
}
// ANCHOR_END: apply

/// Untimed calls before the timed ones.
const WARM_UP: usize = 50;

/// The pipe floor and `apply`, in each placement this machine allows: the floors first.
pub fn measure(bench: &Bench) -> Result<Vec<Row>, Error> {
    let sizes = bench.sizes;
    let placements: &[Placement] = if bench.two_cores() { &Placement::BOTH } else { &Placement::BOTH[..1] };
    let mut rows = Vec::new();
    for &placement in placements {
        let mut pipe = Row::new(pipe_id(placement), format!("pipe floor, {}", placement.words()));
        for _ in 0..sizes.rounds {
            pipe.ours.push(pipe_round_trips(placement, sizes.round_trips)?);
            let args = [placement.name().to_string()];
            if let Some(cpython) = bench.cpython("pipe_floor", sizes.round_trips, &args)? {
                pipe.cpython.push(cpython.times);
            }
        }
        rows.push(pipe);
    }
    for &placement in placements {
        let id = match placement {
            Placement::OneCore => "apply_one",
            Placement::TwoCores => "apply_two",
        };
        let mut apply = Row::new(id, format!("apply, pool of 1, {}", placement.words())).with_floor(
            pipe_id(placement),
            1.0,
            "pipe floor",
        );
        for _ in 0..sizes.rounds {
            apply.ours.push(apply_round_trips(placement, sizes.applies)?);
            let args = [placement.name().to_string()];
            if let Some(cpython) = bench.cpython("apply", sizes.applies, &args)? {
                apply.cpython.push(cpython.times);
            }
            apply.threads.push(threads::channel_round_trips(placement, sizes.applies)?);
            threads::settle()?;
        }
        rows.push(apply);
    }
    Ok(rows)
}

/// The id of the pipe floor's row in `placement`.
fn pipe_id(placement: Placement) -> &'static str {
    match placement {
        Placement::OneCore => "pipe_one",
        Placement::TwoCores => "pipe_two",
    }
}
