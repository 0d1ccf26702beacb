//! `Process`: a child process with the interface of Python's `multiprocessing.Process`.

use std::cell::RefCell;
use std::io::Write;
use std::os::fd::OwnedFd;
use std::time::Duration;

use lesson_01_fork::{Fork, Pid, fork, getpid};
use lesson_02_wait::{try_wait, wait_for};
use nix::sys::signal::{Signal, kill};

use crate::error::{Call, ProcessError};
use crate::target::Run;
use crate::{child, names, pidfd};

/// How long `Drop` lets a terminated daemon end before it kills it.
const DROP_GRACE: Duration = Duration::from_secs(1);

/// Where a process is in its life.
#[derive(Debug)]
enum State {
    /// Created, not started.
    Created,
    /// Started by `parent`; the child `pid` has not been reaped yet.
    Running { pid: Pid, parent: Pid, pidfd: OwnedFd },
    /// The child ended with `exitcode` and was reaped.
    Ended { pid: Pid, exitcode: i32 },
    /// `close()` was called.
    Closed,
}

// ANCHOR: process
/// A child process that runs a target, like Python's `multiprocessing.Process`.
///
/// Dropping a `Process` whose child still runs reaps the child, so no zombie is left behind: a
/// non-daemon child is joined (waited for), as Python joins non-daemonic children when the program
/// exits; a daemon child is terminated (SIGTERM, then SIGKILL after a second) and reaped.
pub struct Process {
    name: String,
    identity: Vec<usize>,
    daemon: bool,
    target: Box<dyn Run>,
    // A RefCell, so that `is_alive` and `exitcode` can reap an ended child through `&self`.
    state: RefCell<State>,
}
// ANCHOR_END: process

impl std::fmt::Debug for Process {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Process").field("name", &self.name).field("daemon", &self.daemon).finish()
    }
}

impl Process {
    /// A process that will run `target`, named `Process-N` (N counts up from 1 in this process).
    pub fn new(target: impl Run + 'static) -> Process {
        let (identity, name) = names::next();
        Process {
            name,
            identity,
            daemon: false,
            target: Box::new(target),
            state: RefCell::new(State::Created),
        }
    }

    /// The same process with another name.
    pub fn with_name(mut self, name: impl Into<String>) -> Process {
        self.name = name.into();
        self
    }

    /// The process's name: `Process-N` unless one was given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the process is a daemon.
    pub fn daemon(&self) -> bool {
        self.daemon
    }

    /// Makes the process a daemon (or not): its child is terminated when this process ends, and may
    /// not start processes of its own. Only before `start`.
    pub fn set_daemon(&mut self, daemon: bool) -> Result<(), ProcessError> {
        match *self.state.borrow() {
            State::Created => {
                self.daemon = daemon;
                Ok(())
            }
            State::Closed => Err(ProcessError::Closed),
            _ => Err(ProcessError::AlreadyStarted),
        }
    }

    /// The child's pid once started; `None` before.
    pub fn pid(&self) -> Option<Pid> {
        match *self.state.borrow() {
            State::Running { pid, .. } | State::Ended { pid, .. } => Some(pid),
            State::Created | State::Closed => None,
        }
    }

    /// Runs the target in the calling process and returns its exit code: what `start` does in the
    /// child. After `start` the parent no longer holds the target, as in CPython, and this runs nothing.
    pub fn run(&mut self) -> i32 {
        self.target.run()
    }

    // ANCHOR: start
    /// Starts the child: forks, and runs the target in the child, which never returns here.
    pub fn start(&mut self) -> Result<(), ProcessError> {
        match *self.state.borrow() {
            State::Created => {}
            State::Closed => return Err(ProcessError::Closed),
            _ => return Err(ProcessError::StartedTwice),
        }
        if child::is_daemon() {
            return Err(ProcessError::DaemonWithChildren);
        }
        // What is still in our buffers would be copied into the child and written twice.
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        let parent = getpid();
        match fork()? {
            Fork::Child => {
                // Moved, not copied: every page the child writes to costs a fault (chapter 7, section 7.4).
                let (name, identity) = (std::mem::take(&mut self.name), std::mem::take(&mut self.identity));
                child::run_in_child(name, identity, self.daemon, parent, &mut *self.target)
            }
            Fork::Parent { child } => {
                let pidfd = pidfd::open(child).inspect_err(|_| {
                    let _ = kill(child, Signal::SIGKILL);
                    let _ = wait_for(child);
                })?;
                *self.state.get_mut() = State::Running { pid: child, parent, pidfd };
                // As CPython does after start: the child has its own copy of the target, and what the
                // parent's copy captured (a pipe's write end, say) must not stay open here.
                self.target = Box::new(|| ());
                Ok(())
            }
        }
    }
    // ANCHOR_END: start

    /// The running child's pid, after checking this process is the one that started it; `call` says
    /// what the caller wants with the child, for the error.
    fn running_child(&self, call: Call) -> Result<Option<Pid>, ProcessError> {
        match &*self.state.borrow() {
            State::Running { pid, parent, .. } if *parent == getpid() => Ok(Some(*pid)),
            State::Running { .. } => Err(ProcessError::NotOurChild(call)),
            State::Closed => Err(ProcessError::Closed),
            State::Created | State::Ended { .. } => Ok(None),
        }
    }

