//! Starting processes: the fork floor, chapter 3's `Process`, and chapter 6's `Pool`, against
//! CPython's and against threads.

use std::time::Instant;

use lesson_03_process::Process;
use lesson_06_pool::Pool;

use super::{Bench, Row, Unit, repeat};
use crate::faults::faults_of;
use crate::floors::{Error, fork_exit_wait};
use crate::threads;

// ANCHOR: process
/// Our `Process` running an empty function: start, then join.
pub fn process_start_join() -> Result<f64, Error> {
    let began = Instant::now();
    let mut process = Process::new(|| ());
    process.start()?;
    process.join()?;
    Ok(began.elapsed().as_secs_f64())
}

/// A pool of two workers made, closed and joined, with no task.
pub fn pool_start_close_join() -> Result<f64, Error> {
    let began = Instant::now();
    let pool = Pool::new(Some(2))?;
    pool.close();
    pool.join()?;
    drop(pool);
    Ok(began.elapsed().as_secs_f64())
}
// ANCHOR_END: process

/// The fork floor, `Process`, and a pool's start.
pub fn measure(bench: &Bench) -> Result<Vec<Row>, Error> {
    let sizes = bench.sizes;
    let mut fork = Row::new("fork_floor", "fork floor");
    for _ in 0..sizes.rounds {
        fork.ours.push(repeat(sizes.forks, fork_exit_wait)?);
        if let Some(cpython) = bench.cpython("fork_floor", sizes.forks, &[])? {
            fork.cpython.push(cpython.times);
        }
    }

    // ANCHOR: rounds
    let mut process = Row::new("process", "Process: start, join").with_floor("fork_floor", 1.0, "fork floor");
    for _ in 0..sizes.rounds {
        process.ours.push(repeat(sizes.processes, process_start_join)?);
        if let Some(cpython) = bench.cpython("process", sizes.processes, &[])? {
            process.cpython.push(cpython.times);
        }
        process.threads.push(repeat(sizes.processes, || Ok(threads::start_and_join()))?);
        threads::settle()?;
    }
    // ANCHOR_END: rounds

    let mut pool =
        Row::new("pool_start", "Pool(2): start, close, join").with_floor("fork_floor", 2.0, "two forks");
    for _ in 0..sizes.rounds {
        pool.ours.push(repeat(sizes.pool_starts, pool_start_close_join)?);
        if let Some(cpython) = bench.cpython("pool_start", sizes.pool_starts, &[])? {
            pool.cpython.push(cpython.times);
        }
        pool.threads.push(repeat(sizes.pool_starts, || Ok(threads::two_started_and_joined()))?);
        threads::settle()?;
    }

    // ANCHOR: faults
    let counted = |id, label: &str| Row { unit: Unit::Faults, ..Row::new(id, label) };
    let mut fork_faults = counted("fork_faults", "fork floor: page faults");
    let mut process_faults =
        counted("process_faults", "Process: page faults").with_floor("fork_faults", 1.0, "fork floor");
    let mut pool_faults =
        counted("pool_start_faults", "Pool(2): page faults").with_floor("fork_faults", 2.0, "two forks");
    for _ in 0..sizes.rounds {
        fork_faults.ours.push(repeat(sizes.forks, || faults_of(fork_exit_wait))?);
        process_faults.ours.push(repeat(sizes.processes, || faults_of(process_start_join))?);
        pool_faults.ours.push(repeat(sizes.pool_starts, || faults_of(pool_start_close_join))?);
    }
    // ANCHOR_END: faults
    Ok(vec![fork, process, pool, fork_faults, process_faults, pool_faults])
}
