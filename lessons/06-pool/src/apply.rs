//! `apply` and its asynchronous forms: one task, one function call.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::async_result::AsyncResult;
use crate::error::PoolError;
use crate::job::{Callback, Outcome};
use crate::pool::Pool;
use crate::task::Task;

impl<'m> Pool<'m> {
    // ANCHOR: apply
    /// Runs `function(args)` in a worker and returns its result: `apply_async(…)?.get()`.
    /// `function` must be in the program's registry (chapter 5's `task!`).
    pub fn apply<F, A, R>(&self, function: F, args: A) -> Result<R, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
    {
        self.apply_async(function, args)?.get()
    }

    /// Queues `function(args)` and returns at once, with a handle on its result.
    pub fn apply_async<F, A, R>(&self, function: F, args: A) -> Result<AsyncResult<'_, R>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
    {
        self.engine.check_running()?;
        let jobs = self.engine.submit(vec![(Task::call(&function, &args)?, None)])?;
        Ok(AsyncResult::new(&self.engine, jobs[0]))
    }

    /// As `apply_async`, and when the task ends, runs `callback` with its result or `error_callback`
    /// with its error, in this process, during the next call into the pool.
    pub fn apply_async_with<F, A, R>(
        &self,
        function: F,
        args: A,
        callback: impl FnOnce(&R) + 'static,
        error_callback: impl FnOnce(&PoolError) + 'static,
    ) -> Result<AsyncResult<'_, R>, PoolError>
    where
        F: Fn(A) -> R + 'static,
        A: Serialize,
        R: DeserializeOwned,
    {
        self.engine.check_running()?;
        let call: Callback = Box::new(move |outcome: &Outcome| {
            match outcome.clone().and_then(|bytes| Ok(postcard::from_bytes::<R>(&bytes)?)) {
                Ok(value) => callback(&value),
                Err(error) => error_callback(&error),
            }
        });
        let jobs = self.engine.submit(vec![(Task::call(&function, &args)?, Some(call))])?;
        Ok(AsyncResult::new(&self.engine, jobs[0]))
    }
    // ANCHOR_END: apply
}