    /// Records that the child ended with `exitcode` (it has been reaped).
    fn ended(&self, pid: Pid, exitcode: i32) -> i32 {
        *self.state.borrow_mut() = State::Ended { pid, exitcode };
        exitcode
    }

    /// Reaps the child if it has ended, without blocking.
    fn poll(&self) -> Result<(), ProcessError> {
        if let Some(pid) = self.running_child(Call::Test)?
            && let Some(status) = try_wait(pid).map_err(|_| ProcessError::NotOurChild(Call::Test))?
        {
            self.ended(pid, status.exitcode().unwrap_or_default());
        }
        Ok(())
    }

    /// Whether the child is running: false before `start` and once it has ended (it is reaped then).
    pub fn is_alive(&self) -> Result<bool, ProcessError> {
        self.poll()?;
        Ok(matches!(*self.state.borrow(), State::Running { .. }))
    }

    // ANCHOR: exitcode
    /// `None` while the child runs (or before start); its exit code once it has ended; the negated
    /// signal number if a signal killed it (-15 after `terminate`, -9 after `kill`).
    pub fn exitcode(&self) -> Result<Option<i32>, ProcessError> {
        self.poll()?;
        Ok(match *self.state.borrow() {
            State::Ended { exitcode, .. } => Some(exitcode),
            _ => None,
        })
    }
    // ANCHOR_END: exitcode

    // ANCHOR: join
    /// Waits until the child ends, reaps it, and returns its exit code.
    pub fn join(&mut self) -> Result<i32, ProcessError> {
        if let State::Created = *self.state.borrow() {
            return Err(ProcessError::JoinBeforeStart);
        }
        match self.running_child(Call::Join)? {
            Some(pid) => {
                let status = wait_for(pid).map_err(|_| ProcessError::NotOurChild(Call::Join))?;
                Ok(self.ended(pid, status.exitcode().unwrap_or_default()))
            }
            None => Ok(self.exitcode()?.unwrap_or_default()),
        }
    }

    /// Waits at most `limit` for the child to end; returns its exit code if it did, `None` if it is
    /// still running. `join_timeout(Duration::ZERO)` never blocks.
    pub fn join_timeout(&mut self, limit: Duration) -> Result<Option<i32>, ProcessError> {
        if let State::Created = *self.state.borrow() {
            return Err(ProcessError::JoinBeforeStart);
        }
        if self.running_child(Call::Join)?.is_some() {
            let ended = match &*self.state.borrow() {
                State::Running { pidfd, .. } => pidfd::wait_until_ended(pidfd, limit)?,
                _ => true,
            };
            if !ended {
                return Ok(None);
            }
            return self.join().map(Some);
        }
        self.exitcode()
    }
    // ANCHOR_END: join

    /// Sends `signal` to the child if it has not been reaped. Until it is reaped its pid cannot be
    /// given to another process, so the signal cannot reach a stranger.
    fn signal(&mut self, signal: Signal) -> Result<(), ProcessError> {
        if let State::Created = *self.state.borrow() {
            return Err(ProcessError::SignalBeforeStart);
        }
        if let Some(pid) = self.running_child(Call::Signal)? {
            kill(pid, signal)?;
        }
        Ok(())
    }

    /// Asks the child to stop with SIGTERM; its exit code becomes -15 unless it handles the signal.
    pub fn terminate(&mut self) -> Result<(), ProcessError> {
        self.signal(Signal::SIGTERM)
    }

    /// Ends the child with SIGKILL, which it cannot handle; its exit code becomes -9.
    pub fn kill(&mut self) -> Result<(), ProcessError> {
        self.signal(Signal::SIGKILL)
    }

    /// Releases the process's resources; every later call fails with "process object is closed".
    /// Fails while the child still runs.
    pub fn close(&mut self) -> Result<(), ProcessError> {
        // Closing twice is fine, as in CPython: the second call has nothing left to release.
        if let State::Closed = *self.state.get_mut() {
            return Ok(());
        }
        self.poll()?;
        if let State::Running { .. } = *self.state.borrow() {
            return Err(ProcessError::CloseWhileRunning);
        }
        *self.state.get_mut() = State::Closed;
        Ok(())
    }
}

// ANCHOR: drop
impl Drop for Process {
    /// Reaps a child that still runs, so that no zombie is left behind: joins a non-daemon child,
    /// terminates and then joins a daemon.
    fn drop(&mut self) {
        // Only in the process that started the child: a copy of this handle inherited by another
        // child must not touch its sibling.
        if let Ok(Some(_)) = self.running_child(Call::Join) {
            if self.daemon {
                let _ = self.terminate();
                if let Ok(None) = self.join_timeout(DROP_GRACE) {
                    let _ = self.kill();
                }
            }
            let _ = self.join();
        }
    }
}
// ANCHOR_END: drop
