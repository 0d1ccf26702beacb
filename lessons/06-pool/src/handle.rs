//! What `AsyncResult` and `MapResult` share: a hold on some jobs' outcomes. An outcome moves out of
//! the pool's table into the handle the first time the handle sees it, and is freed with the handle;
//! a handle dropped before its jobs end tells the pool to drop their outcomes when they come.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use crate::engine::Engine;
use crate::error::PoolError;
use crate::job::{JobId, Outcome};

/// A hold on the outcomes of `jobs`.
pub struct Handle<'p> {
    engine: &'p Engine<'p>,
    jobs: Vec<JobId>,
    outcomes: RefCell<Vec<Option<Outcome>>>,
}

impl<'p> Handle<'p> {
    /// A hold on `jobs` of `engine`.
    pub fn new(engine: &'p Engine<'p>, jobs: Vec<JobId>) -> Self {
        let outcomes = RefCell::new(vec![None; jobs.len()]);
        Handle { engine, jobs, outcomes }
    }

    /// The engine the jobs run on.
    pub fn engine(&self) -> &'p Engine<'p> {
        self.engine
    }

    /// Moves the outcomes that have arrived into the handle; returns whether all have.
    pub fn fetch(&self) -> bool {
        let mut outcomes = self.outcomes.borrow_mut();
        let mut all = true;
        for (slot, &job) in outcomes.iter_mut().zip(&self.jobs) {
            if slot.is_none() {
                *slot = self.engine.take(job);
            }
            all &= slot.is_some();
        }
        all
    }

    /// Whether every job has ended, after one look at what has come in.
    pub fn ready(&self) -> bool {
        self.fetch() || {
            self.engine.pump(Some(Duration::ZERO));
            self.fetch()
        }
    }

    /// Waits until every job has ended, or the pool's wait is interrupted. The loop sleeps in
    /// `poll` between turns.
    pub fn wait(&self) -> Result<(), PoolError> {
        while !self.fetch() {
            self.engine.wait_turn(None)?;
        }
        Ok(())
    }

    /// Waits at most `limit`; returns whether every job has ended, or the interruption.
    pub fn wait_timeout(&self, limit: Duration) -> Result<bool, PoolError> {
        let deadline = Instant::now().checked_add(limit);
        loop {
            if self.fetch() {
                return Ok(true);
            }
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if left.is_some_and(|left| left.is_zero()) {
                return Ok(false);
            }
            self.engine.wait_turn(left)?;
        }
    }

    /// The outcomes, in the order of the jobs; call once `ready`.
    pub fn outcomes(&self) -> std::cell::Ref<'_, Vec<Option<Outcome>>> {
        self.outcomes.borrow()
    }
}

impl Drop for Handle<'_> {
    /// Tells the pool to drop the outcomes of jobs that have not ended.
    fn drop(&mut self) {
        for (slot, &job) in self.outcomes.get_mut().iter().zip(&self.jobs) {
            if slot.is_none() {
                self.engine.forget(job);
            }
        }
    }
}
