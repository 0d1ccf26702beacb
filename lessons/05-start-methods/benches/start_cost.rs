//! The start-up cost of each start method: `cargo bench -p lesson-05-start-methods`.
//!
//! Runs a trivial task many times under fork, spawn and forkserver, interleaved so that a change in
//! the machine's load affects all three alike, and reports each method's median time per task and
//! its ratio to fork's, measured in the same run. Run as
//! `cargo bench -p lesson-05-start-methods --bench start_cost -- --record`, it also writes the report,
//! headed by the machine, the date and the command, to `recorded/start_cost.txt`, which chapter 5
//! includes. This bench binary is the program a spawned child starts afresh, so `main` calls `init`
//! first.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use lesson_05_start_methods::{Forkserver, Registry, StartMethod, init, run, task};
use testkit::machine;

/// The trivial task: the cost measured is the start, not the work.
fn nothing((): ()) {}

static REGISTRY: Registry = Registry { tasks: &[task!(nothing)], entries: &[] };

/// How many times each method runs the task.
const ROUNDS: usize = 200;

/// The command that records the report, as its header states it.
const RECORD: &str = "cargo bench -p lesson-05-start-methods --bench start_cost -- --record";

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The machine and the time: the kernel, the CPU model, the CPUs this process may use, the date.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    format!("{}, {}, {cores} cores, {}", machine::kernel(), machine::cpu_model(), machine::utc_now())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    init(&REGISTRY);
    // `cargo bench` passes `--bench`, and whatever follows its `--`.
    let record = std::env::args().any(|arg| arg == "--record");
    let server = Forkserver::start(&REGISTRY)?;
    let methods = [StartMethod::Fork, StartMethod::Spawn, StartMethod::Forkserver(&server)];
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(ROUNDS); methods.len()];
    for _ in 0..ROUNDS {
        for (method, times) in methods.iter().zip(&mut times) {
            let began = Instant::now();
            run::<(), ()>(method, &REGISTRY, "nothing", &())?;
            times.push(began.elapsed());
        }
    }
    let medians: Vec<Duration> = times.into_iter().map(median).collect();
    let mut report = String::new();
    writeln!(
        report,
        "start-up cost per task, median of {ROUNDS} runs, ratio to fork measured in the same run:"
    )?;
    for (method, median) in methods.iter().zip(&medians) {
        let ratio = median.as_secs_f64() / medians[0].as_secs_f64();
        writeln!(
            report,
            "{:>10}: {:>8.1} µs  {ratio:>5.1}× fork",
            method.name(),
            median.as_secs_f64() * 1e6
        )?;
    }
    print!("{report}");
    if record {
        let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("recorded");
        std::fs::create_dir_all(&directory)?;
        let header = format!("measured on {}\ncommand: {RECORD}\n\n", machine());
        std::fs::write(directory.join("start_cost.txt"), header + &report)?;
        eprintln!("recorded {}", directory.join("start_cost.txt").display());
    }
    Ok(())
}
