//! Chapter 10 exercises: what a distributed engine decides for you — where each item goes, how the
//! results come back in order, and when a worker that has gone quiet is lost. Replace each `todo!()`
//! with your code.
//!
//! None of these functions starts a process: they are the decisions an engine's scheduler makes,
//! written as plain functions so that every case can be checked.

// The imports and parameters are the ones your code will need; until then they are unused.
#![allow(unused_imports, unused_variables, unused_mut)]

use std::ops::Range;
use std::time::Duration;

/// Why [`in_input_order`] could not give every result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gathered {
    /// No result came for these items (in increasing order): their worker was lost, and a scheduler
    /// would run them again.
    Lost(Vec<usize>),
    /// A result came for an item that is not in the input: this is its index.
    NotAnItem(usize),
}

// ANCHOR: partitions
/// Cut the items `0..items` into chunks of `chunksize` items (the last one may be shorter) and give
/// chunk `c` to worker `c % workers`, as an exchange keyed by the chunk's number does. Return, for
/// each of the `workers` workers, its chunks in input order.
///
/// With no items, every worker gets no chunk. `workers` or `chunksize` of 0 is an error, with
/// CPython's words: "Number of processes must be at least 1" and "Chunksize must be 1+, not 0".
pub fn partitions(items: usize, workers: usize, chunksize: usize) -> Result<Vec<Vec<Range<usize>>>, String> {
    if workers == 0 {
        return Err("Number of processes must be at least 1".to_string());
    }
    if chunksize == 0 {
        return Err("Chunksize must be 1+, not 0".to_string());
    }
    let mut given = vec![Vec::new(); workers];
    for (chunk, start) in (0..items).step_by(chunksize).enumerate() {
        given[chunk % workers].push(start..(start + chunksize).min(items));
    }
    Ok(given)
}
// ANCHOR_END: partitions

// ANCHOR: in_input_order
/// Put the results of `count` items back in input order. They arrive from the workers in any order,
/// each with the index of its item; an item that ran twice (a scheduler ran it again after losing
/// its worker) may come twice: keep the first.
///
/// If an index is `count` or more, give `Gathered::NotAnItem` with it; otherwise, if some items have
/// no result, give `Gathered::Lost` with all of them.
pub fn in_input_order<T>(results: Vec<(usize, T)>, count: usize) -> Result<Vec<T>, Gathered> {
    let mut slots: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (index, value) in results {
        let slot = slots.get_mut(index).ok_or(Gathered::NotAnItem(index))?;
        if slot.is_none() {
            *slot = Some(value);
        }
    }
    let lost: Vec<usize> = slots.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(i, _)| i).collect();
    if !lost.is_empty() {
        return Err(Gathered::Lost(lost));
    }
    Ok(slots.into_iter().flatten().collect())
}
// ANCHOR_END: in_input_order

// ANCHOR: lost_workers
/// Which of the workers `0..workers` does a scheduler take for lost at time `now`? Each of `beats`,
/// the heartbeats, is `(worker, when it arrived)`, in the order the scheduler read them, which need
/// not be the order they were sent. A worker is lost when more than `ttl` (its time to live) has
/// passed since its latest heartbeat, or, if none came, since the start (time zero). Return the lost
/// workers in increasing order.
///
/// A heartbeat from a worker that is not one of `0..workers` counts for no one.
pub fn lost_workers(beats: &[(usize, Duration)], workers: usize, now: Duration, ttl: Duration) -> Vec<usize> {
    let mut latest = vec![Duration::ZERO; workers];
    for &(worker, at) in beats {
        if let Some(last) = latest.get_mut(worker) {
            *last = (*last).max(at);
        }
    }
    (0..workers).filter(|&w| now.saturating_sub(latest[w]) > ttl).collect()
}
// ANCHOR_END: lost_workers
