//! The timed round on timely's worker threads in this process (`-w 2`, or `-w 1`): no network,
//! and no process boundary, only timely's channels between threads. Worker 0's gate and report
//! are channels to the thread that drives the benchmark, so its rounds take turns with the other
//! figures'.

use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use timely::communication::WorkerGuards;

use super::Error;
use super::dataflow::{Round, serve_rounds};

/// How long one round may take before the benchmark gives up.
const ROUND_LIMIT: Duration = Duration::from_secs(60);

/// Timely's worker threads, kept for the whole run, each round started by [`TimelyThreads::round`].
pub struct TimelyThreads {
    gate: Option<Sender<()>>,
    rounds: Receiver<Round>,
    guards: Option<WorkerGuards<()>>,
}

impl TimelyThreads {
    /// Starts `workers` worker threads, each with the dataflow built, for rounds of `items` items.
    pub fn start(workers: usize, items: u64) -> Result<TimelyThreads, Error> {
        let (gate, gate_end) = mpsc::channel::<()>();
        let (report, rounds) = mpsc::channel::<Round>();
        // The closure runs on every worker thread; only worker 0 takes the gate and the report.
        let gate_end = Mutex::new(Some(gate_end));
        let report = Mutex::new(report);
        let args = ["measure_beyond".to_string(), "-w".to_string(), workers.to_string()];
        let guards = timely::execute_from_args(args.into_iter(), move |worker| {
            if worker.index() == 0 {
                let gate_end = gate_end.lock().ok().and_then(|mut gate| gate.take());
                let report = report.lock().map(|report| report.clone());
                if let (Some(gate_end), Ok(report)) = (gate_end, report) {
                    let gate = || gate_end.recv().is_ok();
                    serve_rounds(worker, items, gate, |round| drop(report.send(round)));
                    return;
                }
            }
            serve_rounds(worker, items, || false, drop);
        })?;
        Ok(TimelyThreads { gate: Some(gate), rounds, guards: Some(guards) })
    }

    /// Runs one round and gives what worker 0 measured.
    pub fn round(&mut self) -> Result<Round, Error> {
        self.gate.as_ref().ok_or("the threads were finished")?.send(())?;
        Ok(self.rounds.recv_timeout(ROUND_LIMIT)?)
    }

    /// Closes the gate, so that the workers finish, and joins them.
    pub fn finish(mut self) -> Result<(), Error> {
        self.gate = None;
        let guards = self.guards.take().ok_or("the threads were finished")?;
        for worker in guards.join() {
            worker?;
        }
        Ok(())
    }
}

impl Drop for TimelyThreads {
    fn drop(&mut self) {
        self.gate = None; // worker 0 reads the gate's end and finishes; the guards join the threads
        drop(self.guards.take());
    }
}
