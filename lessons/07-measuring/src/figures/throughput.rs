//! Many tasks at once: `apply_async` of many tiny tasks, all submitted and then all collected, and
//! `map` over many integers, on a pool of two workers (not pinned).

use std::time::Instant;

use lesson_06_pool::Pool;
use rayon::prelude::*;

use super::{Bench, Row, thousands};
use crate::floors::Error;
use crate::tasks::square;
use crate::threads;

// ANCHOR: apply_async
/// `count` calls of `apply_async(square, n)`, then every result collected: the total time.
pub fn apply_async_all(pool: &Pool, count: u64) -> Result<f64, Error> {
    let began = Instant::now();
    let handles = (0..count).map(|n| pool.apply_async(square, n)).collect::<Result<Vec<_>, _>>()?;
    for (n, handle) in (0..count).zip(&handles) {
        if handle.get()? != n * n {
            return Err(format!("apply_async(square, {n}) gave a wrong result").into());
        }
    }
    Ok(began.elapsed().as_secs_f64())
}
// ANCHOR_END: apply_async

/// The same with rayon: one `spawn` per task in a scope, each writing its own result.
pub fn rayon_spawn_all(pool: &rayon::ThreadPool, count: u64) -> f64 {
    let mut results = vec![0u64; count as usize];
    let began = Instant::now();
    pool.scope(|scope| {
        for (n, slot) in (0..count).zip(results.iter_mut()) {
            scope.spawn(move |_| *slot = square(n));
        }
    });
    began.elapsed().as_secs_f64()
}

// ANCHOR: map
/// `map(square, 0..count)` with `chunk` items a task, or CPython's default chunk size if `None`.
pub fn map_squares(pool: &Pool, count: u64, chunk: Option<usize>) -> Result<f64, Error> {
    let began = Instant::now();
    let squares = match chunk {
        Some(chunk) => pool.map_chunked(square, 0..count, chunk)?,
        None => pool.map(square, 0..count)?,
    };
    let took = began.elapsed().as_secs_f64();
    check_squares(&squares, count)?;
    Ok(took)
}
// ANCHOR_END: map

/// The same with two scoped threads, each squaring half the range into a list of its own, the two
/// lists then joined.
pub fn threads_map_squares(count: u64) -> Result<f64, Error> {
    let began = Instant::now();
    let half = count / 2;
    let squares = std::thread::scope(|scope| {
        let first = scope.spawn(move || (0..half).map(square).collect::<Vec<u64>>());
        let mut second: Vec<u64> = (half..count).map(square).collect();
        let mut squares = first.join().expect("a squaring thread panicked");
        squares.append(&mut second);
        squares
    });
    let took = began.elapsed().as_secs_f64();
    check_squares(&squares, count)?;
    Ok(took)
}

/// The same with rayon's parallel iterator, which splits the range as it sees fit.
pub fn rayon_map_squares(pool: &rayon::ThreadPool, count: u64) -> Result<f64, Error> {
    let began = Instant::now();
    let squares: Vec<u64> = pool.install(|| (0..count).into_par_iter().map(square).collect());
    let took = began.elapsed().as_secs_f64();
    check_squares(&squares, count)?;
    Ok(took)
}

/// Fails unless `squares` holds the squares of `0..count`, in order.
fn check_squares(squares: &[u64], count: u64) -> Result<(), Error> {
    if squares.len() as u64 != count || squares.iter().enumerate().any(|(n, &s)| s != (n as u64).pow(2)) {
        return Err("a map gave wrong squares".into());
    }
    Ok(())
}

/// `apply_async` and the three maps.
pub fn measure(bench: &Bench) -> Result<Vec<Row>, Error> {
    let sizes = bench.sizes;
    let mut apply_async = Row::new("apply_async", format!("apply_async × {}", thousands(sizes.async_tasks)));
    for _ in 0..sizes.rounds {
        let pool = warm_pool()?;
        apply_async.ours.push(vec![apply_async_all(&pool, sizes.async_tasks)?]);
        finish(pool)?;
        let args = [sizes.async_tasks.to_string()];
        if let Some(cpython) = bench.cpython("apply_async", 1, &args)? {
            apply_async.cpython.push(cpython.times);
        }
        let rayon = threads::rayon_pool(2)?;
        apply_async.rayon.push(vec![rayon_spawn_all(&rayon, sizes.async_tasks)]);
        drop(rayon);
        threads::settle()?;
    }

    let maps = [
        ("map_chunk", sizes.map_large, Some(sizes.map_chunk)),
        ("map_default", sizes.map_large, None),
        ("map_small", sizes.map_small, None),
    ];
    let mut rows: Vec<Row> = maps
        .iter()
        .map(|&(id, count, chunk)| {
            let chunk =
                chunk.map_or("default chunk".to_string(), |c| format!("chunk {}", thousands(c as u64)));
            Row::new(id, format!("map {}, {chunk}", thousands(count)))
        })
        .collect();
    for _ in 0..sizes.rounds {
        for (row, &(_, count, chunk)) in rows.iter_mut().zip(&maps) {
            let pool = warm_pool()?;
            row.ours.push(vec![map_squares(&pool, count, chunk)?]);
            finish(pool)?;
            let args = [count.to_string(), chunk.map_or("default".to_string(), |c| c.to_string())];
            if let Some(cpython) = bench.cpython("map", 1, &args)? {
                row.cpython.push(cpython.times);
            }
            // Threads have no chunk size to choose: they run with the default-chunk rows.
            if chunk.is_none() {
                row.threads.push(vec![threads_map_squares(count)?]);
                let rayon = threads::rayon_pool(2)?;
                row.rayon.push(vec![rayon_map_squares(&rayon, count)?]);
                drop(rayon);
                threads::settle()?;
            }
        }
    }
    rows.insert(0, apply_async);
    Ok(rows)
}

/// A pool of two whose workers have each run a task, so that their start is not timed.
fn warm_pool() -> Result<Pool<'static>, Error> {
    let pool = Pool::new(Some(2))?;
    pool.map_chunked(square, 0..4u64, 1)?;
    Ok(pool)
}

/// Closes the pool and waits for its workers to end.
fn finish(pool: Pool) -> Result<(), Error> {
    pool.close();
    Ok(pool.join()?)
}
