//! `AsyncResult`: a handle on the result of a task, or of the chunks of a `map`.

use std::marker::PhantomData;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use crate::error::PoolError;
use crate::job::{JobId, Outcome};
use crate::pool::Pool;

// ANCHOR: async_result
/// The result of a task submitted with `apply_async`, as Python's `AsyncResult`.
pub struct AsyncResult<'pool, R> {
    pool: &'pool Pool,
    jobs: Vec<JobId>,
    result: PhantomData<fn() -> R>,
}
// ANCHOR_END: async_result

impl<'pool, R: DeserializeOwned> AsyncResult<'pool, R> {
    /// A handle on the jobs `jobs` of `pool`, whose results are each an `R`.
    pub(crate) fn new(pool: &'pool Pool, jobs: Vec<JobId>) -> Self {
        AsyncResult { pool, jobs, result: PhantomData }
    }

    /// Whether every job has ended, after letting the pool deal with what has come in.
    pub fn ready(&self) -> bool {
        self.pool.pump(Some(Duration::ZERO));
        self.jobs.iter().all(|&job| self.pool.outcome(job).is_some())
    }

    /// Waits until the result is ready.
    pub fn wait(&self) {
        while !self.jobs.iter().all(|&job| self.pool.outcome(job).is_some()) {
            self.pool.pump(None);
        }
    }

    /// Waits at most `limit` for the result; returns whether it is ready.
    pub fn wait_timeout(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            if self.jobs.iter().all(|&job| self.pool.outcome(job).is_some()) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            self.pool.pump(Some(left));
        }
    }

    /// Whether the task succeeded; [`PoolError::NotReady`] before it has ended.
    pub fn successful(&self) -> Result<bool, PoolError> {
        if !self.ready() {
            return Err(PoolError::NotReady);
        }
        Ok(self.outcomes().iter().all(Result::is_ok))
    }

    /// Waits for the result and returns it, or the task's error.
    pub fn get(&self) -> Result<R, PoolError> {
        self.wait();
        self.decoded().map(|mut values| values.remove(0))
    }

    /// As `get`, but gives up with [`PoolError::Timeout`] after `limit`.
    pub fn get_timeout(&self, limit: Duration) -> Result<R, PoolError> {
        if !self.wait_timeout(limit) {
            return Err(PoolError::Timeout);
        }
        self.decoded().map(|mut values| values.remove(0))
    }

    /// Waits for every job and returns their results in order, or the first failure.
    pub(crate) fn get_all(&self) -> Result<Vec<R>, PoolError> {
        self.wait();
        self.decoded()
    }

    fn outcomes(&self) -> Vec<Outcome> {
        self.jobs.iter().filter_map(|&job| self.pool.outcome(job)).collect()
    }

    fn decoded(&self) -> Result<Vec<R>, PoolError> {
        self.outcomes().into_iter().map(|outcome| Ok(postcard::from_bytes::<R>(&outcome?)?)).collect()
    }
}

/// The result of a `map_async`: the results of all its chunks, in input order.
pub struct MapResult<'pool, T> {
    chunks: AsyncResult<'pool, Vec<T>>,
}

impl<'pool, T: DeserializeOwned> MapResult<'pool, T> {
    /// A handle on the chunk jobs `jobs`, each giving a `Vec<T>`.
    pub(crate) fn new(pool: &'pool Pool, jobs: Vec<JobId>) -> Self {
        MapResult { chunks: AsyncResult::new(pool, jobs) }
    }

    /// Whether every chunk has ended.
    pub fn ready(&self) -> bool {
        self.chunks.ready()
    }

    /// Whether every chunk succeeded; [`PoolError::NotReady`] before all have ended.
    pub fn successful(&self) -> Result<bool, PoolError> {
        self.chunks.successful()
    }

    /// Waits for every chunk and returns all the results in input order, or the first failure.
    pub fn get(&self) -> Result<Vec<T>, PoolError> {
        self.chunks.get_all().map(|chunks| chunks.into_iter().flatten().collect())
    }

    /// As `get`, but gives up with [`PoolError::Timeout`] after `limit`.
    pub fn get_timeout(&self, limit: Duration) -> Result<Vec<T>, PoolError> {
        if !self.chunks.wait_timeout(limit) {
            return Err(PoolError::Timeout);
        }
        self.get()
    }
}
