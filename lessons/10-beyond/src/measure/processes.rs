//! The timed round on two timely processes over loopback TCP: this same program, started again
//! twice by [`crate::cluster`] with timely's `-n 2 -p i -h hosts`. Process 0's worker waits at its
//! gate (a line on its standard input) before each round and prints the round's time and the
//! result's fingerprint; the results themselves stay in process 0.
//!
//! Timely connects its processes before any worker runs, and process 0, which listens, looks for a
//! connection once a second: start-up takes about a second whatever the machine. It is its own
//! figure; a map round is timed only once the processes are connected.

use std::io::BufRead;
use std::time::{Duration, Instant};

use super::Error;
use super::check::Fingerprint;
use super::dataflow::serve_rounds;
use crate::cluster::Cluster;
use crate::hosts::HostFile;

/// How long a process may take to say it is ready, or to finish a round.
const LIMIT: Duration = Duration::from_secs(60);

/// What process 0's worker prints once the processes are connected.
const READY: &str = "ready";

/// Two timely processes over loopback, connected, kept for the whole run.
pub struct TimelyProcesses {
    // Dropped first: the cluster kills and reaps any process still running, then the host file goes.
    cluster: Cluster,
    _hosts: HostFile,
}

impl TimelyProcesses {
    /// Starts two processes of this program for rounds of `items` items, and waits until process 0
    /// says they are connected.
    pub fn start(items: u64) -> Result<TimelyProcesses, Error> {
        let hosts = HostFile::loopback(2)?;
        let program = std::env::current_exe()?;
        let mut cluster = Cluster::start(&program, hosts.path(), 2, &[&items.to_string()])?;
        match cluster.line(LIMIT)? {
            (0, line) if line == READY => Ok(TimelyProcesses { cluster, _hosts: hosts }),
            (from, line) => Err(format!("process {from} printed {line:?} before process 0 was ready").into()),
        }
    }

    /// Runs one round: its time, measured in process 0, and the fingerprint of its results.
    pub fn round(&mut self) -> Result<(f64, Fingerprint), Error> {
        self.cluster.open_gate(0)?;
        let (from, line) = self.cluster.line(LIMIT)?;
        let words: Vec<&str> = line.split_whitespace().collect();
        match (from, words.as_slice()) {
            (0, ["round", seconds, fingerprint @ ..]) => {
                let fingerprint =
                    Fingerprint::from_words(fingerprint).ok_or("a round line without a fingerprint")?;
                Ok((seconds.parse()?, fingerprint))
            }
            _ => Err(format!("process {from} printed {line:?} instead of a round").into()),
        }
    }

    /// Closes the gate, so that the processes finish, and waits for them: an error if one failed.
    pub fn finish(self) -> Result<(), Error> {
        let run = self.cluster.wait(LIMIT)?;
        if !run.succeeded() {
            return Err(format!("a timely process failed ({:?}): {:?}", run.statuses, run.errors).into());
        }
        Ok(())
    }
}

/// Starts two processes, waits until they are connected, and finishes them: the time until
/// connected, in seconds.
pub fn start_until_connected() -> Result<f64, Error> {
    let began = Instant::now();
    let processes = TimelyProcesses::start(0)?;
    let connected = began.elapsed().as_secs_f64();
    processes.finish()?;
    Ok(connected)
}

/// What this program does when started as one process of the cluster: timely's options and the
/// number of items are in its arguments.
pub fn serve(items: u64) -> Result<(), Error> {
    let guards = timely::execute_from_args(std::env::args(), move |worker| {
        if worker.index() == 0 {
            println!("{READY}"); // the worker runs only once every connection is made
        }
        let gate = || {
            let mut line = String::new();
            matches!(std::io::stdin().lock().read_line(&mut line), Ok(read) if read > 0)
        };
        let report = |round: super::dataflow::Round| {
            println!("round {} {}", round.seconds, Fingerprint::of(&round.values).to_words());
        };
        serve_rounds(worker, items, gate, report);
    })?;
    for worker in guards.join() {
        worker?;
    }
    Ok(())
}
