//! A worker: a forked process that runs tasks one at a time, reading each from its own pipe and
//! writing each result to another.

use std::fs::File;
use std::os::fd::{FromRawFd, OwnedFd};
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;

use lesson_01_fork::{Fork, Pid, exit_now, fork};
use lesson_03_process::pidfd;
use lesson_04_pipes::{panic_message, read_frame, write_frame};
use lesson_05_start_methods::spawn::{INPUT_FD, OUTPUT_FD, this_program_with_pipes};
use nix::fcntl::OFlag;

use crate::error::PoolError;
use crate::job::{JobId, Outcome};
use crate::server::Server;
use crate::task::Task;

/// Code run once in each new worker before its first task (Python's `initializer` with its
/// `initargs`: a worker is a fork, so a closure may carry the arguments).
pub type Initializer = Rc<dyn Fn()>;

/// How a pool starts its workers (chapter 5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StartMethod {
    /// Fork the pool's process: fast; needs a single-threaded parent at each start.
    #[default]
    Fork,
    /// Start this program afresh; `main` must call [`init`] first. Slower; no initializer closure.
    Spawn,
    /// Ask a fork server, forked when the pool is made, to fork each worker. No initializer closure.
    Forkserver,
}

/// The environment variable that tells a spawned program to be a pool worker, with its
/// `maxtasksperchild` (0 for none).
pub const WORKER_VARIABLE: &str = "FORK_TO_POOL_WORKER";

// ANCHOR: init
/// Call this first thing in `main` of a program that uses the spawn start method: in a spawned worker
/// it runs the worker's loop and ends the process; anywhere else it returns at once.
pub fn init() {
    let Ok(maxtasks) = std::env::var(WORKER_VARIABLE) else { return };
    let maxtasks = maxtasks.parse::<usize>().ok().filter(|&n| n > 0);
    // SAFETY: the spawning pool put the task pipe's read end at INPUT_FD and the result pipe's write
    // end at OUTPUT_FD for exactly this process, which owns them from here on.
    let (tasks, results) = unsafe { (File::from_raw_fd(INPUT_FD), File::from_raw_fd(OUTPUT_FD)) };
    work(None, maxtasks, tasks, results)
}
// ANCHOR_END: init

/// The pool's side of one worker.
#[derive(Debug)]
pub struct Worker {
    /// The worker's pid.
    pub pid: Pid,
    /// Readable once the worker has ended (chapter 3).
    pub pidfd: OwnedFd,
    /// Tasks go out here.
    pub tasks: File,
    /// Results come back here.
    pub results: File,
    /// The job the worker is running, if any.
    pub job: Option<JobId>,
    /// How many tasks it has finished.
    pub done: usize,
}

impl Worker {
    // ANCHOR: start
    /// Starts a new worker by `method`. `others` are the pool's other workers: a forked worker closes
    /// its copies of their pipes, or a worker would never see end-of-file on its task pipe when the
    /// pool closes it. (A spawned worker keeps only its own two pipes: the rest are close-on-exec.)
    pub fn start(
        method: StartMethod,
        initializer: Option<&Initializer>,
        maxtasks: Option<usize>,
        others: &mut Vec<Worker>,
        server: Option<&Server>,
    ) -> Result<Worker, PoolError> {
        let os = |e: nix::errno::Errno| PoolError::Os(e.to_string());
        if method != StartMethod::Fork && initializer.is_some() {
            return Err(PoolError::Os(
                "an initializer closure cannot cross to a spawned or served worker".into(),
            ));
        }
        if let Some(server) = server {
            let (child, tasks, results) = server.start_worker(maxtasks)?;
            let pidfd = pidfd::open(child).map_err(os)?;
            return Ok(Worker { pid: child, pidfd, tasks, results, job: None, done: 0 });
        }
        let (task_read, task_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC).map_err(os)?;
        let (result_read, result_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC).map_err(os)?;
        let child = match method {
            StartMethod::Fork => match fork().map_err(|e| PoolError::Os(e.to_string()))? {
                Fork::Child => {
                    drop((task_write, result_read, std::mem::take(others)));
                    work(initializer, maxtasks, File::from(task_read), File::from(result_write))
                }
                Fork::Parent { child } => child,
            },
            StartMethod::Spawn | StartMethod::Forkserver => spawn(maxtasks, &task_read, &result_write)?,
        };
        drop((task_read, result_write));
        let pidfd = pidfd::open(child).map_err(os)?;
        Ok(Worker {
            pid: child,
            pidfd,
            tasks: File::from(task_write),
            results: File::from(result_read),
            job: None,
            done: 0,
        })
    }
    // ANCHOR_END: start

    /// Hands `task` for job `job` to this idle worker.
    pub fn send(&mut self, job: JobId, task: &Task) -> Result<(), PoolError> {
        let bytes = postcard::to_stdvec(task)?;
        write_frame(&self.tasks, &bytes).map_err(|e| PoolError::Os(e.to_string()))?;
        self.job = Some(job);
        Ok(())
    }

    /// Reads the outcome of the running job; `None` if the worker ended before it sent a whole one.
    pub fn receive(&mut self) -> Option<Outcome> {
        let frame = read_frame(&self.results).ok().flatten()?;
        postcard::from_bytes::<Outcome>(&frame).ok()
    }
}

/// Starts this program afresh as a worker reading `tasks` and writing `results` (chapter 5's
/// spawn: the pipes at descriptors 3 and 4); returns its pid.
fn spawn(maxtasks: Option<usize>, tasks: &OwnedFd, results: &OwnedFd) -> Result<Pid, PoolError> {
    let os = |e: std::io::Error| PoolError::Os(e.to_string());
    let mut command = this_program_with_pipes(tasks, results).map_err(os)?;
    command.env(WORKER_VARIABLE, maxtasks.unwrap_or(0).to_string());
    // The pool reaps the worker through its pid (waitpid), not through std's Child.
    let child = command.spawn().map_err(os)?;
    Ok(Pid::from_raw(child.id() as i32))
}

// ANCHOR: work
/// The worker's life: run the initializer, then tasks until the pool closes the task pipe or
/// `maxtasks` are done. A panic fails only its own task. Never returns.
pub(crate) fn work(
    initializer: Option<&Initializer>,
    maxtasks: Option<usize>,
    tasks: File,
    results: File,
) -> ! {
    // A task's panic travels back as its result; the worker prints nothing.
    panic::set_hook(Box::new(|_| {}));
    if let Some(initializer) = initializer
        && panic::catch_unwind(AssertUnwindSafe(|| initializer())).is_err()
    {
        exit_now(1);
    }
    let mut done = 0;
    while let Ok(Some(frame)) = read_frame(&tasks) {
        let outcome: Outcome = match postcard::from_bytes::<Task>(&frame) {
            // SAFETY: the pool made this task with Task::call or Task::chunk before forking us.
            Ok(task) => panic::catch_unwind(AssertUnwindSafe(|| unsafe { task.run() }))
                .unwrap_or_else(|payload| Err(PoolError::Panicked(panic_message(&*payload)))),
            Err(e) => Err(e.into()),
        };
        let sent = postcard::to_stdvec(&outcome).map(|bytes| write_frame(&results, &bytes));
        done += 1;
        if !matches!(sent, Ok(Ok(()))) || Some(done) == maxtasks {
            break;
        }
    }
    exit_now(0)
}
// ANCHOR_END: work
