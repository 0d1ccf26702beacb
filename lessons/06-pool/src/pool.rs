//! `Pool`: workers, a queue of tasks, and the results, like Python's `multiprocessing.Pool`.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::os::fd::AsFd;
use std::rc::Rc;
use std::time::{Duration, Instant};

use lesson_02_wait::wait_for;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{Signal, kill};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::async_result::{AsyncResult, MapResult};
use crate::error::PoolError;
use crate::gather::Gathered;
use crate::imap::IMap;
use crate::job::{Callback, Event, JobId, Outcome};
use crate::server::Server;
use crate::task::Task;
use crate::worker::{Initializer, StartMethod, Worker};
use crate::{collect, dispatch, watch};

/// How a pool is made: `Pool::with_options(PoolOptions { processes: Some(4), ..Default::default() })`.
#[derive(Clone, Default)]
pub struct PoolOptions {
    /// How many workers; `None` for as many CPUs as this process may use.
    pub processes: Option<usize>,
    /// Run once in each new worker before its first task.
    pub initializer: Option<Initializer>,
    /// Replace a worker after it has run this many tasks; `None` for never.
    pub maxtasksperchild: Option<usize>,
    /// How workers are started: fork (the default) or spawn.
    pub start_method: StartMethod,
}

// ANCHOR: state
/// Where a pool is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Accepting tasks.
    Running,
    /// `close` was called: no new tasks; queued ones still run.
    Closed,
    /// `terminate` was called: the workers are gone; unfinished tasks failed.
    Terminated,
}
// ANCHOR_END: state

/// The pool's state, behind a `RefCell` so that results can drive the pool through `&Pool`.
pub struct Inner {
    /// Where the pool is in its life.
    pub state: State,
    /// The workers.
    pub workers: Vec<Worker>,
    /// Tasks not yet handed to a worker, oldest first.
    pub queue: VecDeque<(JobId, Task)>,
    /// How each ended job ended.
    pub outcomes: HashMap<JobId, Outcome>,
    /// Callbacks of jobs that have not ended.
    pub callbacks: HashMap<JobId, Callback>,
    /// The next job's number.
    pub next: JobId,
    /// Run in each new worker.
    pub initializer: Option<Initializer>,
    /// Tasks per worker before it is replaced.
    pub maxtasks: Option<usize>,
    /// How workers are started.
    pub method: StartMethod,
    /// The fork server, with the forkserver start method.
    pub server: Option<Server>,
    /// What happened, when.
    pub events: Vec<Event>,
    /// When the pool was made.
    pub began: Instant,
}

/// A pool of worker processes.
///
/// The pool works whenever you wait on it (`get`, `wait`, `map`, `join` …): it has no threads of its
/// own, so the parent stays single-threaded and can always fork a replacement worker safely. Dropping
/// a pool that is still running terminates it, as leaving Python's `with Pool(…)` block does.
pub struct Pool {
    inner: RefCell<Inner>,
}

impl Pool {
    /// A pool of `processes` workers (`None`: as many as this process may use CPUs).
    pub fn new(processes: Option<usize>) -> Result<Pool, PoolError> {
        Pool::with_options(PoolOptions { processes, ..PoolOptions::default() })
    }

