//! `AsyncResult` and `MapResult`: handles on results to come.

use std::marker::PhantomData;
use std::time::Duration;

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, SeqAccess, Visitor};

use crate::engine::Engine;
use crate::error::PoolError;
use crate::handle::Handle;
use crate::job::{JobId, Outcome};

// ANCHOR: async_result
/// The result of a task submitted with `apply_async`, as Python's `AsyncResult`.
pub struct AsyncResult<'p, R> {
    handle: Handle<'p>,
    result: PhantomData<fn() -> R>,
}
// ANCHOR_END: async_result

/// Decodes an outcome's bytes as an `R`.
fn decode<R: DeserializeOwned>(outcome: &Outcome) -> Result<R, PoolError> {
    match outcome {
        Ok(bytes) => Ok(postcard::from_bytes(bytes)?),
        Err(error) => Err(error.clone()),
    }
}

impl<'p, R: DeserializeOwned> AsyncResult<'p, R> {
    /// A handle on `job` of `engine`.
    pub(crate) fn new(engine: &'p Engine<'p>, job: JobId) -> Self {
        AsyncResult { handle: Handle::new(engine, vec![job]), result: PhantomData }
    }

    /// Whether the task has ended.
    pub fn ready(&self) -> bool {
        self.handle.ready()
    }

    /// Waits until the task has ended, or the pool's wait is interrupted.
    pub fn wait(&self) {
        let _ = self.handle.wait();
    }

    /// Waits at most `limit` for the task to end; returns whether it has.
    pub fn wait_timeout(&self, limit: Duration) -> bool {
        self.handle.wait_timeout(limit).unwrap_or(false)
    }

    /// Whether the task succeeded; [`PoolError::NotReady`] before it has ended.
    pub fn successful(&self) -> Result<bool, PoolError> {
        if !self.ready() {
            return Err(PoolError::NotReady);
        }
        Ok(self.handle.outcomes()[0].as_ref().is_some_and(Result::is_ok))
    }

    /// Waits for the result and returns it, or the task's error.
    pub fn get(&self) -> Result<R, PoolError> {
        self.handle.wait()?;
        self.value()
    }

    /// As `get`, but gives up with [`PoolError::Timeout`] after `limit`.
    pub fn get_timeout(&self, limit: Duration) -> Result<R, PoolError> {
        if !self.handle.wait_timeout(limit)? {
            return Err(PoolError::Timeout);
        }
        self.value()
    }

    fn value(&self) -> Result<R, PoolError> {
        let outcomes = self.handle.outcomes();
        decode(outcomes[0].as_ref().expect("the task has ended"))
    }
}

/// The result of a `map_async` or `starmap_async`: the results of all its chunks, in input order.
pub struct MapResult<'p, T> {
    handle: Handle<'p>,
    result: PhantomData<fn() -> T>,
}

impl<'p, T: DeserializeOwned> MapResult<'p, T> {
    /// A handle on the chunk jobs `jobs`, each giving a `Vec<T>`.
    pub(crate) fn new(engine: &'p Engine<'p>, jobs: Vec<JobId>) -> Self {
        MapResult { handle: Handle::new(engine, jobs), result: PhantomData }
    }

    /// Whether every chunk has ended.
    pub fn ready(&self) -> bool {
        self.handle.ready()
    }

    /// Waits until every chunk has ended, or the pool's wait is interrupted.
    pub fn wait(&self) {
        let _ = self.handle.wait();
    }

    /// Waits at most `limit` for every chunk to end; returns whether they have.
    pub fn wait_timeout(&self, limit: Duration) -> bool {
        self.handle.wait_timeout(limit).unwrap_or(false)
    }

    /// Whether every chunk succeeded; [`PoolError::NotReady`] before all have ended.
    pub fn successful(&self) -> Result<bool, PoolError> {
        if !self.ready() {
            return Err(PoolError::NotReady);
        }
        Ok(self.handle.outcomes().iter().all(|outcome| outcome.as_ref().is_some_and(Result::is_ok)))
    }

    /// Waits for every chunk and returns all the results in input order, or the first failure.
    /// Each chunk is decoded as soon as it and every chunk before it have come, while the workers
    /// still compute the later ones.
    pub fn get(&self) -> Result<Vec<T>, PoolError> {
        let mut values = Vec::new();
        let mut decoded = 0;
        let mut failed = None;
        loop {
            let all = self.handle.fetch();
            for outcome in self.handle.outcomes()[decoded..].iter().map_while(Option::as_ref) {
                if failed.is_none() {
                    failed = append(&mut values, outcome).err();
                }
                decoded += 1;
            }
            if all {
                return failed.map_or(Ok(values), Err);
            }
            self.handle.engine().wait_turn(None)?;
        }
    }

    /// As `get`, but gives up with [`PoolError::Timeout`] after `limit`.
    pub fn get_timeout(&self, limit: Duration) -> Result<Vec<T>, PoolError> {
        if !self.handle.wait_timeout(limit)? {
            return Err(PoolError::Timeout);
        }
        self.values()
    }

    /// Every chunk's results, decoded one after the other onto the end of one list.
    fn values(&self) -> Result<Vec<T>, PoolError> {
        let mut values = Vec::new();
        for outcome in self.handle.outcomes().iter() {
            append(&mut values, outcome.as_ref().expect("every chunk has ended"))?;
        }
        Ok(values)
    }
}

/// Decodes one chunk's outcome onto the end of `values`, or gives its failure.
fn append<T: DeserializeOwned>(values: &mut Vec<T>, outcome: &Outcome) -> Result<(), PoolError> {
    match outcome {
        Ok(bytes) => {
            let mut decoder = postcard::Deserializer::from_bytes(bytes);
            Ok(AppendTo(values).deserialize(&mut decoder)?)
        }
        Err(error) => Err(error.clone()),
    }
}

/// Decodes an encoded list straight onto the end of a `Vec`: no list per chunk, copied afterwards.
struct AppendTo<'v, T>(&'v mut Vec<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for AppendTo<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, decoder: D) -> Result<(), D::Error> {
        decoder.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for AppendTo<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of results")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut items: S) -> Result<(), S::Error> {
        self.0.reserve(items.size_hint().unwrap_or(0));
        while let Some(item) = items.next_element()? {
            self.0.push(item);
        }
        Ok(())
    }
}
