//! `imap` and `imap_unordered`: results as they come, over an input of any length, in bounded memory.

use std::collections::VecDeque;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::PoolError;
use crate::job::JobId;
use crate::pool::Pool;
use crate::task::Task;

// ANCHOR: imap
/// The iterator `Pool::imap` and `Pool::imap_unordered` return. It takes items from its input only
/// to keep a few chunks per worker in flight, so an input of any length — even an endless one — never
/// sits in memory whole; each chunk's outcome is removed from the pool as soon as it is yielded.
pub struct IMap<'pool, A, R, I> {
    pool: &'pool Pool,
    function: fn(A) -> R,
    input: I,
    chunksize: usize,
    in_flight: VecDeque<JobId>,
    window: usize,
    ordered: bool,
    ready: VecDeque<Result<R, PoolError>>,
}
// ANCHOR_END: imap

impl<'pool, A, R, I> IMap<'pool, A, R, I>
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned,
    I: Iterator<Item = A>,
{
    /// An iterator over `function` applied to `input` in chunks of `chunksize`.
    pub(crate) fn new(
        pool: &'pool Pool,
        function: fn(A) -> R,
        input: I,
        chunksize: usize,
        ordered: bool,
    ) -> Self {
        let window = 2 * pool.pids().len().max(1);
        IMap {
            pool,
            function,
            input,
            chunksize: chunksize.max(1),
            in_flight: VecDeque::new(),
            window,
            ordered,
            ready: VecDeque::new(),
        }
    }

    /// Submits chunks until `window` are in flight or the input is exhausted.
    fn fill(&mut self) -> Result<(), PoolError> {
        while self.in_flight.len() < self.window {
            let chunk: Vec<A> = self.input.by_ref().take(self.chunksize).collect();
            if chunk.is_empty() {
                break;
            }
            let job = self.pool.submit_task(Task::chunk(self.function, &chunk)?)?;
            self.in_flight.push_back(job);
        }
        Ok(())
    }
}

impl<A, R, I> Iterator for IMap<'_, A, R, I>
where
    A: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned,
    I: Iterator<Item = A>,
{
    type Item = Result<R, PoolError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if let Err(error) = self.fill() {
                return Some(Err(error));
            }
            if self.in_flight.is_empty() {
                return None;
            }
            // The next chunk to yield: the oldest, or for `imap_unordered` whichever ends first.
            let position = loop {
                let ended = if self.ordered {
                    self.pool.has_outcome(self.in_flight[0]).then_some(0)
                } else {
                    self.in_flight.iter().position(|&job| self.pool.has_outcome(job))
                };
                if let Some(position) = ended {
                    break position;
                }
                self.pool.pump(None);
            };
            let job = self.in_flight.remove(position).expect("an ended job");
            match self.pool.take_outcome(job) {
                Some(Ok(bytes)) => match postcard::from_bytes::<Vec<R>>(&bytes) {
                    Ok(values) => self.ready.extend(values.into_iter().map(Ok)),
                    Err(error) => self.ready.push_back(Err(error.into())),
                },
                Some(Err(error)) => self.ready.push_back(Err(error)),
                None => {}
            }
        }
    }
}
