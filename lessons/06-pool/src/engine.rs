//! The event loop, above the roles: one turn feeds the queue, reads reports, buries dead workers and
//! starts new ones. The workers do not need it to run: they take tasks from the shared queue
//! themselves. The loop keeps the parent's books, and runs whenever the caller calls into the pool.

use std::cell::RefCell;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

use lesson_04_pipes::{PacketQueue, RecordLock};
use lesson_05_start_methods::StartMethod;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use crate::collect::{Ended, collect};
use crate::dispatch::feed;
use crate::error::PoolError;
use crate::job::{Callback, Event, JobId, Outcome};
use crate::shutdown;
use crate::state::{Channel, JobEntry, Ledger, Life, Pending, Restarts, Settings, State};
use crate::task::Task;
use crate::watch::{GIVE_UP_AFTER, bury, failed_start, hire};

/// The pool's engine: its start method, the channel it shares with its workers, and its state.
pub struct Engine<'m> {
    /// How workers are started.
    pub(crate) method: StartMethod<'m>,
    /// The queue and lock every worker shares.
    pub(crate) channel: Channel,
    /// Everything else, behind a RefCell so that handles can drive the pool through `&Engine`.
    pub(crate) state: RefCell<State>,
    /// While readable, waits stop with [`PoolError::Interrupted`].
    interrupt: Option<BorrowedFd<'m>>,
}