    // ANCHOR: with_options
    /// A pool made as `options` says.
    pub fn with_options(options: PoolOptions) -> Result<Pool, PoolError> {
        let processes = match options.processes {
            Some(0) => return Err(PoolError::NoProcesses),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, usize::from),
        };
        if options.maxtasksperchild == Some(0) {
            return Err(PoolError::NoTasksPerChild);
        }
        // The fork server first, while this process is as clean as it will ever be.
        let server = match options.start_method {
            StartMethod::Forkserver => Some(Server::start()?),
            _ => None,
        };
        let mut workers = Vec::with_capacity(processes);
        for _ in 0..processes {
            let initializer = options.initializer.as_ref();
            let method = options.start_method;
            let worker =
                Worker::start(method, initializer, options.maxtasksperchild, &mut workers, server.as_ref())?;
            workers.push(worker);
        }
        Ok(Pool {
            inner: RefCell::new(Inner {
                state: State::Running,
                workers,
                queue: VecDeque::new(),
                outcomes: HashMap::new(),
                callbacks: HashMap::new(),
                next: 0,
                initializer: options.initializer,
                maxtasks: options.maxtasksperchild,
                method: options.start_method,
                server,
                events: Vec::new(),
                began: Instant::now(),
            }),
        })
    }
    // ANCHOR_END: with_options

    /// The worker processes' pids.
    pub fn pids(&self) -> Vec<i32> {
        self.inner.borrow().workers.iter().map(|w| w.pid.as_raw()).collect()
    }

    /// Everything that happened to the jobs so far: each start on a worker, each end.
    pub fn events(&self) -> Vec<Event> {
        self.inner.borrow().events.clone()
    }

    /// Queues `task`, with `callback` to run when it ends; returns its job number.
    fn submit(&self, task: Task, callback: Option<Callback>) -> Result<JobId, PoolError> {
        let mut inner = self.inner.borrow_mut();
        if inner.state != State::Running {
            return Err(PoolError::NotRunning);
        }
        let job = inner.next;
        inner.next += 1;
        inner.queue.push_back((job, task));
        if let Some(callback) = callback {
            inner.callbacks.insert(job, callback);
        }
        dispatch::dispatch(&mut inner);
        Ok(job)
    }

    // ANCHOR: apply
    /// Runs `function(args)` in a worker and returns its result: `apply_async(…)?.get()`.
    pub fn apply<A, R>(&self, function: fn(A) -> R, args: A) -> Result<R, PoolError>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        self.apply_async(function, args)?.get()
    }

    /// Queues `function(args)` and returns at once, with a handle on its result.
    pub fn apply_async<A, R>(&self, function: fn(A) -> R, args: A) -> Result<AsyncResult<'_, R>, PoolError>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let job = self.submit(Task::call(function, &args)?, None)?;
        Ok(AsyncResult::new(self, vec![job]))
    }

    /// As `apply_async`, and when the task ends, runs `callback` with its result or `error_callback`
    /// with its error, in this process, while the pool is being waited on.
    pub fn apply_async_with<A, R>(
        &self,
        function: fn(A) -> R,
        args: A,
        callback: impl FnOnce(&R) + 'static,
        error_callback: impl FnOnce(&PoolError) + 'static,
    ) -> Result<AsyncResult<'_, R>, PoolError>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let call: Callback = Box::new(move |outcome: &Outcome| {
            match outcome.clone().and_then(|bytes| Ok(postcard::from_bytes::<R>(&bytes)?)) {
                Ok(value) => callback(&value),
                Err(error) => error_callback(&error),
            }
        });
        let job = self.submit(Task::call(function, &args)?, Some(call))?;
        Ok(AsyncResult::new(self, vec![job]))
    }
    // ANCHOR_END: apply

    // ANCHOR: map
    /// `function` applied to every item, in parallel, results in input order, with CPython's default
    /// chunk size: the items divided by four times the workers, rounded up. If a chunk fails, the first
    /// failure is returned, after every chunk has finished.
    pub fn map<A, R>(
        &self,
        function: fn(A) -> R,
        items: impl IntoIterator<Item = A>,
    ) -> Result<Vec<R>, PoolError>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let items: Vec<A> = items.into_iter().collect();
        let chunksize = self.default_chunksize(items.len());
        self.map_chunked(function, items, chunksize)
    }

    /// `map` with chunks of `chunksize` items (at least 1): one task per chunk.
    pub fn map_chunked<A, R>(
        &self,
        function: fn(A) -> R,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> Result<Vec<R>, PoolError>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let items: Vec<A> = items.into_iter().collect();
        let mut jobs = Vec::new();
        for chunk in items.chunks(chunksize.max(1)) {
            jobs.push(self.submit(Task::chunk(function, chunk)?, None)?);
        }
        let chunks: AsyncResult<'_, Vec<R>> = AsyncResult::new(self, jobs);
        chunks.get_all().map(|chunks| chunks.into_iter().flatten().collect())
    }
    // ANCHOR_END: map

    /// As `map`, and returns at once with a handle on the list of results.
    pub fn map_async<A, R>(
        &self,
        function: fn(A) -> R,
        items: impl IntoIterator<Item = A>,
    ) -> Result<MapResult<'_, R>, PoolError>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let items: Vec<A> = items.into_iter().collect();
        let chunksize = self.default_chunksize(items.len());
        let jobs = items.chunks(chunksize).map(|chunk| self.submit_task(Task::chunk(function, chunk)?));
        Ok(MapResult::new(self, jobs.collect::<Result<_, _>>()?))
    }

    /// As `map_async`, and once every chunk has ended, runs `callback` with all the results in input
    /// order, or `error_callback` with the first failure, in this process.
    pub fn map_async_with<A, R>(
        &self,
        function: fn(A) -> R,
        items: impl IntoIterator<Item = A>,
        callback: impl FnOnce(&Vec<R>) + 'static,
        error_callback: impl FnOnce(&PoolError) + 'static,
    ) -> Result<MapResult<'_, R>, PoolError>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned + 'static,
    {
        let items: Vec<A> = items.into_iter().collect();
        let chunksize = self.default_chunksize(items.len());
        let chunks: Vec<Task> =
            items.chunks(chunksize).map(|chunk| Task::chunk(function, chunk)).collect::<Result<_, _>>()?;
        let gathered = Rc::new(RefCell::new(Gathered::<R>::new(chunks.len(), callback, error_callback)));
        let mut jobs = Vec::with_capacity(chunks.len());
        for (index, task) in chunks.into_iter().enumerate() {
            let gathered = Rc::clone(&gathered);
            let call: Callback =
                Box::new(move |outcome: &Outcome| gathered.borrow_mut().arrive(index, outcome));
            jobs.push(self.submit(task, Some(call))?);
        }
        if jobs.is_empty() {
            gathered.borrow_mut().finish();
        }
        Ok(MapResult::new(self, jobs))
    }

    /// As `starmap`, and returns at once with a handle on the list of results.
    pub fn starmap_async<A, B, R>(
        &self,
        function: fn(A, B) -> R,
        items: impl IntoIterator<Item = (A, B)>,
    ) -> Result<MapResult<'_, R>, PoolError>
    where
        A: Serialize + DeserializeOwned,
        B: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let items: Vec<(A, B)> = items.into_iter().collect();
        let chunksize = self.default_chunksize(items.len());
        let jobs = items.chunks(chunksize).map(|chunk| self.submit_task(Task::chunk2(function, chunk)?));
        Ok(MapResult::new(self, jobs.collect::<Result<_, _>>()?))
    }

    /// CPython's default chunk size for `len` items: `len / (4 × workers)`, rounded up, at least 1.
    fn default_chunksize(&self, len: usize) -> usize {
        let workers = self.inner.borrow().workers.len().max(1);
        len.div_ceil(4 * workers).max(1)
    }

    /// `function(a, b)` for every pair `(a, b)`, in parallel, results in input order: Python's
    /// `starmap`, whose items are tuples of arguments.
    pub fn starmap<A, B, R>(
        &self,
        function: fn(A, B) -> R,
        items: impl IntoIterator<Item = (A, B)>,
    ) -> Result<Vec<R>, PoolError>
    where
        A: Serialize + DeserializeOwned,
        B: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
    {
        let items: Vec<(A, B)> = items.into_iter().collect();
        let chunksize = self.default_chunksize(items.len());
        let jobs = items.chunks(chunksize).map(|chunk| self.submit_task(Task::chunk2(function, chunk)?));
        let chunks: AsyncResult<'_, Vec<R>> = AsyncResult::new(self, jobs.collect::<Result<_, _>>()?);
        chunks.get_all().map(|chunks| chunks.into_iter().flatten().collect())
    }

    /// `function` applied to each item, lazily: results in input order as they are ready, with a few
    /// chunks per worker in flight, so the input is never held whole.
    pub fn imap<A, R, I>(
        &self,
        function: fn(A) -> R,
        items: I,
        chunksize: usize,
    ) -> IMap<'_, A, R, I::IntoIter>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
        I: IntoIterator<Item = A>,
    {
        IMap::new(self, function, items.into_iter(), chunksize, true)
    }

    /// As `imap`, but each chunk's results come as soon as that chunk is done, in any order.
    pub fn imap_unordered<A, R, I>(
        &self,
        function: fn(A) -> R,
        items: I,
        chunksize: usize,
    ) -> IMap<'_, A, R, I::IntoIter>
    where
        A: Serialize + DeserializeOwned,
        R: Serialize + DeserializeOwned,
        I: IntoIterator<Item = A>,
    {
        IMap::new(self, function, items.into_iter(), chunksize, false)
    }

    // ANCHOR: lifecycle
    /// No new tasks; those queued still run. `join` then waits for them.
    pub fn close(&self) {
        let mut inner = self.inner.borrow_mut();
        if inner.state == State::Running {
            inner.state = State::Closed;
        }
    }

    /// Stops at once: kills the workers, reaps them, and fails every task not yet finished.
    pub fn terminate(&self) {
        let callbacks = {
            let mut inner = self.inner.borrow_mut();
            inner.state = State::Terminated;
            let workers = std::mem::take(&mut inner.workers);
            for worker in &workers {
                let _ = kill(worker.pid, Signal::SIGKILL);
            }
            let mut unfinished: Vec<JobId> = inner.queue.drain(..).map(|(job, _)| job).collect();
            for worker in workers {
                let _ = inner.reap(worker.pid);
                unfinished.extend(worker.job);
            }
            unfinished
                .into_iter()
                .map(|job| collect::complete(&mut inner, job, 0, Err(PoolError::Terminated)))
                .collect::<Vec<_>>()
        };
        run_callbacks(callbacks);
    }

    /// Waits until every queued task has run and every worker has ended; only after `close` or
    /// `terminate`.
    pub fn join(&self) -> Result<(), PoolError> {
        match self.inner.borrow().state {
            State::Running => return Err(PoolError::StillRunning),
            State::Terminated => return Ok(()),
            State::Closed => {}
        }
        while self.inner.borrow().busy() {
            self.pump(None);
        }
        let workers = std::mem::take(&mut self.inner.borrow_mut().workers);
        for worker in workers {
            let pid = worker.pid;
            drop(worker); // closes its task pipe: the worker reads end-of-file and ends
            let _ = self.inner.borrow().reap(pid);
        }
        Ok(())
    }
    // ANCHOR_END: lifecycle

    /// How `job` ended, if it has.
    pub(crate) fn outcome(&self, job: JobId) -> Option<Outcome> {
        self.inner.borrow().outcomes.get(&job).cloned()
    }

    /// Whether `job` has ended.
    pub(crate) fn has_outcome(&self, job: JobId) -> bool {
        self.inner.borrow().outcomes.contains_key(&job)
    }

    /// How `job` ended, removed from the pool's memory.
    pub(crate) fn take_outcome(&self, job: JobId) -> Option<Outcome> {
        self.inner.borrow_mut().outcomes.remove(&job)
    }

    /// Queues `task` with no callback.
    pub(crate) fn submit_task(&self, task: Task) -> Result<JobId, PoolError> {
        self.submit(task, None)
    }

    // ANCHOR: pump
    /// The event loop: hands out tasks, then waits at most `limit` (`None`: until something happens)
    /// for a result or a worker's end, and deals with what came; runs the callbacks of ended jobs.
    pub(crate) fn pump(&self, limit: Option<Duration>) {
        let ended = {
            let mut inner = self.inner.borrow_mut();
            dispatch::dispatch(&mut inner);
            if inner.workers.is_empty() {
                return;
            }
            let (results, deaths) = {
                let mut fds: Vec<PollFd> = Vec::with_capacity(2 * inner.workers.len());
                for worker in &inner.workers {
                    fds.push(PollFd::new(worker.results.as_fd(), PollFlags::POLLIN));
                    fds.push(PollFd::new(worker.pidfd.as_fd(), PollFlags::POLLIN));
                }
                let timeout = limit.map_or(PollTimeout::NONE, |limit| {
                    PollTimeout::try_from(limit.as_millis().min(i32::MAX as u128) as i32)
                        .unwrap_or(PollTimeout::MAX)
                });
                let _ = poll(&mut fds, timeout);
                let ready = |fd: &PollFd| fd.revents().is_some_and(|r| !r.is_empty());
                let results: Vec<usize> = (0..inner.workers.len()).filter(|&i| ready(&fds[2 * i])).collect();
                let deaths: Vec<usize> =
                    (0..inner.workers.len()).filter(|&i| ready(&fds[2 * i + 1])).collect();
                (results, deaths)
            };
            let mut ended = Vec::new();
            for &index in &results {
                if !deaths.contains(&index) {
                    ended.extend(collect::collect(&mut inner, index));
                }
            }
            // From the last, so that removing a worker does not move the ones still to handle.
            for &index in deaths.iter().rev() {
                ended.extend(watch::replace(&mut inner, index));
            }
            dispatch::dispatch(&mut inner);
            ended
        };
        run_callbacks(ended);
    }
    // ANCHOR_END: pump
}

impl Inner {
    /// Reaps the worker `pid` — this process's child, or the fork server's — and says how it ended.
    pub fn reap(&self, pid: lesson_01_fork::Pid) -> Result<String, PoolError> {
        match &self.server {
            Some(server) => server.reap(pid),
            None => wait_for(pid).map(|status| status.to_string()).map_err(|e| PoolError::Os(e.to_string())),
        }
    }

    /// Whether any task is queued or running.
    pub fn busy(&self) -> bool {
        !self.queue.is_empty() || self.workers.iter().any(|w| w.job.is_some())
    }
}

/// Runs the callbacks of ended jobs, with the pool no longer borrowed (a callback may use the pool).
fn run_callbacks(ended: Vec<(JobId, Option<Callback>, Outcome)>) {
    for (_, callback, outcome) in ended {
        if let Some(callback) = callback {
            callback(&outcome);
        }
    }
}

impl Drop for Pool {
    /// Terminates a pool that still has workers, and reaps them all.
    fn drop(&mut self) {
        if !self.inner.get_mut().workers.is_empty() {
            self.terminate();
        }
    }
}
