//! `map`, `starmap` and their asynchronous forms: one function over many items, in chunks. One path
//! serves them all, as CPython's `_map_async` does.

use std::cell::RefCell;
use std::rc::Rc;

use lesson_05_start_methods::registry::Function;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::async_result::MapResult;
use crate::error::PoolError;
use crate::gather::Gathered;
use crate::job::{Callback, JobId, Outcome};
use crate::pool::Pool;
use crate::task::Task;

impl<'m> Pool<'m> {
    // ANCHOR: map_path
    /// Submits `items` in chunks of `chunksize` (CPython's default if `None`), one task per chunk,
    /// with the callback `callback(i)` gives chunk `i`. Every call of the `map` family comes here.
    fn submit_chunks<F: 'static, A: Serialize>(
        &self,
        function: &F,
        items: Vec<A>,
        chunksize: Option<usize>,
        mut callback: impl FnMut(usize) -> Option<Callback>,
    ) -> Result<Vec<JobId>, PoolError> {
        self.engine.check_running()?;
        let size = match chunksize {
            Some(0) => return Err(PoolError::ChunkSize(0)),
            Some(size) => size,
            None => self.default_chunksize(items.len()),
        };
        // Each chunk goes to the queue as soon as it is encoded, so that the workers start on the
        // first while this process encodes the next.
        let mut jobs = Vec::with_capacity(items.len().div_ceil(size));
        for (i, chunk) in items.chunks(size).enumerate() {
            let submitted =
                Task::chunk(function, chunk).and_then(|task| self.engine.submit(vec![(task, callback(i))]));
            match submitted {
                Ok(job) => jobs.extend(job),
                Err(error) => {
                    // The call fails; the chunks already queued run, and their results are dropped.
                    for &job in &jobs {
                        self.engine.forget(job);
                    }
                    return Err(error);
                }
            }
        }
        Ok(jobs)
    }

    /// CPython's default chunk size for `len` items: `len / (4 × workers)`, rounded up, at least 1.
    pub(crate) fn default_chunksize(&self, len: usize) -> usize {
        len.div_ceil(4 * self.engine.processes()).max(1)
    }
    // ANCHOR_END: map_path

    // ANCHOR: map
    /// `function` applied to every item, in parallel, results in input order, with CPython's default
    /// chunk size. If a chunk fails, the first failure in input order is returned, after every chunk
    /// has finished.
    pub fn map<F, A, R>(&self, function: F, items: impl IntoIterator<Item = A>) -> Result<Vec<R>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
    {
        self.map_async(function, items)?.get()
    }

    /// `map` with chunks of `chunksize` items: one task per chunk.
    pub fn map_chunked<F, A, R>(
        &self,
        function: F,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> Result<Vec<R>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
    {
        self.map_async_chunked(function, items, chunksize)?.get()
    }
    // ANCHOR_END: map

    /// As `map`, and returns at once with a handle on the list of results.
    pub fn map_async<F, A, R>(
        &self,
        function: F,
        items: impl IntoIterator<Item = A>,
    ) -> Result<MapResult<'_, R>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
    {
        let jobs = self.submit_chunks(&function, items.into_iter().collect(), None, |_| None)?;
        Ok(MapResult::new(&self.engine, jobs))
    }

    /// As `map_chunked`, and returns at once with a handle on the list of results.
    pub fn map_async_chunked<F, A, R>(
        &self,
        function: F,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> Result<MapResult<'_, R>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
    {
        let jobs = self.submit_chunks(&function, items.into_iter().collect(), Some(chunksize), |_| None)?;
        Ok(MapResult::new(&self.engine, jobs))
    }

    /// As `map_async`, and once every chunk has ended, runs `callback` with all the results in input
    /// order, or `error_callback` with the first failure, in this process.
    pub fn map_async_with<F, A, R>(
        &self,
        function: F,
        items: impl IntoIterator<Item = A>,
        callback: impl FnOnce(&Vec<R>) + 'static,
        error_callback: impl FnOnce(&PoolError) + 'static,
    ) -> Result<MapResult<'_, R>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned + 'static,
    {
        let items: Vec<A> = items.into_iter().collect();
        let chunks = items.len().div_ceil(self.default_chunksize(items.len()));
        let gathered = Rc::new(RefCell::new(Gathered::<R>::new(chunks, callback, error_callback)));
        let arrive = |index: usize| -> Option<Callback> {
            let gathered = Rc::clone(&gathered);
            Some(Box::new(move |outcome: &Outcome| gathered.borrow_mut().arrive(index, outcome)))
        };
        let jobs = self.submit_chunks(&function, items, None, arrive)?;
        if jobs.is_empty() {
            gathered.borrow_mut().finish();
        }
        Ok(MapResult::new(&self.engine, jobs))
    }

    /// `function` called on every tuple of arguments, in parallel, results in input order: Python's
    /// `starmap`. `function` may take one to six arguments.
    pub fn starmap<F, Args, R>(
        &self,
        function: F,
        items: impl IntoIterator<Item = Args>,
    ) -> Result<Vec<R>, PoolError>
    where
        F: Function<Args, Output = R> + 'static,
        Args: Serialize,
        R: DeserializeOwned,
    {
        self.starmap_async(function, items)?.get()
    }

    /// `starmap` with chunks of `chunksize` tuples.
    pub fn starmap_chunked<F, Args, R>(
        &self,
        function: F,
        items: impl IntoIterator<Item = Args>,
        chunksize: usize,
    ) -> Result<Vec<R>, PoolError>
    where
        F: Function<Args, Output = R> + 'static,
        Args: Serialize,
        R: DeserializeOwned,
    {
        self.starmap_async_chunked(function, items, chunksize)?.get()
    }

    /// As `starmap`, and returns at once with a handle on the list of results.
    pub fn starmap_async<F, Args, R>(
        &self,
        function: F,
        items: impl IntoIterator<Item = Args>,
    ) -> Result<MapResult<'_, R>, PoolError>
    where
        F: Function<Args, Output = R> + 'static,
        Args: Serialize,
        R: DeserializeOwned,
    {
        let jobs = self.submit_chunks(&function, items.into_iter().collect(), None, |_| None)?;
        Ok(MapResult::new(&self.engine, jobs))
    }

    /// As `starmap_chunked`, and returns at once with a handle on the list of results.
    pub fn starmap_async_chunked<F, Args, R>(
        &self,
        function: F,
        items: impl IntoIterator<Item = Args>,
        chunksize: usize,
    ) -> Result<MapResult<'_, R>, PoolError>
    where
        F: Function<Args, Output = R> + 'static,
        Args: Serialize,
        R: DeserializeOwned,
    {
        let jobs = self.submit_chunks(&function, items.into_iter().collect(), Some(chunksize), |_| None)?;
        Ok(MapResult::new(&self.engine, jobs))
    }
}
