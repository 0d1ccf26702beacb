//! The chapter 7 benchmark: `cargo run --release -p lesson-07-measuring --bin measure`.
//!
//! - no option: measure every figure and print the table;
//! - `--record`: the same, then write `recorded/run.json` and `recorded/run.txt` and draw the plots
//!   into `book/src/`;
//! - `--plot`: measure nothing; from `recorded/run.json`, write `recorded/run.txt` again and redraw
//!   the plots (after a change to how the table or the plots are drawn);
//! - `--smoke`: every figure once with tiny inputs, the results read back and plotted into a
//!   temporary directory: proof that the code runs, not a measurement (what `cargo test` runs);
//! - `--imap-child COUNT CHUNK`: what the benchmark starts to measure `imap` in a fresh process.
//!
//! This program is started afresh by itself (for `imap`), and a pool may spawn it, so `main` calls
//! `init` first.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use lesson_07_measuring::figures::{Bench, Sizes, measure_all};
use lesson_07_measuring::floors::Error;
use lesson_07_measuring::machine::Machine;
use lesson_07_measuring::python::Python;
use lesson_07_measuring::results::Run;
use lesson_07_measuring::{COMMAND, REGISTRY, memory, plots, table};

const USAGE: &str = "usage: measure [--record | --plot | --smoke]";

// ANCHOR: main
fn main() -> ExitCode {
    lesson_05_start_methods::init(&REGISTRY);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let done = match args.as_slice() {
        [] => measure(Sizes::FULL, false),
        ["--record"] => measure(Sizes::FULL, true),
        ["--plot"] => plot(),
        ["--smoke"] => smoke(),
        ["--imap-child", count, chunk] => imap_child(count, chunk),
        _ => Err(USAGE.into()),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("measure: {error}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main

/// Where the recorded run lives: `lessons/07-measuring/recorded/`.
fn recorded() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("recorded")
}

/// Where the plots go: the book's `src/`.
fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src")
}

/// Measures every figure, prints the table and, if asked, records it.
fn measure(sizes: Sizes, record: bool) -> Result<(), Error> {
    let run =
        measure_run(sizes, if record { format!("{COMMAND} -- --record") } else { COMMAND.to_string() })?;
    print!("{}", table::render(&run));
    if record {
        std::fs::create_dir_all(recorded())?;
        std::fs::write(recorded().join("run.json"), run.to_json()?)?;
        std::fs::write(recorded().join("run.txt"), table::render(&run))?;
        plots::draw(&run, &book_src())?;
        eprintln!(
            "wrote recorded/run.json and recorded/run.txt in {}, and {} and {} in book/src/",
            recorded().display(),
            plots::RATIOS,
            plots::SCALING
        );
    }
    Ok(())
}

/// Runs every figure at `sizes`, telling stderr how far it has got.
fn measure_run(sizes: Sizes, command: String) -> Result<Run, Error> {
    let python = Python::find()?;
    let machine = Machine::describe(python.as_ref());
    eprintln!("measuring on {}", machine.line());
    let bench = Bench { sizes, python: python.as_ref() };
    let began = Instant::now();
    let rows = measure_all(&bench, |figure| {
        eprintln!("  {:>5.1} s  {figure}", began.elapsed().as_secs_f64());
    })?;
    eprintln!("  {:>5.1} s  done", began.elapsed().as_secs_f64());
    Ok(Run::new(machine, command, sizes.rounds, sizes.cpu_rounds, &rows))
}

/// Writes `run.txt` and the plots again from the recorded run, measuring nothing.
fn plot() -> Result<(), Error> {
    let run = Run::from_json(&std::fs::read_to_string(recorded().join("run.json"))?)?;
    std::fs::write(recorded().join("run.txt"), table::render(&run))?;
    plots::draw(&run, &book_src())?;
    eprintln!(
        "wrote recorded/run.txt and drew {} and {} in book/src/, from recorded/run.json",
        plots::RATIOS,
        plots::SCALING
    );
    Ok(())
}

/// Every figure once, tiny; the results through JSON and back, and plotted, in a temporary
/// directory that is removed afterwards.
fn smoke() -> Result<(), Error> {
    let run = measure_run(Sizes::SMOKE, format!("{COMMAND} -- --smoke"))?;
    print!("{}", table::render(&run));
    let again = Run::from_json(&run.to_json()?)?;
    let directory = std::env::temp_dir().join(format!("measure-smoke-{}", std::process::id()));
    std::fs::create_dir_all(&directory)?;
    let drawn = plots::draw(&again, &directory);
    std::fs::remove_dir_all(&directory)?;
    drawn
}

/// The fresh process of an `imap` figure: measures, prints JSON.
fn imap_child(count: &str, chunk: &str) -> Result<(), Error> {
    let run = memory::imap_in_this_process(count.parse()?, chunk.parse()?)?;
    println!("{}", serde_json::to_string(&run)?);
    Ok(())
}
