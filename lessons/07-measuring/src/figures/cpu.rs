//! CPU-bound work: counting the primes below a bound, cut into ranges, on one core, on pools of 1
//! and 2 processes (ours and CPython's), on 1 and 2 scoped threads, and on rayon pools of 1 and 2.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use lesson_06_pool::Pool;
use rayon::prelude::*;

use super::{Bench, Row, thousands};
use crate::floors::Error;
use crate::tasks::{count_primes, prime_ranges};
use crate::threads;

/// How many processes or threads the scaling rows use.
pub const WORKERS: [usize; 2] = [1, 2];

// ANCHOR: cpu
/// The plain loop: every range in turn, in this process.
pub fn one_core(ranges: &[(u64, u64)]) -> (f64, u64) {
    let began = Instant::now();
    let primes = ranges.iter().copied().map(count_primes).sum();
    (began.elapsed().as_secs_f64(), primes)
}

/// Our pool: one task per range, taken by whichever worker is free.
pub fn pool_count(pool: &Pool, ranges: &[(u64, u64)]) -> Result<(f64, u64), Error> {
    let began = Instant::now();
    let primes = pool.map_chunked(count_primes, ranges.iter().copied(), 1)?.into_iter().sum();
    Ok((began.elapsed().as_secs_f64(), primes))
}

/// `threads` scoped threads, each taking the next range from a shared counter until none is left.
pub fn threads_count(ranges: &[(u64, u64)], threads: usize) -> (f64, u64) {
    let began = Instant::now();
    let next = AtomicUsize::new(0);
    let primes = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut primes = 0;
                    while let Some(&range) = ranges.get(next.fetch_add(1, Ordering::Relaxed)) {
                        primes += count_primes(range);
                    }
                    primes
                })
            })
            .collect();
        workers.into_iter().map(|worker| worker.join().expect("a counting thread panicked")).sum()
    });
    (began.elapsed().as_secs_f64(), primes)
}

/// Rayon's parallel iterator over the ranges, on a pool of its own.
pub fn rayon_count(pool: &rayon::ThreadPool, ranges: &[(u64, u64)]) -> (f64, u64) {
    let began = Instant::now();
    let primes = pool.install(|| ranges.par_iter().map(|&range| count_primes(range)).sum());
    (began.elapsed().as_secs_f64(), primes)
}
// ANCHOR_END: cpu

/// The one-core row, then one row for each number of workers.
pub fn measure(bench: &Bench) -> Result<Vec<Row>, Error> {
    let sizes = bench.sizes;
    let ranges = prime_ranges(sizes.primes_below, sizes.prime_chunks);
    let what = format!("primes < {}", thousands(sizes.primes_below));
    let mut alone = Row::new("primes_one_core", format!("{what}, one core"));
    let mut rows: Vec<Row> = WORKERS
        .iter()
        .map(|&k| {
            let id = if k == 1 { "primes_1" } else { "primes_2" };
            Row::new(id, format!("{what}, k = {k}")).with_floor("primes_one_core", 1.0, "one core")
        })
        .collect();
    let mut expected = None;
    let mut check = |primes: u64| -> Result<(), Error> {
        match *expected.get_or_insert(primes) {
            same if same == primes => Ok(()),
            other => Err(format!("one count of primes gave {primes}, another {other}").into()),
        }
    };
    for _ in 0..sizes.cpu_rounds {
        let (seconds, primes) = one_core(&ranges);
        check(primes)?;
        alone.ours.push(vec![seconds]);
        for (row, &k) in rows.iter_mut().zip(&WORKERS) {
            let pool = Pool::new(Some(k))?;
            pool.map_chunked(count_primes, [(0, 10); 4], 1)?;
            let (seconds, primes) = pool_count(&pool, &ranges)?;
            pool.close();
            pool.join()?;
            check(primes)?;
            row.ours.push(vec![seconds]);

            let args = [sizes.primes_below.to_string(), sizes.prime_chunks.to_string(), k.to_string()];
            if let Some(cpython) = bench.cpython("primes", 1, &args)? {
                check(cpython.result.ok_or("measure.py primes printed no result")?)?;
                row.cpython.push(cpython.times);
            }

            let (seconds, primes) = threads_count(&ranges, k);
            check(primes)?;
            row.threads.push(vec![seconds]);
            let rayon = threads::rayon_pool(k)?;
            let (seconds, primes) = rayon_count(&rayon, &ranges);
            drop(rayon);
            check(primes)?;
            row.rayon.push(vec![seconds]);
            threads::settle()?;
        }
    }
    rows.insert(0, alone);
    Ok(rows)
}
