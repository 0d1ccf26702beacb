//! `imap` and `imap_unordered`: results as they come, over an input of any length, in bounded memory.

use std::collections::VecDeque;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::engine::Engine;
use crate::error::PoolError;
use crate::job::JobId;
use crate::pool::Pool;
use crate::task::Task;

// ANCHOR: imap
/// The iterator `Pool::imap` and `Pool::imap_unordered` return. It takes items from its input only
/// to keep two chunks per worker in flight, so an input of any length — even an endless one — never
/// sits in memory whole; each chunk's outcome leaves the pool as soon as it is yielded.
pub struct IMap<'p, F, A, R, I> {
    engine: &'p Engine<'p>,
    function: F,
    input: I,
    chunksize: usize,
    in_flight: VecDeque<JobId>,
    window: usize,
    ordered: bool,
    ready: VecDeque<Result<R, PoolError>>,
    /// An item of the input that could not be sent: yielded after every chunk before it.
    failed: Option<PoolError>,
    /// Whether the input is done with: exhausted, or failed and its error yielded.
    ended: bool,
    items: PhantomData<fn(A)>,
}
// ANCHOR_END: imap

impl<'m> Pool<'m> {
    /// `function` applied to each item, lazily: results in input order as they are ready, one item a
    /// task, as CPython's default chunk size of 1.
    pub fn imap<F, A, R, I>(&self, function: F, items: I) -> Result<IMap<'_, F, A, R, I::IntoIter>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
        I: IntoIterator<Item = A>,
    {
        self.imap_chunked(function, items, 1)
    }

    /// `imap` with chunks of `chunksize` items; a chunk size of 0 is an error, as in CPython.
    pub fn imap_chunked<F, A, R, I>(
        &self,
        function: F,
        items: I,
        chunksize: usize,
    ) -> Result<IMap<'_, F, A, R, I::IntoIter>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
        I: IntoIterator<Item = A>,
    {
        IMap::new(&self.engine, function, items.into_iter(), chunksize, true)
    }

    /// As `imap`, but each result comes as soon as its chunk is done, in any order.
    pub fn imap_unordered<F, A, R, I>(
        &self,
        function: F,
        items: I,
    ) -> Result<IMap<'_, F, A, R, I::IntoIter>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
        I: IntoIterator<Item = A>,
    {
        self.imap_unordered_chunked(function, items, 1)
    }

    /// `imap_unordered` with chunks of `chunksize` items.
    pub fn imap_unordered_chunked<F, A, R, I>(
        &self,
        function: F,
        items: I,
        chunksize: usize,
    ) -> Result<IMap<'_, F, A, R, I::IntoIter>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
        I: IntoIterator<Item = A>,
    {
        IMap::new(&self.engine, function, items.into_iter(), chunksize, false)
    }
}

impl<'p, F, A, R, I> IMap<'p, F, A, R, I>
where
    F: Fn(A) -> R + 'static,
    A: Serialize,
    R: DeserializeOwned,
    I: Iterator<Item = A>,
{
    /// An iterator over `function` applied to `input` in chunks of `chunksize`; fails at once on a
    /// closed pool or a chunk size of 0.
    fn new(
        engine: &'p Engine<'p>,
        function: F,
        input: I,
        chunksize: usize,
        ordered: bool,
    ) -> Result<Self, PoolError> {
        engine.check_running()?;
        if chunksize == 0 {
            return Err(PoolError::ChunkSize(0));
        }
        let window = 2 * engine.processes();
        let (in_flight, ready) = (VecDeque::new(), VecDeque::new());
        let items = PhantomData;
        Ok(IMap {
            engine,
            function,
            input,
            chunksize,
            in_flight,
            window,
            ordered,
            ready,
            failed: None,
            ended: false,
            items,
        })
    }

    /// Submits chunks until `window` are in flight, the input is exhausted, or an item fails.
    fn fill(&mut self) {
        while !self.ended && self.failed.is_none() && self.in_flight.len() < self.window {
            let chunk: Vec<A> = self.input.by_ref().take(self.chunksize).collect();
            if chunk.is_empty() {
                self.ended = true;
                break;
            }
            match Task::chunk(&self.function, &chunk).and_then(|task| self.engine.submit(vec![(task, None)]))
            {
                Ok(jobs) => self.in_flight.extend(jobs),
                Err(error) => self.failed = Some(error),
            }
        }
    }

    /// Waits for the next chunk to yield — the oldest, or with `imap_unordered` whichever ends
    /// first — and queues its results.
    fn next_chunk(&mut self) {
        let (position, outcome) = loop {
            let found = self.in_flight.iter().enumerate().find_map(|(position, &job)| {
                if self.ordered && position > 0 {
                    return None;
                }
                self.engine.take(job).map(|outcome| (position, outcome))
            });
            if let Some(found) = found {
                break found;
            }
            if let Err(error) = self.engine.wait_turn(None) {
                self.ready.push_back(Err(error));
                return;
            }
        };
        self.in_flight.remove(position);
        match outcome.and_then(|bytes| Ok(postcard::from_bytes::<Vec<R>>(&bytes)?)) {
            Ok(values) => self.ready.extend(values.into_iter().map(Ok)),
            Err(error) => self.ready.push_back(Err(error)),
        }
    }
}

impl<F, A, R, I> Iterator for IMap<'_, F, A, R, I>
where
    F: Fn(A) -> R + 'static,
    A: Serialize,
    R: DeserializeOwned,
    I: Iterator<Item = A>,
{
    type Item = Result<R, PoolError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            self.fill();
            if self.in_flight.is_empty() {
                let failed = self.failed.take()?;
                self.ended = true;
                return Some(Err(failed));
            }
            self.next_chunk();
        }
    }
}

impl<F, A, R, I> Drop for IMap<'_, F, A, R, I> {
    /// Tells the pool to drop the outcomes of chunks not yet yielded.
    fn drop(&mut self) {
        for &job in &self.in_flight {
            self.engine.forget(job);
        }
    }
}
