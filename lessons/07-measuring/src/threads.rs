//! The threads side: the same work done by threads of this process, with `std::thread::scope` or a
//! rayon pool, where a thread version makes sense.
//!
//! Threads share this process, so there is no fork, no pipe and no encoding. But a process with
//! threads may not fork (chapter 1), and the pool forks its workers: after every thread figure,
//! [`settle`] waits until the threads are gone before anything forks again. No figure uses rayon's
//! global pool, whose threads would live as long as the process; each builds a pool of its own and
//! drops it.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::floors::Error;
use crate::pin::{Placement, Restore, pin_to};

/// Waits until this process is single-threaded again: joined threads leave the kernel a moment
/// after `join` returns, and a dropped rayon pool's threads end on their own shortly after.
pub fn settle() -> Result<(), Error> {
    if lesson_01_fork::wait_until_single_threaded(Duration::from_secs(10)) {
        Ok(())
    } else {
        Err("threads were still running ten seconds after their figure".into())
    }
}

/// A rayon pool of `threads` threads, for one round of a figure.
pub fn rayon_pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    Ok(rayon::ThreadPoolBuilder::new().num_threads(threads).build()?)
}

// ANCHOR: thread_start
/// A scoped thread started and joined, running nothing: the threads' `Process` start.
pub fn start_and_join() -> f64 {
    let began = Instant::now();
    std::thread::scope(|scope| {
        scope.spawn(|| {});
    });
    began.elapsed().as_secs_f64()
}
// ANCHOR_END: thread_start

/// Two scoped threads started, each waiting for its channel to close, then closed and joined: the
/// threads' `Pool` start, close and join.
pub fn two_started_and_joined() -> f64 {
    let began = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            let (close, closed) = mpsc::channel::<()>();
            scope.spawn(move || while closed.recv().is_ok() {});
            drop(close);
        }
    });
    began.elapsed().as_secs_f64()
}

// ANCHOR: thread_round_trip
/// `count` round trips of a number to a worker thread that squares it, over two channels: the
/// threads' `apply`. This thread runs on CPU 0, the worker as `placement` says.
pub fn channel_round_trips(placement: Placement, count: usize) -> Result<Vec<f64>, Error> {
    let _restore = Restore::save()?;
    pin_to(0)?;
    let (to_worker, tasks) = mpsc::channel::<u64>();
    let (to_caller, results) = mpsc::channel::<u64>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if pin_to(placement.child_cpu()).is_ok() {
                for n in tasks {
                    if to_caller.send(crate::tasks::square(n)).is_err() {
                        break;
                    }
                }
            }
        });
        let mut times = Vec::with_capacity(count);
        for i in 0..WARM_UP + count {
            let began = Instant::now();
            to_worker.send(i as u64)?;
            results.recv()?;
            if i >= WARM_UP {
                times.push(began.elapsed().as_secs_f64());
            }
        }
        drop(to_worker);
        Ok(times)
    })
}
// ANCHOR_END: thread_round_trip

/// Untimed round trips before the timed ones.
const WARM_UP: usize = 50;
