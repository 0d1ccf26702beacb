//! Starting a timely program as several processes on this machine, talking to them while they run,
//! and collecting what each printed. Every process is waited for; on an error, a time-out or a
//! drop, every one still running is killed first, so a cluster leaves nothing behind.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What each process of a finished run printed, in process order, and how each ended.
#[derive(Debug)]
pub struct Run {
    /// Standard output of each process.
    pub outputs: Vec<String>,
    /// Standard error of each process.
    pub errors: Vec<String>,
    /// How each process ended.
    pub statuses: Vec<ExitStatus>,
}

impl Run {
    /// Whether every process exited with status 0.
    pub fn succeeded(&self) -> bool {
        self.statuses.iter().all(ExitStatus::success)
    }
}

/// One line a process printed on its standard output, or the end of that output (`None`).
type Line = (usize, Option<String>);

/// The processes of one timely computation, started by [`Cluster::start`].
pub struct Cluster {
    children: Vec<Child>,
    gates: Vec<Option<ChildStdin>>,
    lines: Receiver<Line>,
    errors: Vec<JoinHandle<String>>,
    readers: Vec<JoinHandle<()>>,
    printed: Vec<String>,
    early: VecDeque<(usize, String)>,
}

/// How long a process may take to start listening.
const START_LIMIT: Duration = Duration::from_secs(10);

/// Whether `line` is one timely prints itself while its processes connect.
fn is_start_up(line: &str) -> bool {
    line.starts_with("awaiting connections") || line.contains("error connecting to worker")
}