impl<'m> Engine<'m> {
    /// An engine with `settings.processes` workers started by `method`, whose waits stop while
    /// `interrupt` is readable.
    pub fn new(
        method: StartMethod<'m>,
        settings: Settings,
        interrupt: Option<BorrowedFd<'m>>,
    ) -> Result<Engine<'m>, PoolError> {
        let os = |e| PoolError::os("making the task queue", e);
        let channel =
            Channel { packets: PacketQueue::new().map_err(os)?, lock: RecordLock::new().map_err(os)? };
        let ledger = Ledger { events: settings.record_events.then(Vec::new), ..Ledger::default() };
        let state = State {
            life: Life::Running,
            stopping: false,
            workers: Vec::with_capacity(settings.processes),
            ledger,
            restarts: Restarts::default(),
            settings,
        };
        let engine = Engine { method, channel, state: RefCell::new(state), interrupt };
        {
            let mut state = engine.state.borrow_mut();
            let State { workers, settings, restarts, .. } = &mut *state;
            hire(workers, settings.processes, &engine.method, settings, &engine.channel, restarts);
            if let Some(error) = restarts.last_error.take() {
                drop(state);
                engine.terminate();
                return Err(error);
            }
        }
        Ok(engine)
    }

    // ANCHOR: submit
    /// Queues `tasks`, each with its callback, and puts as many as fit into the shared queue at once;
    /// returns their job numbers.
    pub fn submit(&self, tasks: Vec<(Task, Option<Callback>)>) -> Result<Vec<JobId>, PoolError> {
        let mut state = self.state.borrow_mut();
        if state.life != Life::Running {
            return Err(PoolError::NotRunning);
        }
        if let Some(error) = &state.restarts.gave_up {
            return Err(error.clone());
        }
        let ledger = &mut state.ledger;
        let mut ids = Vec::with_capacity(tasks.len());
        for (task, callback) in tasks {
            let job = ledger.jobs.next;
            ledger.jobs.next += 1;
            ledger.jobs.table.insert(job, JobEntry { callback, outcome: None, wanted: true });
            ledger.queue.backlog.push_back(Pending::Run(job, task));
            ledger.queue.waiting += 1;
            ids.push(job);
        }
        feed(&self.channel.packets, &mut ledger.queue)?;
        Ok(ids)
    }
    // ANCHOR_END: submit

    /// Checks that the pool accepts work, for calls that may submit none.
    pub fn check_running(&self) -> Result<(), PoolError> {
        match self.state.borrow().life {
            Life::Running => Ok(()),
            _ => Err(PoolError::NotRunning),
        }
    }

    /// `job`'s outcome, removed from the pool's table, if it has ended.
    pub fn take(&self, job: JobId) -> Option<Outcome> {
        self.state.borrow_mut().ledger.jobs.take(job)
    }

    /// The handle of `job` is gone: its outcome is dropped now or when it comes.
    pub fn forget(&self, job: JobId) {
        self.state.borrow_mut().ledger.jobs.forget(job);
    }

    /// The workers' pids.
    pub fn pids(&self) -> Vec<i32> {
        self.state.borrow().workers.iter().map(|w| w.pid.as_raw()).collect()
    }

    /// How many workers the pool keeps.
    pub fn processes(&self) -> usize {
        self.state.borrow().settings.processes
    }

    /// The events recorded so far (none unless the pool records them).
    pub fn events(&self) -> Vec<Event> {
        self.state.borrow().ledger.events.clone().unwrap_or_default()
    }

    // ANCHOR: pump
    /// One turn of the loop: waits at most `limit` (`None`: until something happens) for a report,
    /// a worker's end, room in the queue or the time to retry a start; deals with it; then runs the
    /// callbacks of the jobs that ended, with the state no longer borrowed (a callback may use the
    /// pool).
    pub fn pump(&self, limit: Option<Duration>) {
        let ended = self.turn(limit);
        for (callback, outcome) in ended {
            callback(&outcome);
        }
    }
    // ANCHOR_END: pump

    // ANCHOR: wait_turn
    /// One turn of a wait, of at most `limit` (`None`: no limit): [`PoolError::Interrupted`] if the
    /// interrupt descriptor is readable, else a turn of the loop, which also wakes when it becomes
    /// readable.
    pub fn wait_turn(&self, limit: Option<Duration>) -> Result<(), PoolError> {
        if self.interrupted() {
            return Err(PoolError::Interrupted);
        }
        self.pump(limit);
        Ok(())
    }

    /// Whether the interrupt descriptor is readable now.
    pub fn interrupted(&self) -> bool {
        let Some(fd) = self.interrupt else { return false };
        let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
        poll(&mut fds, PollTimeout::ZERO).is_ok_and(|n| n > 0)
    }
    // ANCHOR_END: wait_turn

    fn turn(&self, limit: Option<Duration>) -> Vec<Ended> {
        let mut ended = Vec::new();
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        let _ = feed(&self.channel.packets, &mut state.ledger.queue);
        self.staff(state, &mut ended);
        let backlog = !state.ledger.queue.backlog.is_empty();
        let mut fds: Vec<PollFd> = Vec::with_capacity(2 * state.workers.len() + 1);
        for worker in &state.workers {
            fds.push(PollFd::new(worker.reports.as_fd(), PollFlags::POLLIN));
            fds.push(PollFd::new(worker.pidfd.as_fd(), PollFlags::POLLIN));
        }
        if backlog {
            fds.push(PollFd::new(self.channel.packets.sending(), PollFlags::POLLOUT));
        }
        if let Some(fd) = self.interrupt {
            fds.push(PollFd::new(fd, PollFlags::POLLIN)); // wakes the wait; `wait_turn` looks
        }
        let retry = state.restarts.next_try.map(|at| at.saturating_duration_since(Instant::now()));
        let wait = match (limit, retry) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if fds.is_empty() && wait.is_none() {
            return ended; // nothing can happen: no worker, no retry
        }
        let timeout = wait.map_or(PollTimeout::NONE, |wait| {
            PollTimeout::try_from(wait.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as i32)
                .unwrap_or(PollTimeout::MAX)
        });
        let _ = poll(&mut fds, timeout);
        let ready = |fd: &PollFd| fd.revents().is_some_and(|r| !r.is_empty());
        let count = state.workers.len();
        let reporting: Vec<usize> = (0..count).filter(|&i| ready(&fds[2 * i])).collect();
        let dead: Vec<usize> = (0..count).filter(|&i| ready(&fds[2 * i + 1])).collect();
        if backlog && ready(&fds[2 * count]) {
            state.ledger.queue.full = false;
        }
        drop(fds);
        let mut working = false;
        for index in reporting {
            working |= collect(&mut state.workers[index], &mut state.ledger, &mut ended);
        }
        // A worker took a packet: starting workers works, and failures in a row start again from 0.
        if working {
            state.restarts.failures = 0;
        }
        // From the last, so that removing a worker does not move the ones still to handle.
        for index in dead.into_iter().rev() {
            let failed =
                bury(&mut state.workers, index, &self.method, &self.channel, &mut state.ledger, &mut ended);
            if let Some(error) = failed {
                failed_start(&mut state.restarts, error);
            }
        }
        let _ = feed(&self.channel.packets, &mut state.ledger.queue);
        self.staff(state, &mut ended);
        ended
    }

    /// Starts the workers the pool needs now; if none can be started, fails every queued task.
    fn staff(&self, state: &mut State, ended: &mut Vec<Ended>) {
        let busy = state.ledger.queue.has_tasks() || state.workers.iter().any(|w| !w.taken.is_empty());
        let wanted = match state.life {
            _ if state.restarts.gave_up.is_some() => 0,
            Life::Running => state.settings.processes,
            Life::Closed if busy => state.settings.processes,
            Life::Closed | Life::Terminated => 0,
        };
        let State { workers, settings, restarts, stopping, ledger, .. } = state;
        let started = hire(workers, wanted, &self.method, settings, &self.channel, restarts);
        if *stopping {
            // Each worker started while `join` waits needs a stop of its own.
            ledger.queue.backlog.extend((0..started).map(|_| Pending::Stop));
        }
        if workers.is_empty() && restarts.failures >= GIVE_UP_AFTER && restarts.gave_up.is_none() {
            let why = restarts.last_error.clone().unwrap_or(PoolError::NotRunning);
            let error = PoolError::NoWorkers(Box::new(why));
            restarts.gave_up = Some(error.clone());
            shutdown::fail_queued(&self.channel, ledger, &error, ended);
        }
    }
}

