//! The figures: each file measures a family of them, round by round, ours, then CPython's, then
//! threads', so that a machine that grows busier or quieter during the run weighs on all sides alike.
//!
//! - [`start`]: the fork floor, `Process`, and a `Pool`'s start;
//! - [`round_trip`]: the pipe floor and `apply`, on one core and on two;
//! - [`throughput`]: `apply_async` of many tiny tasks, and `map`;
//! - [`imap`]: `imap`'s time and peak memory, each run in a fresh process;
//! - [`cpu`]: a CPU-bound job, counting primes, on 1 and 2 processes or threads.

pub mod cpu;
pub mod imap;
pub mod round_trip;
pub mod start;
pub mod throughput;

use serde::{Deserialize, Serialize};

use crate::floors::Error;
use crate::python::{Measured, Python};

/// What a row's samples are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// Seconds, per repetition of the row's work.
    #[default]
    Seconds,
    /// Bytes of peak resident memory.
    Bytes,
    /// Page faults, per repetition of the row's work: counted, not timed.
    Faults,
}

/// The floor a row is compared with: the row `id`'s median of ours, `times` over.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FloorOf {
    /// The id of the floor's row.
    pub id: String,
    /// How many of it the row's work contains (a pool of two starts with two forks).
    pub times: f64,
    /// How the table names it: "fork floor", "two forks".
    pub name: String,
}

/// One line of the table as measured: each side's samples, one list per round.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// A stable name, for the floors, the notes and the plots.
    pub id: &'static str,
    /// What the table calls it.
    pub label: String,
    /// Seconds or bytes.
    pub unit: Unit,
    /// Our code's samples.
    pub ours: Vec<Vec<f64>>,
    /// CPython's samples.
    pub cpython: Vec<Vec<f64>>,
    /// `std::thread` samples.
    pub threads: Vec<Vec<f64>>,
    /// Rayon samples.
    pub rayon: Vec<Vec<f64>>,
    /// The floor this row is compared with, if any.
    pub floor: Option<FloorOf>,
}

impl Row {
    /// A row of times with no samples yet.
    pub fn new(id: &'static str, label: impl Into<String>) -> Row {
        Row { id, label: label.into(), ..Row::default() }
    }

    /// The same row, compared with `times` × the row `id`, called `name`.
    pub fn with_floor(mut self, id: &str, times: f64, name: &str) -> Row {
        self.floor = Some(FloorOf { id: id.into(), times, name: name.into() });
        self
    }
}

/// How much work each figure does. [`Sizes::FULL`] is the benchmark; [`Sizes::SMOKE`] runs every
/// figure once with tiny inputs, to prove the code works, not to time it.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Rounds of every figure but the CPU-bound one.
    pub rounds: usize,
    /// Rounds of the CPU-bound figure, whose CPython side takes seconds.
    pub cpu_rounds: usize,
    /// Forks per round, for the fork floor.
    pub forks: usize,
    /// Pipe round trips per round.
    pub round_trips: usize,
    /// `Process` starts per round.
    pub processes: usize,
    /// Pool starts per round.
    pub pool_starts: usize,
    /// `apply` calls per round.
    pub applies: usize,
    /// Tasks submitted at once with `apply_async`.
    pub async_tasks: u64,
    /// The large `map`'s items, and its explicit chunk size.
    pub map_large: u64,
    /// The explicit chunk size of the large `map`.
    pub map_chunk: usize,
    /// The small `map`'s items.
    pub map_small: u64,
    /// The two `imap` sizes.
    pub imap_counts: [u64; 2],
    /// `imap`'s chunk size.
    pub imap_chunk: usize,
    /// The CPU-bound job counts the primes below this.
    pub primes_below: u64,
    /// … in this many tasks.
    pub prime_chunks: u64,
}

impl Sizes {
    /// The benchmark: a few minutes on a two-core machine, CPython's side included.
    pub const FULL: Sizes = Sizes {
        rounds: 5,
        cpu_rounds: 3,
        forks: 200,
        round_trips: 2_000,
        processes: 100,
        pool_starts: 10,
        applies: 500,
        async_tasks: 20_000,
        map_large: 1_000_000,
        map_chunk: 10_000,
        map_small: 100_000,
        imap_counts: [100_000, 1_000_000],
        imap_chunk: 1_000,
        primes_below: 2_500_000,
        prime_chunks: 64,
    };

    /// Every figure once, tiny: what `cargo test` runs.
    pub const SMOKE: Sizes = Sizes {
        rounds: 1,
        cpu_rounds: 1,
        forks: 2,
        round_trips: 2,
        processes: 1,
        pool_starts: 1,
        applies: 2,
        async_tasks: 20,
        map_large: 1_000,
        map_chunk: 10,
        map_small: 100,
        imap_counts: [100, 1_000],
        imap_chunk: 10,
        primes_below: 10_000,
        prime_chunks: 4,
    };
}

/// What every figure needs: the sizes, and CPython if there is one.
pub struct Bench<'a> {
    /// How much work to do.
    pub sizes: Sizes,
    /// The interpreter for CPython's side, if found.
    pub python: Option<&'a Python>,
}

impl Bench<'_> {
    /// Runs `figure` `reps` times in CPython, if there is a CPython: its times, or `None`.
    pub fn cpython(&self, figure: &str, reps: usize, args: &[String]) -> Result<Option<Measured>, Error> {
        self.python.map(|python| python.run(figure, reps, args)).transpose()
    }

    /// Whether the two-core placements can be measured: this process may use at least two CPUs.
    pub fn two_cores(&self) -> bool {
        crate::pin::usable_cpus() >= 2
    }
}

/// Every figure, in the table's order. `progress` is told each figure's name as it starts.
pub fn measure_all(bench: &Bench, mut progress: impl FnMut(&str)) -> Result<Vec<Row>, Error> {
    let mut rows = Vec::new();
    progress("fork floor, Process, Pool start");
    rows.extend(start::measure(bench)?);
    progress("pipe floor and apply");
    rows.extend(round_trip::measure(bench)?);
    progress("apply_async and map");
    rows.extend(throughput::measure(bench)?);
    progress("imap");
    rows.extend(imap::measure(bench)?);
    progress("CPU-bound: counting primes");
    rows.extend(cpu::measure(bench)?);
    Ok(rows)
}

/// `reps` samples of `sample`, after one untimed run that faults in what the first would pay for.
pub fn repeat(reps: usize, mut sample: impl FnMut() -> Result<f64, Error>) -> Result<Vec<f64>, Error> {
    sample()?;
    (0..reps).map(|_| sample()).collect()
}

/// `1000000` as `1,000,000`, for labels.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(super::thousands(1_000_000), "1,000,000");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(20_000), "20,000");
    }
}