impl Cluster {
    // ANCHOR: start
    /// Starts `program` as `processes` processes, process `i` with timely's `-n processes -p i -h
    /// hosts` and then `args`. Each one's standard input is a gate: [`Cluster::open_gate`] writes
    /// a line to it.
    ///
    /// Process `i` listens for the processes after it and connects to those before it. So that no
    /// connection is refused and retried a second later, each process but the last is started only
    /// once it has said it listens ("awaiting connections", timely's own line, not passed on).
    pub fn start(program: &Path, hosts: &Path, processes: usize, args: &[&str]) -> io::Result<Cluster> {
        let (sender, lines) = mpsc::channel();
        let mut cluster = Cluster {
            children: Vec::new(),
            gates: Vec::new(),
            lines,
            errors: Vec::new(),
            readers: Vec::new(),
            printed: vec![String::new(); processes],
            early: VecDeque::new(),
        };
        for index in 0..processes {
            let mut child = Command::new(program)
                .args(["-n", &processes.to_string(), "-p", &index.to_string(), "-h"])
                .arg(hosts)
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()?;
            let (out, mut err) = (child.stdout.take(), child.stderr.take());
            cluster.gates.push(child.stdin.take());
            cluster.children.push(child); // from here on, a drop kills and reaps it
            let out = out.ok_or_else(|| io::Error::other("no standard output"))?;
            let sender = sender.clone();
            cluster.readers.push(std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    let _ = sender.send((index, Some(line)));
                }
                let _ = sender.send((index, None));
            }));
            cluster.errors.push(std::thread::spawn(move || {
                let mut text = String::new();
                if let Some(err) = err.as_mut() {
                    let _ = err.read_to_string(&mut text);
                }
                text
            }));
            if index + 1 < processes {
                cluster.wait_until_listening(index)?;
            }
        }
        Ok(cluster)
    }
    // ANCHOR_END: start

    /// Waits until process `index` prints timely's "awaiting connections" line.
    fn wait_until_listening(&mut self, index: usize) -> io::Result<()> {
        let deadline = Instant::now() + START_LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((from, Some(line))) if from == index && is_start_up(&line) => return Ok(()),
                Ok((from, Some(line))) if !is_start_up(&line) => self.early.push_back((from, line)),
                Ok(_) => {}
                Err(_) => return Err(io::Error::new(io::ErrorKind::TimedOut, "a process did not listen")),
            }
        }
    }

    /// Waits at most `limit` for the next line any process prints on its standard output, and
    /// gives the process's index and the line; `None` once every process has closed its output.
    /// Timely's own start-up lines are not passed on.
    pub fn next_line(&mut self, limit: Duration) -> io::Result<Option<(usize, String)>> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let next = match self.early.pop_front() {
                Some((index, line)) => Ok((index, Some(line))),
                None => self.lines.recv_timeout(left),
            };
            match next {
                Ok((_, Some(line))) if is_start_up(&line) => continue,
                Ok((index, Some(line))) => {
                    self.printed[index].push_str(&line);
                    self.printed[index].push('\n');
                    return Ok(Some((index, line)));
                }
                Ok((_, None)) => continue, // one process's output ended; the others may go on
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(None),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(io::Error::new(io::ErrorKind::TimedOut, "no process printed in time"));
                }
            }
        }
    }

    /// Like [`Cluster::next_line`], with an error if every process has ended instead.
    pub fn line(&mut self, limit: Duration) -> io::Result<(usize, String)> {
        self.next_line(limit)?.ok_or_else(|| io::Error::other("every process ended before printing"))
    }

    /// Lets process `index` go on past the gate it waits at, by writing a line to its input.
    pub fn open_gate(&mut self, index: usize) -> io::Result<()> {
        let gate = self.gates[index].as_mut().ok_or_else(|| io::Error::other("no gate"))?;
        gate.write_all(b"go\n")?;
        gate.flush()
    }

    /// The process id of process `index`.
    pub fn pid(&self, index: usize) -> u32 {
        self.children[index].id()
    }

    /// Kills process `index` with SIGKILL, as a machine that fails does, and reaps it.
    pub fn kill(&mut self, index: usize) -> io::Result<ExitStatus> {
        self.children[index].kill()?;
        self.children[index].wait()
    }

    /// Waits at most `limit` for every process to end, and gives what each printed and how each
    /// ended. On a time-out, every process is killed and reaped, and the error says so.
    pub fn wait(mut self, limit: Duration) -> io::Result<Run> {
        self.gates.clear(); // end of input: a process still at a gate reads end-of-file
        while self.next_line(limit)?.is_some() {}
        let mut statuses = Vec::new();
        for child in &mut self.children {
            statuses.push(child.wait()?);
        }
        let errors = self.errors.drain(..).map(|e| e.join().unwrap_or_default()).collect();
        Ok(Run { outputs: std::mem::take(&mut self.printed), errors, statuses })
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in &mut self.children {
            if matches!(child.try_wait(), Ok(None)) {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
        // Every process has ended, so every reader is at end-of-file: none is left running.
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        for reader in self.errors.drain(..) {
            let _ = reader.join();
        }
    }
}

// ANCHOR: run
/// Runs `program` as `processes` processes with `args`, none of which waits at a gate, and waits at
/// most `limit` for all of them.
pub fn run(
    program: &Path,
    hosts: &Path,
    processes: usize,
    args: &[&str],
    limit: Duration,
) -> io::Result<Run> {
    Cluster::start(program, hosts, processes, args)?.wait(limit)
}
// ANCHOR_END: run

/// Whether this program was started as one process of a computation: timely's `-p` option is
/// among its arguments. A listing run without it starts the computation itself, as a driver.
pub fn started_as_process() -> bool {
    std::env::args().any(|arg| arg == "-p")
}

// ANCHOR: run_self
/// Runs this same program as `processes` processes over loopback with `args`, as [`run`] does, with
/// a host file of free loopback ports that is removed afterwards.
pub fn run_self(processes: usize, args: &[&str], limit: Duration) -> io::Result<Run> {
    let hosts = crate::hosts::HostFile::loopback(processes)?;
    run(&std::env::current_exe()?, hosts.path(), processes, args, limit)
}
// ANCHOR_END: run_self