impl Engine<'_> {
    // ANCHOR: lifecycle
    /// No new tasks; those queued still run.
    pub fn close(&self) {
        let mut state = self.state.borrow_mut();
        if state.life == Life::Running {
            state.life = Life::Closed;
        }
    }

    /// Stops at once: kills the workers, reaps them, and fails every task not yet finished.
    pub fn terminate(&self) {
        let mut ended = Vec::new();
        {
            let mut state = self.state.borrow_mut();
            let state = &mut *state;
            state.life = Life::Terminated;
            shutdown::dismiss(&mut state.workers, &self.method, &mut state.ledger, &mut ended);
            shutdown::fail_queued(&self.channel, &mut state.ledger, &PoolError::Terminated, &mut ended);
        }
        for (callback, outcome) in ended {
            callback(&outcome);
        }
    }

    /// Waits until every queued task has run and every worker has ended; only after `close` or
    /// `terminate`. Each worker gets a stop packet after the last task, so no other process holding
    /// a copy of the queue can keep a worker waiting.
    pub fn join(&self) -> Result<(), PoolError> {
        {
            let mut state = self.state.borrow_mut();
            match state.life {
                Life::Running => return Err(PoolError::StillRunning),
                Life::Terminated => return Ok(()),
                Life::Closed if state.stopping => {}
                Life::Closed => {
                    state.stopping = true;
                    let stops = state.workers.len();
                    state.ledger.queue.backlog.extend((0..stops).map(|_| Pending::Stop));
                }
            }
        }
        loop {
            {
                let state = self.state.borrow();
                if state.workers.is_empty() && !state.ledger.queue.has_tasks() {
                    return Ok(());
                }
            }
            self.wait_turn(None)?;
        }
    }
    // ANCHOR_END: lifecycle
}
