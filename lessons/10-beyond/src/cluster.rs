//! Starting one run of a timely program as `processes` processes on this machine, and collecting
//! what each printed. Every process is waited for; on an error or a time-out, every one still
//! running is killed first, so a run leaves nothing behind.

use std::io::{self, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What each process of a run printed, in process order, and whether all of them succeeded.
#[derive(Debug)]
pub struct Run {
    /// Standard output of each process.
    pub outputs: Vec<String>,
    /// Whether every process exited with status 0.
    pub succeeded: bool,
}

/// Kills and reaps every child still in the list when dropped.
struct Processes(Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for child in &mut self.0 {
            if matches!(child.try_wait(), Ok(None)) {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }
}

// ANCHOR: run
/// Runs `program` as `processes` processes, process `i` with `-n processes -p i -h hosts` and then
/// `args`, and waits at most `limit` for all of them.
pub fn run(
    program: &Path,
    hosts: &Path,
    processes: usize,
    args: &[&str],
    limit: Duration,
) -> io::Result<Run> {
    let mut started = Processes(Vec::new());
    for index in 0..processes {
        let child = Command::new(program)
            .args(["-n", &processes.to_string(), "-p", &index.to_string(), "-h"])
            .arg(hosts)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()?;
        started.0.push(child);
    }
    // One reader a process: each ends at end-of-file, when its process has ended.
    let (sender, ended) = mpsc::channel();
    let mut readers = Vec::new();
    for (index, child) in started.0.iter_mut().enumerate() {
        let mut out = child.stdout.take().ok_or_else(|| io::Error::other("no standard output"))?;
        let sender = sender.clone();
        readers.push(std::thread::spawn(move || {
            let mut text = String::new();
            let _ = out.read_to_string(&mut text);
            let _ = sender.send((index, text));
        }));
    }
    let deadline = Instant::now() + limit;
    let mut outputs = vec![String::new(); processes];
    for _ in 0..processes {
        let left = deadline.saturating_duration_since(Instant::now());
        let (index, text) = ended
            .recv_timeout(left)
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "a process of the run did not end"))?;
        outputs[index] = text;
    }
    let mut succeeded = true;
    for child in &mut started.0 {
        succeeded &= child.wait()?.success();
    }
    for reader in readers {
        let _ = reader.join(); // each has sent its text: none is left running
    }
    Ok(Run { outputs, succeeded })
}
// ANCHOR_END: run
