//! Gathering the chunks of a `map_async_with` so that its callback runs once, with every result.

use serde::de::DeserializeOwned;

use crate::error::PoolError;
use crate::job::Outcome;

/// The callback a `map_async_with` runs with the whole list.
type ListCallback<R> = Box<dyn FnOnce(&Vec<R>)>;
/// The callback a `map_async_with` runs with the first failure.
type ErrorCallback = Box<dyn FnOnce(&PoolError)>;

/// The callbacks of one `map_async_with`: what has arrived, and what to call when all has.
pub struct Gathered<R> {
    chunks: Vec<Option<Outcome>>,
    left: usize,
    callback: Option<ListCallback<R>>,
    error_callback: Option<ErrorCallback>,
}

impl<R: DeserializeOwned> Gathered<R> {
    /// Waits for `chunks` chunks.
    pub fn new(
        chunks: usize,
        callback: impl FnOnce(&Vec<R>) + 'static,
        error_callback: impl FnOnce(&PoolError) + 'static,
    ) -> Self {
        Gathered {
            chunks: vec![None; chunks],
            left: chunks,
            callback: Some(Box::new(callback)),
            error_callback: Some(Box::new(error_callback)),
        }
    }

    /// Chunk `index` has ended with `outcome`; the last one runs the callbacks.
    pub fn arrive(&mut self, index: usize, outcome: &Outcome) {
        if self.chunks[index].replace(outcome.clone()).is_none() {
            self.left -= 1;
        }
        if self.left == 0 {
            self.finish();
        }
    }

    /// Runs `callback` with every result in order, or `error_callback` with the first failure.
    pub fn finish(&mut self) {
        let mut values = Vec::new();
        for outcome in self.chunks.iter().flatten() {
            match outcome.clone().and_then(|bytes| Ok(postcard::from_bytes::<Vec<R>>(&bytes)?)) {
                Ok(chunk) => values.extend(chunk),
                Err(error) => {
                    if let Some(error_callback) = self.error_callback.take() {
                        error_callback(&error);
                    }
                    return;
                }
            }
        }
        if let Some(callback) = self.callback.take() {
            callback(&values);
        }
    }
}
