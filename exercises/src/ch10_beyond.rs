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
    todo!()
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
    todo!()
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
    todo!()
}
// ANCHOR_END: lost_workers
