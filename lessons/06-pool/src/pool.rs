//! `Pool`: the public type, its making and its life, like Python's `multiprocessing.Pool`. Its calls
//! are in `apply.rs`, `map.rs` and `imap.rs`.

use std::os::fd::BorrowedFd;

use lesson_05_start_methods::StartMethod;

use crate::engine::Engine;
use crate::error::PoolError;
use crate::job::Event;
use crate::state::Settings;
use crate::worker::Initializer;

/// How a pool is made: `Pool::with_options(PoolOptions { processes: Some(4), ..Default::default() })`.
#[derive(Clone)]
pub struct PoolOptions<'m> {
    /// How many workers; `None` for as many CPUs as this process may use.
    pub processes: Option<usize>,
    /// Run once in each new worker before its first task (fork only).
    pub initializer: Option<Initializer>,
    /// Replace a worker after it has run this many tasks; `None` for never.
    pub maxtasksperchild: Option<usize>,
    /// How workers are started (chapter 5): fork, the default, spawn or a fork server.
    pub start_method: StartMethod<'m>,
    /// Record each task's start and end for [`Pool::events`] (off by default: the record grows
    /// with every task).
    pub record_events: bool,
    // ANCHOR: interrupt
    /// While this descriptor is readable, every wait of the pool stops and `get`, `join` and `imap`
    /// give [`PoolError::Interrupted`]; the pool never reads it. Chapter 8 gives it a signalfd.
    pub interrupt: Option<BorrowedFd<'m>>,
    // ANCHOR_END: interrupt
}

impl Default for PoolOptions<'_> {
    fn default() -> Self {
        PoolOptions {
            processes: None,
            initializer: None,
            maxtasksperchild: None,
            start_method: StartMethod::Fork,
            record_events: false,
            interrupt: None,
        }
    }
}

// ANCHOR: pool
/// A pool of worker processes.
///
/// Workers take tasks from a shared queue by themselves, so submitted tasks run while the caller
/// does other things. The parent's books — results, callbacks, dead workers, replacements — are
/// kept whenever the caller calls into the pool. Dropping a pool that still has workers terminates
/// it, as leaving Python's `with Pool(…)` block does.
pub struct Pool<'m> {
    pub(crate) engine: Engine<'m>,
}
// ANCHOR_END: pool

impl Pool<'static> {
    /// A pool of `processes` forked workers (`None`: as many as this process may use CPUs).
    pub fn new(processes: Option<usize>) -> Result<Pool<'static>, PoolError> {
        Pool::with_options(PoolOptions { processes, ..PoolOptions::default() })
    }
}

impl<'m> Pool<'m> {
    // ANCHOR: with_options
    /// A pool made as `options` says.
    pub fn with_options(options: PoolOptions<'m>) -> Result<Pool<'m>, PoolError> {
        let processes = match options.processes {
            Some(0) => return Err(PoolError::NoProcesses),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, usize::from),
        };
        if options.maxtasksperchild == Some(0) {
            return Err(PoolError::NoTasksPerChild);
        }
        let settings = Settings {
            processes,
            maxtasks: options.maxtasksperchild,
            initializer: options.initializer,
            record_events: options.record_events,
        };
        Ok(Pool { engine: Engine::new(options.start_method, settings, options.interrupt)? })
    }
    // ANCHOR_END: with_options

    /// The worker processes' pids.
    pub fn pids(&self) -> Vec<i32> {
        self.engine.pids()
    }

    /// What happened to each task, in order: each take by a worker, each end. Empty unless the pool
    /// was made with `record_events`.
    pub fn events(&self) -> Vec<Event> {
        self.engine.events()
    }

    /// No new tasks; those queued still run. `join` then waits for them.
    pub fn close(&self) {
        self.engine.close();
    }

    /// Stops at once: kills the workers, reaps them, and fails every task not yet finished.
    pub fn terminate(&self) {
        self.engine.terminate();
    }

    /// Waits until every queued task has run and every worker has ended; only after `close` or
    /// `terminate`.
    pub fn join(&self) -> Result<(), PoolError> {
        self.engine.join()
    }
}

impl Drop for Pool<'_> {
    /// Terminates a pool that still has workers, and reaps them all.
    fn drop(&mut self) {
        if !self.engine.pids().is_empty() {
            self.engine.terminate();
        }
    }
}
