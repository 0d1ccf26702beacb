//! The chapter 10 benchmark: `cargo run --release -p lesson-10-beyond --bin measure_beyond`.
//!
//! - no option: measure every figure and print the table;
//! - `--record`: the same, then write `recorded/run.txt`, which the book includes;
//! - `--smoke`: every figure once with tiny inputs, every result checked: proof that the code runs,
//!   not a measurement (what `cargo test` runs).
//!
//! The benchmark starts this same program again as the two processes of a timely computation, with
//! timely's `-n 2 -p i -h hosts` and the number of items; its pool forks, so `main` calls `init`
//! first.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use lesson_07_measuring::machine::Machine;
use lesson_10_beyond::cluster;
use lesson_10_beyond::measure::dask::Dask;
use lesson_10_beyond::measure::figures::measure_all;
use lesson_10_beyond::measure::sizes::Sizes;
use lesson_10_beyond::measure::table::{Run, render};
use lesson_10_beyond::measure::{COMMAND, Error, REGISTRY, processes};

const USAGE: &str = "usage: measure_beyond [--record | --smoke]";

fn main() -> ExitCode {
    lesson_05_start_methods::init(&REGISTRY);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let done = if cluster::started_as_process() {
        serve()
    } else {
        match args.as_slice() {
            [] => measure(Sizes::FULL, COMMAND.to_string(), false),
            ["--record"] => measure(Sizes::FULL, format!("{COMMAND} -- --record"), true),
            ["--smoke"] => measure(Sizes::SMOKE, format!("{COMMAND} -- --smoke"), false),
            _ => Err(USAGE.into()),
        }
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("measure_beyond: {error}");
            ExitCode::FAILURE
        }
    }
}

/// One process of the timely computation: the number of items is the last argument.
fn serve() -> Result<(), Error> {
    let items = std::env::args().next_back().and_then(|n| n.parse().ok()).ok_or("no number of items")?;
    processes::serve(items)
}

/// Measures every figure at `sizes`, prints the table and, if asked, records it.
fn measure(sizes: Sizes, command: String, record: bool) -> Result<(), Error> {
    let dask = Dask::find()?;
    let mut machine = Machine::describe(None);
    machine.python = dask.as_ref().map_or_else(|| "no Dask".to_string(), |dask| dask.versions.clone());
    eprintln!("measuring on {}", machine.line());
    let began = Instant::now();
    let rows = measure_all(sizes, dask.as_ref(), |figures| {
        eprintln!("  {:>5.1} s  {figures}", began.elapsed().as_secs_f64());
    })?;
    eprintln!("  {:>5.1} s  done", began.elapsed().as_secs_f64());
    let table = render(&Run { machine, command, sizes, rows });
    print!("{table}");
    if record {
        let recorded = Path::new(env!("CARGO_MANIFEST_DIR")).join("recorded");
        std::fs::create_dir_all(&recorded)?;
        std::fs::write(recorded.join("run.txt"), &table)?;
        eprintln!("wrote {}", recorded.join("run.txt").display());
    }
    Ok(())
}
